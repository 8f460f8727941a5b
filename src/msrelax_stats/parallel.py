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

A child may split its own share the same way (``analyze`` computes the statistics in a child,
:func:`call_ahead`, which splits the outcomes with a grandchild, while the command reads the
data and then writes the report, splitting the figures with a child of its own), so the
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
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from msrelax_stats.interrupts import SIGNALS, signals_held

__all__ = ["split_map", "call_ahead", "Ahead", "can_fork"]


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


class Ahead:
    """One call of a function on an argument sent later (:func:`call_ahead`): ``send(x)``,
    then ``result()`` is ``function(x)``."""

    def __init__(self, function: Callable[[Any], Any], prepare: Callable[[], Any] | None,
                 arguments: Any = None, results: Any = None) -> None:  # fmt: skip
        self._function, self._prepare = function, prepare
        self._arguments, self._results = arguments, results  # pipe ends; None: no child
        self._argument: tuple[Any, ...] = ()
        self._sender: threading.Thread | None = None

    def send(self, argument: Any) -> None:
        """Hand over the argument and return at once: a thread pickles it into the pipe,
        which holds only 64 KiB until the child, still preparing, reads it."""
        if self._arguments is None:
            self._argument = (argument,)
            return
        self._sender = threading.Thread(target=_send, args=(self._arguments, argument),
                                        name="call_ahead-send", daemon=True)  # fmt: skip
        self._sender.start()

    def result(self) -> Any:
        """``function(argument)``: the child's result, or its exception raised here; without a
        child, ``prepare()`` and the call, here and now."""
        if self._results is None:
            if self._prepare is not None:
                self._prepare()
            return self._function(*self._argument)
        try:
            ok, value = self._results.recv()
        except EOFError:
            raise RuntimeError("the second process ended before sending its result") from None
        finally:
            self._join_sender()
        if not ok:
            raise value
        return value

    def _join_sender(self) -> None:
        """Wait for the sending thread (it ends once the child has read the argument, or
        when the child has ended)."""
        if self._sender is not None:
            self._sender.join()
            self._sender = None


def _send(end: Any, argument: Any) -> None:
    try:
        end.send(argument)
    except OSError:  # the child ended (it failed, or was stopped): result() reports
        pass


@contextmanager
def call_ahead(function: Callable[[Any], Any], *, prepare: Callable[[], Any] | None = None,
               workers: int = 1) -> Iterator[Ahead]:  # fmt: skip
    """A process forked now that calls ``prepare()`` (its imports, say) while this one computes
    the argument, and then ``function(argument)`` as soon as the argument is sent.

    With ``workers >= 2`` on a platform that forks (:func:`can_fork`), the child is tied to
    this process as :func:`split_map`'s is, gets the argument and sends the result pickled
    through pipes, and is terminated and reaped when the block ends, however it ends (this
    process failing before it sent the argument included). Otherwise ``result()`` calls
    ``prepare()`` and the function in this process: the same result, one after the other.

    Examples
    --------
    >>> with call_ahead(len, prepare=lambda: None, workers=2) as call:
    ...     call.send([1, 2, 3])
    ...     call.result()
    3
    """
    if not (workers >= 2 and can_fork()):
        yield Ahead(function, prepare)
        return
    context = multiprocessing.get_context("fork")
    arguments_in, arguments_out = context.Pipe(duplex=False)
    results_in, results_out = context.Pipe(duplex=False)
    child = context.Process(
        target=_ahead_child,
        args=(
            function,
            prepare,
            arguments_in,
            results_out,
            (arguments_out, results_in),
            os.getpid(),
        ),
    )
    started = False
    call = Ahead(function, prepare, arguments_out, results_in)
    try:
        with signals_held():  # as in split_map
            child.start()
            started = True
        arguments_in.close()  # the child's ends: EOF on either side if the other one died
        results_out.close()
        yield call
    finally:
        if started and child.is_alive():
            child.terminate()  # done, or this process failed: nothing more to compute
        call._join_sender()  # a send still blocked fails once the child has ended
        for end in (arguments_in, arguments_out, results_in, results_out):
            end.close()
        if started:
            child.join()


def _ahead_child(function: Callable[[Any], Any], prepare: Callable[[], Any] | None,
                 arguments: Any, results: Any, parents_ends: Sequence[Any],
                 parent: int) -> None:  # fmt: skip
    """The child of :func:`call_ahead`: prepare, wait for the argument, send the result (or
    the exception); when this process sent no argument (it failed), end quietly."""
    _become_child(parent)
    for end in parents_ends:  # so that reading gets EOF when the parent closes its end
        end.close()
    try:
        if prepare is not None:
            prepare()
        try:
            argument = arguments.recv()
        except EOFError:
            return
        finally:
            arguments.close()
        result: tuple[bool, Any] = (True, function(argument))
    except Exception as error:  # raised in the parent, as one process would
        result = (False, error)
    try:
        results.send(result)
    except BrokenPipeError:  # the parent stopped waiting (it failed meanwhile)
        pass


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
    _become_child(parent)
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


def _become_child(parent: int) -> None:
    """First thing in a forked child: tie its life to the parent's (:func:`_end_with_parent`)
    and unblock the signals it inherited blocked (the parent forks inside ``signals_held``)."""
    _end_with_parent(parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


def _end_with_parent(parent: int) -> None:
    """SIGTERM to this process when the thread that forked it ends (Linux ``prctl``); if the
    parent has already gone, end now."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent ended before the call above
        os._exit(1)
