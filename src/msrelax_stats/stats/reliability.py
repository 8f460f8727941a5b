"""Reliability of the scores in this sample: Cronbach's alpha, McDonald's omega, floor/ceiling.

APA JARS and TREND ask for the internal consistency of every multi-item score in the sample
at hand. Per scale and visit the reliability table reports, on the participants who
answered every item of the scale at that visit (complete cases):

- Cronbach's alpha (R: ``psych::alpha(x)$total$raw_alpha``) with the Feldt CI
  (``psych::alpha.ci``);
- McDonald's omega total from one minres factor (R: ``psych::omega(x, nfactors = 1)$omega.tot``);
- the share of participants at the lowest and highest possible score (floor and ceiling).

The functions here take item answers as a DataFrame or 2-D array (rows = participants);
:mod:`msrelax_stats.stats.reliability_table` applies them to every scale and visit of a
study (``reliability_table``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize, stats

from msrelax_stats.instruments.engine import item_matrix

__all__ = [
    "AlphaResult",
    "OmegaResult",
    "cronbach_alpha",
    "feldt_ci",
    "omega_total",
    "floor_ceiling",
]


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of complete cases with its Feldt CI."""

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    n_items: int
    ci_level: float
    note: str = ""


@dataclass(frozen=True)
class OmegaResult:
    """McDonald's omega total of a one-factor minres model.

    ``loadings`` are the minres loadings in item order (overall sign chosen so that they sum
    to a positive number); ``reversed_items`` the items with a negative loading, which are
    reversed before the total variance is summed (as ``psych::omega(flip = TRUE)``).
    """

    omega_total: float
    loadings: tuple[float, ...]
    reversed_items: tuple[str, ...]
    n: int
    n_items: int
    note: str = ""


