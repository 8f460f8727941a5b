"""Study layouts (long and wide), visit labels and the structural checks on ids and visits.

Long layout: one row per participant per visit, with an ``id`` and a ``time`` column.
Wide layout: one row per participant; visit-specific columns end in ``_<visit>``
(``fss_1_pre``, ``fss_1_post``), columns without a visit suffix (``group``, ``age``) hold one
value per participant and are repeated on each of that participant's visit rows.

Rules, in the order they are applied:

- Visit labels come from ``visits`` (default ``("pre", "post")``, at least two, in order).
  Cells of ``time`` and wide suffixes match a label when their normalised forms agree
  (stripped, case-folded, spaces as ``_``), so ``Pre`` and `` POST`` are ``pre`` and ``post``.
  The table then uses the labels exactly as given in ``visits``.
- Layout detection: a ``time`` column means long; otherwise columns ending in a visit suffix
  mean wide; otherwise there is no visit information (an error).
- Wide: a visit row is created only when at least one of its visit-specific cells is
  answered, so a participant who missed a visit has no row for it, as in a long file.
  A suffix that is not a known visit is reported when the same base name also occurs with a
  known visit suffix (``fss_1_fu`` beside ``fss_1_pre``), and then for every column carrying
  that suffix.
- Ids are text: numbers from spreadsheets become ``"7"`` (not ``"7.0"``); text ids are kept
  as written, so ``"007"`` stays ``"007"``.
- Errors (all collected): blank id, blank or unknown visit label (one problem per row,
  naming participant, value and column ``time``), duplicate (id, visit) rows. One exception:
  a ``time`` column of two or more numeric codes with value labels (an SPSS or Stata file,
  ``1 = "pre"``, ``2 = "post"``) whose codes are not known visits is reported once, with its
  codes, their labels and the ``--visits`` value naming the codes in visit order.
  A participant without some visit is *not* an error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.data.columns import normalise_name
from msrelax_stats.data.values import factorize_text
from msrelax_stats.errors import Problem, StudyDataError

__all__ = [
    "DEFAULT_VISITS",
    "as_text",
    "check_keys",
    "coded_visits_problem",
    "detect_layout",
    "normalise_visits",
    "text_codes",
    "wide_to_long",
]

DEFAULT_VISITS: tuple[str, str] = ("pre", "post")
ROW = "_msrelax_row"  # 1-based data row number carried along for messages


def normalise_visits(visits: Sequence[Any] | None) -> list[str]:
    """Visit labels in order: stripped text, at least two, distinct after normalisation.

    Examples
    --------
    >>> normalise_visits([" Baseline", "week 6"])
    ['Baseline', 'week 6']
    """
    labels = list(DEFAULT_VISITS if visits is None else visits)
    if isinstance(visits, str):
        labels = [visits]
    labels = [str(v).strip() for v in labels]
    keys = [normalise_name(v) for v in labels]
    if len(labels) < 2 or "" in keys or len(set(keys)) != len(keys):
        raise StudyDataError(
            Problem("visits must be two or more distinct, non-blank labels", value=labels)
        )
    return labels


def as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped text (object dtype); whole numbers lose their ``.0``; NaN stays NaN.

    Examples
    --------
    >>> as_text(pd.Series([7.0, "007 ", None])).tolist()
    ['7', '007', nan]
    """

    def one(value: Any) -> Any:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, float | np.floating) and float(value).is_integer():
            return str(int(value))
        return str(value)

    found = factorize_text(values)
    if found is not None:  # text only: each distinct text stripped once
        codes, distinct = found
        stripped = np.array([*(text.strip() for text in distinct), np.nan], dtype=object)
        return pd.Series(stripped[codes], index=values.index, dtype=object)
    present = values.notna()
    out = pd.Series(np.nan, index=values.index, dtype=object)
    out[present] = values[present].astype(object).map(one)
    return out


