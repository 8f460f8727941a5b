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
from scipy import stats

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.figures._common import (
    _require_columns,
    axis_label,
    new_axes,
    outcome_info,
    palette,
    style_context,
    tidy_axes,
)
from msrelax_stats.figures._designs_common import ARM_PALETTE as ARM_PALETTE
from msrelax_stats.figures._designs_common import (
    arm_colours,
    arm_labels,
    finish_axes,
    participant_arms,
    t_half_width,
    visit_names,
    wide_values,
)
from msrelax_stats.figures._format import fmt_ci, fmt_num, fmt_p

__all__ = ["arm_slope_plot", "adjusted_means_plot", "trajectory_plot", "dose_response_plot"]


def arm_slope_plot(
    scored: pd.DataFrame,
    outcome: str,
    visits: Sequence[str] = ("pre", "post"),
    ax: Axes | None = None,
    *,
    arms: Sequence[str] | None = None,
    ci_level: float = 0.95,
    **style: Any,
) -> Axes:
    """Slope plot of a two-arm study: one line per participant, coloured by arm.

    Parameters
    ----------
    scored, outcome, ax
        Scored long table (``id``, ``time``, ``group``, scores), score column, and where to
        draw (a new one-column Figure when omitted).
    visits : pair of str
        The two visits, in order (the change is the second minus the first).
    arms : (control, treatment), optional
        Arm labels in legend order (the first gets the control colour); default the labels
        in order of first appearance.
    ci_level : float
        Level of the t-based CI of each arm's visit mean.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        One ``Line2D`` with ``gid="pair"`` per participant with both visits scored (colour of
        the arm), and per arm one mean line (gid ``"arm_mean"``) with CI bars (gid
        ``"mean_ci"``) beside the visits.

    Notes
    -----
    The CI of a visit mean is :math:`\\bar x \\pm t_{1-\\alpha/2, n-1} s/\\sqrt n` over the
    arm's complete pairs.

    Examples
    --------
    >>> ax = arm_slope_plot(scored, "fss_mean", ("baseline", "week12"))  # doctest: +SKIP
    """
    arms = arm_labels(scored, arms)
    visits = [str(v) for v in visits[:2]]
    wide = wide_values(scored, outcome, visits).dropna()
    arm_of = participant_arms(scored).reindex(wide.index)
    info = outcome_info(outcome)
    colours = arm_colours(arms, style)
    own = ax is None
    with style_context(style):
        ax = new_axes(ax, style)
        handles = []
        for k, arm in enumerate(arms):
            values = wide[(arm_of == arm).to_numpy()].to_numpy()
            n = values.shape[0]
            if n:
                xs = np.repeat([[0.0], [1.0]], n, axis=1)
                ax.plot(xs, values.T, color=colours[arm], alpha=0.45, lw=0.7, gid="pair")
                mean, sd = values.mean(axis=0), values.std(axis=0, ddof=1) if n > 1 else np.nan
                half = t_half_width(np.broadcast_to(sd, 2), np.array([n, n]), ci_level)
                off = 0.12 + 0.1 * k
                xm = np.array([-off, 1 + off])
                ax.plot(xm, mean, "-o", color=colours[arm], lw=1.8, ms=4, gid="arm_mean",
                        zorder=4)  # fmt: skip
                ok = np.isfinite(half)
                ax.vlines(xm[ok], (mean - half)[ok], (mean + half)[ok], color=colours[arm],
                          lw=1.2, gid="mean_ci", zorder=4)  # fmt: skip
            handles.append(Line2D([], [], color=colours[arm], lw=1.5, label=f"{arm} (n = {n})"))
        ax.set_xticks([0, 1], visit_names(visits))
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylabel(axis_label(info))
        ax.set_title(f"{info.instrument}: arm means, {ci_level * 100:g} % CI", loc="left")
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
    info = outcome_info(outcome)
    arms = [str(g) for g in rows["group"]]
    colours = arm_colours(arms, style)
    own = ax is None
    with style_context(style):
        ax = new_axes(ax, style, height=2.6)
        for x, row in enumerate(rows.to_dict("records")):
            colour = colours[str(row["group"])]
            ax.vlines([x], [row["ci_low"]], [row["ci_high"]], color=colour, lw=1.5, gid="ci")
            ax.plot([x], [row["adjusted_mean"]], "o", color=colour, ms=6, gid="adjusted_mean")
        ax.set_xticks(range(len(rows)), [f"{a}\n(n = {int(n)})" for a, n in zip(arms, rows["n"],
                                                                                 strict=True)])  # fmt: skip
        ax.set_xlim(-0.6, len(rows) - 0.4)
        when = f"{visit} " if visit else ""
        pre_at = float(rows["pre_at"].iloc[0])
        ax.set_ylabel(f"Adjusted {when}{axis_label(info)}")
        title = f"at baseline {fmt_num(pre_at)}"
        if arms_row is not None:
            r = dict(arms_row)
            title = (f"difference {fmt_num(r.get('ancova_diff'))} "
                     f"{fmt_ci(r.get('ancova_ci_low'), r.get('ancova_ci_high'))}, "
                     f"{fmt_p(r.get('ancova_p'), prefix=True)}\n{title}")  # fmt: skip
        ax.set_title(f"{info.instrument} ANCOVA: {title}", loc="left")
        tidy_axes(ax)
        finish_axes(ax, own)
    return ax


