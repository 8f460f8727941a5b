"""Work on two cores: a list mapped by this process and one forked child.

The child is a ``multiprocessing`` process started by ``fork``: the function and the items
reach it through the fork (they need not be picklable: figures, closures), and only its
results come back, pickled, through a pipe. The child takes the items from the front of the
list and this process from the back (after its own other work), one at a time, until they
meet: which process computes which item depends on how long each takes, but each item is
computed by one process, exactly as it would be alone, so the results are the same with one
worker or two (the figure files and the bootstrap included; tests check both).

Why one process and a pipe, not ``multiprocessing.Pool`` or ``ProcessPoolExecutor``: an
interrupt (``msrelax_stats.interrupts``) raises an exception in this process wherever it is,
and landing inside their locks and helper threads it left the command hanging at exit (once
in about twenty interrupted runs, caught by the test suite's Ctrl-C test). Here there is no
helper thread, the one lock is held only to move an end of the list, the signals are held
back only while the child is forked, and whatever happens, ``finally`` terminates and reaps
the child (a child waiting for the lock ends on that SIGTERM).

A child may split its own share the same way (``analyze`` writes the report in a child that
splits the figures with a grandchild, while the command computes the statistics), so the
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
    child takes the items one by one from the front of the list while this process calls
    ``meanwhile`` and then takes them from the back, until they meet (:class:`_Ends`): the
    two finish together however unequal the items and ``meanwhile`` are. Otherwise this
    process calls ``meanwhile`` and computes them all. An exception in the child is raised
    here, after this process' own share.

    Examples
    --------
    >>> split_map(lambda x: x * x, [1, 2, 3], workers=2)
    [1, 4, 9]
    """
    if not (workers >= 2 and len(items) >= 2 and can_fork()):
        if meanwhile is not None:
            meanwhile()
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    ends = _Ends(context, len(items))
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(function, items, ends, writer, os.getpid()))
    started = False
    try:
        with signals_held():  # no interrupt mid-fork; one that came is raised at the end,
            child.start()  # and the child still reaped below
            started = True
        writer.close()  # the child's end: reading gets EOF if the child dies without a result
        if meanwhile is not None:
            meanwhile()
        results: dict[int, Any] = {}
        while (index := ends.take(back=True)) is not None:
            results[index] = function(items[index])
        try:
            ok, value = reader.recv()
        except EOFError:
            child.join()
            raise RuntimeError(f"the second process ended with exit code {child.exitcode} "
                               "before sending its results") from None  # fmt: skip
        if not ok:
            raise value
        results.update(value)
        return [results[index] for index in range(len(items))]
    finally:
        writer.close()
        reader.close()
        if started:
            if child.is_alive():
                child.terminate()
            child.join()


class _Ends:
    """The items not taken yet, ``front <= i < back``, shared by the two processes (shared
    memory and a lock, :mod:`multiprocessing`): the child takes from the front, the parent
    from the back, each item once."""

    def __init__(self, context: Any, n: int) -> None:
        self._lock = context.Lock()
        self._ends = context.RawArray("q", [0, n])

    def take(self, *, back: bool) -> int | None:
        with self._lock:
            front, end = self._ends
            if front >= end:
                return None
            if back:
                self._ends[1] = end - 1
                return end - 1
            self._ends[0] = front + 1
            return front

    def close(self) -> None:
        """Leave nothing to take (after an error: the parent need not compute on)."""
        with self._lock:
            self._ends[0] = self._ends[1]


def _child(function: Callable[[Any], Any], items: Sequence[Any], ends: _Ends, writer: Any,
           parent: int) -> None:  # fmt: skip
    """The forked child: tie its life to the parent's, unblock the signals it inherited
    blocked, compute the items it takes from the front, send the results (or the exception)
    and exit."""
    _end_with_parent(parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    try:
        results = {}
        while (index := ends.take(back=False)) is not None:
            results[index] = function(items[index])
        result: tuple[bool, Any] = (True, results)
    except Exception as error:  # raised in the parent, as one process would
        ends.close()
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
