"""Power and sample size of a paired pre/post comparison, in d_z units.

The G*Power / ``pwr.t.test(type = "paired")`` convention: the effect is d_z = mean change / SD
of change and the test is the two-sided paired t-test (both rejection tails counted, R's
``power.t.test(..., strict = TRUE)``). No post-hoc "observed power": these answer "what could
this study detect" and "how many pairs would a target need". The Wilcoxon signed-rank test gets
its power by simulation under normal differences, vectorised over the simulated trials.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from msrelax_stats.stats.wilcoxon import signrank_pmf

__all__ = ["SampleSize", "paired_t_power", "detectable_d_z", "n_for_d_z", "wilcoxon_power_sim"]


def paired_t_power(d_z: float, n: float, alpha: float = 0.05) -> float:
    """Power of the two-sided paired t-test for effect ``d_z`` with ``n`` pairs.

    Notes
    -----
    With df = n - 1, ncp = d_z sqrt(n) and c = t_{1 - alpha/2, df}:
    power = P(T_{df, ncp} > c) + P(T_{df, ncp} < -c), the value of ``statsmodels``'
    ``TTestPower().power``; computed here as ``nct.sf(c, df, ncp) + nct.sf(c, df, -ncp)``
    because scipy's ``nct.cdf`` returns NaN far in the lower tail for large ncp.

    Examples
    --------
    >>> round(paired_t_power(0.5, 34), 3)
    0.808
    """
    df = n - 1
    ncp = d_z * math.sqrt(n)
    c = stats.t.isf(alpha / 2, df)
    return float(stats.nct.sf(c, df, ncp) + stats.nct.sf(c, df, -ncp))


def detectable_d_z(n: int, power: float = 0.8, alpha: float = 0.05) -> float:
    """Smallest d_z the two-sided paired t-test detects with ``power`` at ``n`` pairs.

    Parameters
    ----------
    n : int
        Number of complete pairs (at least 2).
    power, alpha : float
        Target power and two-sided significance level.

    Returns
    -------
    float
        The positive d_z solving power(d_z, n) = ``power`` (R:
        ``power.t.test(n = n, sd = 1, power = power, type = "paired", strict = TRUE)$delta``).

    Notes
    -----
    Solved with Brent's method on the power function of :func:`paired_t_power`, to about
    1e-12 (``statsmodels``' own ``solve_power`` stops near 1e-7).

    Examples
    --------
    >>> round(detectable_d_z(32), 3)
    0.511
    """
    if n < 2:
        return np.nan
    return float(
        optimize.brentq(lambda d: paired_t_power(d, n, alpha) - power, 1e-6, 100.0, xtol=1e-14)
    )


@dataclass(frozen=True)
class SampleSize:
    """Pairs needed: ``n`` (rounded up) and the fractional solution ``n_exact`` (R's ``$n``)."""

    n: int
    n_exact: float
    d_z: float
    power: float
    alpha: float


def n_for_d_z(d_z: float, power: float = 0.8, alpha: float = 0.05) -> SampleSize:
    """Number of pairs the two-sided paired t-test needs to detect ``d_z`` with ``power``.

    Notes
    -----
    Solves power(|d_z|, n) = ``power`` for real n >= 2 (R:
    ``power.t.test(delta = d_z, sd = 1, power = power, type = "paired", strict = TRUE)$n``);
    ``n`` is that value rounded up.

    Examples
    --------
    >>> n_for_d_z(0.5).n
    34
    """
    d = abs(float(d_z))
    if d == 0 or not np.isfinite(d):
        return SampleSize(0, np.nan, float(d_z), power, alpha)
    exact = optimize.brentq(lambda n: paired_t_power(d, n, alpha) - power, 2.0, 1e7, xtol=1e-12)
    return SampleSize(int(math.ceil(exact - 1e-9)), float(exact), float(d_z), power, alpha)


def wilcoxon_power_sim(d_z: float, n: int, n_sim: int = 10000, seed: int = 1,
                       alpha: float = 0.05, batch: int = 5000) -> float:  # fmt: skip
    """Power of the two-sided Wilcoxon signed-rank test by simulation.

    Parameters
    ----------
    d_z : float
        True mean change in SD-of-change units (differences drawn from N(d_z, 1)).
    n : int
        Number of pairs.
    n_sim : int
        Simulated trials.
    seed : int
        Seed of ``numpy.random.default_rng``.
    alpha : float
        Two-sided significance level.
    batch : int
        Trials simulated at once (memory bound); the result does not depend on it.

    Returns
    -------
    float
        Proportion of trials with p < ``alpha``; Monte Carlo SE sqrt(p(1 - p)/n_sim).

    Notes
    -----
    All trials of a batch are ranked at once (``argsort`` along rows). Continuous
    differences have no ties or zeros, so R's rule applies: the exact null distribution of V
    when n < 50 (p = min(1, 2 min(P(V' <= V), P(V' >= V)))), else the normal approximation
    with continuity correction.

    Examples
    --------
    >>> 0.7 < wilcoxon_power_sim(0.5, 32, n_sim=2000) < 0.85
    True
    """
    rng = np.random.default_rng(seed)
    total = n * (n + 1) / 2
    if n < 50:
        cdf = np.cumsum(signrank_pmf(n))
    rejections = 0
    for start in range(0, n_sim, batch):  # loop over batches of trials
        d = rng.normal(d_z, 1.0, size=(min(batch, n_sim - start), n))
        ranks = np.empty_like(d)
        order = np.argsort(np.abs(d), axis=1)
        np.put_along_axis(ranks, order, np.arange(1.0, n + 1), axis=1)
        v = np.where(d > 0, ranks, 0.0).sum(axis=1)
        if n < 50:
            k = v.astype(int)
            lower = cdf[k]
            upper = 1.0 - np.where(k >= 1, cdf[np.maximum(k - 1, 0)], 0.0)
            p = np.minimum(1.0, 2 * np.where(v > total / 2, upper, lower))
        else:
            z = v - total / 2
            z = (z - np.sign(z) * 0.5) / math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
            p = 2 * special.ndtr(-np.abs(z))
        rejections += int(np.sum(p < alpha))
    return rejections / n_sim