def text_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, texts)``: ``texts`` the distinct :func:`as_text` values in order of first
    appearance, ``codes`` each cell's position in it (``-1``: missing).

    One factorization of the column: the key columns of a registry hold a million cells, and
    ids half a million distinct texts.

    Examples
    --------
    >>> codes, texts = text_codes(pd.Series(["P2", " P1", None, "P2 ", "P1"]))
    >>> codes.tolist(), texts.tolist()
    ([0, 1, -1, 0, 1], ['P2', 'P1'])
    """
    found = factorize_text(values)
    if found is None:  # numbers and other objects: as_text cell by cell, then factorized
        codes, texts = pd.factorize(as_text(values).to_numpy(dtype=object))
        return codes, np.asarray(texts, dtype=object)
    codes, distinct = found
    stripped = [t.strip() for t in distinct]
    if all(t is d for t, d in zip(stripped, distinct, strict=True)):  # nothing to strip
        return codes, distinct
    merged, texts = pd.factorize(np.array(stripped, dtype=object))
    if len(texts) < len(distinct):  # stripping made two texts one
        codes = np.append(merged, -1)[codes]  # the missing cells' -1 stays -1
    return codes, np.asarray(texts, dtype=object)


def detect_layout(columns: Sequence[str], visits: Sequence[str], layout: str | None) -> str | None:
    """``"long"``, ``"wide"``, or ``None`` when neither a ``time`` column nor visit suffixes exist.

    ``layout`` forces the answer; it must be ``None``, ``"long"`` or ``"wide"``.
    """
    if layout not in (None, "long", "wide"):
        raise ValueError(f"layout must be None, 'long' or 'wide', not {layout!r}")
    if layout is not None:
        return layout
    if "time" in columns:
        return "long"
    suffixes = tuple("_" + normalise_name(v) for v in visits)
    if any(c.endswith(suffixes) and c not in suffixes for c in columns):
        return "wide"
    return None


def _split_wide(columns: Sequence[str], visits: Sequence[str]) -> tuple[dict, set[str]]:
    """Map column -> (base, visit) for visit columns, and the set of unknown-suffix columns."""
    keys = {normalise_name(v): v for v in visits}
    split: dict[str, tuple[str, str]] = {}
    for col in columns:
        for key, label in keys.items():
            if col.endswith("_" + key) and len(col) > len(key) + 1:
                split[col] = (col[: -len(key) - 1], label)
                break
    bases = {base for base, _ in split.values()}
    odd = {
        c.rsplit("_", 1)[1]
        for c in columns
        if c not in split and "_" in c and c.rsplit("_", 1)[0] in bases
    }
    unknown = {c for c in columns if c not in split and "_" in c and c.rsplit("_", 1)[1] in odd}
    return split, unknown


def wide_to_long(
    df: pd.DataFrame, visits: Sequence[str], *, file: str | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Reshape a wide table (one row per participant) into the long layout.

    Parameters
    ----------
    df : DataFrame
        Canonical column names; visit-specific columns end in ``_<visit>``.
    visits : sequence of str
        Visit labels in order (already normalised by :func:`normalise_visits`).
    file : str, optional
        Named in every problem.

    Returns
    -------
    long : DataFrame
        Columns ``time`` then the base names in order of first appearance; visit rows with
        no answered visit-specific cell are left out (a participant with none at all keeps an
        empty row at the first visit, to be excluded with a reason). Rows are ordered participant by
        participant (file order), then by visit.
    problems : list of Problem
        Unknown visit suffixes and base names that clash with unsuffixed columns.

    Examples
    --------
    >>> wide = pd.DataFrame({"id": ["P1"], "fss_1_pre": [5], "fss_1_post": [3]})
    >>> wide_to_long(wide, ["pre", "post"])[0][["id", "time", "fss_1"]].values.tolist()
    [['P1', 'pre', 5], ['P1', 'post', 3]]
    """
    split, unknown = _split_wide(list(df.columns), visits)
    problems = [
        Problem(
            f"column suffix '_{col.rsplit('_', 1)[1]}' is not a known visit "
            f"(visits: {', '.join(visits)})",
            column=col,
            file=file,
        )
        for col in df.columns
        if col in unknown
    ]
    constant = [c for c in df.columns if c not in split and c not in unknown]
    order: list[str] = []
    for col in df.columns:
        name = split[col][0] if col in split else col
        if col not in unknown and name not in order:
            order.append(name)
    clash = sorted({base for base, _ in split.values()} & set(constant))
    problems += [
        Problem("column appears both with and without a visit suffix", column=c, file=file)
        for c in clash
    ]
    frames = []
    # A participant with no answered visit-specific cell keeps one (empty) row at the first
    # visit, so that they are excluded with a reason later instead of vanishing.
    unanswered = ~df[list(split)].notna().any(axis=1)
    for position, label in enumerate(visits):
        mine = {col: base for col, (base, v) in split.items() if v == label}
        part = df[list(mine)].rename(columns=mine)
        answered = part.notna().any(axis=1) | (unanswered if position == 0 else False)
        part = pd.concat([df[constant], part.loc[:, ~part.columns.isin(clash)]], axis=1)
        part.insert(0, "time", label)
        part["_visit_pos"] = position
        frames.append(part[answered])
    long = pd.concat(frames).reset_index(names="_participant_pos")
    long = long.sort_values(["_participant_pos", "_visit_pos"], kind="stable")
    columns = ["time"] + [c for c in order if c in long.columns]
    return long[columns].reset_index(drop=True), problems


