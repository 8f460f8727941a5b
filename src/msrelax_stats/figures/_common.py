"""Shared pieces of the figures: palette, local style, outcome labels, paired data.

Nothing here touches global matplotlib state: figures are made with
:class:`matplotlib.figure.Figure` (not pyplot) and every rcParam we need is set only inside
:func:`style_context` while a figure is drawn.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy import stats

from msrelax_stats.errors import Problem, StudyDataError

__all__ = [
    "OKABE_ITO",
    "COLUMN_WIDTH_IN",
    "OutcomeLabel",
    "outcome_info",
    "axis_label",
    "paired_wide",
    "mean_ci",
    "style_context",
    "new_axes",
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


@dataclass(frozen=True)
class OutcomeLabel:
    """What a figure or table needs to name an outcome (same fields as the registry's)."""

    label: str
    instrument: str
    unit: str
    better: str = "lower"
    mcid: float | None = None
    mcid_kind: str = "points"
    mcid_source: str = ""


_C = "PSQI C"
_FALLBACK: dict[str, OutcomeLabel] = {
    "fss_mean": OutcomeLabel(
        "FSS mean", "FSS", "points, 1-7", "lower", 0.45, "points", "Rooney 2019 (MS)"
    ),
    "psqi_global": OutcomeLabel(
        "PSQI global",
        "PSQI",
        "points, 0-21",
        "lower",
        3.0,
        "points",
        "commonly used; not MS-specific",
    ),
    "psqi_c1": OutcomeLabel(_C + "1 subjective quality", "PSQI", "points, 0-3"),
    "psqi_c2": OutcomeLabel(_C + "2 latency", "PSQI", "points, 0-3"),
    "psqi_c3": OutcomeLabel(_C + "3 duration", "PSQI", "points, 0-3"),
    "psqi_c4": OutcomeLabel(_C + "4 efficiency", "PSQI", "points, 0-3"),
    "psqi_c5": OutcomeLabel(_C + "5 disturbances", "PSQI", "points, 0-3"),
    "psqi_c6": OutcomeLabel(_C + "6 medication", "PSQI", "points, 0-3"),
    "psqi_c7": OutcomeLabel(_C + "7 daytime dysfunction", "PSQI", "points, 0-3"),
    "mfis_total": OutcomeLabel(
        "MFIS total", "MFIS", "points, 0-84", "lower", 4.0, "points", "Rooney 2019 (MS)"
    ),
    "mfis_physical": OutcomeLabel("MFIS physical", "MFIS", "points, 0-36"),
    "mfis_cognitive": OutcomeLabel("MFIS cognitive", "MFIS", "points, 0-40"),
    "mfis_psychosocial": OutcomeLabel("MFIS psychosocial", "MFIS", "points, 0-8"),
    "mfis5_total": OutcomeLabel("MFIS-5 total", "MFIS-5", "points, 0-20"),
    "ess_total": OutcomeLabel("ESS total", "ESS", "points, 0-24"),
    "isi_total": OutcomeLabel("ISI total", "ISI", "points, 0-28"),
    "hads_anxiety": OutcomeLabel("HADS anxiety", "HADS", "points, 0-21"),
    "hads_depression": OutcomeLabel("HADS depression", "HADS", "points, 0-21"),
    "fsmc_total": OutcomeLabel("FSMC total", "FSMC", "points, 20-100"),
    "fsmc_motor": OutcomeLabel("FSMC motor", "FSMC", "points, 10-50"),
    "fsmc_cognitive": OutcomeLabel("FSMC cognitive", "FSMC", "points, 10-50"),
    "psfs_frequency": OutcomeLabel("PSFS frequency", "PSFS", "points, 0-4"),
    "psqi_poor": OutcomeLabel("PSQI poor sleepers (global > 5)", "PSQI", "% of participants"),
    "fss_fatigued": OutcomeLabel("FSS fatigued (mean >= 4)", "FSS", "% of participants"),
    "mfis_fatigued": OutcomeLabel("MFIS fatigued (total >= 38)", "MFIS", "% of participants"),
    "ess_eds": OutcomeLabel("ESS excessive sleepiness (total > 10)", "ESS", "% of participants"),
}


def _fallback(name: str) -> OutcomeLabel:
    if name in _FALLBACK:
        return _FALLBACK[name]
    match = re.fullmatch(r"nrs_(\w+)", name)
    if match:
        what = match.group(1).replace("_", " ")
        return OutcomeLabel(
            f"NRS {what}",
            "NRS",
            "points, 0-10",
            "lower",
            30.0,
            "percent",
            "30 % reduction, usual MS trial responder threshold",
        )
    instrument = name.split("_", 1)[0].upper()
    return OutcomeLabel(name, instrument, "points")


def outcome_info(name: str) -> Any:
    """Label, instrument, unit, better, MCID of an outcome.

    Uses ``msrelax_stats.instruments.registry.outcome_info`` when it knows ``name`` and a
    small local table otherwise (caseness flags, unknown custom scores: the column name
    itself becomes the label). Either way the result has the attributes of
    :class:`OutcomeLabel`.
    """
    try:
        from msrelax_stats.instruments.registry import outcome_info as registry_info
    except ImportError:
        return _fallback(name)
    try:
        return registry_info(name)
    except (KeyError, LookupError, ValueError):
        return _fallback(name)


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


def paired_wide(scored: pd.DataFrame, outcome: str, visits: Sequence[str]) -> pd.DataFrame:
    """Complete pairs of ``outcome``: one row per participant id, one column per visit.

    Pairs are matched by ``id`` (never by row order); participants without a value at both
    visits are left out. Rows are sorted by id.
    """
    _require_columns(scored, ["id", "time", outcome])
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


def mean_ci(values: np.ndarray, ci_level: float = 0.95) -> tuple[float, float, float]:
    """Mean and its t-based CI: mean +- t(1 - alpha/2, n - 1) * SD / sqrt(n)."""
    values = np.asarray(values, dtype=float)
    n = values.size
    mean = float(values.mean()) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf(0.5 + ci_level / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return mean, float(mean - half), float(mean + half)


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
