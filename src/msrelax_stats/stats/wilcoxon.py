"""Wilcoxon signed-rank test, exact sign test and Hodges-Lehmann shift, with R's rules.

Every function takes the two visits of complete pairs (``pre``, ``post``) and works on the
change ``post - pre``. The rules are those of R's ``wilcox.test(post, pre, paired = TRUE)``
(R 4.2, ``stats``), reproduced to the last digit: zero differences are dropped; the p-value is
exact when fewer than 50 non-zero differences remain and there are neither ties nor zeros,
otherwise it uses the normal approximation with the tie-corrected variance and a continuity
correction. The Hodges-Lehmann confidence interval follows the same split: order statistics of
the Walsh averages in the exact case, R's root search (Brent's ``zeroin`` at R's tolerance
``tol.root = 1e-4``) of the normal statistic in the other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

__all__ = [
    "WilcoxonResult",
    "SignTestResult",
    "wilcoxon_signed_rank",
    "sign_test",
    "signrank_pmf",
]

EXACT = "exact"
NORMAL = "normal approximation with continuity correction"


@dataclass(frozen=True)
class WilcoxonResult:
    """Wilcoxon signed-rank test of ``post - pre``.

    ``statistic`` is R's V (sum of the ranks of the positive differences), ``method`` is
    ``"exact"`` or ``"normal approximation with continuity correction"``; ``z`` is NaN in the
    exact case. ``note`` says why a value is NaN (empty otherwise).
    """

    statistic: float
    pvalue: float
    method: str
    n_nonzero: int
    n_zero: int
    z: float
    note: str = ""


@dataclass(frozen=True)
class SignTestResult:
    """Exact two-sided sign test (binomial with p = 1/2 on the non-zero differences)."""

    n_positive: int
    n_negative: int
    n_zero: int
    pvalue: float
    note: str = ""


def _differences(pre: ArrayLike, post: ArrayLike) -> np.ndarray:
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    if pre.shape != post.shape or pre.ndim != 1:
        raise ValueError("pre and post must be 1-d arrays of the same length (complete pairs)")
    return post - pre


def signrank_pmf(n: int) -> np.ndarray:
    """Null distribution of the signed-rank statistic V for ``n`` untied non-zero differences.

    Returns the probabilities of V = 0, 1, ..., n(n+1)/2 (R's ``dsignrank(0:(n*(n+1)/2), n)``).

    Notes
    -----
    Counts of subsets of {1, ..., n} with each sum, built by adding one rank at a time
    (the generating function prod_k (1 + x^k)), divided by 2^n. The counts stay exact
    integers in float64 for n <= 53, beyond the exact range (n < 50) R uses.

    Examples
    --------
    >>> signrank_pmf(3) * 8
    array([1., 1., 1., 2., 1., 1., 1.])
    """
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for k in range(1, n + 1):  # loop over ranks, not participants
        counts[k:] = counts[k:] + counts[:-k].copy()
    return counts / 2.0**n


def _average_ranks(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average ranks of ``a`` and the size of each group of ties (in increasing value order).

    The algorithm of ``scipy.stats.rankdata(a, method="average")`` (stable sort, ranks of the
    first of each run plus (count - 1) / 2), so the ranks are the same floats, without its
    per-call overhead: the Hodges-Lehmann root search calls this hundreds of times.
    """
    order = np.argsort(a, kind="stable")
    ordered = a[order]
    first = np.ones(a.size, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    counts = np.diff(starts, append=a.size)
    run_ranks = np.arange(1, a.size + 1, dtype=float)[first] + (counts.astype(float) - 1) / 2
    ranks = np.empty(a.size)
    ranks[order] = np.repeat(run_ranks, counts)
    return ranks, counts


def _normal_z(x: np.ndarray, correct: bool) -> float:
    """R's normal statistic of the signed ranks of the non-zero entries of ``x``."""
    x = x[x != 0]
    n = x.size
    ranks, ties = _average_ranks(np.abs(x))
    z = ranks[x > 0].sum() - n * (n + 1) / 4
    sigma = np.sqrt(n * (n + 1) * (2 * n + 1) / 24 - np.sum(ties.astype(float) ** 3 - ties) / 48)
    correction = np.sign(z) * 0.5 if correct else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return float((z - correction) / sigma)


def wilcoxon_signed_rank(pre: ArrayLike, post: ArrayLike) -> WilcoxonResult:
    """Wilcoxon signed-rank test of ``post - pre`` as R's ``wilcox.test(post, pre, paired=TRUE)``.

    Parameters
    ----------
    pre, post : array_like
        Scores of the complete pairs at the two visits (same order, same length).

    Returns
    -------
    WilcoxonResult
        ``statistic`` = V, two-sided ``pvalue``, ``method``, counts of non-zero and zero
        differences.

    Notes
    -----
    With d = post - pre and the zeros removed (n non-zero differences), V = sum of the ranks of
    |d| over d > 0 (average ranks for ties). Exact when n < 50 and no ties and no zeros:
    p = min(1, 2 P(V' <= V)) if V <= n(n+1)/4, else min(1, 2 P(V' >= V)). Otherwise
    z = (V - n(n+1)/4 - sign(.) / 2) / sqrt(n(n+1)(2n+1)/24 - sum(t^3 - t)/48) over tie
    groups t, and p = 2 min(Phi(z), 1 - Phi(z)).

    References
    ----------
    R Core Team, ``stats::wilcox.test`` (R 4.2). Hollander M, Wolfe DA. Nonparametric
    Statistical Methods. 2nd ed. Wiley; 1999. Section 3.1.

    Examples
    --------
    >>> res = wilcoxon_signed_rank([5, 6, 7, 8, 9], [4.1, 4.8, 6.7, 8.4, 7.5])
    >>> res.statistic, round(res.pvalue, 4), res.method
    (2.0, 0.1875, 'exact')
    """
    d = _differences(pre, post)
    nonzero = d[d != 0]
    n = nonzero.size
    n_zero = int(d.size - n)
    if n == 0:
        return WilcoxonResult(np.nan, np.nan, NORMAL, 0, n_zero, np.nan, "all differences are zero")
    ranks = stats.rankdata(np.abs(nonzero))
    v = float(ranks[nonzero > 0].sum())
    ties = np.unique(ranks).size != n
    if n < 50 and not ties and n_zero == 0:
        pmf = signrank_pmf(n)
        cdf = np.cumsum(pmf)
        k = int(v)
        p = (1.0 - cdf[k - 1]) if v > n * (n + 1) / 4 else cdf[k]
        return WilcoxonResult(v, float(min(2 * p, 1.0)), EXACT, n, n_zero, np.nan)
    z = _normal_z(nonzero, correct=True)
    if not np.isfinite(z):
        return WilcoxonResult(v, np.nan, NORMAL, n, n_zero, np.nan, "zero variance of the ranks")
    p = 2 * min(special.ndtr(z), special.ndtr(-z))
    return WilcoxonResult(v, float(p), NORMAL, n, n_zero, z)


def sign_test(pre: ArrayLike, post: ArrayLike) -> SignTestResult:
    """Exact two-sided sign test of ``post - pre`` (R: ``binom.test(sum(d > 0), sum(d != 0))``).

    Notes
    -----
    Zero differences are dropped; with k positive among m non-zero differences the p-value is
    the two-sided binomial test of k ~ Bin(m, 1/2) (``scipy.stats.binomtest``, which sums the
    probabilities not larger than that of k, as R does).

    Examples
    --------
    >>> sign_test([3, 4, 5, 6, 7, 8], [2, 3, 4, 5, 6, 8]).pvalue
    0.0625
    """
    d = _differences(pre, post)
    pos, neg = int(np.sum(d > 0)), int(np.sum(d < 0))
    zero = int(d.size - pos - neg)
    if pos + neg == 0:
        return SignTestResult(pos, neg, zero, np.nan, "all differences are zero")
    return SignTestResult(pos, neg, zero, float(stats.binomtest(pos, pos + neg).pvalue))
