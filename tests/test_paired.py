"""Paired t-test, descriptives, Shapiro-Wilk, Pearson r and p.adjust against R.

Reference values: ``tests/reference/paired_reference.R`` (R 4.2.2): ``t.test(post, pre,
paired = TRUE, conf.level = ci)``, ``mean``/``sd``/``median``, ``shapiro.test(post - pre)``,
``cor(pre, post)``; ``p.adjust`` from ``compare_reference.csv``.
"""

import numpy as np
import pytest
from paired_reference import ROWS, RTOL, pairs

from msrelax_stats.stats.paired import (
    adjust_pvalues,
    describe_pairs,
    paired_t,
    pearson_r,
    shapiro_differences,
)


@pytest.mark.parametrize("ref", ROWS)
def test_descriptives_match_r(ref):
    d = describe_pairs(*pairs(ref.dataset))
    assert d.n == ref.n
    for name in ("pre_mean", "pre_sd", "post_mean", "post_sd", "pre_median", "post_median",
                 "diff_mean", "diff_sd"):  # fmt: skip
        assert getattr(d, name) == pytest.approx(getattr(ref, name), rel=RTOL), name


@pytest.mark.parametrize("ref", ROWS)
def test_paired_t_matches_r(ref):
    res = paired_t(*pairs(ref.dataset), ci_level=ref.ci_level)
    assert res.statistic == pytest.approx(ref.t, rel=RTOL)
    assert res.df == pytest.approx(ref.df, rel=RTOL)
    assert res.pvalue == pytest.approx(ref.p_t, rel=RTOL)
    assert res.ci_low == pytest.approx(ref.diff_ci_low, rel=RTOL)
    assert res.ci_high == pytest.approx(ref.diff_ci_high, rel=RTOL)


@pytest.mark.parametrize("ref", ROWS)
def test_shapiro_and_r_match_r(ref):
    pre, post = pairs(ref.dataset)
    res = shapiro_differences(pre, post)
    assert res.statistic == pytest.approx(ref.shapiro_w, rel=RTOL)
    assert res.pvalue == pytest.approx(ref.shapiro_p, rel=RTOL)
    assert pearson_r(pre, post) == pytest.approx(ref.r_pre_post, rel=RTOL)


def test_p_adjust_by_hand():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    #    p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH")   = 0.02 0.04 0.04 0.02
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), [0.03, 0.06, 0.06, 0.02], rtol=1e-12)
    np.testing.assert_allclose(adjust_pvalues(p, "fdr_bh"), [0.02, 0.04, 0.04, 0.02], rtol=1e-12)
    # NaN stays NaN and is not counted: p.adjust(c(0.01, NA, 0.04), "holm") = 0.02 NA 0.04
    out = adjust_pvalues([0.01, np.nan, 0.04], "holm")
    assert np.isnan(out[1]) and out[0] == pytest.approx(0.02) and out[2] == pytest.approx(0.04)


@pytest.mark.parametrize("n", [0, 1])
def test_fewer_than_two_pairs_nan_with_note(n):
    x = np.arange(n, dtype=float)
    res = paired_t(x, x + 1)
    assert np.isnan(res.statistic) and np.isnan(res.pvalue) and res.note
    assert np.isnan(shapiro_differences(x, x + 1).pvalue)


def test_zero_variance_change_nan_with_note():
    x = np.array([4.0, 5.0, 6.0])
    res = paired_t(x, x - 1)
    assert np.isnan(res.pvalue) and res.mean_diff == -1.0 and "zero variance" in res.note
    assert np.isnan(pearson_r(x, np.ones(3)))
