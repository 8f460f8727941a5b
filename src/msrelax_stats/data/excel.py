"""Reading one sheet of an ``.xlsx`` workbook within a budget, the right sheet, values only.

Used by :mod:`msrelax_stats.data.read` for study files and by the practice diary.

Which sheet
    The sheet ``sheet`` names (name, or 0-based position among all sheets); without it the
    first *visible* worksheet whose header row has a participant id column (``has_id``),
    else the first visible worksheet. Hidden sheets and chart sheets are skipped. A note
    always names the sheet read, and the others it ignored.
Budget
    An archive whose members unpack to more than :data:`MAX_UNPACKED_BYTES` is not opened (a
    "zip bomb" is a few kilobytes that unpack to gigabytes). The sheet is read as the
    rectangle from A1 to its last used row and column; when that holds more than
    :data:`MAX_CELLS` cells (one stray cell at XFD1048576 makes 17 billion), reading stops at
    the cell that made it so, and the error names it.
Values
    Cells hold what Excel saved: numbers (whole numbers as ``int``), text, dates and times,
    booleans; error values (``#DIV/0!``, ``#N/A``, ...) and empty cells are missing. A formula
    whose value was never saved (a file written by a program that does not calculate) is an
    error naming the cell, never an empty cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["MAX_CELLS", "MAX_UNPACKED_BYTES", "read_sheet"]

#: Most cells of the rectangle A1:<last used cell> read from one sheet.
MAX_CELLS = 10_000_000
#: Most bytes the members of an ``.xlsx`` archive may unpack to.
MAX_UNPACKED_BYTES = 512 * 2**20
#: Values Excel stores for a formula that failed.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _problem(message: str, name: str) -> StudyDataError:
    return StudyDataError(Problem(message, file=name))


def _open(data: bytes, name: str, *, data_only: bool) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as exc:
        raise _problem(f"is not a readable .xlsx workbook: {exc}", name) from exc


def _check_archive(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise _problem(f"is not a readable .xlsx workbook: {exc}", name) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise _problem(
            f"is an .xlsx whose contents unpack to {unpacked:,} bytes, more than the "
            f"{MAX_UNPACKED_BYTES:,} read; save the data sheet alone, or as CSV",
            name,
        )


def _choose(book: Any, sheet: str | int | None, has_id: Callable[[list[Any]], bool],
            name: str) -> tuple[Any, Problem]:  # fmt: skip
    """The worksheet to read and the note naming it."""
    names = book.sheetnames
    if sheet is not None:
        if isinstance(sheet, int) and 0 <= sheet < len(names):
            chosen = names[sheet]
        elif isinstance(sheet, str) and sheet in names:
            chosen = sheet
        else:
            listed = ", ".join(f"'{n}'" for n in names)
            raise _problem(f"has no sheet {sheet!r} (sheets: {listed})", name)
        worksheet = book[chosen]
        if not hasattr(worksheet, "iter_rows"):
            raise _problem(f"sheet '{chosen}' is a chart, not a table", name)
        hidden = " (a hidden sheet)" if worksheet.sheet_state != "visible" else ""
        return worksheet, Problem(f"read sheet '{chosen}'{hidden}", file=name)
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise _problem("has no visible worksheet; name the sheet with --sheet", name)
    with_id = [ws for ws in visible if has_id(_header(ws))]
    worksheet = with_id[0] if with_id else visible[0]
    why = "the first visible sheet with a participant id column" if with_id else (
        "the first visible sheet; no sheet has a participant id column")  # fmt: skip
    others = [f"'{n}'" + ("" if book[n] in visible else " (hidden)") for n in names
              if n != worksheet.title]  # fmt: skip
    if not others:  # the workbook's only sheet
        return worksheet, Problem(f"read sheet '{worksheet.title}'", file=name)
    return worksheet, Problem(
        f"read sheet '{worksheet.title}', {why}; ignored {', '.join(others)}", file=name
    )


def _header(worksheet: Any) -> list[Any]:
    for row in worksheet.iter_rows(min_row=1, max_row=1, values_only=True):
        return list(row)
    return []


def _value(value: Any) -> Any:
    """A cell as pandas' reader gave it: whole numbers as int, Excel errors missing."""
    if value is None:
        return np.nan
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value in EXCEL_ERRORS:
        return np.nan
    return value


