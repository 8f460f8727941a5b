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

__all__ = ["Interrupted", "interrupts_raised", "signals_held"]

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_ACTIVE: list[int] = []  # the pid of the process whose signals raise Interrupted, if any
_HELD: list[int] = []  # one entry per open signals_held() block
_PENDING: list[int] = []  # signals that came while held, raised when the last block ends


def _defaults_in_child() -> None:
    """After a fork while the handlers are installed: the child dies of the signals, silently
    (and holds none: the blocks of :func:`signals_held` it was forked in are its parent's)."""
    del _HELD[:], _PENDING[:]
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
        if _HELD:  # within signals_held(): raised when it ends
            _PENDING.append(signum)
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


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back within the block (this thread's signal mask) and delivered
    as it ends: for what must not stop halfway, a fork (:mod:`msrelax_stats.parallel`) or an
    import (a module cut off mid-import leaves half-made objects that fail later in odd ways;
    seen once, a ``TypeError`` from numpy after a SIGTERM at 0.9 s). A signal the kernel gives
    to another thread (the mask is this thread's) is held by the handler of
    :func:`interrupts_raised` instead, and sent again when the block ends."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    _HELD.append(1)
    try:
        yield
    finally:
        _HELD.pop()
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # one blocked meanwhile: raised here
        if not _HELD and _PENDING:  # one that reached another thread: sent again, raised now
            signum = _PENDING.pop(0)
            del _PENDING[:]
            os.kill(os.getpid(), signum)
