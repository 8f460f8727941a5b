"""The participant flow diagram: CONSORT for two arms, the TREND-style flow for one group.

Draws :class:`msrelax_stats.stats.flow.FlowCounts` as boxes and arrows, stage by stage
(enrolment, allocation, each follow-up visit, analysis). Text is wrapped to the width of its
box and every box is as tall as its text, measured with the renderer, so that boxes never
overlap and text always fits; the figure's height follows from the content.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from msrelax_stats.figures._common import COLUMN_WIDTH_IN, OKABE_ITO, labels, style_context
from msrelax_stats.stats.flow import ArmFlow, FlowCounts

__all__ = ["flow_diagram", "flow_box_texts"]

_LABEL_IN = 0.85  # left margin holding the stage names
_GAP_IN = 0.28  # vertical gap between stages (room for the arrow)
_PAD_IN = 0.06  # padding inside a box


def _reasons(reasons: tuple[tuple[str, int], ...]) -> list[str]:
    return [f"- {reason}: {n}" for reason, n in reasons]


def _arm_texts(arm: ArmFlow, counts: FlowCounts,
               info: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:  # fmt: skip
    """(stage, text) of each box of one arm, top to bottom, after enrolment."""
    if arm.arm is None:
        first = f"Started the intervention\n(seen at {counts.baseline}): n = {arm.allocated}"
    else:
        first = f"Allocated to {arm.arm}: n = {arm.allocated}"
    boxes = [("Allocation" if arm.arm is not None else "Intervention", first)]
    for visit in arm.visits:
        lines = [f"Seen at {visit.visit}: n = {visit.seen}"]
        if visit.not_seen:
            lines += [f"Not seen: n = {visit.not_seen}", *_reasons(visit.reasons)]
        boxes.append((f"Follow-up\n{visit.visit}", "\n".join(lines)))
    lines = ["Analysed" + (f" ({counts.analysis})" if counts.analysis else "")]
    for outcome in arm.outcomes:
        label = labels(info, outcome.outcome).label
        lines.append(f"{label}: n = {outcome.analysed}")
        if outcome.excluded:
            lines += [
                f"  excluded: n = {outcome.excluded}",
                *("  " + r for r in _reasons(outcome.reasons)),
            ]
        if outcome.imputed:
            lines += [
                f"  of whom imputed: n = {outcome.imputed}",
                *("  " + r for r in _reasons(outcome.imputed_reasons)),
            ]
    boxes.append(("Analysis", "\n".join(lines)))
    return boxes


def flow_box_texts(counts: FlowCounts, info: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The text of every box: ``{"enrolment": str, "arms": [[(stage, text), ...], ...]}``;
    ``info``: outcome -> OutcomeInfo for the labels (``PairedResult.info``)."""
    enrol = f"Enrolled: n = {counts.enrolled}"
    if counts.no_data:
        enrol += f"\nNo data in the file (not allocated): n = {counts.no_data}"
    return {"enrolment": enrol, "arms": [_arm_texts(a, counts, info) for a in counts.arms]}


def _wrap(text: str, width_chars: int) -> str:
    out = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(line, width_chars, subsequent_indent=indent + "  ") or [""]
    return "\n".join(out)


