"""``tables.xlsx``: every table of the analysis as a sheet of one workbook (openpyxl).

Cells hold the values of the table as they are (numbers as numbers, text as text, a missing
value as an empty cell), written by openpyxl in streaming mode; a text cell is always stored
as text, so that a value such as ``"=1+1"`` from the input file is never a formula (openpyxl
would otherwise write it as one). Control characters, which XML cannot hold, are written as
visible escapes (``\\x1b``; :func:`msrelax_stats.data.safe.xlsx_safe`). Sheet names follow
Excel's rules.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from msrelax_stats.data.safe import xlsx_safe
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


def _value(value: object) -> object:
    """A cell value openpyxl writes: None for a missing value, Python scalars for numpy's."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, np.generic):
        return _value(value.item())
    return value


def _text(sheet: object, value: str) -> object:
    """A text cell of a streamed sheet, stored as text: never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


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
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    names = dict(zip(tables, sheet_names(tables), strict=True))
    book = Workbook(write_only=True)  # streamed: no cell objects kept, no pandas layer
    for key, table in tables.items():
        frame = xlsx_safe(table)  # control characters (XML cannot hold them) as escapes
        sheet = book.create_sheet(names[key])
        sheet.freeze_panes = "A2"
        columns = [str(c) for c in frame.columns]
        rows = [[_value(v) for v in row] for row in frame.itertuples(index=False)]
        for j, column in enumerate(columns):
            longest = max([len(column), *(len(str(row[j])) for row in rows if row[j] is not None)])
            sheet.column_dimensions[get_column_letter(j + 1)].width = min(60, longest + 2)
        sheet.append([_text(sheet, c) for c in columns])
        for row in rows:
            sheet.append([_text(sheet, v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(deterministic_package(buffer.getvalue()))
    return names
