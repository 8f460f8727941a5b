"""Figures of one paired outcome: slopes, Gardner-Altman estimation plot, changes.

Every function draws the participants' own values from the scored table and every summary
(visit means and their CIs, the bootstrap of the mean change, the confidence level, the
direction of improvement, labels) from the result of :func:`msrelax_stats.compare`, so a
figure shows exactly the numbers of ``results.csv``. Each takes ``ax=None`` (or makes its own
pyplot-free Figure), draws, and returns the Axes (or Figure); global matplotlib state is never
changed. Style keywords shared by all: ``figsize``, ``fontsize``, ``palette`` (role -> colour,
see ``DEFAULT_PALETTE``) and ``rc`` (extra rcParams applied only while drawing).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from msrelax_stats.figures._common import (
    COLUMN_WIDTH_IN,
    LINE_STYLES,
    axis_label,
    direction_note,
    level_text,
    new_axes,
    paired_wide,
    palette,
    result_info,
    result_visits,
    style_context,
    tidy_axes,
    visit_means_of,
)
from msrelax_stats.figures._format import fmt_ci, fmt_num

__all__ = ["slope_plot", "estimation_plot", "change_distribution"]


def _visit_names(visits: Any) -> list[str]:
    return [str(v).capitalize() for v in visits]


def _draw_slopes(ax: Axes, wide: pd.DataFrame, info: Any, means: pd.DataFrame,
                 pal: dict[str, str]) -> tuple[float, list[Line2D]]:  # fmt: skip
    """The pairs and the visit means with their CIs (``means``: two rows of ``visit_means``).

    One ``LineCollection`` per role (improved, worsened, unchanged; gid ``"pair"``, label the
    role) holding one segment per complete pair, told apart by colour and line style
    (solid, dashed, dotted), so they stay distinct without colour vision: a single artist per
    role instead of one ``Line2D`` per pair, so drawing 10,000 pairs takes well under a second.
    """
    values = wide.to_numpy()
    change = values[:, 1] - values[:, 0]
    improved = change < 0 if info.better == "lower" else change > 0
    groups = {
        "improved": improved,
        "worsened": (change != 0) & ~improved,
        "unchanged": change == 0,
    }
    handles = []
    for role, mask in groups.items():
        k = int(mask.sum())
        if k:
            segments = np.zeros((k, 2, 2))
            segments[:, 1, 0] = 1.0  # x: 0 (first visit) -> 1 (second visit)
            segments[:, :, 1] = values[mask]
            pairs = LineCollection(segments, colors=pal[role], alpha=0.7, linewidths=0.8,
                                   linestyles=LINE_STYLES[role], gid="pair", label=f"_{role}",
                                   zorder=2)  # fmt: skip
            ax.add_collection(pairs, autolim=True)
        handles.append(Line2D([], [], color=pal[role], lw=1, ls=LINE_STYLES[role],
                              label=f"{role} ({k})"))  # fmt: skip
    for (x, role), row in zip(((-0.14, "pre"), (1.14, "post")), means.itertuples(), strict=True):
        ax.errorbar(
            [x], [row.mean], yerr=[[row.mean - row.ci_low], [row.ci_high - row.mean]], fmt="o",
            ms=4, capsize=2, color=pal[role], gid="mean_ci", zorder=3,
        )  # fmt: skip
    ax.autoscale_view()
    ax.set_xticks([0, 1], _visit_names(wide.columns))
    ax.set_xlim(-0.4, 1.4)
    ax.set_ylabel(axis_label(info))
    tidy_axes(ax)
    return float(means["mean"].iloc[0]), handles


def slope_plot(scored: pd.DataFrame, outcome: str, result: Any, ax: Axes | None = None, *,
               group: str | None = None, **style: Any) -> Axes:  # fmt: skip
    """Paired slope plot: one line per complete pair, mean +- CI beside each visit.

    Parameters
    ----------
    scored : DataFrame
        Scored long table (``id``, ``time``, score columns): the participants' lines.
    outcome : str
        Score column, e.g. ``"fss_mean"``.
    result : PairedResult
        The paired analysis (:func:`msrelax_stats.compare`): visits, visit means and their CIs
        (``result.visit_means``), label and direction of improvement.
    ax : Axes, optional
        Where to draw; a new one-column Figure when omitted.
    group : str, optional
        The arm, for a within-arm result of a two-arm study.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        One segment per participant with both visits scored, in one ``LineCollection`` per
        role (gid ``"pair"``): improved / worsened / unchanged (direction from the
        outcome's ``better``), by colour and line style.

    Examples
    --------
    >>> ax = slope_plot(scored, "fss_mean", mrs.compare(scored))  # doctest: +SKIP
    >>> ax.figure.savefig("slopes.png", dpi=300)  # doctest: +SKIP
    """
    visits = result_visits(result)
    wide = paired_wide(scored, outcome, visits, group=group)
    info = result_info(result, outcome)
    means = visit_means_of(result, outcome, group)
    with style_context(style):
        ax = new_axes(ax, style)
        _, handles = _draw_slopes(ax, wide, info, means, palette(style))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3,
                  handlelength=1.6, columnspacing=0.8)  # fmt: skip
        ax.set_title(f"{info.instrument}: n = {len(wide)} complete pairs; mean, "
                     f"{level_text(means['ci_level'].iloc[0])} CI", loc="left")  # fmt: skip
        direction_note(ax, info.better)
    return ax


def estimation_plot(scored: pd.DataFrame, outcome: str, result: Any, *, group: str | None = None,
                    **style: Any) -> Figure:  # fmt: skip
    """Gardner-Altman paired estimation plot: slopes beside the bootstrap mean change.

    The left axis shows :func:`slope_plot`; the right axis, aligned so that its zero sits at
    the pre mean, shows the bootstrap distribution of the mean change (post - pre) of the
    paired analysis as a half violin, the observed mean change (gid ``"estimate"``) and its
    BCa CI (gid ``"ci"``): ``diff_bca_ci_low``/``diff_bca_ci_high`` of ``results.csv``, from
    the same resamples.

    Parameters
    ----------
    scored, outcome, result, group
        As in :func:`slope_plot`; the bootstrap is ``result.mean_change_bootstrap(outcome,
        group)`` (its seed and number of resamples are those of the analysis).
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
    >>> fig = estimation_plot(scored, "psqi_global", mrs.compare(scored))  # doctest: +SKIP
    """
    visits = result_visits(result)
    wide = paired_wide(scored, outcome, visits, group=group)
    info = result_info(result, outcome)
    means = visit_means_of(result, outcome, group)
    boot = result.mean_change_bootstrap(outcome, group)
    pal = palette(style)
    with style_context(style):
        fig = Figure(figsize=style.get("figsize", (COLUMN_WIDTH_IN, 3.0)), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[1.7, 1])
        pre_mean, handles = _draw_slopes(left, wide, info, means, pal)
        fig.legend(handles=handles, loc="outside lower center", ncols=3, handlelength=1.6,
                   columnspacing=0.8)  # fmt: skip
        fig.suptitle(f"{info.instrument}: n = {len(wide)} complete pairs", x=0.02, ha="left",
                     fontsize="medium")  # fmt: skip
        direction_note(left, info.better)
        low, high = left.get_ylim()
        right.set_ylim(low - pre_mean, high - pre_mean)
        drawn = boot.density()  # the statistics' kernel density of the bootstrap
        if drawn is not None:
            grid, density = drawn
            right.fill_betweenx(grid, 0, 0.4 * density / density.max(), color=pal["post"],
                                alpha=0.35, lw=0, gid="bootstrap")  # fmt: skip
        right.plot([0, 0], [boot.ci_low, boot.ci_high], color=pal["estimate"], lw=1.5, gid="ci")
        right.plot([0], [boot.estimate], "o", color=pal["estimate"], ms=4, gid="estimate")
        right.axhline(0, color=pal["reference"], lw=0.8, ls="--", gid="zero")
        right.set_xlim(-0.3, 0.6)
        right.set_xticks([0], [f"{_visit_names(visits)[1]} - {_visit_names(visits)[0]}"])
        right.yaxis.tick_right()
        right.yaxis.set_label_position("right")
        right.set_ylabel(f"Mean change in {info.instrument} ({info.unit.split(',')[0]})")
        right.spines[["top", "left"]].set_visible(False)
        right.set_title(
            f"{fmt_num(boot.estimate)}\n{fmt_ci(boot.ci_low, boot.ci_high)}\n"
            f"{level_text(boot.ci_level)} CI (BCa,\n{boot.n_boot} resamples)",
            fontsize="small",
        )
    return fig


def change_distribution(scored: pd.DataFrame, outcome: str, result: Any, ax: Axes | None = None,
                        *, group: str | None = None, mcid: float | None = None, seed: int = 1,
                        **style: Any) -> Axes:  # fmt: skip
    """Distribution of the paired changes (box + jittered strip) with the MCID marked.

    Parameters
    ----------
    scored, outcome, result, ax, group
        As in :func:`slope_plot`.
    mcid : float, optional
        Minimal clinically important difference in the outcome's points (positive number).
        Drawn as a dashed line (gid ``"mcid"``) at ``-mcid`` when lower is better, ``+mcid``
        otherwise. ``None`` draws no MCID line.
    seed : int
        Seed of the horizontal jitter of the points (deterministic output).
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        The points are one collection with gid ``"changes"``, one point per complete pair.

    Examples
    --------
    >>> ax = change_distribution(scored, "fss_mean", result, mcid=0.45)  # doctest: +SKIP
    """
    visits = result_visits(result)
    wide = paired_wide(scored, outcome, visits, group=group)
    info = result_info(result, outcome)
    pal = palette(style)
    change = wide.iloc[:, 1].to_numpy() - wide.iloc[:, 0].to_numpy()
    jitter = np.random.default_rng(seed).uniform(-0.07, 0.07, size=change.size)
    with style_context(style):
        ax = new_axes(ax, style, height=2.8)
        if change.size:
            ax.boxplot(change, positions=[0], widths=0.25, showfliers=False, patch_artist=True,
                       boxprops={"facecolor": "white", "edgecolor": pal["estimate"]},
                       medianprops={"color": pal["post"]})  # fmt: skip
        ax.scatter(0.35 + jitter, change, s=10, color=pal["post"], alpha=0.8, lw=0, gid="changes")
        ax.axhline(0, color=pal["reference"], lw=0.8, gid="zero")
        if mcid is not None:
            level = -float(mcid) if info.better == "lower" else float(mcid)
            ax.axhline(level, color=pal["mcid"], lw=1, ls="--", gid="mcid")
            ax.text(0.62, level, f"MCID {fmt_num(level)}", color=pal["mcid"], va="bottom",
                    ha="right", fontsize="small")  # fmt: skip
        ax.set_xlim(-0.3, 0.65)
        ax.set_xticks([])
        ax.set_ylabel(axis_label(info, prefix="Change in "))
        names = _visit_names(visits)
        ax.set_title(f"{names[1]} - {names[0]}, n = {change.size} pairs", loc="left")
        direction_note(ax, info.better, change=True)
        tidy_axes(ax)
        ax.spines["bottom"].set_visible(False)
    return ax
