"""What the command line shows of the input, shown safely; and seed values checked.

:func:`command_guard` wraps a command: SIGINT/SIGTERM raise
:class:`~msrelax_stats.interrupts.Interrupted`, which unwinds through the cleanup of every
output, and its ``report`` says what was left (exit 130/143). Kept out of
:mod:`msrelax_stats.cli` (argument parsing and exit codes): argparse's messages
quote the values typed (``invalid choice: '\\x1b[2J'``) and matplotlib's warnings quote the
text of a figure (a label from the input), so both go through
:func:`msrelax_stats.errors.terminal_text` before they reach the terminal.
"""

from __future__ import annotations

import argparse
import gc
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

from msrelax_stats.errors import terminal_text
from msrelax_stats.interrupts import Interrupted, interrupts_raised

__all__ = ["SafeParser", "attach_values", "check_instrument_names", "command_guard", "print_error", "seed_value",
           "warning_line"]  # fmt: skip


class SafeParser(argparse.ArgumentParser):
    """argparse, with the values it quotes in its messages shown safely on the terminal
    (subcommand parsers are of the same class)."""

    def error(self, message: str) -> NoReturn:
        super().error(terminal_text(message))


def seed_value(text: str) -> int:
    """A random seed: a whole number >= 0 (what numpy's generators accept)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {value}")
    return value


def check_instrument_names(names: list[str] | None, specs: list[str]) -> None:
    """``--instruments``: every name a built-in instrument or one of ``--instrument-spec``.

    Raises
    ------
    StudyDataError
        Naming the first unknown name and the known ones.
    """
    if names is None:
        return
    from msrelax_stats.errors import Problem, StudyDataError
    from msrelax_stats.instruments import load_instrument
    from msrelax_stats.instruments.registry import BUILTIN

    known = [spec.name for spec in BUILTIN] + [load_instrument(path).name for path in specs]
    unknown = [n for n in names if n.lower() not in known and not n.lower().endswith(".toml")]
    if unknown:
        raise StudyDataError(
            Problem(f"--instruments: unknown instrument {unknown[0]!r}; known: {', '.join(known)}")
        )


def print_error(text: str) -> None:
    """``error: <text>`` on stderr, one line."""
    print(f"error: {terminal_text(text)}", file=sys.stderr)


def warning_line(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 line: str | None = None) -> str:  # fmt: skip
    """A warning as one ``warning: ...`` line (``warnings.formatwarning``), its text shown
    through terminal_text (a label drawn in a figure may hold control characters, which
    matplotlib quotes)."""
    return f"warning: {terminal_text(f'{category.__name__}: {message}')}\n"


def _output_folder():  # imported when a command runs (pandas): --help stays fast
    from msrelax_stats import output_folder

    return output_folder


class _Stopped:
    """What :func:`command_guard` yields: ``report(stop)`` after an interrupt."""

    def __init__(self) -> None:
        # Nothing is committed before the output-folder module is first imported; importing
        # it here (pandas, ~0.4 s) would leave a signal meanwhile with no ``_Stopped`` to report.
        module = sys.modules.get("msrelax_stats.output_folder")
        self.before = len(module.committed_outputs()) if module is not None else 0

    def report(self, stop: Interrupted) -> int:
        """Remove the staging leftovers, say what is complete, return 128 + the signal."""
        _release_quietly(stop)
        _output_folder().remove_leftovers()
        done = _output_folder().committed_outputs()[self.before :]
        status = f"complete in {', '.join(map(str, done))}" if done else "nothing was written"
        print(terminal_text(f"interrupted by {stop.args[0]}; {status}."), file=sys.stderr)
        return stop.exit_status


def _release_quietly(stop: BaseException) -> None:
    """Free the interrupted work (the frames in ``stop``'s traceback) with the complaints of
    its finalisers silenced: a writer stopped mid-file (openpyxl's worksheet generators) says
    "Exception ignored ... Traceback" on stderr when it is collected, about a file that the
    staging folder's removal discards anyway."""
    hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: None
    try:
        while stop is not None:
            stop.__traceback__, stop = None, stop.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


@contextmanager
def command_guard() -> Iterator[_Stopped]:
    """Run a command with SIGINT/SIGTERM raising ``Interrupted`` and warnings on one line."""
    shown, warnings.formatwarning = warnings.formatwarning, warning_line
    try:
        with interrupts_raised():
            yield _Stopped()
    finally:
        warnings.formatwarning = shown


# Options whose value may begin with "-" (``--missing-codes -99,999``): argparse would take such
# a value for an option, so it is attached as ``--missing-codes=-99,999`` before parsing.
_VALUE_MAY_START_WITH_DASH = ("--missing-codes", "--visits", "--outcomes", "--instruments")


def attach_values(argv: Sequence[str]) -> list[str]:
    """``argv`` with ``--missing-codes -99`` written as ``--missing-codes=-99`` (and so on)."""
    out: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        if items[i] in _VALUE_MAY_START_WITH_DASH and i + 1 < len(items):
            out.append(f"{items[i]}={items[i + 1]}")
            i += 2
        else:
            out.append(items[i])
            i += 1
    return out
