"""Cell parsers (data/values.py) against the accepted forms listed in INSTRUMENTS.md."""

import datetime

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.data.times import (
    clock_minutes,
    is_canonical_clock,
    parse_clock_times,
    parse_hours,
)
from msrelax_stats.data.values import parse_numbers, parse_text


def test_numbers_in_every_accepted_form():
    cells = pd.Series(["6", " 6.5 ", "6,5", 7, 7.25, "30-60", "6-7", None, "", "NA", "."],
                      dtype=object)  # fmt: skip
    parsed = parse_numbers(cells, column="psqi_2")
    expected = [6, 6.5, 6.5, 7, 7.25, 45, 6.5, np.nan, np.nan, np.nan, np.nan]
    np.testing.assert_array_equal(parsed.values.to_numpy(), expected)
    assert parsed.values.dtype == "float64"
    assert parsed.problems == []
    # Two range answers: noted with their midpoints.
    assert [(n.value, n.message) for n in parsed.notes] == [
        ("30-60", "is a range, scored at its midpoint 45"),
        ("6-7", "is a range, scored at its midpoint 6.5"),
    ]


def test_unreadable_numbers_are_located_problems():
    cells = pd.Series(["abc", "6.5.1", "inf", 3])
    ids, visits = pd.Series(["a", "b", "c", "d"]), pd.Series(["pre", "pre", "post", "post"])
    parsed = parse_numbers(cells, column="fss_1", participants=ids, visits=visits)
    assert np.isnan(parsed.values[:3]).all() and parsed.values[3] == 3
    assert [(p.participant, p.visit, p.column, p.value) for p in parsed.problems] == [
        ("a", "pre", "fss_1", "abc"),
        ("b", "pre", "fss_1", "6.5.1"),
        ("c", "post", "fss_1", "inf"),
    ]
    assert (
        str(parsed.problems[0])
        == "participant a, visit pre, column fss_1: value 'abc' is not a number"
    )


def test_numeric_column_passes_through():
    parsed = parse_numbers(pd.Series([1, 2, None], dtype="Int64"))
    assert parsed.values.tolist()[:2] == [1.0, 2.0] and np.isnan(parsed.values[2])


@pytest.mark.parametrize(
    ("cell", "canonical"),
    [
        ("23:30", "23:30"),
        ("7:05", "07:05"),
        ("23:30:00", "23:30"),
        ("11:30 PM", "23:30"),
        ("11:30 am", "11:30"),
        ("11pm", "23:00"),
        ("12am", "00:00"),
        ("12 p.m.", "12:00"),
        ("2330", "23:30"),
        ("0730", "07:30"),
        ("730", "07:30"),
        ("24:00", "00:00"),
        (2330, "23:30"),
        (datetime.time(23, 30), "23:30"),
        (datetime.datetime(2024, 3, 1, 6, 45), "06:45"),
        (datetime.time(6, 44, 40), "06:45"),  # seconds round to the nearest minute
    ],
)
def test_clock_time_forms(cell, canonical):
    parsed = parse_clock_times(pd.Series([cell], dtype=object))
    assert parsed.values.tolist() == [canonical]
    assert parsed.problems == []


@pytest.mark.parametrize("cell", ["25:61", "24:30", "23:60", "13pm", "0am", "23", "soon", "2360"])
def test_invalid_clock_times_are_problems(cell):
    parsed = parse_clock_times(pd.Series([cell]), column="psqi_1")
    assert pd.isna(parsed.values[0])
    assert [p.message for p in parsed.problems] == ["is not a clock time"]


def test_clock_columns_of_datetime_and_number_dtypes():
    stamps = pd.Series(pd.to_datetime(["2024-01-01 23:30", None]))
    assert parse_clock_times(stamps).values.tolist()[0] == "23:30"
    numbers = parse_clock_times(pd.Series([2330, 715, 99]))
    assert numbers.values.tolist()[:2] == ["23:30", "07:15"]
    assert len(numbers.problems) == 1  # 99 is not HHMM


def test_clock_minutes_of_canonical_text():
    np.testing.assert_array_equal(clock_minutes(pd.Series(["23:30", "00:05", None])),
                                  [1410, 5, np.nan])  # fmt: skip


