"""Write the bad-input corpus of issue 9 into this folder (``tests/data/bad/``).

Every file of the corpus is written by this script, so the corpus is documented in one place:
each entry below says what is awkward about its file. The expected outcome of every file (exit
status, the exact ``error:`` lines or, for clean files, who is analysed and who is excluded
with which reason) is in ``cases.toml`` beside it; ``tests/test_bad_inputs.py`` runs them.

Text files are plain UTF-8 with ``\\n`` line ends unless the entry says otherwise. The binary
files (``binary.csv``, the ``.xlsx`` workbooks, the cp1254 file) are generated here too, with
fixed content (no random bytes, fixed workbook timestamps), so a rerun writes the same data.

Usage (from the repository root)::

    python tests/data/bad/make_corpus.py

The 10,000-participant file is *not* part of the corpus: the test generates it at run time
(``tests/test_bad_inputs.py::test_ten_thousand_participants``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent

FSS = [f"fss_{i}" for i in range(1, 10)]
PSQI = ["psqi_1", "psqi_2", "psqi_3", "psqi_4"]
PSQI += [f"psqi_5{c}" for c in "abcdefghij"] + ["psqi_6", "psqi_7", "psqi_8", "psqi_9"]
# INSTRUMENTS.md, PSQI worked example 1 (global 5): Q1..Q4, Q5a..Q5j, Q6..Q9
PSQI_EXAMPLE_1 = [
    "23:30",
    "20",
    "06:30",
    "6",
    "1",
    "2",
    "1",
    "0",
    "0",
    "1",
    "0",
    "0",
    "0",
    "0",
    "1",
    "0",
    "0",
    "1",
]

# FSS answers (nine items) of a small study: participant -> (pre, post)
FSS_STUDY = {
    "P01": ("6 6 4 6 7 5 5 7 4", "3 4 3 4 5 5 3 5 5"),
    "P02": ("6 6 4 5 4 6 5 6 5", "3 5 5 3 4 4 3 5 5"),
    "P03": ("5 5 5 5 5 5 5 5 5", "4 4 4 4 4 4 4 4 4"),
    "P04": ("7 6 6 7 6 6 7 6 6", "5 5 4 5 5 4 5 5 4"),
}


def csv_text(rows: Sequence[Sequence[str]], sep: str = ",") -> str:
    """Rows joined with ``sep`` and ``\\n`` (cells are written as given, quotes included)."""
    return "".join(sep.join(row) + "\n" for row in rows)


def fss_long(
    study: dict[str, tuple[str, str]] | None = None,
    *,
    header: Sequence[str] = ("id", "time", *FSS),
    edit: Callable[[list[list[str]]], None] | None = None,
) -> str:
    """A long FSS file (id, time, fss_1..fss_9), optionally edited row by row."""
    rows = [list(header)]
    for pid, visits in (study or FSS_STUDY).items():
        for label, answers in zip(("pre", "post"), visits, strict=True):
            if answers is not None:
                rows.append([pid, label, *answers.split()])
    if edit is not None:
        edit(rows)
    return csv_text(rows)


def set_cell(row: int, column: str, value: str) -> Callable[[list[list[str]]], None]:
    """An edit putting ``value`` at data row ``row`` (1-based, header excluded), ``column``."""

    def edit(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value

    return edit


def psqi_long(edits: dict[tuple[int, str], str] | None = None, n: int = 3, sep: str = ",") -> str:
    """A long PSQI file of ``n`` participants, every visit the answers of worked example 1."""
    rows = [["id", "time", *PSQI]]
    for i in range(1, n + 1):
        for label in ("pre", "post"):
            rows.append([f"S{i}", label, *PSQI_EXAMPLE_1])
    for (row, column), value in (edits or {}).items():
        rows[row][rows[0].index(column)] = value
    return csv_text(rows, sep)


def fss_wide(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return csv_text([list(header), *[list(r) for r in rows]])


# ---------------------------------------------------------------------------------------------
# Text files: name -> (what is awkward, content)
# ---------------------------------------------------------------------------------------------

WIDE_HEADER = ["id", "age", *[f"fss_{i}_{v}" for i in range(1, 10) for v in ("pre", "post")]]


def _wide_row(pid: str, age: str, pre: str, post: str) -> list[str]:
    pairs = zip(pre.split() if pre else [""] * 9, post.split() if post else [""] * 9, strict=True)
    return [pid, age, *[cell for pair in pairs for cell in pair]]


TEXT: dict[str, tuple[str, str]] = {
    "empty.csv": ("zero bytes", ""),
    "blank_lines.csv": ("only blank lines and spaces", "\n  \n\n"),
    "header_only.csv": ("a header row and no data", csv_text([["id", "time", *FSS]])),
    "no_id_column.csv": (
        "no column that names the participant",
        fss_long(header=("patient", "time", *FSS)),
    ),
    "no_visit_information.csv": (
        "no time column and no visit suffixes",
        csv_text([["id", *FSS], ["P01", *"6 6 4 6 7 5 5 7 4".split()]]),
    ),
    "one_visit_only.csv": (
        "every row is a pre visit: nobody can be paired",
        fss_long({pid: (pre, None) for pid, (pre, _) in FSS_STUDY.items()}),
    ),
    "missing_post_visit.csv": (
        "P04 has no post row: analysed without P04, who is listed as excluded",
        fss_long({**FSS_STUDY, "P04": (FSS_STUDY["P04"][0], None)}),
    ),
    "duplicate_id_visit.csv": (
        "P02 pre appears twice",
        fss_long(edit=lambda rows: rows.insert(4, list(rows[3]))),
    ),
    "unknown_visit_labels.csv": (
        "a visit labelled week6 and one labelled 'follow up' (visits are pre, post)",
        fss_long(
            edit=lambda rows: (
                set_cell(2, "time", "week6")(rows),
                set_cell(6, "time", "follow up")(rows),
            )
        ),
    ),
    "blank_visit_label.csv": (
        "P03 post has an empty time cell",
        fss_long(edit=set_cell(6, "time", "")),
    ),
    "blank_id.csv": ("the third data row has no id", fss_long(edit=set_cell(3, "id", ""))),
    "visit_labels_case.csv": (
        "visit labels written Pre / POST / ' post ' (read fine)",
        fss_long(
            edit=lambda rows: [
                set_cell(r, "time", label)(rows)
                for r, label in ((1, "Pre"), (2, "POST"), (4, " post "))
            ]
        ),
    ),
    "item_8_on_1_to_7.csv": ("fss_3 = 8 on a 1-7 scale", fss_long(edit=set_cell(2, "fss_3", "8"))),
    "item_minus_1.csv": ("fss_1 = -1", fss_long(edit=set_cell(5, "fss_1", "-1"))),
    "item_99.csv": ("fss_9 = 99", fss_long(edit=set_cell(7, "fss_9", "99"))),
    "item_fraction.csv": (
        "fss_2 = 4.5 (not a whole answer)",
        fss_long(edit=set_cell(1, "fss_2", "4.5")),
    ),
    "missing_code_minus_99.csv": (
        "fss_4 = -99 (the export's missing code) for P02 pre and P03 post; fss_5 = 999 for P01 "
        "post: errors without --missing-codes, missing with it",
        fss_long(
            edit=lambda rows: (
                set_cell(3, "fss_4", "-99")(rows),
                set_cell(6, "fss_4", "-99")(rows),
                set_cell(2, "fss_5", "999")(rows),
            )
        ),
    ),
    "missing_codes.toml": (
        "column map file declaring the missing codes",
        "# column map for missing_code_minus_99.csv\nmissing_codes = [-99, 999]\n",
    ),
    "words_in_numbers.csv": (
        "'five' in fss_2, 'n.a.' in fss_6, 'x' in fss_9",
        fss_long(
            edit=lambda rows: (
                set_cell(1, "fss_2", "five")(rows),
                set_cell(4, "fss_6", "n.a.")(rows),
                set_cell(8, "fss_9", "x")(rows),
            )
        ),
    ),
    "impossible_clock.csv": (
        "bed time 25:61 and getting-up time 7:75",
        psqi_long({(1, "psqi_1"): "25:61", (4, "psqi_3"): "7:75"}),
    ),
    "ambiguous_clock.csv": (
        "bed time '12' and getting-up time '7.5': not clock times (which 12? 7:05 or 7:30?)",
        psqi_long({(2, "psqi_1"): "12", (3, "psqi_3"): "7.5"}),
    ),
    "negative_minutes.csv": ("minutes to fall asleep = -10", psqi_long({(5, "psqi_2"): "-10"})),
    "hours_over_24.csv": (
        "hours of sleep = 25 and 30",
        psqi_long({(1, "psqi_4"): "25", (6, "psqi_4"): "30"}),
    ),
    "accepted_psqi_forms.csv": (
        "accepted forms: 11:30 PM, 2330, 11pm, 6:30 hours, 6,5 hours, a 30-60 range (noted)",
        psqi_long(
            {
                (1, "psqi_1"): "11:30 PM",
                (2, "psqi_1"): "2330",
                (3, "psqi_1"): "11pm",
                (1, "psqi_4"): "6:30",
                (2, "psqi_4"): '"6,5"',
                (4, "psqi_2"): "30-60",
            }
        ),
    ),
    "psfs_severity_frequency_0.csv": (
        "PSFS severity 2 given with frequency 0",
        csv_text(
            [
                ["id", "time", "psfs_frequency", "psfs_severity"],
                ["Q1", "pre", "2", "2"],
                ["Q1", "post", "0", "2"],
                ["Q2", "pre", "1", "1"],
                ["Q2", "post", "0", ""],
            ]
        ),
    ),
    "mixed_decimal_separators.csv": (
        "semicolon file, hours of sleep written 6.5 and 6,5 in one column (both read as 6.5)",
        psqi_long(
            {
                (1, "psqi_4"): "6.5",
                (2, "psqi_4"): "6,5",
                (3, "psqi_4"): "7,25",
                (4, "psqi_4"): "7.25",
            },
            sep=";",
        ),
    ),
    "duplicated_column_names.csv": (
        "two columns named fss_3",
        fss_long(header=("id", "time", "fss_1", "fss_2", "fss_3", "fss_3", *FSS[4:])),
    ),
    "clashing_column_names.csv": (
        "'FSS 1' and 'fss_1' both become fss_1",
        fss_long(header=("id", "time", "FSS 1", "fss_1", *FSS[2:])),
    ),
    "column_case_spaces.csv": (
        "headers 'Participant', 'Visit', 'FSS 1', 'Fss_2', ' fss-3 ', 'FSS.4' (all read fine)",
        fss_long(header=("Participant", "Visit", "FSS 1", "Fss_2", " fss-3 ", "FSS.4", *FSS[4:])),
    ),
    "wide_inconsistent_suffixes.csv": (
        "wide file: fss_1_Pre/fss_1_POST read fine, fss_2_t2 and fss_3_follow are unknown visits",
        fss_wide(
            ["id", "fss_1_Pre", "fss_1_POST", "fss_2_pre", "fss_2_t2", "fss_3_pre", "fss_3_follow"],
            [["W1", "5", "4", "5", "4", "5", "4"], ["W2", "6", "3", "6", "3", "6", "3"]],
        ),
    ),
    "wide_participant_without_visits.csv": (
        "wide file: W3 answered nothing at either visit (only age): must not vanish silently",
        fss_wide(
            WIDE_HEADER,
            [
                _wide_row("W1", "40", *FSS_STUDY["P01"]),
                _wide_row("W2", "51", *FSS_STUDY["P02"]),
                _wide_row("W3", "47", "", ""),
                _wide_row("W4", "38", FSS_STUDY["P04"][0], ""),
            ],
        ),
    ),
    "all_missing_one_instrument.csv": (
        "FSS answered, every PSQI cell empty",
        csv_text(
            [["id", "time", *FSS, *PSQI]]
            + [
                [pid, label, *answers.split(), *[""] * len(PSQI)]
                for pid, visits in FSS_STUDY.items()
                for label, answers in zip(("pre", "post"), visits, strict=True)
            ]
        ),
    ),
    "items_missing.csv": (
        "P02 left fss_7 blank at post: strict scoring, P02 excluded from fss_mean",
        fss_long(edit=set_cell(4, "fss_7", "")),
    ),
    "n_equals_1.csv": ("one participant", fss_long({"P01": FSS_STUDY["P01"]})),
    "all_changes_zero.csv": (
        "every participant answered the same at both visits",
        fss_long({pid: (pre, pre) for pid, (pre, _) in FSS_STUDY.items()}),
    ),
    "script_id.csv": (
        "a participant id <script>alert(1)</script> (kept as text; escaped in the report)",
        fss_long({**FSS_STUDY, "<script>alert(1)</script>": FSS_STUDY["P01"]}),
    ),
    "formula_id.csv": (
        'a participant id =HYPERLINK("x") without a post visit (neutralised in the CSV outputs)',
        fss_long({**FSS_STUDY, '"=HYPERLINK(""x"")"': (FSS_STUDY["P01"][0], None)}),
    ),
    "ragged_rows.csv": (
        "a data row with more cells than the header",
        fss_long(edit=lambda rows: rows[3].extend(["extra", "cells"])),
    ),
    "unbalanced_quote.csv": (
        "an opening quote that is never closed",
        fss_long(edit=set_cell(3, "fss_2", '"4')),
    ),
    "scored_column_out_of_range.csv": (
        "an already-scored fss_mean of 8.2 (range 1-7)",
        csv_text(
            [
                ["id", "time", "fss_mean"],
                ["A", "pre", "5.1"],
                ["A", "post", "8.2"],
                ["B", "pre", "4.0"],
                ["B", "post", "3.5"],
            ]
        ),
    ),
    "not_a_workbook.xlsx": ("a CSV file renamed .xlsx", fss_long()),
    "unsupported.json": ("a JSON file", '{"id": ["P01"], "fss_1": [5]}\n'),
    "utf8_bom_turkish.csv": (
        "UTF-8 with a byte-order mark before 'id', Turkish letters in ids (read fine)",
        "\ufeff"
        + fss_long(
            {"Şebnem": FSS_STUDY["P01"], "İlkay": FSS_STUDY["P02"], "Ağır": FSS_STUDY["P03"]}
        ),
    ),
}


# ---- issue 15: real exports ------------------------------------------------------------------
PSQI_CODED = [f"psqi_5{c}" for c in "abcdefghij"] + ["psqi_6", "psqi_7", "psqi_8", "psqi_9"]


def _psqi_from_one() -> str:
    """Worked example 1 with the 0-3 answers exported as 1-4 (Qualtrics' numbering): no 4."""
    edits = {}
    for row in range(1, 7):
        for column in PSQI_CODED:
            edits[(row, column)] = str(int(PSQI_EXAMPLE_1[PSQI.index(column)]) + 1)
    return psqi_long(edits)


QUALTRICS_META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress",
                  "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId",
                  "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                  "ExternalReference", "LocationLatitude", "LocationLongitude",
                  "DistributionChannel", "UserLanguage"]  # fmt: skip


