"""Tests of msrelax_stats.data.columns: name normalisation, aliases and column maps.

Expected names follow the column naming contract of INSTRUMENTS.md (lower case
``<instrument>_<item>``, ``id``/``time``/``group``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from msrelax_stats.data.columns import ColumnMap, canonical_names, load_column_map, normalise_name
from msrelax_stats.data.read import read_table
from msrelax_stats.errors import StudyDataError

FORMATS = Path(__file__).parent / "data" / "formats"


def _cells(values) -> list:
    """Cells as a list with every missing value (NaN, None) as None, for comparisons."""
    return [None if pd.isna(v) else v for v in values]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FSS 1", "fss_1"),
        ("Fss_1", "fss_1"),
        (" fss_1 ", "fss_1"),
        ("PSQI-5a", "psqi_5a"),
        ("psqi 5j  text", "psqi_5j_text"),
        ("NRS.Spasticity", "nrs_spasticity"),
        ("__age__", "age"),
        (7, "7"),
    ],
)
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


def test_aliases_for_id_time_group():
    names, problems, notes = canonical_names(
        ["Participant ID", "Visit", "Arm", "Subject_x"], ColumnMap()
    )
    assert names == ["id", "time", "group", "subject_x"]
    assert problems == [] and notes == []


def test_duplicate_names_after_normalisation_name_both_originals(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("id,time,FSS 1,fss_1\nP1,pre,4,5\n", encoding="utf-8")
    with pytest.raises(StudyDataError) as info:
        read_table(path)
    assert (
        str(info.value) == f"{path}, column fss_1: columns 'FSS 1' and 'fss_1' both become 'fss_1'"
    )
    frame_names = canonical_names(["ID", "participant"], ColumnMap())[1]
    assert frame_names[0].message == "columns 'ID' and 'participant' both become 'id'"


@pytest.mark.parametrize(
    "column_map",
    [
        {
            "Hasta No": "id",
            "Ziyaret": "TIME",
            "columns": {"Yorgunluk 1": "FSS 1"},
            "missing_codes": [-99],
            "visits": ["Ön", "Son"],
        },
        FORMATS / "column_map.toml",
        FORMATS / "column_map.json",
        str(FORMATS / "column_map.toml"),
    ],
    ids=["dict", "toml", "json", "toml-str"],
)
def test_column_map_dict_toml_json(column_map):
    table = read_table(FORMATS / "turkish_cp1254.csv", column_map=column_map)
    # rows of turkish_cp1254.csv: 007 Ön 5 / 007 Son 3 / 012 Ön -99 / 012 Son 4 / 031 Ön 6
    assert table["id"].tolist() == ["007", "007", "012", "012", "031"]
    assert table["time"].astype(str).tolist() == ["Ön", "Son", "Ön", "Son", "Ön"]
    assert _cells(table["fss_1"]) == ["5", "3", None, "4", "6"]  # -99 is a missing code


def test_explicit_arguments_override_the_map_file():
    table = read_table(
        FORMATS / "turkish_cp1254.csv",
        column_map=FORMATS / "column_map.json",
        missing_codes=[],
        visits=["son", "ön"],
    )
    assert table["time"].astype(str).tolist() == ["son", "ön", "son", "ön", "ön"]
    assert "-99" in table["fss_1"].tolist()


def test_unmatched_map_entry_is_a_note():
    table = read_table(
        FORMATS / "turkish_cp1254.csv",
        column_map={"Hasta No": "id", "Ziyaret": "time", "Yorgunlukk 1": "fss_1"},
        visits=["Ön", "Son"],
    )
    notes = table.attrs["msrelax"]["notes"]
    assert {
        "message": "column map entry matches no column of the file",
        "column": "yorgunlukk_1",
    }.items() <= notes[-1].items()


def test_load_column_map_errors(tmp_path):
    with pytest.raises(StudyDataError, match="column map file not found"):
        load_column_map(tmp_path / "none.toml")
    (tmp_path / "bad.toml").write_text("columns = [", encoding="utf-8")
    with pytest.raises(StudyDataError, match="column map is not valid TOML"):
        load_column_map(tmp_path / "bad.toml")
    (tmp_path / "list.json").write_text(json.dumps(["id"]), encoding="utf-8")
    with pytest.raises(StudyDataError, match="column map must be a JSON object"):
        load_column_map(tmp_path / "list.json")
    (tmp_path / "map.yaml").write_text("a: b", encoding="utf-8")
    with pytest.raises(StudyDataError, match=r"must be a \.toml or \.json file, not '\.yaml'"):
        load_column_map(tmp_path / "map.yaml")
    with pytest.raises(StudyDataError, match="key 'missing_codes' must be a list"):
        load_column_map({"missing_codes": "-99"})
    with pytest.raises(StudyDataError, match="column map entry must name a canonical column"):
        load_column_map({"Hasta No": 3})