def _coordinate(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def _rows(worksheet: Any, name: str) -> list[tuple[Any, ...]]:
    """The rows of the sheet up to its last used one, each up to its last used cell."""
    worksheet.reset_dimensions()  # the <dimension> tag may lie: find the used range
    rows: list[tuple[Any, ...]] = []
    last_row = last_column = 0
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        used = [i for i, value in enumerate(row, start=1) if value is not None]
        if not used:
            rows.append(())
            continue
        last_row, last_column = number, max(last_column, used[-1])
        if last_row * last_column > MAX_CELLS:
            where = _coordinate(number, used[-1])
            span = f"A1:{_coordinate(last_row, last_column)}"
            raise _problem(
                f"sheet '{worksheet.title}': cell {where} makes the table span {span}, "
                f"{last_row * last_column:,} cells, more than the {MAX_CELLS:,} read; delete "
                "stray cells far from the data (or copy the data to a new sheet)",
                name,
            )
        rows.append(row[: used[-1]])
    return rows[:last_row]


def _unsaved_formulas(data: bytes, worksheet: Any, name: str) -> list[Problem]:
    """Formula cells of the sheet's XML without a saved value.

    openpyxl reads a formula's empty result (``=IF(A1 = "", "", A1)``) and a formula never
    calculated both as an empty cell; the XML tells them apart: a saved value is a ``<v>``
    with text, or an empty ``<v>`` of a text result (``t="str"``); a program that does not
    calculate writes no ``<v>`` or an empty one (openpyxl: ``<v />``).
    """
    from xml.etree.ElementTree import iterparse

    path = getattr(worksheet, "_worksheet_path", None)
    if path is None:  # not an openpyxl read-only sheet: nothing to look into
        return []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(path)
    if not _FORMULA_TAG.search(xml):
        return []  # the usual case: no formula at all
    problems = []
    for _, element in iterparse(io.BytesIO(xml)):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "row":
            element.clear()
        if tag != "c":
            continue
        children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
        value = children.get("v")
        saved = "is" in children or (value is not None and (
            bool(value.text) or element.get("t") == "str"))  # fmt: skip
        if "f" in children and not saved:
            formula = (children["f"].text or "").strip()
            shown = f"={formula[:60]}" if formula else "(a shared formula)"
            problems.append(Problem(
                f"sheet '{worksheet.title}', cell {element.get('r', '?')}: formula {shown!r} "
                "has no saved value (the file was never calculated); open and save it in "
                "Excel or LibreOffice, or export it as CSV", file=name))  # fmt: skip
        element.clear()
    return problems


def read_sheet(data: bytes, name: str, sheet: str | int | None,
               has_id: Callable[[list[Any]], bool]) -> tuple[pd.DataFrame, list[Problem]]:  # fmt: skip
    """The cells of one sheet (header row not yet applied) and the notes on reading it.

    Parameters
    ----------
    data : bytes
        The ``.xlsx`` file.
    name : str
        The file, named in every problem.
    sheet : str or int, optional
        Sheet name or 0-based position; default: see the module notes.
    has_id : callable
        Whether a header row (list of cell values) holds a participant id column.

    Raises
    ------
    StudyDataError
        Unreadable workbook, over the budget, no such sheet, no visible worksheet, empty
        sheet, formulas without saved values.
    """
    _check_archive(data, name)
    book = _open(data, name, data_only=True)
    try:
        worksheet, note = _choose(book, sheet, has_id, name)
        rows = _rows(worksheet, name)
    finally:
        book.close()
    problems = _unsaved_formulas(data, worksheet, name)
    if problems:
        raise StudyDataError(problems)
    if not rows:
        raise _problem(f"sheet '{worksheet.title}' is empty", name)
    width = max(len(row) for row in rows)
    cells = pd.DataFrame([[_value(v) for v in row] + [np.nan] * (width - len(row))
                          for row in rows], dtype=object)  # fmt: skip
    return cells, [note]
