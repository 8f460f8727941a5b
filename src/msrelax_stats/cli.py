"""The command line: argument parsing and exit codes only; the work is done by the public API.

Exit status: 0 success, 2 bad input or usage (``error: ...`` lines on stderr, no traceback),
1 only for a bug in msrelax_stats. Heavy libraries (statsmodels, matplotlib) are
imported only by the commands that need them, so ``--help`` and ``validate`` start fast.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from msrelax_stats import __version__
from msrelax_stats.cli_imports import ANALYZE_MODULES, frozen_imports
from msrelax_stats.cli_inspect import add_map_command, add_validate_command, cmd_map, cmd_validate
from msrelax_stats.cli_safety import (
    SafeParser,
    attach_values,
    check_instrument_names,
    command_guard,
    print_error,
    seed_value,
)
from msrelax_stats.errors import StudyDataError, terminal_text
from msrelax_stats.interrupts import Interrupted

__all__ = ["main", "build_parser"]

# One BLAS thread per process for ``analyze`` (read when numpy and scipy load their BLAS, so
# set before either is imported): the command computes in processes (``--workers``), and the
# matrices of a study are too small for threads to help. Each BLAS library (numpy's and
# scipy's OpenBLAS) starts a pool of threads as it loads, which spin for a while before they
# sleep: about 0.2 s of CPU per run (the import floor alone: 1.16 s user time against 0.97 s
# with one thread), taken from the other process on two cores (about 5 % of the wall time of
# ``analyze`` on the sample, benchmarks/README.md run M). A user's own setting is kept.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


class _UsageError(Exception):
    """A command-line option with a bad value (exit status 2)."""


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    items = [part.strip() for part in text.split(",") if part.strip()]
    return items or None


def _missing_codes(text: str | None) -> list[Any] | None:
    codes = _split(text)
    if codes is None:
        return None
    out: list[Any] = []
    for code in codes:
        try:
            number = float(code)
        except ValueError:
            out.append(code)
        else:
            out.append(int(number) if number.is_integer() else number)
    return out


def _add_reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", help="study file: .csv, .tsv, .txt, .xlsx, .sav or .dta")
    parser.add_argument(
        "--visits",
        metavar="LABELS",
        help="visit labels in order, comma-separated (default: pre,post)",
    )
    parser.add_argument("--layout", choices=["long", "wide"], help="force the file layout")
    parser.add_argument(
        "--column-map", metavar="FILE", help="TOML or JSON file: your column names -> canonical"
    )
    parser.add_argument(
        "--missing-codes", metavar="CODES", help="values meaning 'missing', e.g. -99,999"
    )
    parser.add_argument("--sheet", help="worksheet of an .xlsx file (name or 0-based index)")
    parser.add_argument("--encoding", help="text encoding of a CSV file (default: detected)")
    parser.add_argument("--item-coding", metavar="CODINGS", help="codes the export used for an "
                        "instrument's answers, e.g. psqi=1-4 (Qualtrics numbers choices from 1)")  # fmt: skip


def _add_scoring_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--instruments",
        metavar="NAMES",
        help="score only these instruments, comma-separated (default: every one present)",
    )
    parser.add_argument(
        "--instrument-spec",
        metavar="FILE",
        action="append",
        default=[],
        help="TOML file defining a custom instrument (repeatable)",
    )
    parser.add_argument(
        "--psqi-duration-rule",
        choices=["pittsburgh", "paper"],
        help="PSQI component 3 bins (default: pittsburgh)",
    )
    parser.add_argument(
        "--psqi-efficiency-over-100",
        choices=["score", "missing"],
        help="PSQI component 4 when efficiency > 100 %% (default: score as 0 and flag)",
    )
    parser.add_argument(
        "--psqi-max-missing-components",
        type=int,
        choices=range(7),
        metavar="K",
        help="prorate the PSQI global when at most K components are missing (default: 0)",
    )


_FORCE_HELP = (
    "write into an --out folder that holds other files: replaces only the files this tool "
    "wrote there before (listed in its .msrelax-output.json), never any other"
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m msrelax_stats``."""
    parser = SafeParser(
        prog="python -m msrelax_stats",
        description=(
            "Score MS fatigue, sleep and spasm questionnaires and analyse pre/post "
            "intervention studies (paired tests, effect sizes, figures, report)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"msrelax_stats {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    analyze = commands.add_parser(
        "analyze",
        help="read, validate, score, compare and write the report",
        description="Read, validate and score a study, compare the visits, write tables, "
        "figures and report.html into --out.",
    )
    _add_reading_options(analyze)
    _add_scoring_options(analyze)
    analyze.add_argument("--out", default="msrelax_results", help="output folder")
    analyze.add_argument("--force", action="store_true", help=_FORCE_HELP)
    analyze.add_argument("--outcomes", metavar="NAMES", help="outcomes to compare (default: all)")
    analyze.add_argument("--ci-level", type=float, default=0.95, help="confidence level")
    analyze.add_argument("--seed", type=int, default=1, help="bootstrap seed (default: 1)")
    analyze.add_argument(
        "--n-boot", type=int, default=10000, help="bootstrap resamples (default: 10000)"
    )
    analyze.add_argument(
        "--primary-test",
        choices=["t", "wilcoxon"],
        help="the paired within-group test named as primary (both are always reported; "
        "default: the plan's, else t)",
    )
    analyze.add_argument("--plan", metavar="FILE", help="analysis plan (TOML; default: the "
                         "default plan, which 'plan DATA' writes)")  # fmt: skip
    analyze.add_argument(
        "--missing", choices=["complete", "mi", "mixed"],
        help="missing outcome data: complete cases, or also the intention-to-treat analysis "
        "by multiple imputation (mi) or a mixed model (mixed), with sensitivity analyses "
        "(default: the plan's, else complete)",
    )  # fmt: skip
    analyze.add_argument("--control", help="label of the control arm (two-arm studies)")
    analyze.add_argument("--diary", metavar="FILE", help="practice diary file")
    analyze.add_argument(
        "--diary-days",
        type=int,
        metavar="N",
        help="length of the practice period in days (default: the last diary day most "
        "participants recorded); diary rows outside days 1..N are excluded and listed",
    )
    analyze.add_argument(
        "--figures",
        choices=["primary", "headline", "all"],
        default="primary",
        help="which outcomes get figures of their own: the primary outcomes (FSS mean, PSQI "
        "global; default), the headline score of each instrument, or all",
    )
    analyze.add_argument(
        "--figure-formats",
        default="png",
        metavar="FORMATS",
        help="figure formats, comma-separated among png,svg,pdf (default: png)",
    )
    analyze.add_argument(
        "--paper",
        choices=["a4", "letter"],
        default="a4",
        help="page size of report.docx: A4 or US Letter (default: a4)",
    )
    analyze.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes to use: 2 computes half of the outcomes and saves half of the "
        "figures in a second process (default: 2 with two or more cores, else 1); the "
        "results are the same either way",
    )

    score = commands.add_parser(
        "score",
        help="score every instrument and write the scored table",
        description="Read, validate and score a study; write the long table with scores.",
    )
    _add_reading_options(score)
    _add_scoring_options(score)
    score.add_argument("--out", required=True, help="output file (.csv or .xlsx)")
    score.add_argument("--force", action="store_true", help="replace an existing --out file "
                       "(never an input file)")  # fmt: skip

    add_validate_command(commands, _add_reading_options)
    add_map_command(commands)

    plan = commands.add_parser(
        "plan",
        help="write the default analysis plan of a study, to edit and pass with --plan",
        description="Read and score a study; write its default analysis plan (TOML, commented) "
        "to --out, or to standard output. An existing file is never overwritten.",
    )
    _add_reading_options(plan)
    _add_scoring_options(plan)
    plan.add_argument("--out", metavar="FILE", help="plan file to write (default: stdout)")

    sample = commands.add_parser(
        "sample",
        help="write the synthetic example study",
        description="Write the synthetic 32-participant example study (seeded, reproducible).",
    )
    sample.add_argument("--out", required=True, help="output folder, or a .csv file")
    sample.add_argument("--force", action="store_true", help=_FORCE_HELP)
    sample.add_argument("--n", type=int, default=32, help="participants (default: 32)")
    sample.add_argument("--seed", type=seed_value, default=1, help="random seed (default: 1)")
    return parser


def _read_options(args: argparse.Namespace) -> Any:
    from msrelax_stats.data.options import ReadOptions

    sheet: str | int | None = args.sheet
    if isinstance(sheet, str) and sheet.isdigit():
        sheet = int(sheet)
    from msrelax_stats.data.columns import parse_item_coding

    visits, codes = _split(args.visits), _missing_codes(args.missing_codes)
    coding = parse_item_coding(args.item_coding) if args.item_coding else None
    return ReadOptions(layout=args.layout, column_map=args.column_map, visits=visits,
                       sheet=sheet, missing_codes=codes, encoding=args.encoding,
                       item_coding=coding)  # fmt: skip


def _scoring_options(args: argparse.Namespace) -> Any:
    from msrelax_stats.instruments.options import ScoringOptions

    kwargs = _scoring_kwargs(args)
    return ScoringOptions(instruments=kwargs.pop("instruments", None),
                          custom=kwargs.pop("custom", ()), per_instrument=kwargs)  # fmt: skip


def _scoring_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    psqi = {
        key: value
        for key, value in {
            "duration_rule": args.psqi_duration_rule,
            "efficiency_over_100": args.psqi_efficiency_over_100,
            "max_missing_components": args.psqi_max_missing_components,
        }.items()
        if value is not None
    }
    kwargs: dict[str, Any] = {}
    names = _split(args.instruments)
    specs = list(args.instrument_spec)
    check_instrument_names(names, specs)
    if names is not None or specs:
        kwargs["instruments"] = [*(names or []), *specs] if names is not None else None
        if specs:
            kwargs["custom"] = specs
    if psqi:
        kwargs["psqi"] = psqi
    return kwargs


def _cmd_score(args: argparse.Namespace) -> int:
    from msrelax_stats.instruments import score
    from msrelax_stats.output_folder import input_files, write_new_file, write_table
    from msrelax_stats.study import read_study

    scoring = _scoring_options(args)
    read = dataclasses.replace(_read_options(args), single_visit=True)  # one visit scores too
    study = read_study(args.data, read, custom=[*scoring.custom, *(scoring.instruments or ())])
    scored = score(study, **scoring.kwargs())
    inputs = input_files(args.data, args.column_map, args.instrument_spec, _split(args.instruments))
    write_new_file(Path(args.out), lambda path: write_table(scored, path), protect=inputs,
                   force=args.force)  # fmt: skip
    print(terminal_text(f"wrote {args.out}"))
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    from msrelax_stats.pipeline import analyze
    from msrelax_stats.report.options import ReportOptions
    from msrelax_stats.stats.options import AnalysisOptions

    outcomes = _split(args.outcomes)
    analysis = AnalysisOptions(
        outcomes=tuple(outcomes) if outcomes else None, ci_level=args.ci_level, seed=args.seed,
        n_boot=args.n_boot, primary_test=args.primary_test, control=args.control,
        diary_days=args.diary_days, plan=args.plan, missing=args.missing,
    )  # fmt: skip
    report = ReportOptions(
        figure_formats=tuple(_split(args.figure_formats) or ["png"]), figure_set=args.figures,
        command=" ".join(["python -m msrelax_stats", *sys.argv[1:]]), paper=args.paper,
    )  # fmt: skip
    options = (_read_options(args), _scoring_options(args), analysis, report)
    workers = _default_workers() if args.workers is None else args.workers
    result = analyze(args.data, out=Path(args.out), diary=args.diary, options=options,
                     force=args.force, workers=workers)  # fmt: skip
    print(result.summary())  # each line shown through terminal_text
    return 0


def _default_workers() -> int:
    """2 where this process may use two cores or more, else 1."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 if (cores or 1) >= 2 else 1


def _cmd_plan(args: argparse.Namespace) -> int:
    from msrelax_stats.plan_file import default_plan_text, write_new_file

    if args.out is not None and Path(args.out).exists():  # before reading: never overwritten
        write_new_file(args.out, "")
    text = default_plan_text(args.data, _read_options(args), _scoring_options(args))
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(f"wrote {write_new_file(args.out, text)}")
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from msrelax_stats.output_folder import write_new_file, write_new_folder
    from msrelax_stats.sample import write_sample

    if args.n < 2:
        raise _UsageError(f"--n must be at least 2, got {args.n}")
    out, write = Path(args.out), lambda path: write_sample(path, n=args.n, seed=args.seed)
    if out.suffix.lower() == ".csv":  # one file
        written = [write_new_file(out, write, force=args.force)]
    else:  # a folder, under the output-folder rule
        written = write_new_folder(out, write, force=args.force)
    for path in written:
        print(terminal_text(f"wrote {path}"))
    return 0


_COMMANDS = {
    "analyze": _cmd_analyze,
    "score": _cmd_score,
    "validate": lambda args: cmd_validate(args, _read_options(args)),
    "plan": _cmd_plan,
    "sample": _cmd_sample,
    "map": cmd_map,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    ``argv=None`` (``python -m msrelax_stats``, the ``msrelax-stats`` script) reads
    ``sys.argv`` and treats this process as the command, which ends when ``main`` returns.
    """
    program = argv is None
    argv = attach_values(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)  # usage errors exit with status 2
    try:
        with command_guard() as stopped:  # SIGINT/SIGTERM unwind; warnings one line
            if args.command == "analyze":
                if program:  # this process only writes files: matplotlib's Agg, named, spares
                    # the first figure its search for a backend (importing pyplot, probing
                    # for a display and GUI toolkits); a notebook's backend is left alone
                    os.environ["MPLBACKEND"] = "agg"
                    for name in BLAS_THREADS:  # unless the user chose otherwise
                        os.environ.setdefault(name, "1")
                with frozen_imports(ANALYZE_MODULES, keep_frozen=program):
                    return _cmd_analyze(args)
            return _COMMANDS[args.command](args)
    except Interrupted as stop:
        return stopped.report(stop)
    except StudyDataError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        n = len(error.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 2
    except _UsageError as error:
        print_error(str(error))
        return 2
    except OSError as error:  # an output path we cannot write, a disk full, ...
        print_error(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
        return 2
