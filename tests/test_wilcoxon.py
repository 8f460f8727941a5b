"""Wilcoxon signed-rank, sign test and Hodges-Lehmann against R (tests/reference/).

Reference values: ``tests/reference/paired_reference.R`` (R 4.2.2) on the synthetic datasets of
``paired_data.csv``; the R calls are ``wilcox.test(post, pre, paired = TRUE)`` (V, p, method),
``wilcox.test(post, pre, paired = TRUE, conf.int = TRUE, conf.level = ci)`` (Hodges-Lehmann
estimate, CI and the achieved conf.level) and ``binom.test(sum(d > 0), sum(d != 0))``.
"""

import numpy as np
import pytest
from paired_reference import EXPECTED, ROWS, RTOL, pairs

from msrelax_stats.stats.hodges_lehmann import _ShiftedStatistic, hodges_lehmann
from msrelax_stats.stats.wilcoxon import (
    _normal_z,
    sign_test,
    signrank_pmf,
    wilcoxon_signed_rank,
)


@pytest.mark.parametrize("ref", ROWS)
def test_signed_rank_matches_r(ref):
    res = wilcoxon_signed_rank(*pairs(ref.dataset))
    assert res.statistic == pytest.approx(ref.w_plus, rel=RTOL)
    assert res.pvalue == pytest.approx(ref.p_wilcoxon, rel=RTOL)
    r_exact = "exact" in ref.wilcoxon_method
    assert (res.method == "exact") == r_exact
    if not r_exact:
        assert "continuity correction" in ref.wilcoxon_method
        assert res.method == "normal approximation with continuity correction"


@pytest.mark.parametrize("ref", ROWS)
def test_sign_test_matches_r(ref):
    assert sign_test(*pairs(ref.dataset)).pvalue == pytest.approx(ref.p_sign, rel=RTOL)


@pytest.mark.parametrize("ref", ROWS)
def test_hodges_lehmann_matches_r(ref):
    res = hodges_lehmann(*pairs(ref.dataset), ci_level=ref.ci_level)
    assert res.estimate == pytest.approx(ref.hl_shift, rel=RTOL)
    assert res.ci_low == pytest.approx(ref.hl_ci_low, rel=RTOL)
    assert res.ci_high == pytest.approx(ref.hl_ci_high, rel=RTOL)
    assert res.ci_level == pytest.approx(ref.hl_conf_level, rel=RTOL)
    assert (res.note != "") == (abs(ref.hl_conf_level - ref.ci_level) > 1e-12)


def test_paths_covered_by_the_reference_data():
    # the reference data must exercise both paths, ties and zeros, and n < 10
    methods = set(EXPECTED["wilcoxon_method"])
    assert any("exact" in m for m in methods) and any("continuity" in m for m in methods)
    assert (EXPECTED["n"] < 10).any()
    pre, post = pairs("ties_zeros")
    assert np.sum(post == pre) > 0


def test_signrank_pmf_by_hand():
    # n = 4: subsets of {1,2,3,4} by sum 0..10 -> 1,1,1,2,2,2,2,2,1,1,1 (hand count), / 16
    expected = np.array([1, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1]) / 16
    np.testing.assert_array_equal(signrank_pmf(4), expected)


def test_all_zero_differences_give_nan_without_warning():
    x = np.array([3.0, 4.0, 5.0])
    assert np.isnan(wilcoxon_signed_rank(x, x).pvalue)
    assert np.isnan(sign_test(x, x).pvalue)
    res = hodges_lehmann(x, x)
    assert np.isnan(res.estimate) and res.note


def test_equal_nonzero_differences_have_no_normal_ci():
    # R: all |d| tied -> W(mumin) is not finite -> CI NaN, estimate = midrange
    res = hodges_lehmann(np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 3.0, 4.0, 5.0]))
    assert res.estimate == 1.0 and np.isnan(res.ci_low) and np.isnan(res.ci_high)


@pytest.mark.parametrize("kind", ["integers", "continuous", "tenths", "thirds"])
def test_shifted_statistic_is_the_normal_statistic_of_the_shifted_differences(kind):
    # the root search's O(n) evaluation must give _normal_z's floats, ties and zeros included
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 60, 333):
        x = {
            "integers": rng.integers(-5, 6, n).astype(float),
            "continuous": rng.normal(0, 1, n),
            "tenths": np.round(rng.normal(0, 2, n), 1),
            "thirds": rng.integers(-3, 4, n) / 3.0,
        }[kind]
        x = x[x != 0]
        if not x.size:
            continue
        shifted = _ShiftedStatistic(x)
        shifts = [*rng.uniform(x.min() - 1, x.max() + 1, 15), *x[:8], x.min(), x.max(), 0.0]
        for d in shifts:
            for correct in (True, False):
                expected = _normal_z(x - d, correct)
                got = shifted(d, correct)
                assert got == expected or (np.isnan(got) and np.isnan(expected))
