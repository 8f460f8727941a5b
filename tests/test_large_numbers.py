"""Large n and large t: finite where R is finite, ``inf`` beyond, never an exception (issue 13).

References (committed; the tests never need R or mpmath):

- ``tests/reference/bayes_factor_large_t.R`` -> ``bayes_factor_large_t.csv``: R 4.2.2,
  BayesFactor 0.9.12-4.4, ``ttest.tstat(t, n, rscale = "medium")$bf`` (log BF10) with R's
  ``properror`` on a grid of n = 2 .. 200,000 and t = 0 .. 10,000.
- ``tests/reference/bayes_factor_large_t.py`` -> ``bayes_factor_large_t_mpmath.csv``: the same
  Bayes factors (Rouder et al. 2009, eq. 1) integrated with mpmath at 40 digits. For
  |t| > 15 BayesFactor switches to its "approximation" branch, whose quadrature of the
  noncentral-t likelihood drifts (0.52 in log BF10 at n = 5, t = 1000; 0.59 at n = 2,
  t = 1000, an error at n = 2, t = 10000): there the value is checked against mpmath, and
  against R only for being finite or not.
- ``tests/reference/large_study_reference.R`` -> ``large_study_reference.csv``: the paired
  statistics of a 20,000-participant study with a large effect (made by the same integer
  formula here and in R), and ``power_extremes.csv``: ``power.t.test(type = "paired",
  strict = TRUE)`` for tiny and huge effects.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special, stats

from msrelax_stats.pipeline import analyze
from msrelax_stats.stats.effect_sizes import (
    bayes_factor_paired,
    cohens_dz,
    log_bf10_paired,
    noncentral_t_interval,
)
from msrelax_stats.stats.power import detectable_d_z, n_for_d_z, paired_t_power

REF = Path(__file__).parent / "reference"
R_GRID = pd.read_csv(REF / "bayes_factor_large_t.csv", na_values=["NA"])
MPMATH = pd.read_csv(REF / "bayes_factor_large_t_mpmath.csv")
LARGE = pd.read_csv(REF / "large_study_reference.csv", na_values=["NA"]).set_index("statistic")
POWER = pd.read_csv(REF / "power_extremes.csv")
LOG_FLOAT_MAX = math.log(np.finfo(float).max)


def grid_ids(frame: pd.DataFrame) -> list[str]:
    return [f"n={int(n)}-t={t:g}" for n, t in zip(frame["n"], frame["t"], strict=True)]


@pytest.mark.parametrize("row", list(MPMATH.itertuples()), ids=grid_ids(MPMATH))
def test_log_bf10_matches_a_40_digit_quadrature(row):
    value = log_bf10_paired(row.t, int(row.n))
    assert value == pytest.approx(row.log_bf10, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("row", list(R_GRID.itertuples()), ids=grid_ids(R_GRID))
def test_bf10_is_finite_exactly_where_bayesfactor_is(row):
    log_bf = log_bf10_paired(row.t, int(row.n))
    assert math.isfinite(log_bf)  # the log is always an ordinary number
    if math.isnan(row.log_bf10):  # R stops with an error (n = 2, t = 10000); we do not
        return
    ours_finite = log_bf < LOG_FLOAT_MAX
    assert ours_finite == math.isfinite(row.bf10), (log_bf, row.log_bf10)
    if abs(row.t) <= 15:  # R's exact branch: within its own error estimate
        tolerance = 1e-4 * max(1.0, abs(row.log_bf10)) + row.properror
        assert abs(log_bf - row.log_bf10) <= tolerance


def paired_with_t(t: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs whose paired t statistic is ``t`` (changes mean t / sqrt(n), SD 1)."""
    base = np.linspace(-1.0, 1.0, n)
    changes = (base - base.mean()) / base.std(ddof=1) + t / math.sqrt(n)
    pre = np.full(n, 5.0)
    return pre, pre + changes


