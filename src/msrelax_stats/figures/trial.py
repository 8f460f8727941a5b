"""Figures of the between-arm comparison of a two-arm trial: one function per figure.

Both read every number from :func:`msrelax_stats.stats.ancova.between_arms` (the
``BetweenArmsResult`` of ``StudyAnalysis.arms``): the arms' mean changes and their CIs, the
difference of mean changes with its bootstrap distribution and BCa CI, the adjusted
differences and standardised differences with their CIs, the families of the plan. Only the
participants' own changes come from the scored table (those the result analysed). Same
conventions as the other figures: ``ax=None`` (or an own pyplot-free Figure), no global
matplotlib state, Okabe-Ito colours, arms told apart by marker too, the direction of
improvement written on the plot, style keywords ``figsize``, ``fontsize``, ``palette``, ``rc``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.figures._common import (
    COLUMN_WIDTH_IN,
    axis_label,
    direction_note,
    labels,
    level_text,
    new_axes,
    palette,
    style_context,
    tidy_axes,
)
from msrelax_stats.figures._designs_common import (
    arm_colours,
    finish_axes,
    participant_arms,
    wide_values,
)
from msrelax_stats.figures._format import fmt_ci, fmt_num
from msrelax_stats.figures.summary import _mark_direction

__all__ = ["arm_estimation_plot", "arm_forest_plot"]

_FAMILY_ORDER = ("primary", "secondary", "exploratory", "")


def swarm_offsets(values: np.ndarray, width: float = 0.3, bins: int = 30) -> np.ndarray:
    """Deterministic horizontal offsets of a strip of points: values within one of ``bins``
    bands of the range are spread left and right (0, +s, -s, +2s, ...), at most ``width``.

    Examples
    --------
    >>> swarm_offsets(np.array([1.0, 1.0, 1.0, 5.0]), width=0.2).round(3).tolist()
    [0.0, 0.07, -0.07, 0.0]
    """
    values = np.asarray(values, dtype=float)
    out = np.zeros(values.size)
    if values.size < 2:
        return out
    span = float(np.ptp(values)) or 1.0
    band = np.floor((values - values.min()) / span * bins).astype(int)
    largest = int(np.bincount(band).max())
    step = min(width / max(largest // 2, 1), 0.35 * width)
    for b in np.unique(band):  # a few dozen bands
        members = np.flatnonzero(band == b)
        k = np.arange(members.size)
        out[members] = np.where(k % 2 == 1, 1.0, -1.0) * ((k + 1) // 2) * step
    return np.clip(out, -width, width) + 0.0  # no negative zero


def _analysed_changes(scored: pd.DataFrame, outcome: str, result: Any,
                      visit: str) -> dict[str, np.ndarray]:  # fmt: skip
    """The changes (visit - baseline) of the participants of the result's model, per arm."""
    baseline = str(result.options["baseline"])
    wide = wide_values(scored, outcome, [baseline, visit]).dropna()
    ex = result.exclusions
    out = ex[(ex["outcome"].astype(str) == outcome) & (ex["visit"].astype(str) == visit)]
    wide = wide[~wide.index.isin(out["id"].astype(str))]
    arm = participant_arms(scored).reindex(wide.index)
    change = (wide[visit] - wide[baseline]).to_numpy(float)
    return {str(a): change[(arm == a).to_numpy()] for a in (result.options["control"],
                                                            result.options["treatment"])}  # fmt: skip


