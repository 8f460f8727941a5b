"""The random-intercept linear mixed model of :mod:`msrelax_stats.stats.visits`.

Treatment-coded design matrix of visit (and arm), the MixedLM fit polished towards lme4's
optimum, fixed effects with lme4's GLS standard errors, and the variance components.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

__all__ = [
    "FIXED_COLUMNS",
    "VARIANCE_COLUMNS",
    "design_matrix",
    "fit_mixed",
    "fixed_rows",
    "variance_row",
]

#: Columns of ``VisitsResult.fixed_effects`` and of ``VisitsResult.variance``.
FIXED_COLUMNS = ["outcome", "model", "term", "estimate", "se", "z", "p", "ci_low", "ci_high"]
VARIANCE_COLUMNS = [
    "outcome",
    "model",
    "intercept_var",
    "residual_var",
    "n_participants",
    "n_observations",
    "converged",
]


def design_matrix(
    time: np.ndarray, visits: Sequence[str], arm: np.ndarray | None, treatment: str | None
) -> tuple[np.ndarray, list[str], int]:
    """Treatment-coded design: intercept, visits[1:], [treatment, visit x treatment].

    Returns the matrix, the term names and the number of interaction columns.
    """
    cols = [np.ones(time.size)] + [(time == v).astype(float) for v in visits[1:]]
    names = ["(Intercept)"] + [f"time[{v}]" for v in visits[1:]]
    if arm is None:
        return np.column_stack(cols), names, 0
    treated = (arm == treatment).astype(float)
    cols.append(treated)
    names.append(f"group[{treatment}]")
    cols += [(time == v) * treated for v in visits[1:]]
    names += [f"time[{v}]:group[{treatment}]" for v in visits[1:]]
    return np.column_stack(cols), names, len(visits) - 1


def fit_mixed(
    y: np.ndarray, x: np.ndarray, ids: np.ndarray, reml: bool, notes: list[str], what: str
):
    """Random-intercept MixedLM fit: BFGS, then Powell from there to polish the optimum.

    The polish brings the variance components to ~1e-7 of lme4's on our references (BFGS
    alone stops near 1e-5). Warnings and a failed convergence become notes.
    """
    model = sm.MixedLM(y, x, groups=ids, exog_re=np.ones((y.size, 1)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            first = model.fit(reml=reml, method="bfgs")
            res = model.fit(reml=reml, method="powell", start_params=first.params_object)
            if not res.converged or res.llf < first.llf:
                res = first
        except np.linalg.LinAlgError:
            res = model.fit(reml=reml, method="powell")
    for w in dict.fromkeys(str(w.message) for w in caught):
        notes.append(f"{what}: {w}")
    if not res.converged:
        notes.append(f"{what}: the optimiser did not converge; treat its numbers with care")
    return res


def fixed_rows(
    res: Any,
    x: np.ndarray,
    ids: np.ndarray,
    names: list[str],
    outcome: str,
    model: str,
    ci_level: float,
) -> pd.DataFrame:
    """Fixed effects with the GLS covariance :math:`(X'\\hat V^{-1}X)^{-1}` (lme4's vcov)."""
    tau2, sigma2 = float(np.asarray(res.cov_re)[0, 0]), float(res.scale)
    codes, uniques = pd.factorize(ids)
    sums = np.zeros((uniques.size, x.shape[1]))
    np.add.at(sums, codes, x)
    n_i = np.bincount(codes)
    w = tau2 / (sigma2 + n_i * tau2)
    info = (x.T @ x - sums.T @ (w[:, None] * sums)) / sigma2
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    est = np.asarray(res.fe_params)
    z = est / se
    half = stats.norm.ppf(0.5 + ci_level / 2) * se
    return pd.DataFrame(
        {
            "outcome": outcome,
            "model": model,
            "term": names,
            "estimate": est,
            "se": se,
            "z": z,
            "p": 2 * stats.norm.sf(np.abs(z)),
            "ci_low": est - half,
            "ci_high": est + half,
        }
    )


def variance_row(res: Any, outcome: str, model: str, ids: np.ndarray) -> dict[str, Any]:
    """Variance components and sizes of one fit (a row of ``VisitsResult.variance``)."""
    return {
        "outcome": outcome,
        "model": model,
        "intercept_var": float(np.asarray(res.cov_re)[0, 0]),
        "residual_var": float(res.scale),
        "n_participants": int(pd.unique(ids).size),
        "n_observations": int(ids.size),
        "converged": bool(res.converged),
    }
