"""Item columns recognised without a map (data/recognise.py), issue 15."""

import pytest

from msrelax_stats.data.columns import ColumnMap, canonical_names
from msrelax_stats.data.recognise import closest_items, recognise
from msrelax_stats.instruments.registry import recognised_columns

KNOWN = recognised_columns()


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [("FSS1", "fss_1"), ("FSS_01", "fss_1"), ("fss.1", "fss_1"), ("PSQI5a", "psqi_5a"),
     ("PSQI_5A", "psqi_5a"), ("psqi_q5a", "psqi_5a"), ("psqi_05a", "psqi_5a"),
     ("psqi_01", "psqi_1"), ("psqi_5othera", "psqi_5j"), ("psqi_5other", "psqi_5j_text"),
     ("PSQI_5_1", "psqi_5a"), ("PSQI_5_10", "psqi_5j"), ("PSQI_5_10_TEXT", "psqi_5j_text"),
     ("MFIS_21", "mfis_21"), ("record_id", "id")],
)  # fmt: skip
def test_export_spellings(spelling, canonical):
    names, problems, _ = canonical_names([spelling], ColumnMap(), known=KNOWN)
    assert names == [canonical] and problems == []


def test_other_columns_are_kept_as_they_are():
    names, _, _ = canonical_names(["age", "Q1_1", "fss_1_pre", "psqi_10"], ColumnMap(), known=KNOWN)
    assert names == ["age", "q1_1", "fss_1_pre", "psqi_10"]


def test_a_column_map_wins_over_recognition():
    cmap = ColumnMap(columns={"fss1": "fss_2"})
    assert canonical_names(["FSS1"], cmap, known=KNOWN)[0] == ["fss_2"]


def test_two_candidates_are_never_guessed():
    known = {"abc_1": "abc_1", "abc_01x": "abc_1x", "abc_1_x": "abc_1x2"}
    renamed, problems = recognise(["abc1x"], known, originals=["ABC1X"], file="f.csv")
    assert renamed == {}
    assert str(problems[0]) == (
        "f.csv, column ABC1X: column 'ABC1X' could be abc_1x or abc_1x2: name it in a column "
        "map (python -m msrelax_stats map DATA writes one)"
    )


def test_the_built_in_spellings_never_share_a_key():
    from msrelax_stats.data.recognise import name_key

    owners: dict[str, set[str]] = {}
    for name, canonical in KNOWN.items():
        owners.setdefault(name_key(name), set()).add(canonical)
    assert all(len(v) == 1 for v in owners.values())


def test_closest_candidates():
    assert closest_items(["Fatigue_1x", "zzz"], ["fss_1"]) == []
    assert closest_items(["fss_item1"], ["fss_1", "psqi_1"]) == ["fss_item1 looks like fss_1"]
