"""The benchmark table: one :class:`Row` per measurement, markdown output, the machine."""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

GIB = 2**30


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
    load: float | None = None  # 1-min load average when the row started

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


def median(values: list[float]) -> float:
    return statistics.median(values)


def mib(n_bytes: float | None) -> str:
    return "?" if n_bytes is None else f"{n_bytes / 2**20:,.0f} MiB"


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def table(rows: list[Row]) -> str:
    header = ("what", "ours (median)", "comparison", "comparison (median)", "ratio ours/comp",
              "target", "result", "peak memory", "load")  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        ratio = "-" if row.ratio is None else f"{row.ratio:.3g}"
        cells = [row.what, _seconds(row.ours), row.comparison_what, _seconds(row.comparison),
                 ratio, row.target, row.verdict, row.memory or "-",
                 "-" if row.load is None else f"{row.load:.2f}"]  # fmt: skip
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
