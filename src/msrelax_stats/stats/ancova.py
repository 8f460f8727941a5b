"""The randomised comparison of a two-arm trial: ANCOVA of each follow-up visit on baseline.

``between_arms`` fits, per outcome and per follow-up visit, the OLS model
``score_at_visit ~ baseline_score + arm (+ baseline covariates)`` (R ``lm(post ~ pre + group +
age + sex + edss)``, control arm = reference) and reports the adjusted difference (treatment -
control) with its CI, t, df and p, the adjusted means of both arms as R ``emmeans``, and a
standardised difference with an exact CI. The endpoint visit of the analysis plan is marked;
the other follow-up visits are reported beside it. The model itself is
:func:`~msrelax_stats.stats._ancova_model.fit_ancova`, the one ANCOVA of the package
(``stats.arms.compare_arms`` uses it too).

Input is the scored long table of ``docs/architecture.md``. Pairs are matched by participant id;
everyone left out of a model is listed in ``exclusions`` (``id``, ``outcome``, ``visit``,
``reason``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.stats._ancova_model import AncovaFit, fit_ancova
from msrelax_stats.stats._covariates import (
    BaselineCovariates,
    baseline_covariates,
    covariate_design,
)
from msrelax_stats.stats._design_tables import resolve_arms, wide_scores

__all__ = ["AncovaFit", "BetweenArmsResult", "between_arms", "fit_ancova"]


@dataclass
class BetweenArmsResult:
    """The between-arm ANCOVA of every outcome at every follow-up visit.

    ``table`` (one row per outcome and visit; columns in :data:`TABLE_COLUMNS`),
    ``adjusted_means`` (per outcome, visit and arm), ``coefficients`` (every model term),
    ``exclusions`` (``id``, ``outcome``, ``visit``, ``reason``), ``notes`` and ``options``.
    """

    table: pd.DataFrame
    adjusted_means: pd.DataFrame
    coefficients: pd.DataFrame
    exclusions: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The per-outcome, per-visit table."""
        return self.table


def _describe(pre: np.ndarray, post: np.ndarray, ci_level: float, arm: str) -> dict[str, float]:
    """Baseline, follow-up and change descriptives of one arm with the paired-t CI."""
    out: dict[str, float] = {}
    n = pre.size
    for what, x in (("pre", pre), ("post", post), ("change", post - pre)):
        out[f"{what}_mean_{arm}"] = float(x.mean()) if n else np.nan
        out[f"{what}_sd_{arm}"] = float(x.std(ddof=1)) if n > 1 else np.nan
    half = (
        stats.t.ppf(0.5 + ci_level / 2, n - 1) * out[f"change_sd_{arm}"] / np.sqrt(n)
        if n > 1
        else np.nan
    )
    out[f"change_ci_low_{arm}"] = out[f"change_mean_{arm}"] - half
    out[f"change_ci_high_{arm}"] = out[f"change_mean_{arm}"] + half
    return out


