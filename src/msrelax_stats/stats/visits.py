"""Studies with more than two visits: linear mixed model, Friedman test, pairwise contrasts.

Input is the scored long table of ``docs/architecture.md``. The mixed model keeps every
participant with at least one scored visit; the Friedman test and the pairwise contrasts use
complete cases (all visits, or both visits of the pair) and list who was left out; in a two-arm
study they run within each arm (``within_arms=True``). The pieces of the mixed model (design
matrix, fit, lme4's standard errors, Satterthwaite's df) are in :mod:`._mixed_model`, the
Friedman and pairwise tests in :mod:`._visit_tests`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.stats._covariates import baseline_covariates, covariate_design
from msrelax_stats.stats._design_tables import resolve_arms, wide_scores
from msrelax_stats.stats._mixed_model import (
    FIXED_COLUMNS,
    VARIANCE_COLUMNS,
    design_matrix,
    fit_mixed,
    fixed_rows,
    satterthwaite,
    variance_row,
)
from msrelax_stats.stats._visit_tests import (
    FRIEDMAN_COLUMNS,
    PAIR_COLUMNS,
    friedman_row,
    pairwise_rows,
)
from msrelax_stats.stats.paired import mean_ci

__all__ = ["VisitsResult", "compare_visits", "mean_trajectories"]


@dataclass
class VisitsResult:
    """Repeated-visits analysis, every part a tidy DataFrame.

    ``fixed_effects`` (``outcome``, ``model``, ``term``, ``label``, ``estimate``, ``se``,
    then ``df``, ``t``, ``p`` with ``ddf="satterthwaite"`` or ``z``, ``p`` with ``"wald"``,
    ``ci_low``, ``ci_high``), ``variance`` (per outcome and model: ``covariates``,
    ``intercept_var``, ``residual_var``, ``icc``, ``n_participants``, ``n_observations``,
    ``converged``), ``friedman``, ``pairwise`` (with a leading ``group`` column when run
    within arms), ``interaction`` (empty without two arms), ``trajectories``, ``exclusions``
    (``id``, ``outcome``, ``analysis``, ``reason``), ``arm_differences`` (treatment - control
    at every visit from the visit x group model; empty without two arms), ``notes`` and
    ``options``.
    """

    fixed_effects: pd.DataFrame
    variance: pd.DataFrame
    friedman: pd.DataFrame
    pairwise: pd.DataFrame
    interaction: pd.DataFrame
    trajectories: pd.DataFrame
    exclusions: pd.DataFrame
    arm_differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The fixed-effects table."""
        return self.fixed_effects


def mean_trajectories(
    scored: pd.DataFrame, outcomes: Sequence[str], visits: Sequence[str], ci_level: float = 0.95
) -> pd.DataFrame:
    """Mean score per visit with its t-based CI, for everyone and (if present) per arm.

    Notes
    -----
    :math:`\\bar x \\pm t_{1-\\alpha/2, n-1} s/\\sqrt n` over the participants scored at that
    visit (so a participant with a missing visit still counts at the others).

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "1", "2", "2"], "time": ["a", "b", "a", "b"],
    ...                    "fss_mean": [5.0, 4.0, 6.0, 5.0]})
    >>> mean_trajectories(df, ["fss_mean"], ["a", "b"])["mean"].tolist()
    [5.5, 4.5]
    """
    visits = [str(v) for v in visits]
    base = scored.assign(time=scored["time"].astype(str))
    base = base.loc[base["time"].isin(visits)]
    frames = [base.assign(_arm="all")]
    if "group" in base.columns and base["group"].notna().any():
        frames.append(base.loc[base["group"].notna()].assign(_arm=base["group"].astype(str)))
    long = pd.concat(frames, ignore_index=True).melt(
        id_vars=["_arm", "time"], value_vars=list(outcomes), var_name="outcome"
    )
    long = long.dropna(subset=["value"])
    summary = long.groupby(["outcome", "_arm", "time"], sort=False)["value"].agg(
        ["count", "mean", "std"]
    )
    low, high = mean_ci(summary["mean"], summary["std"], summary["count"], ci_level)
    out = summary.reset_index().rename(columns={"_arm": "group", "count": "n", "std": "sd"})
    out = out.assign(ci_low=low, ci_high=high, ci_level=ci_level)
    order = {v: i for i, v in enumerate(visits)}
    out["_o"] = out["time"].map(order)
    out["_oc"] = out["outcome"].map({o: i for i, o in enumerate(outcomes)})
    out["_g"] = (out["group"] != "all").astype(int)
    out = out.sort_values(["_oc", "_g", "group", "_o"], kind="stable")
    return out.drop(columns=["_o", "_oc", "_g"]).reset_index(drop=True)