def _qualtrics_fss() -> str:
    """A Qualtrics export: header, question-text row, ImportId row, then responses; one
    survey preview (Status 1) and one unfinished response (Finished 0) besides the study."""
    items = [f"FSS_{i}" for i in range(1, 10)]
    names = [*QUALTRICS_META, "participant", "timepoint", *items]
    question = [*QUALTRICS_META[:8], "Response ID", *QUALTRICS_META[9:], "participant",
                "timepoint", *(f"Fatigue item {i}" for i in range(1, 10))]  # fmt: skip
    imports = ['"{""ImportId"":""' + n + '""}"' for n in names]
    rows = [names, question, imports]
    study = [(pid, label, answers) for pid, visits in FSS_STUDY.items()
             for label, answers in zip(("pre", "post"), visits, strict=True)]  # fmt: skip
    study += [("Q90", "pre", FSS_STUDY["P01"][0]), ("Q91", "pre", FSS_STUDY["P02"][0])]
    for k, (pid, label, answers) in enumerate(study):
        status = "1" if pid == "Q90" else "0"
        finished = "0" if pid == "Q91" else "1"
        rows.append(["2024-03-01 10:00:00", "2024-03-01 10:08:00", status, "192.0.2.1",
                     "100" if finished == "1" else "60", "480", finished,
                     "2024-03-01 10:08:01", f"R_{k:015d}", "", "", "", "", "", "",
                     "anonymous", "EN", pid, label, *answers.split()])  # fmt: skip
    return csv_text(rows)