def flow_diagram(
    counts: FlowCounts,
    *,
    ax: Axes | None = None,
    style: Mapping[str, Any] | None = None,
    info: Mapping[str, Any] | None = None,
) -> Figure:
    """Draw the participant flow (CONSORT for two or more arms, TREND-style for one group).

    Parameters
    ----------
    counts : FlowCounts
        From :func:`msrelax_stats.stats.flow.flow_counts`.
    ax : Axes, optional
        Draw on this Axes (its figure keeps its size; the diagram is scaled into the Axes).
        Default: a new pyplot-free Figure one column wide (one group) or 7 inches (arms),
        as tall as the boxes need.
    style : mapping, optional
        ``fontsize``, ``rc`` and ``palette`` as the other figures (no global rcParams).
    info : mapping, optional
        Outcome -> OutcomeInfo (``PairedResult.info``) for the labels; the built-in registry
        by default.

    Returns
    -------
    Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from msrelax_stats.stats.flow import flow_counts
    >>> t = pd.DataFrame({"id": ["a", "a", "b"], "time": ["pre", "post", "pre"]})
    >>> ledger = pd.DataFrame({"id": ["b"], "outcome": ["fss_mean"], "reason": ["missing visit post"]})
    >>> fig = flow_diagram(flow_counts(t, ledger, outcomes=["fss_mean"]))
    >>> fig.axes[0].get_title()
    ''
    """
    style = dict(style or {})
    texts = flow_box_texts(counts, info)
    n_arms = len(texts["arms"])
    width = 7.0 if n_arms > 1 else max(COLUMN_WIDTH_IN, 4.2)
    with style_context(style):
        own = ax is None
        fig = Figure(figsize=(width, 4.0)) if own else ax.figure
        if own:
            ax = fig.add_axes((0, 0, 1, 1))
        if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
            FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()
        fontsize = float(style.get("fontsize", 7.5))
        column_in = (width - _LABEL_IN) / n_arms
        box_in = column_in - 0.16
        chars = max(18, int(box_in * 72 / (0.56 * fontsize)) - 2)
        ax.set_axis_off()
        ax.set_xlim(0, width)

        def measure(text: str, w_in: float) -> tuple[str, float]:
            wrapped, limit = text, chars
            while True:
                wrapped = _wrap(text, limit)
                artist = ax.text(0, 0, wrapped, fontsize=fontsize, linespacing=1.25)
                box = artist.get_window_extent(renderer)
                artist.remove()
                if box.width / fig.dpi <= w_in - 2 * _PAD_IN or limit <= 12:
                    return wrapped, box.height / fig.dpi + 2 * _PAD_IN
                limit -= 2

        rows: list[tuple[str, list[tuple[float, str, float]]]] = []  # stage, [(x0, text, h)]
        if n_arms == 1:  # one column: the enrolment box lines up with the boxes below it
            enrol_w, enrol_x = box_in, _LABEL_IN + 0.08
        else:
            enrol_w = min(width - _LABEL_IN - 0.2, 3.2)
            enrol_x = _LABEL_IN + (width - _LABEL_IN - enrol_w) / 2
        text, h = measure(texts["enrolment"], enrol_w)
        rows.append(("Enrolment", [(enrol_x, text, h)]))
        for stage_index in range(len(texts["arms"][0])):
            cells = []
            for a, arm_boxes in enumerate(texts["arms"]):
                text, h = measure(arm_boxes[stage_index][1], box_in)
                cells.append((_LABEL_IN + a * column_in + 0.08, text, h))
            rows.append((texts["arms"][0][stage_index][0], cells))
        total = sum(max(h for _, _, h in cells) for _, cells in rows) + _GAP_IN * (len(rows) - 1)
        height = total + 0.2
        if own:
            fig.set_size_inches(width, height)
        ax.set_ylim(0, height)
        colour = dict(OKABE_ITO, **dict(style.get("palette") or {}))
        y = height - 0.1
        previous: list[tuple[float, float, float]] = []  # (x centre, y bottom) of the last row
        for stage, cells in rows:
            row_h = max(h for _, _, h in cells)
            ax.text(0.08, y - row_h / 2, stage, fontsize=fontsize, fontweight="bold",
                    color=colour["blue"], va="center", ha="left")  # fmt: skip
            current = []
            for x0, text, h in cells:
                w = enrol_w if stage == "Enrolment" else box_in
                ax.add_patch(Rectangle((x0, y - h), w, h, fill=True, facecolor="white",
                                       edgecolor="black", linewidth=0.8))  # fmt: skip
                ax.text(x0 + _PAD_IN, y - _PAD_IN, text, fontsize=fontsize, va="top",
                        ha="left", linespacing=1.25)  # fmt: skip
                current.append((x0 + w / 2, y, y - h))
            for i, (cx, top, _) in enumerate(current):
                sources = previous if len(previous) == 1 else previous[i : i + 1]
                for px, _, pbottom in sources:
                    start = (px, pbottom)
                    if abs(px - cx) > 1e-6:  # an elbow: down, across, then the arrow down
                        mid = (pbottom + top) / 2
                        ax.plot([px, px, cx], [pbottom, mid, mid], color="black", linewidth=0.8)
                        start = (cx, mid)
                    ax.add_patch(FancyArrowPatch(start, (cx, top), arrowstyle="-|>",
                                                 mutation_scale=7, linewidth=0.8,
                                                 shrinkA=0, shrinkB=0, color="black"))  # fmt: skip
            previous = current
            y -= row_h + _GAP_IN
        ax.set_gid("flow")
    return fig
