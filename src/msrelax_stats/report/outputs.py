"""The report's files: figures, Table 2 in every format, report.html."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from msrelax_stats.figures.save import render_figure, save_figure, save_figures
from msrelax_stats.report.gallery import FigureSpec, study_figures
from msrelax_stats.report.html import write_report
from msrelax_stats.report.options import ReportOptions
from msrelax_stats.report.tables import table2, to_csv, to_html, to_latex, to_markdown

__all__ = ["write_outputs", "write_table2"]


def _save_for_report(figure: Figure | Axes, stem: Path, formats: tuple[str, ...],
                     dpi: int) -> tuple[list[Path], Path | bytes | None]:  # fmt: skip
    """Save one figure: the files, and what the report embeds: the PNG file, or without one
    among the formats, the figure rendered as PNG at 150 dpi."""
    paths = save_figure(figure, stem, formats, dpi)
    if "png" in formats:
        return paths, next((path for path in paths if path.suffix == ".png"), None)
    return paths, render_figure(figure, ("png",), 150)["png"]


def write_outputs(out_dir: str | Path, *, scored: pd.DataFrame, analysis: Any,
                  registry: Any, options: ReportOptions, versions: Mapping[str, str],
                  flow: Mapping[str, Any] | None = None) -> dict[str, Path]:  # fmt: skip
    """Figures, Table 2 and the report of a ``StudyAnalysis``, written into ``out_dir``.

    Writes ``figures/<name>.<fmt>`` for every figure of
    :func:`msrelax_stats.report.gallery.study_figures` in every format (each rendered once),
    ``table2.csv``, ``.md``, ``.tex``, ``.html`` and ``report.html`` (which embeds the bytes
    of the PNG files, no second rendering). The analysis' own tables (``results.csv``, ...)
    and ``results.json`` are the caller's.

    Returns
    -------
    dict of str -> Path
        Every file written, keyed by ``"figures/<name>.<fmt>"``, ``"table2.<ext>"`` and
        ``"report.html"``.
    """
    out = Path(out_dir)
    specs = study_figures(scored, analysis, options.figure_set)
    jobs = [(spec.figure, out / "figures" / spec.name) for spec in specs]
    saved = save_figures(jobs, options.figure_formats, options.dpi, save=_save_for_report)
    written = {f"figures/{path.name}": path for paths, _ in saved for path in paths}
    table = table2(analysis.paired.table, options.decimals,
                   primary=analysis.options.primary_test, info=analysis.info)  # fmt: skip
    written.update(write_table2(out, table, two_arms=analysis.design.two_arms))
    embedded = [FigureSpec(spec.name, spec.caption, embed)
                for spec, (_, embed) in zip(specs, saved, strict=True)]  # fmt: skip
    written["report.html"] = write_report(
        out, scored=scored, analysis=analysis, registry=registry, options=options,
        versions=versions, flow=flow, figures=embedded, table=table,
    )  # fmt: skip
    return written


def table2_caption(two_arms: bool) -> str:
    """The caption of Table 2 in every format."""
    if two_arms:
        return "Table 2. Pre/post comparison within each arm (change = post - pre)."
    return "Table 2. Pre/post comparison (change = post - pre)."


def write_table2(out: Path, table: pd.DataFrame, *, two_arms: bool) -> dict[str, Path]:
    """``table2.csv``, ``.md``, ``.tex`` and ``.html``: the one Table 2 in each format."""
    caption = table2_caption(two_arms)
    written = {}
    for ext in ("csv", "md", "tex", "html"):
        path = out / f"table2.{ext}"
        if ext == "csv":  # inert in a spreadsheet, like every CSV of the output folder
            to_csv(table, path, spreadsheet_safe=True)
        elif ext == "md":
            to_markdown(table, path)
        else:
            (to_latex if ext == "tex" else to_html)(table, path, caption=caption)
        written[f"table2.{ext}"] = path
    return written