def _redcap_fss() -> str:
    """A REDCap raw export: record_id, events baseline_arm_1 / week_6_arm_1, a repeating
    instrument row, *_complete and redcap_survey_identifier columns."""
    header = ["record_id", "redcap_event_name", "redcap_repeat_instrument",
              "redcap_repeat_instance", "redcap_survey_identifier", *FSS,
              "fatigue_severity_scale_complete"]  # fmt: skip
    rows = [header]
    for pid, visits in FSS_STUDY.items():
        for event, answers in zip(("baseline_arm_1", "week_6_arm_1"), visits, strict=True):
            rows.append([pid, event, "", "", "", *answers.split(), "2"])
        if pid == "P02":
            rows.append([pid, "baseline_arm_1", "adverse_events", "1", "", *[""] * 9, ""])
    return csv_text(rows)


TEXT |= {
    "no_items_recognised.csv": (
        "no column is a questionnaire item (Turkish item names, no column map)",
        csv_text(
            [
                ["id", "time", "Yorgunluk", "Uyku"],
                ["P01", "pre", "5", "3"],
                ["P01", "post", "4", "2"],
            ]
        ),  # fmt: skip
    ),
    "items_near_fss.csv": (
        "item columns that are not recognised but look like FSS items",
        fss_long(header=("id", "time", *[f"fss_item{i}" for i in range(1, 10)])),
    ),
    "psqi_coded_1_to_4.csv": (
        "PSQI answers exported as 1-4 with no 4 (every 0-3 item one point too high)",
        _psqi_from_one(),
    ),
    "fss1_and_fss_01.csv": (
        "two spellings of one item (FSS1 and fss_01): never guessed",
        fss_long(header=("id", "time", "FSS1", "fss_01", *FSS[2:])),
    ),
    "durations_with_units.csv": (
        "durations typed with their unit (read, with a note)",
        psqi_long(
            {
                (1, "psqi_2"): "about 20 min",
                (2, "psqi_4"): "6 hrs",
                (3, "psqi_2"): "1 hr 15 min",
                (4, "psqi_2"): "half an hour",
            }
        ),  # fmt: skip
    ),
    "duration_unreadable.csv": (
        "a duration that is no duration ('a while')",
        psqi_long({(1, "psqi_2"): "a while"}),
    ),
    "qualtrics_fss.csv": (
        "a Qualtrics export with a preview and an unfinished response",
        _qualtrics_fss(),
    ),
    "redcap_fss.csv": ("a REDCap raw export with a repeating-instrument row", _redcap_fss()),
}