def between_arms(
    scored: pd.DataFrame,
    outcomes: Sequence[str],
    visits: Sequence[str],
    *,
    endpoint: str | None = None,
    covariates: Sequence[str] = (),
    control: str | None = None,
    ci_level: float = 0.95,
) -> BetweenArmsResult:
    """ANCOVA of every follow-up visit on baseline and arm (+ covariates), per outcome.

    Parameters
    ----------
    scored : DataFrame
        Scored long table (``id``, ``time``, ``group`` with two arm labels, score columns,
        covariate columns).
    outcomes : sequence of str
        Score columns to analyse.
    visits : sequence of str
        Visit labels in order; the first is the baseline, every later one is analysed.
    endpoint : str, optional
        The visit of the primary comparison (marked ``endpoint = True``); the last visit by
        default.
    covariates : sequence of str
        Baseline covariates (numeric or categorical columns; see ``stats._covariates``).
    control : str, optional
        Label of the control arm (see :func:`~msrelax_stats.stats.arms.resolve_arms`).
    ci_level : float
        Confidence level of every interval.

    Returns
    -------
    BetweenArmsResult
        ``table`` columns: ``outcome``, ``visit``, ``endpoint``, ``control``, ``treatment``,
        ``covariates`` (the terms that entered, joined by " + "), ``n_control``,
        ``n_treatment``; per arm (suffix ``_control``/``_treatment``) ``pre_mean``,
        ``pre_sd``, ``post_mean``, ``post_sd``, ``change_mean``, ``change_sd``,
        ``change_ci_low``, ``change_ci_high`` over the analysed participants; the
        ``ancova_*`` columns of :func:`fit_ancova`; ``ci_level``.

    Notes
    -----
    A participant enters the model of a visit with the baseline and that visit scored, an arm
    label and every covariate known at baseline; everyone else is in ``exclusions`` with the
    reason. Between-arm statistics need at least 2 participants per arm and more participants
    than model terms; otherwise the row keeps its descriptives and a note says why. The
    model of each visit is described in :func:`fit_ancova`; within-arm change CIs are paired-t
    ones (R ``t.test(post, pre, paired = TRUE)``). No p-value is adjusted here: the analysis
    plan's families do that (``stats.plan.adjust_by_family``).

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> df = pd.DataFrame({"id": np.repeat([f"p{i}" for i in range(12)], 3),
    ...                    "time": ["t0", "t6", "t12"] * 12,
    ...                    "group": np.repeat(["control", "pmr"], 18),
    ...                    "fss_mean": rng.normal(5, 1, 36)})
    >>> res = between_arms(df, ["fss_mean"], ["t0", "t6", "t12"], endpoint="t6")
    >>> res.table[["visit", "endpoint"]].values.tolist()
    [['t6', True], ['t12', False]]
    """
    visits = [str(v) for v in visits]
    if len(visits) < 2:
        raise StudyDataError(Problem(f"a baseline and a follow-up visit needed, got {visits}"))
    endpoint = visits[-1] if endpoint is None else str(endpoint)
    if endpoint not in visits[1:]:
        raise StudyDataError(
            Problem(f"endpoint is not a follow-up visit ({', '.join(visits[1:])})", value=endpoint)
        )
    ctl, trt = resolve_arms(scored, control)
    cov = baseline_covariates(scored, covariates, visits[0])
    arm_of = scored.groupby(scored["id"].astype(str), sort=False)["group"].first()
    rows, means, coefs, excluded, notes = [], [], [], [], list(cov.notes)
    for outcome in outcomes:
        for visit in visits[1:]:
            fit_rows = _one_model(
                scored, outcome, visits[0], visit, cov, arm_of, (ctl, trt), ci_level, notes
            )
            row, adj, coef, ex = fit_rows
            rows.append({**row, "endpoint": visit == endpoint})
            excluded.append(ex)
            if adj is not None:
                means.append(adj)
                coefs.append(coef)
    table = pd.DataFrame(rows).assign(ci_level=ci_level).reindex(columns=TABLE_COLUMNS)
    return BetweenArmsResult(
        table=table,
        adjusted_means=_concat(means, MEANS_COLUMNS),
        coefficients=_concat(coefs, COEFFICIENT_COLUMNS),
        exclusions=_concat(excluded, ["id", "outcome", "visit", "reason"]),
        notes=notes,
        options={
            "visits": visits,
            "baseline": visits[0],
            "endpoint": endpoint,
            "covariates": list(cov.names),
            "covariate_kinds": dict(cov.kinds),
            "control": ctl,
            "treatment": trt,
            "ci_level": ci_level,
            "ancova": "OLS score_at_visit ~ baseline + group (+ covariates), control = reference",
            "adjusted_means": "at the mean baseline and covariates, equal weights over factor "
            "levels (as R emmeans)",
            "smd": "adjusted difference / residual SD, exact noncentral-t CI",
        },
    )


