"""Generate the synthetic datasets behind the paired reference values (run once, committed).

Run from the repository root::

    python tests/reference/make_paired_data.py

It writes ``paired_data.csv`` (one row per pair: ``dataset, id, pre_raw, post_raw, divisor``;
the value is ``raw / divisor`` so that R and Python start from the same doubles) and
``paired_study.csv`` (a long scored table for ``compare()``: FSS sums and PSQI globals with one
missing visit and one unscored PSQI). ``paired_reference.R`` reads both files. Every dataset is
synthetic; none is study data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def _frame(name: str, pre: np.ndarray, post: np.ndarray, divisor: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dataset": name,
            "id": [f"{i + 1:03d}" for i in range(len(pre))],
            "pre_raw": pre,
            "post_raw": post,
            "divisor": divisor,
        }
    )


def _distinct(rng: np.random.Generator, n: int, loc: float, scale: float, decimals: int):
    """Pre/post with non-zero differences whose absolute values are all distinct."""
    while True:
        pre = np.round(rng.normal(50, 10, n), decimals)
        post = np.round(pre + rng.normal(loc, scale, n), decimals)
        d = np.round(post - pre, decimals)
        if np.all(d != 0) and len(np.unique(np.abs(d))) == n:
            return pre, post


def main() -> None:
    rng = np.random.default_rng(20120601)
    frames = []
    # (a) FSS-like: item sums 9-63 (mean = sum / 9), 32 pairs, fatigue falls
    pre = np.clip(np.round(rng.normal(47, 8, 32)), 9, 63).astype(int)
    post = np.clip(np.round(pre - rng.normal(7, 8, 32)), 9, 63).astype(int)
    frames.append(_frame("fss32", pre, post, 9))
    # (b) PSQI-like: global 0-21, 32 pairs, ties and zero differences
    pre = np.clip(np.round(rng.normal(10, 3.5, 32)), 0, 21).astype(int)
    post = np.clip(np.round(pre - rng.normal(2.5, 3, 32)), 0, 21).astype(int)
    frames.append(_frame("psqi32", pre, post, 1))
    # (c) ties and zero differences, n = 14
    pre = np.array([12, 9, 14, 7, 10, 11, 8, 13, 9, 10, 6, 12, 11, 7])
    post = np.array([10, 9, 11, 7, 8, 11, 6, 13, 7, 12, 5, 9, 9, 8])
    frames.append(_frame("ties_zeros", pre, post, 1))
    # (d) n < 10, exact path (no ties, no zeros), values with one decimal
    pre, post = _distinct(rng, 7, -1.5, 2.0, 1)
    frames.append(
        _frame("small7", np.round(pre * 10).astype(int), np.round(post * 10).astype(int), 10)
    )
    # (e) exact path, n = 20, two decimals
    pre, post = _distinct(rng, 20, -2.0, 4.0, 2)
    frames.append(
        _frame("exact20", np.round(pre * 100).astype(int), np.round(post * 100).astype(int), 100)
    )
    # (f) normal approximation without ties (n >= 50), two decimals, change upward
    pre, post = _distinct(rng, 60, 1.0, 5.0, 2)
    frames.append(
        _frame("normal60", np.round(pre * 100).astype(int), np.round(post * 100).astype(int), 100)
    )
    # (g) n = 5 NRS-like 0-10 with a tie
    frames.append(_frame("nrs5", np.array([7, 6, 8, 5, 9]), np.array([4, 5, 6, 5, 5]), 1))
    pd.concat(frames, ignore_index=True).to_csv(HERE / "paired_data.csv", index=False)

    # long scored study table for compare(): ids 001-034
    fss = frames[0]
    psqi = frames[1]
    rows = []
    for i in range(34):
        pid = f"{i + 1:03d}"
        k = i % 32
        for visit, col in (("pre", "pre_raw"), ("post", "post_raw")):
            if pid == "033" and visit == "post":
                continue  # 033: post visit missing entirely
            fss_sum = int(fss[col].iloc[k]) + (1 if i >= 32 else 0)
            psqi_global: float = float(psqi[col].iloc[k])
            if pid == "034" and visit == "pre":
                psqi_global = np.nan  # 034: PSQI not scorable at pre
            rows.append({"id": pid, "time": visit, "fss_sum": fss_sum, "psqi_global": psqi_global})
    pd.DataFrame(rows).to_csv(HERE / "paired_study.csv", index=False)


if __name__ == "__main__":
    main()
