"""Tables, text and the HTML report: what a researcher hands to a journal.

``table2`` and its writers (CSV, Markdown, LaTeX, HTML), ``result_sentence`` and
``methods_paragraph`` (APA style), ``write_report`` (one self-contained ``report.html``) and
``write_outputs`` (figures, tables and the report into one folder); ``DesignResults`` carries
the two-arm, visits and diary analyses into them.
"""

from msrelax_stats.report.designs import DesignResults, DiaryAnalysis
from msrelax_stats.report.gallery import FigureSpec, make_design_figures, make_figures
from msrelax_stats.report.html import software_versions, write_report
from msrelax_stats.report.outputs import write_outputs
from msrelax_stats.report.tables import table2, to_csv, to_html, to_latex, to_markdown
from msrelax_stats.report.text import methods_paragraph, result_sentence

__all__ = [
    "DesignResults",
    "DiaryAnalysis",
    "FigureSpec",
    "make_design_figures",
    "make_figures",
    "methods_paragraph",
    "result_sentence",
    "software_versions",
    "table2",
    "to_csv",
    "to_html",
    "to_latex",
    "to_markdown",
    "write_outputs",
    "write_report",
]
