"""MFIS - Modified Fatigue Impact Scale (21 items, 0-4) and its 5-item form MFIS-5.

Subscales (Multiple Sclerosis Council 1998): physical = items 4, 6, 7, 10, 13, 14, 17, 20, 21
(0-36); cognitive = items 1, 2, 3, 5, 11, 12, 15, 16, 18, 19 (0-40); psychosocial = items 8, 9
(0-8); total = all 21 (0-84). MFIS-5 = items 1, 9, 10, 17, 19 (0-20); a file holding only
these five columns is scored as MFIS-5 alone. ``mfis_fatigued`` is ``mfis_total >= 38``
(Flachenecker 2002; option ``mfis={"cutoff": ...}``). Strict missing rule.
"""

from __future__ import annotations

from msrelax_stats.instruments._references import ROONEY_2019
from msrelax_stats.instruments.spec import Cutoff, InstrumentSpec, Reference, Score, numbered, pick

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
        Score(
            "mfis_physical",
            pick(4, 6, 7, 10, 13, 14, 17, 20, 21),
            label="MFIS physical",
            role="subscale",
        ),
        Score(
            "mfis_cognitive",
            pick(1, 2, 3, 5, 11, 12, 15, 16, 18, 19),
            label="MFIS cognitive",
            role="subscale",
        ),
        Score("mfis_psychosocial", pick(8, 9), label="MFIS psychosocial", role="subscale"),
        Score(
            "mfis5_total",
            pick(1, 9, 10, 17, 19),
            label="MFIS-5 total",
            short_form=True,
        ),
    ),
    cutoffs=(Cutoff("mfis_fatigued", "mfis_total", 38.0, ">=", "fatigued", "Flachenecker 2002"),),
    references=(
        Reference(
            "MS Council 1998",
            "Multiple Sclerosis Council for Clinical Practice Guidelines. Fatigue and multiple "
            "sclerosis: evidence-based management strategies for fatigue in multiple "
            "sclerosis. Washington, DC: Paralyzed Veterans of America; 1998.",
        ),
        Reference(
            "Flachenecker 2002",
            "Flachenecker P, Kumpfel T, Kallmann B, Gottschalk M, Grauer O, Rieckmann P, "
            "Trenkwalder C, Toyka KV. Fatigue in multiple sclerosis: a comparison of "
            "different rating scales and correlation to clinical parameters. Mult Scler. "
            "2002;8(6):523-526.",
        ),
        ROONEY_2019,
    ),
    rule_text=(
        "fatigue impact with the Modified Fatigue Impact Scale (MFIS; MS Council 1998) as its "
        "total (0-84) and physical (0-36), cognitive (0-40) and psychosocial (0-8) subscales "
        "(items 0-4, higher = more impact), a total of {mfis_fatigued} or more taken as "
        "fatigue (Flachenecker 2002)"
    ),
    licence="Published by the Paralyzed Veterans of America; free to use.",
)
