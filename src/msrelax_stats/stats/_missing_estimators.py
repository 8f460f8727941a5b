"""The complete-data analyses of the missing-data module, vectorised over imputations.

One group: the mean change endpoint - baseline with its standard error (R ``lm(change ~ 1)``).
Two arms: the arm coefficient of the ANCOVA ``endpoint ~ baseline + arm (+ covariates)`` (R
``lm(endpoint ~ baseline + group + ...)``, control arm as reference). Each returns the estimate
and its squared standard error per completed data set and the complete-data residual df, the
three inputs of :func:`msrelax_stats.stats.pooling.pool`. Also the single analyses beside MI:
complete cases and BOCF (t with the complete-data df) and the mixed model of every observed visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from msrelax_stats.stats._missing_table import OutcomeTable
from msrelax_stats.stats._mixed_model import design_matrix, fit_mixed, fixed_rows, satterthwaite

__all__ = ["Estimator", "estimator_for", "mixed_analysis", "single_analysis"]


@dataclass(frozen=True)
class Estimator:
    """The analysis of one outcome table, applied to arrays of completed visit values.

    ``estimand`` describes the number; calling it on ``values`` of shape (m, n, visits) (and a
    row mask of the participants to use) returns ``(estimates (m,), variances (m,), dfcom)``.
    """

    estimand: str
    baseline: int
    endpoint: int
    treated: np.ndarray | None
    covariates: np.ndarray

    def __call__(
        self, values: np.ndarray, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, float]:
        values = values if rows is None else values[:, rows]
        base, end = values[:, :, self.baseline], values[:, :, self.endpoint]
        if self.treated is None:
            return _mean_change(base, end)
        treated = self.treated if rows is None else self.treated[rows]
        cov = self.covariates if rows is None else self.covariates[rows]
        return _ancova(base, end, treated, cov)


def _mean_change(base: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Mean of ``end - base`` per row of the (m, n) arrays and its variance ``s^2 / n``."""
    change = end - base
    n = change.shape[1]
    if n < 2:
        nan = np.full(change.shape[0], np.nan)
        return nan, nan, float(n - 1)
    return change.mean(axis=1), change.var(axis=1, ddof=1) / n, float(n - 1)


