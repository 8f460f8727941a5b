"""Column names: normalisation, id/time/group aliases and user column maps.

Every column name of a study file is turned into its canonical lower-case form before
anything else looks at it, so that ``FSS 1``, ``Fss_1`` and `` fss-1 `` all become
``fss_1``. The rule (:func:`normalise_name`): strip, lower-case (Unicode ``casefold``), turn
every run of spaces, hyphens, dots and slashes into one ``_``, collapse repeated ``_`` and drop
leading/trailing ``_``.

Three key columns have a small, fixed set of aliases (after normalisation):

========  ==========================================================================
``id``    ``id``, ``participant``, ``participant_id``, ``subject``, ``subject_id``,
          ``patient_id``, ``record_id`` (REDCap)
``time``  ``time``, ``visit``, ``timepoint``
``group`` ``group``, ``arm``
========  ==========================================================================

Item columns are recognised in the spellings of real exports (``FSS1``, ``psqi_05a``; see
:mod:`msrelax_stats.data.recognise`). Anything else (``Yorgunluk 1``, ``hasta_no``, Qualtrics'
``Q1_1``) is named with a *column map*.

Column map
----------
A ``dict`` or a path to a ``.toml`` or ``.json`` file. Keys are the user's column names,
values the canonical names; both sides are normalised, so case and spacing do not matter.
Three keys are reserved:

``columns``
    a table (dict) of further ``user name -> canonical name`` entries;
``missing_codes``
    a list of codes that mean "missing" (e.g. ``[-99, 999]``);
``visits``
    the visit labels in order (e.g. ``["baseline", "week6"]``);
``item_coding``
    the codes an export used for an instrument's answers (``{psqi = "1-4"}``: Qualtrics
    numbers choices from 1), mapped onto the instrument's own codes before scoring.

Example TOML file::

    missing_codes = [-99]
    visits = ["pre", "post"]

    [columns]
    "Hasta No" = "id"
    "Yorgunluk 1" = "fss_1"

The same as JSON: ``{"missing_codes": [-99], "columns": {"Hasta No": "id"}}``; flat
entries (``{"Hasta No": "id"}``) are accepted too. Explicit ``missing_codes=``/``visits=``
arguments of :func:`msrelax_stats.data.read.read_table` take precedence over the file.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msrelax_stats.data.recognise import recognise
from msrelax_stats.errors import Problem, StudyDataError

__all__ = [
    "describe_value",
    "ALIASES",
    "ColumnMap",
    "canonical_names",
    "load_column_map",
    "normalise_name",
    "parse_item_coding",
    "read_settings_file",
]

ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "participant",
        "participant_id",
        "subject",
        "subject_id",
        "patient_id",
        "record_id",
    ),
    "time": ("time", "visit", "timepoint"),
    "group": ("group", "arm"),
}
_ALIAS_OF = {alias: key for key, names in ALIASES.items() for alias in names}
_SEPARATORS = re.compile(r"[\s\-./]+")
_UNDERSCORES = re.compile(r"_+")


def normalise_name(name: Any) -> str:
    """Canonical lower-case form of a column name.

    Parameters
    ----------
    name : Any
        A column name as found in the file (non-text names are converted with ``str``).

    Returns
    -------
    str
        The stripped, case-folded name with separators turned into single underscores.

    Examples
    --------
    >>> normalise_name(" FSS 1 "), normalise_name("Fss_1"), normalise_name("PSQI-5a")
    ('fss_1', 'fss_1', 'psqi_5a')
    """
    text = _SEPARATORS.sub("_", str(name).strip().casefold())
    return _UNDERSCORES.sub("_", text).strip("_")


@dataclass(frozen=True)
class ColumnMap:
    """A user column map split into its parts.

    ``columns`` maps normalised user names to normalised canonical names; ``missing_codes``
    and ``visits`` are ``None`` when the map does not set them.
    """

    columns: dict[str, str] = field(default_factory=dict)
    missing_codes: list[Any] | None = None
    visits: list[str] | None = None
    item_coding: dict[str, tuple[int, int]] | None = None


def load_column_map(column_map: Mapping[str, Any] | str | Path | None) -> ColumnMap:
    """Read a column map from a dict or a ``.toml``/``.json`` file.

    Parameters
    ----------
    column_map : dict, str, Path or None
        The map itself or the path of a TOML or JSON file holding it (format in the module
        docstring). ``None`` gives an empty map.

    Returns
    -------
    ColumnMap

    Raises
    ------
    StudyDataError
        The file is missing, empty, not UTF-8, not valid TOML/JSON (with line and column), or
        a key holds the wrong kind of value (``columns`` not a table, an entry not text,
        ``missing_codes``/``visits`` not lists of numbers or texts), each naming the file.

    Examples
    --------
    >>> load_column_map({"Hasta No": "ID", "missing_codes": [-99]})
    ColumnMap(columns={'hasta_no': 'id'}, missing_codes=[-99], visits=None, item_coding=None)
    """
    if column_map is None:
        return ColumnMap()
    source = None
    if isinstance(column_map, str | Path):
        source = str(column_map)
        raw = _read_map_file(Path(column_map))
    elif isinstance(column_map, Mapping):
        raw = dict(column_map)
    else:
        raise StudyDataError(Problem(
            f"a column map is a dict or a .toml/.json file, not {describe_value(column_map)}"))  # fmt: skip
    problems: list[Problem] = []
    table = raw.get("columns")
    if table is not None and not isinstance(table, Mapping):
        problems.append(Problem(
            "key 'columns' must be a table of \"your name\" = \"canonical name\" entries, "
            f"not {describe_value(table)}", file=source))  # fmt: skip
        table = None
    entries = dict(table or {})
    entries.update({k: v for k, v in raw.items() if k not in _RESERVED})
    columns: dict[str, str] = {}
    for user, canonical in entries.items():
        if not isinstance(canonical, str) or not canonical.strip():
            problems.append(
                Problem(
                    "column map entry must name a canonical column",
                    column=str(user),
                    value=canonical,
                    file=source,
                )
            )
            continue
        columns[normalise_name(user)] = normalise_name(canonical)
    codes = raw.get("missing_codes")
    visits = raw.get("visits")
    if codes is not None and not _is_list_of(codes, (str, int, float)):
        problems.append(Problem(
            f"key 'missing_codes' must be a list of numbers or texts (e.g. [-99, 999]), not "
            f"{describe_value(codes)}", file=source))  # fmt: skip
        codes = None
    if visits is not None and not _is_list_of(visits, (str, int)):
        problems.append(Problem(
            f"key 'visits' must be a list of visit labels (e.g. [\"pre\", \"post\"]), not "
            f"{describe_value(visits)}", file=source))  # fmt: skip
        visits = None
    coding = raw.get("item_coding")
    if coding is not None:
        try:
            coding = parse_item_coding(coding)
        except StudyDataError as error:
            problems += (error.with_file(source) if source else error).problems
            coding = None
    if problems:
        raise StudyDataError(problems)
    return ColumnMap(
        columns=columns,
        missing_codes=None if codes is None else list(codes),
        visits=None if visits is None else [str(v) for v in visits],
        item_coding=coding,
    )


_RESERVED = ("columns", "missing_codes", "visits", "item_coding")
_CODING = re.compile(r"^\s*(-?\d+)\s*-\s*(-?\d+)\s*$")


def parse_item_coding(value: Mapping[str, Any] | str) -> dict[str, tuple[int, int]]:
    """Item codings ``{"psqi": (1, 4)}`` from ``"psqi=1-4,ess=1-4"`` or ``{"psqi": "1-4"}``.

    The one reader of ``--item-coding`` and of the ``item_coding`` key of a column map: the
    codes the export used for an instrument's answers, lowest to highest.

    Raises
    ------
    StudyDataError
        An entry that is not ``instrument=low-high`` with whole numbers, low below high.

    Examples
    --------
    >>> parse_item_coding("psqi=1-4, ess=0-3")
    {'psqi': (1, 4), 'ess': (0, 3)}
    """
    if isinstance(value, str):
        entries: dict[str, Any] = {}
        for part in (p for p in value.split(",") if p.strip()):
            name, _, codes = part.partition("=")
            entries[name.strip()] = codes if _ else None
    elif isinstance(value, Mapping):
        entries = dict(value)
    else:
        raise StudyDataError(Problem(
            f"item_coding must be a table such as {{psqi = \"1-4\"}}, not {describe_value(value)}"))  # fmt: skip
    out: dict[str, tuple[int, int]] = {}
    problems = []
    for name, codes in entries.items():
        found = _CODING.match(codes) if isinstance(codes, str) else None
        if not name or found is None or int(found[1]) >= int(found[2]):
            problems.append(Problem(
                f"item coding must be instrument=low-high (e.g. psqi=1-4), not "
                f"{name}={'' if codes is None else codes}"))  # fmt: skip
            continue
        out[normalise_name(name)] = (int(found[1]), int(found[2]))
    if problems:
        raise StudyDataError(problems)
    return out


def describe_value(value: Any) -> str:
    """``value`` described for a message: ``the text 'fss'``, ``a table``, ``the number 3``."""
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, bool):
        return f"the value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        kinds = sorted({_PLURAL.get(type(v), "other values") for v in value})
        return f"a list of {' and '.join(kinds)}" if value else "an empty list"
    return f"a {type(value).__name__}"


_PLURAL = {str: "texts", int: "numbers", float: "numbers", bool: "true/false values",
           dict: "tables", list: "lists"}  # fmt: skip


def _is_list_of(value: Any, types: tuple[type, ...]) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(v, types) and not isinstance(v, bool) for v in value
    )


def read_settings_file(path: Path, what: str) -> dict[str, Any]:
    """A ``.toml`` or ``.json`` file of settings (column map, instrument spec) as a dict.

    Raises
    ------
    StudyDataError
        Missing file, not UTF-8, not valid TOML/JSON (with the line and column), not a
        table/object at the top, another suffix. ``what`` names the file in messages
        (``"column map"``).
    """
    name = str(path)
    if not path.is_file():
        raise StudyDataError(Problem(f"{what} file not found", file=name))
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise StudyDataError(Problem(f"{what} must be a .toml or .json file, not '{suffix}'",
                                     file=name))  # fmt: skip
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudyDataError(Problem(
            f"{what} is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8",
            file=name)) from None  # fmt: skip
    if not text.strip():
        raise StudyDataError(Problem(f"{what} file is empty", file=name))
    try:
        data = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StudyDataError(Problem(f"{what} is not valid TOML: {exc}", file=name)) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise StudyDataError(
            Problem(f"{what} is not valid JSON: {exc.msg} (at {where})", file=name)
        ) from None
    if not isinstance(data, dict):
        raise StudyDataError(
            Problem(f"{what} must be a JSON object {{...}}, not {describe_value(data)}", file=name)
        )
    return data


def _read_map_file(path: Path) -> dict[str, Any]:
    return read_settings_file(path, "column map")


def canonical_names(
    names: Sequence[Any],
    column_map: ColumnMap,
    *,
    file: str | None = None,
    known: Mapping[str, str] | None = None,
) -> tuple[list[str], list[Problem], list[Problem]]:
    """Canonical names for the columns of a file.

    Each name is normalised; a column-map entry wins, else an id/time/group alias applies,
    else a known item spelling (``known``: :func:`msrelax_stats.data.recognise.recognise`),
    else the normalised name is kept.

    Parameters
    ----------
    names : sequence
        The column names as read.
    column_map : ColumnMap
        The user's map (may be empty).
    file : str, optional
        Named in every problem.

    Returns
    -------
    names : list of str
        Canonical names, same length and order as ``names``.
    problems : list of Problem
        Two columns that end up with the same canonical name (both originals are named).
    notes : list of Problem
        Column-map entries that matched no column.

    Examples
    --------
    >>> canonical_names(["Participant", "FSS 1", "Visit"], ColumnMap())[0]
    ['id', 'fss_1', 'time']
    """
    normalised = [normalise_name(n) for n in names]
    out = [column_map.columns.get(n, _ALIAS_OF.get(n, n)) for n in normalised]
    problems: list[Problem] = []
    if known:
        free = [i for i, n in enumerate(normalised)
                if n not in column_map.columns and n not in _ALIAS_OF]  # fmt: skip
        renamed, problems = recognise([normalised[i] for i in free], known,
                                      originals=[names[i] for i in free], file=file)  # fmt: skip
        for k, canonical in renamed.items():
            out[free[k]] = canonical
    first: dict[str, Any] = {}
    for original, canonical in zip(names, out, strict=True):
        if canonical == "":
            continue
        if canonical in first:
            problems.append(
                Problem(
                    f"columns '{first[canonical]}' and '{original}' both become '{canonical}'",
                    column=canonical,
                    file=file,
                )
            )
        else:
            first[canonical] = original
    unused = sorted(set(column_map.columns) - set(normalised))
    notes = [
        Problem("column map entry matches no column of the file", column=name, file=file)
        for name in unused
    ]
    return out, problems, notes
