"""Turn the item columns of a table *as read* into canonical, range-checked values.

:func:`prepare_items` is the validation boundary for questionnaire answers: every known item
column (and every already-scored column found in the file) is parsed by
:mod:`msrelax_stats.data.values` and checked against its instrument's range. Problems name the
participant (``id``), visit (``time``), column and value; they are collected, never raised
here, so the caller can raise one :class:`~msrelax_stats.errors.StudyDataError` with all of
them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from msrelax_stats.data import times
from msrelax_stats.data import values as parse
from msrelax_stats.data.frames import without_attrs
from msrelax_stats.errors import Problem
from msrelax_stats.instruments.coding import (
    coding_problems,
    labels_problem,
    recode_choices,
    shift_of,
)
from msrelax_stats.instruments.spec import InstrumentSpec

__all__ = ["prepare_items"]


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _range_message(low: float | None, high: float | None, unit: str = "") -> str:
    if high is None or not np.isfinite(high):
        return f"is below {_fmt(low)}{unit}"
    return f"is outside {_fmt(low)}-{_fmt(high)}{unit}"


def _check(
    values: pd.Series,
    cells: pd.Series,
    low: float | None,
    high: float | None,
    whole: bool,
    where: tuple,
    unit: str = "",
) -> tuple[pd.Series, list[Problem]]:
    """Range (and whole-number) check; offending values become NaN."""
    v = values.to_numpy(dtype="float64")
    outside = np.zeros(len(v), dtype=bool)
    if low is not None:
        outside |= v < low
    if high is not None:
        outside |= v > high
    fraction = np.zeros_like(outside)
    if whole:
        fraction = ~outside & np.isfinite(v) & (v != np.floor(v))
    problems = parse.locate_problems(outside, cells, _range_message(low, high, unit), *where)
    message = f"is not a whole number in {_fmt(low)}-{_fmt(high)}"
    problems += parse.locate_problems(fraction, cells, message, *where)
    return values.where(~(outside | fraction)), problems


def _valid_numbers(cells: pd.Series, low: float | None, high: float | None, whole: bool) -> bool:
    """True when a float64 column is already canonical and passes every check.

    Such a column (for example one prepared by ``read_study``) would come out of the parser
    and the range check unchanged and without a problem or note, so it is kept as it is: no
    re-parsing, but the (cheap) range and whole-number checks always run, so values edited
    after reading are still checked.
    """
    if cells.dtype != np.float64:
        return False
    v = cells.to_numpy()
    answered = ~np.isnan(v)
    ok = np.isfinite(v) | ~answered
    if low is not None:
        ok &= ~(v < low)
    if high is not None:
        ok &= ~(v > high)
    if whole:
        ok &= ~answered | (v == np.floor(v))
    return bool(ok.all())


def _prepare_item(
    cells: pd.Series, spec: InstrumentSpec, item: str, where: tuple, coded: tuple | None = None
) -> tuple[pd.Series, list[Problem], list[Problem]]:
    """One item parsed and checked; ``coded`` = (low, high, shift) of a stated item coding:
    answers checked against low..high, then ``shift`` subtracted."""
    if coded is not None and coded[2]:
        low, high, shift = coded
        parsed = parse.parse_numbers(cells, column=where[0], participants=where[1], visits=where[2])
        checked, problems = _check(parsed.values, cells, low, high, spec.whole_numbers, where)
        return checked - shift, parsed.problems + problems, parsed.notes
    kind = spec.kind(item)
    low, high = spec.item_range(item)
    if kind == "clock" and times.is_canonical_clock(cells):
        return cells, [], []
    if kind in ("number", "minutes", "hours"):
        whole = spec.whole_numbers and kind == "number"
        if kind == "hours":
            low = 0.0 if low is None else max(low, 0.0)
            high = 24.0 if high is None else min(high, 24.0)
        if _valid_numbers(cells, low, high, whole):
            return cells, [], []
        low, high = spec.item_range(item)
    if kind == "text":
        parsed = parse.parse_text(cells)
        return parsed.values, [], []
    if kind == "clock":
        parsed = times.parse_clock_times(
            cells, column=where[0], participants=where[1], visits=where[2]
        )
        return parsed.values, parsed.problems, []
    readers = {"hours": times.parse_hours, "minutes": times.parse_minutes}
    reader = readers.get(kind, parse.parse_numbers)
    parsed = reader(cells, column=where[0], participants=where[1], visits=where[2])
    whole = spec.whole_numbers and kind == "number"
    unit = " minutes" if kind == "minutes" else ""
    checked, problems = _check(parsed.values, cells, low, high, whole, where, unit)
    return checked, parsed.problems + problems, parsed.notes


def prepare_items(
    df: pd.DataFrame,
    instruments: list[InstrumentSpec] | None = None,
    *,
    item_coding: Mapping[str, tuple[int, int]] | None = None,
    value_labels: Mapping[str, Mapping[float, str]] | None = None,
) -> tuple[pd.DataFrame, list[Problem], list[Problem]]:
    """Parse and range-check every known item and score column of a canonical long table.

    Parameters
    ----------
    df : pandas.DataFrame
        Long table (``id``, ``time``, item columns as read: numbers, text, Excel times).
    instruments : list of InstrumentSpec, optional
        Instruments to prepare; default every built-in instrument.
    item_coding : mapping, optional
        Instrument -> (low, high): the codes the export used for its coded items
        (:mod:`msrelax_stats.instruments.coding`); mapped onto the instrument's codes. Given
        (even empty, as ``read_study`` gives it), the coding of every instrument is checked;
        ``None`` (``score`` of a prepared table) checks nothing.
    value_labels : mapping, optional
        Item column -> code -> label (SPSS/Stata), used to check the coding.

    Returns
    -------
    (DataFrame, list of Problem, list of Problem)
        The table with canonical dtypes (float64 items, ``"HH:MM"`` clock text, free text or
        NaN), the input errors, and the notes (accepted-but-flagged values such as a range
        answer at its midpoint). ``df.attrs`` is kept. Unreadable or out-of-range cells are
        ``NaN`` in the returned table. Idempotent on an already-canonical table.

    Notes
    -----
    Checks: every answer within its item range (``"is outside 1-7"``); Likert answers whole
    numbers; minutes not negative; hours in 0-24; clock times valid; a PSFS severity only with
    a frequency above 0; already-scored columns (``fss_mean`` with no items) within the score
    range.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"id": ["1"], "time": ["pre"], "fss_1": ["8"]})
    >>> table, problems, notes = prepare_items(raw)
    >>> str(problems[0])
    "participant 1, visit pre, column fss_1: value '8' is outside 1-7"
    """
    from msrelax_stats.instruments.registry import BUILTIN

    specs = list(BUILTIN) if instruments is None else instruments
    out = df.copy(deep=False)  # columns are replaced, never written into (copy-on-write)
    df = without_attrs(df)  # the columns are taken out below; ``out`` keeps the attrs
    if "id" in df.columns:
        ids = df["id"]
    else:
        ids = "row " + pd.Series(np.arange(1, len(df) + 1), index=df.index).astype(str)
    visits = df["time"] if "time" in df.columns else None
    problems: list[Problem] = []
    notes: list[Problem] = []
    coding_of = dict(item_coding or {})
    names = {spec.name for spec in specs}
    problems += [Problem(f"item coding names an unknown instrument '{name}' (instruments: "
                         f"{', '.join(sorted(names))})") for name in coding_of if name not in names]  # fmt: skip
    for spec in specs:
        spec = spec.expanded(df.columns)
        coding = coding_of.get(spec.name)
        coded = shift_of(spec, coding)
        labelled = None if item_coding is None else labels_problem(
            spec, df.columns, coding, value_labels or {})  # fmt: skip
        if labelled is not None:  # codes numbered from 1 by their labels: one problem
            problems.append(labelled)
            continue
        for item in spec.items:
            column = spec.column(item)
            if column not in df.columns:
                continue
            cells = recode_choices(df[column], spec, item)
            shifted = coded if item in spec.coded_items() else None
            new, bad, noted = _prepare_item(cells, spec, item, (column, ids, visits), shifted)
            if new is not cells:  # canonical, valid columns are kept as they are
                out[column] = new
            problems += bad
            notes += noted
        for item, condition in spec.requires_positive.items():
            column, other = spec.column(item), spec.column(condition)
            if column in out.columns and other in out.columns:
                wrong = (out[column].notna() & (out[other] == 0)).to_numpy()
                message = (
                    f"is given although {other} is 0 ({item} is asked only when {condition} > 0)"
                )
                problems += parse.locate_problems(wrong, df[column], message, column, ids, visits)
        if item_coding is not None:  # beside any "outside 0-3" of a 4 (choices numbered from 1)
            problems += coding_problems(spec, out, coding, value_labels or {})
        for name, (low, high) in spec.output_ranges().items():
            if name in df.columns and name not in spec.item_columns:
                if _valid_numbers(df[name], low, high, False):
                    continue  # already canonical and in range
                where = (name, ids, visits)
                parsed = parse.parse_numbers(df[name], column=name, participants=ids, visits=visits)
                checked, bad = _check(parsed.values, df[name], low, high, False, where)
                out[name] = checked
                problems += parsed.problems + bad
                notes += parsed.notes
    return out, problems, notes
