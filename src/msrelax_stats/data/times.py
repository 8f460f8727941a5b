"""Clock times and durations: PSQI bed and getting-up times, minutes to fall asleep, hours slept.

Split from :mod:`msrelax_stats.data.values` (numbers, text, the shared helpers), whose
conventions these parsers follow: a :class:`~msrelax_stats.data.values.ParsedCells` out,
each distinct text read once, problems naming the cell.

Accepted forms (INSTRUMENTS.md, "Column naming contract"):

* clock times: ``23:30``, ``7:05``, ``23:30:00``, ``11:30 PM``, ``11pm``, ``2330`` (three or four
  digits, also as a number), Excel ``datetime.time``/``datetime`` cells and datetime columns;
  returned as canonical ``"HH:MM"`` text;
* hours: any number form of :func:`~msrelax_stats.data.values.parse_numbers`, or ``h:mm``
  (``6:30`` = 6.5 h); must lie in 0-24;
* durations with a unit, in either column (hours or minutes), accepted and noted: ``6.5 hrs``,
  ``7 hours``, ``7h``, ``30 min``, ``45 mins``, ``1 hr 15 min``, ``half an hour``, with
  ``about``, ``approx.``, ``around`` or ``~`` in front (:func:`duration_minutes`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from msrelax_stats.data.values import (
    ParsedCells,
    _distinct,
    _read_numbers,
    _spread,
    _text_array,
    factorize_text,
    locate_problems,
    parse_numbers,
    range_notes,
)

__all__ = [
    "clock_minutes",
    "duration_minutes",
    "is_canonical_clock",
    "parse_clock_times",
    "parse_hours",
    "parse_minutes",
]

_HOURS_MINUTES = r"^(\d{1,2}):(\d{2})$"
_CLOCK = (
    r"^(?:\d{4}-\d{2}-\d{2}[ T])?"  # date part of a datetime cell, ignored
    r"(?:(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2}(?:\.\d*)?))?)?"
    r"|(?P<hhmm>\d{3,4})(?:\.0*)?)"
    r"\s*(?P<ampm>[ap])?\.?\s*(?:m\.?)?$"
)


_APPROX = r"(?:about|approx(?:imately|\.)?|around|roughly|ca\.?|~)\s*"
_AMOUNT = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_HOUR_UNIT = r"(?:hours?|hrs?\.?|h)"
_MINUTE_UNIT = r"(?:minutes?|mins?\.?|m)"
_DURATION = re.compile(
    rf"^(?:{_APPROX})?(?:{_AMOUNT}\s*{_HOUR_UNIT}(?:\s*(?:and\s*)?{_AMOUNT}\s*{_MINUTE_UNIT})?"
    rf"|{_AMOUNT}\s*{_MINUTE_UNIT}|(half an hour|an hour and a half))$",
    re.IGNORECASE,
)
_WORDS = {"half an hour": 30.0, "an hour and a half": 90.0}


def duration_minutes(text: str) -> float | None:
    """Minutes of a duration typed with its unit, or ``None`` when ``text`` is not one.

    Forms: a number of hours (``hours``, ``hour``, ``hrs``, ``hr``, ``h``), of minutes
    (``minutes``, ``min``, ``mins``, ``m``), hours then minutes (``1 hr 15 min``), and the
    words ``half an hour`` / ``an hour and a half``; ``about``, ``approx.``, ``around``,
    ``roughly``, ``ca.`` or ``~`` may come first. A decimal comma is read as a point.

    Examples
    --------
    >>> [duration_minutes(t) for t in ("6.5 hrs", "about 30 min", "1 hr 15 min", "half an hour")]
    [390.0, 30.0, 75.0, 30.0]
    >>> duration_minutes("a while") is None
    True
    """
    found = _DURATION.match(" ".join(str(text).split()))
    if found is None:
        return None
    hours, minutes_after, minutes, words = found.groups()
    if words is not None:
        return _WORDS[words.lower()]
    if hours is not None:
        extra = 0.0 if minutes_after is None else float(minutes_after.replace(",", "."))
        return float(hours.replace(",", ".")) * 60 + extra
    return float(minutes.replace(",", "."))


def _with_units(values, missing, text, per_minute: float) -> np.ndarray:
    """Mask of the entries read from a duration with a unit (their ``values`` are set)."""
    todo = np.flatnonzero(np.isnan(values) & ~missing)
    united = np.zeros(len(values), dtype=bool)
    for k in todo:  # few distinct texts: each unreadable one is tried once
        minutes = duration_minutes(text[k])
        if minutes is not None:
            values[k] = minutes * per_minute
            united[k] = True
    return united


def _unit_notes(united, values, cells, where, unit: str) -> list:
    rows = np.flatnonzero(united)
    if not rows.size:
        return []
    messages = pd.Series("", index=range(len(values)), dtype=object)
    messages[rows] = [f"is a duration with a unit, read as {values[r]:g} {unit}" for r in rows]
    return locate_problems(united, cells, messages, *where)


def parse_hours(
    cells: pd.Series,
    *,
    column: str | None = None,
    participants: pd.Series | None = None,
    visits: pd.Series | None = None,
) -> ParsedCells:
    """Read a column of durations in hours (PSQI Q4, hours of actual sleep).

    Accepts every form of :func:`~msrelax_stats.data.values.parse_numbers`, ``h:mm``
    (``"6:30"`` is 6.5 hours) and a duration with a unit (:func:`duration_minutes`; noted).
    Values below 0 or above 24 are problems (``"is outside 0-24 hours"``).

    Examples
    --------
    >>> import pandas as pd
    >>> parse_hours(pd.Series(["6,5", "6:45", "6-7", "7 hours", "1 hr 15 min"])).values.tolist()
    [6.5, 6.75, 6.5, 7.0, 1.25]
    """
    cells = pd.Series(cells)
    codes, values, missing, text, is_range = _read_numbers(cells)
    todo = np.isnan(values) & ~missing
    united = np.zeros(len(values), dtype=bool)
    if todo.any():
        parts = pd.Series(text[todo], dtype=object).str.extract(_HOURS_MINUTES).astype(float)
        hours, minutes = parts[0].to_numpy(), parts[1].to_numpy()
        values[todo] = np.where(minutes < 60, hours + minutes / 60, np.nan)
        united = _with_units(values, missing, text, 1 / 60)
    unreadable = ~missing & ~np.isfinite(values)
    outside = np.isfinite(values) & ((values < 0) | (values > 24))
    values[unreadable | outside] = np.nan
    values, unreadable, outside, is_range, united = _spread(
        codes, values, unreadable, outside, is_range, united
    )
    where = (column, participants, visits)
    problems = locate_problems(unreadable, cells, "is not a number of hours", *where)
    problems += locate_problems(outside, cells, "is outside 0-24 hours", *where)
    notes = range_notes(is_range & ~outside, values, cells, where)
    notes += _unit_notes(united & ~outside, values, cells, where, "hours")
    return ParsedCells(
        pd.Series(values, index=cells.index, dtype="float64", copy=False), problems, notes
    )


def parse_minutes(
    cells: pd.Series,
    *,
    column: str | None = None,
    participants: pd.Series | None = None,
    visits: pd.Series | None = None,
) -> ParsedCells:
    """Read a column of durations in minutes (PSQI Q2, minutes to fall asleep).

    Every form of :func:`~msrelax_stats.data.values.parse_numbers`, and a duration with a
    unit (``"about 30 min"``, ``"half an hour"``, ``"1 hr"``; noted, see
    :func:`duration_minutes`). Anything else is ``"is not a number"``.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_minutes(pd.Series(["20", "about 30 min", "half an hour", "1 hr"])).values.tolist()
    [20.0, 30.0, 30.0, 60.0]
    """
    cells = pd.Series(cells)
    codes, values, missing, text, is_range = _read_numbers(cells)
    if codes is None:  # a numeric column: nothing with a unit
        return parse_numbers(cells, column=column, participants=participants, visits=visits)
    united = _with_units(values, missing, text, 1.0)
    bad = ~missing & ~np.isfinite(values)
    values[bad] = np.nan
    values, bad, is_range, united = _spread(codes, values, bad, is_range, united)
    where = (column, participants, visits)
    problems = locate_problems(bad, cells, "is not a number", *where)
    notes = range_notes(is_range, values, cells, where)
    notes += _unit_notes(united, values, cells, where, "minutes")
    return ParsedCells(
        pd.Series(values, index=cells.index, dtype="float64", copy=False), problems, notes
    )


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
        canonical = pd.Series(
            _canonical_clock(minutes)[codes], index=cells.index, dtype=object, copy=False
        )
        return ParsedCells(canonical, problems, [])
    bad = ~missing & np.isnan(minutes)
    problems = locate_problems(bad, cells, "is not a clock time", column, participants, visits)
    canonical = pd.Series(_canonical_clock(minutes), index=cells.index, dtype=object, copy=False)
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
