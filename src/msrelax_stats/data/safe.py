"""Cells made inert for spreadsheets: the one place where formula injection is handled.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets when a CSV/XLSX file is opened (OWASP "CSV
injection"). Every table msrelax_stats writes goes through :func:`spreadsheet_safe`, which
prefixes such text with an apostrophe. Numbers, and text that reads as a number (``"-2"``,
``"-0,5"``), are left as they are, and so is a negative estimate with its interval
(``"-0.66 [-0.97, -0.37]"``, :data:`NUMBERS_ONLY`): made of numbers, ``", "`` and square
brackets only, it holds no name, reference or operator, so a spreadsheet can neither run
nor recompute it (a positive estimate, ``"0.66 [0.37, 0.97]"``, was never prefixed).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = ["FORMULA_START", "NUMBERS_ONLY", "inert_cell", "spreadsheet_safe"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = r"-?(?:\d+(?:[.,]\d+)*|[.,]\d+)"
#: Numbers separated by ``", "``, optionally followed by a list of them in square brackets:
#: every ``-`` is a sign (at the start, after ``"["`` or ``", "``), never a subtraction; no
#: ``+ * / ^ & % ( ) ! | : ;``, quote, letter or space without a comma before it.
NUMBERS_ONLY = re.compile(rf"{_NUMBER}(?:, {_NUMBER})*(?: \[{_NUMBER}(?:, {_NUMBER})*\])?")


def inert_cell(value: Any) -> Any:
    """``value`` with an apostrophe in front when it is text a spreadsheet would run.

    Examples
    --------
    >>> inert_cell('=HYPERLINK("x")'), inert_cell("-2"), inert_cell("P01"), inert_cell(-2.0)
    ('\\'=HYPERLINK("x")', '-2', 'P01', -2.0)
    >>> inert_cell("-0.66 [-0.97, -0.37]"), inert_cell("-2+3"), inert_cell("-1 -2")
    ('-0.66 [-0.97, -0.37]', "'-2+3", "'-1 -2")
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value.replace(",", "."))
        except ValueError:
            if not (value[0] == "-" and NUMBERS_ONLY.fullmatch(value)):
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
