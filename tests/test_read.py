"""Tests of msrelax_stats.data.read: formats, encodings, cells and file-level errors.

The reference table is the long comma CSV of the sample study; every other format must read
to the same table once numbers are compared as numbers (decimal commas are the instruments
layer's job, so the comparison here converts them itself).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from msrelax_stats.data.files import _first_lines, sniff_delimiter
from msrelax_stats.data.read import read_table
from msrelax_stats.errors import StudyDataError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
FORMATS = Path(__file__).parent / "data" / "formats"


def _cells(values) -> list:
    """Cells as a list with every missing value (NaN, None) as None, for comparisons."""
    return [None if pd.isna(v) else v for v in values]


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    """Cells as floats where they are numbers (decimal comma allowed), else as text."""
    out = {}
    for col in df.columns:
        cells = df[col]
        if col in ("id", "time"):
            out[col] = cells.astype(str)
            continue
        text = cells.astype(str).str.replace(",", ".", regex=False)
        number = pd.to_numeric(text, errors="coerce")
        value = number.astype(object).where(number.notna(), cells.astype(str))
        out[col] = value.where(cells.notna(), np.nan)
    return pd.DataFrame(out)


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return read_table(SAMPLE / "pmr_study.csv")


@pytest.mark.parametrize(
    "name", ["pmr_study_wide.csv", "pmr_study_semicolon.csv", "pmr_study.xlsx", "pmr_study.sav"]
)
def test_every_sample_format_reads_to_the_csv_table(name, reference):
    table = read_table(SAMPLE / name).drop(columns=["name"], errors="ignore")
    pd.testing.assert_frame_equal(_comparable(table), _comparable(reference))
    assert list(table["time"].cat.categories) == ["pre", "post"]


def test_dta_tsv_and_dataframe_read_to_the_csv_table(reference, tmp_path):
    raw = pd.read_csv(SAMPLE / "pmr_study.csv", dtype=str, keep_default_na=False)
    raw.to_csv(tmp_path / "study.tsv", sep="\t", index=False)
    numbers = raw.replace("", np.nan).apply(pd.to_numeric, errors="coerce")
    is_number = (numbers.notna() == (raw != "")).all()  # every answered cell is a number
    stata = raw.astype(object)
    stata[is_number.index[is_number]] = numbers.loc[:, is_number]
    pyreadstat.write_dta(stata, str(tmp_path / "study.dta"))
    for source in (tmp_path / "study.tsv", tmp_path / "study.dta", raw):
        table = read_table(source)
        pd.testing.assert_frame_equal(_comparable(table), _comparable(reference))


def test_canonical_table_contract(reference):
    assert reference.shape == (63, 72)
    assert list(reference.columns[:3]) == ["id", "time", "age"]
    assert reference["id"].dtype == object
    assert reference["time"].cat.ordered
    # rows: participants in order of first appearance, then visit order
    assert reference["id"].iloc[:4].tolist() == ["P01", "P01", "P02", "P02"]
    assert (
        reference.groupby("id", sort=False)["time"].apply(lambda t: t.is_monotonic_increasing).all()
    )
    meta = reference.attrs["msrelax"]
    assert meta["source"] == str(SAMPLE / "pmr_study.csv")
    assert meta["sha256"] == hashlib.sha256((SAMPLE / "pmr_study.csv").read_bytes()).hexdigest()
    assert (meta["layout"], meta["visits"], meta["notes"]) == ("long", ["pre", "post"], [])


def test_id_kept_as_text_and_rows_sorted_by_first_appearance(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("id,time,fss_1\n007,post,3\n10,pre,4\n007,pre, 5 \n", encoding="utf-8")
    table = read_table(path)
    assert table["id"].tolist() == ["007", "007", "10"]
    assert table["time"].astype(str).tolist() == ["pre", "post", "pre"]
    assert table["fss_1"].tolist() == ["5", "3", "4"]  # stripped, left as text


def test_numeric_spreadsheet_ids_lose_the_decimal_point(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["id", "time", "psqi_1"], [7, "pre", dt.time(23, 30)], [7.0, "post", "00:45"]):
        sheet.append(row)
    book.save(tmp_path / "s.xlsx")
    table = read_table(tmp_path / "s.xlsx")
    assert table["id"].tolist() == ["7", "7"]
    assert table["psqi_1"].tolist() == [dt.time(23, 30), "00:45"]  # Excel time cell as read


def test_decoding_cp1254_utf8_and_bom():
    expected = ["Şükrü Yılmaz", "Şükrü Yılmaz", "Ayşe Doğan", "Ayşe Doğan", "Anna Müller"]
    options = {"column_map": {"Hasta No": "id", "Ziyaret": "time"}, "visits": ["Ön", "Son"]}
    cp1254 = read_table(FORMATS / "turkish_cp1254.csv", **options)
    bom = read_table(FORMATS / "turkish_utf8_bom.csv", **options)
    assert cp1254["ad"].tolist() == expected
    assert bom["ad"].tolist() == expected
    assert list(bom.columns)[:2] == ["id", "time"]  # the BOM is not part of the first name
    notes = [n["message"] for n in cp1254.attrs["msrelax"]["notes"]]
    assert notes == ["not UTF-8; decoded as cp1254"] and bom.attrs["msrelax"]["notes"] == []
    # decimal comma left for the parsers: the semicolon file is not split on commas
    assert _cells(cp1254["uyku_saati"]) == ["6,5", "7", "5,5", None, "6"]
    forced = read_table(FORMATS / "turkish_cp1254.csv", encoding="latin-1", **options)
    assert forced["ad"].iloc[0] == "Þükrü Yýlmaz"  # latin-1 reading of the same bytes


def test_utf16_export_and_utf8_without_bom(tmp_path):
    text = "id\ttime\tname\n1\tpre\tAyşe\n1\tpost\tAyşe\n"
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "u8.txt").write_bytes(text.encode("utf-8"))
    for name in ("u16.txt", "u8.txt"):
        assert read_table(tmp_path / name)["name"].tolist() == ["Ayşe", "Ayşe"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2\n", ","),
        ("a;b\n1,5;2\n", ";"),
        ("a\tb;c\n1\t2;3\n", "\t"),
        ('a,b\n"x;y",2\n', ","),
    ],
)
def test_sniff_delimiter(text, expected):
    assert sniff_delimiter(text) == expected


def test_sniff_delimiter_reads_the_first_fifty_lines_however_long():
    long_lines = "".join(f"{'x' * 3000};{i}\n" for i in range(60))  # 50 lines > 64 KiB
    assert sniff_delimiter(long_lines + "a,b,c\n" * 10) == ";"
    assert sniff_delimiter("a;b\n" * 50 + "1,2,3\n") == ";"  # line 51 is not looked at
    for text in (long_lines, "a\r\n" * 70_000, " \n" * 40_000 + "a;b\n" * 60, "x\u2028" * 30):
        # only the head is split, to the same lines as splitting the whole text
        assert _first_lines(text, 50) == [t for t in text.splitlines() if t.strip()][:50]


def test_cells_repeated_across_rows_are_cleaned_alike(tmp_path):
    path = tmp_path / "s.csv"
    rows = "".join(
        f"P{i},{v},{c}\n" for i in range(40) for v, c in (("pre", " 5 "), ("post", "NA"))
    )
    path.write_text("id,time,fss_1\n" + rows + "P99,pre,-99\n", encoding="utf-8")
    table = read_table(path, missing_codes=[-99])
    assert _cells(table["fss_1"]) == ["5", None] * 40 + [None]


def test_markers_and_missing_codes(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "id,time,fss_1,psqi_2,note\n999,pre,-99,NA,\n999,post,999, 30 ,-99.0\n-99,pre,-99,.,x\n",
        encoding="utf-8",
    )
    table = read_table(path, missing_codes=[-99, 999])
    assert table["id"].tolist() == ["999", "999", "-99"]  # ids are never missing codes
    assert table["fss_1"].isna().all()
    assert _cells(table["psqi_2"]) == [None, "30", None]
    assert _cells(table["note"]) == [None, None, "x"]
    frame = pd.DataFrame({"id": ["a", "a"], "time": ["pre", "post"], "fss_1": [-99.0, 5.0]})
    assert read_table(frame, missing_codes=[-99])["fss_1"].tolist()[1:] == [5.0]
    assert np.isnan(read_table(frame, missing_codes=[-99])["fss_1"].iloc[0])


def test_sav_value_labels_do_not_replace_codes():
    table = read_table(SAMPLE / "pmr_study.sav")
    _, meta = pyreadstat.read_sav(str(SAMPLE / "pmr_study.sav"), metadataonly=True)
    assert meta.variable_value_labels["psqi_6"][0.0] == "very good"
    assert set(table["psqi_6"].dropna()) <= {0.0, 1.0, 2.0, 3.0}


VISIT_CODES = {"pre": 1, "post": 2}


def _coded_study(path: Path, value_labels: dict | None) -> Path:
    """The sample study with ``time`` stored as codes 1, 2, as SPSS or Stata users keep it."""
    frame, _ = pyreadstat.read_sav(str(SAMPLE / "pmr_study.sav"), apply_value_formats=False)
    frame["time"] = frame["time"].map(VISIT_CODES).astype(float)
    labels = {} if value_labels is None else {"time": value_labels}
    writer = pyreadstat.write_sav if path.suffix == ".sav" else pyreadstat.write_dta
    writer(frame, str(path), variable_value_labels=labels)
    return path


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_coded_visits_with_value_labels_are_one_problem(suffix, tmp_path):
    path = _coded_study(tmp_path / f"coded{suffix}", {1: "pre", 2: "post"})
    assert _message(path) == (
        f'{path}, column time: visits are stored as codes 1, 2 (value labels: 1 = "pre", '
        '2 = "post"); name them in visit order with --visits 1,2 (or visits = ["1", "2"] in '
        "a column map)"
    )


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_coded_visits_read_with_the_suggested_visits(suffix, reference, tmp_path):
    path = _coded_study(tmp_path / f"coded{suffix}", {1: "pre", 2: "post"})
    for options in ({"visits": ["1", "2"]}, {"column_map": {"visits": [1, 2]}}):
        table = read_table(path, **options)
        assert list(table["time"].cat.categories) == ["1", "2"]
        assert table["time"].astype(str).tolist() == (
            reference["time"].astype(str).map({"pre": "1", "post": "2"}).tolist()
        )
        rest = table.drop(columns=["time", "name"], errors="ignore")
        pd.testing.assert_frame_equal(
            _comparable(rest), _comparable(reference.drop(columns=["time"]))
        )


def test_coded_visits_keep_per_row_messages_for_blank_cells(tmp_path):
    frame = pd.DataFrame(
        {"id": ["P1", "P1", "P2"], "time": [1.0, 2.0, np.nan], "fss_1": [5.0, 4.0, 3.0]}
    )
    pyreadstat.write_sav(
        frame, str(tmp_path / "s.sav"), variable_value_labels={"time": {1: "pre", 2: "post"}}
    )
    path = tmp_path / "s.sav"
    assert _message(path).splitlines() == [
        f'{path}, column time: visits are stored as codes 1, 2 (value labels: 1 = "pre", '
        '2 = "post"); name them in visit order with --visits 1,2 (or visits = ["1", "2"] in '
        "a column map)",
        f"{path}, participant P2, column time: blank visit label",
    ]


def test_codes_without_value_labels_are_reported_per_row(tmp_path):
    path = _coded_study(tmp_path / "plain.sav", None)
    lines = _message(path).splitlines()
    assert len(lines) == 63  # one per row of the sample study
    assert lines[:2] == [
        f"{path}, participant P01, column time: value '1' is not a known visit "
        "(expected one of: pre, post)",
        f"{path}, participant P01, column time: value '2' is not a known visit "
        "(expected one of: pre, post)",
    ]


def test_visit_codes_in_a_csv_are_reported_per_row(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("id,time,fss_1\nP1,1,5\nP1,2,4\nP2,,3\n", encoding="utf-8")
    assert _message(path).splitlines() == [
        f"{path}, participant P1, column time: value '1' is not a known visit "
        "(expected one of: pre, post)",
        f"{path}, participant P1, column time: value '2' is not a known visit "
        "(expected one of: pre, post)",
        f"{path}, participant P2, column time: blank visit label",
    ]


def test_dataframe_source_is_copied():
    frame = pd.DataFrame({"ID": [" a "], "Visit": ["Pre"], "FSS 1": ["5"]})
    table = read_table(frame)
    assert frame.columns.tolist() == ["ID", "Visit", "FSS 1"] and frame["ID"].iloc[0] == " a "
    meta = table.attrs["msrelax"]
    assert (meta["source"], meta["sha256"]) == ("<DataFrame>", None)


def test_workbook_sheets(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "readme"
    book.active.append(["id", "time", "fss_1"])
    book.active.append(["P1", "pre", 4])
    data = book.create_sheet("data")
    for row in (["id", "time", "fss_1"], ["P2", "pre", 5], ["P2", "post", 3]):
        data.append(row)
    book.save(tmp_path / "b.xlsx")
    first = read_table(tmp_path / "b.xlsx")
    assert first["id"].tolist() == ["P1"]
    assert (
        first.attrs["msrelax"]["notes"][0]["message"]
        == "read sheet 'readme', the first visible sheet with a participant id column; "
        "ignored 'data'"
    )
    assert read_table(tmp_path / "b.xlsx", sheet="data")["fss_1"].tolist() == [5, 3]
    assert read_table(tmp_path / "b.xlsx", sheet=1)["id"].tolist() == ["P2", "P2"]
    with pytest.raises(StudyDataError, match=r"has no sheet 'x' \(sheets: 'readme', 'data'\)"):
        read_table(tmp_path / "b.xlsx", sheet="x")


def _message(path, **options) -> str:
    with pytest.raises(StudyDataError) as info:
        read_table(path, **options)
    assert all(p.file == str(path) for p in info.value.problems)
    return str(info.value)


def test_file_level_errors(tmp_path):
    missing = tmp_path / "nope.csv"
    assert _message(missing) == f"{missing}: file not found"
    assert _message(tmp_path) == f"{tmp_path}: is a directory, not a data file"
    (tmp_path / "empty.csv").write_bytes(b"")
    assert _message(tmp_path / "empty.csv") == f"{tmp_path / 'empty.csv'}: file is empty"
    (tmp_path / "head.csv").write_text("id,time,fss_1\n", encoding="utf-8")
    assert _message(tmp_path / "head.csv").endswith("head.csv: has a header row but no data rows")
    (tmp_path / "bin.csv").write_bytes(b"PK\x03\x04\x00\x00binary\x00")
    assert "bin.csv: is not a text table (binary content)" in _message(tmp_path / "bin.csv")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "unsupported file type '.xls'" in _message(tmp_path / "old.xls")
    turkish = FORMATS / "turkish_cp1254.csv"
    assert "cannot be decoded as utf-8" in _message(turkish, encoding="utf-8")
    assert _message(turkish, sheet=0) == f"{turkish}: sheet= applies to .xlsx files only"
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    assert "is not a readable .xlsx workbook" in _message(tmp_path / "bad.xlsx")


def test_whole_number_columns_of_a_text_file_are_read_as_numbers(tmp_path):
    """``numbers=`` (the instruments' numeric items, as ``read_study`` passes them): a column
    of whole numbers, blanks and markers is read as numbers; any other column stays text."""
    path = tmp_path / "s.csv"
    path.write_text(
        "id,time,fss_1,fss_2,psqi_3\n"
        "007,pre, 5 ,6.5,0925\n007,post,,2,2330\n010,pre,NA,2,-99\n010,post,-99,x,07:15\n",
        encoding="utf-8",
    )
    table = read_table(path, missing_codes=[-99], numbers={"fss_1", "fss_2"})
    assert table["id"].tolist() == ["007", "007", "010", "010"]  # never a number
    assert str(table["fss_1"].dtype) == "Int64"
    assert _cells(table["fss_1"]) == [5, None, None, None]  # blank, NA and the code -99
    assert table["fss_2"].dtype == object  # 6.5 and x: the column is text, as typed
    assert table["fss_2"].tolist() == ["6.5", "2", "2", "x"]
    assert _cells(table["psqi_3"]) == ["0925", "2330", None, "07:15"]  # not in numbers=


def test_a_number_column_with_text_late_in_the_file_is_text_as_typed(tmp_path):
    """pandas infers types chunk by chunk: a column of numbers with one text cell near the
    end is read again as text, so "05" early in the file stays "05"."""
    rows = [f"P{i},{v},{'05' if i == 0 else 3}\n" for i in range(150_000) for v in ("pre", "post")]
    rows[-1] = "P149999,post,6,5\n".replace("6,5", '"6,5"')
    path = tmp_path / "s.csv"
    path.write_text("id,time,fss_1\n" + "".join(rows), encoding="utf-8")
    table = read_table(path, numbers={"fss_1"})
    assert table["fss_1"].dtype == object
    assert table["fss_1"].iloc[0] == "05" and table["fss_1"].iloc[-1] == "6,5"
    assert set(map(type, table["fss_1"])) == {str}


def test_a_first_row_longer_than_the_header_is_an_error_with_numbers(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("id,time,fss_1\nP1,pre,5,7\nP1,post,4\n", encoding="utf-8")
    for numbers in ((), {"fss_1"}):  # never read with the first column as the index
        with pytest.raises(StudyDataError, match="cannot be read as a table.*line 2, saw 4"):
            read_table(path, numbers=numbers)


def test_whole_number_columns_of_a_wide_file_are_read_as_numbers(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("id,fss_1_pre,fss_1_post,fss_2_pre,fss_2_post\n007,5,,6.5,2\n010,3,4,,1\n",
                    encoding="utf-8")  # fmt: skip
    table = read_table(path, numbers={"fss_1", "fss_2"})
    assert table["id"].tolist() == ["007", "007", "010", "010"]
    assert _cells(table["fss_1"]) == [5, None, 3, 4]
    assert pd.api.types.is_integer_dtype(table["fss_1"].dtype)
    # fss_2_pre holds 6.5, so it is text as typed; fss_2_post is whole numbers
    assert _cells(table["fss_2"]) == ["6.5", 2, None, 1]
