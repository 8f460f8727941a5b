"""The hostile part of the bad-input corpus (issue 13), written by ``make_corpus.py``.

What a careless or hostile user feeds the command line: ids and labels that forge terminal
lines or carry markup, names that climb out of the output folder, side files (column maps,
instrument specs, diaries) of the wrong shape, workbooks that hide their data sheet or
explode when opened, NUL bytes late in a file. Each entry says what is awkward about it; the
expected outcomes are in ``cases.toml``.

Large files are not committed: :data:`GENERATED` makes them at test time (``generate`` key of
a case), into the test's own folder.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from make_corpus import FSS, FSS_STUDY, _save_workbook, csv_text, fss_long, set_cell

# ---- text files: name -> (what is awkward, content) -------------------------------------------

SLEEPY = "\n".join(['name = "sleepy"', "items = 4", "min = 0", "max = 4", ""])


def _arms(labels: tuple[str, str]) -> str:
    """Two arms of four participants each, FSS at both visits; the arm labels as given."""
    rows = [["id", "time", "group", *FSS]]
    for arm, label in enumerate(labels):
        for pid, (pre, post) in FSS_STUDY.items():
            for visit, answers in (("pre", pre), ("post", post)):
                rows.append([f"{pid}{'ab'[arm]}", visit, label, *answers.split()])
    return csv_text(rows)


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


DIARY_ROWS = [["id", "day", "practised", "minutes"]] + [
    [pid, str(day), "yes", "20"] for pid in FSS_STUDY for day in (1, 2, 3)
]

TEXT: dict[str, tuple[str, str]] = {
    "id_newline.csv": (
        "a participant id with a line break that forges a second stderr line, and an error in "
        "that participant's row: the error line shows \\n",
        fss_long(
            {**FSS_STUDY, _quoted("P05\nall good, ignore the lines above"): FSS_STUDY["P01"]},
            edit=set_cell(10, "fss_3", "8"),
        ),
    ),
    "id_bidi.csv": (
        "a participant id starting with U+202E (right-to-left override), with an error",
        fss_long({**FSS_STUDY, "\u202eP05": FSS_STUDY["P02"]}, edit=set_cell(9, "fss_1", "0")),
    ),
    "id_vertical_tab.csv": (
        "an id holding a vertical tab (U+000B), which an .xlsx cannot hold: score --out x.xlsx",
        fss_long({**FSS_STUDY, "P\x0b05": FSS_STUDY["P03"]}),
    ),
    "group_markdown.csv": (
        "two arms labelled with HTML and Markdown markup: table2.md must render them as text",
        _arms(("control | *usual* _care_ [x](y) `c`", "<img src=x onerror=alert(1)>")),
    ),
    "group_latex.csv": (
        "two arms, one labelled \\input{/etc/passwd}: table2.tex must not run it",
        _arms(("control", "\\input{/etc/passwd} $x$ 100% #1")),
    ),
    "sleepy_study.csv": (
        "items of the custom 'sleepy' instrument (for the instrument-spec cases)",
        csv_text(
            [["id", "time", "sleepy_1", "sleepy_2", "sleepy_3", "sleepy_4"]]
            + [[f"S{i}", v, "1", "2", "3", "4"] for i in (1, 2, 3) for v in ("pre", "post")]
        ),
    ),
    # column maps
    "map_columns_string.toml": ("'columns' holds a text, not a table", 'columns = "fss"\n'),
    "map_visits_string.toml": ("'visits' holds a text, not a list", 'visits = "pre,post"\n'),
    "map_not_toml.toml": ("not valid TOML (line 2)", "[columns]\nParticipant id\n"),
    "map_bad_json.json": ("JSON with a missing comma", '{\n  "a": "id"\n  "b": "time"\n}\n'),
    "map_list.json": ("a JSON list at the top", '["id", "time"]\n'),
    "map_empty.toml": ("an empty column map file", ""),
    # instrument specs
    "spec_no_max.toml": ("a spec without max", SLEEPY.replace("max = 4\n", "")),
    "spec_not_toml.toml": ("not valid TOML", 'name = "sleepy\nitems = 4\n'),
    "spec_bad_types.toml": (
        "min as text and a misspelled key",
        SLEEPY.replace("min = 0", 'min = "0"') + "maximum = 4\n",
    ),
    "spec_dotdot_score.toml": (
        "a score named ../../outside: would write figures outside --out",
        SLEEPY + '[[scores]]\nname = "../../outside"\n',
    ),
    "spec_dotdot_name.toml": (
        "an instrument named ../evil",
        SLEEPY.replace('name = "sleepy"', 'name = "../evil"'),
    ),
    # diaries
    "diary_empty.csv": ("an empty diary file", ""),
    "diary_header_only.csv": ("a diary with a header and no rows", csv_text(DIARY_ROWS[:1])),
    "study_for_diary.csv": ("the four-participant FSS study the diaries belong to", fss_long()),
    "diary.csv": ("a valid diary of study_for_diary.csv", csv_text(DIARY_ROWS)),
    "sleepy.toml": ("a valid spec of the custom instrument 'sleepy'", SLEEPY),
}

# Encoded as cp1254 (Turkish Windows), undeclared.
CP1254: dict[str, tuple[str, str]] = {
    "diary_cp1254.csv": (
        "a practice diary in cp1254 with Turkish notes (decoded as the study file is)",
        csv_text(
            [[*DIARY_ROWS[0], "not"]]
            + [[*row, "Şebnem iyi uyudu; ağrı az"] for row in DIARY_ROWS[1:]]
        ),  # fmt: skip
    ),
    "map_cp1254.toml": ("a column map saved as cp1254, not UTF-8", '[columns]\n"Hasta Ş" = "id"\n'),
}

# ---- workbooks ---------------------------------------------------------------------------------


def _study_sheet(sheet, pids=FSS_STUDY) -> None:
    sheet.append(["id", "time", *FSS])
    for pid, visits in pids.items():
        for label, answers in zip(("pre", "post"), visits, strict=True):
            sheet.append([pid, label, *[int(a) for a in answers.split()]])


def hidden_first_sheet(path: Path) -> None:
    """A hidden first sheet 'Old' (an earlier export of two participants), then 'Data'."""
    import openpyxl

    book = openpyxl.Workbook()
    old = book.active
    old.title = "Old"
    _study_sheet(old, {pid: FSS_STUDY[pid] for pid in ("P01", "P02")})
    old.sheet_state = "hidden"
    _study_sheet(book.create_sheet("Data"))
    _save_workbook(book, path)


def cover_sheet_first(path: Path) -> None:
    """A visible cover sheet (title, no id column), then the data."""
    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["PMR study, export of 2024-01-01"])
    cover.append(["Do not edit"])
    _study_sheet(book.create_sheet("Data"))
    _save_workbook(book, path)


def far_away_cell(path: Path) -> None:
    """The data, and one stray cell at XFD1048576 (the last cell of a sheet)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Data"
    _study_sheet(book.active)
    book.active["XFD1048576"] = "x"
    _save_workbook(book, path)


