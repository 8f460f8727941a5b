"""The one ANCOVA of the package: ``post ~ pre + arm (+ covariates)`` by OLS.

Used by :mod:`.ancova` (every follow-up visit, with covariates) and :mod:`.arms` (the
two-visit table of ``compare_arms``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from msrelax_stats.stats._covariates import CovariateDesign
from msrelax_stats.stats.effect_sizes import noncentral_t_interval

__all__ = ["AncovaFit", "fit_ancova"]


@dataclass(frozen=True)
class AncovaFit:
    """One ANCOVA: the arm row (``ancova_*``), the adjusted means of (control, treatment) as
    an array of rows (mean, se, ci_low, ci_high), and every coefficient."""

    row: dict[str, float]
    means: np.ndarray
    pre_at: float
    coefficients: pd.DataFrame


def fit_ancova(
    pre: np.ndarray,
    post: np.ndarray,
    treated: np.ndarray,
    ci_level: float = 0.95,
    covariates: CovariateDesign | None = None,
    arm_label: str = "treatment vs control",
    treatment: str = "treatment",
) -> AncovaFit:
    """OLS ``post ~ 1 + pre + treated (+ covariates)``: the adjusted difference and means.

    Parameters
    ----------
    pre, post : ndarray
        Baseline and follow-up scores of the analysed participants (no NaN).
    treated : ndarray of bool
        True for the treatment arm (the control arm is the reference).
    ci_level : float
        Confidence level of every interval.
    covariates : CovariateDesign, optional
        Design columns of the baseline covariates (``stats._covariates.covariate_design``).
    arm_label, treatment : str
        Label of the arm coefficient and the treatment arm's name (for the term names).

    Returns
    -------
    AncovaFit
        ``row``: ``ancova_diff``, ``ancova_se``, ``ancova_ci_low``, ``ancova_ci_high``,
        ``ancova_t``, ``ancova_df``, ``ancova_p``, ``ancova_pre_slope``,
        ``ancova_residual_sd``, ``ancova_smd`` with ``ancova_smd_ci_low``/``_high``.

    Notes
    -----
    Model :math:`y_i = b_0 + b_1 x_i + b_2 [i \\in T] + c' z_i + e_i`, OLS, residual df
    :math:`n - p`. The adjusted difference is :math:`b_2` with its t-based CI (R ``lm``,
    ``confint``; the same as ``pairs(emmeans(fit, "group"))``). Adjusted means are
    :math:`\\ell' \\hat b` with :math:`\\ell = (1, \\bar x, [arm], \\bar z)`, where
    :math:`\\bar z` holds the mean of each numeric covariate and :math:`1/k` for each dummy of
    a k-level factor (R ``emmeans(fit, "group")``: equal weights over factor levels), SE
    :math:`\\sqrt{\\ell' \\hat V \\ell}`, t-based CI with the residual df.

    Standardised difference: :math:`d = b_2 / \\hat\\sigma`, the adjusted difference over the
    residual SD of the model (R ``emmeans::eff_size(emm, sigma = sigma(fit), edf =
    df.residual(fit))``). Its CI is exact: given the design,
    :math:`t = b_2 / se(b_2)` follows a noncentral t with the residual df and noncentrality
    :math:`\\delta / \\sqrt{c}`, where :math:`\\delta = \\beta_2 / \\sigma` and
    :math:`c = se(b_2)^2 / \\hat\\sigma^2` is known from the design; the bounds are the
    noncentralities putting the observed t at the CI tail probabilities (as R ``effectsize``
    finds them) times :math:`\\sqrt c`, so the CI excludes 0 exactly when the ANCOVA test
    rejects at the same level. The residual SD is the within-arm SD of the outcome at given
    baseline and covariates; it is smaller than the raw SD by about :math:`\\sqrt{1 - r^2}`
    (r the baseline-follow-up correlation), so :math:`d` is larger than a raw-score Cohen's d
    of the same difference. It is the standardiser whose CI is exact; the raw-scale Hedges'
    g of the change scores stays in ``compare_arms``.

    References
    ----------
    Vickers AJ, Altman DG (2001). BMJ 323:1123-1124. Lenth RV (2023). emmeans: Estimated
    marginal means (vignette "comparisons", effect sizes). Steiger JH, Fouladi RT (1997).
    Noncentrality interval estimation. In: What if there were no significance tests?

    Examples
    --------
    >>> pre = np.array([5.0, 6, 5.5, 4.8, 5, 6, 5.5, 4.8])
    >>> post = np.array([4.0, 4.5, 4, 4.1, 5, 5.8, 5.6, 4.6])
    >>> fit = fit_ancova(pre, post, np.arange(8) < 4)
    >>> round(fit.row["ancova_diff"], 3)
    -1.1
    """
    treated = np.asarray(treated, dtype=bool)
    cov = covariates
    extra = cov.matrix if cov is not None else np.empty((pre.size, 0))
    design = np.column_stack([np.ones_like(pre), pre, treated.astype(float), extra])
    names = ["(Intercept)", "baseline", f"group[{treatment}]", *(cov.names if cov else [])]
    labels = ["intercept", "baseline score (per 1 point)", arm_label]
    labels += cov.labels if cov else []
    fit = sm.OLS(post, design).fit()
    alpha = 1.0 - ci_level
    ci = fit.conf_int(alpha)
    df = float(fit.df_resid)
    b, se, t = float(fit.params[2]), float(fit.bse[2]), float(fit.tvalues[2])
    sigma = float(np.sqrt(fit.scale))
    scale = se / sigma
    low, high = noncentral_t_interval(t, df, ci_level)
    row = {
        "ancova_diff": b,
        "ancova_se": se,
        "ancova_ci_low": float(ci[2, 0]),
        "ancova_ci_high": float(ci[2, 1]),
        "ancova_t": t,
        "ancova_df": df,
        "ancova_p": float(fit.pvalues[2]),
        "ancova_pre_slope": float(fit.params[1]),
        "ancova_residual_sd": sigma,
        "ancova_smd": b / sigma,
        "ancova_smd_ci_low": low * scale,
        "ancova_smd_ci_high": high * scale,
    }
    grid = cov.grid if cov is not None else np.empty(0)
    pre_at = float(pre.mean())
    at = np.array([[1.0, pre_at, arm, *grid] for arm in (0.0, 1.0)])
    mean = at @ fit.params
    mean_se = np.sqrt(np.einsum("ij,jk,ik->i", at, fit.cov_params(), at))
    half = stats.t.ppf(1 - alpha / 2, df) * mean_se
    means = np.column_stack([mean, mean_se, mean - half, mean + half])
    coefficients = pd.DataFrame(
        {
            "term": names,
            "label": labels,
            "estimate": fit.params,
            "se": fit.bse,
            "t": fit.tvalues,
            "df": df,
            "p": fit.pvalues,
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
        }
    )
    return AncovaFit(row, means, pre_at, coefficients)
