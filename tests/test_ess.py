"""ESS (instruments/ess.py), hand-worked from INSTRUMENTS.md (Johns 1991)."""

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.instruments import score


def ess(*answers):
    return {f"ess_{i}": a for i, a in enumerate(answers, start=1)}


def total_of(n):
    """Eight answers 0-3 summing to n."""
    return [min(3, max(0, n - 3 * i)) for i in range(8)]


def test_minimum_maximum_and_mixed():
    out = score(pd.DataFrame([ess(*[0] * 8), ess(*[3] * 8), ess(0, 1, 2, 3, 3, 2, 1, 0)]))
    assert out["ess_total"].tolist() == [0, 24, 12]
    assert out["ess_eds"].tolist() == [False, True, True]
    assert out["ess_band"].tolist() == ["lower normal", "severe excessive", "mild excessive"]


@pytest.mark.parametrize(
    ("total", "band", "eds"),
    [(5, "lower normal", False), (6, "higher normal", False), (10, "higher normal", False),
     (11, "mild excessive", True), (12, "mild excessive", True),
     (13, "moderate excessive", True), (15, "moderate excessive", True),
     (16, "severe excessive", True)],
)  # fmt: skip
def test_band_and_cutoff_edges(total, band, eds):
    out = score(pd.DataFrame([ess(*total_of(total))]))
    assert out.loc[0, "ess_total"] == total
    assert out.loc[0, "ess_band"] == band
    assert bool(out.loc[0, "ess_eds"]) is eds


def test_missing_item_is_strict():
    out = score(pd.DataFrame([ess(*[1] * 7, None)]))
    assert np.isnan(out.loc[0, "ess_total"])
    assert out.loc[0, "ess_eds"] is pd.NA
    assert pd.isna(out.loc[0, "ess_band"])
