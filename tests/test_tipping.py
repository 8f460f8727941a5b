"""Tests of stats.tipping (delta-adjusted MI) against R mice.

Reference values (tests/reference/missing_reference.R): the committed imputations with the
imputed endpoints of those who lost it shifted by +delta in R (one group: FSS, delta = 1; two
arms: PSQI in the relaxation arm, delta = 3), then ``pool(with(as.mids(long), lm(...)))``.
"""

from __future__ import annotations

import numpy as np
import pytest
from missing_reference import (
    ARMS_COVARIATES,
    ONEGROUP_VISITS,
    OPTIONS,
    committed_draws,
    read,
    ref_block,
)

from msrelax_stats.stats.missing import MissingDataOptions, analyze_missing
from msrelax_stats.stats.tipping import GRID_COLUMNS, TIPPING_COLUMNS


def _run(data, outcome, visits, deltas, **kwargs):
    options = MissingDataOptions(m=OPTIONS.m, seed=OPTIONS.seed, deltas=deltas,
                                 analyses=("mi", "tipping"), **kwargs)  # fmt: skip
    return analyze_missing(data, [outcome], visits, options=options, **_covs(visits))


def _covs(visits):
    return {"covariates": ARMS_COVARIATES} if visits == ["pre", "post"] else {}


@pytest.fixture(scope="module")
def onegroup():
    data = read("missing_onegroup.csv", ONEGROUP_VISITS)
    with committed_draws("missing_imputations_onegroup.csv"):  # the ones R shifted
        return _run(data, "fss_mean", ONEGROUP_VISITS, np.linspace(0, 6, 25))


@pytest.fixture(scope="module")
def arms():
    data = read("missing_arms.csv", ["pre", "post"])
    with committed_draws("missing_imputations_arms.csv"):
        return _run(data, "psqi_global", ["pre", "post"], [0.0, 1.5, 3.0, 6.0, 12.0, 20.0])


@pytest.mark.parametrize(
    ("fixture", "outcome", "delta", "analysis", "term"),
    [
        ("onegroup", "fss_mean", 1.0, "delta_onegroup_1", "(Intercept)"),
        ("arms", "psqi_global", 3.0, "delta_arms_3", "grouprelaxation"),
    ],
)
def test_shifted_pool_matches_mice(request, fixture, outcome, delta, analysis, term):
    res = request.getfixturevalue(fixture)
    row = res.tipping[np.isclose(res.tipping["delta"], delta)].iloc[0]
    expected = ref_block(analysis, outcome, term)
    for ours, theirs in {"estimate": "estimate", "se": "se", "df": "df", "p": "p",
                         "ci_low": "ci_low", "ci_high": "ci_high", "fmi": "fmi"}.items():  # fmt: skip
        assert row[ours] == pytest.approx(expected[theirs], rel=1e-6, abs=1e-9), ours


def test_delta_zero_is_the_mar_analysis(onegroup):
    mi = onegroup.estimates.iloc[0]
    zero = onegroup.tipping.iloc[0]
    assert zero["delta"] == 0 and zero["estimate"] == mi["estimate"] and zero["p"] == mi["p"]
    assert list(onegroup.tipping.columns) == GRID_COLUMNS
    assert list(onegroup.tipping_points.columns) == TIPPING_COLUMNS


def test_tipping_delta_is_where_the_ci_reaches_zero(onegroup):
    point = onegroup.tipping_points.iloc[0]
    grid = onegroup.tipping
    assert point["conclusion"] == "significant decrease"
    first = grid[grid["changed"]].iloc[0]
    assert point["tipping_delta_grid"] == first["delta"]
    before = grid[grid["delta"] < first["delta"]].iloc[-1]
    assert before["delta"] < point["tipping_delta"] <= first["delta"]
    # re-pooling at the exact tipping delta puts the upper limit on 0
    data = read("missing_onegroup.csv", ONEGROUP_VISITS)
    with committed_draws("missing_imputations_onegroup.csv"):  # the fixture's draws
        at = _run(data, "fss_mean", ONEGROUP_VISITS, [0.0, float(point["tipping_delta"])])
    assert at.tipping.iloc[1]["ci_high"] == pytest.approx(0.0, abs=1e-8)
    # lower is better: the shift makes the change less negative, monotonically here
    assert (np.diff(grid["estimate"]) > 0).all()


def test_two_arms_shift_only_the_treatment_arm(arms):
    point = arms.tipping_points.iloc[0]
    # relaxation participants without a post PSQI: A02, A07, A12 (no visit), A05 (unscored)
    assert point["n_shifted"] == 4 and point["shifted"] == "imputed endpoints in relaxation"
    assert (np.diff(arms.tipping["estimate"]) > 0).all()


def test_higher_is_better_shifts_down():
    data = read("missing_onegroup.csv", ONEGROUP_VISITS)
    res = _run(data, "fss_mean", ONEGROUP_VISITS, [0.0, 1.0], better={"fss_mean": "higher"})
    assert res.tipping_points.iloc[0]["direction"] == -1
    assert res.tipping["estimate"].iloc[1] < res.tipping["estimate"].iloc[0]


def test_nothing_to_shift_gives_no_tipping_point():
    data = read("missing_arms.csv", ["pre", "post"])
    data = data[~data["id"].isin(["A02", "A07", "A12", "A05"])]  # no relaxation endpoint lost
    res = _run(data, "psqi_global", ["pre", "post"], [0.0, 5.0, 50.0])
    point = res.tipping_points.iloc[0]
    assert point["n_shifted"] == 0 and np.isnan(point["tipping_delta"])
    assert res.tipping["estimate"].nunique() == 1


def test_bad_grid():
    data = read("missing_onegroup.csv", ONEGROUP_VISITS)
    with pytest.raises(ValueError, match="increasing"):
        _run(data, "fss_mean", ONEGROUP_VISITS, [0.0, 2.0, 1.0])
