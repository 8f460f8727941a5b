"""Vectorised parsers for questionnaire cells: numbers, clock times, hours and free text.

Each parser takes a :class:`pandas.Series` of cells *as read* (numbers, text, Excel
``datetime.time``/``datetime`` objects, blanks) and returns a :class:`ParsedCells` holding the
canonical values plus one :class:`~msrelax_stats.errors.Problem` per cell that cannot be read
(``problems``) or that was read with an interpretation the user should know about (``notes``,
for example a range answer scored at its midpoint). The common forms are parsed with pandas
string accessors, regular expressions and numpy, never with a Python loop over rows; only the
(rare) bad cells are visited one by one to build their problem records.

Accepted forms (INSTRUMENTS.md, "Column naming contract"):

* numbers: ``6``, ``6.5``, ``"6"``, ``"6.5"``, ``"6,5"`` (decimal comma), ranges ``"30-60"``,
  ``"6-7"`` (midpoint, noted);
* clock times: ``23:30``, ``7:05``, ``23:30:00``, ``11:30 PM``, ``11pm``, ``2330`` (three or four
  digits, also as a number), Excel ``datetime.time``/``datetime`` cells and datetime columns;
  returned as canonical ``"HH:MM"`` text;
* hours: any number form above, or ``h:mm`` (``6:30`` = 6.5 h); must lie in 0-24.

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
    "clock_minutes",
    "is_canonical_clock",
    "parse_clock_times",
    "parse_hours",
    "parse_numbers",
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
_HOURS_MINUTES = r"^(\d{1,2}):(\d{2})$"
_CLOCK = (
    r"^(?:\d{4}-\d{2}-\d{2}[ T])?"  # date part of a datetime cell, ignored
    r"(?:(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2}(?:\.\d*)?))?)?"
    r"|(?P<hhmm>\d{3,4})(?:\.0*)?)"
    r"\s*(?P<ampm>[ap])?\.?\s*(?:m\.?)?$"
)


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


def _range_notes(
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
    notes = _range_notes(is_range, values, cells, where)
    return ParsedCells(pd.Series(values, index=cells.index, dtype="float64"), problems, notes)


def parse_hours(
    cells: pd.Series,
    *,
    column: str | None = None,
    participants: pd.Series | None = None,
    visits: pd.Series | None = None,
) -> ParsedCells:
    """Read a column of durations in hours (PSQI Q4, hours of actual sleep).

    Accepts every form of :func:`parse_numbers` plus ``h:mm`` (``"6:30"`` is 6.5 hours).
    Values below 0 or above 24 are problems (``"is outside 0-24 hours"``).

    Examples
    --------
    >>> import pandas as pd
    >>> parse_hours(pd.Series(["6,5", "6:45", "6-7"])).values.tolist()
    [6.5, 6.75, 6.5]
    """
    cells = pd.Series(cells)
    codes, values, missing, text, is_range = _read_numbers(cells)
    todo = np.isnan(values) & ~missing
    if todo.any():
        parts = pd.Series(text[todo], dtype=object).str.extract(_HOURS_MINUTES).astype(float)
        hours, minutes = parts[0].to_numpy(), parts[1].to_numpy()
        values[todo] = np.where(minutes < 60, hours + minutes / 60, np.nan)
    unreadable = ~missing & ~np.isfinite(values)
    outside = np.isfinite(values) & ((values < 0) | (values > 24))
    values[unreadable | outside] = np.nan
    values, unreadable, outside, is_range = _spread(codes, values, unreadable, outside, is_range)
    where = (column, participants, visits)
    problems = locate_problems(unreadable, cells, "is not a number of hours", *where)
    problems += locate_problems(outside, cells, "is outside 0-24 hours", *where)
    notes = _range_notes(is_range & ~outside, values, cells, where)
    return ParsedCells(pd.Series(values, index=cells.index, dtype="float64"), problems, notes)


def _clock_from_text(text: np.ndarray) -> np.ndarray:
    """Minutes after midnight (float, NaN when invalid) from clock text of any accepted form."""
    parts = pd.Series(text, dtype=object).str.extract(_CLOCK, flags=2)  # re.IGNORECASE
    hhmm = pd.to_numeric(parts["hhmm"], errors="coerce")
    hour = pd.to_numeric(parts["h"], errors="coerce").fillna(hhmm // 100)
    minute = pd.to_numeric(parts["m"], errors="coerce").fillna(hhmm % 100)
    second = pd.to_numeric(parts["s"], errors="coerce").fillna(0.0)
    ampm = parts["ampm"].str.lower()
    has_ampm = ampm.notna()
    valid = hour.notna() & (parts["m"].notna() | hhmm.notna() | has_ampm)
    valid &= minute.fillna(0) < 60
    valid &= second < 60
    valid &= ~has_ampm | ((hour >= 1) & (hour <= 12))
    valid &= (hour < 24) | ((hour == 24) & (minute.fillna(0) == 0) & (second == 0))
    hour = hour.where(~has_ampm, hour % 12 + 12 * (ampm == "p"))
    total = hour * 60 + minute.fillna(0) + np.floor(second / 30)
    return (total % 1440).where(valid).to_numpy(dtype="float64")


def _clock_fast(text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The common forms ``HH:MM`` and ``H:MM`` read from code points, without regex.

    Returns minutes after midnight (NaN when invalid, e.g. ``25:61``) and the mask of cells
    in one of the two forms; other cells go through :func:`_clock_from_text`.
    """
    padded = text if text.dtype.itemsize >= 20 else text.astype("U5")
    points = padded.view(np.uint32).reshape(len(padded), -1)
    digit = [points[:, k].astype(np.int32) - 48 for k in range(5)]
    is_digit = [(d >= 0) & (d <= 9) for d in digit]
    length = np.strings.str_len(text)
    five = (length == 5) & (points[:, 2] == 58) & is_digit[0] & is_digit[1]
    five &= is_digit[3] & is_digit[4]
    four = (length == 4) & (points[:, 1] == 58) & is_digit[0] & is_digit[2] & is_digit[3]
    hour = np.where(five, digit[0] * 10 + digit[1], digit[0])
    minute = np.where(five, digit[3] * 10 + digit[4], digit[2] * 10 + digit[3])
    valid = (five | four) & (minute < 60) & ((hour < 24) | ((hour == 24) & (minute == 0)))
    return np.where(valid, (hour * 60 + minute) % 1440, np.nan), five | four


