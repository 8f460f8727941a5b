"""The standard set of figures of a study, and embedding figures in HTML.

Three figure sets, which differ only in the outcomes that get figures of their own (every
outcome is always in the forest plot, the PSQI components in the PSQI profile):

``"primary"`` (the default)
    the primary outcomes, :func:`figure_outcomes` (``fss_mean`` and ``psqi_global`` when
    present): a paired estimation plot (which holds the slope plot) and the distribution of the
    changes each, and the caseness plots of their instruments (poor sleepers, fatigued). That
    is what a results section shows, and it keeps ``analyze`` quick.
``"headline"``
    the headline score of each instrument (``fss_mean``, ``psqi_global``, ``mfis_total``,
    ``hads_anxiety`` and ``hads_depression``, every ``nrs_*``, ...): estimation, slope and
    change plots each, and every caseness plot.
``"all"``
    the same for every outcome but the PSQI components.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from msrelax_stats.figures import (
    adjusted_means_plot,
    arm_estimation_plot,
    arm_forest_plot,
    arm_slope_plot,
    caseness_plot,
    change_distribution,
    dose_response_plot,
    estimation_plot,
    forest_plot,
    psqi_profile,
    slope_plot,
    trajectory_plot,
)
from msrelax_stats.figures._common import labels
from msrelax_stats.figures.flow import flow_diagram
from msrelax_stats.figures.save import render_figure
from msrelax_stats.report.options import FIGURE_SETS, figure_outcomes

__all__ = ["FigureSpec", "FIGURE_SETS", "study_figures", "make_figures", "draw",
           "figure_data_uri", "figure_outcomes", "flow_figure", "png_width_in"]  # fmt: skip


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report: file stem, caption, and the Figure (or PNG file or bytes, or
    a function of no arguments that draws the Figure)."""

    name: str
    caption: str
    figure: Figure | Axes | Path | bytes | Callable[[], Figure | Axes]


def _mcid_points(analysis: Any, outcome: str) -> float | None:
    """The MCID of ``outcome`` when it is in points (the change plot's dashed line)."""
    meta = labels(analysis.info, outcome)
    return float(meta.mcid) if meta.mcid is not None and meta.mcid_kind == "points" else None


def _paired_figures(scored: pd.DataFrame, analysis: Any, outcomes: list[str],
                    figure_set: str) -> list[FigureSpec]:  # fmt: skip
    """Estimation, slope and change plots of a one-group study, then the PSQI profile."""
    paired, info = analysis.paired, analysis.info
    first, last = analysis.design.paired_visits
    pct, n_boot, seed = (f"{analysis.options.ci_level * 100:g} %", analysis.options.n_boot,
                         analysis.options.seed)  # fmt: skip
    specs: list[FigureSpec] = []
    for outcome in outcomes:
        if not int(paired.row(outcome)["n"]):
            continue  # no complete pair: nothing to draw (the tables say why)
        label = labels(info, outcome).label
        bootstrapped = (None, outcome) in paired.bootstrap
        if bootstrapped:
            specs.append(FigureSpec(f"{outcome}_estimation", f"{label}: paired estimation plot "
                         f"(one line per participant; visit means with {pct} t-based CIs; "
                         f"bootstrap distribution of the mean change with its {pct} BCa CI, "
                         f"{n_boot} resamples, seed {seed}).",
                         partial(estimation_plot, scored, outcome, paired)))  # fmt: skip
        if figure_set != "primary" or not bootstrapped:  # else the estimation plot has them
            specs.append(FigureSpec(f"{outcome}_slopes", f"{label}: one line per participant "
                         f"with both visits; mean and {pct} CI beside each visit" + (
                             "." if bootstrapped else " (no bootstrap of the mean change: "
                             "fewer than 3 pairs or every pair changed by the same amount)."),
                         partial(slope_plot, scored, outcome, paired)))  # fmt: skip
        mcid = _mcid_points(analysis, outcome)
        specs.append(FigureSpec(f"{outcome}_changes", f"{label}: distribution of the changes "
                     f"({last} - {first})" + ("; dashed line: MCID." if mcid is not None else "."),
                     partial(change_distribution, scored, outcome, paired, mcid=mcid)))  # fmt: skip
    if any(labels(info, o).role == "component" and o.startswith("psqi_c")
           for o in analysis.outcomes):  # fmt: skip
        specs.append(FigureSpec("psqi_profile", "PSQI component scores before and after "
                                f"(mean and {pct} t-based CI over the complete pairs).",
                                partial(psqi_profile, paired)))  # fmt: skip
    return specs


