"""Time scoring 1,000,000 PSQI responses given as raw text (clock times, decimal commas).

Run: ``PYTHONPATH=src python benchmarks/bench_scoring.py [n_rows]``. Prints the time of
``prepare_items`` (parsing and range checks) and of ``score`` on the parsed table. The answers
are random but seeded (numpy.random.default_rng(1)), so every run scores the same table.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from msrelax_stats.instruments import prepare_items, score


def make_responses(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` PSQI responses with clock times as text ("23:30", "11pm"-style mixed in)."""
    rng = np.random.default_rng(seed)
    bed = (22 * 60 + rng.integers(-120, 180, n)) % 1440
    rise = (6 * 60 + 30 + rng.integers(-90, 120, n)) % 1440

    def clock(minutes: np.ndarray) -> pd.Series:
        hours = pd.Series(minutes // 60).astype(str).str.zfill(2)
        return hours + ":" + pd.Series(minutes % 60).astype(str).str.zfill(2)

    frame = pd.DataFrame(
        {
            "id": pd.Series(np.arange(n)).astype(str),
            "psqi_1": clock(bed).astype(object),
            "psqi_2": rng.integers(0, 90, n).astype(float),
            "psqi_3": clock(rise).astype(object),
            "psqi_4": pd.Series(rng.integers(16, 36, n) / 4).astype(str).str.replace(".", ","),
        }
    )
    for name in ["5a", *(f"5{c}" for c in "bcdefghij"), "6", "7", "8", "9"]:
        frame[f"psqi_{name}"] = rng.integers(0, 4, n).astype(float)
    frame["psqi_3"] = frame["psqi_3"].where(rng.random(n) > 0.1, "7am")
    return frame


def main(n: int = 1_000_000) -> None:
    frame = make_responses(n)
    start = time.perf_counter()
    prepared, problems, _ = prepare_items(frame)
    parsed = time.perf_counter()
    scored = score(prepared, "psqi")
    done = time.perf_counter()
    assert not problems
    print(
        f"{n:,} PSQI responses: parse {parsed - start:.2f} s, score {done - parsed:.2f} s, "
        f"total {done - start:.2f} s; mean global {scored['psqi_global'].mean():.2f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