def _clock_from_numbers(values: np.ndarray) -> np.ndarray:
    """Minutes after midnight from whole numbers written as HHMM (``2330``, ``730``, ``0``)."""
    hour, minute = values // 100, values % 100
    valid = (values == np.floor(values)) & (hour < 24) & (minute < 60)
    valid &= (values == 0) | (values >= 100)
    return np.where(valid, hour * 60 + minute, np.nan)


def _canonical_clock(minutes: np.ndarray) -> np.ndarray:
    """Canonical ``"HH:MM"`` text (object array) from minutes after midnight; NaN stays NaN."""
    ok = ~np.isnan(minutes)
    whole = minutes[ok].astype(np.int64)
    hour, minute = whole // 60, whole % 60
    points = np.stack([hour // 10, hour % 10, np.full_like(hour, 10), minute // 10, minute % 10])
    points = (points.T + 48).astype(np.uint32)  # 48 + 10 = 58 is ":"
    out = np.full(len(minutes), np.nan, dtype=object)
    out[ok] = np.ascontiguousarray(points).view("U5").ravel().astype(object)
    return out


def parse_clock_times(
    cells: pd.Series,
    *,
    column: str | None = None,
    participants: pd.Series | None = None,
    visits: pd.Series | None = None,
) -> ParsedCells:
    """Read a column of clock times (PSQI Q1 bed time, Q3 getting-up time).

    Returns canonical ``"HH:MM"`` text (object dtype); ``24:00`` is read as ``00:00`` and
    seconds are rounded to the nearest minute. Anything else (``25:61``, ``13pm``, ``23``)
    is a problem ``"is not a clock time"``.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_clock_times(pd.Series(["23:30", "7:05", "11pm", "2330", "11:30 PM"])).values.tolist()
    ['23:30', '07:05', '23:00', '23:30', '23:30']
    """
    cells = pd.Series(cells)
    dtype = cells.dtype
    missing = cells.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        seconds = cells.dt.hour * 3600 + cells.dt.minute * 60 + cells.dt.second
        minutes = ((seconds + 30) // 60 % 1440).to_numpy(dtype="float64")
    elif pd.api.types.is_timedelta64_dtype(dtype):
        minutes = (np.floor(cells.dt.total_seconds() / 60 + 0.5) % 1440).to_numpy(dtype="float64")
    elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        minutes = _clock_from_numbers(cells.to_numpy(dtype="float64", na_value=np.nan))
    else:
        # few distinct texts (at most 1,440 minutes x a few forms): read each one once
        codes, distinct = _distinct(cells)
        text, missing = _text_array(distinct)
        minutes, done = _clock_fast(text)
        rest = ~done & ~missing
        if rest.any():
            minutes[rest] = _clock_from_text(text[rest])
        bad = (~missing & np.isnan(minutes))[codes]
        problems = locate_problems(bad, cells, "is not a clock time", column, participants, visits)
        canonical = pd.Series(_canonical_clock(minutes)[codes], index=cells.index, dtype=object)
        return ParsedCells(canonical, problems, [])
    bad = ~missing & np.isnan(minutes)
    problems = locate_problems(bad, cells, "is not a clock time", column, participants, visits)
    canonical = pd.Series(_canonical_clock(minutes), index=cells.index, dtype=object)
    return ParsedCells(canonical, problems, [])


def clock_minutes(clock: pd.Series) -> np.ndarray:
    """Minutes after midnight (float64, NaN when missing) of canonical ``"HH:MM"`` text.

    Examples
    --------
    >>> import pandas as pd
    >>> clock_minutes(pd.Series(["23:30", None])).tolist()
    [1410.0, nan]
    """
    codes, distinct = _distinct(pd.Series(clock))
    text, missing = _text_array(distinct)
    minutes, _ = _clock_fast(text)
    return np.where(missing, np.nan, minutes)[codes]


def is_canonical_clock(cells: pd.Series) -> bool:
    """True when every non-missing cell is already canonical ``"HH:MM"`` text (00:00-23:59).

    Such a column is exactly what :func:`parse_clock_times` returns for it, without a
    problem, so a table prepared before (by ``read_study``) need not be parsed again.

    Examples
    --------
    >>> import pandas as pd
    >>> clock = pd.Series(["23:30", None], dtype=object)
    >>> is_canonical_clock(clock), is_canonical_clock(pd.Series(["7:05"], dtype=object))
    (True, False)
    """
    cells = pd.Series(cells)
    if not pd.api.types.is_object_dtype(cells.dtype):  # canonical clock text is object dtype
        return False
    found = factorize_text(cells)
    if found is None:
        return False  # an answered cell is not text
    answered = found[1]  # each distinct text once
    if not answered.size:
        return True
    text = answered.astype(str)
    if not np.all(np.strings.str_len(text) == 5) or np.any(np.strings.startswith(text, "24")):
        return False
    minutes, five = _clock_fast(text)
    return bool(np.all(five) and np.all(np.isfinite(minutes)))


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
    return ParsedCells(pd.Series(values, index=cells.index, dtype=object), [], [])
