"""Baseline characteristics (stats/baseline.py) and Table 1 (report/table1.py).

Expected values are worked out by hand in the comments from the small frame below.
"""

import doctest
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import msrelax_stats as mrs
from msrelax_stats.report import table1 as table1_module
from msrelax_stats.report.table1 import table1, write_table1
from msrelax_stats.stats import baseline
from msrelax_stats.stats.baseline import baseline_characteristics, baseline_columns

ROOT = Path(__file__).parents[1]
_ = "\u00a0"  # the no-break spaces of "(n = 32)" in Table 1's headers

# Six participants, two arms; e has no post visit (lost); f's age is missing; d's EDSS was
# re-assessed at post (2.0 -> 2.5); visit_date differs between visits (not a characteristic).
ROWS = [
    # id, time, group, age, sex, smoker, edss, visit_date, fss_1, fss_mean
    ("a", "pre", "control", 30, "F", 0, 3.0, "2024-01-01", 5, 5.0),
    ("a", "post", "control", 30, "F", 0, 3.0, "2024-02-12", 4, 4.0),
    ("b", "pre", "control", 40, "M", 1, 1.5, "2024-01-02", 6, 6.0),
    ("b", "post", "control", 40, "M", 1, 1.5, "2024-02-13", 6, 6.0),
    ("c", "pre", "control", 50, "F", 0, 4.0, "2024-01-03", 3, 3.0),
    ("c", "post", "control", 50, "F", 0, 4.0, "2024-02-14", 3, 3.0),
    ("d", "pre", "pmr", 35, "F", 1, 2.0, "2024-01-04", 5, 5.0),
    ("d", "post", "pmr", 35, "F", 1, 2.5, "2024-02-15", 2, 2.0),
    ("e", "pre", "pmr", 45, "F", 0, 6.0, "2024-01-05", 7, 7.0),
    ("f", "pre", "pmr", None, "M", None, 1.0, "2024-01-06", 4, 4.0),
    ("f", "post", "pmr", None, "M", None, 1.0, "2024-02-17", 3, 3.0),
]
COLUMNS = ["id", "time", "group", "age", "sex", "smoker", "edss", "visit_date", "fss_1", "fss_mean"]


def frame():
    t = pd.DataFrame(ROWS, columns=COLUMNS)
    t["time"] = pd.Categorical(t["time"], ["pre", "post"], ordered=True)
    return t


def stat(result, variable, subset, level=""):
    s = result.summary
    return s[(s["variable"] == variable) & (s["subset"] == subset) & (s["level"] == level)].iloc[0]


def test_found_columns_leave_out_items_scores_structure_and_time_varying():
    columns, notes = baseline_columns(frame())
    assert columns == ["age", "sex", "smoker"]  # not id/time/group, fss_*, edss, visit_date
    assert any(n.startswith("edss differs between visits") for n in notes)
    assert any(n.startswith("visit_date differs between visits") for n in notes)


def test_scores_of_short_forms_are_not_characteristics():
    # fss7_mean and mfis5_total are scores of the FSS and MFIS (their names do not start with
    # "fss_" / "mfis_"): neither a characteristic nor a note of Table 1
    scored = mrs.score(mrs.read_study(ROOT / "data/sample/pmr_study.csv"))
    columns, notes = baseline_columns(scored)
    assert columns == ["age", "sex", "edss"]
    assert not [n for n in notes if "fss7" in n or "mfis5" in n]


def test_the_analysis_carries_table1_from_its_lost_participants():
    # the sample: P19 has no post visit (exclusions.csv: "missing visit post")
    from msrelax_stats.stats.analysis import analyse
    from msrelax_stats.stats.options import AnalysisOptions

    study = mrs.read_study(ROOT / "data/sample/pmr_study.csv")
    scored = mrs.score(study)
    res = analyse(scored, AnalysisOptions(n_boot=200)).baseline
    assert res.subsets == [("Overall", "overall", 32), ("Completers", "completers", 31),
                           ("Lost to follow-up", "lost", 1)]  # fmt: skip
    lost = res.participants.loc[~res.participants["completer"], "id"].tolist()
    assert lost == ["P19"]
    p19 = study[study["id"] == "P19"].iloc[0]
    assert stat(res, "age", "Lost to follow-up")["mean"] == float(p19["age"])
    assert "lost to follow-up: participants with no outcome scored at the last visit (post)" in (
        res.notes
    )