def _summary_figures(analysis: Any, outcomes: list[str], figure_set: str) -> list[FigureSpec]:
    """The forest plot of d_z (every outcome) and, in one group, the caseness plots (with
    ``"primary"``, those of the instruments of the primary outcomes)."""
    paired, info = analysis.paired, analysis.info
    pct = f"{analysis.options.ci_level * 100:g} %"
    specs: list[FigureSpec] = []
    by_arm = analysis.design.two_arms
    if len(paired.table):
        caption = (f"Effect sizes d_z with {pct} CIs within each arm (first against last visit), "
                   "all outcomes." if by_arm else f"Effect sizes d_z with {pct} CIs, all "
                   "outcomes.")  # fmt: skip
        specs.append(FigureSpec("forest_d_z", caption, partial(forest_plot, paired.table,
                                                               info=info)))  # fmt: skip
    if not by_arm:
        instruments = {labels(info, o).instrument for o in outcomes}
        for row in paired.caseness.to_dict("records"):  # one per caseness flag
            meta = labels(info, str(row["outcome"]))
            if figure_set == "primary" and meta.instrument not in instruments:
                continue
            specs.append(FigureSpec(f"{row['outcome']}_caseness", f"{meta.label} before and "
                                    "after, with the exact McNemar test.",
                                    partial(caseness_plot, row, visits=analysis.design.paired_visits,
                                            info=info)))  # fmt: skip
    return specs


def _design_figures(scored: pd.DataFrame, analysis: Any, outcomes: list[str]) -> list[FigureSpec]:
    """With two arms: the two-group estimation plot of the changes at the endpoint, slopes
    coloured by arm (first visit vs endpoint) and the ANCOVA-adjusted means at the endpoint;
    with more than two visits: the mean trajectories (per arm with two arms); with a diary:
    the dose-response scatter."""
    design, info = analysis.design, analysis.info
    first, last = design.paired_visits
    pct = f"{analysis.options.ci_level * 100:g} %"
    dose = analysis.diary.dose_response if analysis.diary is not None else None
    specs: list[FigureSpec] = []
    for outcome in outcomes:
        if outcome not in scored.columns:
            continue
        label = labels(info, outcome).label
        arms_res = analysis.arms
        if arms_res is not None and (outcome, last) in arms_res.bootstrap:
            n_boot = arms_res.bootstrap[(outcome, last)].n_boot
            specs.append(FigureSpec(f"{outcome}_arm_estimation", f"{label}: change {first} to "
                                    f"{last} (the endpoint) by arm, one point per participant "
                                    f"of the ANCOVA, arm mean change with {pct} CI; right: "
                                    "bootstrap distribution of the difference of mean changes "
                                    f"({design.arms[1]} - {design.arms[0]}) with its {pct} BCa "
                                    f"CI ({n_boot} resamples within each arm, seed "
                                    f"{arms_res.options.get('seed')}).",
                                    partial(arm_estimation_plot, _slim(scored, outcome), outcome,
                                            arms_res, info=info)))  # fmt: skip
        if design.arms is not None and _has_row(analysis.paired.visit_means, outcome, "mean"):
            specs.append(FigureSpec(f"{outcome}_arm_slopes", f"{label}: one line per participant "
                                    f"with both {first} and {last}, coloured by arm; arm means "
                                    f"with {pct} CIs beside the visits.",
                                    partial(arm_slope_plot, _slim(scored, outcome), outcome,
                                            analysis.paired, arms=list(design.arms))))  # fmt: skip
        if arms_res is not None and _has_row(arms_res.adjusted_means, outcome, "adjusted_mean"):
            row = arms_res.row(outcome, last)
            specs.append(FigureSpec(f"{outcome}_adjusted_means", f"{label} at {last}: ANCOVA-"
                                    f"adjusted mean per arm (at the mean {first} score) with "
                                    f"{pct} CI.",
                                    partial(adjusted_means_plot, arms_res.adjusted_means,
                                            outcome, arms_row=row, visit=last, info=info)))  # fmt: skip
        if analysis.visits is not None and outcome in analysis.visit_outcomes:
            specs.append(FigureSpec(f"{outcome}_trajectories", f"{label}: mean and {pct} CI band "
                                    "at each visit over the participants seen" + (" per arm"
                                    if design.arms else "") + "; each participant's values "
                                    "faint behind.",
                                    partial(trajectory_plot, _slim(scored, outcome), outcome,
                                            analysis.visits.trajectories,
                                            arms=list(design.arms) if design.arms else None,
                                            info=info)))  # fmt: skip
        if dose is not None and _has_row(dose.table, outcome, "spearman_rho"):
            specs.append(FigureSpec(f"{outcome}_dose_response", f"{label}: change ({last} - "
                                    f"{first}) against the share of days practised, OLS line "
                                    f"with its {pct} confidence band.",
                                    partial(dose_response_plot, dose, outcome, info=info)))  # fmt: skip
    return specs


