"""The column map of a study file as msrelax_stats infers it, as the ``map`` command writes it.

The file's cells are loaded as :func:`msrelax_stats.study.read_study` loads them
(:func:`msrelax_stats.data.files.load_cells`) and its column names recognised the same way
(:func:`msrelax_stats.data.columns.canonical_names` with the instruments' known spellings,
:func:`msrelax_stats.instruments.registry.recognised_columns`), but nothing else is checked:
a file whose columns are not recognised (Qualtrics ``Q1_1``) still gets its map, with every
column left unmapped listed, commented, for the user to name and pass with ``--column-map``.
The text is TOML (:mod:`msrelax_stats.data.columns` describes the format); an existing file
is never overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Any

from msrelax_stats.data.columns import canonical_names, load_column_map
from msrelax_stats.data.exports import qualtrics_header_rows
from msrelax_stats.data.files import load_cells
from msrelax_stats.data.layout import as_text
from msrelax_stats.data.options import ReadOptions
from msrelax_stats.instruments.registry import BUILTIN, recognised_columns
from msrelax_stats.instruments.spec import InstrumentSpec, load_instrument

__all__ = ["inferred_map_text"]

_KEYS = ("id", "time", "group")
#: Columns of survey platforms that are never an item (not listed as "left unmapped").
_PLATFORM = ("redcap_", "startdate", "enddate", "status", "ipaddress", "progress", "duration",
             "finished", "recordeddate", "responseid", "recipient", "externalreference",
             "location", "distributionchannel", "userlanguage")  # fmt: skip


def inferred_map_text(
    source: str | PathLike[str], read: ReadOptions | None = None, custom: Sequence[Any] = ()
) -> str:
    """The inferred column map of ``source`` as commented TOML text.

    Examples
    --------
    >>> text = inferred_map_text("data/sample/pmr_study.csv")  # doctest: +SKIP
    >>> '"fss_1" = "fss_1"' in text  # doctest: +SKIP
    True
    """
    read = read or ReadOptions()
    cmap = load_column_map(read.column_map)
    specs = [
        *BUILTIN,
        *(c if isinstance(c, InstrumentSpec) else load_instrument(c) for c in custom),
    ]
    known = recognised_columns(specs)
    name = str(source)
    raw, _, _, _ = load_cells(Path(source), name, sheet=read.sheet, encoding=read.encoding)
    names, _, _ = canonical_names(list(raw.columns), cmap, file=name, known=known)
    raw, skipped = qualtrics_header_rows(raw, names)
    targets = set(known.values())
    used, left = [], []
    for original, canonical in zip(raw.columns, names, strict=True):
        if canonical in _KEYS or canonical in targets or canonical.startswith("nrs_"):
            used.append((str(original), canonical))
        elif (
            canonical
            and not canonical.startswith(_PLATFORM)
            and not canonical.endswith(("_complete", "_timestamp"))
        ):
            left.append(str(original))
    lines = [
        f"# Column map of {name}, as msrelax_stats recognised its columns.",
        "# Edit it and pass it with --column-map FILE: each entry is",
        '#   "your column" = "canonical column"   (docs/data.md, "Column maps").',
    ]
    if skipped:
        lines.append(
            f"# A Qualtrics export: its {skipped} header rows under the names are skipped."
        )
    if "redcap_event_name" in names:
        column = raw.iloc[:, names.index("redcap_event_name")]
        events = list(dict.fromkeys(as_text(column).dropna()))
        lines.append("# A REDCap export: visit and arm are read from redcap_event_name "
                     f"({', '.join(events[:6])}{', ...' if len(events) > 6 else ''}).")  # fmt: skip
    lines += [
        "# Answers numbered from 1 where the instrument counts from 0 (Qualtrics' default):",
        '# item_coding = {psqi = "1-4"}',
    ]
    if cmap.visits:
        lines.append(f"visits = {json.dumps(cmap.visits, ensure_ascii=False)}")
    if cmap.missing_codes:
        lines.append(f"missing_codes = {json.dumps(cmap.missing_codes, ensure_ascii=False)}")
    lines += ["", "[columns]"]
    lines += [f"{_quoted(o)} = {_quoted(c)}" for o, c in used]
    if not any(c not in _KEYS for _, c in used):
        lines.append("# no questionnaire item recognised: name the item columns below")
    if left:
        lines += ["", "# Columns left unmapped (kept, not scored): to use one, remove the '#'",
                  "# and write its canonical name (e.g. fss_1, psqi_5a, id, time)."]  # fmt: skip
        lines += [f'# {_quoted(o)} = ""' for o in left]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string is a JSON string
