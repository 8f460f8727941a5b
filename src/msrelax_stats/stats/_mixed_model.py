"""The random-intercept linear mixed model of :mod:`msrelax_stats.stats.visits`.

Treatment-coded design matrix of visit (and arm, and baseline covariates) with readable term
labels, the MixedLM fit polished towards lme4's optimum, fixed effects with lme4's GLS
standard errors and Satterthwaite's denominator df (as R ``lmerTest``), the variance
components and the ICC.

Kenward-Roger df are not offered: no maintained Python library computes them (statsmodels
does not; pymer4 calls R through rpy2), and Satterthwaite's are what ``lmerTest`` reports by
default.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from msrelax_stats.stats._covariates import CovariateDesign

__all__ = [
    "FIXED_COLUMNS",
    "VARIANCE_COLUMNS",
    "Satterthwaite",
    "design_matrix",
    "fit_mixed",
    "fixed_rows",
    "satterthwaite",
    "variance_row",
]

#: Columns of ``VisitsResult.fixed_effects`` by ``ddf``, and of ``VisitsResult.variance``.
FIXED_COLUMNS = {
    "satterthwaite": [
        "outcome",
        "model",
        "term",
        "label",
        "estimate",
        "se",
        "df",
        "t",
        "p",
        "ci_low",
        "ci_high",
    ],
    "wald": ["outcome", "model", "term", "label", "estimate", "se", "z", "p", "ci_low", "ci_high"],
}
VARIANCE_COLUMNS = [
    "outcome",
    "model",
    "covariates",
    "intercept_var",
    "residual_var",
    "icc",
    "n_participants",
    "n_observations",
    "converged",
]


def design_matrix(
    time: np.ndarray,
    visits: Sequence[str],
    arm: np.ndarray | None,
    arms: tuple[str, str] | None,
    covariates: CovariateDesign | None = None,
) -> tuple[np.ndarray, list[str], list[str], int]:
    """Treatment-coded design: intercept, visits[1:], [treatment, visit x treatment], covariates.

    ``arms`` is ``(control, treatment)``. Returns the matrix, the term names (patsy style:
    ``time[week6]``, ``group[relaxation]``, ``time[week6]:group[relaxation]``, ``sex[M]``),
    readable labels of the same terms, and the number of interaction columns.

    Examples
    --------
    >>> x, names, labels, k = design_matrix(np.array(["t0", "t1", "t0", "t1"]), ["t0", "t1"],
    ...                                     np.array(["c", "c", "p", "p"]), ("c", "p"))
    >>> labels
    ['mean of c at t0', 't1 vs t0 in c', 'p vs c at t0', 'p vs c in change t0 to t1']
    """
    base, later = visits[0], list(visits[1:])
    cols = [np.ones(time.size)] + [(time == v).astype(float) for v in later]
    names = ["(Intercept)"] + [f"time[{v}]" for v in later]
    if arm is None:
        labels = [f"mean at {base}"] + [f"{v} vs {base}" for v in later]
        k_int = 0
    else:
        ctl, trt = arms
        treated = (arm == trt).astype(float)
        cols += [treated] + [(time == v) * treated for v in later]
        names += [f"group[{trt}]"] + [f"time[{v}]:group[{trt}]" for v in later]
        labels = [f"mean of {ctl} at {base}"] + [f"{v} vs {base} in {ctl}" for v in later]
        labels += [f"{trt} vs {ctl} at {base}"]
        labels += [f"{trt} vs {ctl} in change {base} to {v}" for v in later]
        k_int = len(later)
    if covariates is not None and covariates.names:
        cols.append(covariates.matrix)
        names += covariates.names
        labels += covariates.labels
        labels[0] = "intercept (numeric covariates at 0, factors at their reference level)"
    return np.column_stack(cols), names, labels, k_int


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


@dataclass(frozen=True)
class Satterthwaite:
    """Fixed effects of a random-intercept REML fit with what Satterthwaite's df need.

    ``beta`` and ``cov`` (:math:`C = (X'\\hat V^{-1}X)^{-1}`, lme4's ``vcov``), ``jacobian``
    (:math:`\\partial C / \\partial \\tau^2` and :math:`\\partial C / \\partial \\sigma^2`,
    shape (2, p, p)) and ``vcov_varpar`` (the asymptotic covariance of
    :math:`(\\tau^2, \\sigma^2)`: twice the inverse Hessian of the REML deviance).
    """

    beta: np.ndarray
    cov: np.ndarray
    jacobian: np.ndarray
    vcov_varpar: np.ndarray

    def contrast(self, weights: np.ndarray) -> tuple[float, float, float]:
        """Estimate, SE and Satterthwaite df of the contrast :math:`L'\\beta`."""
        w = np.asarray(weights, dtype=float)
        var = float(w @ self.cov @ w)
        grad = np.einsum("i,kij,j->k", w, self.jacobian, w)
        denom = float(grad @ self.vcov_varpar @ grad)
        df = 2.0 * var**2 / denom if denom > 0 else np.inf
        return float(w @ self.beta), float(np.sqrt(var)), float(df)


def _blocks(v: np.ndarray, codes: np.ndarray, n_i: np.ndarray, e1, e0) -> np.ndarray:
    """Apply, per participant, the operator with eigenvalue ``e1`` on the constant vector and
    ``e0`` on its complement (every matrix of a random-intercept model is one) to ``v``."""
    sums = np.zeros((n_i.size, *v.shape[1:]))
    np.add.at(sums, codes, v)
    mean = (sums / n_i.reshape(-1, *[1] * (v.ndim - 1)))[codes]
    e1, e0 = np.broadcast_to(e1, n_i.shape)[codes], np.broadcast_to(e0, n_i.shape)[codes]
    shape = (-1, *[1] * (v.ndim - 1))
    return e1.reshape(shape) * mean + e0.reshape(shape) * (v - mean)


def satterthwaite(
    y: np.ndarray, x: np.ndarray, ids: np.ndarray, tau2: float, sigma2: float
) -> Satterthwaite:
    """GLS fixed effects at REML variance components, with the pieces of Satterthwaite's df.

    Notes
    -----
    Model :math:`y = X\\beta + Zu + e`, :math:`V = \\tau^2 ZZ' + \\sigma^2 I` with Z the
    participant indicators. With :math:`P = V^{-1} - V^{-1}XCX'V^{-1}` and
    :math:`V_1 = ZZ'`, :math:`V_2 = I` (the derivatives of V by :math:`\\tau^2`,
    :math:`\\sigma^2`), the Hessian of the REML deviance :math:`-2\\ell_R` is
    :math:`H_{ij} = -\\operatorname{tr}(PV_iPV_j) + 2\\,y'PV_iPV_jPy` and
    :math:`\\partial C/\\partial\\theta_i = C X'V^{-1}V_iV^{-1}X C`. For a contrast
    :math:`L`, :math:`g_i = L'(\\partial C/\\partial\\theta_i)L`, :math:`A = 2H^{-1}` and
    :math:`\\nu = 2 (L'CL)^2 / (g'Ag)` (Satterthwaite 1946; Kuznetsova et al. 2017, eq. 6-8).
    R ``lmerTest`` evaluates H and the Jacobian of C numerically (``numDeriv``) in the
    parametrisation :math:`(\\theta = \\tau/\\sigma, \\sigma)`; here they are the exact
    derivatives in :math:`(\\tau^2, \\sigma^2)`. At an interior optimum the df do not
    depend on the parametrisation (the gradient vanishes, so H transforms as :math:`J'HJ`),
    so the two agree to the accuracy of the numerical derivatives. Every matrix is
    block-diagonal with blocks :math:`a I + b J` per participant, applied in O(N p^2)
    without forming an N x N matrix. At a boundary fit (:math:`\\hat\\tau^2 = 0`) the
    gradient does not vanish and the df may differ from lmerTest's.

    References
    ----------
    Kuznetsova A, Brockhoff PB, Christensen RHB (2017). lmerTest package: tests in linear
    mixed effects models. J Stat Softw 82(13):1-26. Satterthwaite FE (1946). Biometrics Bull
    2:110-114.
    """
    codes, uniques = pd.factorize(ids)
    n_i = np.bincount(codes).astype(float)
    lam1, lam0 = 1.0 / (sigma2 + n_i * tau2), 1.0 / sigma2
    ones = np.ones_like(n_i)
    # eigenvalues (on the constant vector, on its complement) of V_1 = ZZ' and V_2 = I
    a1, a0 = (n_i, ones), (0.0 * ones, ones)
    w = _blocks(x, codes, n_i, lam1, lam0)  # V^-1 X
    cov = np.linalg.inv(x.T @ w)
    beta = cov @ (w.T @ y)
    r = _blocks(y - x @ beta, codes, n_i, lam1, lam0)  # P y

    def p_form(a: np.ndarray, b: np.ndarray) -> float:  # a' P b
        return float(a @ _blocks(b, codes, n_i, lam1, lam0) - (w.T @ a) @ cov @ (w.T @ b))

    vr = [_blocks(r, codes, n_i, a1[i], a0[i]) for i in range(2)]
    q = [w.T @ _blocks(w, codes, n_i, a1[i], a0[i]) for i in range(2)]  # W' V_i W
    hess = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            tr_vv = float(np.sum(lam1**2 * a1[i] * a1[j] + (n_i - 1) * lam0**2 * a0[i] * a0[j]))
            mid = w.T @ _blocks(w, codes, n_i, a1[i] * lam1 * a1[j], a0[i] * lam0 * a0[j])
            trace = tr_vv - 2 * np.trace(cov @ mid) + np.trace(cov @ q[i] @ cov @ q[j])
            hess[i, j] = -trace + 2 * p_form(vr[i], vr[j])
    jacobian = np.stack([cov @ q[i] @ cov for i in range(2)])
    return Satterthwaite(beta, cov, jacobian, 2.0 * np.linalg.inv(hess))


def fixed_rows(
    inference: Satterthwaite,
    names: list[str],
    labels: list[str],
    outcome: str,
    model: str,
    ci_level: float,
    ddf: str = "satterthwaite",
) -> pd.DataFrame:
    """One row per fixed effect: estimate, SE and Satterthwaite t/df/p (or Wald z/p).

    The estimates are the GLS ones at the REML variance components (= statsmodels'
    ``fe_params`` at its optimum) and the SEs those of :math:`(X'\\hat V^{-1}X)^{-1}` (lme4's
    ``vcov``).
    """
    p = len(names)
    est, se, df = np.array([inference.contrast(np.eye(p)[k]) for k in range(p)]).T
    stat = est / se
    out = pd.DataFrame(
        {
            "outcome": outcome,
            "model": model,
            "term": names,
            "label": labels,
            "estimate": est,
            "se": se,
        }
    )
    if ddf == "wald":
        half = stats.norm.ppf(0.5 + ci_level / 2) * se
        p_value = 2 * stats.norm.sf(np.abs(stat))
        out = out.assign(z=stat, p=p_value)
    else:
        half = stats.t.ppf(0.5 + ci_level / 2, df) * se
        out = out.assign(df=df, t=stat, p=2 * stats.t.sf(np.abs(stat), df))
    return out.assign(ci_low=est - half, ci_high=est + half)


def variance_row(
    res: Any, outcome: str, model: str, ids: np.ndarray, covariates: Sequence[str] = ()
) -> dict[str, Any]:
    """Variance components, ICC and sizes of one fit (a row of ``VisitsResult.variance``).

    ``icc`` is :math:`\\tau^2 / (\\tau^2 + \\sigma^2)`, the share of the residual variance
    (after the fixed effects) that lies between participants: the correlation of two visits
    of one participant under the model.
    """
    tau2, sigma2 = float(np.asarray(res.cov_re)[0, 0]), float(res.scale)
    return {
        "outcome": outcome,
        "model": model,
        "covariates": " + ".join(covariates),
        "intercept_var": tau2,
        "residual_var": sigma2,
        "icc": tau2 / (tau2 + sigma2),
        "n_participants": int(pd.unique(ids).size),
        "n_observations": int(ids.size),
        "converged": bool(res.converged),
    }
