"""``tables.xlsx``: every table of the analysis as a sheet of one workbook (openpyxl via pandas).

Cells hold the values of the table as they are (numbers as numbers, text as text); a text
cell is always stored as text, so that a value such as ``"=1+1"`` from the input file is never
a formula (openpyxl would otherwise write it as one). Sheet names follow Excel's rules.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from msrelax_stats.report._ooxml import deterministic_package

__all__ = ["MAX_SHEET_NAME", "sheet_names", "write_xlsx"]

#: Excel's limit on the length of a sheet name.
MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_RESERVED = {"history"}


def sheet_names(names: Iterable[str]) -> list[str]:
    """Excel-valid, unique sheet names for ``names``, in order.

    Characters ``[ ] : * ? / \\`` and control characters become ``_``; leading and trailing
    apostrophes and spaces are removed; names are cut to 31 characters; an empty name or
    Excel's reserved ``History`` becomes ``Sheet``; a name equal to an earlier one
    (Excel compares without case) gets `` (2)``, `` (3)``, ... within the 31 characters.

    Examples
    --------
    >>> sheet_names(["results", "Results", "a/b: c?", "x" * 40, ""])
    ['results', 'Results (2)', 'a_b_ c_', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'Sheet']
    """
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        clean = _FORBIDDEN.sub("_", str(name)).strip(" '")[:MAX_SHEET_NAME].strip(" '")
        if not clean or clean.lower() in _RESERVED:
            clean = "Sheet"
        candidate, k = clean, 1
        while candidate.lower() in taken:
            k += 1
            suffix = f" ({k})"
            candidate = clean[: MAX_SHEET_NAME - len(suffix)].rstrip(" '") + suffix
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def write_xlsx(path: str | Path, tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Write every table as a sheet of one workbook; returns table name -> sheet name.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file (its folder is created).
    tables : mapping of str to DataFrame
        Name (e.g. the CSV's stem, ``"table2"``) -> table, in sheet order. The index is not
        written; the header row is frozen and columns are sized to their content.

    Examples
    --------
    >>> import tempfile
    >>> path = tempfile.mkdtemp() + "/tables.xlsx"
    >>> write_xlsx(path, {"results": pd.DataFrame({"outcome": ["fss_mean"], "n": [31]})})
    {'results': 'results'}
    >>> pd.read_excel(path, sheet_name="results").to_dict("records")
    [{'outcome': 'fss_mean', 'n': 31}]
    """
    names = dict(zip(tables, sheet_names(tables), strict=True))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for key, frame in tables.items():
            sheet = names[key]
            frame.to_excel(writer, sheet_name=sheet, index=False)
            worksheet = writer.sheets[sheet]
            for row in worksheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # text, never a formula
            worksheet.freeze_panes = "A2"
            for j, column in enumerate(frame.columns, start=1):
                longest = max([len(str(column)), *(len(str(v)) for v in frame.iloc[:, j - 1])])
                letter = worksheet.cell(row=1, column=j).column_letter
                worksheet.column_dimensions[letter].width = min(60, longest + 2)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(deterministic_package(buffer.getvalue()))
    return names