def compare_visits(
    scored: pd.DataFrame,
    outcomes: Sequence[str],
    visits: Sequence[str],
    ci_level: float = 0.95,
    *,
    control: str | None = None,
    covariates: Sequence[str] = (),
    ddf: Literal["satterthwaite", "wald"] = "wald",
    within_arms: bool = False,
) -> VisitsResult:
    """Analyse three or more visits per outcome (mixed model, Friedman, pairwise contrasts).

    Parameters
    ----------
    scored : DataFrame
        Scored long table (``id``, ``time``, optional ``group``, score and covariate columns).
    outcomes : sequence of str
        Score columns to analyse.
    visits : sequence of str
        Visit labels in order; the first is the reference of the visit effects.
    ci_level : float
        Confidence level of every interval.
    control : str, optional
        Control arm when ``group`` has two labels (see ``arms.resolve_arms``).
    covariates : sequence of str
        Baseline covariates entering every mixed model (read at the first visit; see
        ``stats._covariates``); participants missing one leave the mixed models with the
        reason in ``exclusions`` (analysis ``"mixed model"``).
    ddf : {"wald", "satterthwaite"}
        Inference for the fixed effects: Satterthwaite t and df as R ``lmerTest`` (columns
        ``df``, ``t``), or Wald z (column ``z``; the default until the report uses the t).
    within_arms : bool
        With two arms, run Friedman and the pairwise contrasts within each arm (a leading
        ``group`` column, Holm within arm) instead of over both arms pooled.

    Returns
    -------
    VisitsResult

    Notes
    -----
    Mixed model: :math:`y_{ij} = \\beta_0 + \\sum_v \\beta_v [visit_j = v] + c'z_i + u_i +
    e_{ij}`, :math:`u_i \\sim N(0, \\tau^2)`, :math:`e_{ij} \\sim N(0, \\sigma^2)`, fitted
    by REML (statsmodels ``MixedLM``; R ``lmerTest::lmer(score ~ visit + (1 | id), REML =
    TRUE)``), :math:`z_i` the baseline covariates. ``intercept_var`` is :math:`\\tau^2`,
    ``residual_var`` :math:`\\sigma^2`, ``icc`` :math:`\\tau^2/(\\tau^2+\\sigma^2)`.
    Standard errors of fixed effects come from :math:`(X'\\hat V^{-1}X)^{-1}` at the REML
    estimates (as lme4's ``vcov``); with ``ddf="satterthwaite"`` the t-tests and CIs use
    Satterthwaite's df (``_mixed_model.satterthwaite``; R ``summary(fit, ddf =
    "Satterthwaite")``), with ``"wald"`` the normal distribution. With two arms, the model
    ``visit * group`` is also fitted (REML, control arm as reference); ``arm_differences``
    holds the treatment - control difference at every visit from it (R ``contrast(emmeans(fit,
    ~ group | visit, lmer.df = "satterthwaite"), "revpairwise")``), and the interaction is
    tested by a likelihood-ratio test of ``visit + group`` against ``visit * group``, both
    fitted by maximum likelihood (as R ``anova(m0, m1)`` on ``lmer`` fits), chi-square with
    (visits - 1) df. Friedman test (R ``friedman.test``) on participants with every visit;
    pairwise contrasts: paired t-test of the later minus the earlier visit on the
    participants with both, p adjusted by Holm over the pairs of the outcome (and arm).

    References
    ----------
    Bates D, Maechler M, Bolker B, Walker S (2015). J Stat Softw 67(1). Kuznetsova A,
    Brockhoff PB, Christensen RHB (2017). J Stat Softw 82(13). Holm S (1979). Scand J Stat
    6:65-70.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"id": np.repeat([f"p{i}" for i in range(10)], 3),
    ...                    "time": ["t0", "t1", "t2"] * 10,
    ...                    "fss_mean": rng.normal(5, 1, 30) - np.tile([0, 0.8, 0.6], 10)})
    >>> res = compare_visits(df, ["fss_mean"], ["t0", "t1", "t2"], ddf="satterthwaite")
    >>> res.fixed_effects["label"].tolist()
    ['mean at t0', 't1 vs t0', 't2 vs t0']
    """
    visits = [str(v) for v in visits]
    if len(visits) < 2:
        raise StudyDataError(Problem(f"at least two visits needed, got {visits}"))
    if ddf not in FIXED_COLUMNS:
        raise ValueError(f"ddf must be one of {list(FIXED_COLUMNS)}, not {ddf!r}")
    outcomes = list(outcomes)
    two_arms = "group" in scored.columns and scored["group"].dropna().nunique() == 2
    arms = resolve_arms(scored, control) if two_arms else None
    arm_of = (
        scored.groupby(scored["id"].astype(str), sort=False)["group"].first() if two_arms else None
    )
    cov = baseline_covariates(scored, covariates, visits[0])
    by_arm = within_arms and two_arms
    parts: dict[str, list] = {k: [] for k in _PARTS}
    notes: list[str] = list(cov.notes)
    for outcome in outcomes:
        values, reasons = wide_scores(scored, outcome, visits)
        none_scored = values.notna().sum(axis=1) == 0
        partial = (reasons != "") & ~none_scored
        parts["excluded"] += [
            _ledger(values.index[none_scored], outcome, "all", f"no scored visit of {outcome}"),
            _ledger(
                values.index[partial],
                outcome,
                "friedman (kept in mixed model)",
                reasons[partial].to_numpy(),
            ),
        ]
        groups: list = [(None, slice(None))]
        if by_arm:
            arm_here = arm_of.reindex(values.index)
            groups = [(arm, (arm_here == arm).to_numpy()) for arm in arms]
            no_arm = values.index[arm_here.isna().to_numpy() & ~none_scored.to_numpy()]
            parts["excluded"].append(
                _ledger(no_arm, outcome, "friedman and pairwise (within arms)", "no arm label")
            )
        for arm, rows in groups:
            fr = friedman_row(values[rows], outcome, visits)
            pw = pairwise_rows(values[rows], outcome, visits, ci_level)
            parts["friedman"].append(
                pd.DataFrame([fr]) if arm is None else pd.DataFrame([fr]).assign(group=arm)
            )
            parts["pairwise"].append(pw if arm is None else pw.assign(group=arm))
        missing_cov = ~none_scored & (cov.reasons.reindex(values.index) != "").to_numpy()
        parts["excluded"].append(
            _ledger(
                values.index[missing_cov],
                outcome,
                "mixed model",
                cov.reasons.reindex(values.index)[missing_cov].to_numpy(),
            )
        )
        long = values.rename_axis(columns="time").stack().rename("y").dropna().reset_index()
        long = long[long["id"].isin(cov.complete())]
        y, ids, time = long["y"].to_numpy(float), long["id"].to_numpy(), long["time"].to_numpy()
        if pd.unique(ids).size < 2:
            notes.append(f"{outcome}: fewer than 2 participants, no mixed model")
            continue
        _mixed_models(parts, notes, outcome, y, ids, time, visits, cov, arms, arm_of, ci_level, ddf)
    friedman_cols = (["group"] if by_arm else []) + FRIEDMAN_COLUMNS
    pair_cols = (["group"] if by_arm else []) + PAIR_COLUMNS
    return VisitsResult(
        fixed_effects=_concat(parts["fixed"], FIXED_COLUMNS[ddf]),
        variance=pd.DataFrame(parts["variance"], columns=VARIANCE_COLUMNS),
        friedman=_concat(parts["friedman"], friedman_cols)[friedman_cols],
        pairwise=_concat(parts["pairwise"], pair_cols)[pair_cols],
        interaction=pd.DataFrame(parts["interaction"], columns=_INTERACTION_COLUMNS),
        trajectories=mean_trajectories(scored, outcomes, visits, ci_level),
        exclusions=_concat(parts["excluded"], ["id", "outcome", "analysis", "reason"]),
        arm_differences=_concat(parts["arm_differences"], ARM_DIFFERENCE_COLUMNS),
        notes=notes,
        options={
            "visits": visits,
            "ci_level": ci_level,
            "control": arms[0] if arms else None,
            "treatment": arms[1] if arms else None,
            "covariates": list(cov.names),
            "covariate_kinds": dict(cov.kinds),
            "mixed_model": "random intercept per id, visit as factor, REML (MixedLM)",
            "interaction_test": "likelihood ratio, ML fits of visit+group vs visit*group",
            "fixed_effect_inference": "Satterthwaite t (as lmerTest)"
            if ddf == "satterthwaite"
            else "Wald z",
            "friedman_pairwise": "within each arm" if by_arm else "all participants pooled",
        },
    )


