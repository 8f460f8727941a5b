"""``score``: add every instrument's score columns to a long table."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.instruments.engine import score_spec
from msrelax_stats.instruments.prepare import prepare_items
from msrelax_stats.instruments.psqi import score_psqi
from msrelax_stats.instruments.registry import BUILTIN, DEFAULT, Registry
from msrelax_stats.instruments.spec import InstrumentSpec, load_instrument

__all__ = ["score"]

InstrumentLike = str | Path | dict[str, Any] | InstrumentSpec

_SCORERS = {"psqi": score_psqi}

#: Rows scored at once: every scorer works row by row, so scoring a large table in blocks
#: gives the same columns with bounded temporary memory (item matrices, masks, flag text).
BLOCK_ROWS = 2**16


def _score_blocks(scorer: Any, table: pd.DataFrame, spec: InstrumentSpec) -> dict[str, Any]:
    """``scorer(table, spec)`` computed on blocks of ``BLOCK_ROWS`` rows and joined."""
    if len(table) <= BLOCK_ROWS:
        return scorer(table, spec)
    parts = [scorer(table.iloc[start : start + BLOCK_ROWS], spec)
             for start in range(0, len(table), BLOCK_ROWS)]  # fmt: skip
    joined: dict[str, Any] = {}
    for name, first in parts[0].items():
        pieces = [part[name] for part in parts]
        if isinstance(first, np.ndarray):
            joined[name] = np.concatenate(pieces)
        else:  # pandas extension arrays (nullable boolean flags)
            joined[name] = pd.concat([pd.Series(p) for p in pieces], ignore_index=True).array
    return joined


def _resolve(item: InstrumentLike) -> InstrumentSpec:
    """A built-in spec by name, or a custom one (dict, TOML file, spec), which may not take a
    built-in's name."""
    if isinstance(item, InstrumentSpec):
        spec = item
    elif isinstance(item, dict):
        spec = load_instrument(item)
    elif isinstance(item, Path) or str(item).lower().endswith(".toml"):
        spec = load_instrument(item)
    else:
        return DEFAULT.spec(str(item))
    if spec.name in {b.name for b in BUILTIN} and spec not in BUILTIN:
        raise ValueError(f"{spec.name!r} is a built-in instrument; choose another name")
    return spec


def _as_list(items: InstrumentLike | list[InstrumentLike] | None) -> list[InstrumentLike]:
    if items is None:
        return []
    return list(items) if isinstance(items, list | tuple) else [items]


def score(
    data: pd.DataFrame,
    instruments: InstrumentLike | list[InstrumentLike] | None = None,
    *,
    custom: InstrumentLike | list[InstrumentLike] | None = None,
    **options: dict[str, Any],
) -> pd.DataFrame:
    """Score questionnaires: the input table with every score column added.

    Parameters
    ----------
    data : pandas.DataFrame
        Long table, one row per participant and visit (``read_study`` output, or a raw table
        whose item columns are still text: it is parsed and checked first).
    instruments : str, dict, path, InstrumentSpec or a list of them, optional
        Which instruments to score: built-in names (``"fss"``, ``"psqi"``, ...), a custom
        instrument as a dict or a TOML file, or a spec. ``None`` scores every instrument with
        an item or score column in ``data``.
    custom : dict, path, InstrumentSpec or a list of them, optional
        User-defined instruments to score as well. With ``instruments=None`` they join every
        built-in instrument present. Nothing is registered for the process: the scored table
        carries the registry it was scored with (:func:`msrelax_stats.instruments.registry.
        registry_of`), so ``compare`` and the report know these instruments for this table.
    **options : dict
        Options per instrument, as a dict under the instrument's name:
        ``psqi={"duration_rule": "paper", "efficiency_over_100": "missing",
        "max_missing_components": 1}``, ``fss={"cutoff": 5}``, ``hads={"max_missing": 0,
        "input_coding": "endorsement"}``. Every instrument takes ``max_missing`` (items that may
        be missing, prorated; default 0 = strict, 1 for HADS) and ``cutoff`` (threshold of its
        caseness flag) where it has one.

    Returns
    -------
    pandas.DataFrame
        ``data`` with score columns added (names of INSTRUMENTS.md): scores float64, caseness
        flags nullable boolean, bands text, ``<instrument>_n_answered`` int64,
        ``<instrument>_flags`` ";"-joined text. ``attrs`` are kept; accepted-but-flagged
        values are appended to ``attrs["msrelax"]["notes"]``, the options used to
        ``attrs["msrelax"]["scoring"]`` and the registry of the instruments as scored (options
        applied, custom ones added) to ``attrs["msrelax"]["registry"]``.

    Raises
    ------
    StudyDataError
        With every problem found: unreadable or out-of-range answers (participant, visit,
        column, value), or a requested instrument without any column in ``data``.
    TypeError, ValueError
        Unknown instrument option or option value.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["1"], "time": ["pre"],
    ...                    **{f"fss_{i}": [4] for i in range(1, 10)}})
    >>> scored = score(df, fss={"cutoff": 5})
    >>> float(scored.loc[0, "fss_mean"]), bool(scored.loc[0, "fss_fatigued"])
    (4.0, False)
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError("score() needs a pandas DataFrame; read files with read_study()")
    extra = [_resolve(item) for item in _as_list(custom)]
    if instruments is None:
        specs = DEFAULT.present(data.columns)
    else:
        specs = [_resolve(item) for item in _as_list(instruments)]
    specs = list({spec.name: spec for spec in [*specs, *extra]}.values())
    names = {spec.name for spec in specs} | {spec.name for spec in BUILTIN}
    unknown = sorted(set(options) - names)
    if unknown:
        raise TypeError(
            f"score() got unknown option(s) {unknown}; options go per instrument, "
            'e.g. psqi={"duration_rule": "paper"}'
        )
    specs = [spec.with_options(**options.get(spec.name, {})) for spec in specs]
    asked = {s.name for s in extra} | (
        {s.name for s in specs} if instruments is not None else set()
    )
    here = {spec.name for spec in Registry(tuple(specs)).present(data.columns)}
    message = "has no item or score column in the table"
    problems = [Problem(message, column=f"{name}_*") for name in sorted(asked - here)]
    prepared, found, notes = prepare_items(data, specs)
    problems += found
    if problems:
        raise StudyDataError(problems)
    new: dict[str, Any] = {}
    for spec in specs:
        scorer = _SCORERS.get(spec.scorer or "", score_spec)
        new.update(_score_blocks(scorer, prepared, spec))
    added = pd.DataFrame(new, index=prepared.index, copy=False)  # the arrays are new already
    result = pd.concat([prepared.drop(columns=[c for c in added if c in prepared]), added], axis=1)
    result.attrs = copy.deepcopy(data.attrs)
    meta = result.attrs.setdefault("msrelax", {})
    if notes:
        meta.setdefault("notes", []).extend(note.to_dict() for note in notes)
    meta["scoring"] = {spec.name: dict(options.get(spec.name, {})) for spec in specs}
    meta["registry"] = DEFAULT.with_instruments(specs)
    return result