def test_continuous_summaries_by_hand():
    res = baseline_characteristics(frame())
    assert [(n, k, m) for n, k, m in res.subsets] == [
        ("Overall", "overall", 6), ("control", "arm", 3), ("pmr", "arm", 3),
        ("Completers", "completers", 5), ("Lost to follow-up", "lost", 1),
    ]  # fmt: skip
    # overall ages 30, 40, 50, 35, 45 (f missing): mean 200/5 = 40; squared deviations
    # 100 + 0 + 100 + 25 + 25 = 250, SD = sqrt(250/4) = 7.9057; sorted 30 35 40 45 50:
    # median 40, Q1 at position 0.25 * 4 = 1 -> 35, Q3 at position 3 -> 45
    age = stat(res, "age", "Overall")
    assert (age["n"], age["n_missing"], age["subset_n"]) == (5, 1, 6)
    assert age["mean"] == 40 and age["sd"] == pytest.approx(np.sqrt(62.5))
    assert (age["median"], age["q1"], age["q3"], age["min"], age["max"]) == (40, 35, 45, 30, 50)
    # control 30, 40, 50: SD 10; Q1 at position 0.5 -> 35, Q3 at 1.5 -> 45
    control = stat(res, "age", "control")
    assert (control["mean"], control["sd"], control["q1"], control["q3"]) == (40, 10, 35, 45)
    # pmr 35, 45 (f missing): SD sqrt(50) = 7.0711; Q1 at 0.25 -> 37.5, Q3 at 0.75 -> 42.5
    pmr = stat(res, "age", "pmr")
    assert pmr["sd"] == pytest.approx(np.sqrt(50))
    assert (pmr["q1"], pmr["q3"], pmr["n_missing"]) == (37.5, 42.5, 1)
    # completers a b c d f: 30, 40, 50, 35 -> mean 38.75; squared deviations 76.5625 +
    # 1.5625 + 126.5625 + 14.0625 = 218.75, SD sqrt(218.75/3) = 8.5391; sorted 30 35 40 50:
    # median 37.5, Q1 at 0.75 -> 33.75, Q3 at 2.25 -> 42.5
    done = stat(res, "age", "Completers")
    assert done["mean"] == 38.75 and done["sd"] == pytest.approx(np.sqrt(218.75 / 3))
    assert (done["median"], done["q1"], done["q3"]) == (37.5, 33.75, 42.5)
    lost = stat(res, "age", "Lost to follow-up")  # e alone: 45, no SD
    assert lost["mean"] == 45 and np.isnan(lost["sd"])


def test_categorical_summaries_by_hand():
    res = baseline_characteristics(frame())
    # sex: F = a c d e (4 of 6 = 66.67 %), M = b f; completers a b c d f: F a c d = 3/5 = 60 %
    assert (
        stat(res, "sex", "Overall", "F")["count"],
        stat(res, "sex", "Overall", "M")["count"],
    ) == (4, 2)
    assert stat(res, "sex", "Overall", "F")["percent"] == pytest.approx(400 / 6)
    assert stat(res, "sex", "Completers", "F")["percent"] == 60
    assert stat(res, "sex", "Lost to follow-up", "M")["count"] == 0
    # smoker 0/1 is categorical; f is missing and not in the percentages: 1 = b d of 5 = 40 %
    assert res.kinds["smoker"] == "categorical"
    one = stat(res, "smoker", "Overall", "1")
    assert (one["count"], one["percent"], one["n_missing"]) == (2, 40, 1)


def test_named_time_varying_column_takes_the_earliest_value():
    res = baseline_characteristics(frame(), ["edss"])
    # d: 2.0 at pre (not 2.5 at post); overall 3.0 1.5 4.0 2.0 6.0 1.0 -> mean 17.5/6
    assert res.participants.set_index("id").loc["d", "edss"] == 2.0
    assert stat(res, "edss", "Overall")["mean"] == pytest.approx(17.5 / 6)
    assert any(n.startswith("edss differs between visits for 1 participant (d)") for n in res.notes)


def test_lost_given_and_arm_order():
    res = baseline_characteristics(frame(), ["age"], lost=["b"], arms=["pmr", "control"])
    assert [n for n, _, _ in res.subsets] == [
        "Overall",
        "pmr",
        "control",
        "Completers",
        "Lost to follow-up",
    ]
    assert stat(res, "age", "Lost to follow-up")["mean"] == 40  # b
    assert res.participants.set_index("id")["completer"].to_dict()["e"]  # e is a completer now


