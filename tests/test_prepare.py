"""prepare_items (instruments/prepare.py): canonical dtypes, range checks, located problems."""

import numpy as np
import pandas as pd

from msrelax_stats.instruments import prepare_items


def raw():
    return pd.DataFrame(
        {
            "id": ["001", "002"],
            "time": pd.Categorical(["pre", "post"], categories=["pre", "post"], ordered=True),
            "age": [50, 61],
            "fss_1": ["4", "6,0"],
            "psqi_1": ["11:30 PM", "2330"],
            "psqi_2": ["30-60", "10"],
            "psqi_4": ["6:30", 7],
            "psqi_5j_text": ["  ", "cramps"],
        }
    )


def test_canonical_dtypes_and_notes():
    table, problems, notes = prepare_items(raw())
    assert problems == []
    assert table["fss_1"].dtype == "float64" and table["fss_1"].tolist() == [4, 6]
    assert table["psqi_1"].tolist() == ["23:30", "23:30"]
    assert table["psqi_2"].tolist() == [45, 10]
    assert table["psqi_4"].tolist() == [6.5, 7]
    assert pd.isna(table.loc[0, "psqi_5j_text"]) and table.loc[1, "psqi_5j_text"] == "cramps"
    assert table["age"].tolist() == [50, 61]  # unknown columns untouched
    assert [(n.participant, n.visit, n.column, n.value) for n in notes] == [
        ("001", "pre", "psqi_2", "30-60")
    ]


def test_idempotent():
    once, _, _ = prepare_items(raw())
    twice, problems, notes = prepare_items(once)
    pd.testing.assert_frame_equal(once, twice)
    assert problems == [] and notes == []


def test_out_of_range_problems_name_participant_visit_column_value():
    frame = raw().assign(fss_1=["8", "0"], psqi_2=["-5", "10"], psqi_4=["25", "6"])
    table, problems, _ = prepare_items(frame)
    texts = sorted(str(p) for p in problems)
    assert texts == [
        "participant 001, visit pre, column fss_1: value '8' is outside 1-7",
        "participant 001, visit pre, column psqi_2: value '-5' is below 0 minutes",
        "participant 001, visit pre, column psqi_4: value '25' is outside 0-24 hours",
        "participant 002, visit post, column fss_1: value '0' is outside 1-7",
    ]
    assert np.isnan(table.loc[0, "fss_1"])


def test_already_scored_columns_are_range_checked():
    frame = pd.DataFrame({"id": ["1", "2"], "psqi_global": [22, "7"], "mfis_total": [84, 85]})
    table, problems, _ = prepare_items(frame)
    assert sorted((p.participant, p.column, p.message) for p in problems) == [
        ("1", "psqi_global", "is outside 0-21"),
        ("2", "mfis_total", "is outside 0-84"),
    ]
    assert table.loc[1, "psqi_global"] == 7


def test_rows_without_id_are_located_by_row_number():
    _, problems, _ = prepare_items(pd.DataFrame({"ess_1": [1, 4]}))
    assert [(p.participant, p.visit, p.value) for p in problems] == [("row 2", None, 4)]


def test_prepared_table_edited_after_reading_is_still_checked():
    # canonical float64 / "HH:MM" columns skip the parser, never the checks (INSTRUMENTS.md:
    # FSS items 1-7 whole numbers, PSQI Q4 hours 0-24, clock times 00:00-23:59)
    once, _, _ = prepare_items(raw())
    edited = once.copy()
    edited.loc[0, "fss_1"] = 8.0
    edited.loc[1, "fss_1"] = 2.5
    edited.loc[1, "psqi_4"] = 25.0
    edited.loc[0, "psqi_1"] = "24:00"  # accepted, but canonical is 00:00
    edited.loc[1, "psqi_1"] = "25:10"
    table, problems, _ = prepare_items(edited)
    found = sorted((p.participant, p.column, p.value) for p in problems)
    assert found == [("001", "fss_1", 8.0), ("002", "fss_1", 2.5), ("002", "psqi_1", "25:10"),
                     ("002", "psqi_4", 25.0)]  # fmt: skip
    assert table["fss_1"].isna().all() and pd.isna(table.loc[1, "psqi_4"])
    assert table.loc[0, "psqi_1"] == "00:00" and pd.isna(table.loc[1, "psqi_1"])


def test_canonical_columns_are_kept_unchanged():
    once, _, _ = prepare_items(raw())
    twice, problems, notes = prepare_items(once)
    assert problems == [] and notes == []
    for column in ("fss_1", "psqi_1", "psqi_2", "psqi_4"):
        assert twice[column].dtype == once[column].dtype
        pd.testing.assert_series_equal(twice[column], once[column])
