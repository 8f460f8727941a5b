"""The standard set of figures of a study, and embedding figures in HTML.

Three figure sets, which differ only in the outcomes that get figures of their own (every
outcome is always in the forest plot, the PSQI components in the PSQI profile):

``"primary"`` (the default)
    the primary outcomes, :func:`primary_outcomes` (``fss_mean`` and ``psqi_global`` when
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
import re
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
    arm_slope_plot,
    caseness_plot,
    change_distribution,
    dose_response_plot,
    estimation_plot,
    forest_plot,
    outcome_info,
    psqi_profile,
    slope_plot,
    trajectory_plot,
)
from msrelax_stats.figures._common import paired_wide
from msrelax_stats.figures.save import render_figure

__all__ = ["FigureSpec", "FIGURE_SETS", "make_figures", "paired_figures", "summary_figures",
           "draw", "design_figures", "make_design_figures", "figure_data_uri", "main_outcomes",
           "headline_outcomes"]  # fmt: skip

_COMPONENT = re.compile(r"psqi_c\d")

#: Which outcomes get their own figures: the primary outcomes, the headline score of each
#: instrument, or all.
FIGURE_SETS = ("primary", "headline", "all")
#: The primary outcomes of the model study (fatigue and sleep quality), in report order.
PRIMARY = ("fss_mean", "psqi_global")


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report: file stem, caption, and the Figure (or PNG file or bytes, or
    a function of no arguments that draws the Figure)."""

    name: str
    caption: str
    figure: Figure | Axes | Path | bytes | Callable[[], Figure | Axes]


def main_outcomes(results: pd.DataFrame) -> list[str]:
    """Outcomes that get their own figures with ``"all"`` (all but the PSQI components)."""
    return list(
        dict.fromkeys(str(o) for o in results["outcome"] if not _COMPONENT.fullmatch(str(o)))
    )


def headline_outcomes(results: pd.DataFrame) -> list[str]:
    """The headline score of each instrument among the main outcomes, in table order.

    A score is a subscale, and not a headline, when its items are a strict subset of the
    items of another outcome of the same instrument in the table (``mfis_physical`` within
    ``mfis_total``, ``fsmc_motor`` within ``fsmc_total``); disjoint scores (``hads_anxiety``
    and ``hads_depression``, each ``nrs_*``) are all headlines, as are scores of unknown
    instruments.

    Examples
    --------
    >>> table = pd.DataFrame({"outcome": ["fss_mean", "psqi_global", "psqi_c1", "mfis_total",
    ...                                   "mfis_physical", "hads_anxiety", "hads_depression"]})
    >>> headline_outcomes(table)
    ['fss_mean', 'psqi_global', 'mfis_total', 'hads_anxiety', 'hads_depression']
    """
    from msrelax_stats.instruments.registry import all_instruments

    outcomes = main_outcomes(results)
    subscales: set[str] = set()
    for spec in all_instruments():
        scores = [s for s in spec.expanded(outcomes).scores if s.name in outcomes and s.items]
        subscales |= {s.name for s in scores
                      if any(set(s.items) < set(other.items) for other in scores)}  # fmt: skip
    return [o for o in outcomes if o not in subscales]


def primary_outcomes(results: pd.DataFrame) -> list[str]:
    """The primary outcomes among the results: ``fss_mean`` and ``psqi_global`` when present
    (the fatigue and sleep endpoints of the model study), else the first headline outcome.

    Examples
    --------
    >>> table = pd.DataFrame({"outcome": ["psqi_global", "psqi_c1", "ess_total"]})
    >>> primary_outcomes(table)
    ['psqi_global']
    >>> primary_outcomes(pd.DataFrame({"outcome": ["ess_total", "isi_total"]}))
    ['ess_total']
    """
    headline = headline_outcomes(results)
    chosen = [o for o in headline if o in PRIMARY]
    return chosen or headline[:1]