def trajectory_plot(
    scored: pd.DataFrame,
    outcome: str,
    visits: Sequence[str],
    ax: Axes | None = None,
    *,
    arms: Sequence[str] | None = None,
    ci_level: float = 0.95,
    individual: bool = True,
    **style: Any,
) -> Axes:
    """Mean trajectory over the visits with its CI band; individual lines faint behind.

    Parameters
    ----------
    scored, outcome, ax
        As in :func:`arm_slope_plot` (``group`` optional).
    visits : sequence of str
        Visit labels in order.
    arms : sequence of str, optional
        Arm labels (control first): one trajectory per arm. Default: one per label of
        ``group`` when it has two, else one trajectory of everybody.
    ci_level : float
        Level of the t-based CI band of each visit mean.
    individual : bool
        Draw each participant's values (gid ``"individual"``, one line per participant with
        at least one scored visit; a participant with a missing visit keeps the others).
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        Per arm one mean line (gid ``"trajectory"``, label = the arm) and one band
        (gid ``"ci_band"``).

    Notes
    -----
    At each visit, the mean over the participants scored at that visit with
    :math:`\\bar x \\pm t_{1-\\alpha/2, n-1} s/\\sqrt n` (as :func:`msrelax_stats.stats.visits.
    mean_trajectories`); the mixed model, not this picture, is the inference.

    Examples
    --------
    >>> ax = trajectory_plot(scored, "fss_mean", ["baseline", "week6", "week12"])  # doctest: +SKIP
    """
    visits = [str(v) for v in visits]
    wide = wide_values(scored, outcome, visits)
    wide = wide[wide.notna().any(axis=1)]
    two = "group" in scored.columns and scored["group"].dropna().nunique() == 2
    if arms is None:
        arms = arm_labels(scored, None) if two else ["all"]
    arms = [str(a) for a in arms]
    arm_of = participant_arms(scored).reindex(wide.index) if arms != ["all"] else None
    colours = arm_colours(arms, style)
    info = outcome_info(outcome)
    x = np.arange(len(visits), dtype=float)
    own = ax is None
    with style_context(style):
        ax = new_axes(ax, style)
        handles = []
        for k, arm in enumerate(arms):
            part = wide if arm_of is None else wide[(arm_of == arm).to_numpy()]
            values = part.to_numpy()
            colour = colours[arm]
            if individual and values.shape[0]:
                ax.plot(x, values.T, color=colour, alpha=0.18, lw=0.6, marker="o", ms=1.2,
                        gid="individual", zorder=1)  # fmt: skip
            n = np.isfinite(values).sum(axis=0)
            with np.errstate(all="ignore"):
                mean = np.where(n > 0, np.nansum(values, axis=0) / np.maximum(n, 1), np.nan)
                sd = pd.DataFrame(values).std(axis=0, ddof=1).to_numpy()
            half = t_half_width(sd, n, ci_level)
            dodge = (k - (len(arms) - 1) / 2) * 0.04
            ax.fill_between(x + dodge, mean - half, mean + half, color=colour, alpha=0.2, lw=0,
                            gid="ci_band", zorder=2)  # fmt: skip
            ax.plot(x + dodge, mean, "-o", color=colour, lw=1.8, ms=4, gid="trajectory",
                    label=arm, zorder=3)  # fmt: skip
            name = "everybody" if arm == "all" else arm
            handles.append(Line2D([], [], color=colour, lw=1.8, marker="o", ms=4,
                                  label=f"{name} (n = {values.shape[0]})"))  # fmt: skip
        ax.set_xticks(x, visit_names(visits))
        ax.set_xlim(-0.3, len(visits) - 0.7)
        ax.set_ylabel(axis_label(info))
        ax.set_title(f"{info.instrument}: mean and {ci_level * 100:g} % CI per visit",
                     loc="left")  # fmt: skip
        tidy_axes(ax)
        finish_axes(ax, own, handles)
    return ax


