"""Paired effect sizes with their confidence intervals, signed (never ``abs()``-ed).

All on the change ``post - pre``: a negative effect is a lower score after the intervention.

- ``d_z`` = mean change / SD of change, CI by inverting the noncentral t (so it excludes 0
  exactly when the paired t-test rejects at the same level);
- ``d_av`` = mean change / sqrt((SD_pre^2 + SD_post^2) / 2) and ``g_av`` = J(n - 1) d_av with
  the exact Hedges J, CI by a seeded BCa bootstrap over pairs;
- the matched-pairs rank-biserial correlation with its Fisher-z CI;
- the JZS Bayes factor BF10 of the paired t-test.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special, stats

from msrelax_stats.stats.bootstrap import (
    MEAN_CHANGE,
    BootstrapResult,
    PairStatistic,
    bootstrap_pairs,
    leave_one_out_mean,
    leave_one_out_var,
)

__all__ = [
    "EffectSize",
    "cohens_dz",
    "hedges_j",
    "noncentral_t_interval",
    "d_av",
    "g_av",
    "paired_bootstrap",
    "rank_biserial",
    "bayes_factor_paired",
]


@dataclass(frozen=True)
class EffectSize:
    """An effect size with its confidence interval and the method that produced the CI."""

    name: str
    estimate: float
    ci_low: float
    ci_high: float
    ci_level: float
    method: str
    note: str = ""


def _pairs(pre: ArrayLike, post: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    if pre.shape != post.shape or pre.ndim != 1:
        raise ValueError("pre and post must be 1-d arrays of the same length (complete pairs)")
    return pre, post


def _ncp_bound(t: float, df: float, prob: float) -> float:
    """The noncentrality parameter for which P(T <= t | df, ncp) = prob (decreasing in ncp)."""

    def f(ncp: float) -> float:
        value = stats.nct.cdf(t, df, ncp)
        if not np.isfinite(value):  # scipy's cdf can fail far in a tail; the sf form does not
            value = 1.0 - stats.nct.sf(t, df, ncp)
        return float(value) - prob

    width = 2.0
    while width < 1e4:  # widen the bracket until it holds the root
        lo, hi = t - width, t + width
        if f(lo) > 0 > f(hi):
            return float(optimize.brentq(f, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps))
        width *= 2
    return np.nan


def noncentral_t_interval(t: float, df: float, ci_level: float) -> tuple[float, float]:
    """Confidence interval of the noncentrality parameter of an observed t statistic.

    Returns ``(ncp_low, ncp_high)`` with :math:`P(T_{df, ncp_{low}} \\le t) = 1 - \\alpha/2`
    and :math:`P(T_{df, ncp_{high}} \\le t) = \\alpha/2` (Steiger & Fouladi 1997; the method of
    R ``effectsize`` for t-based effect sizes), computed at :math:`|t|` and reflected, so it is
    odd in t. A standardised effect whose t is :math:`d / k` has the CI
    :math:`k \\cdot (ncp_{low}, ncp_{high})`.

    Examples
    --------
    >>> low, high = noncentral_t_interval(0.0, 10, 0.95)
    >>> round(low, 3), round(high, 3)  # t = 0: P(T <= 0) = Phi(-ncp)
    (-1.96, 1.96)
    """
    alpha = 1 - ci_level
    a = abs(t)
    low, high = _ncp_bound(a, df, 1 - alpha / 2), _ncp_bound(a, df, alpha / 2)
    return (low, high) if t >= 0 else (-high, -low)


def cohens_dz(pre: ArrayLike, post: ArrayLike, ci_level: float = 0.95) -> EffectSize:
    """Cohen's d_z of the change with the noncentral-t CI.

    Parameters
    ----------
    pre, post : array_like
        Scores of the complete pairs.
    ci_level : float
        Confidence level.

    Returns
    -------
    EffectSize
        ``name="d_z"``; NaN with a note when n < 2 or the change has zero variance.

    Notes
    -----
    d_z = mean(d) / sd(d) with d = post - pre; t = d_z sqrt(n), df = n - 1. The CI bounds are
    ncp_L / sqrt(n) and ncp_U / sqrt(n) where P(T_{df, ncp_L} <= t) = 1 - alpha/2 and
    P(T_{df, ncp_U} <= t) = alpha/2 (Steiger and Fouladi's inversion; R:
    ``effectsize::cohens_d(post, pre, paired = TRUE)``, which finds the same roots by
    Nelder-Mead only to about 1e-6).

    References
    ----------
    Cohen J. Statistical Power Analysis for the Behavioral Sciences. 2nd ed. 1988.
    Steiger JH, Fouladi RT. Noncentrality interval estimation. In: What if there were no
    significance tests? 1997:221-257.

    Examples
    --------
    >>> res = cohens_dz([5, 6, 7, 8], [4, 4, 6, 6])
    >>> round(res.estimate, 4)  # mean -1.5 / SD sqrt(1/3)
    -2.5981
    """
    pre, post = _pairs(pre, post)
    d = post - pre
    n = d.size
    if n < 2 or np.ptp(d) == 0:
        note = (
            f"d_z needs at least 2 pairs (n = {n})" if n < 2 else "d_z undefined: zero SD of change"
        )
        return EffectSize("d_z", np.nan, np.nan, np.nan, ci_level, "noncentral t", note)
    dz = float(np.mean(d) / np.std(d, ddof=1))
    t = dz * math.sqrt(n)
    low, high = noncentral_t_interval(t, n - 1, ci_level)
    return EffectSize("d_z", dz, low / math.sqrt(n), high / math.sqrt(n), ci_level, "noncentral t")


def hedges_j(df: float) -> float:
    """Exact small-sample correction J(df) = Gamma(df/2) / (sqrt(df/2) Gamma((df - 1)/2)).

    Examples
    --------
    >>> round(hedges_j(31), 6)
    0.975576
    """
    if not df > 1:
        return np.nan
    return float(
        np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2))
    )


def _d_av_stat(pre: np.ndarray, post: np.ndarray, axis: int = -1) -> np.ndarray:
    """d_av along ``axis`` (vectorised over bootstrap resamples)."""
    s_av = np.sqrt((np.var(pre, ddof=1, axis=axis) + np.var(post, ddof=1, axis=axis)) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mean(post - pre, axis=axis) / s_av


def d_av(pre: ArrayLike, post: ArrayLike) -> float:
    """Mean change over the average SD of the visits (Cumming 2012); NaN when undefined.

    Notes
    -----
    d_av = mean(post - pre) / sqrt((sd_pre^2 + sd_post^2) / 2). Comparable with a
    between-group d because it ignores the correlation between visits.

    References
    ----------
    Cumming G. Understanding the New Statistics. Routledge; 2012. Lakens D. Calculating and
    reporting effect sizes. Front Psychol. 2013;4:863.

    Examples
    --------
    >>> round(d_av([5, 6, 7, 8], [4, 4, 6, 6]), 4)
    -1.2247
    """
    pre, post = _pairs(pre, post)
    if pre.size < 2:
        return np.nan
    value = float(_d_av_stat(pre, post))
    return value if np.isfinite(value) else np.nan


def _g_av_statistic(j: float) -> PairStatistic:
    """g_av = j x d_av as a bootstrap statistic, with its leave-one-out values in O(n)."""

    def values(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
        return j * _d_av_stat(x, y, axis=axis)

    def leave_one_out(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        s_av = np.sqrt((leave_one_out_var(x) + leave_one_out_var(y)) / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            return j * leave_one_out_mean(y - x) / s_av

    return PairStatistic(values, leave_one_out)


def paired_bootstrap(pre: ArrayLike, post: ArrayLike, ci_level: float = 0.95,
                     n_boot: int = 10000, seed: int = 1) -> dict[str, BootstrapResult]:  # fmt: skip
    """The paired analysis's one bootstrap: mean change and g_av from the same resamples.

    Returns ``{"diff_mean": ..., "g_av": ...}`` (:class:`~msrelax_stats.stats.bootstrap.
    BootstrapResult`, distributions included); ``"g_av"`` is missing when g_av is undefined
    (fewer than 3 pairs, zero SD at both visits) and both are missing with fewer than 3 pairs
    or when every pair changed by the same amount (no interval to compute).

    Examples
    --------
    >>> boot = paired_bootstrap([5, 6, 7, 8, 6], [4, 4, 6, 6, 6], n_boot=2000)
    >>> sorted(boot), boot["diff_mean"].distribution.size
    (['diff_mean', 'g_av'], 2000)
    """
    pre, post = _pairs(pre, post)
    n = pre.size
    if n < 3 or np.ptp(post - pre) == 0:
        return {}
    statistics: dict[str, PairStatistic] = {"diff_mean": MEAN_CHANGE}
    j = hedges_j(n - 1)
    if np.isfinite(d_av(pre, post)) and np.isfinite(j):
        statistics["g_av"] = _g_av_statistic(j)
    return bootstrap_pairs(pre, post, statistics, ci_level=ci_level, n_boot=n_boot, seed=seed)


def g_av(pre: ArrayLike, post: ArrayLike, ci_level: float = 0.95, n_boot: int = 10000,
         seed: int = 1, boot: BootstrapResult | None = None) -> tuple[float, EffectSize]:  # fmt: skip
    """d_av and Hedges' g_av with a seeded BCa bootstrap CI over pairs.

    Parameters
    ----------
    pre, post : array_like
        Scores of the complete pairs.
    ci_level : float
        Confidence level.
    n_boot : int
        Bootstrap resamples of the pairs (default 10,000).
    seed : int
        Seed of ``numpy.random.default_rng``: same data and seed give the same bytes.
    boot : BootstrapResult, optional
        The bootstrap of g_av already computed (``paired_bootstrap(...)["g_av"]``); by default
        it is computed here.

    Returns
    -------
    (d_av, EffectSize)
        ``d_av`` and ``g_av`` with its CI (``method="BCa bootstrap"``).

    Notes
    -----
    g_av = J(n - 1) d_av with J the exact gamma form of Hedges' correction. Pairs (pre_i,
    post_i) are resampled together; the bias correction z0 and the acceleration a (jackknife,
    in closed form: leave-one-out means and variances) of Efron's BCa interval are applied to
    the bootstrap distribution of g_av (:func:`msrelax_stats.stats.bootstrap.bootstrap_pairs`;
    the draws and the interval are those of ``scipy.stats.bootstrap(..., paired=True,
    method="BCa")`` except that undefined resamples are dropped and counted in the note).

    References
    ----------
    Hedges LV. Distribution theory for Glass's estimator of effect size. J Educ Stat.
    1981;6:107-128. Efron B, Tibshirani RJ. An Introduction to the Bootstrap. 1993, ch. 14.

    Examples
    --------
    >>> dav, g = g_av([5, 6, 7, 8, 6], [4, 4, 6, 6, 6], n_boot=2000)
    >>> g.estimate < 0 and g.ci_low < g.estimate < g.ci_high
    True
    """
    pre, post = _pairs(pre, post)
    n = pre.size
    value = d_av(pre, post)
    j = hedges_j(n - 1)
    method = "BCa bootstrap"
    if not np.isfinite(value) or not np.isfinite(j):
        note = "g_av undefined: fewer than 3 pairs or zero SD at both visits"
        return value, EffectSize("g_av", np.nan, np.nan, np.nan, ci_level, method, note)
    estimate = j * value
    if np.ptp(post - pre) == 0:
        note = "g_av CI undefined: every pair changed by the same amount"
        return value, EffectSize("g_av", estimate, np.nan, np.nan, ci_level, method, note)
    if boot is None:
        boot = bootstrap_pairs(pre, post, {"g_av": _g_av_statistic(j)}, ci_level=ci_level,
                               n_boot=n_boot, seed=seed)["g_av"]  # fmt: skip
    notes = []
    if boot.n_dropped:
        notes.append(
            f"{boot.n_dropped} of {boot.n_boot} bootstrap resamples had an undefined g_av and "
            "were dropped"
        )
    if not (np.isfinite(boot.ci_low) and np.isfinite(boot.ci_high)):
        notes.append("BCa interval undefined (degenerate bootstrap distribution)")
    return value, EffectSize(
        "g_av",
        estimate,
        boot.ci_low,
        boot.ci_high,
        ci_level,
        method,
        "; ".join(notes),
    )


def rank_biserial(pre: ArrayLike, post: ArrayLike, ci_level: float = 0.95) -> EffectSize:
    """Matched-pairs rank-biserial correlation of the change with its Fisher-z CI.

    Notes
    -----
    Zero differences are dropped; with R+ and R- the rank sums of the positive and negative
    differences among the n_d non-zero ones, r = (R+ - R-) / (R+ + R-). CI:
    tanh(atanh(r) -+ z_{1-alpha/2} SE) with SE = sqrt((2 n_d^3 + 3 n_d^2 + n_d) / 6) /
    (n_d (n_d + 1) / 2). R: ``effectsize::rank_biserial(post - pre)``, which is what
    ``rank_biserial(post, pre, paired = TRUE)`` computes when no difference is zero (effectsize
    0.8.3 counts n_d over the non-zero *post* values in the two-argument form).

    References
    ----------
    Kerby DS. The simple difference formula. Compr Psychol. 2014;3:11.IT.3.1. King BM, Minium
    EW. Statistical Reasoning in Psychology and Education. 4th ed. 2003.

    Examples
    --------
    >>> res = rank_biserial([5, 6, 7, 8, 9], [4.1, 4.8, 6.7, 8.4, 7.5])
    >>> round(res.estimate, 4)  # (2 - 13) / 15
    -0.7333
    """
    pre, post = _pairs(pre, post)
    d = post - pre
    x = d[d != 0]
    nd = x.size
    method = "Fisher z"
    if nd == 0:
        return EffectSize(
            "rank_biserial", np.nan, np.nan, np.nan, ci_level, method, "all differences are zero"
        )
    ranks = stats.rankdata(np.abs(x))
    r = float((ranks[x > 0].sum() - ranks[x < 0].sum()) / (nd * (nd + 1) / 2))
    se = math.sqrt((2 * nd**3 + 3 * nd**2 + nd) / 6) / ((nd**2 + nd) / 2)
    z = special.ndtri(1 - (1 - ci_level) / 2)
    with np.errstate(divide="ignore"):
        zr = np.arctanh(r)
    low, high = np.tanh(zr - z * se), np.tanh(zr + z * se)
    return EffectSize("rank_biserial", r, float(low), float(high), ci_level, method)


def _jzs_integrand(g: float, t: float, n: float, r: float, df: float) -> float:
    """Integrand of Rouder et al. (2009) eq. 1 (same expression as ``pingouin``)."""
    return (
        (1 + n * g * r**2) ** (-0.5)
        * (1 + t**2 / ((1 + n * g * r**2) * df)) ** (-(df + 1) / 2)
        * (2 * math.pi) ** (-0.5)
        * g ** (-3.0 / 2)
        * math.exp(-1 / (2 * g))
    )


def bayes_factor_paired(pre: ArrayLike, post: ArrayLike, r: float = math.sqrt(2) / 2) -> float:
    """JZS Bayes factor BF10 of the paired t-test (Cauchy prior scale ``r``, default sqrt(2)/2).

    Notes
    -----
    With t the paired t statistic, n pairs and df = n - 1 (Rouder et al. 2009, eq. 1):
    BF10 = int_0^inf (1 + n g r^2)^(-1/2) (1 + t^2 / ((1 + n g r^2) df))^(-(df + 1)/2)
    (2 pi)^(-1/2) g^(-3/2) e^(-1/(2g)) dg / (1 + t^2/df)^(-(df + 1)/2), integrated with
    ``scipy.integrate.quad`` over (0, inf). This is the integrand and the call of
    ``pingouin.bayesfactor_ttest(t, n, paired=True, r=r)``, without importing pingouin (about
    a second of start-up). R: ``BayesFactor::ttestBF(post, pre, paired = TRUE)`` (rscale
    "medium" = sqrt(2)/2 = 0.707).

    References
    ----------
    Rouder JN, Speckman PL, Sun D, Morey RD, Iverson G. Bayesian t tests for accepting and
    rejecting the null hypothesis. Psychon Bull Rev. 2009;16:225-237.

    Examples
    --------
    >>> round(bayes_factor_paired([5, 6, 7, 8, 9, 7], [4.1, 4.8, 6.7, 8.4, 7.5, 6]), 2) > 1
    True
    """
    from scipy.integrate import quad  # already loaded by scipy.stats

    pre, post = _pairs(pre, post)
    d = post - pre
    n = d.size
    if n < 2 or np.ptp(d) == 0:
        return np.nan
    t = float(np.mean(d) / (np.std(d, ddof=1) / math.sqrt(n)))
    if not np.isfinite(t):
        return np.nan
    df = n - 1
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        integral = quad(_jzs_integrand, 0, np.inf, args=(t, n, r, df))[0]
        return float(1 / ((1 + t**2 / df) ** (-(df + 1) / 2) / integral))
