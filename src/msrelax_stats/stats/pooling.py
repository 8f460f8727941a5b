"""Rubin's rules with the Barnard-Rubin small-sample degrees of freedom, as R ``mice::pool``.

One scalar estimate fitted on each of ``m`` imputed data sets (its estimate and squared standard
error) is pooled into one estimate, its total variance, a t reference distribution and the
fraction of missing information. Definitions and names follow ``mice::pool`` (mice 3.15,
``rule = "rubin1987"``) and ``summary(pool(fit), conf.int = TRUE)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

__all__ = ["POOLED_COLUMNS", "PooledEstimate", "barnard_rubin_df", "pool"]

#: Columns of :meth:`PooledEstimate.to_frame` (``lambda`` is the attribute ``lambda_``).
POOLED_COLUMNS = [
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "statistic",
    "df",
    "p",
    "m",
    "ubar",
    "b",
    "total_var",
    "dfcom",
    "riv",
    "lambda",
    "fmi",
    "ci_level",
]


@dataclass(frozen=True)
class PooledEstimate:
    """One estimate pooled over ``m`` imputations by Rubin's rules.

    Attributes
    ----------
    estimate : float
        :math:`\\bar Q`, the mean of the per-imputation estimates (R ``estimate``).
    se : float
        :math:`\\sqrt T` (R ``std.error``).
    ci_low, ci_high : float
        :math:`\\bar Q \\pm t_{\\nu, 1-\\alpha/2} \\sqrt T` (R ``confint``: ``2.5 %``, ``97.5 %``).
    statistic : float
        :math:`\\bar Q / \\sqrt T`.
    df : float
        Barnard-Rubin degrees of freedom :math:`\\nu` (R ``df``).
    p : float
        Two-sided p of ``statistic`` on :math:`t_{\\max(\\nu, 0.001)}` (R ``p.value``).
    m : int
        Number of imputations.
    ubar, b, total_var : float
        Within-imputation variance :math:`\\bar U`, between-imputation variance :math:`B`,
        total variance :math:`T` (R ``ubar``, ``b``, ``t``).
    dfcom : float
        Degrees of freedom of the complete-data analysis (R ``dfcom``; ``inf`` for none).
    riv : float
        Relative increase in variance due to nonresponse :math:`r` (R ``riv``).
    lambda_ : float
        Proportion of the total variance due to missingness :math:`\\lambda` (R ``lambda``).
    fmi : float
        Fraction of missing information :math:`\\gamma` (R ``fmi``).
    ci_level : float
        Confidence level of the interval.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    statistic: float
    df: float
    p: float
    m: int
    ubar: float
    b: float
    total_var: float
    dfcom: float
    riv: float
    lambda_: float
    fmi: float
    ci_level: float

    def to_dict(self) -> dict[str, float]:
        """The fields keyed by :data:`POOLED_COLUMNS` (``lambda_`` as ``lambda``)."""
        out = asdict(self)
        out["lambda"] = out.pop("lambda_")
        return {key: out[key] for key in POOLED_COLUMNS}

    def to_frame(self) -> pd.DataFrame:
        """One row with the columns of :data:`POOLED_COLUMNS`."""
        return pd.DataFrame([self.to_dict()], columns=POOLED_COLUMNS)


def barnard_rubin_df(m: int, b: float, total_var: float, dfcom: float) -> float:
    """Barnard-Rubin (1999) degrees of freedom of a pooled estimate, as R ``mice``.

    Parameters
    ----------
    m : int
        Number of imputations.
    b, total_var : float
        Between-imputation variance :math:`B` and total variance :math:`T`.
    dfcom : float
        Complete-data degrees of freedom :math:`\\nu_{com}` (``inf`` for a large sample).

    Returns
    -------
    float
        :math:`\\nu`.

    Notes
    -----
    :math:`\\lambda = (1 + 1/m) B / T`, set to :math:`10^{-4}` when smaller (as
    ``mice:::barnard.rubin``, which keeps :math:`\\nu_{old}` finite when :math:`B = 0`);
    :math:`\\nu_{old} = (m - 1)/\\lambda^2`;
    :math:`\\nu_{obs} = \\frac{\\nu_{com} + 1}{\\nu_{com} + 3}\\,\\nu_{com}(1 - \\lambda)`;
    :math:`\\nu = \\nu_{old}\\nu_{obs} / (\\nu_{old} + \\nu_{obs})`, or :math:`\\nu_{old}`
    when :math:`\\nu_{com}` is infinite. So even with nothing missing (:math:`B = 0`) the df
    is slightly below :math:`\\nu_{com}`, as in R.

    References
    ----------
    Barnard J, Rubin DB (1999). Small-sample degrees of freedom with multiple imputation.
    Biometrika 86(4):948-955. van Buuren S (2018). Flexible Imputation of Missing Data, 2nd ed.,
    section 2.3.6. CRC Press.

    Examples
    --------
    R: ``mice:::barnard.rubin(5, 0.01, 0.05, 30)`` gives 16.36947773.

    >>> round(barnard_rubin_df(m=5, b=0.01, total_var=0.05, dfcom=30), 6)
    16.369478
    """
    if not (np.isfinite(b) and np.isfinite(total_var) and total_var > 0):
        return np.nan
    lam = max((1.0 + 1.0 / m) * b / total_var, 1e-4)
    df_old = (m - 1) / lam**2
    if np.isinf(dfcom):
        return float(df_old)
    df_obs = (dfcom + 1.0) / (dfcom + 3.0) * dfcom * (1.0 - lam)
    return float(df_old * df_obs / (df_old + df_obs))


