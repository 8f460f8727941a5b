"""Vectorised parsers for questionnaire cells: numbers and free text (clock times and
durations: :mod:`msrelax_stats.data.times`).

Each parser takes a :class:`pandas.Series` of cells *as read* (numbers, text, Excel
``datetime.time``/``datetime`` objects, blanks) and returns a :class:`ParsedCells` holding the
canonical values plus one :class:`~msrelax_stats.errors.Problem` per cell that cannot be read
(``problems``) or that was read with an interpretation the user should know about (``notes``,
for example a range answer scored at its midpoint). The common forms are parsed with pandas
string accessors, regular expressions and numpy, never with a Python loop over rows; only the
(rare) bad cells are visited one by one to build their problem records. The Series returned
wrap the arrays computed for them (``copy=False``: pandas 3 copies an array given to
``Series`` by default, 8 MB per million cells).

Accepted forms (INSTRUMENTS.md, "Column naming contract"):

* numbers: ``6``, ``6.5``, ``"6"``, ``"6.5"``, ``"6,5"`` (decimal comma), ranges ``"30-60"``,
  ``"6-7"`` (midpoint, noted);
* free text, stripped.

Blank cells and the usual missing-value tokens (``NA``, ``N/A``, ``nan``, ``.``, ``-``) are
missing (``NaN``), never a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem

__all__ = [
    "MISSING_MARKERS",
    "MISSING_TOKENS",
    "ParsedCells",
    "factorize_text",
    "locate_problems",
    "parse_numbers",
    "range_notes",
    "parse_text",
]

#: Cells that mean "no value" in any column of a study file (exactly these texts, after
#: stripping): written by R, Excel, SPSS (``#NULL!``), Stata (``.``) and by hand.
MISSING_MARKERS = ("", "NA", "N/A", "NaN", "nan", ".", "#NULL!")
#: Answers that mean "no answer" in a questionnaire item, in any letter case: the markers,
#: and the words and dashes people type for a skipped question (a text column such as a
#: medication list may hold "none" as a real value, so these are read as missing in items only).
MISSING_TOKENS = frozenset({m.lower() for m in MISSING_MARKERS} | {"none", "null", "-", "--"})

_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)"
_UNSIGNED = r"(?:\d+(?:[.,]\d*)?|[.,]\d+)"
_RANGE = rf"^({_UNSIGNED})\s*(?:-|\u2013|\u2014|to)\s*({_UNSIGNED})$"


@dataclass(frozen=True)
class ParsedCells:
    """Canonical values of one column plus the problems and notes found while reading it.

    Attributes
    ----------
    values : pandas.Series
        Same index as the input: float64 for numbers and hours, object ``"HH:MM"`` text for
        clock times, object text for free text; ``NaN`` where missing or unreadable.
    problems : list of Problem
        Cells that could not be read (input errors).
    notes : list of Problem
        Cells read with an interpretation worth reporting (e.g. a range at its midpoint).
    """

    values: pd.Series
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def locate_problems(
    mask: np.ndarray,
    cells: pd.Series,
    messages: pd.Series | str,
    column: str | None,
    participants: pd.Series | None,
    visits: pd.Series | None,
) -> list[Problem]:
    """One Problem per True entry of ``mask`` (only the flagged rows are visited)."""
    rows = np.flatnonzero(mask)
    out = []
    for row in rows:
        message = messages if isinstance(messages, str) else messages.iloc[row]
        who = None if participants is None else str(participants.iloc[row])
        when = None if visits is None else str(visits.iloc[row])
        out.append(Problem(message, who, when, column, cells.iloc[row]))
    return out


def _distinct(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, distinct)`` with ``distinct[codes]`` the cells (missing cells included).

    Parsers read each distinct cell once and broadcast the result by ``codes``: a column of a
    million answers holds few distinct texts. Cells that compare equal (``2330`` and
    ``2330.0``) share one entry; they read the same.
    """
    codes, distinct = pd.factorize(cells.to_numpy(dtype=object))  # missing cells: code -1
    distinct = np.asarray(distinct, dtype=object)
    missing = codes < 0
    if missing.any():  # one entry for them, at the end
        codes[missing] = len(distinct)
        distinct = np.append(distinct, np.nan)
    return codes, distinct


