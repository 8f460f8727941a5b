"""Two-arm pre/post designs: ANCOVA, Welch t on change scores, Hedges g, per-arm tables.

Input is the scored long table of ``docs/architecture.md`` (``id``, ordered Categorical
``time``, ``group`` with two arm labels, score columns). Pairs are matched by participant id;
everyone left out of an outcome is listed in ``exclusions`` with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.stats._ancova_model import fit_ancova
from msrelax_stats.stats._design_tables import resolve_arms, wide_scores
from msrelax_stats.stats.effect_sizes import noncentral_t_interval

__all__ = ["ArmsResult", "compare_arms", "resolve_arms", "wide_scores", "hedges_g"]


@dataclass(frozen=True)
class HedgesG:
    """Hedges' g between two independent groups with its noncentral-t CI."""

    g: float
    ci_low: float
    ci_high: float
    df: float


def hedges_g(x: np.ndarray, y: np.ndarray, ci_level: float = 0.95) -> HedgesG:
    """Hedges' g of ``mean(x) - mean(y)`` with the pooled SD and a noncentral-t CI.

    Parameters
    ----------
    x, y : array_like
        The two independent samples (NaN not allowed); the sign follows ``x - y``.
    ci_level : float
        Confidence level of the interval.

    Returns
    -------
    HedgesG
        ``g``, ``ci_low``, ``ci_high`` and ``df`` (= n1 + n2 - 2); NaN when either sample has
        fewer than 2 values or the pooled SD is 0.

    Notes
    -----
    :math:`d = (\\bar x - \\bar y) / s_p`, :math:`s_p^2 = ((n_1-1)s_1^2 + (n_2-1)s_2^2)/(n_1+n_2-2)`;
    :math:`g = J d` with the exact :math:`J = \\Gamma(\\nu/2) / (\\sqrt{\\nu/2}\\,\\Gamma((\\nu-1)/2))`,
    :math:`\\nu = n_1 + n_2 - 2`. CI: the noncentrality parameters :math:`\\lambda` with
    :math:`P(T_{\\nu,\\lambda} \\le t) = 1-\\alpha/2` and :math:`\\alpha/2`, where
    :math:`t = d / \\sqrt{1/n_1 + 1/n_2}`, times :math:`J\\sqrt{1/n_1 + 1/n_2}`: the method of
    R ``effectsize::hedges_g(x, y)`` (which finds the same roots with ``optim``).

    References
    ----------
    Hedges LV (1981). J Educ Stat 6:107-128. Steiger JH, Fouladi RT (1997). Noncentrality
    interval estimation. In: What if there were no significance tests?

    Examples
    --------
    >>> res = hedges_g(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.0, 5.0]))
    >>> round(res.g, 3)
    -1.066
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n1, n2 = x.size, y.size
    df = float(n1 + n2 - 2)
    if n1 < 2 or n2 < 2:
        return HedgesG(np.nan, np.nan, np.nan, df)
    sp = np.sqrt(((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / df)
    if sp == 0:
        return HedgesG(np.nan, np.nan, np.nan, df)
    d = (x.mean() - y.mean()) / sp
    hn = np.sqrt(1.0 / n1 + 1.0 / n2)
    j = np.exp(special.gammaln(df / 2) - np.log(np.sqrt(df / 2)) - special.gammaln((df - 1) / 2))
    lo, hi = noncentral_t_interval(float(d / hn), df, ci_level)
    return HedgesG(float(d * j), float(lo * hn * j), float(hi * hn * j), df)


@dataclass
class ArmsResult:
    """Two-arm comparison: ``table`` (one row per outcome), ``adjusted_means`` (per outcome
    and arm, for the figure), ``within`` (the paired table of each arm, or None),
    ``exclusions`` (``id``, ``outcome``, ``reason``), ``notes`` and ``options``."""

    table: pd.DataFrame
    adjusted_means: pd.DataFrame
    within: pd.DataFrame | None
    exclusions: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The per-outcome table."""
        return self.table