def coded_visits_problem(
    codes: pd.Series,
    labels: Mapping[Any, str],
    visits: Sequence[str],
    *,
    file: str | None = None,
) -> Problem | None:
    """One problem for a visit column of numeric codes with value labels, or ``None``.

    SPSS and Stata files often store the visit as a code with a value label (1 = "pre",
    2 = "post"); the codes are read, not the labels, so none of them is a known visit.

    Parameters
    ----------
    codes : Series
        The ``time`` column as read (numbers; missing cells as NaN).
    labels : mapping
        Value labels of the column, code -> label.
    visits : sequence of str
        The visit labels asked for, in order.
    file : str, optional
        Named in the problem.

    Returns
    -------
    Problem or None
        ``None`` when the column is not numeric, holds fewer than two distinct codes, or
        none of its codes has a label. Otherwise the problem names the codes, their labels
        and the ``--visits`` value that names the codes in visit order: a code that is
        itself a requested visit, or whose label is one, takes that visit's place; the
        others follow in ascending order.

    Examples
    --------
    >>> problem = coded_visits_problem(
    ...     pd.Series([1.0, 2.0, 1.0]), {1.0: "pre", 2.0: "post"}, ["pre", "post"]
    ... )
    >>> print(problem)
    column time: visits are stored as codes 1, 2 (value labels: 1 = "pre", 2 = "post"); name them in visit order with --visits 1,2 (or visits = ["1", "2"] in a column map)
    """
    if not pd.api.types.is_numeric_dtype(codes) or pd.api.types.is_bool_dtype(codes):
        return None
    present = sorted(float(c) for c in codes.dropna().unique())
    label_of = {
        float(code): str(label)
        for code, label in labels.items()
        if isinstance(code, int | float | np.integer | np.floating)
    }
    if len(present) < 2 or not any(code in label_of for code in present):
        return None
    text = dict(zip(present, as_text(pd.Series(present, dtype=float)), strict=True))
    place = {normalise_name(v): i for i, v in enumerate(visits)}

    def visit_order(code: float) -> tuple[int, float]:
        for name in (text[code], label_of.get(code, "")):  # the code itself, then its label
            if normalise_name(name) in place:
                return place[normalise_name(name)], code
        return len(place), code

    described = ", ".join(
        f"{text[c]} = {json.dumps(label_of[c], ensure_ascii=False)}"
        if c in label_of
        else f"{text[c]} (no label)"
        for c in present
    )
    ordered = [text[c] for c in sorted(present, key=visit_order)]
    return Problem(
        f"visits are stored as codes {', '.join(text[c] for c in present)} "
        f"(value labels: {described}); name them in visit order with --visits "
        f"{','.join(ordered)} (or visits = {json.dumps(ordered)} in a column map)",
        column="time",
        file=file,
    )


