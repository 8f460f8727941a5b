"""The paper's Table 2, and writers for CSV, Markdown, LaTeX and HTML.

Numbers are rounded for reading here; full precision stays in ``results.csv``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.data.safe import spreadsheet_safe as _inert_table
from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import fmt_ci, fmt_int, fmt_num, fmt_p, is_missing

__all__ = [
    "table2",
    "format_test",
    "latex_escape",
    "to_csv",
    "to_markdown",
    "to_latex",
    "latex_cell",
    "caption_without_number",
    "LATEX_PREAMBLE",
    "to_html",
    "PRIMARY_TESTS",
]

PRIMARY_TESTS = ("t", "wilcoxon")


def _value(row: Mapping[str, Any], key: str) -> Any:
    return row.get(key, np.nan)


def format_test(row: Mapping[str, Any], primary: str = "t", decimals: int = 2) -> str:
    """``"t(30) = -5.10"`` or ``"V = 12"`` (Wilcoxon, R's V = sum of positive ranks)."""
    if primary == "wilcoxon":
        w = _value(row, "w_plus")
        text = fmt_int(w) if not is_missing(w) and float(w).is_integer() else fmt_num(w, 1)
        return f"V = {text}"
    return f"t({fmt_int(_value(row, 'df'))}) = {fmt_num(_value(row, 't'), decimals)}"


def _check_primary(primary: str) -> None:
    if primary not in PRIMARY_TESTS:
        raise ValueError(f"primary must be one of {PRIMARY_TESTS}, not {primary!r}")


def table2(
    results: pd.DataFrame,
    decimals: int = 2,
    *,
    primary: str = "t",
    info: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The paper's Table 2: one row per outcome, every number as text rounded for reading.

    The one Table 2 of a study: ``table2.csv``, ``.md``, ``.tex``, ``.html`` and the table of
    ``report.html`` are this same frame written in each format.

    Parameters
    ----------
    results : DataFrame
        The results table (``results.csv``, columns of STATISTICS.md "Per outcome"); with a
        ``group`` column (a two-arm study's within-arm table), a leading ``Group`` column and
        one block per arm.
    decimals : int
        Decimal places of means, SDs, changes, test statistics and effect sizes.
    primary : {"t", "wilcoxon"}
        The primary test named by the analysis plan: its statistic fills ``Test`` and its p
        fills ``p``.
    info : mapping, optional
        Outcome -> OutcomeInfo (``PairedResult.info``) for the labels; the built-in registry
        by default.

    Returns
    -------
    DataFrame
        Columns (``Group``,) ``Outcome``, ``n``, ``Pre mean (SD)``, ``Post mean (SD)``,
        ``Change [95 % CI]``, ``Test``, ``p``, ``p (Holm)``, ``d_z [95 % CI]`` (the CI level
        follows ``results.ci_level``), all text. ``attrs`` holds ``primary``, ``ci_level``
        and ``outcomes`` (the score column names, in row order).

    Notes
    -----
    Change is post - pre with its t-based CI; d_z = mean change / SD of change with the
    noncentral-t CI. Signs are kept (negative = lower after). p in APA style: ``"< .001"``,
    otherwise three decimals without the leading zero; ``p (Holm)`` adjusts the p of the
    primary test's t-test over the outcomes of the table (within each arm).

    Examples
    --------
    >>> table2(results).iloc[0].to_dict()  # doctest: +SKIP
    {'Outcome': 'FSS mean', 'n': '31', 'Pre mean (SD)': '5.20 (0.90)', ...}
    """
    _check_primary(primary)
    if "outcome" not in results.columns:
        raise StudyDataError(Problem("is not a column of the results table", column="outcome"))
    level = float(results["ci_level"].iloc[0]) if "ci_level" in results and len(results) else 0.95
    ci = f"{level * 100:g} % CI"
    d = decimals
    grouped = "group" in results.columns
    columns = [*(["Group"] if grouped else []), "Outcome", "n", "Pre mean (SD)",
               "Post mean (SD)", f"Change [{ci}]", "Test", "p", "p (Holm)", f"d_z [{ci}]"]  # fmt: skip
    records = []
    for row in results.to_dict("records"):  # one row per outcome (and arm), a handful
        get = row.get
        records.append({
            **({"Group": str(row["group"])} if grouped else {}),
            "Outcome": labels(info, str(row["outcome"])).label,
            "n": fmt_int(get("n")),
            "Pre mean (SD)": f"{fmt_num(get('pre_mean'), d)} ({fmt_num(get('pre_sd'), d)})",
            "Post mean (SD)": f"{fmt_num(get('post_mean'), d)} ({fmt_num(get('post_sd'), d)})",
            f"Change [{ci}]": f"{fmt_num(get('diff_mean'), d)} "
            f"{fmt_ci(get('diff_ci_low'), get('diff_ci_high'), d)}",
            "Test": format_test(row, primary, d),
            "p": fmt_p(get("p_t") if primary == "t" else get("p_wilcoxon")),
            "p (Holm)": fmt_p(get("p_holm")),
            f"d_z [{ci}]": f"{fmt_num(get('d_z'), d)} {fmt_ci(get('d_z_ci_low'), get('d_z_ci_high'), d)}",
        })  # fmt: skip
    table = pd.DataFrame.from_records(records, columns=columns)
    table.attrs.update(
        {"primary": primary, "ci_level": level, "outcomes": [str(o) for o in results["outcome"]]}
    )
    return table


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
    return _write(table.to_csv(index=False, lineterminator="\n"), path)


def _md_cell(value: Any) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(table: pd.DataFrame, path: str | Path | None = None) -> str:
    """A GitHub/pandoc pipe table; ``|`` inside cells is escaped, first column left-aligned.

    Examples
    --------
    >>> print(to_markdown(pd.DataFrame({"Outcome": ["FSS"], "p": ["< .001"]})))
    | Outcome | p |
    | :--- | ---: |
    | FSS | < .001 |
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


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "\u00a0": "~",  # a no-break space ("(n = 32)" in Table 1's headers) is LaTeX's tie
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIAL))


def latex_escape(text: Any) -> str:
    """Escape LaTeX specials in one pass; a minus sign before a number becomes ``$-$``.

    Examples
    --------
    >>> print(latex_escape("50 % & d_z < -0.5"))
    50 \\% \\& d\\_z \\textless{} $-$0.5
    """
    escaped = _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group()], str(text))
    return re.sub(r"(?<![\w.])-(?=\.?\d)", "$-$", escaped)


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
    are escaped (``& % $ # _ { } ~ ^ \\ < >``, a minus sign before a number as ``$-$``),
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