def _within_arms(
    scored: pd.DataFrame,
    outcomes: list[str],
    visits: Sequence[str],
    arms: tuple[str, str],
    ci_level: float,
    seed: int,
    n_boot: int,
    notes: list[str],
) -> pd.DataFrame | None:
    """The one-group paired table of each arm (``stats.compare.compare``), stacked."""
    try:
        from msrelax_stats.stats.compare import compare
    except ImportError:
        # TODO(issue 6): stats.compare is written by another engineer; this hook fills
        # ``within`` as soon as it is importable.
        notes.append("within-arm paired analysis not run: stats.compare is not available")
        return None
    tables = []
    for arm in arms:
        subset = scored.loc[scored["group"].astype(str) == arm]
        if subset["id"].nunique() < 2:
            notes.append(f"arm {arm}: fewer than 2 participants, no within-arm paired analysis")
            continue
        res = compare(
            subset,
            outcomes=outcomes,
            visits=tuple(visits),
            ci_level=ci_level,
            seed=seed,
            n_boot=n_boot,
        )
        tables.append(res.table.assign(group=arm))
    if not tables:
        return None
    out = pd.concat(tables, ignore_index=True)
    return out[["group", *[c for c in out.columns if c != "group"]]]


def compare_arms(
    scored: pd.DataFrame,
    outcomes: Sequence[str],
    visits: Sequence[str] = ("pre", "post"),
    control: str | None = None,
    ci_level: float = 0.95,
    *,
    seed: int = 1,
    n_boot: int = 10000,
    within: bool = True,
) -> ArmsResult:
    """Compare two arms of a pre/post study, per outcome.

    Parameters
    ----------
    scored : DataFrame
        Scored long table (``id``, ``time``, ``group``, score columns).
    outcomes : sequence of str
        Score columns to analyse (e.g. ``["fss_mean", "psqi_global"]``).
    visits : (str, str)
        Labels of the pre and post visits.
    control : str, optional
        Label of the control arm; by default the label containing "control", "usual care"
        or "waitlist" (see :func:`resolve_arms`).
    ci_level : float
        Confidence level of every interval.
    seed, n_boot : int
        Passed to ``stats.compare.compare`` for the within-arm tables (bootstrap CIs).
    within : bool
        Run the within-arm paired analysis of each arm.

    Returns
    -------
    ArmsResult
        ``table`` columns: ``outcome``, ``control``, ``treatment``, ``n_control``,
        ``n_treatment``, pre/post/change means and SDs per arm, ``ancova_*`` (adjusted
        difference treatment - control with SE, CI, t, df, p; pre slope), ``partial_eta_sq``,
        ``welch_*`` (difference of mean changes treatment - control, CI, t, df, p),
        ``hedges_g`` with ``hedges_g_ci_low``/``_high``, ``ci_level``.

    Notes
    -----
    ANCOVA: OLS :math:`post = b_0 + b_1 pre + b_2 [treatment] + e` (R ``lm(post ~ pre +
    group)`` with the control arm as reference); the adjusted difference is :math:`b_2` with
    its t-based CI; partial :math:`\\eta^2 = t_2^2 / (t_2^2 + df_{res})` (R
    ``effectsize::eta_squared(fit, partial = TRUE)``, group entered after pre). Adjusted means
    are the model predictions of each arm at the mean pre score. Change scores (post - pre)
    are compared by the Welch t-test (R ``t.test(var.equal = FALSE)``) and by Hedges' g with
    the pooled SD and a noncentral-t CI (:func:`hedges_g`). Between-arm statistics need at
    least 2 participants with both visits in each arm; otherwise they are NaN with a note.
    Negative differences mean a lower score in the treatment arm; nothing is made absolute.

    References
    ----------
    Vickers AJ, Altman DG (2001). Analysing controlled trials with baseline and follow up
    measurements. BMJ 323:1123-1124.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "id": [str(i) for i in range(8) for _ in range(2)],
    ...     "time": ["pre", "post"] * 8,
    ...     "group": ["PMR"] * 8 + ["control"] * 8,
    ...     "fss_mean": [5, 4, 6, 4.5, 5.5, 4, 4.8, 4.1, 5, 5, 6, 5.8, 5.5, 5.6, 4.8, 4.6]})
    >>> res = compare_arms(df, ["fss_mean"], within=False)
    >>> float(round(res.table.loc[0, "ancova_diff"], 3))
    -1.1
    """
    outcomes = list(outcomes)
    visits = tuple(str(v) for v in visits)
    if len(visits) != 2:
        raise StudyDataError(Problem(f"two visits needed (pre, post), got {list(visits)}"))
    ctl, trt = resolve_arms(scored, control)
    arm_of = scored.groupby(scored["id"].astype(str), sort=False)["group"].first()
    rows, means, excluded, notes = [], [], [], []
    for outcome in outcomes:
        values, reasons = wide_scores(scored, outcome, visits)
        arm = arm_of.reindex(values.index).astype("object")
        reasons = reasons.mask(arm.isna() & (reasons == ""), "no arm label")
        excluded.append(
            pd.DataFrame({"id": reasons.index, "outcome": outcome, "reason": reasons.to_numpy()})[
                reasons.to_numpy() != ""
            ]
        )
        keep = (reasons == "").to_numpy()
        pre = values[visits[0]].to_numpy()[keep]
        post = values[visits[1]].to_numpy()[keep]
        treated = arm.to_numpy()[keep] == trt
        change = post - pre
        n_t, n_c = int(treated.sum()), int((~treated).sum())
        row: dict[str, Any] = {
            "outcome": outcome,
            "control": ctl,
            "treatment": trt,
            "n_control": n_c,
            "n_treatment": n_t,
        }
        for name, mask in (("control", ~treated), ("treatment", treated)):
            for what, x in (("pre", pre), ("post", post), ("change", change)):
                row[f"{what}_mean_{name}"] = float(x[mask].mean()) if mask.any() else np.nan
                row[f"{what}_sd_{name}"] = float(x[mask].std(ddof=1)) if mask.sum() > 1 else np.nan
        if min(n_t, n_c) < 2:
            small = ctl if n_c < 2 else trt
            notes.append(
                f"{outcome}: arm {small} has {min(n_t, n_c)} participant(s) with both visits; "
                "between-arm statistics need at least 2 per arm and are left empty"
            )
            rows.append(row)
            continue
        fit = fit_ancova(pre, post, treated, ci_level, treatment=trt)
        t, df = fit.row["ancova_t"], fit.row["ancova_df"]
        row.update(fit.row, partial_eta_sq=t**2 / (t**2 + df))  # the table keeps its columns
        means.append(
            pd.DataFrame(
                {
                    "outcome": outcome,
                    "group": [ctl, trt],
                    "n": [n_c, n_t],
                    "adjusted_mean": fit.means[:, 0],
                    "ci_low": fit.means[:, 2],
                    "ci_high": fit.means[:, 3],
                    "pre_at": fit.pre_at,
                }
            )
        )
        welch = stats.ttest_ind(change[treated], change[~treated], equal_var=False)
        wci = welch.confidence_interval(ci_level)
        row.update(
            {
                "welch_diff": float(change[treated].mean() - change[~treated].mean()),
                "welch_ci_low": float(wci.low),
                "welch_ci_high": float(wci.high),
                "welch_t": float(welch.statistic),
                "welch_df": float(welch.df),
                "welch_p": float(welch.pvalue),
            }
        )
        g = hedges_g(change[treated], change[~treated], ci_level)
        row.update({"hedges_g": g.g, "hedges_g_ci_low": g.ci_low, "hedges_g_ci_high": g.ci_high})
        rows.append(row)
    table = pd.DataFrame(rows).reindex(columns=_TABLE_COLUMNS).assign(ci_level=ci_level)
    within_table = (
        _within_arms(scored, outcomes, visits, (ctl, trt), ci_level, seed, n_boot, notes)
        if within
        else None
    )
    adjusted = (
        pd.concat(means, ignore_index=True) if means else pd.DataFrame(columns=_MEANS_COLUMNS)
    )
    return ArmsResult(
        table=table,
        adjusted_means=adjusted,
        within=within_table,
        exclusions=pd.concat(excluded, ignore_index=True),
        notes=notes,
        options={
            "visits": list(visits),
            "control": ctl,
            "treatment": trt,
            "ci_level": ci_level,
            "seed": seed,
            "n_boot": n_boot,
            "ancova": "OLS post ~ pre + group (control = reference)",
            "hedges_g_ci": "noncentral t (as R effectsize::hedges_g)",
        },
    )


_MEANS_COLUMNS = ["outcome", "group", "n", "adjusted_mean", "ci_low", "ci_high", "pre_at"]
_TABLE_COLUMNS = [
    *"outcome control treatment n_control n_treatment".split(),
    *[
        f"{w}_{s}_{a}"
        for a in ("control", "treatment")
        for w in ("pre", "post", "change")
        for s in ("mean", "sd")
    ],
    *"ancova_diff ancova_se ancova_ci_low ancova_ci_high ancova_t ancova_df ancova_p".split(),
    *"ancova_pre_slope partial_eta_sq".split(),
    *"welch_diff welch_ci_low welch_ci_high welch_t welch_df welch_p".split(),
    *"hedges_g hedges_g_ci_low hedges_g_ci_high".split(),
]
