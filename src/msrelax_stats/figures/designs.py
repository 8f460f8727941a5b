"""Figures of the designs beyond one group: two arms, more visits, practice diaries.

Same conventions as :mod:`msrelax_stats.figures.paired`: ``ax=None`` in, Axes out, no global
matplotlib state, Okabe-Ito colours, axis labels naming the instrument and its unit, and the
style keywords ``figsize``, ``fontsize``, ``palette`` (roles ``"control"``, ``"treatment"``,
``"all"`` and those of ``DEFAULT_PALETTE``) and ``rc``. Artists carry a ``gid`` so that tests
and users can find them (``"pair"``, ``"individual"``, ``"trajectory"``, ``"ci_band"``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.figures._common import (
    _require_columns,
    axis_label,
    direction_note,
    labels,
    level_text,
    new_axes,
    palette,
    result_info,
    result_visits,
    style_context,
    tidy_axes,
    visit_means_of,
)
from msrelax_stats.figures._designs_common import ARM_PALETTE as ARM_PALETTE
from msrelax_stats.figures._designs_common import (
    arm_colours,
    arm_labels,
    finish_axes,
    participant_arms,
    visit_names,
    wide_values,
)
from msrelax_stats.figures._format import fmt_ci, fmt_num, fmt_p

#: Line style per arm (control, treatment): the arms differ without colour vision too.
ARM_LINE_STYLES = ("-", (0, (4, 2)))

__all__ = ["arm_slope_plot", "adjusted_means_plot", "trajectory_plot", "dose_response_plot"]


def arm_slope_plot(
    scored: pd.DataFrame,
    outcome: str,
    result: Any,
    ax: Axes | None = None,
    *,
    arms: Sequence[str] | None = None,
    **style: Any,
) -> Axes:
    """Slope plot of a two-arm study: one line per participant, coloured by arm.

    Parameters
    ----------
    scored, outcome, ax
        Scored long table (``id``, ``time``, ``group``, scores), score column, and where to
        draw (a new one-column Figure when omitted).
    result : PairedResult
        The within-arm paired analysis (a ``group`` column in its tables): visits, each
        arm's visit means with their CIs (``result.visit_means``), labels and direction.
    arms : (control, treatment), optional
        Arm labels in legend order (the first gets the control colour); default the labels
        in order of first appearance.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        One ``Line2D`` with ``gid="pair"`` per participant with both visits scored (colour of
        the arm), and per arm one mean line (gid ``"arm_mean"``) with CI bars (gid
        ``"mean_ci"``) beside the visits.

    Examples
    --------
    >>> ax = arm_slope_plot(scored, "fss_mean", result.paired)  # doctest: +SKIP
    """
    arms = arm_labels(scored, arms)
    visits = list(result_visits(result))
    wide = wide_values(scored, outcome, visits).dropna()
    arm_of = participant_arms(scored).reindex(wide.index)
    info = result_info(result, outcome)
    colours = arm_colours(arms, style)
    own = ax is None
    level = 0.95
    with style_context(style):
        ax = new_axes(ax, style)
        handles = []
        for k, arm in enumerate(arms):
            values = wide[(arm_of == arm).to_numpy()].to_numpy()
            n = values.shape[0]
            if n:
                xs = np.repeat([[0.0], [1.0]], n, axis=1)
                ax.plot(xs, values.T, color=colours[arm], alpha=0.45, lw=0.7, gid="pair",
                        ls=ARM_LINE_STYLES[k % 2])  # fmt: skip
                means = visit_means_of(result, outcome, arm)
                level = float(means["ci_level"].iloc[0])
                off = 0.12 + 0.1 * k
                xm = np.array([-off, 1 + off])
                mean = means["mean"].to_numpy(float)
                ax.plot(xm, mean, "-o" if k == 0 else "--s", color=colours[arm], lw=1.8, ms=4,
                        gid="arm_mean", zorder=4)  # fmt: skip
                low, high = means["ci_low"].to_numpy(float), means["ci_high"].to_numpy(float)
                ok = np.isfinite(low) & np.isfinite(high)
                ax.vlines(xm[ok], low[ok], high[ok], color=colours[arm], lw=1.2, gid="mean_ci",
                          zorder=4)  # fmt: skip
            handles.append(Line2D([], [], color=colours[arm], lw=1.5, ls=ARM_LINE_STYLES[k % 2],
                                  marker="os"[k % 2], ms=4, label=f"{arm} (n = {n})"))  # fmt: skip
        ax.set_xticks([0, 1], visit_names(visits))
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylabel(axis_label(info))
        ax.set_title(f"{info.instrument}: arm means, {level_text(level)} CI", loc="left")
        direction_note(ax, info.better)
        tidy_axes(ax)
        finish_axes(ax, own, handles)
    return ax


def adjusted_means_plot(
    adjusted_means: pd.DataFrame,
    outcome: str,
    ax: Axes | None = None,
    *,
    arms_row: Mapping[str, Any] | pd.Series | None = None,
    visit: str | None = None,
    info: Mapping[str, Any] | None = None,
    **style: Any,
) -> Axes:
    """ANCOVA-adjusted mean of each arm with its CI.

    Parameters
    ----------
    adjusted_means : DataFrame
        ``ArmsResult.adjusted_means``: ``outcome``, ``group`` (control first), ``n``,
        ``adjusted_mean``, ``ci_low``, ``ci_high``, ``pre_at``.
    outcome, ax
        The outcome to show; where to draw.
    arms_row : mapping, optional
        The outcome's row of ``ArmsResult.table``; its adjusted difference, CI and p are
        written in the title.
    visit : str, optional
        Name of the follow-up visit, used in the axis label.
    info : mapping, optional
        Outcome -> OutcomeInfo (``PairedResult.info``); the built-in registry by default.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        Per arm one marker (gid ``"adjusted_mean"``) and one CI bar (gid ``"ci"``).

    Notes
    -----
    The adjusted means are the predictions of ``post ~ pre + group`` for each arm at the mean
    pre score of both arms (``pre_at``), with the t-based CI of the prediction.

    Examples
    --------
    >>> ax = adjusted_means_plot(res.adjusted_means, "fss_mean")  # doctest: +SKIP
    """
    rows = adjusted_means[adjusted_means["outcome"].astype(str) == outcome]
    if rows.empty:
        raise StudyDataError(Problem("no adjusted means for this outcome", column=outcome))
    meta = labels(info, outcome)
    arms = [str(g) for g in rows["group"]]
    colours = arm_colours(arms, style)
    own = ax is None
    with style_context(style):
        ax = new_axes(ax, style, height=2.6)
        for x, row in enumerate(rows.to_dict("records")):
            colour = colours[str(row["group"])]
            ax.vlines([x], [row["ci_low"]], [row["ci_high"]], color=colour, lw=1.5, gid="ci")
            ax.plot([x], [row["adjusted_mean"]], "os"[x % 2], color=colour, ms=6,
                    gid="adjusted_mean")  # fmt: skip
        ax.set_xticks(range(len(rows)), [f"{a}\n(n = {int(n)})" for a, n in zip(arms, rows["n"],
                                                                                 strict=True)])  # fmt: skip
        ax.set_xlim(-0.6, len(rows) - 0.4)
        when = f"{visit} " if visit else ""
        pre_at = float(rows["pre_at"].iloc[0])
        ax.set_ylabel(f"Adjusted {when}{axis_label(meta)}")
        title = f"at baseline {fmt_num(pre_at)}"
        if arms_row is not None:
            r = dict(arms_row)
            title = (f"difference {fmt_num(r.get('ancova_diff'))} "
                     f"{fmt_ci(r.get('ancova_ci_low'), r.get('ancova_ci_high'))}, "
                     f"{fmt_p(r.get('ancova_p'), prefix=True)}\n{title}")  # fmt: skip
        ax.set_title(f"{meta.instrument} ANCOVA: {title}", loc="left")
        direction_note(ax, meta.better)
        tidy_axes(ax)
        finish_axes(ax, own)
    return ax


def trajectory_plot(
    scored: pd.DataFrame,
    outcome: str,
    trajectories: pd.DataFrame,
    ax: Axes | None = None,
    *,
    arms: Sequence[str] | None = None,
    individual: bool = True,
    info: Mapping[str, Any] | None = None,
    **style: Any,
) -> Axes:
    """Mean trajectory over the visits with its CI band; individual lines faint behind.

    Parameters
    ----------
    scored, outcome, ax
        As in :func:`arm_slope_plot` (``group`` optional): the participants' faint lines.
    trajectories : DataFrame
        ``VisitsResult.trajectories`` (:func:`msrelax_stats.stats.visits.mean_trajectories`):
        ``outcome``, ``group`` (``"all"`` or an arm), ``time``, ``n``, ``mean``, ``ci_low``,
        ``ci_high``, ``ci_level``, in visit order: the means and bands drawn.
    arms : sequence of str, optional
        Arm labels (control first): one trajectory per arm. Default: one per arm of
        ``trajectories`` when it has two, else one trajectory of everybody.
    individual : bool
        Draw each participant's values (gid ``"individual"``, one line per participant with
        at least one scored visit; a participant with a missing visit keeps the others).
    info : mapping, optional
        Outcome -> OutcomeInfo (``PairedResult.info``); the built-in registry by default.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        Per arm one mean line (gid ``"trajectory"``, label = the arm) and one band
        (gid ``"ci_band"``).

    Notes
    -----
    The mixed model, not this picture, is the inference.

    Examples
    --------
    >>> ax = trajectory_plot(scored, "fss_mean", visits_result.trajectories)  # doctest: +SKIP
    """
    rows = trajectories[trajectories["outcome"].astype(str) == outcome]
    if rows.empty:
        raise StudyDataError(Problem("no trajectories for this outcome", column=outcome))
    visits = list(dict.fromkeys(rows["time"].astype(str)))
    wide = wide_values(scored, outcome, visits)
    wide = wide[wide.notna().any(axis=1)]
    groups = [g for g in dict.fromkeys(rows["group"].astype(str)) if g != "all"]
    if arms is None:
        arms = groups if len(groups) == 2 else ["all"]
    arms = [str(a) for a in arms]
    arm_of = participant_arms(scored).reindex(wide.index) if arms != ["all"] else None
    colours = arm_colours(arms, style)
    meta = labels(info, outcome)
    x = np.arange(len(visits), dtype=float)
    own = ax is None
    with style_context(style):
        ax = new_axes(ax, style)
        handles = []
        for k, arm in enumerate(arms):
            part = wide if arm_of is None else wide[(arm_of == arm).to_numpy()]
            colour = colours[arm]
            if individual and len(part):
                ax.plot(x, part.to_numpy().T, color=colour, alpha=0.18, lw=0.6, marker="o",
                        ms=1.2, gid="individual", zorder=1)  # fmt: skip
            at = rows[rows["group"].astype(str) == arm]
            at = at.set_index(at["time"].astype(str)).reindex(visits)
            mean = at["mean"].to_numpy(float)
            dodge = (k - (len(arms) - 1) / 2) * 0.04
            ax.fill_between(x + dodge, at["ci_low"].to_numpy(float), at["ci_high"].to_numpy(float),
                            color=colour, alpha=0.2, lw=0, gid="ci_band", zorder=2)  # fmt: skip
            style_k = ARM_LINE_STYLES[k % 2]
            ax.plot(x + dodge, mean, color=colour, lw=1.8, ls=style_k, marker="os"[k % 2], ms=4,
                    gid="trajectory", label=arm, zorder=3)  # fmt: skip
            name = "everybody" if arm == "all" else arm
            handles.append(Line2D([], [], color=colour, lw=1.8, ls=style_k, marker="os"[k % 2],
                                  ms=4, label=f"{name} (n = {len(part)})"))  # fmt: skip
        ax.set_xticks(x, visit_names(visits))
        ax.set_xlim(-0.3, len(visits) - 0.7)
        ax.set_ylabel(axis_label(meta))
        ax.set_title(f"{meta.instrument}: mean and {level_text(rows['ci_level'].iloc[0])} CI "
                     "per visit", loc="left")  # fmt: skip
        direction_note(ax, meta.better)
        tidy_axes(ax)
        finish_axes(ax, own, handles)
    return ax


def dose_response_plot(
    result: Any,
    outcome: str,
    ax: Axes | None = None,
    *,
    info: Mapping[str, Any] | None = None,
    **style: Any,
) -> Axes:
    """Change in an outcome against adherence, with the OLS line and its CI band.

    Parameters
    ----------
    result : DoseResponseResult
        :func:`msrelax_stats.stats.diary.dose_response`: the participants' changes and doses
        (``data``), the outcome's row of ``table`` (Spearman's rho and its p go in the title)
        and the fitted line with its confidence band (``band``), all drawn as they are.
    outcome, ax
        Change column (y axis); where to draw.
    info : mapping, optional
        Outcome -> OutcomeInfo (``PairedResult.info``); the built-in registry by default.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        The participants are one collection (gid ``"participants"``, one point per
        participant with both a change and a diary); with at least 3 of them and some spread,
        the OLS line (gid ``"fit"``) and its band (gid ``"ci_band"``).

    Examples
    --------
    >>> ax = dose_response_plot(res, "fss_mean")  # doctest: +SKIP
    """
    table = result.table[result.table["outcome"].astype(str) == outcome]
    if table.empty:
        raise StudyDataError(Problem("no dose-response for this outcome", column=outcome))
    row = table.iloc[0].to_dict()
    predictor = str(row["predictor"])
    _require_columns(result.data, [outcome, predictor])
    both = result.data[[predictor, outcome]].apply(pd.to_numeric, errors="coerce").dropna()
    scale = 100.0 if predictor == "share_practised" else 1.0
    x, y = both[predictor].to_numpy(float) * scale, both[outcome].to_numpy(float)
    band = result.band[result.band["outcome"].astype(str) == outcome]
    meta = labels(info, outcome)
    pal = palette(style)
    own = ax is None
    with style_context(style):
        ax = new_axes(ax, style, height=2.8)
        ax.scatter(x, y, s=12, color=pal["post"], alpha=0.85, lw=0, gid="participants", zorder=3)
        if len(band):
            grid = band["dose"].to_numpy(float) * scale
            ax.fill_between(grid, band["ci_low"].to_numpy(float), band["ci_high"].to_numpy(float),
                            color=pal["reference"], alpha=0.3, lw=0, gid="ci_band",
                            zorder=1)  # fmt: skip
            ax.plot(grid, band["fit"].to_numpy(float), color=pal["estimate"], lw=1.2, gid="fit",
                    zorder=2)  # fmt: skip
        ax.axhline(0, color=pal["reference"], lw=0.8, ls="--", gid="zero")
        xlabel = {
            "share_practised": "Days practised (% of the practice period)",
            "total_minutes": "Total minutes practised",
            "days_practised": "Days practised",
        }.get(predictor, predictor)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(axis_label(meta, prefix="Change in "))
        ax.set_title(f"{meta.instrument}: Spearman rho = {fmt_num(row.get('spearman_rho'))}, "
                     f"{fmt_p(row.get('spearman_p'), prefix=True)}\nn = {x.size}",
                     loc="left")  # fmt: skip
        direction_note(ax, meta.better, change=True)
        tidy_axes(ax)
        finish_axes(ax, own)
    return ax