def _trial_summary(analysis: Any) -> list[FigureSpec]:
    """The forest plot of the adjusted between-arm differences (every outcome and visit)."""
    arms_res = analysis.arms
    if arms_res is None or arms_res.table.empty:
        return []
    pct = f"{analysis.options.ci_level * 100:g} %"
    first, last = analysis.design.paired_visits
    return [FigureSpec("forest_between_arms", f"Between-arm differences adjusted for {first} "
                       f"(ANCOVA), in residual SDs with exact {pct} CIs, every outcome grouped by "
                       f"the plan's families, at {last} (the endpoint, filled squares) and the "
                       "other follow-up visits; right: the adjusted difference in the "
                       "outcome's own units.",
                       partial(arm_forest_plot, arms_res.table, info=analysis.info))]  # fmt: skip


def study_figures(scored: pd.DataFrame, analysis: Any,
                  figure_set: str = "primary") -> list[FigureSpec]:  # fmt: skip
    """Every figure of a study, in report order, not drawn yet (each ``FigureSpec.figure`` is
    a function of no arguments that draws it; :func:`make_figures` draws them).

    One group: per outcome of ``figure_set`` (:func:`figure_outcomes`) an estimation plot
    (which holds the slopes), a slope plot (not with ``"primary"``) and the distribution of
    the changes; the PSQI profile; the forest plot of d_z (every outcome); the caseness plots;
    then the figures of more visits or a diary. Two arms: the arm figures (two-group
    estimation plot of the changes, slopes by arm, adjusted means, trajectories,
    dose-response), the forest plot of the adjusted between-arm differences, then the
    within-arm forest plot.
    Every number a figure shows is read from ``analysis``.
    """
    outcomes = figure_outcomes(analysis, figure_set)
    if analysis.design.two_arms:
        return (_design_figures(scored, analysis, outcomes) + _trial_summary(analysis)
                + _summary_figures(analysis, outcomes, figure_set))  # fmt: skip
    return (_paired_figures(scored, analysis, outcomes, figure_set)
            + _summary_figures(analysis, outcomes, figure_set)
            + _design_figures(scored, analysis, outcomes))  # fmt: skip


