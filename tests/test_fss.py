"""FSS and FSS-7 (instruments/fss.py), hand-worked from INSTRUMENTS.md (Krupp 1989 rules)."""

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.errors import StudyDataError
from msrelax_stats.instruments import score


def fss(*answers):
    return {f"fss_{i}": a for i, a in enumerate(answers, start=1)}


def scored(*rows, **options):
    return score(pd.DataFrame(list(rows)), **options)


def test_minimum_and_maximum():
    out = scored(fss(*[1] * 9), fss(*[7] * 9))
    assert out["fss_mean"].tolist() == [1, 7]
    assert out["fss_sum"].tolist() == [9, 63]
    assert out["fss7_mean"].tolist() == [1, 7]
    assert out["fss_fatigued"].tolist() == [False, True]
    assert out["fss_n_answered"].tolist() == [9, 9]


def test_mixed_case():
    # 1+2+3+4+5+6+7+7+7 = 42; mean 42/9 = 4.667; FSS-7 = items 3-9: 39/7 = 5.571.
    out = scored(fss(1, 2, 3, 4, 5, 6, 7, 7, 7))
    assert out.loc[0, "fss_sum"] == 42
    assert out.loc[0, "fss_mean"] == pytest.approx(42 / 9)
    assert out.loc[0, "fss7_mean"] == pytest.approx(39 / 7)
    assert out.loc[0, "fss_fatigued"]


@pytest.mark.parametrize(
    ("answers", "fatigued_4", "fatigued_5"),
    [
        ([4] * 9, True, False),  # mean exactly 4: fatigued (>= 4)
        ([4] * 8 + [3], False, False),  # 35/9 = 3.89
        ([5] * 9, True, True),  # mean exactly 5 with the stricter cut-off
        ([5] * 8 + [4], True, False),  # 44/9 = 4.89
    ],
)
def test_cutoff_edges_and_option(answers, fatigued_4, fatigued_5):
    assert bool(scored(fss(*answers)).loc[0, "fss_fatigued"]) is fatigued_4
    assert bool(scored(fss(*answers), fss={"cutoff": 5}).loc[0, "fss_fatigued"]) is fatigued_5


@pytest.mark.parametrize("missing", range(1, 10))
def test_each_single_missing_item_is_strict(missing):
    answers = [4] * 9
    answers[missing - 1] = None
    out = scored(fss(*answers))
    assert np.isnan(out.loc[0, "fss_mean"]) and np.isnan(out.loc[0, "fss_sum"])
    assert out.loc[0, "fss_fatigued"] is pd.NA
    assert out.loc[0, "fss_n_answered"] == 8
    assert out.loc[0, "fss_flags"] == f"missing:fss_{missing}"
    # FSS-7 does not use items 1 and 2.
    assert np.isnan(out.loc[0, "fss7_mean"]) == (missing >= 3)


def test_proration_is_opt_in():
    # One of nine missing, max_missing 1: mean of the eight answered = 32/8 = 4; sum 9 x 4.
    out = scored(fss(*[4] * 8, None), fss={"max_missing": 1})
    assert out.loc[0, "fss_mean"] == 4
    assert out.loc[0, "fss_sum"] == 36
    assert "prorated:fss_mean" in out.loc[0, "fss_flags"]


def test_fss7_only_file_scores_only_fss7():
    out = scored({f"fss_{i}": 5 for i in range(3, 10)})
    assert out.loc[0, "fss7_mean"] == 5
    assert "fss_mean" not in out.columns and "fss_sum" not in out.columns


def test_already_scored_mean_is_checked_and_used():
    out = scored({"id": "1", "fss_mean": "4,5"}, {"id": "2", "fss_mean": 3.5})
    assert out["fss_mean"].tolist() == [4.5, 3.5]
    assert out["fss_fatigued"].tolist() == [True, False]
    with pytest.raises(StudyDataError, match="value '7.5' is outside 1-7"):
        scored({"id": "1", "fss_mean": 7.5})


@pytest.mark.parametrize(("value", "message"), [(0, "is outside 1-7"), (8, "is outside 1-7"),
                                                ("x", "is not a number"),
                                                (4.5, "is not a whole number")])  # fmt: skip
def test_bad_item_values(value, message):
    with pytest.raises(StudyDataError, match=message):
        scored({"id": "3", "time": "post", **fss(*[4] * 8, value)})
