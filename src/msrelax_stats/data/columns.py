"""Column names: normalisation, id/time/group aliases and user column maps.

Every column name of a study file is turned into its canonical lower-case form before
anything else looks at it, so that ``FSS 1``, ``Fss_1`` and `` fss-1 `` all become
``fss_1``. The rule (:func:`normalise_name`): strip, lower-case (Unicode ``casefold``), turn
every run of spaces, hyphens, dots and slashes into one ``_``, collapse repeated ``_`` and drop
leading/trailing ``_``.

Three key columns have a small, fixed set of aliases (after normalisation):

========  ==========================================================================
``id``    ``id``, ``participant``, ``participant_id``, ``subject``, ``subject_id``,
          ``patient_id``
``time``  ``time``, ``visit``, ``timepoint``
``group`` ``group``, ``arm``
========  ==========================================================================

Anything else (``FSS1``, ``Yorgunluk 1``, ``hasta_no``) is named with a *column map*.

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
    the visit labels in order (e.g. ``["baseline", "week6"]``).

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

from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["ALIASES", "ColumnMap", "canonical_names", "load_column_map", "normalise_name"]

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "participant", "participant_id", "subject", "subject_id", "patient_id"),
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
        The file is missing, is not valid TOML/JSON, or an entry is not text.

    Examples
    --------
    >>> load_column_map({"Hasta No": "ID", "missing_codes": [-99]})
    ColumnMap(columns={'hasta_no': 'id'}, missing_codes=[-99], visits=None)
    """
    if column_map is None:
        return ColumnMap()
    source = None
    if isinstance(column_map, str | Path):
        source = str(column_map)
        raw = _read_map_file(Path(column_map))
    else:
        raw = dict(column_map)
    problems: list[Problem] = []
    entries = dict(raw.get("columns") or {})
    entries.update(
        {k: v for k, v in raw.items() if k not in ("columns", "missing_codes", "visits")}
    )
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
    if codes is not None and (isinstance(codes, str) or not isinstance(codes, Sequence)):
        problems.append(Problem("missing_codes must be a list", value=codes, file=source))
    if visits is not None and (isinstance(visits, str) or not isinstance(visits, Sequence)):
        problems.append(Problem("visits must be a list of labels", value=visits, file=source))
    if problems:
        raise StudyDataError(problems)
    return ColumnMap(
        columns=columns,
        missing_codes=None if codes is None else list(codes),
        visits=None if visits is None else [str(v) for v in visits],
    )


def _read_map_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise StudyDataError(Problem("column map file not found", file=str(path)))
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            return tomllib.loads(path.read_text(encoding="utf-8-sig"))
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            if not isinstance(data, dict):
                raise StudyDataError(Problem("column map must be a JSON object", file=str(path)))
            return data
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StudyDataError(
            Problem(f"column map is not valid {suffix[1:].upper()}: {exc}", file=str(path))
        ) from exc
    raise StudyDataError(
        Problem(f"column map must be a .toml or .json file, not '{suffix}'", file=str(path))
    )


def canonical_names(
    names: Sequence[Any], column_map: ColumnMap, *, file: str | None = None
) -> tuple[list[str], list[Problem], list[Problem]]:
    """Canonical names for the columns of a file.

    Each name is normalised; a column-map entry wins, else an id/time/group alias applies,
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
