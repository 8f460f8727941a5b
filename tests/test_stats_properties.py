"""Property: swapping pre and post flips every directional statistic, keeps every p-value.

Hypothesis with a fixed derandomised search and bounded examples. Expected relations follow
from the definitions (d -> -d): means, CIs (low <-> -high), t, d_z, d_av, g_av, rank-biserial
change sign; V becomes n'(n'+1)/2 - V (n' non-zero differences); p-values, Shapiro-Wilk, r and
BF10 stay. Hodges-Lehmann flips exactly in the exact path; in the normal path R's Brent
search stops anywhere within 1e-4 of a jump of a step function (or on a flat zero), so the
test checks that the swapped value is a root of the original problem.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from msrelax_stats.stats.compare import paired_row
from msrelax_stats.stats.wilcoxon import _normal_z

FLIP = ["diff_mean", "t", "d_z", "d_av", "g_av", "rank_biserial"]
FLIP_CI = [("diff_ci_low", "diff_ci_high"), ("d_z_ci_low", "d_z_ci_high"),
           ("rank_biserial_ci_low", "rank_biserial_ci_high"), ("g_av_ci_low", "g_av_ci_high")]  # fmt: skip
SAME = ["n", "diff_sd", "df", "p_t", "p_wilcoxon", "p_sign", "shapiro_w",
        "shapiro_p", "r_pre_post", "bf10"]  # fmt: skip

pairs = st.integers(min_value=3, max_value=40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 21), min_size=n, max_size=n),
        st.lists(st.integers(0, 21), min_size=n, max_size=n),
        st.sampled_from([1, 9, 10]),
    )
)


def same(a, b, rel=1e-9, abs_=1e-12):
    if np.isnan(a) or np.isnan(b):
        return np.isnan(a) and np.isnan(b)
    return a == pytest.approx(b, rel=rel, abs=abs_)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(pairs)
def test_swapping_visits_flips_signs_and_keeps_p_values(data):
    pre_raw, post_raw, divisor = data
    pre = np.asarray(pre_raw, float) / divisor
    post = np.asarray(post_raw, float) / divisor
    a = paired_row(pre, post, n_boot=300, seed=2).row
    b = paired_row(post, pre, n_boot=300, seed=2).row
    for col in FLIP:
        assert same(b[col], -a[col]), col
    for low, high in FLIP_CI:
        assert same(b[low], -a[high], rel=1e-7) and same(b[high], -a[low], rel=1e-7), low
    for col in SAME:
        assert same(b[col], a[col], rel=1e-7), col
    for x, y in (("pre_mean", "post_mean"), ("pre_sd", "post_sd"), ("pre_median", "post_median")):
        assert same(b[x], a[y]) and same(b[y], a[x]), x
    assert b["wilcoxon_method"] == a["wilcoxon_method"]
    d = post - pre
    nnz = int(np.sum(d != 0))
    assert same(b["w_plus"], nnz * (nnz + 1) / 2 - a["w_plus"])
    if a["wilcoxon_method"] == "exact":  # order statistics of Walsh averages: exact flip
        assert b["hl_shift"] == -a["hl_shift"]
        assert b["hl_ci_low"] == -a["hl_ci_high"] and b["hl_ci_high"] == -a["hl_ci_low"]
        return
    # normal path: R's roots of a step function are not unique (Brent stops anywhere within
    # 1e-4 of a jump, or on a flat zero). Check the defining property instead: with
    # W(mu) = signed-rank z of d - mu (non-increasing), -b is a root for the original data.
    x = d[d != 0]
    if x.size == 0 or np.isnan(b["hl_shift"]):
        return
    h = 2e-4
    mu = -b["hl_shift"]
    assert _normal_z(x - (mu - h), False) >= 0 >= _normal_z(x - (mu + h), False)
    if np.isfinite(b["hl_ci_low"]) and np.isfinite(a["hl_ci_high"]):
        z = special.ndtri((1 - 0.95) / 2)  # -b_low solves W_corrected(mu) = z_{alpha/2}
        if _normal_z(x - np.min(x), True) - special.ndtri(0.975) >= 0:  # level reached
            mu = -b["hl_ci_low"]
            assert _normal_z(x - (mu - h), True) >= z >= _normal_z(x - (mu + h), True)
