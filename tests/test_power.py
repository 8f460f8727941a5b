"""Power and sample size against R's ``power.t.test(type = "paired", strict = TRUE)``.

Reference values: ``tests/reference/power_reference.csv`` from ``paired_reference.R``:
``power.t.test(n = n, sd = 1, sig.level = a, power = p, type = "paired", strict = TRUE,
tol = 1e-12)$delta`` and ``power.t.test(delta = d, sd = 1, power = 0.8, type = "paired",
strict = TRUE, tol = 1e-12)$n``; Wilcoxon power from R's own simulation
(``mean(replicate(20000, wilcox.test(rnorm(n, d, 1))$p.value < 0.05))``, set.seed(1)).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from msrelax_stats.stats.effect_sizes import hedges_j
from msrelax_stats.stats.power import (
    _signed_rank_p,
    detectable_d_z,
    n_for_d_z,
    paired_t_power,
    simulate_paired_trials,
    wilcoxon_power_sim,
)
from msrelax_stats.stats.wilcoxon import signrank_pmf

EXPECTED = pd.read_csv(Path(__file__).parent / "reference" / "power_reference.csv")


@pytest.mark.parametrize("ref", list(EXPECTED[EXPECTED.quantity == "detectable_d_z"].itertuples()))
def test_detectable_d_z_matches_r(ref):
    got = detectable_d_z(int(ref.n), power=ref.power, alpha=ref.alpha)
    assert got == pytest.approx(ref.d_z, rel=1e-6)


@pytest.mark.parametrize("ref", list(EXPECTED[EXPECTED.quantity == "n_for_d_z"].itertuples()))
def test_n_for_d_z_matches_r(ref):
    res = n_for_d_z(ref.d_z, power=ref.power, alpha=ref.alpha)
    assert res.n_exact == pytest.approx(ref.n, rel=1e-6)
    assert res.n == int(np.ceil(ref.n))
    assert n_for_d_z(-ref.d_z).n == res.n  # direction does not change the n needed


def test_power_at_the_solution_is_the_target():
    assert paired_t_power(detectable_d_z(32), 32) == pytest.approx(0.8, abs=1e-10)


@pytest.mark.parametrize(
    "ref", list(EXPECTED[EXPECTED.quantity == "wilcoxon_power_sim"].itertuples())
)
def test_wilcoxon_power_sim_agrees_with_r_simulation(ref):
    got = wilcoxon_power_sim(ref.d_z, int(ref.n), n_sim=10000, seed=1)
    se = np.sqrt(ref.power * (1 - ref.power) * (1 / 10000 + 1 / 20000))
    assert abs(got - ref.power) < 4 * se


def test_wilcoxon_power_sim_is_seeded_and_holds_alpha_under_h0():
    assert wilcoxon_power_sim(0.4, 20, n_sim=3000, seed=5) == wilcoxon_power_sim(
        0.4, 20, n_sim=3000, seed=5, batch=700
    )
    # under H0 the exact test (n = 15) rejects when V <= 25 or V >= 95, with probability
    # R: 2 * psignrank(25, 15) = 0.0479126 (and 2 * psignrank(26, 15) = 0.0554 > 0.05)
    size = wilcoxon_power_sim(0.0, 15, n_sim=20000, seed=2)
    assert abs(size - 0.0479126) < 4 * np.sqrt(0.0479126 * 0.9520874 / 20000)


def test_wilcoxon_power_sim_normal_path_for_large_n():
    # n >= 50 uses the normal approximation; its power sits just below the t-test's (ARE 3/pi)
    got = wilcoxon_power_sim(0.35, 60, n_sim=5000, seed=1)
    assert got < paired_t_power(0.35, 60) + 0.02
    assert got > paired_t_power(0.35, 60 * 3 / np.pi) - 0.05


# ----------------------------------------------------------------------------- simulate_paired_trials
@pytest.mark.parametrize("d_z, n", [(0.5, 32), (0.3, 60)])
def test_simulated_t_power_agrees_with_noncentral_t(d_z, n):
    # R: power.t.test(n = 32, delta = 0.5, sd = 1, type = "paired", strict = TRUE)$power
    # = 0.7822760117; n = 60, delta = 0.3: 0.6277528273
    res = simulate_paired_trials(d_z, n, n_sim=8000, seed=3)
    expected = {(0.5, 32): 0.7822760117, (0.3, 60): 0.6277528273}[(d_z, n)]
    assert paired_t_power(d_z, n) == pytest.approx(expected, abs=1e-9)
    assert abs(res.power_t - expected) < 4 * np.sqrt(expected * (1 - expected) / 8000)
    # mean of d_z over trials: E[d_z-hat] = d_z / J(n - 1) (the bias Hedges' J removes)
    se_mean = res.d_z_sd / np.sqrt(8000)
    assert abs(res.d_z_mean - d_z / hedges_j(n - 1)) < 4 * se_mean


def test_simulated_trials_give_scipy_per_trial_tests():
    # the documented model: changes of trial i are row i of default_rng(seed).normal(d_z, 1, ...)
    res = simulate_paired_trials(0.4, 32, n_sim=300, seed=9, batch=300)
    d = np.random.default_rng(9).normal(0.4, 1.0, size=(300, 32))
    ref_t = stats.ttest_1samp(d, 0.0, axis=1)
    ref_w = stats.wilcoxon(d, axis=1, method="exact")
    np.testing.assert_allclose(res.p_t, ref_t.pvalue, rtol=1e-10)
    np.testing.assert_allclose(res.p_wilcoxon, ref_w.pvalue, rtol=1e-10)
    np.testing.assert_allclose(res.d_z, d.mean(axis=1) / d.std(axis=1, ddof=1), rtol=1e-12)
    assert res.power_t == np.mean(ref_t.pvalue < 0.05)


@pytest.mark.parametrize(
    "changes, r_p",
    [
        # R: wilcox.test(sin(1:12) * 3 + 0.5)$p.value (exact)
        (np.sin(np.arange(1, 13)) * 3 + 0.5, 0.51855468750000022),
        # R: wilcox.test(cos(1:32) + 0.4)$p.value (exact)
        (np.cos(np.arange(1, 33)) + 0.4, 0.0068945339880883702),
        # R: wilcox.test(sin(1:49) - 0.2)$p.value (exact, last n of the exact range)
        (np.sin(np.arange(1, 50)) - 0.2, 0.055647563666244799),
        # R: wilcox.test(sin(1:55) + 0.3)$p.value (normal approximation, correct = TRUE)
        (np.sin(np.arange(1, 56)) + 0.3, 0.0040016541759683756),
    ],
)
def test_vectorised_signed_rank_p_matches_r(changes, r_p):
    n = changes.size
    cdf = np.cumsum(signrank_pmf(n)) if n < 50 else None
    rows = np.vstack([changes, -changes])  # p is symmetric in the sign of the changes
    np.testing.assert_allclose(_signed_rank_p(rows, cdf), [r_p, r_p], rtol=1e-10)


def test_simulation_wilcoxon_decisions_equal_wilcoxon_power_sim_and_seeding():
    res = simulate_paired_trials(0.45, 20, n_sim=6000, seed=4, progress=False)
    assert res.power_wilcoxon == wilcoxon_power_sim(0.45, 20, n_sim=6000, seed=4)
    again = simulate_paired_trials(0.45, 20, n_sim=6000, seed=4, batch=777)
    np.testing.assert_array_equal(res.d_z, again.d_z)
    np.testing.assert_array_equal(res.p_wilcoxon, again.p_wilcoxon)
    other = simulate_paired_trials(0.45, 20, n_sim=6000, seed=5)
    assert not np.array_equal(res.d_z, other.d_z)
    assert res.wilcoxon_method == "exact"
    assert simulate_paired_trials(0.45, 50, n_sim=10).wilcoxon_method.startswith("normal")


def test_simulation_rejects_impossible_sizes():
    with pytest.raises(ValueError):
        simulate_paired_trials(0.5, 1)
    with pytest.raises(ValueError):
        simulate_paired_trials(0.5, 10, n_sim=0)
