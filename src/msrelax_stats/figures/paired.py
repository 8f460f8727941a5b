"""Figures of one paired outcome: slopes, Gardner-Altman estimation plot, changes.

Every function takes ``ax=None`` (or makes its own pyplot-free Figure), draws, and returns the
Axes (or Figure); global matplotlib state is never changed. Style keywords shared by all:
``figsize``, ``fontsize``, ``palette`` (role -> colour, see ``DEFAULT_PALETTE``) and ``rc``
(extra rcParams applied only while drawing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy import stats

from msrelax_stats.figures._common import (
    COLUMN_WIDTH_IN,
    axis_label,
    mean_ci,
    new_axes,
    outcome_info,
    paired_wide,
    palette,
    style_context,
    tidy_axes,
)
from msrelax_stats.figures._format import fmt_ci, fmt_num

__all__ = [
    "BootstrapMeanChange",
    "bootstrap_mean_change",
    "slope_plot",
    "estimation_plot",
    "change_distribution",
]


@dataclass(frozen=True)
class BootstrapMeanChange:
    """Bootstrap of the mean paired change (see :func:`bootstrap_mean_change`)."""

    estimate: float
    distribution: np.ndarray
    ci_low: float
    ci_high: float
    ci_level: float
    method: str
    n_boot: int
    seed: int


def bootstrap_mean_change(
    changes: Sequence[float] | np.ndarray,
    *,
    n_boot: int = 5000,
    seed: int = 1,
    ci_level: float = 0.95,
) -> BootstrapMeanChange:
    """Seeded bootstrap distribution of the mean change with its BCa confidence interval.

    Parameters
    ----------
    changes : array_like
        Paired changes (post - pre), one per complete pair.
    n_boot : int
        Number of resamples of the pairs.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same distribution.
    ci_level : float
        Confidence level of the interval.

    Returns
    -------
    BootstrapMeanChange
        ``distribution`` holds the ``n_boot`` resampled means; ``method`` is ``"BCa"`` (or
        ``"percentile"`` when the bias correction is undefined, e.g. constant changes).

    Notes
    -----
    All resamples are drawn at once (``rng.integers(0, n, (n_boot, n))``). The BCa interval
    (Efron 1987) takes the quantiles :math:`\\Phi(z_0 + (z_0 + z_a)/(1 - a(z_0 + z_a)))` of the
    distribution, with bias :math:`z_0 = \\Phi^{-1}(\\#\\{\\theta^*_b < \\hat\\theta\\}/B)` and
    acceleration :math:`a = \\sum d_i^3 / (6 (\\sum d_i^2)^{3/2})` from the jackknife means
    (:math:`d_i = \\bar\\theta_{(\\cdot)} - \\theta_{(i)}`).

    References
    ----------
    Efron B. Better bootstrap confidence intervals. JASA 1987;82:171-185.

    Examples
    --------
    >>> res = bootstrap_mean_change([-1.0, -0.5, 0.0, -1.5, -0.5], n_boot=2000, seed=1)
    >>> res.ci_low < res.estimate < res.ci_high
    True
    """
    x = np.asarray(changes, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    rng = np.random.default_rng(seed)
    if n < 2:
        nan = float("nan")
        return BootstrapMeanChange(nan, np.full(0, nan), nan, nan, ci_level, "none", n_boot, seed)
    theta = float(x.mean())
    boot = x[rng.integers(0, n, size=(n_boot, n))].mean(axis=1)
    alpha = (1 - ci_level) / 2
    share_below = float(np.mean(boot < theta))
    jack = (x.sum() - x) / (n - 1)
    d = jack.mean() - jack
    denom = 6 * np.sum(d**2) ** 1.5
    if 0 < share_below < 1 and denom > 0:
        z0 = stats.norm.ppf(share_below)
        accel = np.sum(d**3) / denom
        z = stats.norm.ppf([alpha, 1 - alpha])
        levels = stats.norm.cdf(z0 + (z0 + z) / (1 - accel * (z0 + z)))
        method = "BCa"
    else:
        levels = np.array([alpha, 1 - alpha])
        method = "percentile"
    low, high = np.quantile(boot, levels)
    return BootstrapMeanChange(theta, boot, float(low), float(high), ci_level, method, n_boot, seed)


def _visit_names(visits: Sequence[str]) -> list[str]:
    return [str(v).capitalize() for v in visits]


def _draw_slopes(
    ax: Axes, wide: pd.DataFrame, info: Any, pal: dict[str, str], ci_level: float
) -> tuple[float, list[Line2D]]:
    """The pairs and mean +- CI beside each visit.

    One ``LineCollection`` per role (improved, worsened, unchanged; gid ``"pair"``, label the
    role) holding one segment per complete pair: a single artist per role instead of one
    ``Line2D`` per pair, so drawing 10,000 pairs takes well under a second.
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
                                   gid="pair", label=f"_{role}", zorder=2)  # fmt: skip
            ax.add_collection(pairs, autolim=True)
        handles.append(Line2D([], [], color=pal[role], lw=1, label=f"{role} ({k})"))
    means = []
    for j, (x, role) in enumerate(((-0.14, "pre"), (1.14, "post"))):
        mean, low, high = mean_ci(values[:, j], ci_level)
        means.append(mean)
        ax.errorbar(
            [x], [mean], yerr=[[mean - low], [high - mean]], fmt="o", ms=4, capsize=2,
            color=pal[role], gid="mean_ci", zorder=3,
        )  # fmt: skip
    ax.autoscale_view()
    ax.set_xticks([0, 1], _visit_names(wide.columns))
    ax.set_xlim(-0.4, 1.4)
    ax.set_ylabel(axis_label(info))
    tidy_axes(ax)
    return means[0], handles


