"""Tests of stats.pooling against R mice (tests/reference/missing_reference.R).

Reference values: ``mice::pool.scalar(Q, U, n, k)`` (mice 3.15.0) on three made-up inputs;
the pooled lm fits of the imputed studies are compared in test_missing.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from missing_reference import ref

from msrelax_stats.stats.pooling import POOLED_COLUMNS, barnard_rubin_df, pool

# (Q, U, dfcom) exactly as in missing_reference.R (dfcom = n - k)
CASES = {
    "small": ([1, 1.2, 0.9, 1.1, 1], [0.04, 0.05, 0.04, 0.045, 0.05], 30.0),
    "nothing_missing": ([-0.7] * 10, [0.02] * 10, 31.0),
    "large_sample": ([2.1, 1.7, 2.4, 1.9], [0.3, 0.25, 0.35, 0.3], np.inf),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_pool_matches_mice_pool_scalar(case):
    # R: mice::pool.scalar(Q, U, n = n, k = 1): qbar, ubar, b, t, df, r, fmi
    q, u, dfcom = CASES[case]
    res = pool(q, u, dfcom)
    got = {
        "qbar": res.estimate,
        "ubar": res.ubar,
        "b": res.b,
        "t": res.total_var,
        "df": res.df,
        "r": res.riv,
        "fmi": res.fmi,
    }
    for key, value in got.items():
        assert value == pytest.approx(ref("pool_scalar", "", case, key), rel=1e-10, abs=1e-12), key


def test_nothing_missing_gives_the_complete_data_estimate_and_se_exactly():
    res = pool([-0.7] * 10, [0.02] * 10, 31.0)
    assert res.estimate == -0.7
    assert res.se == np.sqrt(0.02)
    assert res.b == 0 and res.riv == 0 and res.lambda_ == 0
    # Barnard-Rubin with lambda floored at 1e-4, as mice: df below dfcom (R: 29.17355)
    assert res.df < 31


def test_barnard_rubin_df_matches_r():
    # R: mice:::barnard.rubin(5, 0.01, 0.05, 30) = 16.36947773 (printed with digits = 10)
    assert barnard_rubin_df(5, 0.01, 0.05, 30) == pytest.approx(16.36947773, abs=1e-8)


def test_df_is_bounded_by_complete_data_df_and_grows_with_m():
    # Barnard & Rubin (1999): nu <= nu_com, and nu -> nu_obs as m grows with B/T fixed
    few = barnard_rubin_df(5, 0.01, 0.05, 30)
    many = barnard_rubin_df(500, 0.01, 0.05, 30)
    assert few < many < 30


def test_p_and_ci_agree():
    res = pool([1.0, 1.3, 0.8, 1.1], [0.09, 0.1, 0.08, 0.1], 20.0, ci_level=0.95)
    assert (res.p < 0.05) == (res.ci_low > 0 or res.ci_high < 0)
    assert res.ci_low < res.estimate < res.ci_high
    assert list(res.to_frame().columns) == POOLED_COLUMNS


def test_bad_inputs():
    with pytest.raises(ValueError, match="at least 2"):
        pool([1.0], [0.1], 10)
    with pytest.raises(ValueError, match="same length"):
        pool([1.0, 2.0], [0.1], 10)


def test_zero_variance_is_undefined_not_an_error():
    res = pool([0.0, 0.0, 0.0], [0.0, 0.0, 0.0], 10)
    assert res.estimate == 0 and res.se == 0
    assert np.isnan(res.p) and np.isnan(res.df) and np.isnan(res.ci_low)
