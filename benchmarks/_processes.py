"""Child processes of the benchmark suite: the analyze and floor commands, the worker scripts,
and BioPsyKit's own virtual environment (``.venv-biopsykit``, created on first use)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = HERE / ".venv-biopsykit"


class Unavailable(Exception):
    """A measurement could not be made; the message goes into the table."""


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    env.setdefault("MPLBACKEND", "Agg")
    return env


def compile_package() -> str:
    """Compile the bytecode of ``src/`` (``compileall``), as pip does for every installed
    library, so the commands load it as the floor loads pandas'; the note for the table.

    Python writes bytecode on the first import unless ``PYTHONDONTWRITEBYTECODE`` is set
    (it is on some machines, this one included): then an editable install compiles its
    hundred modules from source in every run (about 0.2 s), which the floor never does.
    """
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    flag = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    return (f"The bytecode of src/ was compiled before the runs (compileall, as pip compiles "
            f"the floor's libraries at install; PYTHONDONTWRITEBYTECODE is {flag} here).")  # fmt: skip


def run_child(cmd: list[str], timeout: float = 3600) -> tuple[float, int, int, str, str]:
    """Run ``cmd``; return (wall seconds, ``ru_maxrss`` bytes from ``os.wait4``, status,
    stdout, stderr).

    That ``ru_maxrss`` is *not* the child's own peak: Linux carries this (parent) process's
    high-water mark into it across fork + exec, and it also covers the child's own children.
    Own peaks come from :func:`run_module` (commands) and from the workers' reports
    (``VmHWM`` of ``/proc/self/status``).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out, stderr=err, env=child_env(), cwd=ROOT)
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except KeyboardInterrupt:
            process.kill()
            raise
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    return wall, usage.ru_maxrss * 1024, process.returncode, stdout, stderr


def run_module(args: list[str], python: str = sys.executable) -> dict[str, Any]:
    """``python -m ARGS`` through ``_peak.py``: wall seconds, exit status, output, own peak RSS.

    Returns ``wall``, ``code``, ``stdout``, ``stderr``, ``own_peak_rss`` (bytes, ``VmHWM`` of
    the command's process; ``None`` when it died before writing it), ``workers_peak_rss``
    (its forked workers, an upper bound: ``_peak.py``) and ``tree_peak_rss``
    (``os.wait4``: the largest of the command and its workers, with the inherited mark).
    """
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "peak.json"
        wall, tree, code, stdout, stderr = run_child(
            [python, str(HERE / "_peak.py"), str(report), "-m", *args]
        )
        peaks = json.loads(report.read_text()) if report.exists() else {}
    return {"wall": wall, "code": code, "stdout": stdout, "stderr": stderr,
            "own_peak_rss": peaks.get("own_peak_rss"),
            "workers_peak_rss": peaks.get("workers_peak_rss"), "tree_peak_rss": tree}  # fmt: skip


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def worker(python: str, script: str, *args: str) -> dict[str, Any]:
    """Run a worker script and return its JSON report (raises Unavailable on failure)."""
    _, maxrss, code, stdout, stderr = run_child([python, str(HERE / script), *args])
    try:
        report = json.loads(last_line(stdout))
    except json.JSONDecodeError:
        raise Unavailable(f"{script} exited with {code}: {last_line(stderr)[:200]}") from None
    if "error" in report:
        raise Unavailable(report["error"])
    report["child_maxrss"] = maxrss
    return report


def biopsykit_python(create: bool) -> str:
    """The Python of the BioPsyKit environment, created (venv + pip) when missing."""
    python = VENV / "bin" / "python"
    if python.exists():
        check = run_child([str(python), "-c", "import biopsykit"])
        if check[2] == 0:
            return str(python)
    if not create:
        raise Unavailable(f"{VENV.name} not set up (run once without --quick)")
    print(f"creating {VENV} (python -m venv + pip install biopsykit) ...", file=sys.stderr)
    steps = (
        [sys.executable, "-m", "venv", str(VENV)],
        [str(python), "-m", "pip", "install", "--quiet", "biopsykit"],
    )
    for step in steps:
        _, _, code, _, stderr = run_child(step)
        if code != 0:
            raise Unavailable(f"{' '.join(step[-3:])} failed: {last_line(stderr)[:200]}")
    return str(python)
