"""Shared pieces of the figures: palette, local style, outcome labels, paired data.

Nothing here touches global matplotlib state: figures are made with
:class:`matplotlib.figure.Figure` (not pyplot) and every rcParam we need is set only inside
:func:`style_context` while a figure is drawn.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.instruments.registry import DEFAULT, OutcomeInfo
from msrelax_stats.instruments.registry import describe_outcome as labels

__all__ = [
    "OKABE_ITO",
    "COLUMN_WIDTH_IN",
    "LINE_STYLES",
    "axis_label",
    "direction_note",
    "labels",
    "level_text",
    "paired_wide",
    "result_info",
    "result_visits",
    "style_context",
    "new_axes",
    "visit_means_of",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: Roles used by every figure; override any of them with ``palette={...}``.
DEFAULT_PALETTE: dict[str, str] = {
    "pre": OKABE_ITO["orange"],
    "post": OKABE_ITO["blue"],
    "improved": OKABE_ITO["bluish_green"],
    "worsened": OKABE_ITO["vermillion"],
    "unchanged": OKABE_ITO["grey"],
    "estimate": OKABE_ITO["black"],
    "reference": OKABE_ITO["grey"],
    "mcid": OKABE_ITO["reddish_purple"],
}

#: One journal column (inches).
COLUMN_WIDTH_IN = 3.5

_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "axes.linewidth": 0.8,
    "lines.linewidth": 1.0,
    "svg.hashsalt": "msrelax_stats",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}


#: Line style of each role of a paired line, so roles differ without colour vision.
LINE_STYLES: dict[str, Any] = {"improved": "-", "worsened": (0, (4, 2)), "unchanged": (0, (1, 1.5))}


def result_info(result: Any, name: str) -> OutcomeInfo:
    """The :class:`~msrelax_stats.instruments.registry.OutcomeInfo` a result carries for
    ``name`` (``result.info``), else the built-in registry's description."""
    info = getattr(result, "info", None) or {}
    return info[name] if name in info else DEFAULT.describe(name)


def result_visits(result: Any) -> tuple[str, str]:
    """The two visits of a paired result (``result.options["visits"]``)."""
    visits = [str(v) for v in result.options.get("visits", ("pre", "post"))]
    return visits[0], visits[-1]


def visit_means_of(result: Any, outcome: str, group: str | None = None) -> pd.DataFrame:
    """The two rows of ``result.visit_means`` of ``outcome`` (in arm ``group``)."""
    means = result.visit_means
    rows = means[means["outcome"].astype(str) == outcome]
    if group is not None:
        rows = rows[rows["group"].astype(str) == str(group)]
    if len(rows) != 2:
        raise StudyDataError(Problem("has no visit means in the paired result", column=outcome))
    return rows


def level_text(level: Any) -> str:
    """``"95 %"`` from 0.95."""
    return f"{float(level) * 100:g} %"


def direction_note(ax: Axes, better: str, *, change: bool = False, noun: str = "",
                   inside: bool = False) -> None:  # fmt: skip
    """Write the direction of improvement above the top right corner (gid ``"direction"``):
    ``"lower is better"`` with an arrow, or for changes ``"negative change = improvement"``,
    or ``"fewer <noun> is better"``; ``inside`` puts it in the top left corner of the axes
    instead (where a figure keeps that corner free)."""
    lower = better == "lower"
    arrow = "\u2193" if lower else "\u2191"
    if change:
        text = f"{arrow} {'negative' if lower else 'positive'} change = improvement"
    elif noun:
        text = f"{arrow} {'fewer' if lower else 'more'} {noun} = better"
    else:
        text = f"{arrow} {'lower' if lower else 'higher'} is better"
    x, y, ha, va = (0.02, 0.98, "left", "top") if inside else (1.0, 1.0, "right", "bottom")
    ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize="small",
            color=DEFAULT_PALETTE["improved"], gid="direction")  # fmt: skip


def axis_label(info: Any, prefix: str = "", sep: str = " ") -> str:
    """``"FSS mean (points, 1-7)"``: the label always names instrument and unit."""
    label = str(info.label)
    if str(info.instrument).lower() not in label.lower():
        label = f"{info.instrument} {label}"
    text = f"{prefix}{label}" if prefix else label
    return f"{text}{sep}({info.unit})" if info.unit else text


def _require_columns(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise StudyDataError(
            [Problem("is not a column of the scored table", column=c) for c in missing]
        )


def paired_wide(scored: pd.DataFrame, outcome: str, visits: Sequence[str], *,
                group: str | None = None) -> pd.DataFrame:  # fmt: skip
    """Complete pairs of ``outcome``: one row per participant id, one column per visit.

    Pairs are matched by ``id`` (never by row order); participants without a value at both
    visits are left out. Rows are sorted by id. ``group`` keeps the participants of that arm.
    """
    _require_columns(scored, ["id", "time", outcome, *(["group"] if group is not None else [])])
    if group is not None:
        scored = scored.loc[(scored["group"].astype(str) == str(group)).to_numpy()]
    visits = [str(v) for v in visits]
    time = scored["time"].astype(str)
    sub = pd.DataFrame(
        {
            "id": scored["id"].astype(str).to_numpy(),
            "time": time.to_numpy(),
            "value": pd.to_numeric(scored[outcome], errors="coerce")
            .astype("Float64")
            .to_numpy(dtype=float, na_value=np.nan),
        }
    )
    sub = sub[sub["time"].isin(visits)]
    wide = sub.pivot(index="id", columns="time", values="value")
    wide = wide.reindex(columns=visits).dropna()
    wide.columns.name = None
    return wide.astype(float)


def palette(style: Mapping[str, Any]) -> dict[str, str]:
    """The default role colours updated with ``style["palette"]``."""
    return {**DEFAULT_PALETTE, **dict(style.get("palette") or {})}


@contextlib.contextmanager
def style_context(style: Mapping[str, Any]) -> Iterator[None]:
    """Our rcParams (plus ``style["rc"]``) for the duration of one figure only."""
    rc = {**_RC, **dict(style.get("rc") or {})}
    if "fontsize" in style:
        size = float(style["fontsize"])
        rc.update({"font.size": size, "axes.labelsize": size, "axes.titlesize": size})
        rc.update({"xtick.labelsize": size - 1, "ytick.labelsize": size - 1})
    with mpl.rc_context(rc):
        yield


def new_axes(ax: Axes | None, style: Mapping[str, Any], height: float = 3.0) -> Axes:
    """``ax`` itself, or the Axes of a new pyplot-free Figure one column wide."""
    if ax is not None:
        return ax
    fig = Figure(figsize=style.get("figsize", (COLUMN_WIDTH_IN, height)), layout="constrained")
    return fig.add_subplot()


def tidy_axes(ax: Axes) -> None:
    """Hide the top and right spines."""
    ax.spines[["top", "right"]].set_visible(False)
