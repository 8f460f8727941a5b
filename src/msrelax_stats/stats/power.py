"""Power and sample size of a paired pre/post comparison, in d_z units.

The G*Power / ``pwr.t.test(type = "paired")`` convention: the effect is d_z = mean change / SD
of change and the test is the two-sided paired t-test (both rejection tails counted, R's
``power.t.test(..., strict = TRUE)``). No post-hoc "observed power": these answer "what could
this study detect" and "how many pairs would a target need". The Wilcoxon signed-rank test gets
its power by simulation under normal differences, vectorised over the simulated trials;
:func:`simulate_paired_trials` runs whole simulated trials (paired t, Wilcoxon and d_z of each).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from msrelax_stats.stats._progress import progress_bar
from msrelax_stats.stats.wilcoxon import signrank_pmf

__all__ = [
    "SampleSize",
    "SimulationResult",
    "paired_t_power",
    "detectable_d_z",
    "n_for_d_z",
    "simulate_paired_trials",
    "wilcoxon_power_sim",
]

#: Simulated values (trials x pairs) above which a progress bar may appear (after 2 s).
PROGRESS_ELEMENTS = 2**23


def paired_t_power(d_z: float, n: float, alpha: float = 0.05) -> float:
    """Power of the two-sided paired t-test for effect ``d_z`` with ``n`` pairs.

    Notes
    -----
    With df = n - 1, ncp = d_z sqrt(n) and c = t_{1 - alpha/2, df}:
    power = P(T_{df, ncp} > c) + P(T_{df, ncp} < -c), the value of ``statsmodels``'
    ``TTestPower().power``; computed here as ``nct.sf(c, df, ncp) + nct.sf(c, df, -ncp)``
    because scipy's ``nct.cdf`` returns NaN far in the lower tail for large ncp. Where even
    ``nct.sf`` gives NaN (ncp beyond about 1e9), the normal limit
    Phi(ncp - c) + Phi(-ncp - c) is used; the power is then 1 to double precision.

    Examples
    --------
    >>> round(paired_t_power(0.5, 34), 3)
    0.808
    """
    df = n - 1
    ncp = d_z * math.sqrt(n)
    c = stats.t.isf(alpha / 2, df)
    with np.errstate(all="ignore"):
        value = float(stats.nct.sf(c, df, ncp) + stats.nct.sf(c, df, -ncp))
    if not np.isfinite(value):  # scipy's noncentral t gives NaN at ncp beyond ~1e9: the normal
        value = float(special.ndtr(ncp - c) + special.ndtr(-ncp - c))  # limit, then ~1
    return value


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

    def gap(d: float) -> float:
        return paired_t_power(d, n, alpha) - power

    low, high = 1e-6, 100.0
    while gap(low) > 0 and low > 1e-300:  # n beyond ~1e13 pairs detects d_z below 1e-6
        low /= 1e3
    while gap(high) < 0 and high < 1e300:  # power near 1 asked of very few pairs
        high *= 1e3
    return float(optimize.brentq(gap, low, high, xtol=min(1e-14, low)))


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
    Solves power(|d_z|, n) = ``power`` for real n (R:
    ``power.t.test(delta = d_z, sd = 1, power = power, type = "paired", strict = TRUE)$n``,
    whose ``uniroot(..., extendInt = "upX")`` goes beyond 1e7 pairs for very small effects, as
    this search does); ``n`` is that value rounded up. When two pairs already give the power
    (|d_z| above about 5.4 at the defaults), ``n`` is 2 and ``n_exact`` NaN: R then reports a
    root below 2 pairs, where the noncentral t with df < 1 is not computed reliably (R and
    scipy disagree there), and a paired test needs two pairs anyway.

    Examples
    --------
    >>> n_for_d_z(0.5).n
    34
    """
    d = abs(float(d_z))
    if d == 0 or not np.isfinite(d):
        return SampleSize(0, np.nan, float(d_z), power, alpha)

    def gap(n: float) -> float:
        return paired_t_power(d, n, alpha) - power

    low, high = 2.0, 1e7
    if gap(low) >= 0:  # two pairs already reach the power: no root at n >= 2
        return SampleSize(2, np.nan, float(d_z), power, alpha)
    while gap(high) < 0 and high < 1e300:  # tiny effects need more than 1e7 pairs
        low, high = high, high * 1e3
    exact = optimize.brentq(gap, low, high, xtol=1e-12, rtol=1e-14)
    return SampleSize(max(2, int(math.ceil(exact - 1e-9))), float(exact), float(d_z), power, alpha)