def test_bad_input_names_the_problem():
    with pytest.raises(mrs.StudyDataError, match="weight"):
        baseline_characteristics(frame(), ["weight"])
    with pytest.raises(mrs.StudyDataError, match="zz"):
        baseline_characteristics(frame(), ["age"], lost=["zz"])
    with pytest.raises(mrs.StudyDataError, match="sex"):
        baseline_characteristics(frame(), ["sex"], continuous=["sex"])


def test_decimal_comma_text_is_numeric():
    t = frame().assign(edss=["3,5"] * 2 + ["2"] * 9)
    res = baseline_characteristics(t, ["edss"])
    assert res.kinds["edss"] == "continuous"
    assert stat(res, "edss", "Overall")["max"] == 3.5


def test_table1_text_by_hand():
    table = table1(baseline_characteristics(frame()))
    assert list(table.columns) == [
        "Characteristic", "Statistic", f"Overall (n{_}={_}6)", f"control (n{_}={_}3)",
        f"pmr (n{_}={_}3)", f"Completers (n{_}={_}5)", f"Lost to follow-up (n{_}={_}1)",
    ]  # fmt: skip
    rows = table.to_dict("split")["data"]
    # from the sums above: 7.9057 -> 7.9, 7.0711 -> 7.1, 8.5391 -> 8.5, 38.75 -> 38.8
    assert rows[0] == ["Age (years)", "mean (SD)", "40.0 (7.9)", "40.0 (10.0)", "40.0 (7.1)",
                       "38.8 (8.5)", "45.0 (n/a)"]  # fmt: skip
    assert rows[1] == ["", f"median [Q1,{_}Q3]", "40.0 [35.0, 45.0]", "40.0 [35.0, 45.0]",
                       "40.0 [37.5, 42.5]", "37.5 [33.8, 42.5]", "45.0 [45.0, 45.0]"]  # fmt: skip
    assert rows[2] == ["", "missing, n", "1", "0", "1", "1", "0"]
    # sex: 4/6 = 66.7 %, 2/3 = 66.7 %, 3/5 = 60.0 %, 1/1 = 100.0 %
    assert rows[3] == [
        "Sex, n (%)",
        "F",
        "4 (66.7)",
        "2 (66.7)",
        "2 (66.7)",
        "3 (60.0)",
        "1 (100.0)",
    ]
    assert rows[4] == ["", "M", "2 (33.3)", "1 (33.3)", "1 (33.3)", "2 (40.0)", "0 (0.0)"]
    assert rows[5][:3] == ["smoker, n (%)", "0", "3 (60.0)"]  # a c e of the 5 with a value
    assert rows[7] == ["", "missing, n", "1", "0", "1", "1", "0"]
    assert any("CONSORT" in n for n in table.attrs["notes"])
    assert not any("p" == c.lower() for c in table.columns)  # no baseline p-values


def test_table1_of_the_sample_has_its_characteristics():
    table = table1(baseline_characteristics(mrs.read_study(ROOT / "data/sample/pmr_study.csv")))
    assert [c for c in table["Characteristic"] if c] == ["Age (years)", "Sex, n (%)", "EDSS"]
    assert list(table.columns[2:]) == [f"Overall (n{_}={_}32)", f"Completers (n{_}={_}31)",
                                       f"Lost to follow-up (n{_}={_}1)"]  # fmt: skip


def test_write_table1_files(tmp_path):
    import docx

    table = table1(baseline_characteristics(frame()))
    paths = write_table1(table, tmp_path)
    assert sorted(p.name for p in paths.values()) == [
        "table1.csv", "table1.docx", "table1.html", "table1.md", "table1.tex"]  # fmt: skip
    back = pd.read_csv(paths["csv"], dtype=str, keep_default_na=False)
    assert back.equals(table)
    (word,) = docx.Document(paths["docx"]).tables
    cells = [[c.text for c in row.cells] for row in word.rows]
    assert cells == [list(table.columns), *table.to_numpy().tolist()]
    assert "Table 1. Baseline characteristics" in paths["html"].read_text()


def test_docstring_examples_run():
    for module in (baseline, table1_module):
        assert doctest.testmod(module, raise_on_error=False).failed == 0
