"""Tests of stats.diary.

Adherence and dose-response values come from R (tests/reference/designs_reference.R):
designs_diary.csv (8 participants x 14 days, plus one row on day 0 and one on day 15) and
the changes of designs_arms.csv; ``cor.test(method = "spearman", exact = FALSE)`` and
``lm(change ~ share_practised)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from designs_reference import REF, ref

from msrelax_stats.errors import StudyDataError
from msrelax_stats.stats.diary import adherence, dose_response, read_diary

OUTCOMES = ["fss_mean", "psqi_global"]


@pytest.fixture(scope="module")
def adh():
    return adherence(read_diary(REF / "designs_diary.csv"), study_days=14)


def test_read_diary_types_and_spellings():
    df = pd.DataFrame(
        {
            "ID": [" 007", "007", "007", "8"],
            "Day": ["1", "2", "3.0", "1"],
            "Practiced": ["Yes", "FALSE", "1", ""],
            "minutes": ["12,5", "0", "20", ""],
            "nrs_spasticity": ["3", "4", "", "10"],
        }
    )
    d = read_diary(df)
    assert d["id"].tolist() == ["007", "007", "007", "8"]
    assert d["day"].tolist() == [1, 2, 3, 1]
    assert d["practised"].tolist()[:3] == [True, False, True]
    assert pd.isna(d["practised"].iloc[3])
    assert d["minutes"].iloc[0] == 12.5
    assert np.isnan(d["minutes"].iloc[3])


def test_read_diary_reports_every_problem_with_location():
    df = pd.DataFrame(
        {
            "id": ["1", "1", "1", "2", "2"],
            "day": [1, 2, 2, 1.5, 3],
            "practised": ["yes", "maybe", "no", "no", "yes"],
            "minutes": [10, -5, 0, 0, "ten"],
            "nrs_pain": [3, 2, 11, 0, 1],
        }
    )
    with pytest.raises(StudyDataError) as info:
        read_diary(df)
    found = {(p.participant, p.column, str(p.value)) for p in info.value.problems}
    assert ("1", "practised", "maybe") in found
    assert ("1", "minutes", "-5") in found
    assert ("2", "minutes", "ten") in found
    assert ("1", "nrs_pain", "11") in found
    assert ("2", "day", "1.5") in found
    assert ("1", "day", "2") in found  # day 2 recorded twice
    assert len(info.value.problems) == 6


def test_read_diary_missing_columns():
    with pytest.raises(StudyDataError, match="no 'day or date' column") as info:
        read_diary(pd.DataFrame({"id": ["1"], "minutes": [3]}))
    assert len(info.value.problems) == 2  # practised is missing too


@pytest.mark.parametrize("pid", ["r01", "r02", "r05", "r08"])
def test_adherence_matches_r(adh, pid):
    row = adh.table.set_index("id").loc[pid]
    for col in ("share_practised", "total_minutes", "mean_spasms"):
        assert row[col] == pytest.approx(ref("diary_adherence", "", pid, col), rel=1e-12)
    assert row.days_recorded == 14


def test_days_outside_period_are_excluded_with_a_note(adh):
    assert adh.excluded[["id", "day"]].values.tolist() == [["r01", 0], ["r04", 15]]
    assert adh.excluded["reason"].tolist() == [
        "day 0 is before the study period (days 1-14)",
        "day 15 is after the study period (days 1-14)",
    ]
    assert adh.notes == ["2 diary row(s) outside the study period excluded: r01 day 0, r04 day 15"]


def test_adherence_by_date_and_missing_days():
    # participant a: 2024-03-01..03 (start = first date), practised on 2 of 3 recorded days,
    # study_days = 4 -> share 2/4; 2024-03-06 is day 6 -> outside; b: start given as 03-01,
    # one row on 02-29 (day 0) -> outside, one on 03-04 (day 4, practised) -> share 1/4
    d = read_diary(
        pd.DataFrame(
            {
                "id": ["a", "a", "a", "a", "b", "b"],
                "date": [
                    "2024-03-01",
                    "02.03.2024",
                    "2024-03-03",
                    "2024-03-06",
                    "2024-02-29",
                    "2024-03-04",
                ],
                "practised": ["yes", "yes", "no", "yes", "yes", "yes"],
                "minutes": [10, 20, 0, 5, 9, 15],
            }
        )
    )
    res = adherence(d, study_days=4, start={"b": "2024-03-01"} | {"a": "2024-03-01"})
    table = res.table.set_index("id")
    assert table.loc["a", "share_practised"] == 0.5
    assert table.loc["a", "total_minutes"] == 30
    assert table.loc["b", "share_practised"] == 0.25
    assert sorted(res.excluded["day"].tolist()) == [0, 6]
    assert any("fewer than 4 days" in n for n in res.notes)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_dose_response_matches_r(adh, outcome):
    scored = pd.read_csv(REF / "designs_arms.csv", dtype={"id": str})
    scored["time"] = pd.Categorical(scored["time"], ["pre", "post"], ordered=True)
    res = dose_response(scored, adh, OUTCOMES)
    row = res.table.set_index("outcome").loc[outcome]
    stats_ = [
        "n",
        "spearman_rho",
        "spearman_p",
        "slope",
        "slope_se",
        "slope_ci_low",
        "slope_ci_high",
        "slope_p",
        "intercept",
    ]
    np.testing.assert_allclose(
        row[stats_].to_numpy(float),
        [ref("dose_response", outcome, "", s) for s in stats_],
        rtol=1e-9,
    )
    ex = res.exclusions[res.exclusions.outcome == outcome].set_index("id")["reason"]
    assert ex["r09"] == "no post visit"
    assert ex["c01"] == "no diary"


def test_dose_response_from_change_table_hand_computation():
    # changes -1, -0.5, -0.2, 0.1 against shares 0.9, 0.7, 0.5, 0.2: ranks in exactly
    # reversed order -> rho = -1; x mean 0.575, y mean -0.4, deviations
    # x: .325 .125 -.075 -.375, y: -.6 -.1 .2 .5 -> Sxx = 0.2675, Sxy = -0.41,
    # OLS slope = Sxy / Sxx = -1.532710...
    ch = pd.DataFrame(
        {"id": ["1", "2", "3", "4", "5"], "fss_mean": [-1.0, -0.5, -0.2, 0.1, np.nan]}
    )
    ad = pd.DataFrame(
        {"id": ["1", "2", "3", "4", "6"], "share_practised": [0.9, 0.7, 0.5, 0.2, 1.0]}
    )
    res = dose_response(ch, ad)
    row = res.table.iloc[0]
    assert row.n == 4
    assert row.spearman_rho == pytest.approx(-1.0)
    assert row.slope == pytest.approx(-0.41 / 0.2675)
    assert set(res.exclusions["id"]) == {"5", "6"}


def test_dose_response_too_few_is_nan_with_note():
    ch = pd.DataFrame({"id": ["1", "2"], "fss_mean": [-1.0, 0.0]})
    ad = pd.DataFrame({"id": ["1", "2"], "share_practised": [0.9, 0.1]})
    res = dose_response(ch, ad)
    assert np.isnan(res.table.loc[0, "slope"]) and res.table.loc[0, "n"] == 2
    assert res.notes
