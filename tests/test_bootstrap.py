"""stats/bootstrap.py: blocked evaluation and jackknife against scipy and a hand-written jackknife.

References: ``scipy.stats.bootstrap(..., paired=True, method="BCa")`` with the same seed and
``batch`` (same draws), and the acceleration of Efron & Tibshirani (1993, eq. 14.15) computed
below with an explicit leave-one-out loop (``np.delete``), independent of the module's blocks.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from msrelax_stats.stats import bootstrap
from msrelax_stats.stats.bootstrap import bca_paired


def mean_ratio(x, y, axis=-1):
    """A mean/SD statistic like g_av (mean change over the average SD)."""
    sd = np.sqrt((np.var(x, axis=axis, ddof=1) + np.var(y, axis=axis, ddof=1)) / 2)
    return np.mean(y - x, axis=axis) / sd


@pytest.fixture
def pairs():
    rng = np.random.default_rng(11)
    pre = rng.normal(20, 4, 57)
    post = pre - 2 + rng.normal(0, 3, 57)
    return pre, post


def test_tiny_blocks_give_scipy_interval(pairs, monkeypatch):
    monkeypatch.setattr(bootstrap, "BLOCK_ELEMENTS", 57 * 3 + 5)  # 3 rows per block
    ours = bca_paired(*pairs, mean_ratio, ci_level=0.9, n_boot=2000, seed=5)
    ref = stats.bootstrap(pairs, mean_ratio, paired=True, vectorized=True, n_resamples=2000,
                          batch=700, method="BCa", confidence_level=0.9,
                          rng=np.random.default_rng(5))  # fmt: skip
    assert ours.ci_low == pytest.approx(ref.confidence_interval.low, rel=1e-10)
    assert ours.ci_high == pytest.approx(ref.confidence_interval.high, rel=1e-10)


def test_acceleration_is_the_leave_one_out_jackknife(pairs, monkeypatch):
    pre, post = pairs
    n = pre.size
    jack = np.array([mean_ratio(np.delete(pre, i), np.delete(post, i)) for i in range(n)])
    u = (n - 1) * (jack.mean() - jack)
    expected = np.sum(u**3) / (6 * np.sum(u**2) ** 1.5)  # Efron & Tibshirani eq. 14.15
    for block in (10**9, 57 * 4):  # one block, then blocks of 4 rows with a short last one
        monkeypatch.setattr(bootstrap, "BLOCK_ELEMENTS", block)
        res = bca_paired(pre, post, mean_ratio, n_boot=500, seed=1)
        assert res.acceleration == pytest.approx(expected, rel=1e-9)


def test_blocking_changes_no_value(pairs, monkeypatch):
    whole = bca_paired(*pairs, mean_ratio, n_boot=1500, seed=2)
    monkeypatch.setattr(bootstrap, "BLOCK_ELEMENTS", 57 * 7)
    blocked = bca_paired(*pairs, mean_ratio, n_boot=1500, seed=2)
    assert blocked == whole


def test_progress_bar_never_changes_the_result(pairs, monkeypatch):
    monkeypatch.setattr(bootstrap, "PROGRESS_ELEMENTS", 0)  # ask for a bar on every run
    shown = bca_paired(*pairs, mean_ratio, n_boot=800, seed=3, progress=True)
    hidden = bca_paired(*pairs, mean_ratio, n_boot=800, seed=3, progress=False)
    assert shown == hidden


def test_closed_form_leave_one_out_equals_deleting_each_pair(pairs):
    """Efron & Tibshirani (1993, sec. 11.2): theta_(i) is the statistic without pair i; the
    closed forms (leave-one-out mean and variance) must give what np.delete gives."""
    from msrelax_stats.stats.bootstrap import MEAN_CHANGE
    from msrelax_stats.stats.effect_sizes import _g_av_statistic

    pre, post = pairs
    n = pre.size
    g_stat = _g_av_statistic(0.97)
    deleted_mean = np.array([np.mean(np.delete(post - pre, i)) for i in range(n)])
    deleted_g = np.array(
        [g_stat.values(np.delete(pre, i), np.delete(post, i), -1) for i in range(n)]
    )
    np.testing.assert_allclose(MEAN_CHANGE.leave_one_out(pre, post), deleted_mean, rtol=1e-12)
    np.testing.assert_allclose(g_stat.leave_one_out(pre, post), deleted_g, rtol=1e-12)


def test_one_draw_serves_every_statistic_and_blocks_change_nothing(pairs, monkeypatch):
    from msrelax_stats.stats.bootstrap import MEAN_CHANGE, bootstrap_pairs

    both = bootstrap_pairs(*pairs, {"diff": MEAN_CHANGE, "ratio": mean_ratio}, n_boot=1200, seed=4)
    alone = bca_paired(*pairs, MEAN_CHANGE, n_boot=1200, seed=4)
    assert both["diff"] == alone
    np.testing.assert_array_equal(both["diff"].distribution, alone.distribution)
    monkeypatch.setattr(bootstrap, "BLOCK_ELEMENTS", 57 * 5)  # 5 resamples per block
    blocked = bca_paired(*pairs, MEAN_CHANGE, n_boot=1200, seed=4)
    assert blocked == alone
    np.testing.assert_array_equal(blocked.distribution, alone.distribution)
    # scipy's BCa of the mean change from the same draws (its default batch: all at once)
    ref = stats.bootstrap(pairs, lambda x, y, axis=-1: np.mean(y - x, axis=axis), paired=True,
                          vectorized=True, n_resamples=1200, method="BCa",
                          rng=np.random.default_rng(4))  # fmt: skip
    assert alone.ci_low == pytest.approx(ref.confidence_interval.low, rel=1e-10)
    assert alone.ci_high == pytest.approx(ref.confidence_interval.high, rel=1e-10)


# ---------------------------------------------------------------- two independent samples
@pytest.fixture
def arms():
    rng = np.random.default_rng(23)
    return rng.normal(-1.1, 0.9, 16), rng.normal(-0.2, 0.7, 15)


def mean_difference(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def test_two_samples_give_scipy_interval_and_distribution(arms):
    # scipy.stats.bootstrap((x, y), ..., method="BCa"): x resampled, then y, same generator
    res = bootstrap.bootstrap_two_samples(*arms, {"d": bootstrap.MEAN_DIFFERENCE},
                                          ci_level=0.9, n_boot=3000, seed=4)["d"]  # fmt: skip
    ref = stats.bootstrap(arms, mean_difference, vectorized=True, n_resamples=3000,
                          method="BCa", confidence_level=0.9, rng=np.random.default_rng(4))  # fmt: skip
    assert res.ci_low == pytest.approx(ref.confidence_interval.low, rel=1e-10)
    assert res.ci_high == pytest.approx(ref.confidence_interval.high, rel=1e-10)
    np.testing.assert_allclose(res.distribution, ref.bootstrap_distribution, rtol=1e-12)
    assert res.estimate == pytest.approx(arms[0].mean() - arms[1].mean(), rel=1e-12)


def test_two_samples_in_blocks_are_scipy_with_the_same_batch(arms, monkeypatch):
    monkeypatch.setattr(bootstrap, "BLOCK_ELEMENTS", 31 * 250)  # 250 resamples per block
    res = bootstrap.bootstrap_two_samples(*arms, {"d": mean_difference}, n_boot=1000,
                                          seed=9)["d"]  # fmt: skip
    ref = stats.bootstrap(arms, mean_difference, vectorized=True, n_resamples=1000, batch=250,
                          method="BCa", rng=np.random.default_rng(9))  # fmt: skip
    assert res.ci_low == pytest.approx(ref.confidence_interval.low, rel=1e-10)
    assert res.ci_high == pytest.approx(ref.confidence_interval.high, rel=1e-10)


def test_two_sample_acceleration_sums_both_jackknives(arms):
    # Efron & Tibshirani (1993) eq. 15.36 with an explicit leave-one-out loop per sample
    x, y = arms
    terms = []
    for j, sample in enumerate((x, y)):
        jack = np.array([mean_difference(np.delete(x, i), y) if j == 0 else
                         mean_difference(x, np.delete(y, i)) for i in range(sample.size)])  # fmt: skip
        u = (sample.size - 1) * (jack.mean() - jack)
        terms.append((np.sum(u**3) / sample.size**3, np.sum(u**2) / sample.size**2))
    expected = sum(t[0] for t in terms) / (6 * sum(t[1] for t in terms) ** 1.5)
    closed = bootstrap.bootstrap_two_samples(x, y, {"d": bootstrap.MEAN_DIFFERENCE},
                                             n_boot=200)["d"]  # fmt: skip
    looped = bootstrap.bootstrap_two_samples(x, y, {"d": mean_difference}, n_boot=200)["d"]
    assert closed.acceleration == pytest.approx(expected, rel=1e-9)
    assert looped.acceleration == pytest.approx(expected, rel=1e-9)


def test_two_samples_need_two_values_each():
    res = bootstrap.bootstrap_two_samples(np.array([1.0]), np.array([1.0, 2.0, 3.0]),
                                          {"d": bootstrap.MEAN_DIFFERENCE}, n_boot=200)["d"]  # fmt: skip
    assert np.isnan(res.ci_low) and np.isnan(res.ci_high)


def test_density_is_the_gaussian_kernel_density_with_scotts_bandwidth():
    # Scott DW (1992), Multivariate Density Estimation, eq. 6.42 for d = 1: h = s n^(-1/5);
    # f(x) = mean(phi((x - x_i) / h)) / h, written out here (what the estimation plots draw)
    values = np.array([0.0, 1.0, 2.0, 4.0])
    boot = bootstrap.BootstrapResult(1.75, 0.0, 4.0, 0.95, 4, 0, 0.0, 0.0, 1, distribution=values)
    grid, density = boot.density(points=5)
    np.testing.assert_allclose(grid, [0.0, 1.0, 2.0, 3.0, 4.0])
    h = values.std(ddof=1) * values.size ** (-1 / 5)
    expected = [np.mean(np.exp(-0.5 * ((x - values) / h) ** 2)) / (h * np.sqrt(2 * np.pi))
                for x in grid]  # fmt: skip
    np.testing.assert_allclose(density, expected, rtol=1e-12)
    assert boot.density(points=5) is boot.density(points=5)  # computed once, kept


def test_density_is_none_for_a_constant_or_empty_distribution_and_travels_with_the_result():
    import pickle

    for values in (np.full(5, 2.0), np.empty(0)):
        boot = bootstrap.BootstrapResult(2.0, 2.0, 2.0, 0.95, 5, 0, 0.0, 0.0, 1,
                                         distribution=values)  # fmt: skip
        assert boot.density() is None
    boot = bootstrap.BootstrapResult(1.0, 0.0, 2.0, 0.95, 3, 0, 0.0, 0.0, 1,
                                     distribution=np.array([0.0, 1.0, 2.0]))  # fmt: skip
    grid, density = boot.density()
    again = pickle.loads(pickle.dumps(boot))  # the report's process gets it computed
    assert again == boot and again._densities.keys() == {200}
    np.testing.assert_array_equal(again._densities[200][1], density)
