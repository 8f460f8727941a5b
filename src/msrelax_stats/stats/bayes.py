"""The JZS Bayes factor of the paired t-test, computed in logarithms (Rouder et al. 2009).

At large n or large t the Bayes factor leaves the float range (BF10 > 1e308 when t > ~38 at
n = 20,000); its logarithm never does. :func:`log_bf10_paired` integrates the scaled integrand
and returns log BF10; :func:`bayes_factor_paired` exponentiates it (``inf`` beyond the float
range). Both are re-exported by :mod:`msrelax_stats.stats.effect_sizes`.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize

from msrelax_stats.stats.wilcoxon import _differences

__all__ = ["bayes_factor_paired", "log_bf10_paired"]


def _jzs_log_integrand(u: float, log_t2: float, n: float, r2: float, df: float) -> float:
    """Log of the integrand of :func:`log_bf10_paired` at g = e^u (the Jacobian e^u included).

    Rouder et al. (2009) eq. 1 divided by the null likelihood (1 + t^2/df)^(-(df + 1)/2),
    written with logarithms so that no term can under- or overflow:
    -1/2 log(1 + c) - (df + 1)/2 [log((1 + c) df + t^2) - log(1 + c) - log(df + t^2)]
    - 1/2 log(2 pi) - 1/2 u - e^(-u)/2, with c = n g r^2.
    """
    log_c1 = np.logaddexp(0.0, math.log(n * r2) + u)  # log(1 + c), c = n r^2 e^u
    log_alt = np.logaddexp(log_c1 + math.log(df), log_t2)
    # log of (1 + t^2/((1 + c) df)) / (1 + t^2/df), with t^2 as its log (t^2 may overflow)
    ratio = log_alt - log_c1 - np.logaddexp(math.log(df), log_t2)
    return float(-0.5 * log_c1 - (df + 1) / 2 * ratio - _HALF_LOG_2PI - 0.5 * u
                 - 0.5 * math.exp(-u))  # fmt: skip


_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def log_bf10_paired(t: float, n: int, r: float = math.sqrt(2) / 2) -> float:
    """Natural log of the JZS Bayes factor BF10 of a one-sample / paired t statistic.

    Parameters
    ----------
    t : float
        The paired t statistic (finite).
    n : int
        Number of pairs (at least 2).
    r : float
        Scale of the Cauchy prior on the standardised effect (default sqrt(2)/2, "medium").

    Returns
    -------
    float
        log BF10; finite for every finite ``t`` (NaN when n < 2 or ``t`` is not finite).

    Notes
    -----
    With df = n - 1 and g = e^u (Rouder et al. 2009, eq. 1),
    BF10 = int exp(k(u)) du, where k is :func:`_jzs_log_integrand` (the integrand over the
    null likelihood). The integrand is scaled by its maximum M before ``quad`` integrates it,
    so log BF10 = M + log int exp(k(u) - M) du never under- or overflows: at large n and t
    the integral itself can be far beyond the float range (BF10 > 1e308 when t > ~38 at
    n = 20,000) while its logarithm is an ordinary number. R: ``BayesFactor::ttest.tstat(t,
    n, rscale = "medium")$bf``.

    References
    ----------
    Rouder JN, Speckman PL, Sun D, Morey RD, Iverson G. Bayesian t tests for accepting and
    rejecting the null hypothesis. Psychon Bull Rev. 2009;16:225-237.

    Examples
    --------
    >>> round(log_bf10_paired(10.0, 30), 6)  # R: ttest.tstat(10, 30)$bf = 18.815765
    18.815765
    >>> round(log_bf10_paired(40.0, 20000), 2)  # BF10 = e^764.67: beyond the float range
    764.67
    """
    from scipy.integrate import quad  # already loaded by scipy.stats

    if not (n >= 2 and np.isfinite(t)):
        return np.nan
    df, r2 = float(n - 1), float(r) ** 2
    log_t2 = 2 * math.log(abs(t)) if t != 0 else -math.inf
    args = (log_t2, float(n), r2, df)

    def k(u: float) -> float:
        return _jzs_log_integrand(u, *args)

    # the mode of k: a coarse grid over g = e^-12 .. beyond t^2 / (n r^2) (where the posterior
    # of g sits when t is large), then Brent's method around the best grid point
    guess = log_t2 - math.log(n * r2) if t != 0 else 0.0
    grid = np.arange(-12.0, max(45.0, guess + 10.0), 0.5)
    values = np.array([k(u) for u in grid])
    best = int(np.argmax(values))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
    found = optimize.minimize_scalar(lambda u: -k(u), bounds=(lo, hi), method="bounded",
                                     options={"xatol": 1e-10})  # fmt: skip
    mode, top = float(found.x), -float(found.fun)
    # the width of the peak (curvature), so that quad sees it however narrow it is
    h = 1e-4
    curvature = -(k(mode + h) - 2 * top + k(mode - h)) / h**2
    width = 1 / math.sqrt(curvature) if curvature > 0 else 1.0
    width = min(max(width, 1e-6), 5.0)
    low_end = mode - max(40 * width, 10.0)
    high_end = mode + max(40 * width, 60.0)
    points = [mode + f * width for f in (-10, -3, -1, 0, 1, 3, 10)]
    points = [p for p in points if low_end < p < high_end]

    def scaled(u: float) -> float:
        return math.exp(k(u) - top)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        integral = quad(scaled, low_end, high_end, points=points, limit=200,
                        epsabs=0.0, epsrel=1e-10)[0]  # fmt: skip
    return float(top + math.log(integral))


def bayes_factor_paired(pre: ArrayLike, post: ArrayLike, r: float = math.sqrt(2) / 2) -> float:
    """JZS Bayes factor BF10 of the paired t-test (Cauchy prior scale ``r``, default sqrt(2)/2).

    Notes
    -----
    With t the paired t statistic, n pairs and df = n - 1 (Rouder et al. 2009, eq. 1):
    BF10 = int_0^inf (1 + n g r^2)^(-1/2) (1 + t^2 / ((1 + n g r^2) df))^(-(df + 1)/2)
    (2 pi)^(-1/2) g^(-3/2) e^(-1/(2g)) dg / (1 + t^2/df)^(-(df + 1)/2), computed in logs
    (:func:`log_bf10_paired`) and exponentiated: ``inf`` when BF10 is beyond the float range
    (above about 1e308), as R's ``extractBF(...)$bf`` is then ``Inf`` too. R:
    ``BayesFactor::ttestBF(post, pre, paired = TRUE)`` (rscale "medium" = sqrt(2)/2 = 0.707).

    References
    ----------
    Rouder JN, Speckman PL, Sun D, Morey RD, Iverson G. Bayesian t tests for accepting and
    rejecting the null hypothesis. Psychon Bull Rev. 2009;16:225-237.

    Examples
    --------
    >>> round(bayes_factor_paired([5, 6, 7, 8, 9, 7], [4.1, 4.8, 6.7, 8.4, 7.5, 6]), 2) > 1
    True
    """
    d = _differences(pre, post)
    n = d.size
    if n < 2 or np.ptp(d) == 0:
        return np.nan
    with np.errstate(all="ignore"):
        t = float(np.mean(d) / (np.std(d, ddof=1) / math.sqrt(n)))
    if not np.isfinite(t):
        return np.nan
    log_bf = log_bf10_paired(t, n, r)
    return math.exp(log_bf) if log_bf < _LOG_FLOAT_MAX else math.inf


_LOG_FLOAT_MAX = math.log(np.finfo(float).max)
