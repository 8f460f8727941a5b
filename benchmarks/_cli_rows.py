"""End-to-end command-line rows (issue 16): ``analyze`` at registry scale, ``score`` and
``validate`` on a 1,000,000-row PSQI CSV.

Every command runs as a new process through ``_peak.py``, which records the process's *own*
peak resident set (``VmHWM``); the wall time is the parent's. Comparisons run in the same
loop, alternating with ours, so drift of a shared machine hits both sides alike.

5. ``analyze`` on ``sample --n N`` for three sizes, each ten times the one before: the time
   ratio of neighbours must stay <= 12 (linear with a constant: 10x the participants, at most
   12x the time), and the peak RSS at the largest size <= 4 GiB: the command's own and that of
   each forked worker (with ``--workers 2`` the statistics run in one).
6. ``score DATA --out scored.csv`` against its pandas I/O floor: a process that imports
   pandas, ``read_csv``-s the input and ``to_csv``-s the table ``score`` writes (default
   options, ``index=False``); the table is made beforehand and loaded from a pickle, and that
   load is subtracted from the floor's wall time (``_floor.py`` reports it).
7. ``validate DATA`` against ``import pandas`` + ``read_csv`` of the input.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import _data
from _processes import ROOT, last_line, run_child, run_module
from _table import GIB, Row, median, mib

HERE = Path(__file__).resolve().parent
SCALE_FULL = (3_200, 32_000, 320_000)
SCALE_QUICK = (320, 3_200)
#: Runs of the largest ``analyze`` size (each takes minutes on 2 shared cores).
LARGEST_REPEATS = 1


def sample_csv(n: int) -> Path:
    """``python -m msrelax_stats sample --out <cache>/sample_<n>_<code>.csv --n n`` (cached)."""
    code = hashlib.sha256((ROOT / "src" / "msrelax_stats" / "sample.py").read_bytes())
    path = _data.CACHE / f"sample_{n}_{code.hexdigest()[:10]}.csv"
    if not path.exists():
        _data.CACHE.mkdir(exist_ok=True)
        made = run_module(["msrelax_stats", "sample", "--out", str(path), "--n", str(n)])
        if made["code"] != 0:
            raise RuntimeError(f"sample --n {n} failed: {last_line(made['stderr'])}")
    return path


def rows_scale(quick: bool, repeats: int, notes: list[str]) -> list[Row]:
    sizes = SCALE_QUICK if quick else SCALE_FULL
    rows = [Row(f"5. `analyze`, `sample --n {n:,}`, new process") for n in sizes]
    times: dict[int, list[float]] = {n: [] for n in sizes}
    peaks: dict[int, list[int]] = {n: [] for n in sizes}
    worker_peaks: dict[int, list[int]] = {n: [] for n in sizes}
    files: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):  # round robin over the sizes
            for n, row in zip(sizes, rows, strict=True):
                if row.missing or (n == sizes[-1] and i >= LARGEST_REPEATS and not quick):
                    continue
                out = Path(tmp) / f"n{n}_{i}"
                run = run_module(
                    ["msrelax_stats", "analyze", str(sample_csv(n)), "--out", str(out)]
                )
                if run["code"] != 0:
                    row.missing = (
                        f"analyze exited with {run['code']}: {last_line(run['stderr'])[:160]}"
                    )
                    continue
                times[n].append(run["wall"])
                peaks[n].append(run["own_peak_rss"] or 0)
                worker_peaks[n].append(run["workers_peak_rss"] or 0)
                files[n] = sum(1 for p in out.rglob("*") if p.is_file())
    for k, (n, row) in enumerate(zip(sizes, rows, strict=True)):
        if row.missing:
            continue
        row.ours = median(times[n])
        row.memory = f"own peak RSS {mib(max(peaks[n]))}"
        if max(worker_peaks[n]):  # --workers 2 (the default on two cores): the forked workers
            row.memory += (f"; largest forked worker <= {mib(max(worker_peaks[n]))} "
                           "(shared pages counted)")  # fmt: skip
        if k:
            smaller = sizes[k - 1]
            row.comparison_what = f"`analyze` at {smaller:,} (this run)"
            row.comparison = median(times[smaller]) if times[smaller] else None
            row.target, row.limit = f"<= 12 (x{n // smaller} participants)", 12.0
        if n == sizes[-1]:
            # the statistics run in a forked worker (--workers 2): the verdict takes the larger
            # of the command's own peak and the workers' upper bound
            row.target = ((row.target + "; " if row.target else "")
                          + "peak RSS (own, and each forked worker's) <= 4 GiB")  # fmt: skip
            row.memory_ok = max(max(peaks[n]), max(worker_peaks[n])) <= 4 * GIB
        notes.append(f"Row 5 at {n:,}: {len(times[n])} run(s), {files.get(n, 0)} files written.")
    return rows


def psqi_csv(n: int) -> Path:
    """The PSQI rows of ``_data.make_psqi`` as a CSV (numbers as integers), cached."""
    path = _data.CACHE / f"psqi_{n}.csv"
    if not path.exists():
        import numpy as np
        import pandas as pd

        arrays = _data.make_psqi(n)
        frame = pd.DataFrame({"id": np.char.add("P", (np.arange(n) // 2).astype(str)),
                              "time": np.where(np.arange(n) % 2 == 0, "pre", "post")})  # fmt: skip
        for column in _data.PSQI_CSV_COLUMNS:
            values = arrays[column]
            frame[column] = values.astype(np.int64) if values.dtype.kind == "f" else values
        _data.CACHE.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp.csv")
        frame.to_csv(tmp, index=False)
        tmp.replace(path)
    return path


def _floor(args: list[str]) -> tuple[float, dict]:
    wall, _, code, stdout, stderr = run_child([sys.executable, str(HERE / "_floor.py"), *args])
    if code != 0:
        raise RuntimeError(f"_floor.py {args[0]} exited with {code}: {last_line(stderr)[:160]}")
    report = json.loads(last_line(stdout))
    return wall - report.get("excluded_seconds", 0.0), report


def row_command(command: str, n: int, repeats: int, quick: bool, notes: list[str]) -> Row:
    data = psqi_csv(n)
    if command == "score":
        row = Row(f"6. CLI `score`, {n:,} PSQI rows (CSV)", target="<= 1.0", limit=1.0)
        row.comparison_what = "pandas I/O floor: import, `read_csv`, `to_csv` of the scored table"
    else:
        row = Row(f"7. CLI `validate`, {n:,} PSQI rows (CSV)", target="<= 3.0", limit=3.0)
        row.comparison_what = "import pandas + `read_csv` of the input"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scored.csv"
        args = ["msrelax_stats", command, str(data)] + (
            # --force: from the second run on, scored.csv is there (a file is never replaced
            # without it)
            ["--out", str(out), "--force"] if command == "score" else []
        )
        floor_args = ["validate", str(data)]
        if command == "score":
            table = Path(tmp) / "scored.pkl"
            _floor(["prepare", str(data), str(table)])  # the table score writes, untimed
            floor_args = ["score", str(data), str(table), str(Path(tmp) / "floor.csv")]
        ours, floor, peaks, floor_peaks = [], [], [], []
        for _ in range(repeats):  # alternating
            run = run_module(args)
            if run["code"] != 0:
                row.missing = (
                    f"{command} exited with {run['code']}: {last_line(run['stderr'])[:160]}"
                )
                return row
            ours.append(run["wall"])
            peaks.append(run["own_peak_rss"] or 0)
            seconds, report = _floor(floor_args)
            floor.append(seconds)
            floor_peaks.append(report["own_peak_rss"] or 0)
        same = command != "score" or out.read_bytes() == (Path(tmp) / "floor.csv").read_bytes()
    row.ours, row.comparison = median(ours), median(floor)
    row.caveat = "quick size: start-up dominates" if quick else ""
    row.memory = f"own peak RSS {mib(max(peaks))}; floor {mib(max(floor_peaks))}"
    notes.append(
        f"Row {6 if command == 'score' else 7}: {repeats} alternating runs of each; input "
        f"{data.stat().st_size / 2**20:,.0f} MiB, {n:,} rows"
        + (
            f"; scored.csv {'identical to' if same else 'DIFFERS from'} the floor's to_csv bytes"
            if command == "score"
            else ""
        )  # fmt: skip
        + "."
    )
    return row


def row_missing(repeats: int, notes: list[str], *, warm_up: bool = True) -> Row:
    """8. ``analyze --missing mi`` on the sample against ``analyze`` (complete cases), both new
    processes, alternating (issue 18: within 3x)."""
    sample = ROOT / "data" / "sample" / "pmr_study.csv"
    row = Row("8. `analyze --missing mi` sample study, new process", target="<= 3.0", limit=3.0)
    row.comparison_what = "`analyze` (complete cases), same sample"
    with tempfile.TemporaryDirectory() as tmp:

        def analyze(tag: str, i: int, *extra: str) -> dict:
            out = str(Path(tmp) / f"{tag}{i}")
            return run_module(["msrelax_stats", "analyze", str(sample), *extra, "--out", out])

        ours, plain, peaks = [], [], []
        first = 0 if warm_up else 1  # pair 0 is a warm-up (OS cache), untimed; not in --quick
        for i in range(first, repeats + 1):
            for tag, extra, into in (("mi", ("--missing", "mi"), ours), ("cc", (), plain)):
                run = analyze(tag, i, *extra)
                if run["code"] != 0:
                    row.missing = (
                        f"analyze exited with {run['code']}: {last_line(run['stderr'])[:160]}"
                    )
                    return row
                if i:
                    into.append(run["wall"])
                    if tag == "mi":
                        peaks.append(run["own_peak_rss"] or 0)
        written = (Path(tmp) / "mi1" / "missing.csv").exists()
    row.ours, row.comparison = median(ours), median(plain)
    row.memory = f"own peak RSS {mib(max(peaks))}"
    after = "after one untimed pair" if warm_up else "(no warm-up: --quick)"
    notes.append(f"Row 8: {repeats} alternating runs of each {after}; m = 50 "
                 f"imputations (the default); missing.csv written: {'yes' if written else 'NO'}.")  # fmt: skip
    return row
