"""The paper's Table 1 (baseline characteristics), formatted for reading, and its files.

The numbers come from :func:`msrelax_stats.stats.baseline.baseline_characteristics`; here
they become text: continuous characteristics as mean (SD) and median [Q1, Q3], categorical
ones as n (%), one column per subset (overall, each arm, completers, lost to follow-up).
The table has two text columns, ``Characteristic`` and ``Statistic`` (the level of a
categorical characteristic), so that it reads the same in CSV, Markdown, LaTeX, HTML and
Word without indentation tricks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from msrelax_stats.figures._format import fmt_int, fmt_num, is_missing
from msrelax_stats.stats.baseline import BaselineResult

__all__ = ["DEFAULT_LABELS", "TABLE1_FORMATS", "table1", "table1_notes", "write_table1"]

#: Reader-facing names of common characteristics (override with ``labels=``).
DEFAULT_LABELS: dict[str, str] = {
    "age": "Age (years)",
    "sex": "Sex",
    "gender": "Gender",
    "edss": "EDSS",
    "disease_duration": "Disease duration (years)",
    "duration": "Disease duration (years)",
    "ms_type": "MS type",
    "bmi": "BMI (kg/m²)",
    "education": "Education",
    "employment": "Employment",
    "dmt": "Disease-modifying therapy",
}

TABLE1_FORMATS = ("csv", "md", "tex", "html", "docx")
#: The label of the quartiles' row, "[Q1, Q3]" held together by a no-break space.
_QUARTILES = "median [Q1,\u00a0Q3]"


def _label(variable: str, labels: Mapping[str, str]) -> str:
    if variable in labels:
        return labels[variable]
    return DEFAULT_LABELS.get(variable.lower(), variable.replace("_", " "))


def _header(name: str, n: int) -> str:
    """``"control (n = 16)"``, "(n = 16)" held together by no-break spaces (a narrow column
    wraps the header before it, never inside it)."""
    return f"{name} (n\u00a0=\u00a0{n})"


def _continuous_cells(row: pd.Series, decimals: int) -> tuple[str, str]:
    if row["n"] == 0:
        return "n/a", "n/a"
    mean_sd = f"{fmt_num(row['mean'], decimals)} ({fmt_num(row['sd'], decimals)})"
    quartiles = f"{fmt_num(row['q1'], decimals)}, {fmt_num(row['q3'], decimals)}"
    return mean_sd, f"{fmt_num(row['median'], decimals)} [{quartiles}]"


def _count_cell(row: pd.Series, decimals: int) -> str:
    if is_missing(row["percent"]):
        return fmt_int(row["count"])
    return f"{fmt_int(row['count'])} ({fmt_num(row['percent'], decimals)})"


def table1(
    result: BaselineResult,
    labels: Mapping[str, str] | None = None,
    decimals: int = 1,
) -> pd.DataFrame:
    """Table 1 as text: one row per statistic or level, one column per subset.

    Parameters
    ----------
    result : BaselineResult
        From :func:`~msrelax_stats.stats.baseline.baseline_characteristics`.
    labels : mapping, optional
        Variable name -> label (default :data:`DEFAULT_LABELS`, else the column name).
    decimals : int
        Decimal places of means, SDs, medians, quartiles and percentages.

    Returns
    -------
    DataFrame
        Columns ``Characteristic``, ``Statistic`` and ``"<subset> (n = N)"`` per subset (no-break
        spaces inside the parentheses), all
        text. A continuous characteristic has the rows ``mean (SD)`` and
        ``median [Q1, Q3]``; a categorical one a row per level, its label ending in
        ``", n (%)"``; either gets a ``missing, n`` row when any participant lacks it.
        ``attrs`` holds ``caption``, ``notes`` (list of str) and ``variables``.

    Examples
    --------
    >>> import pandas as pd
    >>> from msrelax_stats.stats.baseline import baseline_characteristics
    >>> t = pd.DataFrame({"id": list("abcd"), "time": ["pre"] * 4,
    ...                   "age": [40, 50, 60, 70], "sex": ["F", "F", "M", "F"]})
    >>> table1(baseline_characteristics(t)).to_dict("split")["data"]  # doctest: +NORMALIZE_WHITESPACE
    [['Age (years)', 'mean (SD)', '55.0 (12.9)'],
     ['', 'median [Q1,\xa0Q3]', '55.0 [47.5, 62.5]'],
     ['Sex, n (%)', 'F', '3 (75.0)'],
     ['', 'M', '1 (25.0)']]
    """
    labels = dict(labels or {})
    headers = [_header(name, n) for name, _, n in result.subsets]
    summary = result.summary
    rows: list[list[str]] = []
    for variable, part in summary.groupby("variable", sort=False):
        kind = result.kinds[str(variable)]
        label = _label(str(variable), labels)
        by_subset = {name: part[part["subset"] == name] for name, _, _ in result.subsets}
        if kind == "continuous":
            cells = [
                _continuous_cells(by_subset[name].iloc[0], decimals)
                for name, _, _ in result.subsets
            ]
            rows.append([label, "mean (SD)", *[c[0] for c in cells]])
            rows.append(["", _QUARTILES, *[c[1] for c in cells]])
        else:
            levels = list(dict.fromkeys(part["level"]))
            for i, level in enumerate(levels):
                cells = [
                    _count_cell(
                        by_subset[name][by_subset[name]["level"] == level].iloc[0], decimals
                    )
                    for name, _, _ in result.subsets
                ]
                rows.append([f"{label}, n (%)" if i == 0 else "", str(level), *cells])
        missing = [int(by_subset[name]["n_missing"].iloc[0]) for name, _, _ in result.subsets]
        if any(missing):
            rows.append(["", "missing, n", *[str(m) for m in missing]])
    table = pd.DataFrame(rows, columns=["Characteristic", "Statistic", *headers])
    table.attrs.update(
        {
            "caption": "Baseline characteristics of the participants",
            "notes": table1_notes(result, decimals),
            "variables": list(result.kinds),
        }
    )
    return table


def table1_notes(result: BaselineResult, decimals: int = 1) -> list[str]:
    """The notes printed under Table 1: what the numbers are, and what was decided."""
    notes = [
        "Continuous characteristics: mean (SD) and median [first quartile, third quartile]; "
        "categorical: n (%) of the participants with a value; missing: participants "
        "without a value, not counted in the percentages.",
        "No tests of baseline differences are reported (CONSORT 2010, item 15).",
    ]
    return notes + [f"{n[0].upper()}{n[1:]}." for n in result.notes]


def write_table1(
    table: pd.DataFrame,
    folder: str | Path,
    *,
    stem: str = "table1",
    formats: Sequence[str] = TABLE1_FORMATS,
    paper: str = "a4",
) -> dict[str, Path]:
    """Write Table 1 as ``<stem>.csv/.md/.tex/.html/.docx`` in ``folder``.

    CSV, Markdown, LaTeX and HTML use the writers of :mod:`msrelax_stats.report.formats`
    (the CSV spreadsheet-safe, as every table ``analyze`` writes); the Word file is a
    one-table document of :func:`msrelax_stats.report.docx.write_docx` (a real Word table,
    its caption and notes). Returns the paths by format.
    """
    from msrelax_stats.report import docx
    from msrelax_stats.report import formats as writers

    unknown = set(formats) - set(TABLE1_FORMATS)
    if unknown:
        raise ValueError(f"unknown Table 1 format(s) {sorted(unknown)}; known: {TABLE1_FORMATS}")
    folder = Path(folder)
    caption = str(table.attrs.get("caption", "Baseline characteristics"))
    notes = list(table.attrs.get("notes", []))
    paths = {fmt: folder / f"{stem}.{fmt}" for fmt in formats}
    if "csv" in paths:
        writers.to_csv(table, paths["csv"], spreadsheet_safe=True)
    if "md" in paths:
        writers.to_markdown(table, paths["md"])
    if "tex" in paths:
        writers.to_latex(table, paths["tex"], caption=caption, label="tab:baseline", notes=notes)
    if "html" in paths:
        writers.to_html(table, paths["html"], caption=f"Table 1. {caption}", css_class="table1")
    if "docx" in paths:
        block = docx.Table(table, caption=caption, label="Table 1", notes=tuple(notes))
        docx.write_docx(paths["docx"], [block], title="", paper=paper)
    return paths
