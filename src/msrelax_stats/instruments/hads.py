"""HADS - Hospital Anxiety and Depression Scale (Zigmond and Snaith 1983).

Fourteen items, each entered as the score printed on the form (0-3), so nothing is reversed at
scoring. ``hads_anxiety`` = odd items, ``hads_depression`` = even items (0-21 each); bands
0-7 normal, 8-10 borderline, 11-21 abnormal. Missing items: at most one per subscale is replaced
by the mean of the answered items of that subscale (prorated: 7/6 x sum of six items), the
common practice, on by default for HADS only (``hads={"max_missing": 0}`` for strict).
Files coded by endorsement (0 = not at all for every item) use
``hads={"input_coding": "endorsement"}``, which reverses items 2, 4, 6, 7, 12 and 14.
"""

from __future__ import annotations

from msrelax_stats.instruments.spec import Bands, InstrumentSpec, Reference, Score, numbered, pick

__all__ = ["HADS"]

_BANDS = ((0, 8, 11), ("normal", "borderline", "abnormal"))

HADS = InstrumentSpec(
    name="hads",
    title="Hospital Anxiety and Depression Scale",
    items=numbered(14),
    item_min=0,
    item_max=3,
    scores=(
        Score("hads_anxiety", pick(1, 3, 5, 7, 9, 11, 13), label="HADS anxiety"),
        Score("hads_depression", pick(2, 4, 6, 8, 10, 12, 14), label="HADS depression"),
    ),
    bands=(
        Bands("hads_anxiety_band", "hads_anxiety", *_BANDS),
        Bands("hads_depression_band", "hads_depression", *_BANDS),
    ),
    max_missing=1,
    recodings={"endorsement": pick(2, 4, 6, 7, 12, 14)},
    references=(
        Reference(
            "Zigmond 1983",
            "Zigmond AS, Snaith RP. The hospital anxiety and depression scale. Acta Psychiatr "
            "Scand. 1983;67(6):361-370.",
        ),
    ),
    rule_text=(
        "anxiety and depression with the Hospital Anxiety and Depression Scale (HADS; Zigmond "
        "1983) as the sums of its odd (anxiety) and even (depression) items (0-3; 0-21 each, "
        "higher = worse; 0-7 normal, 8-10 borderline, 11-21 abnormal)"
    ),
    licence="Copyright R. P. Snaith and A. S. Zigmond; licensed through GL Assessment.",
)
