"""Work on two cores: a list mapped by this process and one forked child.

``concurrent.futures.ProcessPoolExecutor`` with the ``fork`` start method does the process
handling; the function and the items reach the child through the fork (they need not be
picklable: figures, closures), and only the results come back, pickled. Each item is computed
by one process, exactly as it would be alone, so the results are the same with one worker or
two (the figure files and the bootstrap included; tests check both).
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["split_map", "can_fork"]


def can_fork() -> bool:
    """Whether a second process is forked here: on Linux only. Windows cannot fork, and on
    macOS system libraries are not safe to use in a forked child (why CPython starts
    processes by spawn there); both then compute everything in one process."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def split_map(function: Callable[[Any], Any], items: Sequence[Any], *, workers: int = 1,
              meanwhile: Callable[[], Any] | None = None) -> list[Any]:  # fmt: skip
    """``[function(item) for item in items]``, in order.

    With ``workers >= 2``, two items or more and a platform that forks (:func:`can_fork`), a child
    computes the first half (rounded up) while this process calls ``meanwhile`` and computes
    the rest; otherwise this process calls ``meanwhile`` and computes them all. An exception
    in the child is raised here, after this process' own share.

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
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_inherit,
                             initargs=(function, items[:split])) as pool:  # fmt: skip
        child = pool.submit(_inherited_share)
        if meanwhile is not None:
            meanwhile()
        own = [function(item) for item in items[split:]]
        return [*child.result(), *own]


_SHARE: tuple[Any, ...] = ()  # in the forked child: the function and its items (_inherit)


def _inherit(function: Callable[[Any], Any], items: Sequence[Any]) -> None:
    """The child's initializer: its arguments come through the fork, not through pickle."""
    global _SHARE
    _SHARE = (function, items)


def _inherited_share() -> list[Any]:
    function, items = _SHARE
    return [function(item) for item in items]
