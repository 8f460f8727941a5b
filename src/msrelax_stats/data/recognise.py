"""Item columns recognised without a column map, in the spellings real exports use.

The instruments layer gives the names it knows (:func:`msrelax_stats.instruments.registry.
recognised_columns`: every item and score column, and the item names of public exports, such
as the REDCap Shared Library PSQI's ``psqi_5othera`` for item 5j or Qualtrics' matrix columns
``psqi_5_1`` .. ``psqi_5_10``). A column of the file is recognised when its *key* is the key of
exactly one known name. The key (:func:`name_key`) of a normalised name drops the separators,
a ``q`` before the item number and the zeros that pad a number, so ``FSS1``, ``FSS_01``,
``fss.1``, ``PSQI5a``, ``PSQI_5A``, ``psqi_q5a`` and ``psqi_05a`` are ``fss_1`` and
``psqi_5a``. A key shared by two known names is never guessed: the column is reported with
both candidates. Two columns of the file that become one canonical name are reported by
:func:`msrelax_stats.data.columns.canonical_names` (both named).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

from msrelax_stats.errors import Problem

__all__ = ["NO_ITEMS", "closest_items", "name_key", "recognise"]

#: The words of the error raised when a file holds no questionnaire item (exact, tested).
NO_ITEMS = "no questionnaire items recognised"
_PADDED = re.compile(r"(?<!\d)0+(?=\d)")
_Q_NUMBER = re.compile(r"(?<=[a-z])q(?=\d)")


def name_key(name: str) -> str:
    """The key two spellings of one item column share (module notes).

    Examples
    --------
    >>> [name_key(n) for n in ("fss_1", "fss_01", "psqi_q5a", "psqi_05a", "psqi5a")]
    ['fss1', 'fss1', 'psqi5a', 'psqi5a', 'psqi5a']
    """
    key = name.replace("_", "")
    key = _PADDED.sub("", key)
    return _Q_NUMBER.sub("", key)


def recognise(
    normalised: Sequence[str],
    known: Mapping[str, str],
    *,
    originals: Sequence[object] | None = None,
    file: str | None = None,
) -> tuple[dict[int, str], list[Problem]]:
    """Canonical names for the columns whose key matches one known name.

    Parameters
    ----------
    normalised : sequence of str
        Normalised column names (after the column map and the id/time/group aliases).
    known : mapping
        Known column name (normalised) -> the canonical column it stands for.
    originals : sequence, optional
        The names as the file spells them, for messages.
    file : str, optional
        Named in every problem.

    Returns
    -------
    renamed : dict
        Position -> canonical name, for the columns recognised (a known name itself is not
        listed).
    problems : list of Problem
        A column whose key belongs to two or more canonical columns (all named).

    Examples
    --------
    >>> recognise(["FSS1".lower(), "age"], {"fss_1": "fss_1"})[0]
    {0: 'fss_1'}
    """
    by_key: dict[str, set[str]] = {}
    for name, canonical in known.items():
        by_key.setdefault(name_key(name), set()).add(canonical)
    renamed: dict[int, str] = {}
    problems: list[Problem] = []
    for i, name in enumerate(normalised):
        if name in known:
            if known[name] != name:
                renamed[i] = known[name]
            continue
        found = by_key.get(name_key(name), set())
        if len(found) == 1:
            renamed[i] = next(iter(found))
        elif len(found) > 1:
            shown = originals[i] if originals is not None else name
            problems.append(
                Problem(
                    f"column '{shown}' could be {' or '.join(sorted(found))}: name it in a "
                    "column map (python -m msrelax_stats map DATA writes one)",
                    column=str(shown),
                    file=file,
                )
            )
    return renamed, problems


def closest_items(names: Iterable[object], known: Iterable[str], limit: int = 3) -> list[str]:
    """``"<column> looks like <canonical>"`` for the columns nearest a known item name.

    Examples
    --------
    >>> closest_items(["Yorgunluk", "fss_item1"], ["fss_1", "psqi_1"])
    ['fss_item1 looks like fss_1']
    """
    targets = sorted(set(known))
    found: list[tuple[float, str]] = []
    for name in names:
        text = str(name)
        lower = text.casefold()
        match = difflib.get_close_matches(lower, targets, n=1, cutoff=0.5)
        if match:
            ratio = difflib.SequenceMatcher(None, lower, match[0]).ratio()
            found.append((-ratio, f"{text} looks like {match[0]}"))
    return [line for _, line in sorted(found)[:limit]]