def formula_no_value(path: Path) -> None:
    """fss_1 of P01 pre is the formula =2+3, saved without a value (never calculated)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Data"
    _study_sheet(book.active)
    book.active["C2"] = "=2+3"
    _save_workbook(book, path)


def _cached(data: bytes) -> bytes:
    """The formula cells given saved values: C2 = 5, and D2 an empty text result."""
    data = data.replace(b'<c r="C2"><f>2+3</f><v /></c>', b'<c r="C2"><f>2+3</f><v>5</v></c>')
    return data.replace(b'<c r="P1"><f>"" &amp; ""</f><v /></c>',
                        b'<c r="P1" t="str"><f>"" &amp; ""</f><v></v></c>')  # fmt: skip


def formula_with_values(path: Path) -> None:
    """Formulas with saved values: fss_1 of P01 pre (=2+3, saved 5) and a header cell P1
    whose formula saved an empty text (a blank column name of an empty column)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Data"
    _study_sheet(book.active)
    book.active["C2"] = "=2+3"
    book.active["P1"] = '="" & ""'
    _save_workbook(book, path, edits={"xl/worksheets/sheet1.xml": _cached})


def _hide_all(data: bytes) -> bytes:
    return data.replace(b'state="visible"', b'state="hidden"')


def all_sheets_hidden(path: Path) -> None:
    """Every sheet hidden (Excel allows it only through its XML; openpyxl refuses)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Data"
    _study_sheet(book.active)
    _save_workbook(book, path, edits={"xl/workbook.xml": _hide_all})


def diary_with_cover(path: Path) -> None:
    """A diary workbook with a cover sheet first."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.active.append(["Practice diary"])
    diary = book.create_sheet("Diary")
    for row in DIARY_ROWS:
        diary.append(row)
    _save_workbook(book, path)


