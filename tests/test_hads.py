"""HADS (instruments/hads.py), hand-worked from INSTRUMENTS.md (Zigmond and Snaith 1983)."""

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.instruments import score

ANXIETY = [1, 3, 5, 7, 9, 11, 13]
DEPRESSION = [2, 4, 6, 8, 10, 12, 14]


def hads(values):
    return {f"hads_{i}": values.get(i, 0) for i in range(1, 15)}


def subscale_total(items, total):
    """Answers 0-3 on ``items`` summing to ``total``."""
    return {item: min(3, max(0, total - 3 * k)) for k, item in enumerate(items)}


def scored(*rows, **options):
    return score(pd.DataFrame(list(rows)), **options)


def test_minimum_maximum_and_mixed():
    mixed = hads({1: 3, 3: 2, 5: 1, 2: 1, 4: 1})  # anxiety 6, depression 2
    out = scored(hads({}), hads(dict.fromkeys(range(1, 15), 3)), mixed)
    assert out["hads_anxiety"].tolist() == [0, 21, 6]
    assert out["hads_depression"].tolist() == [0, 21, 2]
    assert out["hads_anxiety_band"].tolist() == ["normal", "abnormal", "normal"]


@pytest.mark.parametrize(
    ("total", "band"),
    [(7, "normal"), (8, "borderline"), (10, "borderline"), (11, "abnormal")],
)
def test_band_edges_on_both_subscales(total, band):
    out = scored(hads({**subscale_total(ANXIETY, total), **subscale_total(DEPRESSION, total)}))
    assert out.loc[0, "hads_anxiety"] == total and out.loc[0, "hads_depression"] == total
    assert out.loc[0, "hads_anxiety_band"] == band
    assert out.loc[0, "hads_depression_band"] == band


def test_one_missing_item_per_subscale_is_prorated_by_default():
    # Anxiety items 3,5,...,13 answered 2 (sum 12), item 1 missing: 12 x 7/6 = 14.
    row = hads({**dict.fromkeys(ANXIETY, 2), 1: None})
    out = scored(row)
    assert out.loc[0, "hads_anxiety"] == 14
    assert out.loc[0, "hads_depression"] == 0
    assert out.loc[0, "hads_flags"] == "missing:hads_1;prorated:hads_anxiety"
    strict = scored(row, hads={"max_missing": 0})
    assert np.isnan(strict.loc[0, "hads_anxiety"])


def test_two_missing_items_make_the_subscale_missing():
    out = scored(hads({1: None, 3: None}))
    assert np.isnan(out.loc[0, "hads_anxiety"])
    assert pd.isna(out.loc[0, "hads_anxiety_band"])
    assert out.loc[0, "hads_depression"] == 0


def test_endorsement_coding_reverses_items_2_4_6_7_12_14():
    # All answers 0 coded by endorsement: items 2,4,6,12,14 (depression) and 7 (anxiety)
    # become 3: anxiety 3, depression 15. Printed coding: nothing reversed.
    out = scored(hads({}), hads={"input_coding": "endorsement"})
    assert out.loc[0, "hads_anxiety"] == 3
    assert out.loc[0, "hads_depression"] == 15
    with pytest.raises(ValueError, match="input_coding"):
        scored(hads({}), hads={"input_coding": "upside down"})
