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

from msrelax_stats.stats.power import (
    detectable_d_z,
    n_for_d_z,
    paired_t_power,
    wilcoxon_power_sim,
)

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
