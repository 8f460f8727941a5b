"""FSMC - Fatigue Scale for Motor and Cognitive Functions (Penner 2009).

Twenty items 1-5. ``fsmc_cognitive`` = items 1, 4, 7, 8, 11, 13, 15, 17, 18, 20 and
``fsmc_motor`` = items 2, 3, 5, 6, 9, 10, 12, 14, 16, 19 (10-50 each); ``fsmc_total`` (20-100).
Grades (``none`` below the first cut-off): total >= 43 mild, >= 53 moderate, >= 63 severe;
cognitive >= 22 / 28 / 34; motor >= 22 / 27 / 32. Strict missing rule.
"""

from __future__ import annotations

from msrelax_stats.instruments.spec import Bands, InstrumentSpec, Reference, Score, numbered, pick

__all__ = ["FSMC"]

_GRADES = ("none", "mild", "moderate", "severe")

FSMC = InstrumentSpec(
    name="fsmc",
    title="Fatigue Scale for Motor and Cognitive Functions",
    items=numbered(20),
    item_min=1,
    item_max=5,
    scores=(
        Score("fsmc_total", numbered(20), label="FSMC total"),
        Score(
            "fsmc_motor",
            pick(2, 3, 5, 6, 9, 10, 12, 14, 16, 19),
            label="FSMC motor",
            role="subscale",
        ),
        Score(
            "fsmc_cognitive",
            pick(1, 4, 7, 8, 11, 13, 15, 17, 18, 20),
            label="FSMC cognitive",
            role="subscale",
        ),
    ),
    bands=(
        Bands("fsmc_total_grade", "fsmc_total", (20, 43, 53, 63), _GRADES),
        Bands("fsmc_motor_grade", "fsmc_motor", (10, 22, 27, 32), _GRADES),
        Bands("fsmc_cognitive_grade", "fsmc_cognitive", (10, 22, 28, 34), _GRADES),
    ),
    references=(
        Reference(
            "Penner 2009",
            "Penner IK, Raselli C, Stocklin M, Opwis K, Kappos L, Calabrese P. The Fatigue "
            "Scale for Motor and Cognitive Functions (FSMC): validation of a new instrument to "
            "assess multiple sclerosis-related fatigue. Mult Scler. 2009;15(12):1509-1517.",
        ),
    ),
    rule_text=(
        "motor and cognitive fatigue with the Fatigue Scale for Motor and Cognitive Functions "
        "(FSMC; Penner 2009) as its total (20-100) and motor and cognitive subscales (10-50; "
        "items 1-5, higher = more fatigue; total 43 or more mild, 53 moderate, 63 severe)"
    ),
    licence="Copyright I. K. Penner; ask the authors before commercial use.",
)