def wilcoxon_power_sim(d_z: float, n: int, n_sim: int = 10000, seed: int = 1,
                       alpha: float = 0.05, batch: int = 5000,
                       progress: bool = True) -> float:  # fmt: skip
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
    progress : bool
        Progress bar on stderr for long runs (after about two seconds, only on a terminal).

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
    cdf = np.cumsum(signrank_pmf(n)) if n < 50 else None
    rejections = 0
    bar = progress_bar(n_sim, "simulated trials", "trial",
                       enabled=progress and n_sim * n > PROGRESS_ELEMENTS)  # fmt: skip
    for start in range(0, n_sim, batch):  # loop over batches of trials
        d = rng.normal(d_z, 1.0, size=(min(batch, n_sim - start), n))
        rejections += int(np.sum(_signed_rank_p(d, cdf) < alpha))
        bar.update(d.shape[0])
    bar.close()
    return rejections / n_sim


def _signed_rank_p(d: np.ndarray, cdf: np.ndarray | None) -> np.ndarray:
    """Two-sided Wilcoxon signed-rank p-value of each row of ``d`` (no ties, no zeros).

    ``cdf`` is ``cumsum(signrank_pmf(n))`` for the exact test (n < 50), None for the normal
    approximation with continuity correction (R's ``wilcox.test`` rule for untied data).
    """
    n = d.shape[1]
    total = n * (n + 1) / 2
    ranks = np.empty_like(d)
    order = np.argsort(np.abs(d), axis=1)
    np.put_along_axis(ranks, order, np.arange(1.0, n + 1), axis=1)
    v = np.where(d > 0, ranks, 0.0).sum(axis=1)
    if cdf is not None:
        k = v.astype(int)
        lower = cdf[k]
        upper = 1.0 - np.where(k >= 1, cdf[np.maximum(k - 1, 0)], 0.0)
        return np.minimum(1.0, 2 * np.where(v > total / 2, upper, lower))
    z = v - total / 2
    z = (z - np.sign(z) * 0.5) / math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    return 2 * special.ndtr(-np.abs(z))


@dataclass(frozen=True)
class SimulationResult:
    """Simulated paired trials: power of each test and the distribution of d_z.

    ``power_t`` and ``power_wilcoxon`` are the proportions of trials with p < ``alpha``
    (Monte Carlo SE sqrt(p (1 - p) / n_sim) in ``power_t_se``/``power_wilcoxon_se``);
    ``p_t``, ``p_wilcoxon`` and ``d_z`` hold one value per trial, in trial order.
    """

    d_z_true: float
    n: int
    n_sim: int
    alpha: float
    seed: int
    power_t: float
    power_wilcoxon: float
    power_t_se: float
    power_wilcoxon_se: float
    d_z_mean: float
    d_z_sd: float
    p_t: np.ndarray
    p_wilcoxon: np.ndarray
    d_z: np.ndarray

    @property
    def wilcoxon_method(self) -> str:
        """``"exact"`` (n < 50) or the normal approximation with continuity correction."""
        return "exact" if self.n < 50 else "normal approximation with continuity correction"


