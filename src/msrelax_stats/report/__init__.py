"""Tables, text and the HTML report: what a researcher hands to a journal.

Everything here reads a :class:`msrelax_stats.stats.analysis.StudyAnalysis` and computes no
statistic of its own: ``table2`` and its writers (CSV, Markdown, LaTeX, HTML),
``result_sentence`` and ``methods_paragraph`` (APA style), ``make_figures`` (the standard
figures), ``write_report`` (one self-contained ``report.html``) and ``write_outputs``
(figures, tables and the report into one folder).
"""

from msrelax_stats.report.formats import to_csv, to_html, to_latex, to_markdown
from msrelax_stats.report.gallery import FigureSpec, make_figures, study_figures
from msrelax_stats.report.html import software_versions, write_report
from msrelax_stats.report.options import ReportOptions
from msrelax_stats.report.outputs import write_outputs
from msrelax_stats.report.tables import table2
from msrelax_stats.report.text import methods_paragraph, result_sentence

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