def _mixed_models(parts, notes, outcome, y, ids, time, visits, cov, arms, arm_of, ci_level, ddf):
    """The visit model, and with two arms the visit x group model, its arm differences and
    the likelihood-ratio test of the interaction, appended to ``parts``."""
    design = covariate_design(cov, ids) if cov.names else None
    notes += [f"{outcome} mixed model: {n}" for n in (design.notes if design else [])]
    used = design.used if design else ()
    x, names, labels, _ = design_matrix(time, visits, None, None, design)
    res = fit_mixed(y, x, ids, True, notes, f"{outcome} visit model")
    inf = satterthwaite(y, x, ids, float(np.asarray(res.cov_re)[0, 0]), float(res.scale))
    parts["fixed"].append(fixed_rows(inf, names, labels, outcome, "visit", ci_level, ddf))
    parts["variance"].append(variance_row(res, outcome, "visit", ids, used))
    if arms is None:
        return
    arm = arm_of.reindex(ids).to_numpy().astype(object)
    ok = pd.notna(arm)
    y, ids, time, arm = y[ok], ids[ok], time[ok], arm[ok].astype(str)
    design = covariate_design(cov, ids) if cov.names else None
    xi, names_i, labels_i, k_int = design_matrix(time, visits, arm, arms, design)
    if np.linalg.matrix_rank(xi) < xi.shape[1]:
        notes.append(f"{outcome}: an arm lacks a visit, no group x visit model")
        return
    resi = fit_mixed(y, xi, ids, True, notes, f"{outcome} visit x group model")
    inf = satterthwaite(y, xi, ids, float(np.asarray(resi.cov_re)[0, 0]), float(resi.scale))
    parts["fixed"].append(fixed_rows(inf, names_i, labels_i, outcome, "visit*group", ci_level, ddf))
    parts["variance"].append(
        variance_row(resi, outcome, "visit*group", ids, design.used if design else ())
    )
    parts["arm_differences"].append(
        _arm_differences(inf, names_i, outcome, visits, arms, ci_level, ddf)
    )
    full = fit_mixed(y, xi, ids, False, notes, f"{outcome} ML visit x group model")
    keep = [k for k, n in enumerate(names_i) if ":group[" not in n]
    add = fit_mixed(y, xi[:, keep], ids, False, notes, f"{outcome} ML visit + group model")
    chisq = 2.0 * (full.llf - add.llf)
    parts["interaction"].append(
        {
            "outcome": outcome,
            "test": "likelihood ratio (ML fits)",
            "chisq": float(chisq),
            "df": k_int,
            "p": float(stats.chi2.sf(chisq, k_int)),
        }
    )


