"""The commands that look at a study file: ``validate`` (what was read, with every column
used as "your column -> canonical column") and ``map`` (the column map msrelax_stats infers,
as TOML; :func:`msrelax_stats.column_map_file.inferred_map_text`).

Kept out of :mod:`msrelax_stats.cli` (argument parsing and exit codes of the other commands).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from msrelax_stats.errors import terminal_text

__all__ = ["add_map_command", "add_validate_command", "cmd_map", "cmd_validate"]


def add_validate_command(commands: Any, add_reading_options: Any) -> argparse.ArgumentParser:
    """The ``validate`` subcommand, with the reading options of every command."""
    validate = commands.add_parser(
        "validate",
        help="check a study file and list every problem",
        description="Check a study file; exit 0 when clean, else list every problem (exit 2).",
    )
    add_reading_options(validate)
    validate.add_argument("--instrument-spec", metavar="FILE", action="append", default=[],
                          help="TOML file defining a custom instrument (repeatable)")  # fmt: skip
    return validate


def add_map_command(commands: Any) -> argparse.ArgumentParser:
    """The ``map`` subcommand (``DATA``, ``--out``, ``--column-map``, ``--sheet``,
    ``--encoding``, ``--instrument-spec``)."""
    parser = commands.add_parser(
        "map",
        help="write the column map inferred for a study, to edit and pass with --column-map",
        description="Recognise the columns of a study file and write the column map (TOML, "
        "commented, with the columns left unmapped) to --out, or to standard output. An "
        "existing file is never overwritten.",
    )
    parser.add_argument("data", help="study file: .csv, .tsv, .txt, .xlsx, .sav or .dta")
    parser.add_argument("--out", metavar="FILE", help="column map to write (default: stdout)")
    parser.add_argument("--column-map", metavar="FILE", help="a column map to start from")
    parser.add_argument("--sheet", help="worksheet of an .xlsx file (name or 0-based index)")
    parser.add_argument("--encoding", help="text encoding of a CSV file (default: detected)")
    parser.add_argument("--instrument-spec", metavar="FILE", action="append", default=[],
                        help="TOML file defining a custom instrument (repeatable)")  # fmt: skip
    return parser


def cmd_map(args: argparse.Namespace) -> int:
    """Write the inferred map of ``args.data`` to ``args.out`` (new file) or stdout."""
    from msrelax_stats.column_map_file import inferred_map_text
    from msrelax_stats.data.options import ReadOptions
    from msrelax_stats.plan_file import write_new_file

    if args.out is not None and Path(args.out).exists():  # before reading: never overwritten
        write_new_file(args.out, "")
    sheet = int(args.sheet) if isinstance(args.sheet, str) and args.sheet.isdigit() else args.sheet
    read = ReadOptions(column_map=args.column_map, sheet=sheet, encoding=args.encoding)
    text = inferred_map_text(args.data, read, custom=args.instrument_spec)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(terminal_text(f"wrote {write_new_file(args.out, text)}"))
    return 0


def cmd_validate(args: argparse.Namespace, read: Any) -> int:
    """Read and check ``args.data`` with the options ``read``; print what was used."""
    from msrelax_stats.study import read_study

    study = read_study(args.data, read, custom=args.instrument_spec)
    meta = study.attrs.get("msrelax", {})
    n_ids = study["id"].nunique()
    print(terminal_text(
        f"{args.data}: OK, {n_ids} participants, {len(study)} rows, "
        f"visits {', '.join(map(str, study['time'].cat.categories))} ({meta.get('layout')} layout)"
    ))  # fmt: skip
    print("columns used (your column -> canonical column):")
    for original, canonical in meta.get("columns", []):
        print(terminal_text(f"  {original} -> {canonical}"))
    for row in meta.get("excluded", []):
        print(terminal_text(f"excluded: participant {row['id']}, visit {row['visit']}: "
                            f"{row['reason']}"))  # fmt: skip
    for note in meta.get("notes", []):
        print(f"note: {_note_text(note)}")
    return 0


def _note_text(note: dict[str, Any]) -> str:
    from msrelax_stats.errors import Problem

    return str(Problem(**note))