def check_keys(
    df: pd.DataFrame,
    visits: Sequence[str],
    *,
    file: str | None = None,
    time_labels: Mapping[Any, str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check ids and visit labels, then sort and type the key columns.

    Parameters
    ----------
    df : DataFrame
        Long table with canonical names, including ``id`` and ``time`` and the helper column
        ``_msrelax_row`` (1-based data row of the file).
    visits : sequence of str
        Visit labels in order.
    file : str, optional
        Named in every problem.
    time_labels : mapping, optional
        Value labels (code -> label) of a numeric ``time`` column, as an SPSS or Stata file
        stores them. When given, and the column holds two or more codes of which some are not
        known visits and at least one has a label, those codes are one problem for the column
        instead of one per row (see :func:`coded_visits_problem`).

    Returns
    -------
    table : DataFrame
        ``id`` (text), ``time`` (ordered Categorical of ``visits``), ``group`` (text, when
        present) first; rows sorted by first appearance of the id, then visit order.
    problems : list of Problem
        Blank ids, blank or unknown visit labels, duplicate (id, visit) rows.
    """
    out = df.copy(deep=False)  # columns are replaced, never written into
    id_codes, id_values = text_codes(out["id"])  # codes: participants by first appearance
    out["id"] = pd.Series(np.append(id_values, np.nan)[id_codes], index=out.index, dtype=object)
    time_codes, time_texts = text_codes(out["time"])
    problems: list[Problem] = []
    for row in out.loc[id_codes < 0, ROW]:
        problems.append(
            Problem(
                f"blank participant id (data row {row}, not counting the header)",
                column="id",
                file=file,
            )
        )
    keys = {normalise_name(v): k for k, v in enumerate(visits)}
    visit_of = np.array([keys.get(normalise_name(t), -1) for t in time_texts] + [-1])
    visit_codes = visit_of[time_codes]  # each distinct label normalised once; -1: not a visit
    raw_time = pd.Series(np.append(time_texts, np.nan)[time_codes], index=out.index, dtype=object)
    bad = (visit_codes < 0) & (id_codes >= 0)
    coded = None
    if time_labels and (bad & (time_codes >= 0)).any():
        coded = coded_visits_problem(out["time"], time_labels, visits, file=file)
    if coded is not None:  # the codes are one problem; blank cells are still one per row
        problems.append(coded)
        bad &= time_codes < 0
    expected = ", ".join(visits)
    for pid, value in zip(out.loc[bad, "id"], raw_time[bad], strict=True):
        message = (
            "blank visit label"
            if pd.isna(value)
            else f"is not a known visit (expected one of: {expected})"
        )
        problems.append(
            Problem(
                message,
                participant=pid,
                column="time",
                value=None if pd.isna(value) else value,
                file=file,
            )
        )
    out["time"] = pd.Categorical.from_codes(visit_codes, categories=list(visits), ordered=True)
    # participants in order of first appearance (-1: blank id), visits in visit order
    good = (id_codes >= 0) & (visit_codes >= 0)
    pair_codes, pairs = pd.factorize(id_codes[good] * len(visits) + visit_codes[good])
    counts = np.bincount(pair_codes, minlength=len(pairs))
    for pair, count in zip(pairs[counts > 1], counts[counts > 1], strict=True):
        problems.append(
            Problem(
                f"appears {count} times (duplicate participant and visit)",
                participant=id_values[pair // len(visits)],
                visit=str(visits[pair % len(visits)]),
                column="id",
                file=file,
            )
        )
    if "group" in out.columns:
        out["group"] = as_text(out["group"])
    # stable order by first appearance of the id, then visit; no copy when already in order
    order = np.lexsort((visit_codes, id_codes))
    if not np.array_equal(order, np.arange(len(out))):
        out = out.take(order)
    keys_first = [c for c in ("id", "time", "group") if c in out.columns]
    out = out[keys_first + [c for c in out.columns if c not in keys_first and c != ROW]]
    return out.reset_index(drop=True), problems
