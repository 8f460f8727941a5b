"""Paired t-test with the CI of the mean change, descriptives, Shapiro-Wilk, multiplicity.

Every function takes the two visits of the complete pairs (``pre``, ``post``, same order) and
works on the change ``post - pre`` (negative = lower score after the intervention). Undefined
values (fewer than two pairs, zero variance) are NaN with a ``note`` and never raise or warn.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

__all__ = [
    "Descriptives",
    "PairedTTestResult",
    "ShapiroResult",
    "describe_pairs",
    "paired_t",
    "shapiro_differences",
    "pearson_r",
    "adjust_pvalues",
    "mean_ci",
    "exact_differences",
    "score_grid",
]

#: Largest denominator searched for the grid of a score (a mean of up to 9 items with up to
#: one missing item prorated lives on multiples of 1/72; 720 covers every built-in score).
MAX_GRID = 720


def _pairs(pre: ArrayLike, post: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    if pre.shape != post.shape or pre.ndim != 1:
        raise ValueError("pre and post must be 1-d arrays of the same length (complete pairs)")
    return pre, post


def _sd(x: np.ndarray) -> float:
    return float(np.std(x, ddof=1)) if x.size >= 2 else np.nan


@dataclass(frozen=True)
class Descriptives:
    """Means, SDs (ddof = 1) and medians of both visits and of the change, over complete pairs."""

    n: int
    pre_mean: float
    pre_sd: float
    post_mean: float
    post_sd: float
    pre_median: float
    post_median: float
    diff_mean: float
    diff_sd: float


def describe_pairs(pre: ArrayLike, post: ArrayLike) -> Descriptives:
    """Descriptive statistics of the complete pairs.

    Examples
    --------
    >>> describe_pairs([5, 6, 7], [4, 4, 6]).diff_mean
    -1.3333333333333333
    """
    pre, post = _pairs(pre, post)
    d = post - pre
    n = pre.size
    mean = (lambda x: float(np.mean(x))) if n else (lambda x: np.nan)
    median = (lambda x: float(np.median(x))) if n else (lambda x: np.nan)
    return Descriptives(
        n, mean(pre), _sd(pre), mean(post), _sd(post), median(pre), median(post), mean(d), _sd(d)
    )


def mean_ci(mean: ArrayLike, sd: ArrayLike, n: ArrayLike,
            ci_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The t-based confidence interval of a mean from its summary, vectorised.

    Notes
    -----
    :math:`\\bar x \\pm t_{1-\\alpha/2,\\,n-1}\\, s/\\sqrt n`; NaN where n < 2. The one
    place this interval is computed: the visit means of the paired analysis, the
    trajectories of the visits analysis, and every figure that draws a mean with its CI
    (they read those tables). R: ``t.test(x)$conf.int``.

    Examples
    --------
    >>> low, high = mean_ci([5.0], [1.0], [4])  # 5 +- 3.182446 x 1 / 2
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (3.4088, 6.5912)
    """
    mean = np.atleast_1d(np.asarray(mean, dtype=float))
    sd = np.atleast_1d(np.asarray(sd, dtype=float))
    n = np.atleast_1d(np.asarray(n, dtype=float))
    half = np.full(np.broadcast(mean, sd, n).shape, np.nan)
    ok = np.broadcast_to(n >= 2, half.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        full = stats.t.ppf(0.5 + ci_level / 2, np.where(n >= 2, n - 1, 1)) * sd / np.sqrt(n)
    half[ok] = np.broadcast_to(full, half.shape)[ok]
    return mean - half, mean + half


def score_grid(values: ArrayLike) -> int | None:
    """The smallest q <= ``MAX_GRID`` such that every value is a multiple of 1/q (within
    binary rounding), or None: the exact scale of a score (FSS mean: 9; a sum: 1).

    Examples
    --------
    >>> score_grid([40 / 9, 5.0, 6 + 1 / 9]), score_grid([1.0, 3.0]), score_grid([0.1234567])
    (9, 1, None)
    """
    v = np.unique(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    if v.size == 0:
        return None
    for q in range(1, MAX_GRID + 1):
        scaled = v * q
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-9 * np.maximum(1.0, np.abs(scaled))):
            return q
    return None


def exact_differences(pre: ArrayLike, post: ArrayLike) -> tuple[np.ndarray, int | None]:
    """``post - pre`` on the exact scale of the score, and that scale's denominator.

    A mean of k items is a multiple of 1/k, but in binary floating point 40/9 - 31/9 is not
    exactly 1: differences that are equal on paper differ in the last bits, so ranking them
    breaks ties that exist and a zero change can come out as 1e-16. Here the differences are
    (round(q post) - round(q pre)) / q with q = :func:`score_grid` of both visits, so equal
    changes are equal and zero is zero; without a grid (continuous scores) they are left as
    computed. The rank-based statistics (Wilcoxon, sign test, Hodges-Lehmann, rank-biserial)
    use them. R's ``wilcox.test(post, pre, paired = TRUE)`` ranks the unrounded differences;
    ``wilcox.test((round(q * post) - round(q * pre)) / q)`` reproduces ours.

    Examples
    --------
    >>> d, q = exact_differences([40 / 9, 5.0], [31 / 9, 5 + 1 / 9])
    >>> q, d.tolist() == [-1.0, 1 / 9]
    (9, True)
    """
    pre, post = _pairs(pre, post)
    q = score_grid(np.concatenate([pre, post]))
    if q is None or q == 1 and np.array_equal(pre, np.round(pre)):
        return post - pre, q
    return (np.round(post * q) - np.round(pre * q)) / q, q


@dataclass(frozen=True)
class PairedTTestResult:
    """Paired t-test of ``post - pre`` with the t-based CI of the mean change."""

    statistic: float
    df: float
    pvalue: float
    mean_diff: float
    ci_low: float
    ci_high: float
    ci_level: float
    note: str = ""


def paired_t(pre: ArrayLike, post: ArrayLike, ci_level: float = 0.95) -> PairedTTestResult:
    """Two-sided paired t-test with the CI of the mean change (R: ``t.test(post, pre, paired=TRUE)``).

    Parameters
    ----------
    pre, post : array_like
        Scores of the complete pairs.
    ci_level : float
        Confidence level of the interval for the mean change.

    Returns
    -------
    PairedTTestResult

    Notes
    -----
    With d = post - pre, t = mean(d) / (sd(d) / sqrt(n)), df = n - 1, and the CI is
    mean(d) +- t_{1 - alpha/2, n-1} sd(d) / sqrt(n) (``scipy.stats.ttest_rel``).

    References
    ----------
    Student. The probable error of a mean. Biometrika. 1908;6:1-25.

    Examples
    --------
    >>> res = paired_t([5, 6, 7, 8], [4, 4, 6, 6])
    >>> round(res.statistic, 4), res.df  # mean -1.5 / (sqrt(1/3) / 2)
    (-5.1962, 3.0)
    """
    pre, post = _pairs(pre, post)
    n = pre.size
    d = post - pre
    mean = float(np.mean(d)) if n else np.nan
    if n < 2:
        return PairedTTestResult(np.nan, np.nan, np.nan, mean, np.nan, np.nan, ci_level,
                                 f"paired t-test needs at least 2 pairs (n = {n})")  # fmt: skip
    if np.ptp(d) == 0:
        return PairedTTestResult(np.nan, float(n - 1), np.nan, mean, np.nan, np.nan, ci_level,
                                 "paired t-test undefined: the change has zero variance")  # fmt: skip
    res = stats.ttest_rel(post, pre)
    ci = res.confidence_interval(confidence_level=ci_level)
    return PairedTTestResult(float(res.statistic), float(res.df), float(res.pvalue), mean,
                             float(ci.low), float(ci.high), ci_level)  # fmt: skip


@dataclass(frozen=True)
class ShapiroResult:
    """Shapiro-Wilk test of normality of the differences (an aid, never a switch of test)."""

    statistic: float
    pvalue: float
    note: str = ""


def shapiro_differences(pre: ArrayLike, post: ArrayLike) -> ShapiroResult:
    """Shapiro-Wilk W and p of ``post - pre`` (R: ``shapiro.test(post - pre)``).

    Notes
    -----
    Royston's algorithm AS R94 (``scipy.stats.shapiro``), defined for 3 to 5000 values that
    are not all identical; otherwise NaN with a note.

    References
    ----------
    Royston P. Remark AS R94. Appl Stat. 1995;44:547-551.

    Examples
    --------
    >>> res = shapiro_differences([1, 2, 3, 4, 5], [1.5, 2.1, 3.9, 4.2, 6.6])
    >>> 0 < res.pvalue <= 1
    True
    """
    pre, post = _pairs(pre, post)
    d = post - pre
    if not 3 <= d.size <= 5000:
        return ShapiroResult(np.nan, np.nan, f"Shapiro-Wilk needs 3 to 5000 pairs (n = {d.size})")
    if np.ptp(d) == 0:
        return ShapiroResult(np.nan, np.nan, "Shapiro-Wilk undefined: all differences are equal")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.shapiro(d)
    return ShapiroResult(float(res.statistic), float(res.pvalue))


def pearson_r(pre: ArrayLike, post: ArrayLike) -> float:
    """Pearson correlation between the visits (R: ``cor(pre, post)``); NaN when undefined.

    Examples
    --------
    >>> pearson_r([1, 2, 3], [2, 4, 7])
    0.9933992677987828
    """
    pre, post = _pairs(pre, post)
    if pre.size < 2 or np.ptp(pre) == 0 or np.ptp(post) == 0:
        return np.nan
    return float(stats.pearsonr(pre, post).statistic)


def adjust_pvalues(pvalues: Sequence[float] | ArrayLike, method: str) -> np.ndarray:
    """Holm or Benjamini-Hochberg adjusted p-values (R: ``p.adjust(p, "holm" | "BH")``).

    Parameters
    ----------
    pvalues : array_like
        One p-value per outcome; NaN entries stay NaN and are left out of the family (as R).
    method : {"holm", "fdr_bh"}
        Holm's step-down, or Benjamini-Hochberg's false discovery rate.

    Notes
    -----
    ``statsmodels.stats.multitest.multipletests`` on the non-missing p-values: Holm
    p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)); BH p_(i) = min_{j >= i} min(1, m p_(j) / j).

    References
    ----------
    Holm S. A simple sequentially rejective multiple test procedure. Scand J Stat.
    1979;6:65-70. Benjamini Y, Hochberg Y. Controlling the false discovery rate. J R Stat Soc
    B. 1995;57:289-300.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03], "holm")
    array([0.03, 0.06, 0.06])
    """
    p = np.asarray(pvalues, dtype=float)
    from statsmodels.stats.multitest import multipletests  # narrow submodule, imported on use

    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method=method)[1]
    return out