def _ancova(
    base: np.ndarray, end: np.ndarray, treated: np.ndarray, cov: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """OLS arm coefficient and its variance, one fit per row of the (m, n) arrays (QR)."""
    m, n = base.shape
    p = 3 + cov.shape[1]
    nan = np.full(m, np.nan)
    if n <= p or treated.all() or not treated.any():
        return nan, nan, float(n - p)
    x = np.empty((m, n, p))
    x[:, :, 0] = 1.0
    x[:, :, 1] = base
    x[:, :, 2] = treated.astype(float)
    x[:, :, 3:] = cov[None, :, :]
    q, r = np.linalg.qr(x)
    diag = np.abs(np.diagonal(r, axis1=1, axis2=2))
    if (diag <= 1e-10 * diag.max(axis=1, keepdims=True)).any():
        return nan, nan, float(n - p)  # rank-deficient design
    beta = np.linalg.solve(r, np.einsum("mni,mn->mi", q, end)[:, :, None])[:, :, 0]
    resid = end - np.einsum("mni,mi->mn", x, beta)
    s2 = (resid**2).sum(axis=1) / (n - p)
    r_inv = np.linalg.inv(r)
    var_arm = s2 * (r_inv[:, 2, :] ** 2).sum(axis=1)  # [(X'X)^-1]_22 = sum_j (R^-1)_2j^2
    return beta[:, 2], var_arm, float(n - p)


def estimator_for(table: OutcomeTable) -> Estimator:
    """The analysis of ``table``'s design: mean change (one group) or ANCOVA (two arms)."""
    design = table.design
    if design.arms is None:
        estimand = f"mean change {design.endpoint} - {design.baseline}"
    else:
        adjusted = ", ".join([design.baseline, *design.covariates])
        estimand = (
            f"{design.arms[1]} - {design.arms[0]} at {design.endpoint}, ANCOVA adjusted for "
            f"{adjusted}"
        )
    return Estimator(
        estimand=estimand,
        baseline=table.column(design.baseline),
        endpoint=table.column(design.endpoint),
        treated=table.treated,
        covariates=table.covariates,
    )


def _t_row(est: float, var: float, dfcom: float, ci_level: float) -> dict[str, float]:
    """A single complete-data analysis referred to t with ``dfcom`` df."""
    se = float(np.sqrt(var))
    if not (np.isfinite(se) and se > 0 and dfcom > 0):
        return {"estimate": est, "se": se, "dfcom": dfcom, "df": dfcom}
    half = float(stats.t.ppf(0.5 + ci_level / 2, dfcom)) * se
    t = est / se
    return {
        "estimate": est,
        "se": se,
        "ci_low": est - half,
        "ci_high": est + half,
        "statistic": t,
        "df": dfcom,
        "p": float(2 * stats.t.sf(abs(t), dfcom)),
        "dfcom": dfcom,
        "inference": "t",
    }


def single_analysis(
    table: OutcomeTable,
    estimator: Estimator,
    analysis: str,
    ci_level: float,
    excluded: list[pd.DataFrame],
) -> dict[str, Any]:
    """Complete cases or BOCF: one analysis of the observed (or carried-forward) data."""
    b, e = estimator.baseline, estimator.endpoint
    values = table.values.copy()
    design = table.design
    if analysis == "bocf":
        gone = np.isnan(values[:, e]) & np.isfinite(values[:, b])
        values[gone, e] = values[gone, b]
        drop = np.isnan(values[:, b])
        reasons = np.full(drop.sum(), f"{design.baseline} missing: nothing to carry forward")
        n_filled = int(gone.sum())
    else:
        drop = np.isnan(values[:, b]) | np.isnan(values[:, e])
        why = [
            "; ".join(
                (f"no {v} visit" if table.absent[i, j] else f"{table.outcome} missing at {v}")
                for j, v in ((b, design.baseline), (e, design.endpoint))
                if np.isnan(table.values[i, j])
            )
            for i in np.flatnonzero(drop)
        ]
        reasons, n_filled = np.asarray(why, dtype=object), 0
    excluded.append(
        pd.DataFrame(
            {
                "id": table.ids[drop],
                "outcome": table.outcome,
                "analysis": analysis,
                "reason": reasons,
            }
        )
    )
    keep = ~drop
    est, var, dfcom = estimator(values[None, :, :], keep)
    row = {"n": int(keep.sum()), "n_imputed": n_filled}
    row.update(_t_row(float(est[0]), float(var[0]), dfcom, ci_level))
    return row


def mixed_analysis(table: OutcomeTable, ci_level: float, notes: list[str]) -> dict[str, Any]:
    """Random-intercept model of every observed visit (REML); the endpoint contrast with
    Satterthwaite t and df (as lmerTest; :func:`msrelax_stats.stats._mixed_model.satterthwaite`)."""
    design = table.design
    rows, cols = np.nonzero(np.isfinite(table.values))
    y = table.values[rows, cols]
    ids = table.ids[rows].astype(str)
    time = np.asarray(design.visits, dtype=object)[cols]
    term = f"time[{design.endpoint}]"
    if design.arms is None:
        x, names, labels, _ = design_matrix(time, list(design.visits), None, None)
    else:
        ctl, trt = design.arms
        arm = np.where(table.treated[rows], trt, ctl)
        x, names, labels, _ = design_matrix(time, list(design.visits), arm, (ctl, trt))
        x = np.column_stack([x, table.covariates[rows]])
        names = [*names, *table.covariate_names]
        labels = [*labels, *table.covariate_names]
        term = f"{term}:group[{trt}]"
    n = int(np.unique(ids).size)
    if n < 2 or np.linalg.matrix_rank(x) < x.shape[1]:
        notes.append(f"{table.outcome}: too few observed visits for the mixed model")
        return {"n": n, "n_imputed": 0}
    res = fit_mixed(y, x, ids, True, notes, f"{table.outcome} missing-data mixed model")
    inference = satterthwaite(y, x, ids, float(np.asarray(res.cov_re)[0, 0]), float(res.scale))
    fixed = fixed_rows(inference, names, labels, table.outcome, "mixed", ci_level)
    hit = fixed.loc[fixed["term"] == term].iloc[0]
    return {
        "n": n,
        "n_imputed": 0,
        "estimate": float(hit["estimate"]),
        "se": float(hit["se"]),
        "ci_low": float(hit["ci_low"]),
        "ci_high": float(hit["ci_high"]),
        "statistic": float(hit["t"]),
        "df": float(hit["df"]),
        "p": float(hit["p"]),
        "inference": "Satterthwaite t (REML)",
    }
