"""instruments/scoring.py: scoring a large table in row blocks changes no value or dtype.

Every scorer works row by row (INSTRUMENTS.md rules are per participant and visit), so the
table scored in blocks of 7 rows must equal the table scored in one block, column by column,
dtypes included. The input mixes clock-time forms, missing answers and prorated scores.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from msrelax_stats import read_study
from msrelax_stats.instruments import scoring
from msrelax_stats.instruments.scoring import score

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "pmr_study.csv"


def messy_table() -> pd.DataFrame:
    study = read_study(SAMPLE)
    raw = study.copy()
    forms = np.array(["23:30", "7:05", "11pm", "2330", "11:30 PM", None], dtype=object)
    raw["psqi_1"] = forms[np.arange(len(raw)) % len(forms)]
    raw.loc[raw.index[::5], "mfis_3"] = np.nan  # prorated / missing items
    raw.loc[raw.index[::9], "fss_2"] = np.nan
    return raw


def test_blocks_of_rows_give_the_same_table(monkeypatch):
    raw = messy_table()
    whole = score(raw)
    monkeypatch.setattr(scoring, "BLOCK_ROWS", 7)
    blocked = score(raw)
    assert list(blocked.columns) == list(whole.columns)
    pd.testing.assert_frame_equal(blocked, whole, check_exact=True)
    flags = whole["mfis_flags"].str.contains("missing:mfis_3")
    assert flags.any()  # the blocks crossed rows with and without flags


def test_scoring_does_not_change_the_input():
    raw = messy_table()
    before = raw.copy()
    score(raw)
    pd.testing.assert_frame_equal(raw, before, check_exact=True)
