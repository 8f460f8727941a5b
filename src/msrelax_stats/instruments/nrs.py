"""NRS - 0-10 numeric rating scales (``nrs_spasticity``, ``nrs_pain``, any ``nrs_<name>``).

Each ``nrs_<name>`` column is one rating (0 = none, 10 = worst imaginable), analysed as a
continuous outcome as it is. A 30 % reduction is the usual responder threshold: for the 0-10
spasticity NRS, the usual MS trial endpoint, Farrar 2008 (spasticity); for pain, Farrar 2001.
"""

from __future__ import annotations

from msrelax_stats.instruments.spec import InstrumentSpec, Reference, Score

__all__ = ["NRS"]

_RESPONDER = {"mcid": 30.0, "mcid_kind": "percent"}

NRS = InstrumentSpec(
    name="nrs",
    title="0-10 numeric rating scale",
    items=(),
    item_min=0,
    check_coding=False,
    item_max=10,
    dynamic_items=True,
    scores=(  # the first is the template of any nrs_<name>; named ones carry their source
        Score(
            "nrs",
            (),
            label="NRS",
            mcid_source="usual responder threshold of 0-10 ratings",
            **_RESPONDER,
        ),  # fmt: skip
        Score(
            "nrs_spasticity",
            (),
            label="NRS spasticity",
            mcid_source="Farrar 2008 (spasticity, MS)",
            **_RESPONDER,
        ),  # fmt: skip
        Score("nrs_pain", (), label="NRS pain", mcid_source="Farrar 2001 (pain)", **_RESPONDER),
    ),
    references=(
        Reference(
            "Farrar 2008",
            "Farrar JT, Troxel AB, Stott C, Duncombe P, Jensen MP. Validity, reliability, and "
            "clinical importance of change in a 0-10 numeric rating scale measure of "
            "spasticity: a post hoc analysis of a randomized, double-blind, placebo-controlled "
            "trial. Clin Ther. 2008;30(5):974-985.",
        ),
        Reference(
            "Farrar 2001",
            "Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of "
            "changes in chronic pain intensity measured on an 11-point numerical pain rating "
            "scale. Pain. 2001;94(2):149-158.",
        ),
    ),
    rule_text=(
        "0-10 numeric rating scales (NRS; 0 none, 10 worst, higher = worse; the spasticity "
        "NRS: Farrar 2008) as continuous outcomes"
    ),
    licence="Generic rating scale; free to use.",
)
