"""Shared pieces of the design figures (:mod:`msrelax_stats.figures.designs`).

Which arm each participant is in and its colour, the participant x visit table of one score,
the half-width of a t-based CI, visit names for tick labels, and the legend and layout that
finish a figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.figures._common import OKABE_ITO, _require_columns, palette

__all__ = [
    "ARM_PALETTE",
    "arm_colours",
    "arm_labels",
    "finish_axes",
    "participant_arms",
    "visit_names",
    "wide_values",
]

#: Arm colours (control first); override with ``palette={"control": ..., "treatment": ...}``.
ARM_PALETTE = {
    "control": OKABE_ITO["orange"],
    "treatment": OKABE_ITO["blue"],
    "all": OKABE_ITO["black"],
}


def arm_colours(arms: Sequence[str], style: Mapping[str, Any]) -> dict[str, str]:
    """Colour of each arm label: the first is the control role, the second the treatment."""
    pal = {**ARM_PALETTE, **palette(style)}
    roles = ["control", "treatment"] if len(arms) == 2 else ["all"] * len(arms)
    return {str(arm): pal[role] for arm, role in zip(arms, roles, strict=True)}


def arm_labels(scored: pd.DataFrame, arms: Sequence[str] | None) -> list[str]:
    """Arm labels in the given order, else in order of first appearance."""
    if arms is not None:
        return [str(a) for a in arms]
    if "group" not in scored.columns:
        raise StudyDataError(Problem("no 'group' column: the figure needs each participant's arm"))
    return [str(a) for a in pd.unique(scored["group"].dropna().astype(str))]


def wide_values(scored: pd.DataFrame, outcome: str, visits: Sequence[str]) -> pd.DataFrame:
    """Participant x visit values of ``outcome`` (NaN when absent), sorted by id."""
    _require_columns(scored, ["id", "time", outcome])
    sub = pd.DataFrame(
        {
            "id": scored["id"].astype(str).to_numpy(),
            "time": scored["time"].astype(str).to_numpy(),
            "value": pd.to_numeric(scored[outcome], errors="coerce").to_numpy(dtype=float),
        }
    )
    sub = sub[sub["time"].isin([str(v) for v in visits])]
    wide = sub.pivot_table(index="id", columns="time", values="value", aggfunc="first")
    wide = wide.reindex(columns=[str(v) for v in visits])
    wide.columns.name = None
    return wide.sort_index()


def participant_arms(scored: pd.DataFrame) -> pd.Series:
    """Arm of each participant (index: id as text, sorted)."""
    return scored.groupby(scored["id"].astype(str), sort=True)["group"].first().astype(str)


def finish_axes(ax: Axes, own: bool, handles: list[Line2D] | None = None) -> None:
    """Legend under the plot: in the figure's margin when we made the figure, else inside.

    The layout is left to the figure's constrained layout, which runs once when the figure
    is first rendered (:func:`msrelax_stats.figures.save.render_figure`), like every other
    figure of the package.
    """
    if handles and own:
        ax.figure.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    elif handles:
        ax.legend(handles=handles, loc="best")


def visit_names(visits: Sequence[str]) -> list[str]:
    """Visit labels as tick labels (``"week6"`` -> ``"Week6"``)."""
    return [str(v).capitalize() for v in visits]