def flow_figure(analysis: Any) -> FigureSpec | None:
    """The participant flow diagram (``figures/flow.*``) of ``analysis.flow``, not drawn yet:
    CONSORT 2010 for two arms, TREND 2004 for one group (None without flow counts)."""
    counts = getattr(analysis, "flow", None)
    if counts is None:
        return None
    guide = "CONSORT 2010" if counts.randomised else "TREND 2004"
    primary = ", ".join(labels(analysis.info, o.outcome).label for o in counts.arms[0].outcomes)
    caption = (f"Participant flow ({guide}): enrolled, "
               + ("allocated to each arm, " if counts.randomised else "")
               + "seen and not seen at each follow-up visit with the reasons, and analysed "
               f"({analysis.design.paired_visits[0]} against {analysis.design.paired_visits[1]}) "
               f"for the primary outcomes ({primary}), with the reasons for exclusion from the "
               "exclusions ledger"
               + ("; by intention to treat, the imputed participants analysed and counted "
                  "per visit imputed." if counts.analysis.startswith("ITT") else "."))  # fmt: skip
    return FigureSpec("flow", caption, partial(flow_diagram, counts, info=analysis.info))


def _has_row(frame: pd.DataFrame | None, outcome: str, column: str) -> bool:
    if frame is None or frame.empty or column not in frame.columns:
        return False
    rows = frame[frame["outcome"].astype(str) == outcome]
    return bool(len(rows)) and bool(pd.to_numeric(rows[column], errors="coerce").notna().any())


def _slim(scored: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The columns a design figure of ``outcome`` reads."""
    return scored[[c for c in ("id", "time", "group", outcome) if c in scored.columns]]


def make_figures(scored: pd.DataFrame, analysis: Any,
                 figure_set: str = "primary") -> list[FigureSpec]:  # fmt: skip
    """The figures of :func:`study_figures`, drawn.

    Examples
    --------
    >>> specs = make_figures(scored, mrs.stats.analyse(scored))  # doctest: +SKIP
    >>> [s.name for s in specs][:2]  # doctest: +SKIP
    ['fss_mean_estimation', 'fss_mean_changes']
    """
    return [draw(spec) for spec in study_figures(scored, analysis, figure_set)]


def draw(spec: FigureSpec) -> FigureSpec:
    """``spec`` with its figure drawn (a Figure) when it holds a function that draws it."""
    figure = spec.figure
    if callable(figure):
        figure = figure()
    if isinstance(figure, Axes):
        figure = figure.figure
    return FigureSpec(spec.name, spec.caption, figure)


def figure_data_uri(
    figure: Figure | Axes | Path | bytes | Callable[[], Figure | Axes], dpi: int = 150
) -> str:
    """``data:image/png;base64,...`` of PNG bytes, a PNG file (read) or a Figure (rendered;
    a function that draws it is called first)."""
    if isinstance(figure, bytes):
        data = figure
    elif isinstance(figure, Path | str):
        data = Path(figure).read_bytes()
    else:
        drawn = figure if isinstance(figure, Figure | Axes) else figure()
        data = render_figure(drawn, ("png",), dpi)["png"]
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def png_width_in(png: bytes) -> float | None:
    """The printed width of PNG bytes in inches: pixels / the dpi written in the file
    (96 when it has none); None when the bytes are not an image.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> round(png_width_in(render_figure(Figure(figsize=(4.2, 3)), ("png",), 300)["png"]), 2)
    4.2
    """
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(png)) as image:
            dpi = float(image.info.get("dpi", (96.0, 96.0))[0]) or 96.0
            return image.width / dpi
    except (OSError, ValueError):  # PIL.UnidentifiedImageError is an OSError
        return None


def as_specs(figures: Sequence[FigureSpec] | Mapping[str, Any]) -> list[FigureSpec]:
    """Accept a list of :class:`FigureSpec` or a mapping name -> Figure/Axes/PNG path."""
    if isinstance(figures, Mapping):
        return [FigureSpec(str(name), str(name), fig) for name, fig in figures.items()]
    return list(figures)
