"""Studies with more than two visits: linear mixed model, Friedman test, pairwise contrasts.

Input is the scored long table of ``docs/architecture.md``. The mixed model keeps every
participant with at least one scored visit; the Friedman test and the pairwise contrasts use
complete cases (all visits, or both visits of the pair) and list who was left out. The pieces of
the mixed model (design matrix, fit, lme4's standard errors) are in :mod:`._mixed_model`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.stats._design_tables import resolve_arms, wide_scores
from msrelax_stats.stats._mixed_model import (
    FIXED_COLUMNS,
    VARIANCE_COLUMNS,
    design_matrix,
    fit_mixed,
    fixed_rows,
    variance_row,
)
from msrelax_stats.stats.paired import mean_ci

__all__ = ["VisitsResult", "compare_visits", "mean_trajectories"]


@dataclass
class VisitsResult:
    """Repeated-visits analysis, every part a tidy DataFrame.

    ``fixed_effects`` (``outcome``, ``model``, ``term``, ``estimate``, ``se``, ``z``, ``p``,
    ``ci_low``, ``ci_high``), ``variance`` (per outcome and model: ``intercept_var``,
    ``residual_var``, ``n_participants``, ``n_observations``, ``converged``), ``friedman``,
    ``pairwise``, ``interaction`` (empty without two arms), ``trajectories``, ``exclusions``
    (``id``, ``outcome``, ``analysis``, ``reason``), ``notes`` and ``options``.
    """

    fixed_effects: pd.DataFrame
    variance: pd.DataFrame
    friedman: pd.DataFrame
    pairwise: pd.DataFrame
    interaction: pd.DataFrame
    trajectories: pd.DataFrame
    exclusions: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The fixed-effects table."""
        return self.fixed_effects


def _pairwise(values: pd.DataFrame, outcome: str, visits: Sequence[str], ci_level: float):
    """Paired t-test (later - earlier) on the complete pairs of every visit pair, Holm."""
    rows = []
    for a, b in itertools.combinations(visits, 2):
        both = values[[a, b]].dropna()
        diff = (both[b] - both[a]).to_numpy()
        row = {"outcome": outcome, "visit_a": a, "visit_b": b, "n": int(diff.size)}
        if diff.size >= 2 and diff.std(ddof=1) > 0:
            res = stats.ttest_rel(both[b], both[a])
            ci = res.confidence_interval(ci_level)
            row.update(
                mean_diff=float(diff.mean()),
                ci_low=float(ci.low),
                ci_high=float(ci.high),
                t=float(res.statistic),
                df=float(res.df),
                p=float(res.pvalue),
            )
        rows.append(row)
    out = pd.DataFrame(rows).reindex(columns=_PAIR_COLUMNS)
    ok = out["p"].notna().to_numpy()
    if ok.any():
        out.loc[ok, "p_holm"] = multipletests(out.loc[ok, "p"], method="holm")[1]
    return out


