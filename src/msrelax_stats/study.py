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

from msrelax_stats.data.options import ReadOptions
from msrelax_stats.data.read import read_table
from msrelax_stats.errors import StudyDataError
from msrelax_stats.instruments import prepare_items

__all__ = ["read_study"]


def read_study(
    source: str | PathLike[str] | pd.DataFrame,
    options: ReadOptions | None = None,
    *,
    layout: str | None = None,
    column_map: str | PathLike[str] | dict[str, str] | None = None,
    visits: Sequence[str] | None = None,
    sheet: str | int | None = None,
    missing_codes: Sequence[Any] | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read and validate a study into the canonical long table.

    Parameters
    ----------
    source : path or DataFrame
        A .csv/.tsv/.txt, .xlsx, .sav or .dta file, or a DataFrame in long or wide layout.
    options : ReadOptions, optional
        All the options below in one object (as ``analyze`` and the CLI pass them); not
        together with the keywords.
    layout : {"long", "wide"}, optional
        Force the layout instead of detecting it.
    column_map : dict or path to a .toml/.json file, optional
        User column names -> canonical names (see ``docs/data.md``).
    visits : sequence of str, optional
        Visit labels in their order; default ``("pre", "post")``.
    sheet : str or int, optional
        Worksheet of an .xlsx file.
    missing_codes : sequence, optional
        Values that mean "missing" in this export (e.g. ``[-99, 999]``).
    encoding : str, optional
        Force the text encoding of a CSV file.

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
    given = {"layout": layout, "column_map": column_map, "visits": visits, "sheet": sheet,
             "missing_codes": missing_codes, "encoding": encoding}  # fmt: skip
    if options is None:
        options = ReadOptions(**given)
    elif any(v is not None for v in given.values()):
        raise TypeError("read_study(): options= and keyword options together")
    table = read_table(
        source,
        layout=options.layout,
        column_map=options.column_map,
        visits=options.visits,
        sheet=options.sheet,
        missing_codes=options.missing_codes,
        encoding=options.encoding,
    )
    meta = dict(table.attrs.get("msrelax", {}))
    prepared, problems, notes = prepare_items(table)
    if problems:
        file = meta.get("source")
        error = StudyDataError(problems)
        raise error.with_file(file) if file and file != "<DataFrame>" else error
    meta["notes"] = [*meta.get("notes", []), *(n.to_dict() for n in notes)]
    prepared.attrs["msrelax"] = meta
    return prepared