def pool(
    estimates: ArrayLike, variances: ArrayLike, dfcom: float, ci_level: float = 0.95
) -> PooledEstimate:
    """Pool one estimate over ``m`` imputations by Rubin's rules (R ``mice::pool``).

    Parameters
    ----------
    estimates : array_like, shape (m,)
        The estimate from each completed data set.
    variances : array_like, shape (m,)
        Its squared standard error in each completed data set.
    dfcom : float
        Residual degrees of freedom of the complete-data model (R takes ``df.residual`` of the
        first fit: ``n - 1`` for ``lm(change ~ 1)``, ``n - p`` for an ANCOVA with ``p``
        coefficients).
    ci_level : float
        Confidence level of the t-based interval.

    Returns
    -------
    PooledEstimate

    Raises
    ------
    ValueError
        When fewer than 2 imputations are given or the arrays differ in length.

    Notes
    -----
    Rubin's rules (Rubin 1987; van Buuren 2018, section 2.3):
    :math:`\\bar Q = \\frac1m\\sum_l \\hat Q_l`,
    :math:`\\bar U = \\frac1m\\sum_l U_l`,
    :math:`B = \\frac{1}{m-1}\\sum_l (\\hat Q_l - \\bar Q)^2`,
    :math:`T = \\bar U + (1 + 1/m) B`.
    :math:`r = (1 + 1/m)B/\\bar U` (``riv``), :math:`\\lambda = (1 + 1/m)B/T` (``lambda``),
    :math:`\\gamma = (r + 2/(\\nu + 3))/(r + 1)` (``fmi``, as ``mice`` 3.x; note it is
    :math:`2/(\\nu+3)`, not 0, when nothing is missing), with :math:`\\nu` from
    :func:`barnard_rubin_df`. The test statistic :math:`\\bar Q/\\sqrt T` is referred to
    Student's t with :math:`\\nu` df (R: ``max(df, 0.001)``). With identical estimates and
    variances in every imputation (nothing missing) the pooled estimate and standard error are
    exactly the complete-data ones.

    References
    ----------
    Rubin DB (1987). Multiple Imputation for Nonresponse in Surveys. Wiley.
    Barnard J, Rubin DB (1999). Biometrika 86(4):948-955.
    van Buuren S (2018). Flexible Imputation of Missing Data, 2nd ed. CRC Press.

    Examples
    --------
    R: ``mice::pool.scalar(c(1, 1.2, .9, 1.1, 1), c(.04, .05, .04, .045, .05), n = 31, k = 1)``
    gives qbar 1.04, t 0.0606, df 15.5395447723, fmi 0.3375328074.

    >>> res = pool([1.0, 1.2, 0.9, 1.1, 1.0], [0.04, 0.05, 0.04, 0.045, 0.05], dfcom=30)
    >>> round(res.estimate, 6), round(res.total_var, 6), round(res.df, 6), round(res.fmi, 6)
    (1.04, 0.0606, 15.539545, 0.337533)
    """
    q = np.asarray(estimates, dtype=float).ravel()
    u = np.asarray(variances, dtype=float).ravel()
    if q.size != u.size:
        raise ValueError("estimates and variances must have the same length")
    m = q.size
    if m < 2:
        raise ValueError("pooling needs at least 2 imputations")
    # means and variance of the values shifted by the first imputation's (the same numbers,
    # numerically steadier): with nothing missing every imputation is the data, and Q-bar,
    # U-bar are then exactly the complete-data estimate and variance, B exactly 0
    dq, du = q - q[0], u - u[0]
    qbar = float(q[0] + dq.mean())
    ubar = float(u[0] + du.mean())
    b = float(dq.var(ddof=1))
    total = ubar + (1.0 + 1.0 / m) * b
    se = float(np.sqrt(total)) if total >= 0 else np.nan
    if not (np.isfinite(total) and total > 0):
        # undefined (a zero-variance or NaN analysis): the estimate, nothing to refer it to
        nan = np.nan
        return PooledEstimate(qbar, se, nan, nan, nan, nan, nan, m, ubar, b, total,
                              float(dfcom), nan, nan, nan, ci_level)  # fmt: skip
    df = barnard_rubin_df(m, b, total, dfcom)
    riv = (1.0 + 1.0 / m) * b / ubar if ubar > 0 else np.inf
    lam = (1.0 + 1.0 / m) * b / total
    fmi = (riv + 2.0 / (df + 3.0)) / (riv + 1.0) if np.isfinite(riv) else 1.0
    statistic = qbar / se
    df_ref = max(df, 0.001)
    half = float(stats.t.ppf(0.5 + ci_level / 2.0, df)) * se  # R confint.mipo: qt(., df)
    return PooledEstimate(
        estimate=qbar,
        se=se,
        ci_low=qbar - half,
        ci_high=qbar + half,
        statistic=float(statistic),
        df=df,
        p=float(2.0 * stats.t.sf(abs(statistic), df_ref)),
        m=m,
        ubar=ubar,
        b=b,
        total_var=total,
        dfcom=float(dfcom),
        riv=float(riv),
        lambda_=float(lam),
        fmi=float(fmi),
        ci_level=ci_level,
    )