def _figure_outcomes(results: pd.DataFrame, figure_set: str) -> list[str]:
    if figure_set not in FIGURE_SETS:
        raise ValueError(f"figure_set must be one of {FIGURE_SETS}, not {figure_set!r}")
    if figure_set == "primary":
        return primary_outcomes(results)
    return headline_outcomes(results) if figure_set == "headline" else main_outcomes(results)


def _mcid_points(outcome: str, responders: pd.DataFrame | None) -> float | None:
    """MCID in points used for ``outcome``: the responders table first, then the registry."""
    if responders is not None and {"outcome", "mcid", "mcid_kind"} <= set(responders.columns):
        match = responders[responders["outcome"].astype(str) == outcome]
        if not match.empty:
            row = match.iloc[0]
            return float(row["mcid"]) if row["mcid_kind"] == "points" else None
    info = outcome_info(outcome)
    return float(info.mcid) if info.mcid is not None and info.mcid_kind == "points" else None


def paired_figures(
    scored: pd.DataFrame,
    outcomes: Sequence[str],
    responders: pd.DataFrame | None = None,
    *,
    visits: Sequence[str] = ("pre", "post"),
    seed: int = 1,
    n_boot: int = 5000,
    figure_set: str = "primary",
) -> list[FigureSpec]:
    """The figures drawn from the scored table alone, in report order, not drawn yet.

    ``outcomes`` are the outcomes of the results table, in its order; those of ``figure_set``
    with at least one complete pair get an estimation plot, a slope plot (not with
    ``"primary"``: the estimation plot holds the slopes) and the distribution of the changes
    (MCID from ``responders``, else from the registry, when it is in points); then the PSQI
    component profile when the components are present. Each ``FigureSpec.figure`` is a
    function of no arguments that draws the figure (:func:`make_figures` calls them; the
    pipeline has them drawn by the processes that save them, while it computes the
    statistics, since they do not depend on them).
    """
    specs: list[FigureSpec] = []
    for outcome in _figure_outcomes(pd.DataFrame({"outcome": list(outcomes)}), figure_set):
        if outcome not in scored.columns or paired_wide(scored, outcome, visits).empty:
            continue  # no complete pair: nothing to draw (the tables say why)
        label = outcome_info(outcome).label
        mcid = _mcid_points(outcome, responders)
        specs.append(FigureSpec(f"{outcome}_estimation", f"{label}: paired estimation plot "
                     "(one line per participant; bootstrap distribution of the mean change, "
                     f"{n_boot} resamples, seed {seed}).",
                     partial(estimation_plot, scored, outcome, seed=seed, n_boot=n_boot,
                             visits=visits)))  # fmt: skip
        if figure_set != "primary":  # the estimation plot already holds the slopes
            specs.append(FigureSpec(f"{outcome}_slopes", f"{label}: one line per participant "
                         "with both visits; mean and 95 % CI beside each visit.",
                         partial(slope_plot, scored, outcome, visits=visits)))  # fmt: skip
        specs.append(FigureSpec(f"{outcome}_changes", f"{label}: distribution of the changes "
                     "(post - pre)" + ("; dashed line: MCID." if mcid is not None else "."),
                     partial(change_distribution, scored, outcome, mcid=mcid, visits=visits)))  # fmt: skip
    if any(_COMPONENT.fullmatch(str(c)) for c in scored.columns):
        specs.append(FigureSpec("psqi_profile", "PSQI component scores before and after "
                                "(mean and 95 % CI).", partial(psqi_profile, scored, visits=visits)))  # fmt: skip
    return specs