# Encoded as cp1254 (Turkish Windows) rather than UTF-8: an encoding nobody declared.
CP1254 = {
    "cp1254_names.csv": (
        "Turkish Windows (cp1254) bytes, undeclared: decoded with a note",
        fss_long({"Şebnem": FSS_STUDY["P01"], "Gül": FSS_STUDY["P02"], "Ağır": FSS_STUDY["P03"]}),
    ),
}


def binary_bytes() -> bytes:
    """A PNG-like header, NUL bytes and every byte value: what no CSV contains."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


# ---------------------------------------------------------------------------------------------
# Workbooks
# ---------------------------------------------------------------------------------------------

FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)


def _save_workbook(
    book, path: Path, edits: dict[str, Callable[[bytes], bytes]] | None = None
) -> None:
    """Save with fixed properties and zip timestamps, so reruns give the same bytes;
    ``edits`` rewrites members of the archive (XML that openpyxl cannot write)."""
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.properties.creator = "msrelax_stats tests"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the save time
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data
                )
            if edits and item.filename in edits:
                data = edits[item.filename](data)
            info = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)


def several_sheets(path: Path) -> None:
    """Sheets 'Data' (FSS, first), 'Codebook' (text), 'Old export' (another table)."""
    import openpyxl

    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    data.append(["Participant", "Visit", *FSS])
    for pid, visits in FSS_STUDY.items():
        for label, answers in zip(("pre", "post"), visits, strict=True):
            data.append([pid, label, *[int(a) for a in answers.split()]])
    codebook = book.create_sheet("Codebook")
    codebook.append(["variable", "meaning"])
    codebook.append(["fss_1", "My motivation is lower when I am fatigued (1-7)"])
    old = book.create_sheet("Old export")
    old.append(["id", "time", "fss_1"])
    old.append(["P01", "pre", 9])
    _save_workbook(book, path)


def excel_times(path: Path) -> None:
    """PSQI clock times as real Excel time cells, hours as numbers, ids as numbers."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "PSQI"
    sheet.append(["id", "time", *PSQI])
    for pid in (7, 8, 9):
        for label in ("pre", "post"):
            row = [pid, label, dt.time(23, 30), 20, dt.time(6, 30), 6]
            row += [int(x) for x in PSQI_EXAMPLE_1[4:]]
            sheet.append(row)
    _save_workbook(book, path)