def arm_estimation_plot(scored: pd.DataFrame, outcome: str, result: Any, *,
                        visit: str | None = None, info: Mapping[str, Any] | None = None,
                        **style: Any) -> Figure:  # fmt: skip
    """Two-group estimation plot of the changes: each arm's changes beside the bootstrap
    distribution of the difference of mean changes (treatment - control).

    The left axis shows every analysed participant's change (visit - baseline) per arm (one
    point each, gid ``"changes"``) with the arm's mean change and its paired-t CI (gid
    ``"mean_ci"``); the right axis, aligned so that its zero sits at the control arm's mean
    change, shows the bootstrap distribution of the difference of mean changes as a half
    violin (gid ``"bootstrap"``), the difference (gid ``"estimate"``) and its BCa CI (gid
    ``"ci"``): ``welch_diff``, ``welch_diff_bca_ci_low``/``_high`` of ``arms.csv``, from the
    resamples kept in ``result.bootstrap``.

    Parameters
    ----------
    scored : DataFrame
        Scored long table (``id``, ``time``, ``group``, scores): the participants' changes.
    outcome : str
        Score column.
    result : BetweenArmsResult
        :func:`msrelax_stats.stats.ancova.between_arms`: the arms' rows, exclusions and
        bootstrap.
    visit : str, optional
        The follow-up visit (default: the endpoint).
    info : mapping, optional
        Outcome -> OutcomeInfo for the labels; the built-in registry by default.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Figure

    References
    ----------
    Gardner MJ, Altman DG. Confidence intervals rather than P values. BMJ 1986;292:746-750.
    Ho J, et al. Moving beyond P values: data analysis with estimation graphics. Nat Methods
    2019;16:565-566 (DABEST).

    Examples
    --------
    >>> fig = arm_estimation_plot(scored, "fss_mean", analysis.arms)  # doctest: +SKIP
    """
    row = result.row(outcome, visit).to_dict()
    visit = str(row["visit"])
    boot = result.bootstrap.get((outcome, visit))
    if boot is None:
        raise StudyDataError(Problem(f"no bootstrap of the difference of mean changes at {visit}",
                                     column=outcome))  # fmt: skip
    meta = labels(info, outcome)
    ctl, trt = str(row["control"]), str(row["treatment"])
    changes = _analysed_changes(scored, outcome, result, visit)
    colours = arm_colours([ctl, trt], style)
    pal = palette(style)
    with style_context(style):
        fig = Figure(figsize=style.get("figsize", (COLUMN_WIDTH_IN, 3.0)), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[1.7, 1])
        handles = []
        for x, (role, arm) in enumerate((("control", ctl), ("treatment", trt))):
            values = changes[arm]
            left.scatter(x + swarm_offsets(values, 0.22), values, s=10, color=colours[arm],
                         marker="os"[x], alpha=0.8, lw=0, gid="changes", zorder=2)  # fmt: skip
            mean = float(row[f"change_mean_{role}"])
            low, high = float(row[f"change_ci_low_{role}"]), float(row[f"change_ci_high_{role}"])
            left.errorbar([x + 0.34], [mean], yerr=[[mean - low], [high - mean]], fmt="os"[x],
                          ms=4, capsize=2, color=pal["estimate"], gid="mean_ci", zorder=3)  # fmt: skip
            handles.append(Line2D([], [], lw=0, marker="os"[x], ms=4, color=colours[arm],
                                  label=f"{arm} (n = {values.size})"))  # fmt: skip
        left.axhline(0, color=pal["reference"], lw=0.8, gid="zero")
        left.set_xticks([0, 1], [ctl, trt])
        left.set_xlim(-0.45, 1.6)
        left.set_ylabel(axis_label(meta, prefix="Change in "))
        direction_note(left, meta.better, change=True)
        tidy_axes(left)
        base = float(row["change_mean_control"])
        low, high = left.get_ylim()
        right.set_ylim(low - base, high - base)
        drawn = boot.density()  # the statistics' kernel density of the bootstrap
        if drawn is not None:
            grid, density = drawn
            right.fill_betweenx(grid, 0, 0.4 * density / density.max(), color=colours[trt],
                                alpha=0.35, lw=0, gid="bootstrap")  # fmt: skip
        right.plot([0, 0], [boot.ci_low, boot.ci_high], color=pal["estimate"], lw=1.5, gid="ci")
        right.plot([0], [row["welch_diff"]], "o", color=pal["estimate"], ms=4, gid="estimate")
        right.axhline(0, color=pal["reference"], lw=0.8, ls="--", gid="difference_zero")
        right.set_xlim(-0.3, 0.6)
        right.set_xticks([0], [f"{trt}\nminus {ctl}"])
        right.yaxis.tick_right()
        right.yaxis.set_label_position("right")
        right.set_ylabel(f"Difference of mean changes ({meta.unit.split(',')[0] or 'points'})")
        right.spines[["top", "left"]].set_visible(False)
        right.set_title(f"{fmt_num(row['welch_diff'])}\n{fmt_ci(boot.ci_low, boot.ci_high)}\n"
                        f"{level_text(boot.ci_level)} CI (BCa,\n{boot.n_boot} resamples)",
                        fontsize="small")  # fmt: skip
        baseline = str(result.options["baseline"])
        fig.suptitle(f"{meta.instrument}: change {baseline} to {visit} by arm", x=0.02,
                     ha="left", fontsize="medium")  # fmt: skip
        fig.legend(handles=handles, loc="outside lower center", ncols=2)
    return fig


