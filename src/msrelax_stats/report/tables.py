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

from msrelax_stats.data.safe import csv_quoting, latex_escape, markdown_text
from msrelax_stats.data.safe import spreadsheet_safe as _inert_table
from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import fmt_ci, fmt_int, fmt_num, fmt_p, is_missing

__all__ = [
    "table2",
    "table2_of",
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
    families: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The paper's Table 2: one row per outcome, every number as text rounded for reading.

    The one Table 2 of a study: ``table2.csv``, ``.md``, ``.tex``, ``.html`` and the table of
    ``report.html`` are this same frame written in each format. The layout follows the
    design, read from ``results``: the paired table of a one-group study, or the trial table
    of a two-arm study (``results`` is the between-arm table, ``ancova_*`` columns).

    Parameters
    ----------
    results : DataFrame
        The paired results table (``results.csv``, columns of STATISTICS.md "Per outcome";
        with a ``group`` column, a leading ``Group`` column and one block per arm), or the
        between-arm table of a two-arm study (``arms.csv``:
        :func:`msrelax_stats.stats.ancova.between_arms` with the plan's ``family`` and
        ``p_adjusted``), of which the endpoint rows are shown.
    decimals : int
        Decimal places of means, SDs, changes, test statistics and effect sizes.
    primary : {"t", "wilcoxon"}
        The primary paired test named by the analysis plan: its statistic fills ``Test`` and
        its p fills ``p`` (paired layout).
    info : mapping, optional
        Outcome -> OutcomeInfo (``PairedResult.info``) for the labels; the built-in registry
        by default.
    families : DataFrame, optional
        ``StudyAnalysis.families`` ((``group``,) ``outcome``, ``family``, ``p_adjusted``):
        with it the paired layout has ``Family`` and ``p (adjusted)`` (the primary test's p
        adjusted within the plan's family) instead of ``p (Holm)``.

    Returns
    -------
    DataFrame
        All text. Paired layout: (``Group``,) ``Outcome``, (``Family``,) ``n``, ``Pre mean
        (SD)``, ``Post mean (SD)``, ``Change [95 % CI]``, ``Test``, ``p``, ``p (adjusted)``
        or ``p (Holm)``, ``d_z [95 % CI]``. Trial layout: ``Outcome``, ``Family``, per arm
        (control first) ``<arm>: n``, ``<arm>: <baseline>`` and ``<arm>: <endpoint>`` (mean
        (SD)), ``<arm>: change [95 % CI]``, then ``Adjusted difference [95 % CI]``,
        ``p``, ``p (adjusted)``, ``Standardised difference [95 % CI]``. The CI level follows
        ``results.ci_level``. ``attrs`` holds ``layout`` (``"paired"``/``"trial"``),
        ``primary``, ``ci_level``, ``outcomes`` (the score column names, in row order),
        ``caption`` and ``note``.

    Notes
    -----
    Paired: change is post - pre with its t-based CI; d_z = mean change / SD of change with
    the noncentral-t CI. Trial: the adjusted difference (treatment - control) of the ANCOVA
    of the endpoint on baseline and arm (and the plan's covariates), its p, the p adjusted
    within the outcome's family, and the standardised difference (adjusted difference /
    residual SD, exact CI); the within-arm changes are description. Signs are kept (negative
    = lower after, or lower in the treatment arm). p in APA style: ``"< .001"``, otherwise
    three decimals without the leading zero. An adjusted p of a family the plan leaves
    unadjusted (exploratory) reads ``"unadjusted"``.

    Examples
    --------
    >>> table2(results).iloc[0].to_dict()  # doctest: +SKIP
    {'Outcome': 'FSS mean', 'n': '31', 'Pre mean (SD)': '5.20 (0.90)', ...}
    """
    _check_primary(primary)
    if "outcome" not in results.columns:
        raise StudyDataError(Problem("is not a column of the results table", column="outcome"))
    level = float(results["ci_level"].iloc[0]) if "ci_level" in results and len(results) else 0.95
    if "ancova_diff" in results.columns:
        return _trial_table2(results, decimals, info, level)
    ci = f"{level * 100:g} % CI"
    d = decimals
    grouped = "group" in results.columns
    adjusted = _family_cells(results, families)
    p_name = "p (adjusted)" if adjusted is not None else "p (Holm)"
    columns = [*(["Group"] if grouped else []), "Outcome", *(["Family"] if adjusted else []),
               "n", "Pre mean (SD)", "Post mean (SD)", f"Change [{ci}]", "Test", "p", p_name,
               f"d_z [{ci}]"]  # fmt: skip
    records = []
    for k, row in enumerate(results.to_dict("records")):  # one row per outcome (and arm)
        get = row.get
        records.append({
            **({"Group": str(row["group"])} if grouped else {}),
            "Outcome": labels(info, str(row["outcome"])).label,
            **({"Family": adjusted[k][0]} if adjusted else {}),
            "n": fmt_int(get("n")),
            "Pre mean (SD)": f"{fmt_num(get('pre_mean'), d)} ({fmt_num(get('pre_sd'), d)})",
            "Post mean (SD)": f"{fmt_num(get('post_mean'), d)} ({fmt_num(get('post_sd'), d)})",
            f"Change [{ci}]": f"{fmt_num(get('diff_mean'), d)} "
            f"{fmt_ci(get('diff_ci_low'), get('diff_ci_high'), d)}",
            "Test": format_test(row, primary, d),
            "p": fmt_p(get("p_t") if primary == "t" else get("p_wilcoxon")),
            p_name: adjusted[k][1] if adjusted else fmt_p(get("p_holm")),
            f"d_z [{ci}]": f"{fmt_num(get('d_z'), d)} {fmt_ci(get('d_z_ci_low'), get('d_z_ci_high'), d)}",
        })  # fmt: skip
    table = pd.DataFrame.from_records(records, columns=columns)
    within = " within each arm" if grouped else ""
    note = (f"Test and p: {_TEST_NAMES[primary]}; p (adjusted): the p of the {_TEST_NAMES[primary]} "
            "adjusted within its family of the analysis plan (Holm, or fixed sequence, within "
            f"the family{within}; exploratory outcomes unadjusted)" if adjusted else
            f"Test and p: {_TEST_NAMES[primary]}; p (Holm): Holm-adjusted p of the t-tests over "
            f"all outcomes{' of the arm' if grouped else ''}") + (
            ". d_z: mean change / SD of change, CI by the noncentral t.")  # fmt: skip
    table.attrs.update({"layout": "paired", "primary": primary, "ci_level": level,
                        "outcomes": [str(o) for o in results["outcome"]],
                        "caption": f"Table 2. Pre/post comparison{within} (change = post - pre, "
                                   f"{ci}s)", "note": note})  # fmt: skip
    return table


_TEST_NAMES = {"t": "paired t-test", "wilcoxon": "Wilcoxon signed-rank test"}


def _adjusted_cell(row: Mapping[str, Any]) -> str:
    """``p_adjusted`` as text; ``"unadjusted"`` in a family the plan leaves unadjusted."""
    if row.get("multiplicity") == "none":
        return "unadjusted"
    return fmt_p(row.get("p_adjusted"))


def _family_cells(results: pd.DataFrame,
                  families: pd.DataFrame | None) -> list[tuple[str, str]] | None:  # fmt: skip
    """(Family, p (adjusted)) cells of each row of ``results``, or None without families."""
    if families is None or "family" not in families.columns:
        return None
    keys = [c for c in ("group", "outcome") if c in results.columns and c in families.columns]
    fam = {tuple(str(r[k]) for k in keys): r for r in families.to_dict("records")}
    hits = [fam.get(tuple(str(row[k]) for k in keys), {}) for row in results.to_dict("records")]
    return [(str(h.get("family") or ""), _adjusted_cell(h)) for h in hits]


def _trial_table2(results: pd.DataFrame, decimals: int, info: Mapping[str, Any] | None,
                  level: float) -> pd.DataFrame:  # fmt: skip
    """Table 2 of a two-arm study: the endpoint rows of the between-arm table."""
    rows = results[results["endpoint"].astype(bool)] if "endpoint" in results else results
    d, ci = decimals, f"{level * 100:g} % CI"
    first = rows.iloc[0] if len(rows) else {}
    ctl, trt = str(first.get("control", "control")), str(first.get("treatment", "treatment"))
    visit = str(first.get("visit", "endpoint"))
    baseline = str(results.attrs.get("baseline", "baseline"))
    arms = (("control", ctl), ("treatment", trt))
    columns = ["Outcome", "Family"]
    for _, arm in arms:
        columns += [f"{arm}: n", f"{arm}: {baseline}", f"{arm}: {visit}", f"{arm}: change [{ci}]"]
    columns += [f"Adjusted difference [{ci}]", "p", "p (adjusted)",
                f"Standardised difference [{ci}]"]  # fmt: skip
    records = []
    for row in rows.to_dict("records"):  # one row per outcome
        get = row.get
        record = {"Outcome": labels(info, str(row["outcome"])).label,
                  "Family": str(get("family") or "")}  # fmt: skip
        for role, arm in arms:
            record.update({
                f"{arm}: n": fmt_int(get(f"n_{role}")),
                f"{arm}: {baseline}": f"{fmt_num(get(f'pre_mean_{role}'), d)} "
                f"({fmt_num(get(f'pre_sd_{role}'), d)})",
                f"{arm}: {visit}": f"{fmt_num(get(f'post_mean_{role}'), d)} "
                f"({fmt_num(get(f'post_sd_{role}'), d)})",
                f"{arm}: change [{ci}]": f"{fmt_num(get(f'change_mean_{role}'), d)} "
                f"{fmt_ci(get(f'change_ci_low_{role}'), get(f'change_ci_high_{role}'), d)}",
            })  # fmt: skip
        record.update({
            f"Adjusted difference [{ci}]": f"{fmt_num(get('ancova_diff'), d)} "
            f"{fmt_ci(get('ancova_ci_low'), get('ancova_ci_high'), d)}",
            "p": fmt_p(get("ancova_p")),
            "p (adjusted)": _adjusted_cell(row),
            f"Standardised difference [{ci}]": f"{fmt_num(get('ancova_smd'), d)} "
            f"{fmt_ci(get('ancova_smd_ci_low'), get('ancova_smd_ci_high'), d)}",
        })  # fmt: skip
        records.append(record)
    table = pd.DataFrame.from_records(records, columns=columns)
    covariates = str(first.get("covariates") or "") if len(rows) else ""
    adjusted_for = f"{baseline}" + (f" and {covariates.replace(' + ', ', ')}" if covariates else "")
    table.attrs.update({
        "layout": "trial", "primary": "ancova", "ci_level": level, "endpoint": visit,
        "outcomes": [str(o) for o in rows["outcome"]],
        "caption": f"Table 2. {trt} against {ctl} at {visit}: difference adjusted for "
                   f"{adjusted_for} (ANCOVA, {trt} - {ctl}); {baseline} and {visit} as mean (SD); "
                   f"within-arm change = {visit} - {baseline} ({ci}s).",
        "note": f"Adjusted difference and p: ANCOVA of the {visit} score on the {baseline} score "
                f"and arm{' and ' + covariates.replace(' + ', ', ') if covariates else ''} "
                f"({ctl} = reference); p (adjusted): adjusted within the outcome's family of the "
                "analysis plan (Holm, or fixed sequence, within the family; exploratory outcomes "
                "unadjusted). Standardised difference: adjusted difference / residual SD of the "
                "ANCOVA, exact CI by the noncentral t. Within-arm change: paired-t CI "
                "(description, not a test of the intervention).",
    })  # fmt: skip
    return table


def table2_of(analysis: Any, decimals: int = 2) -> pd.DataFrame:
    """The Table 2 of a ``StudyAnalysis``: the trial layout with two arms (the between-arm
    table at the endpoint), else the paired layout with the plan's families."""
    if analysis.arms is not None:
        table = analysis.arms.table
        table.attrs["baseline"] = analysis.design.visits[0]
        return table2(table, decimals, info=analysis.info)
    return table2(analysis.paired.table, decimals, primary=analysis.options.primary_test,
                  info=analysis.info, families=analysis.families)  # fmt: skip


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