def summary_figures(
    results: pd.DataFrame, caseness: pd.DataFrame | None = None, *, figure_set: str = "primary"
) -> list[FigureSpec]:
    """The figures of the results tables, in report order, not drawn yet: the forest plot of
    d_z (every outcome) and one caseness plot per row of ``caseness`` (with ``"primary"``,
    those of the instruments of the primary outcomes). Each ``FigureSpec.figure`` is a
    function of no arguments that draws the figure.

    A within-arm table (a ``group`` column: a two-arm study) gets the forest plot only, with
    the two arms side by side for each outcome.
    """
    specs: list[FigureSpec] = []
    by_arm = "group" in results.columns
    if len(results):
        caption = ("Effect sizes d_z with CIs within each arm (first against last visit), all "
                   "outcomes." if by_arm else "Effect sizes d_z with CIs, all outcomes.")  # fmt: skip
        specs.append(FigureSpec("forest_d_z", caption, partial(forest_plot, results)))
    if caseness is not None and not by_arm:
        outcomes = _figure_outcomes(results, figure_set)
        instruments = {outcome_info(o).instrument for o in outcomes}
        for row in caseness.to_dict("records"):  # one per caseness flag
            if (
                figure_set == "primary"
                and outcome_info(str(row["outcome"])).instrument not in instruments
            ):
                continue
            label = outcome_info(str(row["outcome"])).label
            specs.append(FigureSpec(f"{row['outcome']}_caseness", f"{label} before and after, "
                                    "with the exact McNemar test.", partial(caseness_plot, row)))  # fmt: skip
    return specs


def draw(spec: FigureSpec) -> FigureSpec:
    """``spec`` with its figure drawn (a Figure) when it holds a function that draws it."""
    figure = spec.figure
    if callable(figure):
        figure = figure()
    if isinstance(figure, Axes):
        figure = figure.figure
    return FigureSpec(spec.name, spec.caption, figure)


def make_figures(
    scored: pd.DataFrame,
    results: pd.DataFrame,
    caseness: pd.DataFrame | None = None,
    responders: pd.DataFrame | None = None,
    *,
    visits: Sequence[str] = ("pre", "post"),
    seed: int = 1,
    n_boot: int = 5000,
    figure_set: str = "primary",
) -> list[FigureSpec]:
    """Every standard figure of a study, drawn, in report order.

    Per outcome of ``figure_set`` (:func:`primary_outcomes` by default,
    :func:`headline_outcomes` with ``"headline"``, every main outcome with ``"all"``):
    estimation plot, slope plot and change distribution (MCID from ``responders`` or the
    registry when it is in points); then the PSQI component profile when the components are
    present, the forest plot of d_z (every outcome), and the caseness plots
    (:func:`paired_figures` and :func:`summary_figures`).

    Examples
    --------
    >>> specs = make_figures(scored, result.table, result.caseness)  # doctest: +SKIP
    >>> [s.name for s in specs][:2]  # doctest: +SKIP
    ['fss_mean_estimation', 'fss_mean_changes']
    """
    outcomes = [str(o) for o in results["outcome"]] if "outcome" in results else []
    specs = paired_figures(scored, outcomes, responders, visits=visits, seed=seed,
                           n_boot=n_boot, figure_set=figure_set)  # fmt: skip
    specs += summary_figures(results, caseness, figure_set=figure_set)
    return [draw(spec) for spec in specs]


def _has_row(frame: pd.DataFrame | None, outcome: str, column: str) -> bool:
    if frame is None or frame.empty or column not in frame.columns:
        return False
    rows = frame[frame["outcome"].astype(str) == outcome]
    return bool(len(rows)) and bool(pd.to_numeric(rows[column], errors="coerce").notna().any())


