"""The report's files: figures (drawn and saved by worker processes), Table 2, report.html.

``analyze`` starts the figures of the scored table (:func:`start_paired_figures`) before it
computes the statistics, which they do not need, and hands them to :func:`write_outputs`,
which adds the figures of the results to the same workers and writes the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from msrelax_stats.data.safe import unique_file_names
from msrelax_stats.figures.save import default_workers, render_figure, save_figure, start_saving
from msrelax_stats.report.designs import DesignResults
from msrelax_stats.report.gallery import (
    FigureSpec,
    design_figures,
    paired_figures,
    summary_figures,
)
from msrelax_stats.report.html import report_template, write_report
from msrelax_stats.report.tables import table2_by_arm, to_csv, to_html, to_latex, to_markdown
from msrelax_stats.report.text import paired_visits, primary_test

__all__ = ["write_outputs", "start_paired_figures", "FiguresInProgress"]


class FiguresInProgress:
    """Figures of the report being drawn and saved into ``out_dir/figures`` by worker
    processes (:func:`msrelax_stats.figures.save.start_saving`) while this process goes on."""

    def __init__(self, specs: Sequence[FigureSpec], out_dir: Path, formats: Sequence[str],
                 dpi: int, workers: int | None = None) -> None:  # fmt: skip
        self.specs: list[FigureSpec] = list(specs)
        self._folder, self._formats, self._dpi = out_dir / "figures", tuple(formats), dpi
        self._names: set[str] = set()  # file names given so far (input-derived: made safe)
        self._stems: list[str] = []  # the file name of each spec
        self.batch = start_saving(self._jobs(specs), formats, dpi, save=_save_for_report,
                                  workers=workers)  # fmt: skip

    def _jobs(self, specs: Sequence[FigureSpec]) -> list[tuple[Any, Path]]:
        names = unique_file_names([spec.name for spec in specs], self._names)
        self._stems += names
        return [(spec.figure, self._folder / name) for spec, name in zip(specs, names, strict=True)]

    def add(self, specs: Sequence[FigureSpec]) -> None:
        """More figures for the same workers (each figure a picklable maker or a Figure)."""
        self.batch.add(self._jobs(specs), self._formats, self._dpi, save=_save_for_report)
        self.specs += list(specs)

    def result(self) -> list[tuple[FigureSpec, list[Path]]]:
        """Wait for the figures: per figure, its spec holding what the report embeds (the PNG
        file, or PNG bytes) and the files written."""
        saved = self.batch.result()
        return [(FigureSpec(stem, spec.caption, embed), paths)
                for spec, stem, (paths, embed) in zip(self.specs, self._stems, saved,
                                                      strict=True)]  # fmt: skip

    def close(self) -> None:
        """Stop the workers (an error elsewhere: the figures are not needed any more)."""
        self.batch.close()


def _save_for_report(figure: Figure | Axes, stem: Path, formats: Sequence[str],
                     dpi: int) -> tuple[list[Path], Path | bytes | None]:  # fmt: skip
    """Save one figure (in a worker process): the files, and what the report embeds: the PNG
    file, or without one among the formats, the figure rendered as PNG at 150 dpi."""
    paths = save_figure(figure, stem, formats, dpi)
    if "png" in formats:
        return paths, next((path for path in paths if path.suffix == ".png"), None)
    return paths, render_figure(figure, ("png",), 150)["png"]


def start_paired_figures(
    out_dir: str | Path,
    scored: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    visits: Sequence[str],
    seed: int = 1,
    figure_set: str = "primary",
    formats: Sequence[str] = ("png",),
    dpi: int = 300,
) -> FiguresInProgress:
    """Start drawing and saving the figures of the scored table alone
    (:func:`msrelax_stats.report.gallery.paired_figures`) into ``out_dir/figures``.

    They do not depend on the statistics, so ``analyze`` has them drawn by worker processes
    while it computes them, and hands the result to :func:`write_outputs` (``started=``).
    ``outcomes`` are those the results table will hold, in its order.
    """
    specs = paired_figures(scored, outcomes, visits=visits, seed=seed, figure_set=figure_set)
    # workers even for a few figures: the figures of the results will be added to them
    return FiguresInProgress(specs, Path(out_dir), formats, dpi, workers=default_workers())


def write_outputs(
    out_dir: str | Path,
    *,
    scored: pd.DataFrame,
    results: pd.DataFrame,
    caseness: pd.DataFrame | None,
    responders: pd.DataFrame | None,
    exclusions: pd.DataFrame | None,
    flow: Mapping[str, Any] | None = None,
    options: Mapping[str, Any],
    versions: Mapping[str, str] | None = None,
    command: str | Sequence[str] = "",
    formats: Sequence[str] = ("png",),
    dpi: int = 300,
    decimals: int = 2,
    designs: DesignResults | None = None,
    started: FiguresInProgress | None = None,
) -> dict[str, Path]:
    """Figures, Table 2 and the report, written into ``out_dir``.

    Writes ``figures/<name>.<fmt>`` for every standard figure (:func:`make_figures`; in a
    two-arm study, instead of the pooled paired figures, the forest plot of the within-arm
    effect sizes with the arms side by side) and every design figure
    (:func:`make_design_figures`) of ``options["figure_set"]`` (``"primary"`` by default,
    ``"headline"`` or ``"all"``) and format, each rendered once; ``table2.csv``, ``table2.md``,
    ``table2.tex``, ``table2.html`` and ``report.html`` (which embeds the bytes of the PNG
    files, no second rendering). ``results.csv``/``results.json`` are the caller's. Arguments
    as in :func:`write_report`; ``formats`` and ``dpi`` as in
    :func:`msrelax_stats.figures.save_figure`; ``started``: the figures of the scored table
    already being saved (:func:`start_paired_figures`), which are then not drawn again.

    Returns
    -------
    dict of str -> Path
        Every file written, keyed by ``"figures/<name>.<fmt>"``, ``"table2.<ext>"`` and
        ``"report.html"``.
    """
    out = Path(out_dir)
    seed, figure_set = int(options.get("seed", 1)), str(options.get("figure_set", "primary"))
    specs = [] if started is not None or "group" in results.columns else paired_figures(
        scored, [str(o) for o in results["outcome"]], responders, visits=paired_visits(options),
        seed=seed, figure_set=figure_set)  # fmt: skip
    if "group" in results.columns:  # two arms: the arm figures, then the within-arm forest
        specs += design_figures(scored, results, designs, figure_set)
        specs += summary_figures(results, caseness, figure_set=figure_set)
    else:
        specs += summary_figures(results, caseness, figure_set=figure_set)
        specs += design_figures(scored, results, designs, figure_set)
    if started is not None:  # the same workers, while they may still draw the first ones
        started.add(specs)
        figures = started
    else:
        figures = FiguresInProgress(specs, out, formats, dpi)
    try:
        tables = _write_table2(out, results, options, decimals)  # while the figures are drawn
        report_template()  # compiled while the figures are drawn, too
        saved = figures.result()
    finally:
        figures.close()
    written = {f"figures/{path.name}": path for _, paths in saved for path in paths}
    written.update(tables)
    embedded = [spec for spec, _ in saved]
    written["report.html"] = write_report(
        out, scored=scored, results=results, caseness=caseness, responders=responders,
        exclusions=exclusions, flow=flow, options=options, versions=versions, command=command,
        figures=embedded, decimals=decimals, designs=designs,
    )  # fmt: skip
    return written


def _write_table2(out: Path, results: pd.DataFrame, options: Mapping[str, Any],
                  decimals: int) -> dict[str, Path]:  # fmt: skip
    """``table2.csv``, ``.md``, ``.tex`` and ``.html``."""
    table = table2_by_arm(results, decimals, primary=primary_test(options))
    caption = "Table 2. Pre/post comparison (change = post - pre)."
    if "group" in results.columns:
        caption = "Table 2. Pre/post comparison within each arm (change = post - pre)."
    written = {}
    for ext, writer in {"csv": to_csv, "md": to_markdown, "tex": to_latex, "html": to_html}.items():
        path = out / f"table2.{ext}"
        if ext in ("tex", "html"):
            writer(table, path, caption=caption)
        elif ext == "csv":  # inert in a spreadsheet, like every CSV of the output folder
            to_csv(table, path, spreadsheet_safe=True)
        else:
            writer(table, path)
        written[f"table2.{ext}"] = path
    return written