def factorize_text(cells: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """``(codes, distinct)`` of a column whose answered cells are all text, else ``None``.

    ``distinct[codes]`` are the cells; missing cells have code ``-1``. Text read from a file
    has few distinct values per column (an item has a handful of answers), so readers clean
    and parse each distinct text once and broadcast the result by ``codes``. Columns holding
    other objects (spreadsheet numbers, booleans, times) give ``None`` and are read cell by
    cell: ``True``, ``1`` and ``1.0`` would share one entry but read differently; a text never
    compares equal to a non-text, so sharing is safe when every entry is text.

    Examples
    --------
    >>> import pandas as pd
    >>> codes, distinct = factorize_text(pd.Series(["6", None, "6", " 5"]))
    >>> codes.tolist(), distinct.tolist()
    ([0, -1, 0, 1], ['6', ' 5'])
    >>> factorize_text(pd.Series(["6", 6])) is None
    True
    """
    obj = cells.to_numpy(dtype=object)
    codes, distinct = pd.factorize(obj)
    distinct = np.asarray(distinct, dtype=object)
    if distinct.size and pd.api.types.infer_dtype(distinct, skipna=False) != "string":
        return None
    return codes, distinct


def _distinct_text(cells: pd.Series) -> tuple[np.ndarray | None, pd.Series | np.ndarray]:
    """:func:`factorize_text` with one entry for the missing cells, or ``(None, cells)``."""
    found = factorize_text(cells)
    if found is None:
        return None, cells
    codes, distinct = found
    missing = codes < 0
    if missing.any():
        codes[missing] = len(distinct)
        distinct = np.append(distinct, np.nan)
    return codes, distinct


def _text_array(cells: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stripped text of every cell (numpy unicode array) and the missing mask.

    Missing: NaN/None cells, blank text and the tokens of ``MISSING_TOKENS``. Non-text cells
    (numbers, ``datetime.time``) are turned into their ``str()`` text.
    """
    obj = cells.to_numpy(dtype=object) if isinstance(cells, pd.Series) else cells
    missing = pd.isna(obj)
    text = np.strings.strip(np.where(missing, "", obj).astype(str))
    short = np.strings.str_len(text) <= max(map(len, MISSING_TOKENS))
    missing[short] |= np.isin(np.strings.lower(text[short]), list(MISSING_TOKENS))
    return text, missing


def _to_float(text: np.ndarray) -> np.ndarray:
    """float64 of numeric text with a decimal point or comma; NaN when not a number."""
    dotted = np.strings.replace(text, ",", ".")
    return pd.to_numeric(dotted.astype(object), errors="coerce").astype("float64")


def _read_numbers(
    cells: pd.Series,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Numbers and range midpoints of each distinct text (or of each cell).

    Returns ``codes`` and, per entry, values, missing mask, texts and range mask; the entry
    of cell ``i`` is ``codes[i]`` (``codes`` is ``None`` when there is one entry per cell:
    numeric columns, and columns mixing text with other objects).
    """
    if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype):
        values = cells.to_numpy(dtype="float64", na_value=np.nan, copy=True)
        missing = np.isnan(values)
        return None, values, missing, np.array([], dtype=str), np.zeros(len(cells), dtype=bool)
    codes, entries = _distinct_text(cells)
    text, missing = _text_array(entries)
    values = np.where(missing, np.nan, _to_float(text))
    todo = np.isnan(values) & ~missing
    is_range = np.zeros(len(entries), dtype=bool)
    if todo.any():
        ends = pd.Series(text[todo], dtype=object).str.extract(_RANGE)
        midpoint = (
            _to_float(ends[0].to_numpy(dtype=str)) + _to_float(ends[1].to_numpy(dtype=str))
        ) / 2
        values[todo] = midpoint
        is_range[todo] = ~np.isnan(midpoint)
    return codes, values, missing, text, is_range


def _spread(codes: np.ndarray | None, *per_entry: np.ndarray) -> list[np.ndarray]:
    """Per-cell arrays from per-entry arrays (see :func:`_read_numbers`)."""
    return [a if codes is None else a[codes] for a in per_entry]


def range_notes(
    is_range: np.ndarray, values: np.ndarray, cells: pd.Series, where: tuple
) -> list[Problem]:
    rows = np.flatnonzero(is_range)
    if not rows.size:
        return []
    messages = pd.Series("", index=range(len(values)), dtype=object)
    messages[rows] = [f"is a range, scored at its midpoint {values[r]:g}" for r in rows]
    return locate_problems(is_range, cells, messages, *where)


def parse_numbers(
    cells: pd.Series,
    *,
    column: str | None = None,
    participants: pd.Series | None = None,
    visits: pd.Series | None = None,
) -> ParsedCells:
    """Read a column of numeric answers.

    Parameters
    ----------
    cells : pandas.Series
        Cells as read: numbers, numeric text with a decimal point or comma, range answers.
    column, participants, visits : optional
        Where the cells come from; used to locate problems (``participants``/``visits`` are
        Series aligned with ``cells``).

    Returns
    -------
    ParsedCells
        float64 values; a problem ``"is not a number"`` per unreadable cell and a note per
        range answer.

    Notes
    -----
    A range ``a-b`` is scored at its midpoint :math:`(a + b)/2`. Infinite values are problems.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_numbers(pd.Series(["6", "6,5", "30-60", None])).values.tolist()
    [6.0, 6.5, 45.0, nan]
    """
    cells = pd.Series(cells)
    codes, values, missing, _, is_range = _read_numbers(cells)
    bad = ~missing & ~np.isfinite(values)
    values[bad] = np.nan
    values, bad, is_range = _spread(codes, values, bad, is_range)
    where = (column, participants, visits)
    problems = locate_problems(bad, cells, "is not a number", *where)
    notes = range_notes(is_range, values, cells, where)
    return ParsedCells(
        pd.Series(values, index=cells.index, dtype="float64", copy=False), problems, notes
    )


def parse_text(cells: pd.Series) -> ParsedCells:
    """Free text, stripped; blank cells and missing-value tokens become ``NaN``.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_text(pd.Series(["  cramps ", " ", None])).values.tolist()
    ['cramps', nan, nan]
    """
    cells = pd.Series(cells)
    codes, distinct = _distinct(cells)  # each distinct text is stripped once
    blank = pd.isna(distinct)
    text = pd.Series(np.where(blank, "", distinct), dtype=object).str.strip()
    blank |= text.str.lower().isin(MISSING_TOKENS).to_numpy()
    values = text.where(~blank).astype(object).to_numpy()[codes]
    return ParsedCells(pd.Series(values, index=cells.index, dtype=object, copy=False), [], [])
