"""Property tests (hypothesis) of the engine and the PSQI scorer.

For every built-in sum/mean instrument and any answers within the item ranges, with any
pattern of missing answers: a score is never outside the instrument's range, and it is a
number exactly when the missing rule allows one. For the PSQI, components are 0-3, the global
is 0-21 and is missing whenever a component is, and C4 agrees with an exact rational
(fractions.Fraction) computation of the efficiency.
"""

from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from msrelax_stats.instruments.engine import score_spec
from msrelax_stats.instruments.psqi import PSQI, score_psqi
from msrelax_stats.instruments.registry import instrument_spec

ENGINE_INSTRUMENTS = ["fss", "mfis", "ess", "isi", "hads", "fsmc"]


@st.composite
def answers(draw):
    spec = instrument_spec(draw(st.sampled_from(ENGINE_INSTRUMENTS)))
    k = draw(st.integers(0, 2))
    cell = st.one_of(st.none(), st.integers(int(spec.item_min), int(spec.item_max)))
    rows = draw(st.lists(st.lists(cell, min_size=len(spec.items), max_size=len(spec.items)),
                         min_size=1, max_size=8))  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(spec.item_columns), dtype="float64")
    return spec.with_options(max_missing=k), frame


@settings(max_examples=50, derandomize=True, deadline=None)
@given(answers())
def test_engine_scores_within_range_and_missing_exactly_when_the_rule_says(case):
    spec, frame = case
    out = score_spec(frame, spec)
    for score in spec.scores:
        values = out[score.name]
        low, high = spec.score_range(score)
        n_missing = frame[[spec.column(i) for i in score.items]].isna().sum(axis=1).to_numpy()
        allowed = spec.max_missing if score.max_missing is None else score.max_missing
        should_be_missing = (n_missing > allowed) | (n_missing == len(score.items))
        np.testing.assert_array_equal(np.isnan(values), should_be_missing)
        present = values[~np.isnan(values)]
        assert ((present >= low) & (present <= high)).all()
    for cutoff in spec.cutoffs:
        flags = out[cutoff.name]
        np.testing.assert_array_equal(flags.isna(), np.isnan(out[cutoff.score]))


clock = st.one_of(st.none(), st.integers(0, 1439))
item = st.one_of(st.none(), st.integers(0, 3))


@st.composite
def psqi_rows(draw):
    n = draw(st.integers(1, 6))
    rows = []
    for _ in range(n):
        row = {
            "bed": draw(clock),
            "rise": draw(clock),
            "latency": draw(st.one_of(st.none(), st.integers(0, 240))),
            "asleep_min": draw(st.one_of(st.none(), st.integers(0, 24 * 60))),
        }
        for name in ["psqi_5a", *[f"psqi_5{c}" for c in "bcdefghij"], "psqi_6", "psqi_7",
                     "psqi_8", "psqi_9"]:  # fmt: skip
            row[name] = draw(item)
        rows.append(row)
    with_text = draw(st.booleans())
    return rows, with_text


def to_frame(rows, with_text):
    def hhmm(m):
        return None if m is None else f"{m // 60:02d}:{m % 60:02d}"

    frame = pd.DataFrame(
        {
            "psqi_1": pd.Series([hhmm(r["bed"]) for r in rows], dtype=object),
            "psqi_2": [r["latency"] for r in rows],
            "psqi_3": pd.Series([hhmm(r["rise"]) for r in rows], dtype=object),
            "psqi_4": [None if r["asleep_min"] is None else r["asleep_min"] / 60 for r in rows],
            **{k: [r[k] for r in rows] for k in rows[0] if k.startswith("psqi_")},
        }
    )
    frame = frame.astype({c: "float64" for c in frame.columns if c not in ("psqi_1", "psqi_3")})
    if with_text:
        frame["psqi_5j_text"] = pd.Series(["cramps", None] * len(rows), dtype=object)[: len(rows)]
    return frame


def exact_c4(row):
    """C4 from Fraction arithmetic (independent of the scorer's integer scaling)."""
    if row["bed"] is None or row["rise"] is None or row["asleep_min"] is None:
        return None
    in_bed = (row["rise"] - row["bed"]) % 1440
    if in_bed == 0:
        return None
    efficiency = Fraction(100 * row["asleep_min"], in_bed)
    return 0 if efficiency >= 85 else 1 if efficiency >= 75 else 2 if efficiency >= 65 else 3


@settings(max_examples=50, derandomize=True, deadline=None)
@given(psqi_rows())
def test_psqi_components_and_global_in_range_and_exact(case):
    rows, with_text = case
    out = score_psqi(to_frame(rows, with_text), PSQI)
    components = np.column_stack([out[f"psqi_c{i}"] for i in range(1, 8)])
    present = components[~np.isnan(components)]
    assert np.isin(present, [0, 1, 2, 3]).all()
    global_ = out["psqi_global"]
    np.testing.assert_array_equal(np.isnan(global_), np.isnan(components).any(axis=1))
    assert ((global_[~np.isnan(global_)] >= 0) & (global_[~np.isnan(global_)] <= 21)).all()
    for i, row in enumerate(rows):
        expected = exact_c4(row)
        got = out["psqi_c4"][i]
        assert np.isnan(got) if expected is None else got == expected, (row, got, expected)
