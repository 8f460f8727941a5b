"""Tests of msrelax_stats.sample: reproducibility and plausibility of the synthetic study.

Plausibility bounds come from DOMAIN.md (Jalalmanesh 2015: FSS 5.25 -> 4.37, PSQI 8.34 ->
5.18; MS cohorts: FSS >= 4 in about 3 of 4, about half poor sleepers) and the item ranges of
INSTRUMENTS.md. The PSQI global here is a compact re-implementation of the Buysse rules of
INSTRUMENTS.md, itself checked on the manual's worked example 1.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from psqi_examples import EXAMPLE_1, EXAMPLE_2

from msrelax_stats.sample import make_sample, write_sample

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
FILES = [
    "pmr_study.csv",
    "pmr_study_wide.csv",
    "pmr_study_semicolon.csv",
    "pmr_study.xlsx",
    "pmr_study.sav",
    "README.md",
]
RANGES = {"fss": (1, 7, 9), "mfis": (0, 4, 21), "ess": (0, 3, 8), "isi": (0, 4, 7)}


def _bins(values, edges, right=False):
    """Index of the bin of each value (numpy.digitize); NaN stays NaN."""
    out = np.digitize(values, edges, right=right).astype(float)
    return np.where(np.isnan(values), np.nan, out)


def _psqi_global(df: pd.DataFrame) -> np.ndarray:
    """PSQI global by the INSTRUMENTS.md table (Buysse 1989), strict on missing items."""

    def num(col):
        return pd.to_numeric(df[col], errors="coerce").to_numpy(float)

    def minutes(col):
        parts = df[col].str.split(":", expand=True).astype(float)
        return (parts[0] * 60 + parts[1]).to_numpy()

    hours = num("psqi_4")
    latency = _bins(num("psqi_2"), [15, 30, 60], right=True)  # <=15, (15,30], (30,60], >60
    c2 = _bins(latency + num("psqi_5a"), [1, 3, 5])  # 0, 1-2, 3-4, 5-6
    c3 = 3 - _bins(hours, [5, 6, 7])
    in_bed = ((minutes("psqi_3") - minutes("psqi_1")) % 1440) / 60
    c4 = 3 - _bins(100 * hours / in_bed, [65, 75, 85])
    texts = df["psqi_5j_text"].notna().to_numpy() if "psqi_5j_text" in df else True
    five_j = np.where(texts, np.nan_to_num(num("psqi_5j")), 0)
    disturbances = sum(num(f"psqi_5{x}") for x in "bcdefghi") + five_j
    c5 = _bins(disturbances, [1, 10, 19])
    c7 = _bins(num("psqi_8") + num("psqi_9"), [1, 3, 5])
    return num("psqi_6") + c2 + c3 + c4 + c5 + num("psqi_7") + c7


def test_psqi_helper_on_worked_examples_1_and_2():
    # INSTRUMENTS.md worked examples 1 (global 5) and 2 (global 8: efficiency over 100 %
    # scores C4 = 0)
    assert _psqi_global(pd.DataFrame([EXAMPLE_1, EXAMPLE_2])).tolist() == [5.0, 8.0]


def test_same_seed_same_table_other_seed_other_table():
    pd.testing.assert_frame_equal(make_sample(seed=7), make_sample(seed=7))
    assert not make_sample(seed=7).equals(make_sample(seed=8))


def test_write_sample_is_byte_identical_and_matches_the_committed_files(tmp_path):
    first = write_sample(tmp_path / "a")
    second = write_sample(tmp_path / "b")
    assert [p.name for p in first] == FILES
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert (SAMPLE / a.name).read_bytes() == a.read_bytes(), f"regenerate data/sample: {a.name}"
    only = write_sample(tmp_path / "one.csv")
    assert only == [tmp_path / "one.csv"] and only[0].read_bytes() == first[0].read_bytes()


@pytest.fixture(scope="module")
def study() -> pd.DataFrame:
    return make_sample()


def test_design_ids_visits_and_missingness(study):
    assert study["id"].iloc[0] == "P01" and study["id"].nunique() == 32
    per_person = study.groupby("id")["time"].agg(list)
    assert (per_person.map(len) == 2).sum() == 31
    assert per_person[per_person.map(len) == 1].tolist() == [["pre"]]  # one has no post visit
    items = [c for c in study.columns if c.split("_")[0] in ("fss", "mfis", "isi", "ess", "psqi")]
    designed = study[[c for c in items if c != "psqi_5j_text"]].isna().sum().sum()
    assert 3 <= designed <= 5
    assert study["psqi_5j_text"].notna().sum() <= 0.25 * len(study)  # mostly blank


def test_item_ranges(study):
    for prefix, (low, high, count) in RANGES.items():
        block = study[[f"{prefix}_{i}" for i in range(1, count + 1)]].astype(float)
        assert block.min().min() >= low and block.max().max() <= high, prefix
    zero_to_three = [f"psqi_5{x}" for x in "abcdefghij"] + [f"psqi_{i}" for i in (6, 7, 8, 9)]
    assert study[zero_to_three].astype(float).stack().isin([0, 1, 2, 3]).all()
    assert study["nrs_spasticity"].between(0, 10).all()
    frequency = study["psfs_frequency"].astype(float)
    assert frequency.between(0, 4).all()
    assert (study["psfs_severity"].isna() == (frequency == 0)).all()  # asked only when > 0
    assert study["psfs_severity"].dropna().between(1, 3).all()


def test_psqi_cells_look_raw(study):
    assert study["psqi_1"].str.fullmatch(r"\d\d:\d\d").all()
    assert study["psqi_1"].str.startswith("00").any()  # some bed times after midnight
    assert (study["psqi_4"] % 1 == 0.5).any()  # fractional hours
    assert (study["psqi_2"] >= 0).all()


def test_levels_are_plausible(study):
    fss = study[[f"fss_{i}" for i in range(1, 10)]].astype(float).mean(axis=1)
    psqi = pd.Series(_psqi_global(study), index=study.index)
    pre, post = study["time"] == "pre", study["time"] == "post"
    assert 4.6 <= fss[pre].mean() <= 5.8 and 3.8 <= fss[post].mean() <= 5.0
    assert 0.3 <= fss[pre].mean() - fss[post].mean() <= 1.5
    assert 0.6 <= (fss[pre] >= 4).mean() <= 0.95
    assert 5.0 <= psqi[pre].mean() <= 10.0
    assert 1.0 <= psqi[pre].mean() - psqi[post].mean() <= 5.0
    assert 0.35 <= (psqi[pre].dropna() > 5).mean() <= 0.75
    paired = pd.DataFrame({"fss": fss, "id": study["id"], "time": study["time"]})
    wide = paired.pivot(index="id", columns="time", values="fss").dropna()
    assert wide["pre"].corr(wide["post"]) > 0.3  # correlated pre/post answers


def test_arms_and_visits_options():
    three = make_sample(
        n=12, seed=2, visits=("baseline", "week6", "week12"), arms=("pmr", "control")
    )
    assert three["time"].drop_duplicates().tolist() == ["baseline", "week6", "week12"]
    assert len(three) == 12 * 3 - 1
    assert three.drop_duplicates("id")["group"].value_counts().to_dict() == {"pmr": 6, "control": 6}