def _complete(items: ArrayLike | pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    if isinstance(items, pd.DataFrame):
        frame = items
    else:
        array = np.asarray(items, dtype=float)
        if array.ndim != 2:
            raise ValueError("items must be 2-D: rows = participants, columns = items")
        frame = pd.DataFrame(array, columns=[f"item {i + 1}" for i in range(array.shape[1])])
    names = [str(c) for c in frame.columns]
    values = item_matrix(frame, list(frame.columns))
    return values[~np.isnan(values).any(axis=1)], names


def feldt_ci(alpha: float, n: int, n_items: int, ci_level: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval of Cronbach's alpha (R: ``psych::alpha.ci``).

    Notes
    -----
    Under the model of Feldt (1965), (1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1))
    for n participants and k items, so the interval is

        [1 - (1 - alpha_hat) F_{1 - g/2}, 1 - (1 - alpha_hat) F_{g/2}],  g = 1 - ci_level.

    References
    ----------
    Feldt LS. The approximate sampling distribution of Kuder-Richardson reliability
    coefficient twenty. Psychometrika. 1965;30:357-370. Feldt LS, Woodruff DJ, Salih FA.
    Statistical inference for coefficient alpha. Appl Psychol Meas. 1987;11(1):93-103.

    Examples
    --------
    R: ``psych::alpha.ci(0.8, n.obs = 30, n.var = 5)`` gives 0.6591688 and 0.8941073.

    >>> [round(x, 6) for x in feldt_ci(0.8, 30, 5)]
    [0.659169, 0.894107]
    """
    if n < 2 or n_items < 2 or not np.isfinite(alpha):
        return float("nan"), float("nan")
    df1, df2 = n - 1, (n - 1) * (n_items - 1)
    gamma = 1.0 - ci_level
    low = 1.0 - (1.0 - alpha) * stats.f.ppf(1.0 - gamma / 2.0, df1, df2)
    high = 1.0 - (1.0 - alpha) * stats.f.ppf(gamma / 2.0, df1, df2)
    return float(low), float(high)


def cronbach_alpha(items: ArrayLike | pd.DataFrame, ci_level: float = 0.95) -> AlphaResult:
    """Cronbach's alpha of the complete cases, with the Feldt CI.

    Parameters
    ----------
    items : DataFrame or array_like, shape (participants, items)
        Item answers (reverse-keyed items already recoded). Rows with a missing item are
        left out.
    ci_level : float
        Confidence level of the Feldt interval.

    Returns
    -------
    AlphaResult
        ``alpha`` is NaN with a note for fewer than two items or participants, or when the
        total score does not vary.

    Notes
    -----
    With C the item covariance matrix (n - 1 denominator) of k items,
    alpha = k / (k - 1) * (1 - tr(C) / sum(C)) (R: ``psych::alpha(x)$total$raw_alpha``;
    items are not reversed by their correlations: ``check.keys = FALSE``).

    References
    ----------
    Cronbach LJ. Coefficient alpha and the internal structure of tests. Psychometrika.
    1951;16:297-334.

    Examples
    --------
    Item variances 5/3, 4/3, 19/12 (trace 55/12), total-score variance 49/4, so
    alpha = 3/2 * (1 - (55/12) / (49/4)) = 46/49:

    >>> res = cronbach_alpha([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5]])
    >>> round(res.alpha, 6), round(46 / 49, 6), res.n, res.n_items
    (0.938776, 0.938776, 4, 3)
    """
    values, _ = _complete(items)
    n, k = values.shape
    if k < 2 or n < 2:
        why = "fewer than 2 items" if k < 2 else "fewer than 2 complete cases"
        return AlphaResult(np.nan, np.nan, np.nan, n, k, ci_level, f"alpha undefined: {why}")
    cov = np.cov(values, rowvar=False, ddof=1)
    total = float(cov.sum())
    if total <= 0:
        note = "alpha undefined: the total score does not vary"
        return AlphaResult(np.nan, np.nan, np.nan, n, k, ci_level, note)
    alpha = k / (k - 1) * (1.0 - float(np.trace(cov)) / total)
    low, high = feldt_ci(alpha, n, k, ci_level)
    return AlphaResult(float(alpha), low, high, n, k, ci_level)


def _minres_one_factor(corr: np.ndarray) -> np.ndarray:
    """Loadings l minimising sum_{i<j} (r_ij - l_i l_j)^2 (minres = ULS off the diagonal)."""
    k = corr.shape[0]
    upper = np.triu_indices(k, 1)
    # start as psych::fa: principal axis with squared multiple correlations on the diagonal;
    # where R is singular (an item a sum of others), an item's largest correlation, as psych::smc
    off = np.abs(corr - np.eye(k)).max(axis=1)
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            smc = 1.0 - 1.0 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        smc = off
    smc = np.where(np.isfinite(smc) & (smc <= 1.0), smc, off)
    reduced = corr.copy()
    np.fill_diagonal(reduced, np.clip(smc, 0.005, 1.0))
    values, vectors = np.linalg.eigh(reduced)
    start = vectors[:, -1] * np.sqrt(max(values[-1], 1e-6))

    def residuals(loadings: np.ndarray) -> np.ndarray:
        return corr[upper] - loadings[upper[0]] * loadings[upper[1]]

    def jacobian(loadings: np.ndarray) -> np.ndarray:
        jac = np.zeros((upper[0].size, k))
        rows = np.arange(upper[0].size)
        jac[rows, upper[0]] = -loadings[upper[1]]
        jac[rows, upper[1]] = -loadings[upper[0]]
        return jac

    fit = optimize.least_squares(
        residuals, start, jac=jacobian, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15
    )
    loadings = fit.x
    return -loadings if loadings.sum() < 0 else loadings


def omega_total(items: ArrayLike | pd.DataFrame) -> OmegaResult:
    """McDonald's omega total from one minres factor, as ``psych::omega(x, nfactors = 1)``.

    Parameters
    ----------
    items : DataFrame or array_like, shape (participants, items)
        Item answers (reverse-keyed items already recoded); rows with a missing item are
        left out. At least 3 items (a one-factor model of 2 items is not identified).

    Returns
    -------
    OmegaResult
        NaN with a note for fewer than 3 items or 3 complete cases, an item that does not
        vary, or a Heywood case (a loading of absolute value 1 or more).

    Notes
    -----
    R is the Pearson correlation matrix of the items and l the loadings of one factor fitted
    by minres, i.e. minimising sum_{i<j} (r_ij - l_i l_j)^2 (solved here by Levenberg-Marquardt
    to machine precision; psych's L-BFGS-B stops within about 1e-7 of the same loadings).
    Items with a negative loading are reversed (R -> D R D, D = diag(sign l)), as psych does
    with ``flip = TRUE``; then, with V_t the sum of all elements of D R D and
    u_i^2 = 1 - l_i^2 the uniquenesses,

        omega_total = (V_t - sum u_i^2) / V_t.

    This is psych's omega total (the total variance is the observed one). The model-implied
    form (sum l)^2 / ((sum l)^2 + sum u^2) differs from it by the misfit of the model.

    References
    ----------
    McDonald RP. Test theory: a unified treatment. Mahwah, NJ: Erlbaum; 1999. Revelle W,
    Zinbarg RE. Coefficients alpha, beta, omega, and the glb. Psychometrika.
    2009;74(1):145-154. Revelle W. psych: Procedures for psychological, psychometric, and
    personality research (R package), function ``omega``.

    Examples
    --------
    R: ``psych::omega(x, nfactors = 1)$omega.tot`` = 0.9301791 for these answers:

    >>> x = [[2, 3, 3, 2], [4, 4, 5, 4], [1, 2, 1, 2], [3, 3, 4, 4],
    ...      [5, 4, 4, 5], [2, 1, 2, 2], [3, 4, 3, 3], [4, 5, 4, 3]]
    >>> res = omega_total(x)
    >>> round(res.omega_total, 6), res.n_items, res.reversed_items
    (0.930179, 4, ())
    """
    values, names = _complete(items)
    n, k = values.shape
    if k < 3 or n < 3:
        why = "fewer than 3 items" if k < 3 else "fewer than 3 complete cases"
        return OmegaResult(np.nan, (), (), n, k, f"omega not estimated: {why}")
    sd = values.std(axis=0, ddof=1)
    if np.any(sd == 0):
        flat = ", ".join(names[i] for i in np.flatnonzero(sd == 0))
        return OmegaResult(np.nan, (), (), n, k, f"omega not estimated: {flat} does not vary")
    corr = np.corrcoef(values, rowvar=False)
    loadings = _minres_one_factor(corr)
    fitted = tuple(float(v) for v in loadings)
    if np.any(np.abs(loadings) >= 1.0):
        worst = names[int(np.argmax(np.abs(loadings)))]
        note = f"omega not estimated: Heywood case (loading of {worst} >= 1 in absolute value)"
        return OmegaResult(np.nan, fitted, (), n, k, note)
    key = np.where(loadings < 0, -1.0, 1.0)
    total = float((corr * np.outer(key, key)).sum())
    omega = (total - float(np.sum(1.0 - loadings**2))) / total
    flipped = tuple(names[i] for i in np.flatnonzero(key < 0))
    note = ""
    if flipped:
        note = f"negative loading, reversed for omega (as psych): {', '.join(flipped)}"
    return OmegaResult(float(omega), fitted, flipped, n, k, note)


def floor_ceiling(scores: ArrayLike, minimum: float, maximum: float) -> tuple[float, float, int]:
    """Percent of scores at the lowest and at the highest possible value.

    Missing scores are left out. Returns ``(floor_pct, ceiling_pct, n)``; more than 15 % at
    either end is the usual threshold for a floor or ceiling effect (Terwee 2007).

    References
    ----------
    Terwee CB, et al. Quality criteria were proposed for measurement properties of health
    status questionnaires. J Clin Epidemiol. 2007;60(1):34-42.

    Examples
    --------
    >>> floor_ceiling([0, 0, 3, 8, None], 0, 8)  # 2 of 4 at 0, 1 of 4 at 8
    (50.0, 25.0, 4)
    """
    values = pd.to_numeric(pd.Series(scores, dtype=object), errors="coerce").to_numpy(float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return float("nan"), float("nan"), 0
    tol = 1e-9 * max(1.0, abs(maximum - minimum))
    floor = 100.0 * float(np.mean(np.abs(values - minimum) <= tol))
    ceiling = 100.0 * float(np.mean(np.abs(values - maximum) <= tol))
    return floor, ceiling, int(values.size)
