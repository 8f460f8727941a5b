"""Writers of every table the report holds (Table 1, Table 2, the supplementary tables): CSV,
Markdown, LaTeX and HTML, each escaping the text of the input for its format
(:mod:`msrelax_stats.data.safe`)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from msrelax_stats.data.safe import csv_quoting, latex_escape, markdown_text
from msrelax_stats.data.safe import spreadsheet_safe as _inert_table

__all__ = [
    "to_csv",
    "to_markdown",
    "to_latex",
    "latex_cell",
    "caption_without_number",
    "LATEX_PREAMBLE",
    "to_html",
]


def _write(text: str, path: str | Path | None) -> str:
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8", newline="\n")
    return text


def to_csv(
    table: pd.DataFrame, path: str | Path | None = None, *, spreadsheet_safe: bool = False
) -> str:
    """CSV text (UTF-8, ``\\n`` line ends, no index); written to ``path`` when given.

    With ``spreadsheet_safe=True`` a text cell starting with ``= + - @``, tab or CR that is not
    a number or a negative estimate with its interval (e.g. ``"=1+1"``, ``"-2+3"``) gets a
    leading apostrophe, so that a spreadsheet shows it as text instead of evaluating it (as
    every CSV ``analyze`` writes; :func:`msrelax_stats.data.safe.inert_cell`).

    Examples
    --------
    >>> print(to_csv(pd.DataFrame({"Change": ["-0.80 [-1.10, -0.50]", "-0.5", "=1+1"]}),
    ...              spreadsheet_safe=True), end="")
    Change
    "-0.80 [-1.10, -0.50]"
    -0.5
    '=1+1
    """
    if spreadsheet_safe:
        table = _inert_table(table)
    text = table.to_csv(index=False, lineterminator="\n", quoting=csv_quoting(table))
    return _write(text, path)


def _md_cell(value: Any) -> str:
    return markdown_text(value)  # < > | ` * _ [ and control characters escaped


def to_markdown(table: pd.DataFrame, path: str | Path | None = None) -> str:
    """A GitHub/pandoc pipe table, first column left-aligned; every cell and header is escaped
    (:func:`msrelax_stats.data.safe.markdown_text`), so input text renders as text.

    Examples
    --------
    >>> print(to_markdown(pd.DataFrame({"Outcome": ["FSS"], "p": ["< .001"]})))
    | Outcome | p |
    | :--- | ---: |
    | FSS | \\< .001 |
    <BLANKLINE>
    """
    columns = [str(c) for c in table.columns]
    lines = ["| " + " | ".join(_md_cell(c) for c in columns) + " |"]
    lines.append(
        "| " + " | ".join(":---" if i == 0 else "---:" for i in range(len(columns))) + " |"
    )
    for row in table.astype(str).itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return _write("\n".join(lines) + "\n", path)


#: Statistics symbols set in italics in LaTeX (APA 7th ed. 6.45): the test statistics before
#: their df or value, n/N/p before "=", "<", "(" or alone, SD and the effect sizes d_z, g_av.
_SYMBOL_RE = re.compile(
    r"(?<![\w\\])(?:(?P<sub>d_z|g_av)|(?P<word>SD)|(?P<test>[tFzVWr])(?=\(\d|\s=)"
    r"|(?P<count>[nNp])(?=\s?[=<>(]|$|[,)]))(?!\w)"
)
_SUBSCRIPTS = {"d_z": "$d_z$", "g_av": r"$g_{\mathrm{av}}$"}
_TABLE_NUMBER_RE = re.compile(r"^\s*Table\s+\w+[.:]\s*")
#: \textwidth and \textheight (pt) of a 10 pt ``article`` on A4; a table whose estimated
#: width exceeds the text width by more than 15 % is set landscape (``sidewaystable``).
_TEXT_WIDTH_PT, _LANDSCAPE_OVER = 345.0, 1.15
LATEX_PREAMBLE = (
    "% Table written by msrelax_stats. Needs in the preamble:\n"
    "%   \\usepackage{booktabs}  % \\toprule, \\midrule, \\bottomrule\n"
    "%   \\usepackage{graphicx}  % \\resizebox: shrinks the table to the line width only when\n"
    "%                          % it is wider\n"
    "%   \\usepackage{rotating}  % sidewaystable, for a table set landscape\n"
    "% The note under the table is a plain paragraph (no threeparttable needed). The caption\n"
    "% carries no number of its own: LaTeX numbers the tables in the order they appear.\n"
)


def latex_cell(text: Any) -> str:
    r"""``text`` escaped for LaTeX (:func:`latex_escape`) with its statistics symbols in italics.

    Examples
    --------
    >>> print(latex_cell("t(30) = -4.24"), latex_cell("p (Holm)"), latex_cell("d_z [95 % CI]"))
    \textit{t}(30) = $-$4.24 \textit{p} (Holm) $d_z$ [95 \% CI]
    >>> print(latex_cell("Sex, n (%)"), latex_cell("Overall (n = 32)"), latex_cell("F"))
    Sex, \textit{n} (\%) Overall (\textit{n} = 32) F
    """
    text, out, at = str(text), [], 0
    for match in _SYMBOL_RE.finditer(text):
        out.append(latex_escape(text[at : match.start()]))
        symbol = match.group()
        out.append(_SUBSCRIPTS.get(symbol, rf"\textit{{{symbol}}}"))
        at = match.end()
    out.append(latex_escape(text[at:]))
    joined = "".join(out)
    return re.sub(r"(?<![\w.$])-(?=\.?\d)", "$-$", joined)  # a sign right after a symbol


def caption_without_number(caption: str) -> str:
    """``caption`` without a leading "Table 2." (LaTeX and Word number the tables themselves).

    Examples
    --------
    >>> caption_without_number("Table 2. Pre/post comparison (change = post - pre).")
    'Pre/post comparison (change = post - pre).'
    """
    return _TABLE_NUMBER_RE.sub("", caption)


def _latex_width_pt(table: pd.DataFrame) -> float:
    """Estimated natural width of the tabular in a 10 pt font: 5 pt per character (digits of
    Computer Modern are 5 pt wide) of each column's longest cell or header (a tabular cell
    does not wrap), plus 12 pt of column separation (510 and 758 pt for Table 1 and Table 2 of the
    one-group example, where pdflatex measures 470 and 722 pt)."""
    return sum(5.0 * max(len(str(v)) for v in [column, *table[column]]) + 12.0
               for column in table.columns)  # fmt: skip


def to_latex(
    table: pd.DataFrame,
    path: str | Path | None = None,
    *,
    caption: str | None = None,
    label: str = "tab:results",
    notes: Sequence[str] = (),
    landscape: bool | None = None,
) -> str:
    """A LaTeX table that compiles in a bare ``article`` with booktabs, graphicx and rotating.

    Parameters
    ----------
    table : DataFrame
        The table (text cells as they read).
    path : str or Path, optional
        Written there when given.
    caption : str, optional
        The title; a leading "Table 2." is dropped (LaTeX numbers the tables itself).
    label : str
        The ``\\label`` to ``\\ref`` the table by.
    notes : sequence of str
        Printed under the table after *Note.* (a plain paragraph).
    landscape : bool, optional
        ``sidewaystable`` (a page of its own, turned); default when the table's estimated
        width is more than 15 % over the text width of A4 portrait.

    Notes
    -----
    A comment at the top names the packages. Every cell, header, the caption and the notes
    are escaped (``& % $ # _ { } ~ ^ \\ < > |`` and control characters, a minus sign before a number as ``$-$``),
    so text from the input file cannot break the document; statistics symbols are set in
    italics (:func:`latex_cell`). The tabular is wrapped in ``\\resizebox`` to the line width
    only when it is wider, so it never runs into the margin; text columns are left-aligned,
    columns of numbers right-aligned.
    """
    from msrelax_stats.report._docx_layout import is_text_column

    columns = [str(c) for c in table.columns]
    cells = table.astype(str)
    spec = "".join(
        "l" if j == 0 or is_text_column(list(cells.iloc[:, j])) else "r"
        for j in range(len(columns))
    )
    head = " & ".join(latex_cell(c) for c in columns) + r" \\"
    body = [" & ".join(latex_cell(v) for v in row) + r" \\"
            for row in cells.itertuples(index=False)]  # fmt: skip
    if landscape is None:
        landscape = _latex_width_pt(table) > _TEXT_WIDTH_PT * _LANDSCAPE_OVER
    env = "sidewaystable" if landscape else "table"
    lines = [LATEX_PREAMBLE.rstrip("\n"), rf"\begin{{{env}}}" + ("" if landscape else "[htbp]"),
             r"\centering"]  # fmt: skip
    title = caption_without_number(caption or "")
    if title:
        lines.append(rf"\caption{{{latex_cell(title)}}}")
    lines.append(rf"\label{{{label}}}")
    lines += [r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{%",
              rf"\begin{{tabular}}{{{spec}}}", r"\toprule", head, r"\midrule", *body,
              r"\bottomrule", r"\end{tabular}%", "}"]  # fmt: skip
    if notes:
        text = " ".join(latex_cell(n) for n in notes)
        lines += [r"\par\smallskip", rf"{{\footnotesize\raggedright\textit{{Note.}} {text}\par}}"]
    lines.append(rf"\end{{{env}}}")
    return _write("\n".join(lines) + "\n", path)


def to_html(
    table: pd.DataFrame,
    path: str | Path | None = None,
    *,
    caption: str | None = None,
    css_class: str = "table2",
) -> str:
    """An HTML ``<table>`` fragment, every header and cell HTML-escaped."""
    esc = html.escape
    lines = [f'<table class="{esc(css_class)}">']
    if caption:
        lines.append(f"<caption>{esc(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f"<th>{esc(str(c))}</th>" for c in table.columns)
                 + "</tr></thead>")  # fmt: skip
    lines.append("<tbody>")
    for row in table.astype(str).itertuples(index=False):
        lines.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return _write("\n".join(lines) + "\n", path)
