"""The generic engine and score() (instruments/engine.py, spec.py, scoring.py).

A small custom instrument, worked by hand, exercises every rule of the engine: reverse keys,
sum and mean, strict missing, proration, cut-off with ">" and ">=", bands, flags, counts.
"""

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.errors import StudyDataError
from msrelax_stats.instruments import load_instrument, outcome_columns, score
from msrelax_stats.instruments.registry import registry_of

SLEEPY = {
    "name": "sleepy",
    "title": "Sleepiness diary",
    "items": 4,
    "min": 0,
    "max": 4,
    "reverse": [2],
    "scores": [
        {"name": "sleepy_total", "method": "sum", "label": "Sleepy total"},
        {"name": "sleepy_mean_ab", "method": "mean", "items": [1, 2], "max_missing": 1},
    ],
    "cutoffs": [{"name": "sleepy_case", "score": "sleepy_total", "op": ">", "value": 8}],
    "bands": [
        {"name": "sleepy_band", "score": "sleepy_total", "lower": [0, 5, 10],
         "labels": ["low", "medium", "high"]}
    ],
}  # fmt: skip

TOML = """
name = "sleepy"
title = "Sleepiness diary"
items = 4
min = 0
max = 4
reverse = [2]
[[scores]]
name = "sleepy_total"
method = "sum"
label = "Sleepy total"
[[scores]]
name = "sleepy_mean_ab"
method = "mean"
items = [1, 2]
max_missing = 1
[[cutoffs]]
name = "sleepy_case"
score = "sleepy_total"
op = ">"
value = 8
[[bands]]
name = "sleepy_band"
score = "sleepy_total"
lower = [0, 5, 10]
labels = ["low", "medium", "high"]
"""

ROWS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d"],
        "time": ["pre"] * 4,
        "sleepy_1": [0, 4, 2, None],
        "sleepy_2": [4, 0, None, 1],
        "sleepy_3": [0, 4, 3, 2],
        "sleepy_4": [0, 4, 3, 2],
    }
)


def check_sleepy(out):
    # Item 2 reversed: 4 - answer. a: 0 + 0 + 0 + 0 = 0; b: 4 + 4 + 4 + 4 = 16;
    # c: item 2 missing -> total missing (strict); d: item 1 missing -> total missing.
    np.testing.assert_array_equal(out["sleepy_total"], [0, 16, np.nan, np.nan])
    # Mean of items 1-2 with one missing allowed: a (0+0)/2 = 0, b (4+4)/2 = 4, c 2, d 3.
    np.testing.assert_array_equal(out["sleepy_mean_ab"], [0, 4, 2, 3])
    assert out["sleepy_case"].tolist() == [False, True, pd.NA, pd.NA]
    assert out["sleepy_band"].tolist()[:2] == ["low", "high"]
    assert out["sleepy_n_answered"].tolist() == [4, 4, 3, 3]
    assert out["sleepy_flags"].tolist() == [
        "",
        "",
        "missing:sleepy_2;prorated:sleepy_mean_ab",
        "missing:sleepy_1;prorated:sleepy_mean_ab",
    ]


def test_custom_instrument_from_dict():
    check_sleepy(score(ROWS, SLEEPY))


def test_custom_instrument_from_toml(tmp_path):
    path = tmp_path / "sleepy.toml"
    path.write_text(TOML, encoding="utf-8")
    spec = load_instrument(path)
    assert spec == load_instrument(SLEEPY)
    out = score(ROWS, str(path))
    check_sleepy(out)
    assert registry_of(out).outcome_columns(out.columns) == ["sleepy_total", "sleepy_mean_ab"]


def test_custom_instrument_is_known_to_its_table_only():
    """Issue 14: score(custom=...) must not register the instrument for the whole process."""
    out = score(ROWS, custom=SLEEPY)
    assert registry_of(out).outcome_info("sleepy_total").instrument == "SLEEPY"
    assert outcome_columns(out.columns) == []  # the built-in registry is untouched
    assert registry_of(ROWS).outcome_columns(out.columns) == []


def test_custom_instrument_next_to_builtins():
    frame = ROWS.assign(**{f"ess_{i}": 1 for i in range(1, 9)})
    out = score(frame, custom=SLEEPY)
    assert out["ess_total"].tolist() == [8] * 4
    check_sleepy(out)


def test_band_and_cutoff_edges_of_custom_instrument():
    # Totals 4, 5, 8, 9, 10 (item 2 answered 4 -> reversed 0).
    totals = [4, 5, 8, 9, 10]
    frame = pd.DataFrame(
        {
            "sleepy_1": [min(4, t) for t in totals],
            "sleepy_2": [4] * 5,
            "sleepy_3": [max(0, min(4, t - 4)) for t in totals],
            "sleepy_4": [max(0, t - 8) for t in totals],
        }
    )
    out = score(frame, SLEEPY)
    assert out["sleepy_total"].tolist() == totals
    assert out["sleepy_band"].tolist() == ["low", "medium", "medium", "medium", "high"]
    assert out["sleepy_case"].tolist() == [False, False, False, True, True]  # > 8


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"items": 0}, "need an identifier name"),
        ({"min": 4}, "min < max"),
        ({"reverse": [9]}, "reverse lists unknown items"),
        ({"cutoffs": [{"name": "c", "score": "nope", "value": 1}]}, "unknown score"),
        ({"scores": [{"name": "s", "method": "median"}]}, "method must be"),
        ({"bands": [{"name": "b", "score": "sleepy_total", "lower": [0], "labels": []}]},
         "as many lower bounds"),
    ],
)  # fmt: skip
def test_invalid_custom_instruments(change, message):
    with pytest.raises(ValueError, match=message):
        load_instrument({**SLEEPY, **change})


def test_raw_text_answers_are_parsed_and_attrs_kept():
    frame = pd.DataFrame({"id": ["1"], "time": ["pre"], **{f"ess_{i}": ["2"] for i in range(1, 9)}})
    frame.attrs["msrelax"] = {"source": "x.csv", "notes": []}
    out = score(frame)
    assert out.loc[0, "ess_total"] == 16
    assert out.attrs["msrelax"]["source"] == "x.csv"
    assert frame["ess_1"].tolist() == ["2"]  # the input is not modified


def test_scoring_twice_gives_the_same_table():
    once = score(ROWS, SLEEPY)
    twice = score(once, SLEEPY)
    pd.testing.assert_frame_equal(once, twice)


def test_all_problems_reported_at_once():
    frame = ROWS.assign(sleepy_1=[9, "x", 1, 1], sleepy_3=[-1, 0, 0, 0])
    with pytest.raises(StudyDataError) as caught:
        score(frame, SLEEPY)
    found = sorted((p.participant, p.column, str(p.value)) for p in caught.value.problems)
    assert found == [("a", "sleepy_1", "9"), ("a", "sleepy_3", "-1"), ("b", "sleepy_1", "x")]


def test_requested_instrument_without_columns_is_an_input_error():
    with pytest.raises(StudyDataError, match="fss_"):
        score(ROWS, ["fss"])


def test_options_go_per_instrument():
    with pytest.raises(TypeError, match="per instrument"):
        score(ROWS, SLEEPY, duration_rule="paper")
    with pytest.raises(TypeError, match="unknown option"):
        score(ROWS, SLEEPY, sleepy={"cut": 3})
