"""MFIS - Modified Fatigue Impact Scale (21 items, 0-4) and its 5-item form MFIS-5.

Subscales (Multiple Sclerosis Council 1998): physical = items 4, 6, 7, 10, 13, 14, 17, 20, 21
(0-36); cognitive = items 1, 2, 3, 5, 11, 12, 15, 16, 18, 19 (0-40); psychosocial = items 8, 9
(0-8); total = all 21 (0-84). MFIS-5 = items 1, 9, 10, 17, 19 (0-20); a file holding only
these five columns is scored as MFIS-5 alone. ``mfis_fatigued`` is ``mfis_total >= 38``
(Flachenecker 2002; option ``mfis={"cutoff": ...}``). Strict missing rule.
"""

from __future__ import annotations

from msrelax_stats.instruments.spec import Cutoff, InstrumentSpec, Score, numbered, pick

__all__ = ["MFIS"]

MFIS = InstrumentSpec(
    name="mfis",
    title="Modified Fatigue Impact Scale",
    items=numbered(21),
    item_min=0,
    item_max=4,
    scores=(
        Score(
            "mfis_total",
            numbered(21),
            label="MFIS total",
            mcid=4.0,
            mcid_source="Rooney 2019 (MS)",
        ),
        Score("mfis_physical", pick(4, 6, 7, 10, 13, 14, 17, 20, 21), label="MFIS physical"),
        Score(
            "mfis_cognitive",
            pick(1, 2, 3, 5, 11, 12, 15, 16, 18, 19),
            label="MFIS cognitive",
        ),
        Score("mfis_psychosocial", pick(8, 9), label="MFIS psychosocial"),
        Score(
            "mfis5_total",
            pick(1, 9, 10, 17, 19),
            label="MFIS-5 total",
            short_form=True,
        ),
    ),
    cutoffs=(Cutoff("mfis_fatigued", "mfis_total", 38.0, ">=", "fatigue (MFIS total >= 38)"),),
    citation=(
        "Multiple Sclerosis Council for Clinical Practice Guidelines. Fatigue and multiple "
        "sclerosis: evidence-based management strategies for fatigue in multiple sclerosis. "
        "Washington, DC: Paralyzed Veterans of America; 1998. Cut-off 38: Flachenecker P, "
        "et al. Mult Scler. 2002;8(6):523-526."
    ),
    rule_text=(
        "Fatigue impact was measured with the Modified Fatigue Impact Scale (MFIS; 21 items "
        "scored 0-4; total 0-84 with physical 0-36, cognitive 0-40 and psychosocial 0-8 "
        "subscales; higher = more impact; total >= 38 taken as fatigue); a score with any "
        "missing item was not computed."
    ),
    licence="Published by the Paralyzed Veterans of America; free to use.",
)
