"""The output folder of ``analyze``: written under a temporary name and moved into place at
the end; tables safe against spreadsheet formulas; JSON of every table."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.data.csv_writer import write_csv
from msrelax_stats.data.safe import spreadsheet_safe

__all__ = ["Staging", "write_table", "jsonable"]


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """Write a table as CSV (UTF-8, ``.csv``) or Excel (``.xlsx``), safe against formulas."""
    path = Path(path)
    safe = spreadsheet_safe(frame)
    if path.suffix.lower() == ".xlsx":
        safe.to_excel(path, index=False)
    else:
        write_csv(safe, path)  # pandas' to_csv text, written faster
    return path


def jsonable(value: Any) -> Any:
    """``value`` with DataFrames as lists of records, numpy scalars as Python, NaN/NA as None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Path):
        return str(value)
    return value


class Staging:
    """An output folder written under a temporary name and moved into place at the end."""

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))

    def commit(self) -> None:
        if self.out.exists():
            old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
            self.out.rename(old)
            self.tmp.rename(self.out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            self.tmp.rename(self.out)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
