"""Cells made inert for spreadsheets: the one place where formula injection is handled.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets when a CSV/XLSX file is opened (OWASP "CSV
injection"). Every table msrelax_stats writes goes through :func:`spreadsheet_safe`, which
prefixes such text with an apostrophe. Numbers, and text that reads as a number (``"-2"``,
``"-0,5"``), are left as they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FORMULA_START", "inert_cell", "spreadsheet_safe"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:
    """``value`` with an apostrophe in front when it is text a spreadsheet would run.

    Examples
    --------
    >>> inert_cell('=HYPERLINK("x")'), inert_cell("-2"), inert_cell("P01"), inert_cell(-2.0)
    ('\\'=HYPERLINK("x")', '-2', 'P01', -2.0)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value.replace(",", "."))
        except ValueError:
            return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are inert (numbers untouched).

    Only text columns (object, string and categorical dtypes) are looked at, and in each
    only its distinct values: a column without a cell that starts a formula is kept as it is
    (no copy), and in one with such cells only those cells are replaced.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["P01", "=1+1"], "note": ["-2", "@x"], "score": [-1.0, 2.0]})
    >>> spreadsheet_safe(table).values.tolist()
    [['P01', '-2', -1.0], ["'=1+1", "'@x", 2.0]]
    """
    out = frame.copy(deep=False)  # columns are replaced, never written into (copy-on-write)
    plain = frame.copy(deep=False)
    plain.attrs = {}  # else each column taken out deep-copies them
    for position in range(out.shape[1]):
        column = plain.iloc[:, position]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            if not _dangerous(np.asarray(dtype.categories, dtype=object)).any():
                continue  # no category starts a formula
        elif not (pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)):
            continue  # numbers, booleans, dates: nothing a spreadsheet would run
        cells = column.to_numpy(dtype=object)
        codes, distinct = pd.factorize(cells)  # missing cells: code -1
        distinct = np.asarray(distinct, dtype=object)
        dangerous = _dangerous(distinct)
        if not dangerous.any():
            continue
        rows = np.flatnonzero((codes >= 0) & dangerous[np.maximum(codes, 0)])
        cells = cells.copy()
        cells[rows] = [inert_cell(cell) for cell in cells[rows]]
        out.isetitem(position, pd.Series(cells, index=out.index, dtype=object))
    out.columns = [inert_cell(str(c)) for c in out.columns]
    return out


def _dangerous(values: np.ndarray) -> np.ndarray:
    """Mask of the values :func:`inert_cell` would change (text that a spreadsheet runs)."""
    return np.array([inert_cell(v) is not v for v in values], dtype=bool)
