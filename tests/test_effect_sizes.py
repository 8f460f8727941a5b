"""d_z, d_av/g_av (with the BCa bootstrap), rank-biserial and BF10 against R and scipy.

Reference values: ``tests/reference/paired_reference.R`` (R 4.2.2, effectsize 0.8.3,
BayesFactor 0.9.12-4.4):
- d_z CI: noncentral-t inversion with ``uniroot(pt(t, n - 1, ncp = .) - p, tol = 1e-13)``
  (columns ``d_z_ci_*``), and ``effectsize::cohens_d(post, pre, paired = TRUE)`` (columns
  ``d_z_ci_*_effectsize``, found by Nelder-Mead, so agreeing to about 1e-5 only);
- d_av and g_av by hand in R with ``J = exp(lgamma(df/2) - log(sqrt(df/2)) - lgamma((df-1)/2))``;
- ``effectsize::rank_biserial(post - pre)`` (and the two-argument form where no difference is 0);
- ``exp(ttestBF(x = post, y = pre, paired = TRUE, rscale = sqrt(2)/2)@bayesFactor$bf)``.
The BCa interval is checked against ``scipy.stats.bootstrap(paired=True, method="BCa")`` with
the same generator, seed and batch.
"""

import numpy as np
import pytest
from paired_reference import DATA, EXPECTED, ROWS, RTOL, pairs
from scipy import stats

from msrelax_stats.stats.bootstrap import bca_paired
from msrelax_stats.stats.effect_sizes import (
    _d_av_stat,
    bayes_factor_paired,
    cohens_dz,
    d_av,
    g_av,
    hedges_j,
    rank_biserial,
)


@pytest.mark.parametrize("ref", ROWS)
def test_d_z_and_noncentral_t_ci_match_r(ref):
    res = cohens_dz(*pairs(ref.dataset), ci_level=ref.ci_level)
    assert res.estimate == pytest.approx(ref.d_z, rel=RTOL)
    assert res.ci_low == pytest.approx(ref.d_z_ci_low, rel=RTOL)
    assert res.ci_high == pytest.approx(ref.d_z_ci_high, rel=RTOL)
    # effectsize's optim() stops near 1e-6 absolute: same interval within that
    assert res.ci_low == pytest.approx(ref.d_z_ci_low_effectsize, abs=1e-5)
    assert res.ci_high == pytest.approx(ref.d_z_ci_high_effectsize, abs=1e-5)


@pytest.mark.parametrize("ref", ROWS)
def test_d_av_g_av_match_r(ref):
    pre, post = pairs(ref.dataset)
    assert d_av(pre, post) == pytest.approx(ref.d_av, rel=RTOL)
    assert hedges_j(ref.n - 1) == pytest.approx(ref.hedges_j, rel=RTOL)
    value, g = g_av(pre, post, ci_level=ref.ci_level, n_boot=2000)
    assert value == pytest.approx(ref.d_av, rel=RTOL)
    assert g.estimate == pytest.approx(ref.g_av, rel=RTOL)


@pytest.mark.parametrize("ref", ROWS)
def test_rank_biserial_matches_r(ref):
    pre, post = pairs(ref.dataset)
    res = rank_biserial(pre, post, ci_level=ref.ci_level)
    assert res.estimate == pytest.approx(ref.rank_biserial, rel=RTOL)
    assert res.ci_low == pytest.approx(ref.rank_biserial_ci_low, rel=RTOL)
    assert res.ci_high == pytest.approx(ref.rank_biserial_ci_high, rel=RTOL)
    if np.all(post != pre):  # then effectsize's two-argument paired form agrees too
        assert res.ci_low == pytest.approx(ref.rank_biserial_two_arg_ci_low, rel=RTOL)


@pytest.mark.parametrize("ref", [r for r in ROWS if r.values[0].ci_level == 0.95])
def test_bf10_matches_bayesfactor(ref):
    assert bayes_factor_paired(*pairs(ref.dataset)) == pytest.approx(ref.bf10, rel=1e-3)


@pytest.mark.parametrize("name", ["fss32", "small7", "normal60"])
def test_bca_equals_scipy_bootstrap_with_same_draws(name):
    pre, post = pairs(name)
    j = hedges_j(pre.size - 1)

    def stat(x, y, axis=-1):
        return j * _d_av_stat(x, y, axis=axis)

    ours = bca_paired(pre, post, stat, ci_level=0.9, n_boot=3000, seed=7)
    ref = stats.bootstrap((pre, post), stat, paired=True, vectorized=True, n_resamples=3000,
                          batch=1000, method="BCa", confidence_level=0.9,
                          rng=np.random.default_rng(7))  # fmt: skip
    assert ours.n_dropped == 0
    assert ours.ci_low == pytest.approx(ref.confidence_interval.low, rel=1e-10)
    assert ours.ci_high == pytest.approx(ref.confidence_interval.high, rel=1e-10)


def test_g_av_bootstrap_is_seeded_and_drops_undefined_resamples():
    pre, post = pairs("nrs5")  # 5 pairs: some resamples repeat one pair -> SD 0 at both visits
    _, a = g_av(pre, post, n_boot=3000, seed=3)
    _, b = g_av(pre, post, n_boot=3000, seed=3)
    _, c = g_av(pre, post, n_boot=3000, seed=4)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert (a.ci_low, a.ci_high) != (c.ci_low, c.ci_high)
    assert "dropped" in a.note and np.isfinite(a.ci_low)
    assert a.ci_low < a.estimate < a.ci_high


def test_d_z_ci_excludes_zero_exactly_when_t_test_rejects():
    for name in DATA["dataset"].unique():
        pre, post = pairs(name)
        ref = EXPECTED[(EXPECTED["dataset"] == name) & (EXPECTED["ci_level"] == 0.95)].iloc[0]
        res = cohens_dz(pre, post)
        assert (res.ci_low > 0 or res.ci_high < 0) == (ref.p_t < 0.05)


def test_undefined_effect_sizes_are_nan_with_note():
    x = np.array([3.0, 4.0, 5.0])
    assert np.isnan(cohens_dz(x, x + 1).estimate) and cohens_dz(x, x + 1).note
    assert np.isnan(cohens_dz(x[:1], x[:1] + 1).estimate)
    assert np.isnan(rank_biserial(x, x).estimate)
    assert np.isnan(bayes_factor_paired(x, x))
    _, g = g_av(x, x + 1, n_boot=200)
    assert np.isfinite(g.estimate) and np.isnan(g.ci_low) and g.note
