"""SIGINT and SIGTERM as an exception that unwinds through the cleanup of every output.

Python's default turns SIGINT into ``KeyboardInterrupt`` (a traceback) and lets SIGTERM kill
the process on the spot, leaving a half-written staging folder behind and the figure workers
writing into a closed pipe (``BrokenPipeError`` tracebacks). While :func:`interrupts_raised`
is active, either signal raises :class:`Interrupted` in the process that installed it: the
``try``/``except BaseException`` of every staging folder runs (the folder is removed, the
workers are stopped) and the command line exits with 128 + the signal number (130, 143)
and one line on stderr. A process forked meanwhile (a figure worker) gets the signals'
default actions back at the fork (``os.register_at_fork``): it ends quietly when its parent
stops it or the terminal interrupts the process group, even while it waits inside C code
(where a Python-level handler would never run), and its parent, not it, reports.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["Interrupted", "interrupts_raised"]

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_ACTIVE: list[int] = []  # the pid of the process whose signals raise Interrupted, if any


def _defaults_in_child() -> None:
    """After a fork while the handlers are installed: the child dies of the signals, silently."""
    if _ACTIVE:
        del _ACTIVE[:]
        for signum in SIGNALS:
            try:
                signal.signal(signum, signal.SIG_DFL)
            except ValueError:  # not the main thread of the interpreter
                pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_defaults_in_child)


class Interrupted(BaseException):
    """The run was stopped by a signal; ``signum`` says which (a BaseException, like
    ``KeyboardInterrupt``, so that ``except Exception`` never swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        """128 + the signal number, as a shell reports a process ended by it."""
        return 128 + self.signum


@contextmanager
def interrupts_raised() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` (main thread only;
    elsewhere signals cannot be handled in Python and the block changes nothing).

    A second signal while the first one's cleanup runs is ignored, so that the cleanup is not
    cut short; a third ends the process with the signal's default action.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked worker: die of the signal, silently
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        received.append(signum)
        if len(received) == 1:
            raise Interrupted(signum)
        if len(received) >= 3:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(owner, signum)

    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    for signum in SIGNALS:
        signal.signal(signum, handler)
    _ACTIVE.append(owner)
    try:
        yield
    finally:
        _ACTIVE.remove(owner)
        for signum, old in previous.items():
            signal.signal(signum, old if old is not None else signal.SIG_DFL)