def _one_model(
    scored: pd.DataFrame,
    outcome: str,
    baseline: str,
    visit: str,
    cov: BaselineCovariates,
    arm_of: pd.Series,
    arms: tuple[str, str],
    ci_level: float,
    notes: list[str],
) -> tuple[dict[str, Any], pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame]:
    """Descriptives, ANCOVA, adjusted means, coefficients and exclusions of one visit."""
    ctl, trt = arms
    values, reasons = wide_scores(scored, outcome, [baseline, visit])
    arm = arm_of.reindex(values.index).astype("object")
    reasons = reasons.mask(arm.isna() & (reasons == ""), "no arm label")
    reasons = reasons.mask(reasons == "", cov.reasons.reindex(values.index).fillna(""))
    keep = (reasons == "").to_numpy()
    ex = pd.DataFrame(
        {
            "id": values.index[~keep],
            "outcome": outcome,
            "visit": visit,
            "reason": reasons.to_numpy()[~keep],
        }
    )
    ids = values.index[keep]
    pre, post = values[baseline].to_numpy()[keep], values[visit].to_numpy()[keep]
    treated = arm.to_numpy()[keep] == trt
    row: dict[str, Any] = {
        "outcome": outcome,
        "visit": visit,
        "control": ctl,
        "treatment": trt,
        "n_control": int((~treated).sum()),
        "n_treatment": int(treated.sum()),
    }
    row.update(_describe(pre[~treated], post[~treated], ci_level, "control"))
    row.update(_describe(pre[treated], post[treated], ci_level, "treatment"))
    design = covariate_design(cov, ids) if cov.names else None
    if design is not None:
        notes += [f"{outcome} at {visit}: {n}" for n in design.notes]
    row["covariates"] = " + ".join(design.used) if design is not None else ""
    n_terms = 3 + (design.matrix.shape[1] if design is not None else 0)
    why = ""
    if min(row["n_control"], row["n_treatment"]) < 2:
        why = "an arm has fewer than 2 participants with both visits"
    elif keep.sum() <= n_terms:
        why = f"{int(keep.sum())} participants for {n_terms} model terms"
    else:
        full = np.column_stack(
            [np.ones(pre.size), pre, treated, *([design.matrix] if design is not None else [])]
        )
        if np.linalg.matrix_rank(full) < full.shape[1]:
            why = "the model terms are collinear (a covariate is determined by the others)"
    if why:
        notes.append(f"{outcome} at {visit}: {why}; between-arm statistics left empty")
        return row, None, None, ex
    fit = fit_ancova(pre, post, treated, ci_level, design, f"{trt} vs {ctl} (adjusted)", trt)
    row.update(fit.row)
    adj = pd.DataFrame(
        {
            "outcome": outcome,
            "visit": visit,
            "group": [ctl, trt],
            "n": [row["n_control"], row["n_treatment"]],
            "adjusted_mean": fit.means[:, 0],
            "se": fit.means[:, 1],
            "df": fit.row["ancova_df"],
            "ci_low": fit.means[:, 2],
            "ci_high": fit.means[:, 3],
            "pre_at": fit.pre_at,
        }
    )
    coef = fit.coefficients.assign(outcome=outcome, visit=visit)[COEFFICIENT_COLUMNS]
    return row, adj, coef, ex


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


_PER_ARM = [
    "pre_mean",
    "pre_sd",
    "post_mean",
    "post_sd",
    "change_mean",
    "change_sd",
    "change_ci_low",
    "change_ci_high",
]
#: Columns of ``BetweenArmsResult.table``.
TABLE_COLUMNS = [
    *"outcome visit endpoint control treatment covariates n_control n_treatment".split(),
    *[f"{c}_{arm}" for arm in ("control", "treatment") for c in _PER_ARM],
    *"ancova_diff ancova_se ancova_ci_low ancova_ci_high ancova_t ancova_df ancova_p".split(),
    *"ancova_pre_slope ancova_residual_sd ancova_smd ancova_smd_ci_low ancova_smd_ci_high".split(),
    "ci_level",
]
MEANS_COLUMNS = [
    "outcome",
    "visit",
    "group",
    "n",
    "adjusted_mean",
    "se",
    "df",
    "ci_low",
    "ci_high",
    "pre_at",
]
COEFFICIENT_COLUMNS = [
    "outcome",
    "visit",
    "term",
    "label",
    "estimate",
    "se",
    "t",
    "df",
    "p",
    "ci_low",
    "ci_high",
]
