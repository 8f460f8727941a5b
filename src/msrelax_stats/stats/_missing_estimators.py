"""The complete-data analyses of the missing-data module, vectorised over imputations.

One group: the mean change endpoint - baseline with its standard error (R ``lm(change ~ 1)``).
Two arms: the arm coefficient of the ANCOVA ``endpoint ~ baseline + arm (+ covariates)`` (R
``lm(endpoint ~ baseline + group + ...)``, control arm as reference). Each returns the estimate
and its squared standard error per completed data set and the complete-data residual df, the
three inputs of :func:`msrelax_stats.stats.pooling.pool`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from msrelax_stats.stats._missing_table import OutcomeTable

__all__ = ["Estimator", "estimator_for"]


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
