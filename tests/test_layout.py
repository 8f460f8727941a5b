"""Tests of msrelax_stats.data.layout: long/wide layouts, visits and structural errors.

Expected tables are written out by hand from the small inputs beside them; expected messages
are the documented wording (the CLI prints them as ``error: ...``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.data.layout import as_text, coded_visits_problem, normalise_visits
from msrelax_stats.data.read import read_table
from msrelax_stats.errors import StudyDataError


def _cells(values) -> list:
    """Cells as a list with every missing value (NaN, None) as None, for comparisons."""
    return [None if pd.isna(v) else v for v in values]


def _problems(source, **options) -> list[str]:
    with pytest.raises(StudyDataError) as info:
        read_table(source, **options)
    return [str(p) for p in info.value.problems]


def test_wide_reshapes_to_long():
    wide = pd.DataFrame(
        {
            "ID": ["b", "a"],
            "Group": ["pmr", "control"],
            "FSS 1 Pre": ["5", "6"],
            "FSS 1 Post": ["3", np.nan],
            "psqi_1_pre": ["23:30", "00:45"],
            "psqi_1_post": ["23:00", np.nan],
            "age": [40, 51],
        }
    )
    table = read_table(wide)
    # hand-made: b has both visits, a only pre (a's post cells are all blank -> no row)
    expected = pd.DataFrame(
        {
            "id": ["b", "b", "a"],
            "time": pd.Categorical(
                ["pre", "post", "pre"], categories=["pre", "post"], ordered=True
            ),
            "group": ["pmr", "pmr", "control"],
            "fss_1": ["5", "3", "6"],
            "psqi_1": ["23:30", "23:00", "00:45"],
            "age": [40, 40, 51],
        }
    ).astype({"id": object, "group": object, "fss_1": object, "psqi_1": object})
    pd.testing.assert_frame_equal(table, expected, check_categorical=True)
    assert table.attrs["msrelax"]["layout"] == "wide"


def test_inconsistent_suffixes_read_with_missing_values():
    wide = pd.DataFrame({"id": ["a"], "fss_1_pre": [5], "fss_2_pre": [4], "fss_2_post": [3]})
    table = read_table(wide)
    assert table["fss_1"].tolist()[0] == 5 and np.isnan(table["fss_1"].iloc[1])
    assert table["fss_2"].tolist() == [4, 3]


def test_unknown_wide_suffix_is_reported():
    wide = pd.DataFrame(
        {"id": ["a"], "fss_1_pre": [5], "fss_1_post": [4], "fss_1_fu": [3], "fss_2_fu": [2]}
    )
    assert _problems(wide) == [
        "column fss_1_fu: column suffix '_fu' is not a known visit (visits: pre, post)",
        "column fss_2_fu: column suffix '_fu' is not a known visit (visits: pre, post)",
    ]


def test_visit_labels_are_matched_case_insensitively_and_ordered():
    long = pd.DataFrame(
        {"id": ["a", "a", "a"], "time": [" WEEK 12", "Baseline", "week 6 "], "x": [3, 1, 2]}
    )
    table = read_table(long, visits=["baseline", "week 6", "week 12"])
    assert table["time"].astype(str).tolist() == ["baseline", "week 6", "week 12"]
    assert table["x"].tolist() == [1, 2, 3]
    assert list(table["time"].cat.categories) == ["baseline", "week 6", "week 12"]
    wide = pd.DataFrame({"id": ["a"], "x_baseline": [1], "x_week_6": [2]})
    assert read_table(wide, visits=["Baseline", "Week 6"])["x"].tolist() == [1, 2]


def test_missing_visit_is_not_an_error():
    long = pd.DataFrame({"id": ["a", "a", "b"], "time": ["pre", "post", "pre"], "x": [1, 2, 3]})
    assert read_table(long)["id"].tolist() == ["a", "a", "b"]


def test_structural_errors_are_all_collected(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "id,time,fss_1\nP1,pre,4\nP1,PRE,5\nP2,t0,4\nP3,,4\n,post,3\nP4,post,2\n",
        encoding="utf-8",
    )
    assert _problems(path) == [
        f"{path}, column id: blank participant id (data row 5, not counting the header)",
        f"{path}, participant P2, column time: value 't0' is not a known visit "
        "(expected one of: pre, post)",
        f"{path}, participant P3, column time: blank visit label",
        f"{path}, participant P1, visit pre, column id: appears 2 times "
        "(duplicate participant and visit)",
    ]


def test_coded_visits_are_named_in_visit_order():
    # labels decide the order: 1 is "post", 2 is "pre" -> --visits 2,1
    swapped = coded_visits_problem(
        pd.Series([1.0, 2.0, 2.0]), {1.0: "Post", 2.0: "Pre"}, ["pre", "post"], file="s.sav"
    )
    assert str(swapped) == (
        's.sav, column time: visits are stored as codes 1, 2 (value labels: 1 = "Post", '
        '2 = "Pre"); name them in visit order with --visits 2,1 (or visits = ["2", "1"] in '
        "a column map)"
    )
    # a code already named as a visit keeps its place; a code without a label comes last
    partial = coded_visits_problem(
        pd.Series([3, 1, 2, 9]), {1: "baseline", 2: "week 6", 3: "week 12"}, ["3", "week 6"]
    )
    assert partial.message == (
        'visits are stored as codes 1, 2, 3, 9 (value labels: 1 = "baseline", 2 = "week 6", '
        '3 = "week 12", 9 (no label)); name them in visit order with --visits 3,2,1,9 '
        '(or visits = ["3", "2", "1", "9"] in a column map)'
    )
    assert (partial.column, partial.participant, partial.value) == ("time", None, None)


def test_coded_visits_need_two_numeric_codes_with_a_label():
    labels = {1.0: "pre", 2.0: "post"}
    assert coded_visits_problem(pd.Series([1.0, 1.0, np.nan]), labels, ["pre", "post"]) is None
    assert coded_visits_problem(pd.Series([5.0, 6.0]), labels, ["pre", "post"]) is None
    text = pd.Series(["1", "2"], dtype=object)
    assert coded_visits_problem(text, {"1": "pre", "2": "post"}, ["pre", "post"]) is None


def test_no_id_and_no_visit_information(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name,fss_1\nA,4\n", encoding="utf-8")
    assert _problems(path) == [
        f"{path}: no participant id column (looked for: id, participant, participant_id, "
        "subject, subject_id, patient_id); name it with a column map",
        f"{path}: no visit information: no time/visit column and no column ending in a visit "
        "suffix (_pre, _post); pass visits=[...] if the visits have other names",
    ]


def test_forced_layouts():
    wide = pd.DataFrame({"id": ["a"], "fss_1_pre": [5], "fss_1_post": [4]})
    assert "no visit information" in _problems(wide, layout="long")[0]
    long = pd.DataFrame({"id": ["a"], "time": ["pre"], "fss_1_pre": [5]})
    assert read_table(long).attrs["msrelax"]["layout"] == "long"
    assert _problems(long, layout="wide") == [
        "column time: layout 'wide' was requested but the file has a time column"
    ]
    with pytest.raises(ValueError, match="layout must be None, 'long' or 'wide'"):
        read_table(long, layout="tall")


def test_normalise_visits():
    assert normalise_visits(None) == ["pre", "post"]
    assert normalise_visits([" T0", "T1 "]) == ["T0", "T1"]
    for bad in (["pre"], ["pre", "PRE"], ["pre", " "]):
        with pytest.raises(StudyDataError, match="visits must be two or more distinct"):
            normalise_visits(bad)


def test_as_text():
    cells = pd.Series([7.0, 7, "007 ", None, 2.5], dtype=object)
    assert _cells(as_text(cells)) == ["7", "7", "007", None, "2.5"]
