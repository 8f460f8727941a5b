"""ISI (instruments/isi.py), hand-worked from INSTRUMENTS.md (Bastien 2001)."""

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.instruments import score


def isi(total):
    """Seven answers 0-4 summing to total."""
    return {f"isi_{i + 1}": min(4, max(0, total - 4 * i)) for i in range(7)}


def test_minimum_maximum_and_mixed():
    mixed = {f"isi_{i}": a for i, a in enumerate([0, 1, 2, 3, 4, 2, 1], start=1)}  # 13
    out = score(pd.DataFrame([isi(0), isi(28), mixed]))
    assert out["isi_total"].tolist() == [0, 28, 13]
    assert out["isi_band"].tolist() == ["none", "severe", "subthreshold"]


@pytest.mark.parametrize(
    ("total", "band"),
    [(7, "none"), (8, "subthreshold"), (14, "subthreshold"), (15, "moderate"),
     (21, "moderate"), (22, "severe")],
)  # fmt: skip
def test_band_edges(total, band):
    out = score(pd.DataFrame([isi(total)]))
    assert out.loc[0, "isi_total"] == total
    assert out.loc[0, "isi_band"] == band


def test_missing_item_is_strict():
    row = {**isi(10), "isi_4": None}
    out = score(pd.DataFrame([row]))
    assert np.isnan(out.loc[0, "isi_total"])
    assert out.loc[0, "isi_n_answered"] == 6
