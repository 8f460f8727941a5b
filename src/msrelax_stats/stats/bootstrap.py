"""Seeded, vectorised BCa bootstrap over pairs or two independent samples: the one bootstrap
of the project.

One job: bias-corrected and accelerated (BCa) intervals of statistics of the pairs
(``pre_i``, ``post_i``), resampling whole pairs. Several statistics share one set of draws
(:func:`bootstrap_pairs`): the paired analysis bootstraps the mean change and g_av together,
and the estimation plot draws that very distribution of the mean change (no second bootstrap).
Two independent samples (the changes of the two arms of a trial) are resampled each within
itself (:func:`bootstrap_two_samples`, stratified by arm), for the difference of mean changes
that the two-group estimation plot draws.

Draws are ``numpy.random.default_rng(seed).integers(0, n, (rows, n))`` for consecutive blocks
of rows. numpy's stream does not depend on how it is cut into blocks, so the draws are those of
``scipy.stats.bootstrap(..., paired=True, method="BCa")`` with the same seed, whatever its
``batch``, and both give the same interval whenever every resample is defined; unlike scipy,
resamples where a statistic is undefined (for example every drawn pair identical, so both SDs
are zero) are dropped and counted instead of turning the interval into NaN.

Memory is bounded for any n: a block holds at most about ``BLOCK_ELEMENTS`` drawn indices.
Time is linear in n x resamples: a statistic that knows its leave-one-out values in closed form
(:class:`PairStatistic` with ``leave_one_out``; the mean change and g_av do) gives the
jackknife of the acceleration in O(n); a plain callable falls back to evaluating the n
leave-one-out samples in blocks (O(n^2) work, bounded memory).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from msrelax_stats.stats._progress import progress_bar

__all__ = [
    "BootstrapResult",
    "MEAN_CHANGE",
    "MEAN_DIFFERENCE",
    "PairStatistic",
    "TwoSampleStatistic",
    "bca_paired",
    "bootstrap_pairs",
    "bootstrap_two_samples",
    "leave_one_out_mean",
    "leave_one_out_var",
]

StatisticFunction = Callable[[np.ndarray, np.ndarray, int], np.ndarray]
LeaveOneOut = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: Drawn indices (rows x pairs) held at once: about 16 MB of int64.
BLOCK_ELEMENTS = 2**21
#: Resamples x pairs above which the progress bar may appear (it still waits 2 s).
PROGRESS_ELEMENTS = 2**24


@dataclass(frozen=True)
class PairStatistic:
    """A statistic of pairs: ``values(pre, post, axis)`` vectorised along ``axis``, and
    optionally ``leave_one_out(pre, post)``, the n jackknife values in O(n)."""

    values: StatisticFunction
    leave_one_out: LeaveOneOut | None = None


def leave_one_out_mean(x: np.ndarray) -> np.ndarray:
    """Leave-one-out means: (sum - x_i) / (n - 1), from the centred values (no cancellation)."""
    centred = x - x.mean()
    return x.mean() - centred / (x.size - 1)


def leave_one_out_var(x: np.ndarray) -> np.ndarray:
    """Leave-one-out variances (ddof 1): (SS - c_i^2 n / (n - 1)) / (n - 2), c = x - mean."""
    centred = x - x.mean()
    n = x.size
    return (np.sum(centred**2) - centred**2 * n / (n - 1)) / (n - 2)


def _mean_change(pre: np.ndarray, post: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(post - pre, axis=axis)


#: The mean paired change post - pre.
MEAN_CHANGE = PairStatistic(_mean_change, lambda pre, post: leave_one_out_mean(post - pre))


@dataclass(frozen=True)
class BootstrapResult:
    """A BCa interval with its bootstrap distribution and bookkeeping.

    ``distribution`` holds the defined resampled values in draw order (``n_boot - n_dropped``
    of them); ``z0`` and ``acceleration`` are the bias correction and the acceleration.
    """

    estimate: float
    ci_low: float
    ci_high: float
    ci_level: float
    n_boot: int
    n_dropped: int
    z0: float
    acceleration: float
    seed: int
    method: str = "BCa"
    distribution: np.ndarray = field(default_factory=lambda: np.empty(0), compare=False,
                                     repr=False)  # fmt: skip
    _densities: dict[int, tuple[np.ndarray, np.ndarray] | None] = field(
        default_factory=dict, init=False, compare=False, repr=False)  # fmt: skip

    def density(self, points: int = 200) -> tuple[np.ndarray, np.ndarray] | None:
        """The Gaussian kernel density of ``distribution`` (Scott's bandwidth,
        ``scipy.stats.gaussian_kde``) at ``points`` evenly spaced values from its minimum to
        its maximum: ``(grid, density)``, or None when the distribution is empty or constant.

        What the estimation plots draw beside the BCa interval. Computed once per ``points``
        and kept with the result (pickled with it), so that the process drawing the figures
        needs no scipy when the statistics computed it before.
        """
        if points not in self._densities:
            values = self.distribution
            drawn = None
            if values.size and np.ptp(values) > 0:
                from scipy.stats import gaussian_kde

                grid = np.linspace(values.min(), values.max(), points)
                drawn = grid, gaussian_kde(values)(grid)
            self._densities[points] = drawn
        return self._densities[points]


def _as_statistic(statistic: PairStatistic | StatisticFunction) -> PairStatistic:
    return statistic if isinstance(statistic, PairStatistic) else PairStatistic(statistic)


def bootstrap_pairs(pre: np.ndarray, post: np.ndarray,
                    statistics: Mapping[str, PairStatistic | StatisticFunction], *,
                    ci_level: float = 0.95, n_boot: int = 10000, seed: int = 1,
                    progress: bool = True) -> dict[str, BootstrapResult]:  # fmt: skip
    """BCa bootstrap of several statistics of the pairs from one set of resamples.

    Parameters
    ----------
    pre, post : numpy.ndarray
        Complete pairs (1-d, same length, at least 3).
    statistics : mapping of str to PairStatistic or callable
        Name -> statistic; a callable ``f(pre, post, axis=-1)`` vectorised along ``axis``.
    ci_level : float
        Two-sided confidence level.
    n_boot : int
        Number of resamples.
    seed : int
        Seed of ``numpy.random.default_rng``.
    progress : bool
        Show a progress bar on stderr when the run is long (more than about two seconds) and
        stderr is a terminal; it never changes the result.

    Returns
    -------
    dict of str to BootstrapResult
        One result per statistic, same keys.

    Notes
    -----
    With theta the statistic of the data, theta*_b the B defined bootstrap values and
    theta_(i) the leave-one-pair-out jackknife values:
    z0 = Phi^-1((#{theta*_b < theta} + #{theta*_b <= theta}) / (2B)),
    a = sum(U_i^3) / (6 (sum(U_i^2))^(3/2)) with U_i = (n - 1)(mean(theta_(.)) - theta_(i)),
    alpha_1,2 = Phi(z0 + (z0 + z_{alpha/2, 1-alpha/2}) / (1 - a (z0 + z_{...}))), and the
    interval is the (linearly interpolated) alpha_1 and alpha_2 quantiles of theta*. This is
    ``scipy.stats.bootstrap``'s BCa.

    References
    ----------
    Efron B. Better bootstrap confidence intervals. J Am Stat Assoc. 1987;82:171-185.
    Efron B, Tibshirani RJ. An Introduction to the Bootstrap. Chapman & Hall; 1993. Ch. 14.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> pre = rng.normal(5, 1, 20); post = pre - 0.5 + rng.normal(0, 0.5, 20)
    >>> res = bootstrap_pairs(pre, post, {"diff": MEAN_CHANGE}, n_boot=2000)["diff"]
    >>> bool(res.ci_low < np.mean(post - pre) < res.ci_high), res.distribution.size
    (True, 2000)
    """
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    stats_ = {name: _as_statistic(s) for name, s in statistics.items()}
    n = pre.size
    rows = max(1, BLOCK_ELEMENTS // max(n, 1))  # resamples drawn and evaluated at once
    slow = [s for s in stats_.values() if s.leave_one_out is None]
    work = n_boot + (n if slow else 0)
    bar = progress_bar(work, "BCa bootstrap", "resample",
                       enabled=progress and work * n > PROGRESS_ELEMENTS)  # fmt: skip
    with np.errstate(all="ignore"):
        rng = np.random.default_rng(seed)
        chunks: dict[str, list[np.ndarray]] = {name: [] for name in stats_}
        for start in range(0, n_boot, rows):
            idx = rng.integers(0, n, (min(rows, n_boot - start), n))
            x, y = np.take(pre, idx), np.take(post, idx)  # take: faster than pre[idx]
            for name, stat in stats_.items():
                chunks[name].append(stat.values(x, y, -1))
            bar.update(idx.shape[0])
        out = {}
        for name, stat in stats_.items():
            if stat.leave_one_out is not None:
                jack = np.asarray(stat.leave_one_out(pre, post), dtype=float)
            else:
                jack = _jackknife_blocks(pre, post, stat.values, rows, bar)
            boot = np.concatenate(chunks[name]) if chunks[name] else np.empty(0)
            theta = float(stat.values(pre, post, -1))
            out[name] = _bca(theta, boot, jack, ci_level, n_boot, seed)
        bar.close()
    return out


def _bca(theta: float, boot: np.ndarray, jack: np.ndarray | Sequence[np.ndarray],
         ci_level: float, n_boot: int, seed: int) -> BootstrapResult:  # fmt: skip
    """The BCa interval of ``theta`` from the bootstrap values and the jackknife values (one
    array, or one per sample: the acceleration sums over the samples, Efron & Tibshirani
    1993, eq. 15.36, as ``scipy.stats.bootstrap``)."""
    level = float(ci_level)
    boot = boot[np.isfinite(boot)]
    dropped = n_boot - boot.size
    num = den = 0.0
    for values in [jack] if isinstance(jack, np.ndarray) else jack:  # one array per sample
        n = values.size
        u = (n - 1) * (np.mean(values) - values)
        num += np.sum(u**3) / n**3
        den += np.sum(u**2) / n**2
    accel = float(num / den**1.5 / 6)

    def result(low: float, high: float, z0: float) -> BootstrapResult:
        return BootstrapResult(theta, low, high, level, n_boot, dropped, z0, accel, seed,
                               distribution=boot)  # fmt: skip

    if boot.size == 0 or not np.isfinite(theta) or not np.isfinite(accel):
        return result(np.nan, np.nan, np.nan)
    from scipy import special  # here: the module of BootstrapResult imports no scipy

    z0 = float(special.ndtri((np.sum(boot < theta) + np.sum(boot <= theta)) / (2 * boot.size)))
    z = special.ndtri(np.array([(1 - level) / 2, 1 - (1 - level) / 2]))
    probs = special.ndtr(z0 + (z0 + z) / (1 - accel * (z0 + z)))
    if not np.all(np.isfinite(probs)):
        return result(np.nan, np.nan, z0)
    low, high = np.quantile(boot, probs)
    return result(float(low), float(high), z0)


def bca_paired(pre: np.ndarray, post: np.ndarray, statistic: PairStatistic | StatisticFunction,
               ci_level: float = 0.95, n_boot: int = 10000, seed: int = 1,
               progress: bool = True) -> BootstrapResult:  # fmt: skip
    """BCa bootstrap of one statistic of the pairs (:func:`bootstrap_pairs` with one entry).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> pre = rng.normal(5, 1, 20); post = pre - 0.5 + rng.normal(0, 0.5, 20)
    >>> ci = bca_paired(pre, post, MEAN_CHANGE, n_boot=2000)
    >>> bool(ci.ci_low < np.mean(post - pre) < ci.ci_high)
    True
    """
    return bootstrap_pairs(pre, post, {"statistic": statistic}, ci_level=ci_level,
                           n_boot=n_boot, seed=seed, progress=progress)["statistic"]  # fmt: skip


def _jackknife_blocks(pre: np.ndarray, post: np.ndarray, statistic: StatisticFunction, rows: int,
                      bar: object) -> np.ndarray:  # fmt: skip
    """Leave-one-pair-out values of a statistic without a closed form, in blocks of rows.

    Row i holds the pairs i + 1, ..., n - 1, 0, ..., i - 1 (pair i left out, the others in
    cyclic order), so memory stays bounded; the work is n x (n - 1).
    """
    n = pre.size
    offsets = np.arange(1, n)
    values = []
    for first in range(0, n, rows):
        omitted = np.arange(first, min(first + rows, n))
        keep = offsets[None, :] + omitted[:, None]
        keep = np.where(keep >= n, keep - n, keep)
        values.append(statistic(pre[keep], post[keep], -1))
        bar.update(omitted.size)  # type: ignore[attr-defined]
    return np.concatenate(values)


TwoSampleFunction = Callable[[np.ndarray, np.ndarray, int], np.ndarray]


@dataclass(frozen=True)
class TwoSampleStatistic:
    """A statistic of two independent samples: ``values(x, y, axis)`` vectorised along
    ``axis``, and optionally ``leave_one_out(x, y)``, the jackknife values leaving out each
    ``x_i`` and each ``y_j`` (two arrays) in O(n)."""

    values: TwoSampleFunction
    leave_one_out: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None


def _mean_difference(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


#: The difference of means ``mean(x) - mean(y)`` (e.g. treatment - control of the changes).
MEAN_DIFFERENCE = TwoSampleStatistic(
    _mean_difference,
    lambda x, y: (leave_one_out_mean(x) - y.mean(), x.mean() - leave_one_out_mean(y)),
)


def bootstrap_two_samples(x: np.ndarray, y: np.ndarray,
                          statistics: Mapping[str, TwoSampleStatistic | TwoSampleFunction], *,
                          ci_level: float = 0.95, n_boot: int = 10000, seed: int = 1,
                          progress: bool = True) -> dict[str, BootstrapResult]:  # fmt: skip
    """BCa bootstrap of statistics of two independent samples, each resampled within itself.

    Parameters
    ----------
    x, y : numpy.ndarray
        The two samples (1-d, at least 2 values each), e.g. the changes of the treatment and
        of the control arm.
    statistics : mapping of str to TwoSampleStatistic or callable
        Name -> statistic; a callable ``f(x, y, axis=-1)`` vectorised along ``axis``.
    ci_level, n_boot, seed, progress
        As in :func:`bootstrap_pairs`.

    Returns
    -------
    dict of str to BootstrapResult
        One result per statistic; NaN intervals when a sample has fewer than 2 values.

    Notes
    -----
    Each resample draws ``n_x`` values of ``x`` and ``n_y`` values of ``y`` with replacement
    (a stratified bootstrap: the arm sizes stay fixed, as the design fixed them). In each
    block of ``rows`` resamples (``rows = BLOCK_ELEMENTS // (n_x + n_y)``, every resample at
    once for a trial of usual size) the ``x`` indices are drawn before the ``y`` indices,
    ``default_rng(seed).integers(0, n, (rows, n))``: the draws of ``scipy.stats.bootstrap((x,
    y), ..., method="BCa", batch=rows)`` with the same seed, and the same interval. The BCa
    interval is that of :func:`bootstrap_pairs`, except the acceleration, which sums the
    jackknife terms of both samples: with :math:`U_{ji} = (n_j - 1)(\\bar\\theta_{j(\\cdot)} -
    \\theta_{j(i)})` the leave-one-out values of sample j,
    :math:`a = \\sum_j \\sum_i U_{ji}^3 / n_j^3 \\,/\\, (6 (\\sum_j \\sum_i U_{ji}^2 /
    n_j^2)^{3/2})` (Efron & Tibshirani 1993, eq. 15.36). Resamples where a statistic is
    undefined are dropped and counted (``n_dropped``).

    References
    ----------
    Efron B, Tibshirani RJ. An Introduction to the Bootstrap. Chapman & Hall; 1993. Ch. 14-15.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> treated, control = rng.normal(-1.2, 1, 16), rng.normal(-0.2, 1, 15)
    >>> res = bootstrap_two_samples(treated, control, {"diff": MEAN_DIFFERENCE}, n_boot=2000)
    >>> d = res["diff"]
    >>> bool(d.ci_low < treated.mean() - control.mean() < d.ci_high), d.distribution.size
    (True, 2000)
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    stats_ = {name: s if isinstance(s, TwoSampleStatistic) else TwoSampleStatistic(s)
              for name, s in statistics.items()}  # fmt: skip
    if min(x.size, y.size) < 2:
        nan = BootstrapResult(np.nan, np.nan, np.nan, float(ci_level), n_boot, n_boot, np.nan,
                              np.nan, seed)  # fmt: skip
        return {name: nan for name in stats_}
    rows = max(1, BLOCK_ELEMENTS // (x.size + y.size))
    bar = progress_bar(n_boot, "BCa bootstrap", "resample",
                       enabled=progress and n_boot * (x.size + y.size) > PROGRESS_ELEMENTS)  # fmt: skip
    with np.errstate(all="ignore"):
        rng = np.random.default_rng(seed)
        chunks: dict[str, list[np.ndarray]] = {name: [] for name in stats_}
        for start in range(0, n_boot, rows):
            size = min(rows, n_boot - start)
            xb = np.take(x, rng.integers(0, x.size, (size, x.size)))
            yb = np.take(y, rng.integers(0, y.size, (size, y.size)))
            for name, stat in stats_.items():
                chunks[name].append(stat.values(xb, yb, -1))
            bar.update(size)
        out = {}
        for name, stat in stats_.items():
            if stat.leave_one_out is not None:
                jack = [np.asarray(j, dtype=float) for j in stat.leave_one_out(x, y)]
            else:
                jack = [np.array([stat.values(np.delete(x, i), y, -1) for i in range(x.size)]),
                        np.array([stat.values(x, np.delete(y, j), -1) for j in range(y.size)])]  # fmt: skip
            theta = float(stat.values(x, y, -1))
            out[name] = _bca(theta, np.concatenate(chunks[name]), jack, ci_level, n_boot, seed)
        bar.close()
    return out
