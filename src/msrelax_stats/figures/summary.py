"""Figures over several outcomes: PSQI component profile, forest plot, caseness.

Same conventions as :mod:`msrelax_stats.figures.paired`: ``ax=None`` in, Axes out, no global
matplotlib state, style keywords ``figsize``, ``fontsize``, ``palette``, ``rc``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
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
    result_info,
    result_visits,
    style_context,
    tidy_axes,
)
from msrelax_stats.figures._designs_common import arm_colours, finish_axes
from msrelax_stats.figures._format import fmt_p

__all__ = ["psqi_profile", "forest_plot", "caseness_plot"]


def psqi_profile(result: Any, ax: Axes | None = None, *, group: str | None = None,
                 **style: Any) -> Axes:  # fmt: skip
    """PSQI component profile: mean +- CI of the seven components at each visit.

    Each component uses its own complete pairs; the means and CIs are those of
    ``result.visit_means`` (the paired analysis). The pre and post series are one errorbar
    line each (gid ``"pre"`` / ``"post"``) with one point per component present.

    Parameters
    ----------
    result : PairedResult
        The paired analysis (:func:`msrelax_stats.compare`) of a table with ``psqi_c1`` ...
        ``psqi_c7``.
    ax : Axes, optional
    group : str, optional
        The arm, for a within-arm result of a two-arm study.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes

    Examples
    --------
    >>> ax = psqi_profile(mrs.compare(scored))  # doctest: +SKIP
    """
    means = result.visit_means
    means = means[means["outcome"].astype(str).str.fullmatch(r"psqi_c[1-7]")]
    if group is not None:
        means = means[means["group"].astype(str) == str(group)]
    present = list(dict.fromkeys(means["outcome"].astype(str)))
    if not present:
        raise StudyDataError(Problem("no PSQI component (psqi_c1 ... psqi_c7) in the result"))
    visits = result_visits(result)
    info = {c: result_info(result, c) for c in present}
    pal = palette(style)
    x = np.arange(len(present), dtype=float)
    with style_context(style):
        ax = new_axes(ax, style, height=2.6)
        for visit, role, shift in ((visits[0], "pre", -0.12), (visits[1], "post", 0.12)):
            rows = means[means["visit"].astype(str) == visit].set_index("outcome").loc[present]
            mean, low, high = (rows[c].to_numpy(dtype=float) for c in ("mean", "ci_low", "ci_high"))
            ax.errorbar(x + shift, mean, yerr=[mean - low, high - mean], fmt="o", ms=3.5,
                        lw=0.8, capsize=2, color=pal[role], gid=role,
                        ls="-" if role == "pre" else "--",
                        label=str(visit).capitalize())  # fmt: skip
        ticks = [info[c].short_label.replace(" ", "\n", 1) for c in present]
        ax.set_xticks(x, ticks, fontsize="small")
        ax.set_ylim(0, 3)
        ax.set_ylabel("PSQI component score (points, 0-3)")
        n = means.drop_duplicates("outcome")["n"].astype(int)
        n_text = f"n = {n.min()}" if n.min() == n.max() else f"n = {n.min()}-{n.max()}"
        ax.set_title(f"Mean, {level_text(means['ci_level'].iloc[0])} CI; {n_text} pairs",
                     loc="left")  # fmt: skip
        ax.legend(loc="upper right", ncols=2, bbox_to_anchor=(1.0, 0.93))
        direction_note(ax, "lower")
        tidy_axes(ax)
    return ax


def forest_plot(
    results: pd.DataFrame,
    ax: Axes | None = None,
    *,
    effect: str = "d_z",
    info: Mapping[str, Any] | None = None,
    **style: Any,
) -> Axes:
    """Forest plot of a paired effect size with its CI, every outcome on one axis.

    Parameters
    ----------
    results : DataFrame
        The results table (``outcome``, ``better``, ``<effect>``, ``<effect>_ci_low``,
        ``<effect>_ci_high``, ``ci_level``), first outcome drawn at the top. With a ``group``
        column of two or more arms (the within-arm table of a two-arm study), each outcome
        gets one interval per arm, side by side, coloured by arm (control first, as in the
        other arm figures) with a legend.
    ax : Axes, optional
    effect : str
        ``"d_z"`` (default), ``"g_av"`` or ``"rank_biserial"``.
    info : mapping, optional
        Outcome -> OutcomeInfo (``PairedResult.info``) for the labels; the built-in registry
        by default.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        The intervals are one ``LineCollection`` (gid ``"ci"``) with one segment per row
        whose CI is defined, the estimates one ``Line2D`` per arm (gid ``"estimate"``). The
        direction of improvement is written on the plot (gid ``"direction"``): one arrow when
        all outcomes share it, one per outcome otherwise. Signs are kept as computed.

    Examples
    --------
    >>> ax = forest_plot(results)  # doctest: +SKIP
    """
    needed = ["outcome", "better", effect, f"{effect}_ci_low", f"{effect}_ci_high"]
    missing = [c for c in needed if c not in results.columns]
    if missing:
        raise StudyDataError([Problem("is not a column of the results table", column=c)
                              for c in missing])  # fmt: skip
    pal = palette(style)
    outcomes = list(dict.fromkeys(str(o) for o in results["outcome"]))
    k = len(outcomes)
    tick_y = np.arange(k, dtype=float)[::-1]
    row_of = dict(zip(outcomes, tick_y, strict=True))
    arms = _arms(results)
    offsets = np.linspace(0.18, -0.18, len(arms)) if len(arms) > 1 else np.zeros(1)
    group = results["group"].astype(str) if len(arms) > 1 else pd.Series("", index=results.index)
    y = np.array([row_of[str(o)] + offsets[arms.index(g)]
                  for o, g in zip(results["outcome"], group, strict=True)])  # fmt: skip
    est = results[effect].to_numpy(dtype=float)
    low = results[f"{effect}_ci_low"].to_numpy(dtype=float)
    high = results[f"{effect}_ci_high"].to_numpy(dtype=float)
    ok = np.isfinite(low) & np.isfinite(high)
    level = float(results["ci_level"].iloc[0]) if "ci_level" in results and len(results) else 0.95
    names = {"d_z": "Cohen's $d_z$", "g_av": "Hedges' $g_{av}$", "rank_biserial": "rank-biserial r"}
    first = results.drop_duplicates("outcome")
    better = dict(zip(first["outcome"].astype(str), first["better"].astype(str), strict=True))
    colours = arm_colours(arms, style) if len(arms) > 1 else {"": pal["estimate"]}
    own = ax is None
    with style_context(style):
        height = 0.9 + (0.24 if len(arms) < 2 else 0.2 + 0.12 * len(arms)) * k
        ax = new_axes(ax, style | {"figsize": style.get("figsize", (COLUMN_WIDTH_IN, height))})
        ax.hlines(y[ok], low[ok], high[ok], color=[colours[g] for g in group[ok]], lw=1.2,
                  gid="ci")  # fmt: skip
        for arm in arms:
            rows = (group == arm).to_numpy()
            ax.plot(est[rows], y[rows], "s", ms=4, gid="estimate", label=arm or None,
                    color=pal["post"] if len(arms) < 2 else colours[arm])  # fmt: skip
        ax.axvline(0, color=pal["reference"], lw=0.8, ls="--", gid="zero")
        ax.set_yticks(tick_y, [labels(info, o).label for o in outcomes])
        ax.set_ylim(-0.7, k - 0.3)
        ax.set_xlabel(f"{names.get(effect, effect)}, {level * 100:g} % CI")
        _mark_direction(ax, [better[o] for o in outcomes], tick_y, pal)
        if len(arms) > 1:  # under the plot when the figure is ours, as in the arm figures
            finish_axes(ax, own, ax.get_legend_handles_labels()[0])
        tidy_axes(ax)
    return ax


def _arms(results: pd.DataFrame) -> list[str]:
    """Arm labels of a within-arm results table in order of appearance; ``[""]`` for one."""
    if "group" not in results.columns:
        return [""]
    arms = [str(a) for a in pd.unique(results["group"].astype(str))]
    return arms if len(arms) > 1 else [""]


def _mark_direction(ax: Axes, better: Sequence[str], y: np.ndarray, pal: Mapping[str, str]) -> None:
    """The direction of improvement: one arrow above the axes, or one label per row."""
    arrow = {"lower": "\u2190 improvement", "higher": "improvement \u2192"}
    if better and all(b == better[0] for b in better):
        left = better[0] == "lower"
        ax.text(0.0 if left else 1.0, 1.01, arrow.get(better[0], ""), transform=ax.transAxes,
                ha="left" if left else "right", va="bottom", color=pal["improved"],
                gid="direction")  # fmt: skip
        return
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    short = {"lower": "\u2190 better", "higher": "better \u2192"}
    for yi, b in zip(y, better, strict=True):  # one label per outcome row
        ax.text(1.01, yi, short.get(b, ""), transform=trans, va="center", fontsize="small",
                color=pal["improved"], gid="direction")  # fmt: skip


def caseness_plot(data: pd.DataFrame | pd.Series | Mapping[str, Any], flag: str | None = None,
                  ax: Axes | None = None, *, visits: Sequence[str] = ("pre", "post"),
                  info: Mapping[str, Any] | None = None, **style: Any) -> Axes:  # fmt: skip
    """Proportion of cases before and after (e.g. poor sleepers) with the McNemar p.

    Parameters
    ----------
    data : Series, mapping or DataFrame
        One row of ``caseness.csv`` (a Series or dict), or the caseness table itself together
        with ``flag`` (the row whose ``outcome`` is ``flag`` is used). Counts and the exact
        McNemar p are read from it (:func:`msrelax_stats.stats.caseness.mcnemar_exact`).
    flag : str, optional
        Caseness column, e.g. ``"psqi_poor"``.
    ax : Axes, optional
    visits : pair of str
        The visit labels under the bars.
    info : mapping, optional
        Outcome -> OutcomeInfo (``PairedResult.info``); the built-in registry by default.
    **style
        ``figsize``, ``fontsize``, ``palette``, ``rc``.

    Returns
    -------
    Axes
        Two bars (gid ``"proportion"``), percent of the complete pairs at each visit, told
        apart by colour and hatching.

    Examples
    --------
    >>> ax = caseness_plot(result.caseness, "psqi_poor")  # doctest: +SKIP
    """
    if isinstance(data, pd.DataFrame):
        if flag is None:
            raise StudyDataError(Problem("caseness_plot needs flag= with a DataFrame"))
        match = data[data["outcome"].astype(str) == flag]
        if match.empty:
            raise StudyDataError(Problem("is not in the caseness table", column=flag))
        row = match.iloc[0].to_dict()
    else:
        row = dict(data)
    meta = labels(info, str(row["outcome"]))
    pal = palette(style)
    n = int(row["n"])
    counts = np.array([row["pre_yes"], row["post_yes"]], dtype=float)
    share = 100 * counts / n if n else np.full(2, np.nan)
    with style_context(style):
        ax = new_axes(ax, style, height=2.6)
        bars = ax.bar([0, 1], share, width=0.55, color=[pal["pre"], pal["post"]],
                      gid="proportion")  # fmt: skip
        bars[1].set_hatch("///")
        bars[1].set_edgecolor("white")
        for x, (c, s) in enumerate(zip(counts, share, strict=True)):  # two bars
            ax.text(x, s + 2, f"{int(c)}/{n}\n({s:.0f} %)", ha="center", va="bottom",
                    fontsize="small")  # fmt: skip
        ax.set_xticks([0, 1], [str(v).capitalize() for v in visits])
        ax.set_ylim(0, 120)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.set_ylabel(axis_label(meta, sep="\n"))
        ax.set_title(
            f"McNemar exact {fmt_p(row['p_mcnemar'], prefix=True)}; "
            f"yes\u2192no {int(row['pre_yes_post_no'])}, no\u2192yes {int(row['pre_no_post_yes'])}",
            loc="left",
            fontsize="small",
        )
        ax.legend(handles=[Line2D([], [], lw=0, label=f"n = {n} complete pairs")],
                  loc="upper right", handlelength=0, bbox_to_anchor=(1.0, 0.93))  # fmt: skip
        direction_note(ax, meta.better, noun="cases", inside=True)
        tidy_axes(ax)
    return ax