def dose_response_plot(
    data: pd.DataFrame,
    outcome: str,
    predictor: str = "share_practised",
    ax: Axes | None = None,
    *,
    ci_level: float = 0.95,
    row: Mapping[str, Any] | pd.Series | None = None,
    **style: Any,
) -> Axes:
    """Change in an outcome against adherence, with the OLS line and its CI band.

    Parameters
    ----------
    data : DataFrame
        ``DoseResponseResult.data``: ``id``, one change column per outcome and the
        ``predictor`` column.
    outcome, predictor, ax
        Change column (y axis); adherence column (x axis, ``share_practised`` shown in %);
        where to draw.
    ci_level : float
        Level of the confidence band of the fitted mean.
    row : mapping, optional
        The outcome's row of ``DoseResponseResult.table``: Spearman's rho and its p go in the
        title.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        The participants are one collection (gid ``"participants"``, one point per
        participant with both a change and a diary); with at least 3 of them and some spread,
        the OLS line (gid ``"fit"``) and its band (gid ``"ci_band"``).

    Notes
    -----
    OLS :math:`y = b_0 + b_1 x`; band :math:`\\hat y(x_0) \\pm t_{1-\\alpha/2, n-2}\\,
    s\\sqrt{1/n + (x_0-\\bar x)^2/S_{xx}}` (R ``predict(lm(y ~ x), interval =
    "confidence")``).

    Examples
    --------
    >>> ax = dose_response_plot(res.data, "fss_mean")  # doctest: +SKIP
    """
    _require_columns(data, [outcome, predictor])
    both = data[[predictor, outcome]].apply(pd.to_numeric, errors="coerce").dropna()
    scale = 100.0 if predictor == "share_practised" else 1.0
    x, y = both[predictor].to_numpy(float) * scale, both[outcome].to_numpy(float)
    info = outcome_info(outcome)
    pal = palette(style)
    own = ax is None
    with style_context(style):
        ax = new_axes(ax, style, height=2.8)
        ax.scatter(x, y, s=12, color=pal["post"], alpha=0.85, lw=0, gid="participants", zorder=3)
        n = x.size
        if n >= 3 and np.ptp(x) > 0:
            xbar, sxx = x.mean(), np.sum((x - x.mean()) ** 2)
            slope = np.sum((x - xbar) * (y - y.mean())) / sxx
            intercept = y.mean() - slope * xbar
            s = np.sqrt(np.sum((y - intercept - slope * x) ** 2) / (n - 2))
            grid = np.linspace(x.min(), x.max(), 100)
            fit = intercept + slope * grid
            half = (
                stats.t.ppf(0.5 + ci_level / 2, n - 2)
                * s
                * np.sqrt(1 / n + (grid - xbar) ** 2 / sxx)
            )
            ax.fill_between(grid, fit - half, fit + half, color=pal["reference"], alpha=0.3,
                            lw=0, gid="ci_band", zorder=1)  # fmt: skip
            ax.plot(grid, fit, color=pal["estimate"], lw=1.2, gid="fit", zorder=2)
        ax.axhline(0, color=pal["reference"], lw=0.8, ls="--", gid="zero")
        xlabel = {
            "share_practised": "Days practised (% of the practice period)",
            "total_minutes": "Total minutes practised",
            "days_practised": "Days practised",
        }.get(predictor, predictor)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(axis_label(info, prefix="Change in "))
        title = f"n = {n}"
        if row is not None:
            r = dict(row)
            title = (f"Spearman rho = {fmt_num(r.get('spearman_rho'))}, "
                     f"{fmt_p(r.get('spearman_p'), prefix=True)}; {title}")  # fmt: skip
        ax.set_title(f"{info.instrument}: {title}", loc="left")
        tidy_axes(ax)
        finish_axes(ax, own)
    return ax