@pytest.mark.parametrize(("t", "n"), [(38.0, 20_000), (40.0, 20_000), (300.0, 200_000)])
def test_bayes_factor_paired_is_inf_only_beyond_the_float_range(t, n):
    # R: ttest.tstat(38, 20000)$bf = 692.19 (exp finite), 764.66 at t = 40 (exp = Inf)
    bf = bayes_factor_paired(*paired_with_t(t, n))
    log_bf = log_bf10_paired(t, n)
    if log_bf < LOG_FLOAT_MAX:
        assert bf == pytest.approx(math.exp(log_bf), rel=1e-6)
    else:
        assert bf == math.inf


@pytest.mark.parametrize("t", [1e6, 7e17, 1e200, -1e300])
@pytest.mark.parametrize("n", [2, 5, 20_000, 200_000])
def test_log_bf10_never_fails_at_absurd_t(t, n):
    """Changes equal up to rounding give |t| ~ 1e17: an answer, never an exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = log_bf10_paired(t, n)
    assert value > 0 and not math.isnan(value)
    assert value == log_bf10_paired(-t, n)  # BF10 depends on t^2 only


def test_bayes_factor_of_changes_equal_up_to_rounding_is_a_number_not_an_error():
    pre = np.array([40, 31, 49, 22, 58, 45, 36]) / 9  # FSS means (item sums / 9) ...
    post = np.array([31, 22, 40, 13, 49, 36, 27]) / 9  # ... every change -9/9 = -1 point, but
    # not exactly in floating point: the SD of the changes is ~1e-16, not 0
    assert np.ptp(post - pre) > 0  # t ~ -1e16 (R's t.test: "data are essentially constant")
    d = post - pre
    t = d.mean() / (d.std(ddof=1) / math.sqrt(d.size))
    assert bayes_factor_paired(pre, post) == pytest.approx(math.exp(log_bf10_paired(t, 7)))


# ---- noncentral t ------------------------------------------------------------------------------


@pytest.mark.parametrize("df", [1, 4, 30, 19_999, 199_999])
@pytest.mark.parametrize("t", [264.0, 5_000.0, 1e5])
def test_noncentral_t_intervals_never_raise(t, df):
    for solve in (noncentral_t_interval,):  # the one inversion (d_z, Hedges g, ANCOVA)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no warning reaches the user either
            low, high = solve(t, df, 0.95)
        assert (math.isnan(low) and math.isnan(high)) or low < t < high
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            tails = [1 - stats.nct.sf(t, df, ncp) for ncp in (low, high)]
        if all(map(math.isfinite, [low, high, *tails])):  # P(T <= t | ncp_L) = 0.975
            assert tails == pytest.approx([0.975, 0.025], abs=1e-9)


def test_d_z_ci_that_cannot_be_computed_says_so():
    res = cohens_dz([1.0, 2.0, 3.0, 4.0, 5.0], [0.0, 1.0000001, 2.0, 3.0, 4.0])  # t ~ -5e7
    assert math.isnan(res.ci_low) and math.isnan(res.ci_high)
    assert "d_z CI not computable" in res.note


# ---- power --------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", list(POWER.itertuples()), ids=[f"d={d:g}" for d in POWER["delta"]])
def test_n_for_tiny_and_huge_effects_matches_r(row):
    res = n_for_d_z(row.delta)
    if row.n < 2:  # R's root is below two pairs: two pairs are what a paired test needs
        assert res.n == 2 and math.isnan(res.n_exact)
        assert paired_t_power(row.delta, 2) >= 0.8
    else:
        assert res.n_exact == pytest.approx(row.n, rel=1e-9)
        assert res.n == math.ceil(row.n)


@pytest.mark.parametrize("n", [1e13, 1e15, 1e20])
def test_detectable_d_z_at_huge_n_is_the_normal_limit(n):
    # as df -> inf the paired t-test is a two-sided z-test (error O(1/df)): the d solving
    # Phi(d sqrt(n) - z) + Phi(-d sqrt(n) - z) = 0.8 with z = z_{0.975}; R's power.t.test gives
    # 1.1e-4 at n = 1e13, where its uniroot interval (1e-7 sd) does not hold the root
    z = special.ndtri(0.975)
    ncp = optimize.brentq(lambda m: special.ndtr(m - z) + special.ndtr(-m - z) - 0.8, 0, 10,
                          xtol=1e-15)  # fmt: skip
    assert detectable_d_z(n) == pytest.approx(ncp / math.sqrt(n), rel=1e-9)


# ---- a whole analysis of 20,000 participants (issue 16) ----------------------------------------


def large_study(n: int = 20_000) -> pd.DataFrame:
    """The study of large_study_reference.R: FSS items by an integer formula, a large effect."""
    i = np.arange(n)[:, None]
    k = np.arange(1, 10)[None, :]
    pre = 3 + (7 * i + 3 * k) % 5
    post = np.clip(pre - 2 + (5 * i + k * (i % 7)) % 3, 1, 7)
    ids = np.array([f"P{j:05d}" for j in range(n)])
    items = pd.DataFrame(np.vstack([pre, post]), columns=[f"fss_{j}" for j in range(1, 10)])
    items.insert(0, "time", ["pre"] * n + ["post"] * n)
    items.insert(0, "id", np.concatenate([ids, ids]))
    return items


@pytest.fixture(scope="module")
def large_row():
    """analyze() of the 20,000-participant study without writing anything.

    ``n_boot=2000``: the bootstrap CI of g_av is not what this test is about (with the O(n)
    jackknife of stats/bootstrap.py the fixture takes a few seconds; before it, the O(n^2)
    jackknife took about 17 s of 25).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # scipy: Shapiro-Wilk p for N > 5000
        result = analyze(large_study(), out=None, n_boot=2000, outcomes=["fss_mean"])
    return result.paired.table.iloc[0]


