"""Reading and validating a daily practice diary (analysed by :mod:`msrelax_stats.stats.diary`).

A diary has one row per participant per day: ``id``, ``day`` (1, 2, ...) or ``date``,
``practised`` (yes/no), ``minutes``, optional nightly ``spasms`` count and ``nrs_*`` ratings.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from msrelax_stats.data.read import MISSING_MARKERS, load_cells
from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["read_diary"]

_YES = {"yes", "y", "1", "1.0", "true"}
_NO = {"no", "n", "0", "0.0", "false"}
_ALIASES = {"practiced": "practised", "participant": "id", "minutes_practised": "minutes"}


def _text(col: pd.Series) -> pd.Series:
    """Cells as stripped text, NaN for blank."""
    out = col.astype("object").where(col.notna()).map(str, na_action="ignore").str.strip()
    return out.where(out != "")


def _numbers(df: pd.DataFrame, column: str, low: float, high: float, problems: list[Problem]):
    """Parse a numeric column (decimal comma allowed) and range-check it."""
    raw = _text(df[column])
    value = pd.to_numeric(raw.str.replace(",", ".", regex=False), errors="coerce")
    bad = raw.notna() & (value.isna() | (value < low) | (value > high))
    span = f"{low:g}-{high:g}" if np.isfinite(high) else f">= {low:g}"
    problems += [
        Problem(f"is not a number in {span}", participant=pid, column=column, value=v)
        for pid, v in zip(df.loc[bad, "id"], raw[bad], strict=True)
    ]
    return value.where(~bad).astype(float)


def read_diary(path_or_df: str | PathLike | pd.DataFrame) -> pd.DataFrame:
    """Read and validate a practice diary.

    Parameters
    ----------
    path_or_df : path or DataFrame
        A CSV/TSV/TXT or XLSX file, read as a study file is
        (:func:`msrelax_stats.data.read.load_cells`: encoding detected - UTF-8, UTF-16,
        cp1254 -, delimiter sniffed, the sheet with an ``id`` column, the same limits), or a
        DataFrame. Empty cells and the missing markers of a study file (``NA``, ``.``, ...)
        are missing.

    Returns
    -------
    DataFrame
        ``id`` (text), ``day`` (Int64) and/or ``date`` (datetime64), ``practised`` (nullable
        boolean), ``minutes`` (float, NaN when absent), optional ``spasms`` and ``nrs_*``
        (float); other columns kept as read.

    Raises
    ------
    StudyDataError
        An empty, unreadable or unsupported file; else every problem at once: missing ``id``/``day``/``date``/``practised`` column, blank id,
        ``practised`` not one of yes/no/1/0/true/false, a non-integer day, a date that is not
        YYYY-MM-DD or DD.MM.YYYY, negative minutes or spasms, ``nrs_*`` outside 0-10, a day
        recorded twice for a participant.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["7", "7"], "day": [1, 2], "practised": ["Yes", "no"],
    ...                    "minutes": ["20", "0"]})
    >>> read_diary(df)["practised"].tolist()
    [True, False]
    """
    source = None
    notes: list[Problem] = []
    if isinstance(path_or_df, pd.DataFrame):
        df = path_or_df.copy()
    else:
        source = str(path_or_df)
        df, _, notes, _ = load_cells(Path(source), source, has_id=_has_id)
        df = df.mask(df.isin(MISSING_MARKERS))  # "", "NA", ... as in a study file
    df.columns = [str(c).strip().lower() for c in df.columns]
    df = df.rename(columns={k: v for k, v in _ALIASES.items() if v not in df.columns})
    missing = [c for c in ("id", "practised") if c not in df.columns]
    if "day" not in df.columns and "date" not in df.columns:
        missing.append("day or date")
    if missing:
        err = StudyDataError([Problem(f"diary has no '{c}' column") for c in missing])
        raise err.with_file(source) if source else err
    problems: list[Problem] = []
    df["id"] = _text(df["id"])
    problems += [Problem("blank participant id", column="id") for _ in range(df["id"].isna().sum())]
    raw = _text(df["practised"])
    low = raw.str.lower()
    bad = raw.notna() & ~low.isin(_YES | _NO)
    problems += [
        Problem("is not yes/no/1/0/true/false", participant=p, column="practised", value=v)
        for p, v in zip(df.loc[bad, "id"], raw[bad], strict=True)
    ]
    df["practised"] = pd.array(low.map(lambda s: s in _YES, na_action="ignore"), dtype="boolean")
    df.loc[bad.to_numpy(), "practised"] = pd.NA
    keys = ["id"]
    if "day" in df.columns:
        day = _numbers(df, "day", -np.inf, np.inf, problems)
        frac = day.notna() & (day != np.round(day))
        problems += [
            Problem("day is not a whole number", participant=p, column="day", value=v)
            for p, v in zip(df.loc[frac, "id"], day[frac], strict=True)
        ]
        df["day"] = day.where(~frac).round().astype("Int64")
        keys.append("day")
    if "date" in df.columns and not pd.api.types.is_datetime64_any_dtype(df["date"]):
        txt = _text(df["date"])
        date = pd.to_datetime(txt, format="ISO8601", errors="coerce")
        date = date.fillna(pd.to_datetime(txt, format="%d.%m.%Y", errors="coerce"))
        bad = txt.notna() & date.isna()
        problems += [
            Problem("date not understood (write YYYY-MM-DD)", participant=p, column="date", value=v)
            for p, v in zip(df.loc[bad, "id"], txt[bad], strict=True)
        ]
        df["date"] = date
    if "date" in df.columns and "day" not in df.columns:
        keys.append("date")
    df["minutes"] = (
        _numbers(df, "minutes", 0, np.inf, problems) if "minutes" in df.columns else np.nan
    )
    if "spasms" in df.columns:
        df["spasms"] = _numbers(df, "spasms", 0, np.inf, problems)
    for col in [c for c in df.columns if c.startswith("nrs_")]:
        df[col] = _numbers(df, col, 0, 10, problems)
    dup = df.duplicated(subset=keys, keep="first") & df[keys].notna().all(axis=1)
    problems += [
        Problem(f"{keys[1]} recorded more than once", participant=p, column=keys[1], value=v)
        for p, v in zip(df.loc[dup, "id"], df.loc[dup, keys[1]], strict=True)
    ]
    if problems:
        err = StudyDataError(problems)
        raise err.with_file(source) if source else err
    first = [c for c in ("id", "day", "date", "practised", "minutes", "spasms") if c in df.columns]
    out = df[first + [c for c in df.columns if c not in first]].reset_index(drop=True)
    out.attrs["msrelax"] = {"source": source or "<DataFrame>",
                            "notes": [note.to_dict() for note in notes]}  # fmt: skip
    return out


def _has_id(header: list[object]) -> bool:
    """The sheet of a diary workbook: one with an ``id`` or ``participant`` column."""
    names = {str(h).strip().lower() for h in header}
    return bool(names & {"id", *[k for k, v in _ALIASES.items() if v == "id"]})
