"""The report's files: figures, Table 1 and Table 2 in every format, report.html,
report.docx and tables.xlsx."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from msrelax_stats.data.safe import unique_file_names
from msrelax_stats.figures.save import render_figure, save_figure, save_figures
from msrelax_stats.parallel import split_map
from msrelax_stats.report.formats import (
    caption_without_number,
    to_csv,
    to_html,
    to_latex,
    to_markdown,
)
from msrelax_stats.report.gallery import FigureSpec, flow_figure, study_figures
from msrelax_stats.report.html import figure_context, report_context, write_report
from msrelax_stats.report.manuscript import write_report_docx
from msrelax_stats.report.options import ReportOptions
from msrelax_stats.report.table1 import table1, write_table1
from msrelax_stats.report.tables import table2_of
from msrelax_stats.report.xlsx import write_xlsx

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
                  flow: Mapping[str, Any] | None = None, workers: int = 1,
                  meanwhile: Callable[[], Any] | None = None) -> dict[str, Path]:  # fmt: skip
    """Figures, Table 1, Table 2 and the reports of a ``StudyAnalysis``, written into ``out_dir``.

    Writes ``figures/<name>.<fmt>`` for the participant flow diagram (``figures/flow.*``) and
    every figure of :func:`msrelax_stats.report.gallery.study_figures` in every format (each
    rendered once), ``table1.csv``, ``.md``, ``.tex``, ``.html`` (when the file has baseline
    characteristics; in Word it is in ``report.docx``, as Table 2 is), ``table2.csv``,
    ``.md``, ``.tex``, ``.html``, ``report.html`` (which embeds the bytes of the PNG files, no
    second rendering), ``report.docx`` (the same sections, on ``options.paper``) and
    ``tables.xlsx`` (Table 1, Table 2 and every table of
    :meth:`~msrelax_stats.stats.analysis.StudyAnalysis.tables`, one sheet each, named as the
    CSV files). The analysis' own tables (``results.csv``, ...) and ``results.json`` are the
    caller's: ``meanwhile`` writes them, called before the tables here. With ``workers=2`` a
    forked process saves figures while this one writes the tables and tables.xlsx and makes
    the report's text (:func:`~msrelax_stats.report.html.report_context`, which needs no
    figure), and then both save figures until none is left, and then a forked process writes
    ``report.docx`` while this one writes ``report.html``
    (:func:`msrelax_stats.parallel.split_map`; the same files).

    Returns
    -------
    dict of str -> Path
        Every file written, keyed by ``"figures/<name>.<fmt>"``, ``"table1.<ext>"``,
        ``"table2.<ext>"``, ``"report.html"``, ``"report.docx"`` and ``"tables.xlsx"``.
    """
    out = Path(out_dir)
    flow_spec = flow_figure(analysis)
    specs = [*([flow_spec] if flow_spec else []),
             *study_figures(scored, analysis, options.figure_set)]  # fmt: skip
    names = unique_file_names(spec.name for spec in specs)  # input-derived names made safe
    jobs = [(spec.figure, out / "figures" / name) for spec, name in zip(specs, names, strict=True)]
    done: list[tuple[Any, ...]] = []  # what needs no figure, done while a process saves figures

    def tables() -> None:
        if meanwhile is not None:
            meanwhile()
        written, table, first_table, notes, sheets = _write_tables(out, analysis, options)
        write_xlsx(out / "tables.xlsx", sheets)
        context = report_context(
            scored=scored, analysis=analysis, registry=registry, options=options,
            versions=versions, flow=flow, figures=(), table=table, table1=first_table,
        )  # fmt: skip
        done.append((written, table, first_table, notes, context))

    saved = save_figures(jobs, options.figure_formats, options.dpi, save=_save_for_report,
                         workers=workers, meanwhile=tables)  # fmt: skip
    written, table, first_table, notes, context = done[0]
    written.update({f"figures/{path.name}": path for paths, _ in saved for path in paths})
    embedded = [FigureSpec(name, spec.caption, embed)
                for spec, name, (_, embed) in zip(specs, names, saved, strict=True)]  # fmt: skip
    flow_embedded, gallery = (embedded[0], embedded[1:]) if flow_spec else (None, embedded)
    context.update(figure_context(gallery, flow_embedded))  # the figures' files exist now

    def word() -> Path:
        return write_report_docx(
            out / "report.docx", context, table1=first_table, table2=table,
            table2_caption=caption_without_number(str(table.attrs["caption"])),
            table2_notes=notes, paper=options.paper,
        )  # fmt: skip

    def html() -> Path:
        return write_report(out, context)

    # with two workers, a forked process writes report.docx while this one writes the HTML
    written["report.docx"], written["report.html"] = split_map(_call, [word, html],
                                                               workers=workers)  # fmt: skip
    written["tables.xlsx"] = out / "tables.xlsx"
    return written


def _call(job: Callable[[], Any]) -> Any:
    return job()


def _write_tables(out: Path, analysis: Any, options: ReportOptions) -> tuple[Any, ...]:
    """Table 2 and Table 1 (when the file has baseline characteristics): the files written,
    Table 2, Table 1 (or ``None``), the notes under Table 2 and the sheets of tables.xlsx."""
    table = table2_of(analysis, options.decimals)
    notes = [str(table.attrs["note"])]
    written = write_table2(out, table, notes=notes)
    baseline = analysis.baseline
    first_table = None
    if baseline is not None and baseline.kinds:
        first_table = table1(baseline)
        paths = write_table1(first_table, out, formats=("csv", "md", "tex", "html"))
        written.update({f"table1.{fmt}": path for fmt, path in paths.items()})
    sheets = {**({"table1": first_table} if first_table is not None else {}),
              "table2": table, **{name.removesuffix(".csv"): frame
                                  for name, frame in analysis.tables().items()}}  # fmt: skip
    return written, table, first_table, notes, sheets


def write_table2(out: Path, table: pd.DataFrame, *, notes: Sequence[str] = ()) -> dict[str, Path]:
    """``table2.csv``, ``.md``, ``.tex`` and ``.html``: the one Table 2 in each format, with
    its own caption (``table.attrs["caption"]``; ``notes`` under the LaTeX table)."""
    caption = str(table.attrs["caption"])
    written = {}
    for ext in ("csv", "md", "tex", "html"):
        path = out / f"table2.{ext}"
        if ext == "csv":  # inert in a spreadsheet, like every CSV of the output folder
            to_csv(table, path, spreadsheet_safe=True)
        elif ext == "md":
            to_markdown(table, path)
        elif ext == "tex":
            to_latex(table, path, caption=caption, notes=notes)
        else:
            to_html(table, path, caption=caption)
        written[f"table2.{ext}"] = path
    return written
