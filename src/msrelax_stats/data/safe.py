"""Cells made inert for spreadsheets: the one place where formula injection is handled.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets when a CSV/XLSX file is opened (OWASP "CSV
injection"). Every table msrelax_stats writes goes through :func:`spreadsheet_safe`, which
prefixes such text with an apostrophe. Numbers, and text that reads as a number (``"-2"``,
``"-0,5"``), are left as they are.
"""

from __future__ import annotations

from typing import Any

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
    """A copy of ``frame`` whose text cells and column names are inert (numbers untouched)."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
            out[column] = out[column].astype(object).map(inert_cell)
    out.columns = [inert_cell(str(c)) for c in out.columns]
    return out
