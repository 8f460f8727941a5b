"""The checks of a custom instrument description (TOML/JSON file or dict), at the boundary.

Every problem of a description is found at once and raised as one
:class:`~msrelax_stats.errors.StudyDataError` naming the file, the key (``scores[2].name``)
and what it holds. Names become column names and file names (figures): instrument, score,
cut-off and band names must be lower-case identifiers (``sleepy_total``), item suffixes
letters, digits and ``_``; no path separator or ``..`` can come through.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from msrelax_stats.data.columns import describe_value, read_settings_file
from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["checked_description"]

NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
ITEM = re.compile(r"[A-Za-z0-9_]{1,32}")
TOP = {"name", "title", "items", "min", "max", "reverse", "better", "citation", "rule_text",
       "licence", "max_missing", "whole_numbers", "scores", "cutoffs", "bands"}  # fmt: skip
SCORE = {"name", "items", "method", "label", "max_missing", "outcome", "short_form", "mcid",
         "mcid_kind", "mcid_source", "role"}  # fmt: skip
CUTOFF = {"name", "score", "value", "op", "label"}
BANDS = {"name", "score", "lower", "labels"}
MAX_ITEMS = 1000


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


class _Checker:
    def __init__(self, source: str | None):
        self.source = source
        self.problems: list[Problem] = []

    def bad(self, key: str, rule: str, value: Any) -> None:
        self.problems.append(
            Problem(f"key '{key}' {rule}, not {describe_value(value)}", file=self.source)
        )

    def keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.problems.append(Problem(
                f"unknown key '{where}{key}' (known: {', '.join(sorted(allowed))})",
                file=self.source))  # fmt: skip

    def name(self, table: dict[str, Any], key: str, where: str) -> str | None:
        value = table.get(key)
        if value is None:
            self.problems.append(Problem(f"key '{where}{key}' is missing", file=self.source))
            return None
        if not isinstance(value, str) or not NAME.fullmatch(value.lower() if not where else value):
            self.bad(where + key, "must be a lower-case name of letters, digits and _ "
                     "(e.g. sleepy_total)", value)  # fmt: skip
            return None
        return value

    def items(self, value: Any, key: str) -> list[str] | None:
        if _is_count(value):
            if 1 <= value <= MAX_ITEMS:
                return [str(i) for i in range(1, value + 1)]
        elif isinstance(value, list) and value and len(value) <= MAX_ITEMS:
            texts = [str(v) for v in value if isinstance(v, str | int) and not isinstance(v, bool)]
            if len(texts) == len(value) and all(ITEM.fullmatch(t) for t in texts):
                if len(set(texts)) == len(texts):
                    return texts
        self.bad(key, f"must be a number of items (1-{MAX_ITEMS}) or a list of distinct item "
                 "names (letters, digits, _)", value)  # fmt: skip
        return None

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.bad(key, f"must be a list of tables ([[{key}]] in TOML)", value)
            return []
        return value


def _scores(check: _Checker, data: dict[str, Any], items: list[str] | None) -> None:
    for i, entry in enumerate(check.tables(data, "scores"), start=1):
        where = f"scores[{i}]."
        check.keys(entry, SCORE, where)
        check.name(entry, "name", where)
        if "items" in entry:
            chosen = check.items(entry["items"], where + "items")
            if chosen is not None and items is not None and set(chosen) - set(items):
                unknown = ", ".join(sorted(set(chosen) - set(items)))
                check.problems.append(Problem(f"key '{where}items' names unknown items "
                                              f"{unknown}", file=check.source))  # fmt: skip
        if entry.get("method", "sum") not in ("sum", "mean"):
            check.bad(where + "method", "must be 'sum' or 'mean'", entry["method"])
        if "max_missing" in entry and not _is_count(entry["max_missing"]):
            check.bad(where + "max_missing", "must be a whole number >= 0", entry["max_missing"])
        for flag in ("outcome", "short_form"):
            if flag in entry and not isinstance(entry[flag], bool):
                check.bad(where + flag, "must be true or false", entry[flag])
        if entry.get("mcid") is not None and not _is_number(entry["mcid"]):
            check.bad(where + "mcid", "must be a number", entry["mcid"])
        if entry.get("mcid_kind", "points") not in ("points", "percent"):
            check.bad(where + "mcid_kind", "must be 'points' or 'percent'", entry["mcid_kind"])
        if entry.get("role") not in (None, "headline", "subscale", "component"):
            check.bad(where + "role", "must be 'headline', 'subscale' or 'component'",
                      entry["role"])  # fmt: skip


def _rules(check: _Checker, data: dict[str, Any]) -> None:
    for i, entry in enumerate(check.tables(data, "cutoffs"), start=1):
        where = f"cutoffs[{i}]."
        check.keys(entry, CUTOFF, where)
        check.name(entry, "name", where)
        check.name(entry, "score", where)
        if not _is_number(entry.get("value")):
            check.bad(where + "value", "must be a number", entry.get("value"))
        if entry.get("op", ">=") not in (">=", ">"):
            check.bad(where + "op", "must be '>=' or '>'", entry["op"])
    for i, entry in enumerate(check.tables(data, "bands"), start=1):
        where = f"bands[{i}]."
        check.keys(entry, BANDS, where)
        check.name(entry, "name", where)
        check.name(entry, "score", where)
        lower, labels = entry.get("lower"), entry.get("labels")
        if not (isinstance(lower, list) and lower and all(map(_is_number, lower))
                and list(lower) == sorted(set(lower))):  # fmt: skip
            check.bad(where + "lower", "must be a list of increasing numbers", lower)
        if not (isinstance(labels, list) and all(isinstance(v, str) for v in labels)):
            check.bad(where + "labels", "must be a list of texts", labels)
        elif isinstance(lower, list) and len(lower) != len(labels):
            check.problems.append(Problem(
                f"key '{where}labels': bands need as many lower bounds as labels "
                f"({len(lower)} and {len(labels)})", file=check.source))  # fmt: skip


def checked_description(source: dict[str, Any] | str | Path) -> tuple[dict[str, Any], str | None]:
    """The description (read from the file when ``source`` is a path) and its file name.

    Raises
    ------
    StudyDataError
        With every problem: the file missing, empty, not UTF-8 or not valid TOML/JSON (line
        and column), a key missing (``name``, ``items``, ``min``, ``max``, a score's ``name``),
        unknown keys, values of the wrong kind, names that are not lower-case identifiers,
        min >= max, reverse or score items that are not items, bands and labels of different
        lengths.
    """
    if isinstance(source, dict):
        data, name = dict(source), None
    elif isinstance(source, str | Path):
        name = str(source)
        data = read_settings_file(Path(source), "instrument spec")
    else:
        raise StudyDataError(Problem(
            f"an instrument is a dict or a .toml file, not a {type(source).__name__}"))  # fmt: skip
    check = _Checker(name)
    check.keys(data, TOP, "")
    check.name(data, "name", "")
    items = check.items(data["items"], "items") if "items" in data else None
    if "items" not in data:
        check.problems.append(Problem("key 'items' is missing", file=name))
    bounds = []
    for key in ("min", "max"):
        if key not in data:
            check.problems.append(Problem(f"key '{key}' is missing (the item range)", file=name))
        elif not _is_number(data[key]):
            check.bad(key, "must be a number", data[key])
        else:
            bounds.append(data[key])
    if len(bounds) == 2 and not bounds[0] < bounds[1]:
        check.problems.append(Problem(f"keys 'min' and 'max': need min < max, not "
                                      f"{bounds[0]!r} and {bounds[1]!r}", file=name))  # fmt: skip
    if "reverse" in data:
        reverse = check.items(data["reverse"], "reverse") if data["reverse"] != [] else []
        if reverse and items is not None and set(reverse) - set(items):
            check.problems.append(Problem(
                f"key 'reverse' lists unknown items {', '.join(sorted(set(reverse) - set(items)))}",
                file=name))  # fmt: skip
    if data.get("better", "lower") not in ("lower", "higher"):
        check.bad("better", "must be 'lower' or 'higher'", data["better"])
    if "max_missing" in data and not _is_count(data["max_missing"]):
        check.bad("max_missing", "must be a whole number >= 0", data["max_missing"])
    if "whole_numbers" in data and not isinstance(data["whole_numbers"], bool):
        check.bad("whole_numbers", "must be true or false", data["whole_numbers"])
    for key in ("title", "citation", "rule_text", "licence"):
        if key in data and not isinstance(data[key], str):
            check.bad(key, "must be text", data[key])
    _scores(check, data, items)
    _rules(check, data)
    if check.problems:
        raise StudyDataError(check.problems)
    return data, name
