"""Hodges-Lehmann estimate of the shift (pseudo-median of ``post - pre``) with its confidence
interval, by R's rules (``wilcox.test(post, pre, paired = TRUE, conf.int = TRUE)``, R 4.2):
order statistics of the Walsh averages in the exact case (fewer than 50 non-zero differences,
no ties, no zeros), otherwise R's root search (Brent's ``zeroin`` at R's tolerance
``tol.root = 1e-4``) of the normal statistic. The signed-rank test itself is in
:mod:`msrelax_stats.stats.wilcoxon`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from msrelax_stats.stats.wilcoxon import EXACT, NORMAL, _differences, signrank_pmf

__all__ = ["HodgesLehmannResult", "hodges_lehmann"]


@dataclass(frozen=True)
class HodgesLehmannResult:
    """Hodges-Lehmann pseudo-median of ``post - pre`` with its confidence interval.

    ``ci_level`` is the level R reports: the requested one, or the achievable one when the
    requested level cannot be reached with so few pairs (then ``note`` says so).
    """

    estimate: float
    ci_low: float
    ci_high: float
    ci_level: float
    method: str
    note: str = ""


def _runs(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start positions and lengths of the runs of equal values of a sorted array."""
    first = np.ones(ordered.size, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    return starts, np.diff(starts, append=ordered.size)


class _ShiftedStatistic:
    """:func:`_normal_z` of ``x - d`` for many shifts ``d``, from ``x`` sorted once.

    The Hodges-Lehmann root search evaluates the statistic at some 50 shifts per bound.
    Sorting ``|x - d|`` anew each time costs O(n log n); but for sorted ``x`` the values
    ``x - d`` above ``d`` are ascending and ``|x - d|`` below it descending, so the sorted
    ``|x - d|`` is a merge of two sorted runs (O(n), which the stable sort detects). The ranks
    of a value depend only on the sorted values, so V (a sum of half-integers, exact in
    floating point), the tie counts (in increasing value order) and therefore every returned
    float are those of :func:`_normal_z` (tests/test_wilcoxon.py compares them).
    """

    def __init__(self, x: np.ndarray) -> None:
        self.sorted = np.sort(x)

    def __call__(self, d: float, correct: bool) -> float:
        xs = self.sorted
        below, above = np.searchsorted(xs, d, "left"), np.searchsorted(xs, d, "right")
        positive = xs[above:] - d  # ascending; x == d gives zero differences, dropped
        negative = np.abs(xs[:below] - d)[::-1]  # ascending
        ordered = np.sort(np.concatenate([negative, positive]), kind="stable")  # a merge
        n = ordered.size
        starts, ties = _runs(ordered)
        ranks = starts + (ties + 1) / 2  # the average rank of each run of equal values
        at, count = _runs(positive)  # positive differences, run by run
        run = np.searchsorted(ordered[starts], positive[at])  # their runs in ``ordered``
        z = float(np.sum(count * ranks[run])) - n * (n + 1) / 4
        sigma = np.sqrt(
            n * (n + 1) * (2 * n + 1) / 24 - np.sum(ties.astype(float) ** 3 - ties) / 48
        )
        correction = np.sign(z) * 0.5 if correct else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            return float((z - correction) / sigma)


def _zeroin(f: Callable[[float], float], a: float, b: float, fa: float, fb: float,
            tol: float = 1e-4, maxiter: int = 1000) -> float:  # fmt: skip
    """Brent's root finder, step for step as R's ``uniroot`` (C ``R_zeroin2``).

    Reproducing R's iterates matters here: the Wilcoxon statistic is a step function, so the
    "root" R reports is wherever its search stops within ``tol`` of a jump.
    """
    eps = np.finfo(float).eps
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxiter + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * eps * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q, t1, t2 = fa / fc, fb / fc, fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b


def _hl_exact(x: np.ndarray, ci_level: float) -> HodgesLehmannResult:
    n = x.size
    walsh = np.add.outer(x, x)[np.triu_indices(n)]
    walsh = np.sort(walsh) / 2
    alpha = 1 - ci_level
    cdf = np.cumsum(signrank_pmf(n))
    qu = int(np.searchsorted(cdf, alpha / 2 - 10 * np.finfo(float).eps, side="left"))
    qu = max(qu, 1)
    ql = n * (n + 1) // 2 - qu
    achieved = 2 * cdf[qu - 1] if qu >= 1 else 0.0
    level, note = ci_level, ""
    if achieved - alpha > alpha / 2:
        level = 1 - float(f"{achieved:.2g}")
        note = f"requested confidence level not achievable with {n} pairs; {level:g} reached"
    return HodgesLehmannResult(
        float(np.median(walsh)), float(walsh[qu - 1]), float(walsh[ql]), level, EXACT, note
    )


def _hl_normal(x: np.ndarray, ci_level: float) -> HodgesLehmannResult:
    lo, hi = float(x.min()), float(x.max())
    statistic = _ShiftedStatistic(x)
    w_corrected = lambda d: statistic(d, correct=True)  # noqa: E731
    w_lo = w_corrected(lo)
    w_hi = w_corrected(hi) if np.isfinite(w_lo) else np.nan
    if not np.isfinite(w_hi):
        note = "confidence interval undefined: all non-zero differences are equal"
        return HodgesLehmannResult((lo + hi) / 2, np.nan, np.nan, 0.0, NORMAL, note)
    alpha = 1 - ci_level
    while w_lo - special.ndtri(1 - alpha / 2) < 0 or w_hi - special.ndtri(alpha / 2) > 0:
        alpha *= 2
    level, note = ci_level, ""
    if alpha >= 1 or 1 - ci_level < alpha * 0.75:
        level = 1 - min(1.0, alpha)
        note = f"requested confidence level not achievable with {x.size} non-zero differences"

    def root(zq: float) -> float:
        return _zeroin(lambda d: w_corrected(d) - zq, lo, hi, w_lo - zq, w_hi - zq)

    if alpha < 1:
        ci = (root(special.ndtri(1 - alpha / 2)), root(special.ndtri(alpha / 2)))
    else:
        ci = (float(np.median(x)),) * 2
    w_plain = lambda d: statistic(d, correct=False)  # noqa: E731
    estimate = _zeroin(w_plain, lo, hi, w_plain(lo), w_plain(hi))
    return HodgesLehmannResult(float(estimate), float(ci[0]), float(ci[1]), level, NORMAL, note)


def hodges_lehmann(pre: ArrayLike, post: ArrayLike, ci_level: float = 0.95) -> HodgesLehmannResult:
    """Hodges-Lehmann shift of ``post - pre`` with CI, as R's ``wilcox.test(conf.int = TRUE)``.

    Parameters
    ----------
    pre, post : array_like
        Scores of the complete pairs.
    ci_level : float
        Requested confidence level.

    Returns
    -------
    HodgesLehmannResult

    Notes
    -----
    Zero differences are dropped first (as R does). Exact case (fewer than 50 non-zero
    differences, no ties, no zeros): the estimate is the median of the n(n+1)/2 Walsh averages
    (d_i + d_j)/2, i <= j, and the CI is (W_(q), W_(N-q+1)) with q = ``qsignrank(alpha/2, n)``
    (at least 1). Otherwise the estimate is the root of the uncorrected normal signed-rank
    statistic of d - mu, and the CI bounds are the roots of the continuity-corrected statistic
    at the normal quantiles; both roots found by Brent's method with R's tolerance 1e-4, so the
    values are R's to the last digit, not the exact pseudo-median.

    References
    ----------
    Hodges JL, Lehmann EL. Estimates of location based on rank tests. Ann Math Stat.
    1963;34:598-611. Bauer DF. Constructing confidence sets using rank statistics. J Am Stat
    Assoc. 1972;67:687-690. R Core Team, ``stats::wilcox.test``.

    Examples
    --------
    >>> res = hodges_lehmann([5, 6, 7, 8, 9], [4.1, 4.8, 6.7, 8.4, 7.5])
    >>> round(res.estimate, 2), res.method
    (-0.75, 'exact')
    """
    d = _differences(pre, post)
    x = d[d != 0]
    if x.size == 0:
        return HodgesLehmannResult(
            np.nan, np.nan, np.nan, ci_level, NORMAL, "all differences are zero"
        )
    if x.size < 50 and x.size == d.size and np.unique(np.abs(x)).size == x.size:
        return _hl_exact(x, ci_level)
    return _hl_normal(x, ci_level)