def design_figures(
    scored: pd.DataFrame, results: pd.DataFrame, designs: Any, figure_set: str = "primary"
) -> list[FigureSpec]:
    """Figures of the designs beyond one group, per outcome of ``figure_set``, in report
    order, not drawn yet (each ``FigureSpec.figure`` is a function of no arguments that draws
    it; :func:`make_design_figures` draws them).

    With two arms: slopes coloured by arm (first vs last visit) and the ANCOVA-adjusted means;
    with more than two visits: the mean trajectories (per arm with two arms); with a diary:
    the dose-response scatter. ``designs`` is a :class:`msrelax_stats.report.designs.
    DesignResults` (None gives no figure).
    """
    if designs is None or not designs.active:
        return []
    first, last = designs.paired_visits
    arms = list(designs.arms) if designs.arms else None
    arms_res, visits_res = designs.arms_result, designs.visits_result
    dose = designs.diary.dose_response if designs.diary is not None else None
    level = _level(results)
    specs: list[FigureSpec] = []
    for outcome in _figure_outcomes(results, figure_set):
        if outcome not in scored.columns:
            continue
        label = outcome_info(outcome).label
        if arms is not None:
            specs.append(FigureSpec(f"{outcome}_arm_slopes", f"{label}: one line per participant "
                                    f"with both {first} and {last}, coloured by arm; arm means "
                                    f"with {level * 100:g} % CIs beside the visits.",
                                    partial(arm_slope_plot, _slim(scored, outcome), outcome,
                                            (first, last), arms=arms, ci_level=level)))  # fmt: skip
        if arms_res is not None and _has_row(arms_res.adjusted_means, outcome, "adjusted_mean"):
            row = arms_res.table[arms_res.table["outcome"].astype(str) == outcome].iloc[0]
            specs.append(FigureSpec(f"{outcome}_adjusted_means", f"{label} at {last}: ANCOVA-"
                                    f"adjusted mean per arm (at the mean {first} score) with CI.",
                                    partial(adjusted_means_plot, arms_res.adjusted_means,
                                            outcome, arms_row=row, visit=last)))  # fmt: skip
        if visits_res is not None and outcome in designs.visit_outcomes:
            specs.append(FigureSpec(f"{outcome}_trajectories", f"{label}: mean and CI band at "
                                    "each visit over the participants seen" + (" per arm" if arms
                                    else "") + "; each participant's values faint behind.",
                                    partial(trajectory_plot, _slim(scored, outcome), outcome,
                                            designs.visits, arms=arms, ci_level=level)))  # fmt: skip
        if dose is not None and _has_row(dose.table, outcome, "n") and outcome in dose.data:
            row = dose.table[dose.table["outcome"].astype(str) == outcome].iloc[0]
            specs.append(FigureSpec(f"{outcome}_dose_response", f"{label}: change ({last} - "
                                    f"{first}) against the share of days practised, OLS line "
                                    "with its confidence band.",
                                    partial(dose_response_plot, dose.data, outcome, row=row,
                                            ci_level=level)))  # fmt: skip
    return specs


def _slim(scored: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The columns a design figure of ``outcome`` reads: its makers may travel to the figure
    workers by pickle (:meth:`msrelax_stats.figures.save.FigureBatch.add`), so they do not
    carry the whole scored table of a large study."""
    return scored[[c for c in ("id", "time", "group", outcome) if c in scored.columns]]


def make_design_figures(
    scored: pd.DataFrame, results: pd.DataFrame, designs: Any, figure_set: str = "primary"
) -> list[FigureSpec]:
    """The figures of :func:`design_figures`, drawn.

    Examples
    --------
    >>> specs = make_design_figures(scored, result.paired.table, designs)  # doctest: +SKIP
    """
    return [draw(spec) for spec in design_figures(scored, results, designs, figure_set)]


def _level(results: pd.DataFrame) -> float:
    if "ci_level" in results.columns and len(results):
        return float(results["ci_level"].iloc[0])
    return 0.95


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


def as_specs(figures: Sequence[FigureSpec] | Mapping[str, Any]) -> list[FigureSpec]:
    """Accept a list of :class:`FigureSpec` or a mapping name -> Figure/Axes/PNG path."""
    if isinstance(figures, Mapping):
        return [FigureSpec(str(name), str(name), fig) for name, fig in figures.items()]
    return list(figures)
