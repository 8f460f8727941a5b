"""Seeded, vectorised BCa bootstrap over pairs.

One job: the bias-corrected and accelerated (BCa) interval of a statistic of the pairs
(``pre_i``, ``post_i``), resampling whole pairs. Resamples are drawn in chunks of
``batch`` rows with ``numpy.random.default_rng(seed).integers(0, n, (batch, n))`` and the
statistic is evaluated on all rows of a chunk at once (no Python loop over resamples or
participants). With the same seed and batch the draws are those of
``scipy.stats.bootstrap(..., paired=True, method="BCa")``, so both give the same interval
whenever every resample is defined; unlike scipy, resamples where the statistic is undefined
(for example every drawn pair identical, so both SDs are zero) are dropped and counted
instead of turning the interval into NaN.

Memory is bounded for any n: each chunk of drawn indices is evaluated in blocks of at most
about ``BLOCK_ELEMENTS`` resampled values, and the n leave-one-out jackknife samples are built
and evaluated in blocks of rows, never as one n x (n - 1) matrix. The statistic is evaluated row
by row along the last axis, so blocking changes neither the draws nor any value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

from msrelax_stats.stats._progress import progress_bar

__all__ = ["BootstrapInterval", "bca_paired"]

PairStatistic = Callable[[np.ndarray, np.ndarray, int], np.ndarray]

#: Resampled values (rows x pairs) evaluated at once: about 16 MB per float64 array.
BLOCK_ELEMENTS = 2**21
#: Resamples x pairs above which the progress bar may appear (it still waits 2 s).
PROGRESS_ELEMENTS = 2**24


@dataclass(frozen=True)
class BootstrapInterval:
    """A BCa interval with the bootstrap bookkeeping (``n_dropped`` undefined resamples)."""

    ci_low: float
    ci_high: float
    ci_level: float
    n_boot: int
    n_dropped: int
    z0: float
    acceleration: float


def bca_paired(pre: np.ndarray, post: np.ndarray, statistic: PairStatistic,
               ci_level: float = 0.95, n_boot: int = 10000, seed: int = 1,
               batch: int = 2000, progress: bool = True) -> BootstrapInterval:  # fmt: skip
    """BCa bootstrap interval of ``statistic(pre, post, axis)`` resampling pairs.

    Parameters
    ----------
    pre, post : numpy.ndarray
        Complete pairs (1-d, same length, at least 3).
    statistic : callable
        ``statistic(pre, post, axis=-1)`` vectorised along ``axis``.
    ci_level : float
        Two-sided confidence level.
    n_boot : int
        Number of resamples.
    seed : int
        Seed of ``numpy.random.default_rng``.
    batch : int
        Resamples drawn at once (the draws depend on it; with scipy's ``batch`` they are
        scipy's). Evaluation is further split into blocks of about ``BLOCK_ELEMENTS`` values.
    progress : bool
        Show a progress bar on stderr when the run is long (more than about two seconds) and
        stderr is a terminal; it never changes the result.

    Returns
    -------
    BootstrapInterval

    Notes
    -----
    With theta the statistic of the data, theta*_b the B defined bootstrap values and
    theta_(i) the leave-one-pair-out jackknife values:
    z0 = Phi^-1((#{theta*_b < theta} + #{theta*_b <= theta}) / (2B)),
    a = sum(U_i^3) / (6 (sum(U_i^2))^(3/2)) with U_i = (n - 1)(mean(theta_(.)) - theta_(i)),
    alpha_1,2 = Phi(z0 + (z0 + z_{alpha/2, 1-alpha/2}) / (1 - a (z0 + z_{...}))), and the
    interval is the (linearly interpolated) alpha_1 and alpha_2 quantiles of theta*.

    References
    ----------
    Efron B. Better bootstrap confidence intervals. J Am Stat Assoc. 1987;82:171-185.
    Efron B, Tibshirani RJ. An Introduction to the Bootstrap. Chapman & Hall; 1993. Ch. 14.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> pre = rng.normal(5, 1, 20); post = pre - 0.5 + rng.normal(0, 0.5, 20)
    >>> mean_change = lambda x, y, axis=-1: np.mean(y - x, axis=axis)
    >>> ci = bca_paired(pre, post, mean_change, n_boot=2000)
    >>> bool(ci.ci_low < np.mean(post - pre) < ci.ci_high)
    True
    """
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    n = pre.size
    level = float(ci_level)
    rows = max(1, BLOCK_ELEMENTS // max(n, 1))  # rows of n values evaluated at once
    bar = progress_bar(n_boot + n, "BCa bootstrap", "resample",
                       enabled=progress and (n_boot + n) * n > PROGRESS_ELEMENTS)  # fmt: skip
    with np.errstate(all="ignore"):
        theta = float(statistic(pre, post, -1))
        rng = np.random.default_rng(seed)
        chunks = []
        for start in range(0, n_boot, batch):  # loop over chunks of resamples
            idx = rng.integers(0, n, (min(batch, n_boot - start), n))
            for first in range(0, idx.shape[0], rows):  # blocks of rows: bounded memory
                block = idx[first : first + rows]
                chunks.append(statistic(pre[block], post[block], -1))
                bar.update(block.shape[0])
        boot = np.concatenate(chunks)
        boot = boot[np.isfinite(boot)]
        dropped = n_boot - boot.size
        jack = _jackknife(pre, post, statistic, rows, bar)
        bar.close()
        u = (n - 1) * (np.mean(jack) - jack)
        accel = float(np.sum(u**3) / n**3 / (np.sum(u**2) / n**2) ** 1.5 / 6)
        if boot.size == 0 or not np.isfinite(theta) or not np.isfinite(accel):
            return BootstrapInterval(np.nan, np.nan, level, n_boot, dropped, np.nan, accel)
        z0 = float(special.ndtri((np.sum(boot < theta) + np.sum(boot <= theta)) / (2 * boot.size)))
        z = special.ndtri(np.array([(1 - level) / 2, 1 - (1 - level) / 2]))
        probs = special.ndtr(z0 + (z0 + z) / (1 - accel * (z0 + z)))
        if not np.all(np.isfinite(probs)):
            return BootstrapInterval(np.nan, np.nan, level, n_boot, dropped, z0, accel)
        low, high = np.quantile(boot, probs)
    return BootstrapInterval(float(low), float(high), level, n_boot, dropped, z0, accel)


def _jackknife(pre: np.ndarray, post: np.ndarray, statistic: PairStatistic, rows: int,
               bar: object) -> np.ndarray:  # fmt: skip
    """Leave-one-pair-out values of ``statistic``, built in blocks of ``rows`` rows.

    Row i holds the pairs i + 1, ..., n - 1, 0, ..., i - 1 (pair i left out, the others in
    cyclic order, as before blocking), so every value is the one of the full n x (n - 1) matrix.
    """
    n = pre.size
    offsets = np.arange(1, n)
    values = []
    for first in range(0, n, rows):  # blocks of rows: bounded memory
        omitted = np.arange(first, min(first + rows, n))
        keep = offsets[None, :] + omitted[:, None]
        keep = np.where(keep >= n, keep - n, keep)
        values.append(statistic(pre[keep], post[keep], -1))
        bar.update(omitted.size)  # type: ignore[attr-defined]
    return np.concatenate(values)
