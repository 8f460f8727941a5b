"""Run a module as ``python -m`` does and record this process's own peak memory at exit.

``python _peak.py REPORT.json -m MODULE ARGS...`` runs ``MODULE`` with ``ARGS`` (``sys.argv`` as
``python -m`` sets it) and, when the process exits, writes ``{"own_peak_rss": bytes}`` to
``REPORT.json``: ``VmHWM`` of ``/proc/self/status``, the high-water mark of this process's
own address space, which starts afresh at ``exec``.

Why not ``ru_maxrss``: Linux carries the parent's high-water mark into a child's
``ru_maxrss`` (``os.wait4``, ``getrusage(RUSAGE_SELF)``) across fork + exec, so a command
started by a benchmark parent that once held 2 GB reports at least 2 GB (measured: a
``python -c pass`` child of such a parent reports 1.98 GB through ``os.wait4``, 13 MB through
its own ``VmHWM``). Worker processes forked by the command do not run ``atexit`` handlers
(multiprocessing ends them with ``os._exit``); the pid check is a second guard. Their peak is
``workers_peak_rss``: ``ru_maxrss`` of the children the command waited for (``--workers 2``:
the forked worker), an upper bound, as it counts the pages it shares with the command and the
mark it inherited at the fork.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import runpy
import sys

from _memory import status_bytes


def main() -> None:
    report, flag, module, *args = sys.argv[1:]
    if flag != "-m":
        raise SystemExit("usage: python _peak.py REPORT.json -m MODULE [ARGS...]")
    pid = os.getpid()

    def record() -> None:
        if os.getpid() == pid:
            workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
            with open(report, "w", encoding="utf-8") as out:
                json.dump({"own_peak_rss": status_bytes("VmHWM"), "workers_peak_rss": workers},
                          out)  # fmt: skip

    atexit.register(record)
    sys.argv = [module, *args]  # run_module(alter_sys=True) puts the module's path first
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