EXACT = ["n", "pre_mean", "pre_sd", "post_mean", "post_sd", "diff_mean", "diff_sd",
         "diff_ci_low", "diff_ci_high", "t", "df", "d_z", "r_pre_post", "w_plus"]  # fmt: skip


@pytest.mark.parametrize("column", EXACT)
def test_large_study_matches_r(large_row, column):
    assert large_row[column] == pytest.approx(LARGE.loc[column, "value"], rel=1e-9, abs=1e-12)


def test_large_study_nonparametric_and_effect_sizes_match_r(large_row):
    # wilcox.test(post, pre, paired = TRUE, conf.int = TRUE): normal approximation with ties,
    # R's uniroot (tol 1e-4 of the range of the differences) for the interval ends
    for column in ("hl_shift", "hl_ci_low", "hl_ci_high"):
        assert large_row[column] == pytest.approx(LARGE.loc[column, "value"], abs=1e-4)
    for column in ("rank_biserial", "rank_biserial_ci_low", "rank_biserial_ci_high"):
        assert large_row[column] == pytest.approx(LARGE.loc[column, "value"], abs=1e-12)
    # effectsize::cohens_d: R's pt() approximates for ncp > 37.62 (here |ncp| ~ 265)
    for column in ("d_z_ci_low", "d_z_ci_high"):
        assert large_row[column] == pytest.approx(LARGE.loc[column, "value"], abs=1e-4)


def test_large_study_p_values_underflow_as_in_r(large_row):
    for column in ("p_t", "p_wilcoxon", "p_sign", "p_holm", "p_fdr"):
        assert 0 <= large_row[column] <= 1e-300  # R: 0, 0 and 4.9e-324 (binom.test)


def test_large_study_bf10_is_inf_as_in_r_and_shapiro_is_not_computed(large_row):
    assert math.isinf(LARGE.loc["bf10", "value"]) and large_row["bf10"] == math.inf
    t = float(large_row["t"])
    assert log_bf10_paired(t, 20_000) == pytest.approx(LARGE.loc["log_bf10", "value"], rel=1e-9)
    assert math.isnan(LARGE.loc["shapiro_p", "value"])  # R's shapiro.test: n <= 5000
    assert math.isnan(large_row["shapiro_p"])


def test_large_study_other_columns_are_finite(large_row):
    for column in ("g_av", "g_av_ci_low", "g_av_ci_high", "d_av", "hl_shift"):
        assert math.isfinite(large_row[column]), column
