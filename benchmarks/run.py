"""The msrelax_stats benchmark suite (issues 8, 16): ``python benchmarks/run.py [--quick]``.

Prints one markdown table. Every figure is the median of ``--repeats`` runs, and every ratio is
ours / comparison, both measured in this run on this machine (no absolute thresholds):

1. ``python -m msrelax_stats analyze data/sample/pmr_study.csv --out <tmp>`` as a new process,
   against the import floor ``python -c "import pandas, scipy.stats, matplotlib.pyplot"``
   (runs interleaved; one untimed run of each first, so both find the files in the OS cache),
   with the default ``--workers`` (2 on two cores); ``--workers 1`` is timed in the same
   runs and reported in a note. Before any row, ``src/`` is byte-compiled (``compileall``).
2. Scoring 1,000,000 PSQI responses whose clock times are text in mixed accepted forms, against
   BioPsyKit's ``psqi`` on the same rows in its own virtual environment (``.venv-biopsykit``,
   created on first use with ``python -m venv`` + ``pip install biopsykit``); and every
   instrument on 1,000,000 rows, with the resident set the call adds.
3. 10,000 simulated 32-patient trials (paired t, Wilcoxon, d_z): ours against a loop over
   pingouin (a subset of trials, scaled linearly) and against vectorised scipy (the floor).
4. The BCa bootstrap CI of g_av, 10,000 resamples at n = 32, against ``scipy.stats.bootstrap``.
5. ``analyze`` on ``sample --n`` 3,200 / 32,000 / 320,000 participants (``_cli_rows.py``):
   time ratios of neighbouring sizes, own peak RSS at the largest.
6. CLI ``score`` on a 1,000,000-row PSQI CSV against its pandas I/O floor.
7. CLI ``validate`` on the same CSV against ``import pandas`` + ``read_csv``.
8. ``analyze --missing mi`` on the sample against ``analyze`` (complete cases), new processes
   alternating (``_cli_rows.py``).

Rows 2-4 run in fresh worker processes (``_worker.py``, ``_bpk_worker.py``) that exclude import
and input preparation from the timed region on both sides; rows 1 and 5-7 time whole commands
started through ``_peak.py`` (own peak RSS). Memory is always the process's own (``VmHWM``,
``_memory.py``), never ``ru_maxrss``, which Linux carries over from the parent. A row whose
code is missing or fails shows ``not available: <reason>``. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import _cli_rows  # noqa: E402
import _data  # noqa: E402
from _processes import (  # noqa: E402
    Unavailable,
    biopsykit_python,
    compile_package,
    last_line,
    run_child,
    run_module,
    worker,
)
from _table import GIB, Row, machine, median, mib, table  # noqa: E402

SAMPLE = ROOT / "data" / "sample" / "pmr_study.csv"
FLOOR = "import pandas, scipy.stats, matplotlib.pyplot"
#: Timed runs of row 4 at least (each about 10 ms).
BOOT_REPEATS = 25

FULL = {"psqi": 1_000_000, "all": 1_000_000, "trials": 10_000, "pingouin": 300, "boot": 10_000}
QUICK = {"psqi": 20_000, "all": 20_000, "trials": 500, "pingouin": 20, "boot": 1_000}
ROWS = ("analyze", "psqi", "all", "power", "boot", "scale", "score", "validate", "missing")


# ----------------------------------------------------------------------------- rows
def row_analyze(repeats: int, notes: list[str], *, quick: bool = False) -> Row:
    row = Row("1. `analyze` sample study, new process", target="<= 1.5", limit=1.5)
    row.comparison_what = "import floor (pandas, scipy.stats, matplotlib.pyplot)"
    if not SAMPLE.exists():
        row.missing = f"{SAMPLE.relative_to(ROOT)} does not exist"
        return row
    floor_cmd = [sys.executable, "-c", FLOOR]
    with tempfile.TemporaryDirectory() as tmp:

        def analyze(i: int, *more: str) -> dict:
            out = str(Path(tmp) / f"run{i}{''.join(more)}")
            return run_module(["msrelax_stats", "analyze", str(SAMPLE), "--out", out, *more])

        if not quick:  # a warm-up of each (OS cache), untimed; --quick is a smoke run
            first = analyze(0)
            if first["code"] != 0:
                row.missing = (
                    f"analyze exited with {first['code']}: {last_line(first['stderr'])[:200]}"
                )
                return row
            run_child(floor_cmd)
        ours, floor, rss, one_worker = [], [], [], []
        for i in range(1, repeats + 1):  # interleaved so drift hits both sides alike
            run = analyze(i)
            if run["code"] != 0:
                row.missing = f"analyze exited with {run['code']}: {last_line(run['stderr'])[:200]}"
                return row
            ours.append(run["wall"])
            rss.append(run["own_peak_rss"] or 0)
            floor.append(run_child(floor_cmd)[0])
            if not quick:  # the sequential command
                one_worker.append(analyze(i, "--workers", "1")["wall"])
        files = sorted(p.name for p in (Path(tmp) / "run1").rglob("*") if p.is_file())
    row.ours, row.comparison = median(ours), median(floor)
    row.memory = f"own peak RSS {mib(max(rss))}"
    if one_worker:
        notes.append(
            f"Row 1, `analyze --workers 1` (one process) in the same runs: "
            f"{median(one_worker):.2f} s, {median(one_worker) / row.comparison:.2f}x the floor; "
            f"the default ({os.cpu_count()} cores here) {row.ours:.2f} s."
        )
    has_report = any(f.endswith(".html") for f in files)
    has_figures = any(f.endswith((".png", ".svg", ".pdf")) for f in files)
    notes.append(
        f"Row 1: wall time of the whole process; analyze wrote {len(files)} files "
        f"(report.html: {'yes' if has_report else 'NO'}, figures: {'yes' if has_figures else 'NO'})."
    )
    return row


def row_psqi(sizes: dict[str, int], repeats: int, create_venv: bool, notes: list[str]) -> Row:
    n = sizes["psqi"]
    row = Row(f"2a. PSQI scoring, {n:,} rows, clock text", target="<= 1.0", limit=1.0)
    row.comparison_what = "BioPsyKit `psqi` (own venv), same rows"
    path = str(_data.cached("psqi", n))
    columns = ["id", "time", "psqi_1", "psqi_3", "psqi_5j_text", *_data.PSQI_NUMERIC]
    params = {"path": path, "columns": columns, "repeats": repeats}
    try:
        ours = worker(sys.executable, "_worker.py", "score", json.dumps(params))
        row.ours = median(ours["seconds"])
        row.memory = f"score {mib(ours['tracemalloc_peak'])} (tracemalloc)"
        notes.append(f"Row 2a ours: {ours['note']}; process peak RSS {mib(ours['maxrss'])}.")
    except Unavailable as exc:
        row.missing = f"ours: {exc}"
    try:
        python = biopsykit_python(create_venv)
        theirs = worker(python, "_bpk_worker.py", json.dumps(params))
        row.comparison = median(theirs["seconds"])
        notes.append(
            f"Row 2a BioPsyKit: {theirs['note']}; psqi peak {mib(theirs['tracemalloc_peak'])} "
            f"(tracemalloc), process peak RSS {mib(theirs['maxrss'])}."
        )
    except Unavailable as exc:
        row.missing = "; ".join(filter(None, [row.missing, f"BioPsyKit: {exc}"]))
    return row


def row_all(sizes: dict[str, int], repeats: int, notes: list[str]) -> Row:
    n = sizes["all"]
    row = Row(f"2b. all instruments, {n:,} rows", target="RSS added by the call < 1 GiB")
    row.comparison_what = "(none: memory target)"
    params = {"path": str(_data.cached("all", n)), "repeats": repeats}
    try:
        ours = worker(sys.executable, "_worker.py", "score", json.dumps(params))
    except Unavailable as exc:
        row.missing = str(exc)
        return row
    row.ours = median(ours["seconds"])
    rss = ours["call_rss"]
    row.memory = (f"call: RSS {mib(rss['before'])} -> peak {mib(rss['peak'])} "
                  f"(+{mib(rss['added'])}); process peak {mib(ours['maxrss'])}")  # fmt: skip
    row.memory_ok = rss["added"] is not None and rss["added"] < GIB
    notes.append(
        f"Row 2b: {ours['note']}; pass/fail on the resident set the call adds to the process "
        f"(VmHWM reset just before the call, minus VmRSS before it); tracemalloc peak of the "
        f"call {mib(ours['tracemalloc_peak'])}."
    )
    return row


def rows_power(sizes: dict[str, int], repeats: int, notes: list[str]) -> list[Row]:
    trials, subset = sizes["trials"], sizes["pingouin"]
    what = f"3. power simulation, {trials:,} trials x 32"
    vs_loop = Row(what, target="<= 0.01 (>= 100x faster)", limit=0.01)
    vs_loop.comparison_what = f"pingouin loop ({subset} trials, x{trials / subset:g})"
    vs_floor = Row(what, target="<= 3.0", limit=3.0)
    vs_floor.comparison_what = "scipy vectorised floor"
    try:
        ours = worker(sys.executable, "_worker.py", "power_ours",
                      json.dumps({"trials": trials, "repeats": repeats}))  # fmt: skip
        for row in (vs_loop, vs_floor):
            row.ours = median(ours["seconds"])
            if "Wilcoxon only" in ours["note"]:
                row.caveat = "ours does the Wilcoxon only"
        vs_floor.memory = f"ours {mib(ours['tracemalloc_peak'])} (tracemalloc)"
        notes.append(f"Row 3 ours: {ours['note']}; process peak RSS {mib(ours['maxrss'])}.")
    except Unavailable as exc:
        vs_loop.missing = vs_floor.missing = f"ours: {exc}"
    try:
        loop = worker(sys.executable, "_worker.py", "power_pingouin",
                      json.dumps({"trials": subset, "repeats": repeats, "trace": False}))  # fmt: skip
        vs_loop.comparison = median(loop["seconds"]) * trials / subset
        notes.append(
            f"Row 3 pingouin: {loop['note']}, {subset} trials timed, scaled linearly to {trials}."
        )
    except Unavailable as exc:
        vs_loop.missing = "; ".join(filter(None, [vs_loop.missing, f"pingouin: {exc}"]))
    try:
        floor = worker(sys.executable, "_worker.py", "power_scipy",
                       json.dumps({"trials": trials, "repeats": repeats}))  # fmt: skip
        vs_floor.comparison = median(floor["seconds"])
        vs_floor.memory += f"; floor {mib(floor['tracemalloc_peak'])}"
        notes.append(f"Row 3 floor: {floor['note']}.")
    except Unavailable as exc:
        vs_floor.missing = "; ".join(filter(None, [vs_floor.missing, f"scipy: {exc}"]))
    if not vs_floor.caveat:  # ours does all three: the two rows above compare like with like
        return [vs_loop, vs_floor]
    vs_wilcoxon = Row(what + " (Wilcoxon only)", target="<= 3.0", limit=3.0)
    vs_wilcoxon.comparison_what = "scipy `wilcoxon(axis=1)` alone"
    vs_wilcoxon.ours, vs_wilcoxon.missing = vs_floor.ours, vs_floor.missing.split("; scipy")[0]
    try:
        alone = worker(sys.executable, "_worker.py", "power_scipy", json.dumps(
            {"trials": trials, "repeats": repeats, "wilcoxon_only": True}))  # fmt: skip
        vs_wilcoxon.comparison = median(alone["seconds"])
        vs_wilcoxon.memory = f"floor {mib(alone['tracemalloc_peak'])}"
    except Unavailable as exc:
        vs_wilcoxon.missing = "; ".join(filter(None, [vs_wilcoxon.missing, f"scipy: {exc}"]))
    return [vs_loop, vs_floor, vs_wilcoxon]


def row_boot(sizes: dict[str, int], repeats: int, notes: list[str]) -> Row:
    n_boot = sizes["boot"]
    row = Row(f"4. BCa bootstrap CI of g_av, {n_boot:,} resamples, n = 32", target="<= 1.0")
    row.comparison_what = "`scipy.stats.bootstrap(method='BCa', paired=True)`"
    row.limit = 1.0
    # ~10 ms a run: many runs are cheap and steady the medians against a busy machine
    params = json.dumps({"resamples": n_boot, "repeats": max(repeats, BOOT_REPEATS)})
    try:
        ours = worker(sys.executable, "_worker.py", "boot_ours", params)
        row.ours = median(ours["seconds"])
        row.memory = f"ours {mib(ours['tracemalloc_peak'])} (tracemalloc)"
        notes.append(f"Row 4 ours: {ours['note']}; CI {_fmt_interval(ours.get('interval'))}.")
    except Unavailable as exc:
        row.missing = f"ours: {exc}"
    try:
        scipy_boot = worker(sys.executable, "_worker.py", "boot_scipy", params)
        row.comparison = median(scipy_boot["seconds"])
        notes.append(
            f"Row 4 scipy: {scipy_boot['note']}; CI {_fmt_interval(scipy_boot.get('interval'))} "
            "(same seed; the intervals should agree)."
        )
    except Unavailable as exc:
        row.missing = "; ".join(filter(None, [row.missing, f"scipy: {exc}"]))
    return row


def _fmt_interval(interval: list[float] | None) -> str:
    return "?" if not interval else f"[{interval[0]:.6f}, {interval[1]:.6f}]"


# ----------------------------------------------------------------------------- output
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per figure")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(ROWS)}")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    repeats = args.repeats or (1 if args.quick else 5)  # --quick: a smoke run, one of each
    if repeats < 1:
        parser.error("--repeats must be at least 1")
    only = set(args.only.split(",")) if args.only else set(ROWS)
    if only - set(ROWS):
        parser.error(f"--only takes {','.join(ROWS)}")

    heavy = min(repeats, 3)  # rows 2a/2b/5-7 handle 1,000,000 rows (or minutes) per run
    load_start = os.getloadavg()[0]
    notes: list[str] = [compile_package()]
    rows: list[Row] = []
    steps = {
        "analyze": lambda: [row_analyze(repeats, notes, quick=args.quick)],
        "psqi": lambda: [row_psqi(sizes, heavy, not args.quick, notes)],
        "all": lambda: [row_all(sizes, heavy, notes)],
        "power": lambda: rows_power(sizes, repeats, notes),
        "boot": lambda: [row_boot(sizes, repeats, notes)],
        "scale": lambda: _cli_rows.rows_scale(args.quick, heavy, notes),
        "score": lambda: [_cli_rows.row_command("score", sizes["psqi"], heavy, args.quick, notes)],
        "validate": lambda: [
            _cli_rows.row_command("validate", sizes["psqi"], heavy, args.quick, notes)
        ],
        "missing": lambda: [_cli_rows.row_missing(repeats, notes, warm_up=not args.quick)],
    }
    for name in ROWS:
        if name in only:
            load = os.getloadavg()[0]  # the machine is shared: each row says how busy it was
            for row in steps[name]():
                row.load = load
                rows.append(row)

    print(f"msrelax_stats benchmarks ({'quick' if args.quick else 'full'} sizes): median of "
          f"{repeats} runs ({heavy} for rows 2a/2b and 5-7, {_cli_rows.LARGEST_REPEATS} at the "
          "largest size of row 5), ratio = ours / comparison, same run\n")  # fmt: skip
    print(table(rows))
    print()
    print(f"- Machine: {machine()}; 1-min load average {load_start:.2f} at start, "
          f"{os.getloadavg()[0]:.2f} at end (other processes share the CPUs).")  # fmt: skip
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
