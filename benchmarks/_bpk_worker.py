"""BioPsyKit's ``psqi`` on the benchmark rows, run by the Python of ``.venv-biopsykit``.

``python _bpk_worker.py JSON``. Only numpy, pandas and biopsykit are imported (old pinned
versions live in that environment). BioPsyKit's input format, read from its source
(``biopsykit/questionnaires/questionnaires.py::psqi``, 0.14): columns found by regular
expression on the suffixes ``01``..``09``, ``05a``..``05j``, ``05j_text``; Q1 and Q3 go through
``pd.to_timedelta(x.astype(str))``, so clock times must be ``"HH:MM:SS"`` text (``"23:30"``,
``"11pm"`` or ``"2330"`` are rejected); Q2 and Q4 are cast to ``Int64`` (fractional hours
raise). The conversion from our rows to this format happens before the timed region; the
timed call is ``psqi(df)`` on the same rows, import excluded (as on our side).
Prints one JSON line like ``_worker.py``.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
import tracemalloc
import warnings

import numpy as np
import pandas as pd
from _memory import status_bytes


def _hhmmss(minutes: np.ndarray) -> np.ndarray:
    hours = pd.Series(minutes // 60).astype(str).str.zfill(2)
    mins = pd.Series(minutes % 60).astype(str).str.zfill(2)
    return (hours + ":" + mins + ":00").to_numpy(dtype=object)


def biopsykit_frame(path: str) -> pd.DataFrame:
    arrays = np.load(path)
    frame = {"PSQI_01": _hhmmss(arrays["bed_minutes"]), "PSQI_02": arrays["psqi_2"]}
    frame["PSQI_03"] = _hhmmss(arrays["wake_minutes"])
    frame["PSQI_04"] = arrays["psqi_4"]
    for c in "abcdefghij":
        frame[f"PSQI_05{c}"] = arrays[f"psqi_5{c}"]
    frame["PSQI_05j_text"] = arrays["psqi_5j_text"].astype(object)
    for q in (6, 7, 8, 9):
        frame[f"PSQI_0{q}"] = arrays[f"psqi_{q}"]
    return pd.DataFrame(frame)


def main() -> None:
    warnings.simplefilter("ignore", FutureWarning)  # Series.view in biopsykit 0.14
    params = json.loads(sys.argv[1])
    out: dict = {}
    try:
        from biopsykit import __version__ as version
        from biopsykit.questionnaires import psqi

        big = biopsykit_frame(params["path"])
        small = big.iloc[:1000].copy()
        psqi(small)  # warm-up
        seconds = []
        for _ in range(int(params.get("repeats", 3))):
            start = time.perf_counter()
            result = psqi(big)
            seconds.append(time.perf_counter() - start)
        n_scored = int(result["PSQI_TotalIndex"].notna().sum())
        del result
        tracemalloc.start()
        tracemalloc.reset_peak()
        result = psqi(big)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
        fractional = small.iloc[:10].copy()
        fractional["PSQI_04"] = 6.5
        try:
            psqi(fractional)
            fractional_error = "none"
        except Exception as exc:  # noqa: BLE001 - we record what BioPsyKit does
            fractional_error = f"{type(exc).__name__}: {exc}"[:160]
        out = {
            "seconds": seconds,
            "tracemalloc_peak": peak,
            "note": f"biopsykit {version} psqi(df), pandas {pd.__version__}, "
            f"numpy {np.__version__}; {n_scored} totals; 6.5 h sleep -> {fractional_error}",
        }
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        out = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    out["maxrss"] = status_bytes("VmHWM")  # own peak (ru_maxrss includes the parent's)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
