"""Work on two cores: a list mapped by this process and one forked child.

The child is a ``multiprocessing`` process started by ``fork``: the function and the items
reach it through the fork (they need not be picklable: figures, closures), and only its
results come back, pickled, through a pipe. Each item is computed by one process, exactly as
it would be alone, so the results are the same with one worker or two (the figure files and
the bootstrap included; tests check both).

Why one process and a pipe, not ``multiprocessing.Pool`` or ``ProcessPoolExecutor``: an
interrupt (``msrelax_stats.interrupts``) raises an exception in this process wherever it is,
and landing inside their locks and helper threads it left the command hanging at exit (once
in about twenty interrupted runs, caught by the test suite's Ctrl-C test). Here the signals
are held back only while the child is forked, and whatever happens, ``finally`` terminates
and reaps the child.

A child may split its own share the same way (``analyze`` computes the statistics in a child
that splits the outcomes with a grandchild, while the command imports the report), so the
children are not daemonic (``multiprocessing`` lets no daemon start children of its own); each is
instead tied to its parent (Linux ``PR_SET_PDEATHSIG``): when the parent ends, however it
ends, the child gets SIGTERM and ends too, and never computes on for nobody.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from msrelax_stats.interrupts import SIGNALS, signals_held

__all__ = ["split_map", "can_fork"]


def can_fork() -> bool:
    """Whether a second process is forked here: on Linux only. Windows cannot fork, and on
    macOS system libraries are not safe to use in a forked child (why CPython starts
    processes by spawn there); both then compute everything in one process."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def split_map(function: Callable[[Any], Any], items: Sequence[Any], *, workers: int = 1,
              meanwhile: Callable[[], Any] | None = None) -> list[Any]:  # fmt: skip
    """``[function(item) for item in items]``, in order.

    With ``workers >= 2``, two items or more and a platform that forks (:func:`can_fork`), a
    child computes the first half (rounded up) while this process calls ``meanwhile`` and
    computes the rest; otherwise this process calls ``meanwhile`` and computes them all. An
    exception in the child is raised here, after this process' own share.

    Examples
    --------
    >>> split_map(lambda x: x * x, [1, 2, 3], workers=2)
    [1, 4, 9]
    """
    split = (len(items) + 1) // 2 if workers >= 2 and len(items) >= 2 and can_fork() else 0
    if not split:
        if meanwhile is not None:
            meanwhile()
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(function, items[:split], writer, os.getpid()))
    started = False
    try:
        with signals_held():  # no interrupt mid-fork; one that came is raised at the end,
            child.start()  # and the child still reaped below
            started = True
        writer.close()  # the child's end: reading gets EOF if the child dies without a result
        if meanwhile is not None:
            meanwhile()
        own = [function(item) for item in items[split:]]
        try:
            ok, value = reader.recv()
        except EOFError:
            child.join()
            raise RuntimeError(f"the second process ended with exit code {child.exitcode} "
                               "before sending its results") from None  # fmt: skip
        if not ok:
            raise value
        return [*value, *own]
    finally:
        writer.close()
        reader.close()
        if started:
            if child.is_alive():
                child.terminate()
            child.join()


def _child(function: Callable[[Any], Any], items: Sequence[Any], writer: Any,
           parent: int) -> None:  # fmt: skip
    """The forked child: tie its life to the parent's, unblock the signals it inherited
    blocked, compute, send the results (or the exception) and exit."""
    _end_with_parent(parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    try:
        result: tuple[bool, Any] = (True, [function(item) for item in items])
    except Exception as error:  # raised in the parent, as one process would
        result = (False, error)
    writer.send(result)
    writer.close()


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _end_with_parent(parent: int) -> None:
    """SIGTERM to this process when the thread that forked it ends (Linux ``prctl``); if the
    parent has already gone, end now."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent ended before the call above
        os._exit(1)
