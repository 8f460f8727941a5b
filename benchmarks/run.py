"""The msrelax_stats benchmark suite (issue 8): ``python benchmarks/run.py [--quick] [--repeats N]``.

Prints one markdown table. Every figure is the median of ``--repeats`` runs, and every ratio is
ours / comparison, both measured in this run on this machine (no absolute thresholds):

1. ``python -m msrelax_stats analyze data/sample/pmr_study.csv --out <tmp>`` as a new process,
   against the import floor ``python -c "import pandas, scipy.stats, matplotlib.pyplot"``
   (runs interleaved; one untimed run of each first, so both find the files in the OS cache).
2. Scoring 1,000,000 PSQI responses whose clock times are text in mixed accepted forms, against
   BioPsyKit's ``psqi`` on the same rows in its own virtual environment (``.venv-biopsykit``,
   created on first use with ``python -m venv`` + ``pip install biopsykit``); and every
   instrument on 1,000,000 rows, with peak memory.
3. 10,000 simulated 32-patient trials (paired t, Wilcoxon, d_z): ours against a loop over
   pingouin (a subset of trials, scaled linearly) and against vectorised scipy (the floor).
4. The BCa bootstrap CI of g_av, 10,000 resamples at n = 32, against ``scipy.stats.bootstrap``.

Rows 2-4 run in fresh worker processes (``_worker.py``, ``_bpk_worker.py``) that exclude import
and input preparation from the timed region on both sides. A row whose code is missing shows
``not available: <reason>``. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import _data  # noqa: E402
from _processes import Unavailable, biopsykit_python, last_line, run_child, worker  # noqa: E402

SAMPLE = ROOT / "data" / "sample" / "pmr_study.csv"
FLOOR = "import pandas, scipy.stats, matplotlib.pyplot"
GIB = 2**30
#: Timed runs of row 4 at least (each about 10 ms).
BOOT_REPEATS = 25

FULL = {"psqi": 1_000_000, "all": 1_000_000, "trials": 10_000, "pingouin": 300, "boot": 10_000}
QUICK = {"psqi": 20_000, "all": 20_000, "trials": 500, "pingouin": 20, "boot": 1_000}
ROWS = ("analyze", "psqi", "all", "power", "boot")


@dataclass
class Row:
    what: str
    ours: float | None = None
    comparison_what: str = ""
    comparison: float | None = None
    target: str = ""
    limit: float | None = None  # ratio limit (ratio <= limit passes)
    memory: str = ""
    memory_ok: bool | None = None
    missing: str = ""
    caveat: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.comparison is None or self.comparison == 0:
            return None
        return self.ours / self.comparison

    @property
    def verdict(self) -> str:
        if self.missing:
            return "n/a"
        checks = []
        if self.limit is not None and self.ratio is not None:
            checks.append(self.ratio <= self.limit)
        if self.memory_ok is not None:
            checks.append(self.memory_ok)
        if not checks:
            return "n/a"
        verdict = "pass" if all(checks) else "FAIL"
        return f"{verdict} ({self.caveat})" if self.caveat else verdict


# ----------------------------------------------------------------------------- rows
def _median(values: list[float]) -> float:
    return statistics.median(values)


def _mib(n_bytes: float | None) -> str:
    return "?" if n_bytes is None else f"{n_bytes / 2**20:,.0f} MiB"


def row_analyze(repeats: int, notes: list[str]) -> Row:
    row = Row("1. `analyze` sample study, new process", target="<= 2.0")
    row.comparison_what = "import floor (pandas, scipy.stats, matplotlib.pyplot)"
    row.limit = 2.0
    if not SAMPLE.exists():
        row.missing = f"{SAMPLE.relative_to(ROOT)} does not exist"
        return row
    floor_cmd = [sys.executable, "-c", FLOOR]
    with tempfile.TemporaryDirectory() as tmp:

        def analyze_cmd(i: int) -> list[str]:
            out = str(Path(tmp) / f"run{i}")
            return [sys.executable, "-m", "msrelax_stats", "analyze", str(SAMPLE), "--out", out]

        wall, maxrss, code, _, stderr = run_child(analyze_cmd(0))  # warm-up, also a check
        if code != 0:
            row.missing = f"analyze exited with {code}: {last_line(stderr)[:200]}"
            return row
        files = sorted(p.name for p in (Path(tmp) / "run0").rglob("*") if p.is_file())
        run_child(floor_cmd)
        ours, floor, rss = [], [], []
        for i in range(1, repeats + 1):  # interleaved so drift hits both sides alike
            wall, maxrss, code, _, stderr = run_child(analyze_cmd(i))
            if code != 0:
                row.missing = f"analyze exited with {code}: {last_line(stderr)[:200]}"
                return row
            ours.append(wall)
            rss.append(maxrss)
            floor.append(run_child(floor_cmd)[0])
    row.ours, row.comparison = _median(ours), _median(floor)
    row.memory = f"peak RSS {_mib(max(rss))}"
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
        row.ours = _median(ours["seconds"])
        row.memory = f"score {_mib(ours['tracemalloc_peak'])} (tracemalloc)"
        notes.append(f"Row 2a ours: {ours['note']}; process peak RSS {_mib(ours['maxrss'])}.")
    except Unavailable as exc:
        row.missing = f"ours: {exc}"
    try:
        python = biopsykit_python(create_venv)
        theirs = worker(python, "_bpk_worker.py", json.dumps(params))
        row.comparison = _median(theirs["seconds"])
        notes.append(
            f"Row 2a BioPsyKit: {theirs['note']}; psqi peak {_mib(theirs['tracemalloc_peak'])} "
            f"(tracemalloc), process peak RSS {_mib(theirs['maxrss'])}."
        )
    except Unavailable as exc:
        row.missing = "; ".join(filter(None, [row.missing, f"BioPsyKit: {exc}"]))
    return row


def row_all(sizes: dict[str, int], repeats: int, notes: list[str]) -> Row:
    n = sizes["all"]
    row = Row(f"2b. all instruments, {n:,} rows", target="peak < 1 GiB")
    row.comparison_what = "(none: memory target)"
    params = {"path": str(_data.cached("all", n)), "repeats": repeats}
    try:
        ours = worker(sys.executable, "_worker.py", "score", json.dumps(params))
    except Unavailable as exc:
        row.missing = str(exc)
        return row
    row.ours = _median(ours["seconds"])
    peak = ours["tracemalloc_peak"]
    row.memory = f"score {_mib(peak)} (tracemalloc); process RSS {_mib(ours['maxrss'])}"
    row.memory_ok = peak < GIB
    notes.append(f"Row 2b: {ours['note']}; pass/fail on the tracemalloc peak of the call.")
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
            row.ours = _median(ours["seconds"])
            if "Wilcoxon only" in ours["note"]:
                row.caveat = "ours does the Wilcoxon only"
        vs_floor.memory = f"ours {_mib(ours['tracemalloc_peak'])} (tracemalloc)"
        notes.append(f"Row 3 ours: {ours['note']}; process peak RSS {_mib(ours['maxrss'])}.")
    except Unavailable as exc:
        vs_loop.missing = vs_floor.missing = f"ours: {exc}"
    try:
        loop = worker(sys.executable, "_worker.py", "power_pingouin",
                      json.dumps({"trials": subset, "repeats": repeats, "trace": False}))  # fmt: skip
        vs_loop.comparison = _median(loop["seconds"]) * trials / subset
        notes.append(
            f"Row 3 pingouin: {loop['note']}, {subset} trials timed, scaled linearly to {trials}."
        )
    except Unavailable as exc:
        vs_loop.missing = "; ".join(filter(None, [vs_loop.missing, f"pingouin: {exc}"]))
    try:
        floor = worker(sys.executable, "_worker.py", "power_scipy",
                       json.dumps({"trials": trials, "repeats": repeats}))  # fmt: skip
        vs_floor.comparison = _median(floor["seconds"])
        vs_floor.memory += f"; floor {_mib(floor['tracemalloc_peak'])}"
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
        vs_wilcoxon.comparison = _median(alone["seconds"])
        vs_wilcoxon.memory = f"floor {_mib(alone['tracemalloc_peak'])}"
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
        row.ours = _median(ours["seconds"])
        row.memory = f"ours {_mib(ours['tracemalloc_peak'])} (tracemalloc)"
        notes.append(f"Row 4 ours: {ours['note']}; CI {_fmt_interval(ours.get('interval'))}.")
    except Unavailable as exc:
        row.missing = f"ours: {exc}"
    try:
        scipy_boot = worker(sys.executable, "_worker.py", "boot_scipy", params)
        row.comparison = _median(scipy_boot["seconds"])
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
def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def table(rows: list[Row]) -> str:
    header = ("what", "ours (median)", "comparison", "comparison (median)", "ratio ours/comp",
              "target", "result", "peak memory")  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        ratio = "-" if row.ratio is None else f"{row.ratio:.3g}"
        cells = [row.what, _seconds(row.ours), row.comparison_what, _seconds(row.comparison),
                 ratio, row.target, row.verdict, row.memory or "-"]  # fmt: skip
        if row.missing:
            cells[6] = f"not available: {row.missing}".replace("|", "/").replace("\n", " ")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    """CPU count and model, RAM, Python and the versions of the packages measured."""
    from importlib import metadata

    cpu = "unknown CPU"
    memory = "? GiB RAM"
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(line.split(":", 1)[1].strip() for line in info.splitlines()
                   if line.startswith("model name"))  # fmt: skip
        total = next(line for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))  # fmt: skip
        memory = f"{int(total.split()[1]) / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    versions = []
    for name in ("numpy", "pandas", "scipy", "matplotlib", "pingouin"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return (f"{os.cpu_count()} CPUs ({cpu}), {memory}, Python {sys.version.split()[0]}, "
            + ", ".join(versions))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per figure")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(ROWS)}")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    repeats = args.repeats or (2 if args.quick else 5)
    if repeats < 1:
        parser.error("--repeats must be at least 1")
    only = set(args.only.split(",")) if args.only else set(ROWS)
    if only - set(ROWS):
        parser.error(f"--only takes {','.join(ROWS)}")

    heavy = min(repeats, 3)  # rows 2a/2b score 1,000,000 rows per run
    load_start = os.getloadavg()[0]
    notes: list[str] = []
    rows: list[Row] = []
    if "analyze" in only:
        rows.append(row_analyze(repeats, notes))
    if "psqi" in only:
        rows.append(row_psqi(sizes, heavy, not args.quick, notes))
    if "all" in only:
        rows.append(row_all(sizes, heavy, notes))
    if "power" in only:
        rows.extend(rows_power(sizes, repeats, notes))
    if "boot" in only:
        rows.append(row_boot(sizes, repeats, notes))

    print(f"msrelax_stats benchmarks ({'quick' if args.quick else 'full'} sizes): median of "
          f"{repeats} runs ({heavy} for rows 2a/2b), ratio = ours / comparison, same run\n")  # fmt: skip
    print(table(rows))
    print()
    print(f"- Machine: {machine()}; 1-min load average {load_start:.2f} at start, "
          f"{os.getloadavg()[0]:.2f} at end (other processes share the CPUs).")  # fmt: skip
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