def arm_forest_plot(table: pd.DataFrame, ax: Axes | None = None, *,
                    effect: str = "ancova_smd", visits: Sequence[str] | None = None,
                    info: Mapping[str, Any] | None = None, **style: Any) -> Axes:  # fmt: skip
    """Forest plot of the adjusted between-arm differences: every outcome, at the endpoint and
    the other follow-up visits, grouped by the plan's families.

    Parameters
    ----------
    table : DataFrame
        The between-arm table (``arms.csv``, ``StudyAnalysis.arms.table``): ``outcome``,
        ``visit``, ``endpoint``, (``family``,) ``<effect>`` with ``<effect>_ci_low`` and
        ``_ci_high``, ``ancova_diff`` with its CI (written beside each row), ``ci_level``.
    ax : Axes, optional
    effect : str
        The x axis: ``"ancova_smd"`` (default: the adjusted difference in residual SDs, one
        scale for every outcome), ``"hedges_g"`` (of the changes) or ``"ancova_diff"`` (the
        outcome's own units; for outcomes on one scale).
    visits : sequence of str, optional
        The follow-up visits to show (default: all, the endpoint first).
    info : mapping, optional
        Outcome -> OutcomeInfo for the labels and directions; the built-in registry by default.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        Per visit one ``Line2D`` of estimates (gid ``"estimate"``, the endpoint filled
        squares, follow-ups open circles) and one collection of CIs (gid ``"ci"``); the
        adjusted difference [CI] in the outcome's units as text right of each row (gid
        ``"difference"``); family headings in bold left of the axis (gid ``"family"``); the
        direction of improvement (gid ``"direction"``).

    Examples
    --------
    >>> ax = arm_forest_plot(analysis.arms.table)  # doctest: +SKIP
    """
    needed = ["outcome", "visit", "endpoint", effect, f"{effect}_ci_low", f"{effect}_ci_high"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise StudyDataError([Problem("is not a column of the between-arm table", column=c)
                              for c in missing])  # fmt: skip
    rows = table if visits is None else table[table["visit"].astype(str).isin(list(visits))]
    order = list(dict.fromkeys([*rows.loc[rows["endpoint"].astype(bool), "visit"].astype(str),
                                *rows["visit"].astype(str)]))  # fmt: skip
    family = (
        rows["family"].fillna("").astype(str) if "family" in rows else pd.Series("", rows.index)
    )
    outcomes = list(dict.fromkeys(rows["outcome"].astype(str)))
    fam_of = dict(zip(rows["outcome"].astype(str), family, strict=False))
    outcomes.sort(key=lambda o: _FAMILY_ORDER.index(fam_of[o]) if fam_of[o] in _FAMILY_ORDER else 3)
    ticks, tick_labels, heads, y_of, y = [], [], [], {}, 0.0
    for fam in _FAMILY_ORDER:
        members = [o for o in outcomes if fam_of[o] == fam]
        if not members:
            continue
        if any(fam_of.values()):  # a heading per family of the plan
            heads.append((y, f"{fam or 'no family'} outcomes"))
            y -= 1
        for o in members:
            ticks.append(y)
            tick_labels.append(labels(info, o).label)
            y_of[o] = y
            y -= 1
    offsets = {v: 0.2 - 0.4 * k / max(len(order) - 1, 1) for k, v in enumerate(order)}
    if len(order) == 1:
        offsets = {order[0]: 0.0}
    level = float(rows["ci_level"].iloc[0]) if "ci_level" in rows and len(rows) else 0.95
    pal = palette(style)
    names = {"ancova_smd": "Adjusted difference in residual SDs",
             "hedges_g": "Hedges' g of the changes", "ancova_diff": "Adjusted difference"}  # fmt: skip
    own = ax is None
    with style_context(style):
        height = 1.0 + 0.22 * len(ticks) + 0.08 * len(rows)
        ax = new_axes(ax, style | {"figsize": style.get("figsize", (COLUMN_WIDTH_IN * 1.35,
                                                                     height))})  # fmt: skip
        trans = blended_transform_factory(ax.transAxes, ax.transData)
        for visit in order:
            part = rows[rows["visit"].astype(str) == visit]
            yy = np.array([y_of[str(o)] + offsets[visit] for o in part["outcome"]])
            est = part[effect].to_numpy(float)
            low = part[f"{effect}_ci_low"].to_numpy(float)
            high = part[f"{effect}_ci_high"].to_numpy(float)
            ok = np.isfinite(low) & np.isfinite(high)
            endpoint = bool(part["endpoint"].astype(bool).any())
            colour = pal["post"] if endpoint else pal["reference"]
            ax.hlines(yy[ok], low[ok], high[ok], color=colour, lw=1.2 if endpoint else 0.9,
                      gid="ci")  # fmt: skip
            ax.plot(est, yy, "s" if endpoint else "o", ms=4, color=colour,
                    mfc=colour if endpoint else "white", gid="estimate",
                    label=f"{visit} (endpoint)" if endpoint else visit)  # fmt: skip
            if "ancova_diff" in part:
                for yi, r in zip(yy, part.to_dict("records"), strict=True):  # one per outcome
                    ax.text(1.02, yi, f"{fmt_num(r['ancova_diff'])} "
                            f"{fmt_ci(r.get('ancova_ci_low'), r.get('ancova_ci_high'))}",
                            transform=trans, va="center", fontsize=5.5, gid="difference",
                            color=colour if not endpoint else pal["estimate"])  # fmt: skip
        ax.axvline(0, color=pal["reference"], lw=0.8, ls="--", gid="zero")
        ax.set_yticks(ticks, tick_labels)
        for yh, text in heads:  # family headings: bold, left of the axis, without a tick
            ax.text(-0.03, yh, text, transform=trans, ha="right", va="center",
                    fontweight="bold", gid="family")  # fmt: skip
        ax.set_ylim(y + 0.5, 0.7)
        ax.set_xlabel(f"{names.get(effect, effect)}, {level * 100:g} % CI")
        ax.text(1.02, 1.0, "adjusted difference\n(own units)", transform=ax.transAxes,
                fontsize=5.5, va="bottom")  # fmt: skip
        better = [labels(info, o).better for o in outcomes]
        _mark_direction(ax, better, np.array([y_of[o] for o in outcomes]), pal)
        finish_axes(ax, own, ax.get_legend_handles_labels()[0])
        tidy_axes(ax)
    return ax
