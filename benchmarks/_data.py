"""Synthetic benchmark inputs, generated vectorised with numpy and cached as ``.npz`` files.

The arrays are plain numpy (integers, floats, fixed-width unicode), so the same file is read by
the system Python (our side) and by the BioPsyKit virtual environment (numpy 1.x, pandas 2.x):
both sides score exactly the same rows. Building DataFrames from the arrays happens outside
every timed region.

PSQI rows are realistic and complete: bed time around 23:00 (21:00-01:55, 5-minute steps),
6-10 h in bed, sleep 4-9 whole hours (whole hours because BioPsyKit cannot score fractional
hours, see README), latency 0-90 minutes, Q5a-Q9 0-3, a Q5j description when Q5j > 0. The clock
times are written in every form INSTRUMENTS.md accepts, mixed row by row: ``23:30``,
``7:05``, ``23:30:00``, ``11:30 PM``, ``11pm`` (whole hours only), ``2330``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parent / ".cache"

PSQI_NUMERIC = (
    ["psqi_2", "psqi_4"]
    + [f"psqi_5{c}" for c in "abcdefghij"]
    + ["psqi_6", "psqi_7", "psqi_8", "psqi_9"]
)
#: Columns of the PSQI CSV of the command-line rows, in questionnaire order.
PSQI_CSV_COLUMNS = (
    ["psqi_1", "psqi_2", "psqi_3", "psqi_4"]
    + [f"psqi_5{c}" for c in "abcdefghij"]
    + ["psqi_5j_text", "psqi_6", "psqi_7", "psqi_8", "psqi_9"]
)
# instrument prefix -> (number of items, lowest answer, highest answer)
LIKERT = {
    "fss": (9, 1, 7),
    "mfis": (21, 0, 4),
    "ess": (8, 0, 3),
    "isi": (7, 0, 4),
    "hads": (14, 0, 3),
    "fsmc": (20, 1, 5),
}


def _clock_text(minutes: np.ndarray, form: np.ndarray) -> np.ndarray:
    """Clock text of ``minutes`` after midnight in one of six accepted forms per row."""
    hour, minute = minutes // 60, minutes % 60
    h = hour.astype("U2")
    hh = np.strings.zfill(h, 2)
    mm = np.strings.zfill(minute.astype("U2"), 2)
    hour12 = (hour + 11) % 12 + 1
    ampm = np.where(hour < 12, "AM", "PM")
    forms = [
        hh + ":" + mm,  # 23:30, 07:05
        h + ":" + mm,  # 7:05 (no leading zero)
        hh + ":" + mm + ":00",  # 23:30:00
        hour12.astype("U2") + ":" + mm + " " + ampm,  # 11:30 PM
        hour12.astype("U2") + np.strings.lower(ampm),  # 11pm (whole hours only)
        hh + mm,  # 2330
    ]
    # "11pm" cannot carry minutes: rows that drew it but are not on the hour use "HH:MM"
    form = np.where((form == 4) & (minute != 0), 0, form)
    return np.choose(form, forms).astype("U8")


def make_psqi(n: int, seed: int = 20240) -> dict[str, np.ndarray]:
    """``n`` complete PSQI responses (see module docstring) as named numpy arrays."""
    rng = np.random.default_rng(seed)
    bed = (21 * 60 + 5 * rng.integers(0, 60, n)) % 1440  # 21:00 .. 01:55
    in_bed = 5 * rng.integers(72, 121, n)  # 6 h .. 10 h, never 0
    wake = (bed + in_bed) % 1440
    out: dict[str, np.ndarray] = {
        "bed_minutes": bed.astype(np.int64),
        "wake_minutes": wake.astype(np.int64),
        "psqi_1": _clock_text(bed, rng.integers(0, 6, n)),
        "psqi_3": _clock_text(wake, rng.integers(0, 6, n)),
        "psqi_2": rng.choice(np.array([0, 5, 10, 15, 20, 30, 45, 60, 90.0]), n),
        "psqi_4": np.minimum(rng.integers(4, 10, n), in_bed // 60 + 1).astype(float),
    }
    for c in "abcdefghij":
        out[f"psqi_5{c}"] = rng.integers(0, 4, n).astype(float)
    for item in ("psqi_6", "psqi_7", "psqi_8", "psqi_9"):
        out[item] = rng.integers(0, 4, n).astype(float)
    out["psqi_5j_text"] = np.where(out["psqi_5j"] > 0, "pain", "")
    return out


def make_all(n: int, seed: int = 20241) -> dict[str, np.ndarray]:
    """``n`` rows of every instrument (PSQI as :func:`make_psqi`), 2 % of Likert items missing."""
    rng = np.random.default_rng(seed)
    out = make_psqi(n, seed + 1)
    for prefix, (k, low, high) in LIKERT.items():
        items = rng.integers(low, high + 1, (n, k)).astype(float)
        items[rng.random((n, k)) < 0.02] = np.nan
        for j in range(k):  # columns, not rows
            out[f"{prefix}_{j + 1}"] = items[:, j]
    frequency = rng.integers(0, 5, n).astype(float)
    out["psfs_frequency"] = frequency
    out["psfs_severity"] = np.where(frequency > 0, rng.integers(1, 4, n), np.nan)
    out["nrs_spasticity"] = rng.integers(0, 11, n).astype(float)
    out["nrs_pain"] = rng.integers(0, 11, n).astype(float)
    return out


def cached(kind: str, n: int) -> Path:
    """Path of the cached ``.npz`` for ``kind`` (``"psqi"`` or ``"all"``) and ``n`` rows."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{kind}_{n}.npz"
    if not path.exists():
        arrays = make_psqi(n) if kind == "psqi" else make_all(n)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(path)
    return path
