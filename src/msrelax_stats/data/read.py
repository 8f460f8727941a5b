"""Read a study file into the canonical long table (docs/architecture.md).

:func:`read_table` is the structural half of reading: it finds the table, its columns, its
participants and visits, and checks them. Item cells are left as the file typed them (text
from text files, except whole-number columns named by ``numbers=``; numbers, text and Excel
times from spreadsheets and SPSS/Stata files); the instruments layer parses numbers and
clock times and checks ranges afterwards.

File formats, encodings, the delimiter and the size limit are those of the one file reader,
:func:`msrelax_stats.data.files.load_cells` (its module notes).

Cells
-----
Text cells are stripped. Empty text and the markers ``NA``, ``N/A``, ``NaN``, ``nan``, ``.``
and ``#NULL!`` (R and SPSS exports) become missing, as do cells equal to a declared missing
code: ``missing_codes=[-99, 999]`` matches the numbers -99 and 999 and the texts ``"-99"``,
``"-99.0"``, ``"-99,0"``. Missing codes apply to every column except ``id`` and ``time``.
Rows and unnamed columns with no cell at all are dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.data.columns import canonical_names, load_column_map, normalise_name
from msrelax_stats.data.exports import qualtrics_exclusions, qualtrics_header_rows, redcap_events
from msrelax_stats.data.files import MAX_FILE_BYTES, load_cells, sniff_delimiter
from msrelax_stats.data.layout import ROW, check_keys, detect_layout, normalise_visits, wide_to_long
from msrelax_stats.data.options import ReadOptions
from msrelax_stats.data.recognise import NO_ITEMS, closest_items
from msrelax_stats.data.values import MISSING_MARKERS, factorize_text
from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["MAX_FILE_BYTES", "MISSING_MARKERS", "load_cells", "read_table", "sniff_delimiter"]

_MARKERS = frozenset(MISSING_MARKERS)


def read_table(
    source: str | Path | pd.DataFrame,
    options: ReadOptions | None = None,
    *,
    known: Mapping[str, str] | None = None,
    numbers: Collection[str] = (),
    **keywords: Any,
) -> pd.DataFrame:
    """Read a study file (or DataFrame) into the canonical long table.

    Parameters
    ----------
    source : str, Path or DataFrame
        A ``.csv``/``.tsv``/``.txt``, ``.xlsx``, ``.sav`` or ``.dta`` file, or a DataFrame.
    options : ReadOptions, optional
        How to read it (:class:`msrelax_stats.data.options.ReadOptions`): ``layout`` (None
        detects it: a ``time`` column means long, visit suffixes such as ``fss_1_pre`` mean
        wide), ``column_map`` (:mod:`msrelax_stats.data.columns`), ``visits`` (in order;
        default ``("pre", "post")`` or the column map's), ``sheet`` of a workbook (default:
        the one holding the data), ``missing_codes`` (default: the column map's),
        ``encoding`` (default: detected, see module notes), ``single_visit`` (a file with no
        visit information is one visit: no ``time`` column, layout ``"single visit"``).
    known : mapping, optional
        The item and score columns of the instruments (spelling -> canonical column; from
        :func:`msrelax_stats.instruments.registry.recognised_columns`): columns spelt as real
        exports spell them are recognised (:mod:`msrelax_stats.data.recognise`), and a file
        with none of them is an error (``no questionnaire items recognised``).
    numbers : collection of str, optional
        Canonical columns whose answers are numbers (from
        :func:`msrelax_stats.instruments.registry.numeric_columns`): in a text file, such a
        column holding only whole numbers and missing cells is read as numbers (``Int64``),
        not as text (:mod:`msrelax_stats.data.files`); the values parse the same, faster.
    **keywords
        The fields of ``options`` given one by one instead (``visits=["pre", "post"]``).

    Returns
    -------
    DataFrame
        One row per participant per visit: ``id`` (text), ``time`` (ordered Categorical),
        ``group`` (text, when present), then the other columns in file order. Rows sorted
        by first appearance of the id, then visit. ``df.attrs["msrelax"]`` holds ``source``,
        ``sha256`` (of the file bytes), ``layout``, ``visits``, ``notes``, ``columns``
        (``[your column, canonical column]`` of every column used), ``excluded`` (rows left
        out while reading: Qualtrics previews, tests, spam and unfinished responses, REDCap
        repeating-instrument rows; ``id``, ``visit``, ``reason``) and ``value_labels`` of the
        item columns of a ``.sav``/``.dta`` file (:mod:`msrelax_stats.data.exports`).

    Raises
    ------
    StudyDataError
        With every structural problem found (missing/empty/binary file, no id column, no
        visit information, unknown visits, duplicate rows, blank ids, clashing columns),
        each naming the file.

    Notes
    -----
    Structural only: item values are not parsed or range-checked here. A participant
    who lacks a visit is kept; the paired analysis reports them as excluded.

    Examples
    --------
    >>> raw = pd.DataFrame({"Participant": ["007", "007"], "Visit": ["Post", "PRE"],
    ...                     "FSS 1": ["3", "5"]})
    >>> table = read_table(raw)
    >>> table[["id", "time", "fss_1"]].values.tolist()
    [['007', 'pre', '5'], ['007', 'post', '3']]
    """
    options = ReadOptions.of(options, keywords)
    layout, visits, sheet, encoding = (
        options.layout,
        options.visits,
        options.sheet,
        options.encoding,
    )
    missing_codes, single_visit = options.missing_codes, options.single_visit
    cmap = load_column_map(options.column_map)
    given = visits if visits is not None else cmap.visits
    labels = normalise_visits(given)
    codes = list(missing_codes if missing_codes is not None else cmap.missing_codes or [])
    if isinstance(source, pd.DataFrame):
        name, digest, notes, value_labels = None, None, [], {}
        raw = source.copy()
        raw.columns = [str(c) for c in raw.columns]
        raw = raw.reset_index(drop=True)
    else:
        name = str(source)

        def has_id(header: list[Any]) -> bool:  # the sheet of an .xlsx with an id column
            return "id" in canonical_names(header, cmap)[0]

        suffixes = ["_" + normalise_name(v) for v in labels]  # of wide columns (fss_1_pre)

        def numeric(header: list[str]) -> set[int]:  # the numeric columns of a text file
            names = canonical_names(header, cmap, known=known)[0]
            bases = [[n] + [n[: -len(s)] for s in suffixes if n.endswith(s)] for n in names]
            return {i for i, b in enumerate(bases) if any(n in numbers for n in b)}

        raw, digest, notes, value_labels = load_cells(
            Path(source), name, sheet=sheet, encoding=encoding, has_id=has_id,
            numeric=numeric if numbers else None,
        )  # fmt: skip
    read = _Read(
        name, cmap, labels, given is not None, layout, codes, value_labels, known, single_visit
    )
    try:
        table, more = _canonical(raw, read)
    except StudyDataError as exc:
        raise (exc if name is None else exc.with_file(name)) from None
    table.attrs["msrelax"] = {
        "source": "<DataFrame>" if name is None else name,
        "sha256": digest,
        "layout": more.pop(),
        "visits": read.labels,
        "notes": [p.to_dict() for p in notes + more],
        "columns": read.used,
        "excluded": read.excluded,
        "value_labels": read.item_labels,
        "item_coding": {k: list(v) for k, v in (cmap.item_coding or {}).items()},
    }
    return table


@dataclass
class _Read:
    """What one reading of a file knows and finds (filled in by :func:`_canonical`)."""

    name: str | None
    cmap: Any
    labels: list[str]
    visits_given: bool
    layout: str | None
    codes: list[Any]
    value_labels: dict
    known: Mapping[str, str] | None
    single_visit: bool = False
    used: list[list[str]] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)
    item_labels: dict = field(default_factory=dict)


def _no_items(originals: list[Any], table: pd.DataFrame, read: _Read) -> list[Problem]:
    """No questionnaire item or score column in the table read: a problem naming the columns
    that look most like item columns."""
    targets = set(read.known.values()) if read.known else set()
    if read.known is None or any(c in targets or c.startswith("nrs_") for c in table.columns):
        return []
    keys = ("id", "time", "group")
    closest = closest_items([c for c in originals if normalise_name(c) not in keys], targets)
    hint = f" ({'; '.join(closest)})" if closest else ""
    return [Problem(f"{NO_ITEMS}{hint}: pass --column-map or rename the columns "
                    "(python -m msrelax_stats map DATA writes a column map to edit)",
                    file=read.name)]  # fmt: skip


def _recognised(raw: pd.DataFrame, names: list[str], read: _Read) -> list[Problem]:
    """Columns used (``read.used``) and the value labels of item columns."""
    targets = set(read.known.values()) if read.known else set()
    keys = {"id", "time", "group"}
    read.used = [[str(o), n] for o, n in zip(raw.columns, names, strict=True)
                 if n in keys or n in targets or n.startswith("nrs_")]  # fmt: skip
    read.item_labels = {n: {float(k): str(v) for k, v in read.value_labels[o].items()
                            if isinstance(k, int | float)}
                        for o, n in zip(raw.columns, names, strict=True)
                        if n in targets and o in read.value_labels}  # fmt: skip
    return []


def _canonical(raw: pd.DataFrame, read: _Read) -> tuple[pd.DataFrame, list]:
    name, labels, layout = read.name, read.labels, read.layout
    originals = [str(c) for c in raw.columns]
    names, problems, notes = canonical_names(list(raw.columns), read.cmap, file=name,
                                             known=read.known)  # fmt: skip
    time_labels = next(
        (read.value_labels.get(c) for c, n in zip(raw.columns, names, strict=True) if n == "time"),
        None,
    )
    raw, skipped = qualtrics_header_rows(raw, names)
    if skipped:
        notes.append(Problem(f"{skipped} Qualtrics header row{'s' if skipped > 1 else ''} under "
                             "the column names skipped (question text, ImportId)", file=name))  # fmt: skip
    problems += _recognised(raw, names, read)
    raw = _clean_cells(raw, names, read.codes)
    keep = [n != "" or raw.iloc[:, i].notna().any() for i, n in enumerate(names)]
    problems += [
        Problem("a column without a name holds data", column=f"#{i + 1}", file=name)
        for i, n in enumerate(names)
        if n == "" and keep[i]
    ]
    rows = _rows_with_data(raw)
    if not (rows.all() and all(keep)):  # else nothing to drop: no copy of the table
        raw = raw.loc[rows, keep]
    if raw.empty:
        problems.append(Problem("has no data rows (only empty cells)", file=name))
    elif not problems:  # REDCap events and Qualtrics statuses (names are unique now)
        raw, events, excluded, more = redcap_events(raw, read.visits_given, file=name)
        raw, dropped = qualtrics_exclusions(raw)
        read.excluded, notes = excluded + dropped, notes + more
        if events is not None:
            labels = read.labels = normalise_visits(events)
        if "redcap_event_name" in raw.columns:
            read.used.append(["redcap_event_name", "time" + (", group" * ("group" in raw))])
    found = detect_layout(list(raw.columns), labels, layout)
    if "id" not in raw.columns:
        problems.append(
            Problem(
                "no participant id column (looked for: id, participant, participant_id, "
                "subject, subject_id, patient_id); name it with a column map",
                file=name,
            )
        )
    single = found is None and read.single_visit and "time" not in raw.columns
    if single:  # one visit: keys checked as if at one visit, the time column dropped after
        raw = raw.assign(time=labels[0])
        found = "long"
    if found is None or (found == "long" and "time" not in raw.columns):
        suffixes = ", ".join("_" + v for v in labels)
        problems.append(
            Problem(
                "no visit information: no time/visit column and no column ending in a visit "
                f"suffix ({suffixes}); pass visits=[...] if the visits have other names",
                file=name,
            )
        )
    if found == "wide" and "time" in raw.columns:
        problems.append(
            Problem(
                "layout 'wide' was requested but the file has a time column",
                column="time",
                file=name,
            )
        )
    if problems:
        raise StudyDataError(problems)
    raw = pd.concat([raw, pd.Series(raw.index + 1, index=raw.index, name=ROW)], axis=1)
    if found == "wide":
        raw, problems = wide_to_long(raw, labels, file=name)
    time_labels = time_labels if found == "long" else None  # value labels of a coded visit column
    table, more = check_keys(raw, labels, file=name, time_labels=time_labels)
    if problems + more:
        raise StudyDataError(problems + more)
    if found == "wide":  # the columns used, by their base names
        read.used = [[o, n] for o, n in zip(originals, names, strict=True)
                     if n in table.columns or n in ("id", "group")]  # fmt: skip
    missing_items = _no_items(originals, table, read)
    if missing_items:
        raise StudyDataError(missing_items)
    if single:
        table = table.drop(columns="time")
        read.labels, found = [], "single visit"
    text = [c for c in table.columns if isinstance(table[c].dtype, pd.StringDtype)]
    table[text] = table[text].astype(object)  # text columns are object, as the contract says
    return table, notes + [found]


def _rows_with_data(raw: pd.DataFrame) -> np.ndarray:
    """Mask of the rows with at least one cell (columns looked at until every row has one)."""
    answered = np.zeros(len(raw), dtype=bool)
    for i in range(raw.shape[1]):
        answered |= raw.iloc[:, i].notna().to_numpy()
        if answered.all():
            break
    return answered


def _clean_cells(raw: pd.DataFrame, names: list[str], codes: Sequence[Any]) -> pd.DataFrame:
    """Strip text, turn markers and missing codes into NaN; text columns get object dtype.

    Columns are handled by position (names may clash: that is reported by the caller). A
    column of text only (every column of a text file) is cleaned once per distinct text and
    the result broadcast to its cells; other columns (spreadsheet and SPSS numbers, Excel
    times) cell by cell.
    """
    numeric_codes = pd.to_numeric(pd.Series(list(codes), dtype=object), errors="coerce")
    numeric_codes = numeric_codes.dropna().astype(float).tolist()
    text_codes = {str(c).strip() for c in codes}
    out = []
    for i, name in enumerate(names):
        s = raw.iloc[:, i]
        use_codes = bool(codes) and name not in ("id", "time")
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            if use_codes:  # numbers keep their dtype (int becomes float with a NaN)
                s = s.mask(s.isin(numeric_codes).to_numpy())  # a number equals a code's number
            out.append(s.rename(i))
            continue
        found = factorize_text(s)
        if found is not None:  # text only: each distinct text once (missing: code -1)
            where, distinct = found
            clean = np.array([np.nan if (t := text.strip()) in _MARKERS else t
                              for text in distinct], dtype=object)  # fmt: skip
            if use_codes and len(clean):
                clean[_is_code(pd.Series(clean, dtype=object), numeric_codes, text_codes)] = np.nan
            if len(clean) and not all(c is d for c, d in zip(clean, distinct, strict=True)):
                broadcast = np.append(clean, np.nan)[where]  # a text stripped or made missing
                s = pd.Series(np.where(where < 0, s.to_numpy(dtype=object), broadcast),
                              index=raw.index, dtype=object)  # fmt: skip
            out.append(s.astype(object).rename(i))
            continue
        s = s.astype(object).copy()
        is_text = s.map(type).eq(str).to_numpy()  # Excel time/datetime cells stay as they are
        s[is_text] = s[is_text].str.strip()
        s = s.mask(s.isin(MISSING_MARKERS))
        if use_codes:
            s = s.mask(_is_code(s, numeric_codes, text_codes))
        out.append(s.rename(i))
    cleaned = pd.concat(out, axis=1) if out else raw.copy()  # concat: no copy into one block
    cleaned.columns = names
    return cleaned


def _is_code(s: pd.Series, numeric_codes: list[float], text_codes: set[str]) -> np.ndarray:
    """Mask of the cells of ``s`` equal to a declared missing code (as number or as text)."""
    as_text = s.astype(str)
    number = pd.to_numeric(as_text.str.replace(",", ".", regex=False), errors="coerce")
    return (s.notna() & (number.isin(numeric_codes) | as_text.isin(text_codes))).to_numpy()