def test_hours_forms_and_bounds():
    cells = pd.Series(["6.5", "6,5", "6:30", "6-7", 7, "0", "24", "25", "-1", "6:75", "x"])
    parsed = parse_hours(cells, column="psqi_4")
    assert parsed.values.tolist()[:7] == [6.5, 6.5, 6.5, 6.5, 7, 0, 24]
    assert np.isnan(parsed.values[7:]).all()
    assert [(p.value, p.message) for p in parsed.problems] == [
        ("6:75", "is not a number of hours"),
        ("x", "is not a number of hours"),
        ("25", "is outside 0-24 hours"),
        ("-1", "is outside 0-24 hours"),
    ]
    assert [n.value for n in parsed.notes] == ["6-7"]


def test_text_blank_is_missing():
    assert parse_text(pd.Series([" leg cramps ", "  ", None])).values.tolist()[0] == "leg cramps"
    assert parse_text(pd.Series(["  "])).values.isna().all()


def test_canonical_clock_only_for_what_the_parser_returns_unchanged():
    # canonical form (architecture.md): object "HH:MM", 00:00-23:59, NaN when missing
    assert is_canonical_clock(pd.Series(["23:30", "07:05", np.nan], dtype=object))
    assert is_canonical_clock(pd.Series([np.nan, None], dtype=object))
    for other in (["7:05"], ["23:30:00"], [" 23:30"], ["24:00"], ["23:60"], ["11pm"], ["NA"],
                  [2330], [datetime.time(23, 30)]):  # fmt: skip
        cells = pd.Series(other, dtype=object)
        assert not is_canonical_clock(cells), other
        # each of these differs from, or is a problem in, what parse_clock_times returns
        parsed = parse_clock_times(cells)
        assert parsed.problems or parsed.values.tolist() != other
    assert not is_canonical_clock(pd.Series(["23:30"], dtype="string"))  # object dtype only


def test_repeated_texts_are_parsed_once_but_every_bad_cell_is_located():
    cells = pd.Series(["6", "x", " 6 ", "x", "30-60", "30-60", None, "6"] * 3, dtype=object)
    ids = pd.Series([f"P{i}" for i in range(len(cells))])
    parsed = parse_numbers(cells, column="psqi_2", participants=ids)
    expected = [6, np.nan, 6, np.nan, 45, 45, np.nan, 6] * 3
    np.testing.assert_array_equal(parsed.values.to_numpy(), expected)
    assert [p.participant for p in parsed.problems] == [
        f"P{i}" for i in range(len(cells)) if cells[i] == "x"
    ]
    assert [n.participant for n in parsed.notes] == [
        f"P{i}" for i in range(len(cells)) if cells[i] == "30-60"
    ]


def test_true_and_one_are_read_apart_in_a_column_of_objects():
    # True == 1 == 1.0 in Python: a table of distinct values must not merge them
    parsed = parse_numbers(pd.Series([1, True, 1.0, "1"], dtype=object), column="fss_1")
    assert parsed.values.tolist()[0] == 1.0 and parsed.values.tolist()[2:] == [1.0, 1.0]
    assert np.isnan(parsed.values.iloc[1])
    assert [(p.value, p.message) for p in parsed.problems] == [(True, "is not a number")]


@pytest.mark.parametrize(
    ("cell", "minutes"),
    [("6.5 hrs", 390.0), ("7 hours", 420.0), ("7h", 420.0), ("about 30 min", 30.0),
     ("~45 mins", 45.0), ("1 hr 15 min", 75.0), ("half an hour", 30.0), ("6,5 h", 390.0),
     ("approx. 20 minutes", 20.0)],
)  # fmt: skip
def test_durations_with_units(cell, minutes):
    from msrelax_stats.data.times import duration_minutes, parse_minutes

    assert duration_minutes(cell) == minutes
    hours = parse_hours(pd.Series([cell]), column="psqi_4")
    assert hours.values.tolist() == [minutes / 60] and not hours.problems
    assert hours.notes[0].message == f"is a duration with a unit, read as {minutes / 60:g} hours"
    read = parse_minutes(pd.Series([cell, "20"]), column="psqi_2")
    assert read.values.tolist() == [minutes, 20.0] and len(read.notes) == 1


@pytest.mark.parametrize("cell", ["a while", "30 sec", "hours", "6.5 days", "1 hr 15"])
def test_other_text_stays_an_error(cell):
    from msrelax_stats.data.times import parse_minutes

    assert parse_hours(pd.Series([cell])).problems[0].message == "is not a number of hours"
    assert parse_minutes(pd.Series([cell])).problems[0].message == "is not a number"
