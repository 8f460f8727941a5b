"""Tests of sample_designs: the synthetic two-arm, three-visit study and its diary."""

from __future__ import annotations

import pandas as pd

from msrelax_stats.sample_designs import make_controlled_sample, make_diary


def test_same_seed_same_table_other_seed_other_table():
    pd.testing.assert_frame_equal(make_controlled_sample(seed=3), make_controlled_sample(seed=3))
    assert not make_controlled_sample(seed=3).equals(make_controlled_sample(seed=4))


def test_design_arms_visits_and_one_missing_visit():
    study = make_controlled_sample(n_per_arm=(10, 6), visits=("a", "b", "c"))
    per_arm = study.drop_duplicates("id")["group"].value_counts().to_dict()
    assert per_arm == {"relaxation": 10, "control": 6}
    visits_per_id = study.groupby("id")["time"].count()
    assert sorted(visits_per_id.unique()) == [2, 3]
    (short,) = visits_per_id.index[visits_per_id == 2]
    assert study.loc[study.id == short, "group"].iloc[0] == "control"
    assert "c" not in set(study.loc[study.id == short, "time"])
    assert study["psqi_1"].str.fullmatch(r"\d\d:\d\d").all()
    assert study["psqi_3"].str.fullmatch(r"\d\d:\d\d").all()
    items = study[[f"fss_{i}" for i in range(1, 10)]]
    assert items.isin(range(1, 8)).all().all()


def test_diary_covers_the_relaxation_arm_with_two_days_outside():
    study = make_controlled_sample(n_per_arm=(5, 4), seed=2)
    diary = make_diary(n_per_arm=(5, 4), days=14, seed=2)
    relax = set(study.loc[study.group == "relaxation", "id"])
    assert set(diary["id"]) == relax
    inside = diary[diary.day.between(1, 14)]
    assert len(inside) == 5 * 14
    assert sorted(diary.loc[~diary.day.between(1, 14), "day"]) == [0, 15]
    assert set(diary["practised"]) <= {"yes", "no"}
    assert (diary.loc[diary.practised == "no", "minutes"] == 0).all()


def test_committed_controlled_sample_is_reproduced_byte_for_byte(tmp_path):
    """data/sample/controlled/ is what write_controlled_sample(seed=1) writes (its README)."""
    from pathlib import Path

    from msrelax_stats.sample_designs import write_controlled_sample

    here = Path(__file__).resolve().parents[1] / "data" / "sample" / "controlled"
    write_controlled_sample(tmp_path, seed=1)
    for name in ("pmr_controlled.csv", "pmr_diary.csv"):
        assert (tmp_path / name).read_bytes() == (here / name).read_bytes(), name
