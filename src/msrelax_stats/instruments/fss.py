"""FSS - Fatigue Severity Scale (Krupp 1989) and its 7-item form FSS-7 (Lerdal 2010).

Nine statements on fatigue, each answered 1 (strongly disagree) to 7 (strongly agree), no
reverse-keyed item. ``fss_mean`` is the mean of the nine items (1-7), ``fss_sum`` their sum
(9-63), ``fss7_mean`` the mean of items 3-9 (FSS-7, no validated cut-off). ``fss_fatigued`` is
``fss_mean >= 4`` (option ``fss={"cutoff": 5}`` for the stricter cut-off also in use).
Strict missing rule: one missing item makes every score that needs it missing.
"""

from __future__ import annotations

from msrelax_stats.instruments._references import ROONEY_2019
from msrelax_stats.instruments.spec import (
    Cutoff,
    InstrumentSpec,
    Reference,
    Score,
    numbered,
    pick,
)

__all__ = ["FSS"]

FSS = InstrumentSpec(
    name="fss",
    title="Fatigue Severity Scale",
    items=numbered(9),
    item_min=1,
    item_max=7,
    scores=(
        Score(
            "fss_mean",
            numbered(9),
            "mean",
            "FSS mean",
            mcid=0.45,
            mcid_source="Rooney 2019 (MS)",
        ),
        Score("fss_sum", numbered(9), "sum", "FSS sum", outcome=False, role="subscale"),
        Score("fss7_mean", pick(3, 4, 5, 6, 7, 8, 9), "mean", "FSS-7 mean", short_form=True),
    ),
    cutoffs=(Cutoff("fss_fatigued", "fss_mean", 4.0, ">=", "fatigued", "Krupp 1989"),),
    references=(
        Reference(
            "Krupp 1989",
            "Krupp LB, LaRocca NG, Muir-Nash J, Steinberg AD. The fatigue severity scale. "
            "Application to patients with multiple sclerosis and systemic lupus "
            "erythematosus. Arch Neurol. 1989;46(10):1121-1123.",
        ),
        Reference(
            "Lerdal 2010",
            "Lerdal A, Johansson S, Kottorp A, von Koch L. Psychometric properties of the "
            "Fatigue Severity Scale: Rasch analyses of responses in a Norwegian and a Swedish "
            "MS cohort. Mult Scler. 2010;16(6):733-741.",
        ),
        ROONEY_2019,
    ),
    rule_text=(
        "fatigue with the Fatigue Severity Scale (FSS; Krupp 1989) as the mean of its nine "
        "items (1-7, higher = more fatigue), an FSS mean of {fss_fatigued} or more taken as "
        "fatigue"
    ),
    licence="Free for non-commercial research use; msrelax_stats ships no item text.",
)
