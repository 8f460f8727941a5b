"""Tables, text and the HTML report: what a researcher hands to a journal.

Everything here reads a :class:`msrelax_stats.stats.analysis.StudyAnalysis` and computes no
statistic of its own: ``table2`` and its writers (CSV, Markdown, LaTeX, HTML),
``result_sentence`` and ``methods_paragraph`` (APA style), ``make_figures`` (the standard
figures), ``write_report`` (one self-contained ``report.html``) and ``write_outputs``
(figures, tables and the report into one folder).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from msrelax_stats.report.formats import to_csv, to_html, to_latex, to_markdown
    from msrelax_stats.report.gallery import FigureSpec, make_figures, study_figures
    from msrelax_stats.report.html import software_versions, write_report
    from msrelax_stats.report.options import ReportOptions
    from msrelax_stats.report.outputs import write_outputs
    from msrelax_stats.report.tables import table2
    from msrelax_stats.report.text import methods_paragraph, result_sentence

#: Where each name of the package is defined. They are imported on first use, so that
#: ``msrelax_stats.report.options`` (which the analysis reads) does not import matplotlib,
#: and ``analyze`` can import the report while a second process computes the statistics.
_SOURCES = {
    "FigureSpec": "gallery",
    "ReportOptions": "options",
    "make_figures": "gallery",
    "methods_paragraph": "text",
    "result_sentence": "text",
    "software_versions": "html",
    "study_figures": "gallery",
    "table2": "tables",
    "to_csv": "formats",
    "to_html": "formats",
    "to_latex": "formats",
    "to_markdown": "formats",
    "write_outputs": "outputs",
    "write_report": "html",
}


def __getattr__(name: str) -> Any:
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_SOURCES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_SOURCES])


__all__ = [
    "FigureSpec",
    "ReportOptions",
    "make_figures",
    "methods_paragraph",
    "result_sentence",
    "software_versions",
    "study_figures",
    "table2",
    "to_csv",
    "to_html",
    "to_latex",
    "to_markdown",
    "write_outputs",
    "write_report",
]