def _friedman(values: pd.DataFrame, outcome: str, visits: Sequence[str]) -> dict[str, Any]:
    complete = values[list(visits)].dropna()
    row = {
        "outcome": outcome,
        "n": int(len(complete)),
        "k": len(visits),
        "statistic": np.nan,
        "df": float(len(visits) - 1),
        "p": np.nan,
    }
    if len(visits) >= 3 and len(complete) >= 2:
        res = stats.friedmanchisquare(*(complete[v].to_numpy() for v in visits))
        row.update(statistic=float(res.statistic), p=float(res.pvalue))
    return row


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
) -> VisitsResult:
    """Analyse three or more visits per outcome (mixed model, Friedman, pairwise contrasts).

    Parameters
    ----------
    scored : DataFrame
        Scored long table (``id``, ``time``, optional ``group``, score columns).
    outcomes : sequence of str
        Score columns to analyse.
    visits : sequence of str
        Visit labels in order; the first is the reference of the visit effects.
    ci_level : float
        Confidence level of every interval.
    control : str, optional
        Control arm when ``group`` has two labels (see ``arms.resolve_arms``).

    Returns
    -------
    VisitsResult

    Notes
    -----
    Mixed model: :math:`y_{ij} = \\beta_0 + \\sum_v \\beta_v [visit_j = v] + u_i + e_{ij}`,
    :math:`u_i \\sim N(0, \\tau^2)`, :math:`e_{ij} \\sim N(0, \\sigma^2)`, fitted by REML
    (statsmodels ``MixedLM``; R ``lme4::lmer(score ~ visit + (1 | id), REML = TRUE)``).
    ``intercept_var`` is :math:`\\tau^2`, ``residual_var`` :math:`\\sigma^2`. Standard errors
    of fixed effects come from :math:`(X'\\hat V^{-1}X)^{-1}` at the REML estimates (as lme4's
    ``vcov``; statsmodels' own ``bse_fe`` inverts the Hessian of all parameters and differs
    slightly); CIs and p-values are Wald (normal) ones. With two arms, the model ``visit * group`` is also
    fitted (REML, control arm as reference) and the interaction is tested by a likelihood-ratio
    test of ``visit + group`` against ``visit * group``, both fitted by maximum likelihood
    (as R ``anova(m0, m1)`` on ``lmer`` fits), chi-square with (visits - 1) df.
    Friedman test (``scipy.stats.friedmanchisquare``, R ``friedman.test``) on participants
    with every visit. Pairwise contrasts: paired t-test of the later minus the earlier visit on
    the participants with both, p adjusted by Holm over the pairs of the outcome.

    References
    ----------
    Bates D, Maechler M, Bolker B, Walker S (2015). Fitting linear mixed-effects models using
    lme4. J Stat Softw 67(1). Holm S (1979). Scand J Stat 6:65-70.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"id": np.repeat([f"p{i}" for i in range(10)], 3),
    ...                    "time": ["t0", "t1", "t2"] * 10,
    ...                    "fss_mean": rng.normal(5, 1, 30) - np.tile([0, 0.8, 0.6], 10)})
    >>> res = compare_visits(df, ["fss_mean"], ["t0", "t1", "t2"])
    >>> res.fixed_effects["term"].tolist()
    ['(Intercept)', 'time[t1]', 'time[t2]']
    """
    visits = [str(v) for v in visits]
    if len(visits) < 2:
        raise StudyDataError(Problem(f"at least two visits needed, got {visits}"))
    outcomes = list(outcomes)
    two_arms = "group" in scored.columns and scored["group"].dropna().nunique() == 2
    ctl, trt = resolve_arms(scored, control) if two_arms else (None, None)
    arm_of = (
        scored.groupby(scored["id"].astype(str), sort=False)["group"].first() if two_arms else None
    )
    fixed, variance, friedman, pairwise, interaction, excluded, notes = ([] for _ in range(7))
    for outcome in outcomes:
        values, reasons = wide_scores(scored, outcome, visits)
        long = values.rename_axis(columns="time").stack().rename("y").dropna().reset_index()
        none_scored = values.notna().sum(axis=1) == 0
        excluded.append(
            pd.DataFrame(
                {
                    "id": values.index[none_scored],
                    "outcome": outcome,
                    "analysis": "all",
                    "reason": f"no scored visit of {outcome}",
                }
            )
        )
        partial = (reasons != "") & ~none_scored
        excluded.append(
            pd.DataFrame(
                {
                    "id": values.index[partial],
                    "outcome": outcome,
                    "analysis": "friedman (kept in mixed model)",
                    "reason": reasons[partial].to_numpy(),
                }
            )
        )
        friedman.append(_friedman(values, outcome, visits))
        pairwise.append(_pairwise(values, outcome, visits, ci_level))
        y, ids, time = long["y"].to_numpy(float), long["id"].to_numpy(), long["time"].to_numpy()
        if pd.unique(ids).size < 2:
            notes.append(f"{outcome}: fewer than 2 participants, no mixed model")
            continue
        x, names, _ = design_matrix(time, visits, None, None)
        res = fit_mixed(y, x, ids, True, notes, f"{outcome} visit model")
        fixed.append(fixed_rows(res, x, ids, names, outcome, "visit", ci_level))
        variance.append(variance_row(res, outcome, "visit", ids))
        if not two_arms:
            continue
        arm = arm_of.reindex(ids).to_numpy().astype(object)
        ok = pd.notna(arm)
        xi, names_i, k_int = design_matrix(time[ok], visits, arm[ok].astype(str), trt)
        if np.linalg.matrix_rank(xi) < xi.shape[1]:
            notes.append(f"{outcome}: an arm lacks a visit, no group x visit model")
            continue
        resi = fit_mixed(y[ok], xi, ids[ok], True, notes, f"{outcome} visit x group model")
        fixed.append(fixed_rows(resi, xi, ids[ok], names_i, outcome, "visit*group", ci_level))
        variance.append(variance_row(resi, outcome, "visit*group", ids[ok]))
        full = fit_mixed(y[ok], xi, ids[ok], False, notes, f"{outcome} ML visit x group model")
        add = fit_mixed(
            y[ok], xi[:, :-k_int], ids[ok], False, notes, f"{outcome} ML visit + group model"
        )
        chisq = 2.0 * (full.llf - add.llf)
        interaction.append(
            {
                "outcome": outcome,
                "test": "likelihood ratio (ML fits)",
                "chisq": float(chisq),
                "df": k_int,
                "p": float(stats.chi2.sf(chisq, k_int)),
            }
        )
    return VisitsResult(
        fixed_effects=_concat(fixed, FIXED_COLUMNS),
        variance=pd.DataFrame(variance, columns=VARIANCE_COLUMNS),
        friedman=pd.DataFrame(friedman, columns=_FRIEDMAN_COLUMNS),
        pairwise=_concat(pairwise, _PAIR_COLUMNS),
        interaction=pd.DataFrame(interaction, columns=_INTERACTION_COLUMNS),
        trajectories=mean_trajectories(scored, outcomes, visits, ci_level),
        exclusions=_concat(excluded, ["id", "outcome", "analysis", "reason"]),
        notes=notes,
        options={
            "visits": visits,
            "ci_level": ci_level,
            "control": ctl,
            "treatment": trt,
            "mixed_model": "random intercept per id, visit as factor, REML (MixedLM)",
            "interaction_test": "likelihood ratio, ML fits of visit+group vs visit*group",
            "fixed_effect_inference": "Wald z",
        },
    )


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


_FRIEDMAN_COLUMNS = ["outcome", "n", "k", "statistic", "df", "p"]
_PAIR_COLUMNS = [
    "outcome",
    "visit_a",
    "visit_b",
    "n",
    "mean_diff",
    "ci_low",
    "ci_high",
    "t",
    "df",
    "p",
    "p_holm",
]
_INTERACTION_COLUMNS = ["outcome", "test", "chisq", "df", "p"]
