"""Tables, text and the HTML report: what a researcher hands to a journal.

Everything here reads a :class:`msrelax_stats.stats.analysis.StudyAnalysis` and computes no
statistic of its own: ``table2`` and its writers (CSV, Markdown, LaTeX, HTML),
``result_sentence`` and ``methods_paragraph`` (APA style), ``make_figures`` (the standard
figures), ``write_report`` (one self-contained ``report.html``) and ``write_outputs``
(figures, tables and the report into one folder).
"""

from __future__ import annotations

import importlib
from typing import Any

#: Where each name of the package is defined, imported on first use (as ``msrelax_stats.stats``
#: does): ``msrelax_stats.report.options``, which the analysis reads, then imports no
#: matplotlib, and ``analyze`` can import the report while a second process computes the
#: statistics.
_API = {name: f"msrelax_stats.report.{module}" for name, module in {
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
}.items()}  # fmt: skip

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