def _arm_differences(inf, names, outcome, visits, arms, ci_level, ddf) -> pd.DataFrame:
    """Treatment - control at every visit from the visit x group model (group + interaction)."""
    ctl, trt = arms
    rows = []
    for v in visits:
        weights = np.zeros(len(names))
        weights[names.index(f"group[{trt}]")] = 1.0
        if v != visits[0]:
            weights[names.index(f"time[{v}]:group[{trt}]")] = 1.0
        est, se, df = inf.contrast(weights)
        df = df if ddf == "satterthwaite" else np.inf
        t = est / se
        half = stats.t.ppf(0.5 + ci_level / 2, df) * se
        rows.append(
            {
                "outcome": outcome,
                "model": "visit*group",
                "visit": v,
                "control": ctl,
                "treatment": trt,
                "label": f"{trt} vs {ctl} at {v}",
                "estimate": est,
                "se": se,
                "df": df,
                "t": t,
                "p": float(2 * stats.t.sf(abs(t), df)),
                "ci_low": est - half,
                "ci_high": est + half,
            }
        )
    return pd.DataFrame(rows, columns=ARM_DIFFERENCE_COLUMNS)


def _ledger(ids, outcome: str, analysis: str, reason) -> pd.DataFrame:
    return pd.DataFrame({"id": ids, "outcome": outcome, "analysis": analysis, "reason": reason})


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


_PARTS = ("fixed", "variance", "friedman", "pairwise", "interaction", "excluded", "arm_differences")
_INTERACTION_COLUMNS = ["outcome", "test", "chisq", "df", "p"]
#: Columns of ``VisitsResult.arm_differences``.
ARM_DIFFERENCE_COLUMNS = [
    "outcome",
    "model",
    "visit",
    "control",
    "treatment",
    "label",
    "estimate",
    "se",
    "df",
    "t",
    "p",
    "ci_low",
    "ci_high",
]