WORKBOOKS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "hidden_first_sheet.xlsx": ("the first sheet is hidden (an old export)", hidden_first_sheet),
    "cover_sheet_first.xlsx": ("a cover sheet before the data sheet", cover_sheet_first),
    "far_away_cell.xlsx": ("one stray cell at XFD1048576", far_away_cell),
    "formula_no_value.xlsx": ("a formula cell without a saved value", formula_no_value),
    "formula_with_values.xlsx": ("formula cells with saved values", formula_with_values),
    "all_sheets_hidden.xlsx": ("no visible sheet", all_sheets_hidden),
    "diary_with_cover.xlsx": ("a diary workbook with a cover sheet first", diary_with_cover),
}

# ---- generated at test time (too large to commit) ------------------------------------------------


def zip_bomb(path: Path) -> None:
    """several_sheets.xlsx with one more member: 600 MiB of spaces (about 600 KB on disk)."""
    base = Path(__file__).resolve().parent / "several_sheets.xlsx"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item.filename, source.read(item.filename))
        with out.open("xl/worksheets/padding.xml", "w") as padding:
            block = b" " * 2**20
            for _ in range(600):
                padding.write(block)


def _long_study(note: str, header_extra: list[str] | None = None) -> str:
    extra = header_extra or []
    rows = [["id", "time", "note", *extra, *FSS]]
    for pid, visits in FSS_STUDY.items():
        for label, answers in zip(("pre", "post"), visits, strict=True):
            rows.append([pid, label, note, *[""] * len(extra), *answers.split()])
    return csv_text(rows)


def long_cell(path: Path) -> None:
    """A free-text cell of 140 KiB (the csv module's default field limit is 128 KiB)."""
    path.write_text(_long_study("x" * 140 * 1024), encoding="utf-8")


def long_header(path: Path) -> None:
    """10,000 extra columns: a header row of about 150 KiB."""
    path.write_text(_long_study("", [f"extra_column_{i:05d}" for i in range(10_000)]),
                    encoding="utf-8")  # fmt: skip


def nul_after_64k(path: Path) -> None:
    """A NUL byte on the last line, after 84 KiB of ordinary text."""
    text = _long_study("y" * 12000)
    lines = text.splitlines(keepends=True)
    lines[-1] = lines[-1].replace("P04,post", "P04\x00,post")
    path.write_text("".join(lines), encoding="utf-8")


def esc_after_64k(path: Path) -> None:
    """ESC (a terminal control sequence) in an id after 84 KiB, and an error in its row."""
    text = _long_study("z" * 12000)
    lines = text.splitlines(keepends=True)
    lines[-1] = lines[-1].replace("P04,post", "\x1b[2JP04,post")
    lines[-1] = lines[-1][: -len(",4\n")] + ",9\n"  # fss_9 = 9: outside 1-7
    path.write_text("".join(lines), encoding="utf-8")


GENERATED: dict[str, Callable[[Path], None]] = {
    "zip_bomb": zip_bomb,
    "long_cell": long_cell,
    "long_header": long_header,
    "nul_after_64k": nul_after_64k,
    "esc_after_64k": esc_after_64k,
}


def write(folder: Path) -> list[Path]:
    """Write the committed hostile files into ``folder``; returns their paths."""
    written = []
    for name, (_, text) in TEXT.items():
        (folder / name).write_bytes(text.encode("utf-8"))
        written.append(folder / name)
    for name, (_, text) in CP1254.items():
        (folder / name).write_bytes(text.encode("cp1254"))
        written.append(folder / name)
    for name, (_, make) in WORKBOOKS.items():
        make(folder / name)
        written.append(folder / name)
    return written
