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
    "ParsedCells",
    "locate_problems",
    "clock_minutes",
    "parse_clock_times",
    "parse_hours",
    "parse_numbers",
    "parse_text",
]

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "none", "null", ".", "-", "--"})

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


def _missing_and_text(cells: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Missing mask (NaN, None, blank, NA tokens) and the stripped text of every cell."""
    text = cells.astype(object).where(cells.notna()).astype(str).str.strip()
    missing = cells.isna().to_numpy() | text.str.lower().isin(MISSING_TOKENS).to_numpy()
    return missing, text


def _float(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")


def _read_numbers(cells: pd.Series) -> tuple[pd.Series, np.ndarray, pd.Series, np.ndarray]:
    """Numbers and range midpoints; returns values, missing mask, texts, range mask."""
    if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype):
        values = cells.astype("float64")
        missing = values.isna().to_numpy()
        return values, missing, cells.astype(str), np.zeros(len(cells), dtype=bool)
    missing, text = _missing_and_text(cells)
    values = pd.to_numeric(cells.astype(object).where(~missing), errors="coerce").astype(float)
    todo = values.isna().to_numpy() & ~missing
    is_range = np.zeros(len(cells), dtype=bool)
    if todo.any():
        rest = text[todo]
        single = rest.str.fullmatch(_NUMBER)
        values[single[single].index] = _float(rest[single])
        ends = rest[~single].str.extract(_RANGE)
        midpoint = (_float(ends[0]) + _float(ends[1])) / 2
        values[midpoint.index] = midpoint
        is_range[todo] = ~single.to_numpy()
        is_range &= values.notna().to_numpy()
    return values, missing, text, is_range


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
    values, missing, text, is_range = _read_numbers(cells)
    bad = ~missing & ~np.isfinite(values.to_numpy())
    values[bad] = np.nan
    where = (column, participants, visits)
    problems = locate_problems(bad, cells, "is not a number", *where)
    messages = "is a range, scored at its midpoint " + values.map("{:g}".format)
    notes = locate_problems(is_range, cells, messages, *where)
    return ParsedCells(values.astype("float64"), problems, notes)


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
    values, missing, text, is_range = _read_numbers(cells)
    todo = values.isna().to_numpy() & ~missing
    if todo.any():
        parts = text[todo].str.extract(_HOURS_MINUTES).astype(float)
        ok = parts[1] < 60
        values[ok[ok].index] = parts[0][ok] + parts[1][ok] / 60
    vals = values.to_numpy()
    unreadable = ~missing & ~np.isfinite(vals)
    outside = np.isfinite(vals) & ((vals < 0) | (vals > 24))
    values[unreadable | outside] = np.nan
    where = (column, participants, visits)
    problems = locate_problems(unreadable, cells, "is not a number of hours", *where)
    problems += locate_problems(outside, cells, "is outside 0-24 hours", *where)
    messages = "is a range, scored at its midpoint " + values.map("{:g}".format)
    notes = locate_problems(is_range & ~outside, cells, messages, *where)
    return ParsedCells(values.astype("float64"), problems, notes)


def _clock_from_text(text: pd.Series) -> pd.Series:
    """Minutes after midnight (float, NaN when invalid) from clock text, vectorised."""
    parts = text.str.extract(_CLOCK, flags=2)  # re.IGNORECASE
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
    return (total % 1440).where(valid)


def _clock_from_numbers(values: pd.Series) -> pd.Series:
    """Minutes after midnight from whole numbers written as HHMM (``2330``, ``730``, ``0``)."""
    hour, minute = values // 100, values % 100
    valid = (values == np.floor(values)) & (hour < 24) & (minute < 60)
    valid &= (values == 0) | (values >= 100)
    return (hour * 60 + minute).where(valid)


def _canonical_clock(minutes: pd.Series) -> pd.Series:
    """Canonical ``"HH:MM"`` object text from minutes after midnight (NaN stays NaN)."""
    ok = minutes.notna()
    out = pd.Series(np.nan, index=minutes.index, dtype=object)
    whole = minutes[ok].astype("int64")
    hours = (whole // 60).astype(str).str.zfill(2)
    mins = (whole % 60).astype(str).str.zfill(2)
    out[ok] = (hours + ":" + mins).astype(object)
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
    if pd.api.types.is_datetime64_any_dtype(dtype):
        missing = cells.isna().to_numpy()
        seconds = cells.dt.hour * 3600 + cells.dt.minute * 60 + cells.dt.second
        minutes = ((seconds + 30) // 60 % 1440).astype(float)
    elif pd.api.types.is_timedelta64_dtype(dtype):
        missing = cells.isna().to_numpy()
        minutes = np.floor(cells.dt.total_seconds() / 60 + 0.5) % 1440
    elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        missing = cells.isna().to_numpy()
        minutes = _clock_from_numbers(cells.astype(float))
    else:
        missing, text = _missing_and_text(cells)
        minutes = _clock_from_text(text.where(~missing, ""))
    bad = ~missing & minutes.isna().to_numpy()
    problems = locate_problems(bad, cells, "is not a clock time", column, participants, visits)
    return ParsedCells(_canonical_clock(minutes), problems, [])


def clock_minutes(clock: pd.Series) -> np.ndarray:
    """Minutes after midnight (float64, NaN when missing) of canonical ``"HH:MM"`` text.

    Examples
    --------
    >>> import pandas as pd
    >>> clock_minutes(pd.Series(["23:30", None])).tolist()
    [1410.0, nan]
    """
    text = pd.Series(clock).astype(object)
    hours = pd.to_numeric(text.str.slice(0, 2), errors="coerce")
    minutes = pd.to_numeric(text.str.slice(3, 5), errors="coerce")
    return (hours * 60 + minutes).to_numpy(dtype="float64")


def parse_text(cells: pd.Series) -> ParsedCells:
    """Free text, stripped; blank cells and missing-value tokens become ``NaN``.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_text(pd.Series(["  cramps ", " ", None])).values.tolist()
    ['cramps', nan, nan]
    """
    cells = pd.Series(cells)
    missing, text = _missing_and_text(cells)
    return ParsedCells(text.astype(object).where(~missing), [], [])
