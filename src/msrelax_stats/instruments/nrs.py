"""NRS - 0-10 numeric rating scales (``nrs_spasticity``, ``nrs_pain``, any ``nrs_<name>``).

Each ``nrs_<name>`` column is one rating (0 = none, 10 = worst imaginable), analysed as a
continuous outcome as it is. A 30 % reduction is the usual responder threshold (Farrar 2001;
the 0-10 spasticity NRS is the usual MS trial endpoint).
"""

from __future__ import annotations

from msrelax_stats.instruments.spec import InstrumentSpec, Score

__all__ = ["NRS"]

NRS = InstrumentSpec(
    name="nrs",
    title="0-10 numeric rating scale",
    items=(),
    item_min=0,
    item_max=10,
    dynamic_items=True,
    scores=(
        Score(
            "nrs",
            (),
            label="NRS",
            mcid=30.0,
            mcid_kind="percent",
            mcid_source=(
                "30 % reduction, the usual responder threshold for 0-10 ratings "
                "(Farrar 2001; 0-10 spasticity NRS in MS trials)"
            ),
        ),
    ),
    citation=(
        "Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of "
        "changes in chronic pain intensity measured on an 11-point numerical pain rating "
        "scale. Pain. 2001;94(2):149-158."
    ),
    rule_text=(
        "Spasticity and pain were rated on 0-10 numeric rating scales (NRS; higher = worse), "
        "analysed as continuous outcomes; a 30 % reduction defined a responder."
    ),
    licence="Generic rating scale; free to use.",
)