def slope_plot(
    scored: pd.DataFrame,
    outcome: str,
    visits: Sequence[str] = ("pre", "post"),
    ax: Axes | None = None,
    *,
    ci_level: float = 0.95,
    **style: Any,
) -> Axes:
    """Paired slope plot: one line per complete pair, mean +- CI beside each visit.

    Parameters
    ----------
    scored : DataFrame
        Scored long table (``id``, ``time``, score columns).
    outcome : str
        Score column, e.g. ``"fss_mean"``.
    visits : pair of str
        The two visits, in order.
    ax : Axes, optional
        Where to draw; a new one-column Figure when omitted.
    ci_level : float
        Level of the t-based CI of each visit mean.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        One segment per participant with both visits scored, in one ``LineCollection`` per
        colour (gid ``"pair"``): improved / worsened / unchanged (direction from the
        outcome's ``better``).

    Notes
    -----
    The CI is :math:`\\bar x \\pm t_{1-\\alpha/2, n-1} s/\\sqrt n` over the complete pairs.

    Examples
    --------
    >>> ax = slope_plot(scored, "fss_mean")  # doctest: +SKIP
    >>> ax.figure.savefig("slopes.png", dpi=300)  # doctest: +SKIP
    """
    wide = paired_wide(scored, outcome, visits)
    info = outcome_info(outcome)
    with style_context(style):
        ax = new_axes(ax, style)
        _, handles = _draw_slopes(ax, wide, info, palette(style), ci_level)
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3,
                  handlelength=1.2, columnspacing=0.8)  # fmt: skip
        ax.set_title(f"{info.instrument}: n = {len(wide)} complete pairs", loc="left")
    return ax