def simulate_paired_trials(d_z: float, n: int, n_sim: int = 10000, seed: int = 1,
                           alpha: float = 0.05, batch: int = 5000,
                           progress: bool = True) -> SimulationResult:  # fmt: skip
    """Simulate ``n_sim`` paired trials of ``n`` pairs: paired t, Wilcoxon and d_z of each.

    Parameters
    ----------
    d_z : float
        True mean change in SD-of-change units: the changes of a trial are drawn from
        N(d_z, 1) (both tests and d_z depend on the pairs only through the changes).
    n : int
        Pairs per trial (at least 2).
    n_sim : int
        Simulated trials.
    seed : int
        Seed of ``numpy.random.default_rng``; same seed, same result.
    alpha : float
        Two-sided significance level of both tests.
    batch : int
        Trials simulated at once (memory bound: about 5 ``batch`` x ``n`` floats); the
        result does not depend on it. The draws are those of :func:`wilcoxon_power_sim`
        with the same seed, so its Wilcoxon decisions are exactly the same.
    progress : bool
        Progress bar on stderr for long runs (shown after about two seconds, only when
        stderr is a terminal); never changes the result.

    Returns
    -------
    SimulationResult

    Notes
    -----
    Per trial with changes d_1..d_n (mean m, SD s): t = m / (s / sqrt(n)) with
    p = 2 F_{t, n-1}(-|t|) (``scipy.stats.ttest_rel``), d_z = m / s, and the Wilcoxon
    signed-rank test of :func:`wilcoxon_power_sim` (exact null distribution of V when
    n < 50, else normal with continuity correction: R's ``wilcox.test`` rule; continuous
    changes have no ties or zeros). All trials of a batch are computed at once along rows
    (no Python loop over trials). The t power converges to :func:`paired_t_power`.

    Examples
    --------
    >>> res = simulate_paired_trials(0.5, 32, n_sim=4000, seed=1)
    >>> abs(res.power_t - paired_t_power(0.5, 32)) < 4 * res.power_t_se
    True
    >>> bool(res.power_wilcoxon < res.power_t + 0.03)
    True
    """
    n = int(n)
    n_sim = int(n_sim)
    if n < 2 or n_sim < 1:
        raise ValueError("simulate_paired_trials needs n >= 2 pairs and n_sim >= 1 trials")
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(signrank_pmf(n)) if n < 50 else None
    p_t = np.empty(n_sim)
    p_w = np.empty(n_sim)
    effect = np.empty(n_sim)
    bar = progress_bar(n_sim, "simulated trials", "trial",
                       enabled=progress and n_sim * n > PROGRESS_ELEMENTS)  # fmt: skip
    for start in range(0, n_sim, batch):  # loop over batches of trials
        stop = min(start + batch, n_sim)
        d = rng.normal(d_z, 1.0, size=(stop - start, n))
        mean = d.mean(axis=1)
        sd = d.std(axis=1, ddof=1)
        effect[start:stop] = mean / sd
        p_t[start:stop] = 2 * special.stdtr(n - 1, -np.abs(effect[start:stop] * math.sqrt(n)))
        p_w[start:stop] = _signed_rank_p(d, cdf)
        bar.update(stop - start)
    bar.close()
    power_t = float(np.mean(p_t < alpha))
    power_w = float(np.mean(p_w < alpha))
    return SimulationResult(
        d_z_true=float(d_z),
        n=n,
        n_sim=n_sim,
        alpha=float(alpha),
        seed=int(seed),
        power_t=power_t,
        power_wilcoxon=power_w,
        power_t_se=math.sqrt(power_t * (1 - power_t) / n_sim),
        power_wilcoxon_se=math.sqrt(power_w * (1 - power_w) / n_sim),
        d_z_mean=float(np.mean(effect)),
        d_z_sd=float(np.std(effect, ddof=1)) if n_sim > 1 else np.nan,
        p_t=p_t,
        p_wilcoxon=p_w,
        d_z=effect,
    )