def excel_bad_time(path: Path) -> None:
    """An .xlsx whose bed time cell holds the number 12 (not a clock time)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "time", *PSQI])
    for pid in ("X1", "X2"):
        for label in ("pre", "post"):
            row = [pid, label, dt.time(23, 30), 20, dt.time(6, 30), 6.5]
            row += [int(x) for x in PSQI_EXAMPLE_1[4:]]
            sheet.append(row)
    sheet["C3"] = 12  # X1 post, psqi_1, typed as a plain number
    sheet["C3"].number_format = "General"
    _save_workbook(book, path)


WORKBOOKS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "several_sheets.xlsx": ("three sheets, the data on the first", several_sheets),
    "excel_times.xlsx": (
        "Excel time cells for PSQI clock times, numeric ids (read fine)",
        excel_times,
    ),
    "excel_bad_time.xlsx": ("a bed time cell holding the number 12", excel_bad_time),
}

DIRECTORY = "a_directory.csv"  # a folder whose name looks like a data file


def main() -> list[Path]:
    """Write every corpus file; returns their paths."""
    written = []
    for name, (_, text) in TEXT.items():
        path = HERE / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    for name, (_, text) in CP1254.items():
        path = HERE / name
        path.write_bytes(text.encode("cp1254"))
        written.append(path)
    path = HERE / "binary.csv"
    path.write_bytes(binary_bytes())
    written.append(path)
    for name, (_, make) in WORKBOOKS.items():
        make(HERE / name)
        written.append(HERE / name)
    folder = HERE / DIRECTORY
    folder.mkdir(exist_ok=True)
    keep = folder / "README"
    keep.write_text("This folder stands where a data file was expected (corpus case).\n")
    written.append(keep)
    import hostile  # the hostile inputs of issue 13 (imported here: it uses this module)

    return written + hostile.write(HERE)


if __name__ == "__main__":
    for written_path in main():
        print(f"wrote {written_path.relative_to(HERE.parents[2])}")