def estimation_plot(
    scored: pd.DataFrame,
    outcome: str,
    seed: int = 1,
    n_boot: int = 5000,
    *,
    visits: Sequence[str] = ("pre", "post"),
    ci_level: float = 0.95,
    **style: Any,
) -> Figure:
    """Gardner-Altman paired estimation plot: slopes beside the bootstrap mean change.

    The left axis shows :func:`slope_plot`; the right axis, aligned so that its zero sits at
    the pre mean, shows the bootstrap distribution of the mean change (post - pre) as a half
    violin, the observed mean change (gid ``"estimate"``) and its BCa CI (gid ``"ci"``).

    Parameters
    ----------
    scored, outcome, visits, ci_level
        As in :func:`slope_plot`.
    seed, n_boot
        Bootstrap seed and resamples (see :func:`bootstrap_mean_change`): same seed, same
        figure.
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
    >>> fig = estimation_plot(scored, "psqi_global", seed=1)  # doctest: +SKIP
    """
    wide = paired_wide(scored, outcome, visits)
    info = outcome_info(outcome)
    pal = palette(style)
    change = wide.iloc[:, 1].to_numpy() - wide.iloc[:, 0].to_numpy()
    boot = bootstrap_mean_change(change, n_boot=n_boot, seed=seed, ci_level=ci_level)
    with style_context(style):
        fig = Figure(figsize=style.get("figsize", (COLUMN_WIDTH_IN, 3.0)), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[1.7, 1])
        pre_mean, handles = _draw_slopes(left, wide, info, pal, ci_level)
        fig.legend(handles=handles, loc="outside lower center", ncols=3, handlelength=1.2,
                   columnspacing=0.8)  # fmt: skip
        fig.suptitle(f"{info.instrument}: n = {len(wide)} complete pairs", x=0.02, ha="left",
                     fontsize="medium")  # fmt: skip
        low, high = left.get_ylim()
        right.set_ylim(low - pre_mean, high - pre_mean)
        if boot.distribution.size and np.ptp(boot.distribution) > 0:
            grid = np.linspace(boot.distribution.min(), boot.distribution.max(), 200)
            density = stats.gaussian_kde(boot.distribution)(grid)
            right.fill_betweenx(grid, 0, 0.4 * density / density.max(), color=pal["post"],
                                alpha=0.35, lw=0, gid="bootstrap")  # fmt: skip
        right.plot([0, 0], [boot.ci_low, boot.ci_high], color=pal["estimate"], lw=1.5, gid="ci")
        right.plot([0], [boot.estimate], "o", color=pal["estimate"], ms=4, gid="estimate")
        right.axhline(0, color=pal["reference"], lw=0.8, ls="--", gid="zero")
        right.set_xlim(-0.3, 0.6)
        right.set_xticks([0], ["Post - Pre"])
        right.yaxis.tick_right()
        right.yaxis.set_label_position("right")
        right.set_ylabel(f"Mean change in {info.instrument} ({info.unit.split(',')[0]})")
        right.spines[["top", "left"]].set_visible(False)
        pct = f"{ci_level * 100:g} %"
        right.set_title(
            f"{fmt_num(boot.estimate)}\n{fmt_ci(boot.ci_low, boot.ci_high)}\n{pct} CI ({boot.method})",
            fontsize="small",
        )
    return fig


def change_distribution(
    scored: pd.DataFrame,
    outcome: str,
    mcid: float | None = None,
    ax: Axes | None = None,
    *,
    visits: Sequence[str] = ("pre", "post"),
    seed: int = 1,
    **style: Any,
) -> Axes:
    """Distribution of the paired changes (box + jittered strip) with the MCID marked.

    Parameters
    ----------
    scored, outcome, visits
        As in :func:`slope_plot`.
    mcid : float, optional
        Minimal clinically important difference in the outcome's points (positive number).
        Drawn as a dashed line (gid ``"mcid"``) at ``-mcid`` when lower is better, ``+mcid``
        otherwise. ``None`` draws no MCID line.
    ax : Axes, optional
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
    >>> ax = change_distribution(scored, "fss_mean", mcid=0.45)  # doctest: +SKIP
    """
    wide = paired_wide(scored, outcome, visits)
    info = outcome_info(outcome)
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
        better = "lower" if info.better == "lower" else "higher"
        ax.set_title(f"post - pre, n = {change.size}; {better} is better", loc="left")
        tidy_axes(ax)
        ax.spines["bottom"].set_visible(False)
    return ax
