"""MFIS and MFIS-5 (instruments/mfis.py), hand-worked from INSTRUMENTS.md."""

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.instruments import score

PHYSICAL = [4, 6, 7, 10, 13, 14, 17, 20, 21]
COGNITIVE = [1, 2, 3, 5, 11, 12, 15, 16, 18, 19]
PSYCHOSOCIAL = [8, 9]
MFIS5 = [1, 9, 10, 17, 19]


def mfis(values):
    return {f"mfis_{i}": values.get(i, 0) for i in range(1, 22)}


def scored(*rows, **options):
    return score(pd.DataFrame(list(rows)), **options)


def test_minimum_and_maximum():
    out = scored(mfis({}), mfis(dict.fromkeys(range(1, 22), 4)))
    assert out["mfis_total"].tolist() == [0, 84]
    assert out["mfis_physical"].tolist() == [0, 36]
    assert out["mfis_cognitive"].tolist() == [0, 40]
    assert out["mfis_psychosocial"].tolist() == [0, 8]
    assert out["mfis5_total"].tolist() == [0, 20]


@pytest.mark.parametrize(
    ("subscale", "items"),
    [("mfis_physical", PHYSICAL), ("mfis_cognitive", COGNITIVE),
     ("mfis_psychosocial", PSYCHOSOCIAL), ("mfis5_total", MFIS5)],
)  # fmt: skip
def test_each_subscale_takes_exactly_its_items(subscale, items):
    # Items of the subscale answered 3, all others 1: subscale = 3 x its item count.
    out = scored(mfis({i: 3 if i in items else 1 for i in range(1, 22)}))
    assert out.loc[0, subscale] == 3 * len(items)


def test_mixed_case():
    # Item i answered i mod 5: items 1..21 -> 1,2,3,4,0,1,2,3,4,0,1,2,3,4,0,1,2,3,4,0,1.
    # Physical 4,6,7,10,13,14,17,20,21 -> 4+1+2+0+3+4+2+0+1 = 17;
    # cognitive 1,2,3,5,11,12,15,16,18,19 -> 1+2+3+0+1+2+0+1+3+4 = 17;
    # psychosocial 8,9 -> 3+4 = 7; total 41; MFIS-5 1,9,10,17,19 -> 1+4+0+2+4 = 11.
    out = scored(mfis({i: i % 5 for i in range(1, 22)}))
    assert out.loc[0, "mfis_physical"] == 17
    assert out.loc[0, "mfis_cognitive"] == 17
    assert out.loc[0, "mfis_psychosocial"] == 7
    assert out.loc[0, "mfis_total"] == 41
    assert out.loc[0, "mfis5_total"] == 11
    assert out.loc[0, "mfis_fatigued"]


def test_cutoff_edge_38():
    just = {i: 2 for i in range(1, 20)}  # 19 x 2 = 38
    below = {**just, 19: 1}  # 37
    out = scored(mfis(just), mfis(below))
    assert out["mfis_total"].tolist() == [38, 37]
    assert out["mfis_fatigued"].tolist() == [True, False]


def test_missing_item_only_touches_its_subscales():
    out = scored({**mfis({}), "mfis_8": None})
    assert np.isnan(out.loc[0, "mfis_total"]) and np.isnan(out.loc[0, "mfis_psychosocial"])
    assert out.loc[0, "mfis_physical"] == 0 and out.loc[0, "mfis_cognitive"] == 0
    assert out.loc[0, "mfis5_total"] == 0


def test_mfis5_only_file():
    out = scored({f"mfis_{i}": 2 for i in MFIS5})
    assert out.loc[0, "mfis5_total"] == 10
    assert "mfis_total" not in out.columns and "mfis_physical" not in out.columns
