"""Honest memory figures of one process, from ``/proc/self/status`` (Linux).

* ``status_bytes("VmHWM")``: the peak resident set of this process's own address space. It
  starts afresh at ``exec``, unlike ``ru_maxrss``, which Linux carries over from the parent
  that started the process.
* :func:`call_rss`: the peak resident set *during one call*: the high-water mark is reset to
  the current resident set (``echo 5 > /proc/self/clear_refs``, Linux 4.0+) before the call
  and read after it, so earlier allocations do not count, and nothing the call touched
  (numpy, pandas, Python objects, freed-but-kept heap) is missed, as tracemalloc would miss
  memory allocated outside Python's allocator hooks.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable
from typing import Any


def status_bytes(field: str) -> int | None:
    """A ``kB`` field of ``/proc/self/status`` (``VmHWM``, ``VmRSS``) in bytes, or ``None``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def reset_peak() -> bool:
    """Reset ``VmHWM`` to the current resident set; False where the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _trim_heap() -> None:
    """Give freed heap memory back to the system (glibc ``malloc_trim``; elsewhere nothing)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def call_rss(run: Callable[[Any], Any], argument: Any) -> dict[str, int | None]:
    """Resident set before ``run(argument)`` and its peak during the call, in bytes.

    Returns ``before`` (``VmRSS``), ``peak`` (``VmHWM`` after a reset just before the call)
    and ``added`` (``peak - before``: what the call needed on top of what existed).
    """
    gc.collect()
    _trim_heap()  # freed memory kept by malloc would hide part of what the call needs
    before = status_bytes("VmRSS")
    reset = reset_peak()
    result = run(argument)
    peak = status_bytes("VmHWM") if reset else None
    del result
    added = None if peak is None or before is None else peak - before
    return {"before": before, "peak": peak, "added": added}
