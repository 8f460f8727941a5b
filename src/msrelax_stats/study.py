"""``read_study``: a study file (or DataFrame) in, the canonical long table out, validated.

Two steps, each owned by its layer: :func:`msrelax_stats.data.read.read_table` reads the file
and checks its structure (ids, visits, duplicates, layout); :func:`msrelax_stats.instruments.
prepare_items` parses every item cell (numbers, decimal commas, clock times, hours) and checks
its range. Problems of both steps are reported together in one :class:`StudyDataError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import Any

import pandas as pd

from msrelax_stats.data.columns import parse_item_coding
from msrelax_stats.data.options import ReadOptions
from msrelax_stats.data.read import read_table
from msrelax_stats.errors import StudyDataError
from msrelax_stats.instruments import prepare_items
from msrelax_stats.instruments.registry import BUILTIN, numeric_columns, recognised_columns
from msrelax_stats.instruments.spec import InstrumentSpec, load_instrument

__all__ = ["read_study"]


def read_study(
    source: str | PathLike[str] | pd.DataFrame,
    options: ReadOptions | None = None,
    *,
    custom: Sequence[Any] = (),
    **keywords: Any,
) -> pd.DataFrame:
    """Read and validate a study into the canonical long table.

    Parameters
    ----------
    source : path or DataFrame
        A .csv/.tsv/.txt, .xlsx, .sav or .dta file, or a DataFrame in long or wide layout.
    options : ReadOptions, optional
        How to read the file (:class:`msrelax_stats.data.options.ReadOptions`: layout,
        column map, visits, sheet, missing codes, encoding, item coding), as ``analyze`` and
        the CLI pass them.
    **keywords
        The same fields one by one instead (``visits=["pre", "post"]``,
        ``column_map="map.toml"``, ``missing_codes=[-99]``; ``item_coding`` may be text,
        ``"psqi=1-4"``); not together with ``options``.
    custom : sequence, optional
        Custom instruments (specs, dicts or TOML paths, as ``score(instruments=...)`` takes
        them) whose items count as questionnaire items: a file with no item of a built-in
        or of these instruments is an error (``no questionnaire items recognised``).

    Returns
    -------
    pandas.DataFrame
        One row per participant per visit; see ``docs/architecture.md``. Accepted but flagged
        values (a range answer scored at its midpoint, ...) are listed in
        ``df.attrs["msrelax"]["notes"]``.

    Raises
    ------
    StudyDataError
        With every problem found, each naming file, participant, visit, column and value.

    Examples
    --------
    >>> import msrelax_stats as mrs
    >>> study = mrs.read_study("data/sample/pmr_study.csv")  # doctest: +SKIP
    >>> list(study["time"].cat.categories)  # doctest: +SKIP
    ['pre', 'post']
    """
    if isinstance(keywords.get("item_coding"), str):
        keywords["item_coding"] = parse_item_coding(keywords["item_coding"])
    options = ReadOptions.of(options, keywords)
    specs = [*BUILTIN, *filter(None, map(_custom_spec, custom))]
    table = read_table(
        source, options, known=recognised_columns(specs), numbers=numeric_columns(specs)
    )
    meta = dict(table.attrs.get("msrelax", {}))
    coding = {k: tuple(v) for k, v in meta.get("item_coding", {}).items()}
    coding.update(options.item_coding or {})
    meta["item_coding"] = {k: list(v) for k, v in coding.items()}
    prepared, problems, notes = prepare_items(
        table, item_coding=coding, value_labels=meta.get("value_labels", {})
    )
    if problems:
        file = meta.get("source")
        error = StudyDataError(problems)
        raise error.with_file(file) if file and file != "<DataFrame>" else error
    meta["notes"] = [*meta.get("notes", []), *(n.to_dict() for n in notes)]
    prepared.attrs["msrelax"] = meta
    return prepared


def _custom_spec(item: Any) -> InstrumentSpec | None:
    """The spec of a custom instrument (spec, dict or TOML path); ``None`` for a built-in's
    name (``score(instruments=["fss", spec])`` mixes both)."""
    if isinstance(item, InstrumentSpec):
        return item
    if isinstance(item, str) and item in {spec.name for spec in BUILTIN}:
        return None
    return load_instrument(item)
