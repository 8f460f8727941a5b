"""report.docx (report/docx.py) and tables.xlsx (report/xlsx.py), read back with python-docx
and openpyxl/pandas and compared cell for cell with the tables and CSVs they were given."""

import doctest
import io
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Inches, Mm

import msrelax_stats as mrs
from msrelax_stats.report import docx as docx_module
from msrelax_stats.report import xlsx as xlsx_module
from msrelax_stats.report.docx import Figure, Heading, Paragraph, References, Table, write_docx
from msrelax_stats.report.table1 import table1
from msrelax_stats.report.tables import table2
from msrelax_stats.report.xlsx import sheet_names, write_xlsx
from msrelax_stats.stats.baseline import baseline_characteristics

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "docs" / "example-report"
PNG = sorted((ROOT / "docs" / "figures").glob("*.png"))[0].read_bytes()


def word_cells(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def frame_cells(frame):
    return [[str(c) for c in frame.columns], *frame.astype(str).to_numpy().tolist()]


def manuscript_tables():
    t1 = table1(baseline_characteristics(mrs.read_study(ROOT / "data/sample/pmr_study.csv")))
    t2 = table2(pd.read_csv(EXAMPLE / "results.csv"))
    return t1, t2


def blocks(t1, t2):
    return [
        Heading("Methods"),
        Paragraph("Fatigue was measured with the FSS (9 items, 1-7)."),
        Table(t1, t1.attrs["caption"], t1.attrs["notes"], label="Table 1"),
        Heading("Results"),
        Paragraph("FSS fell from 5.06 to 4.40 (t(30) = -4.24, p < .001)."),
        Table(
            t2, "Pre/post comparison (change = post - pre)", ["d_z: noncentral t CI."], "Table 2"
        ),
        Figure(PNG, "Estimation plot of the FSS mean."),
        References(["Krupp LB, et al. Arch Neurol. 1989;46:1121-1123.", "Buysse DJ, et al. 1989."]),
    ]


def test_tables_equal_their_csv_cell_for_cell(tmp_path):
    t1, t2 = manuscript_tables()
    path = write_docx(tmp_path / "report.docx", blocks(t1, t2), title="PMR study")
    word = docx.Document(path)
    assert len(word.tables) == 2
    for table, frame, name in zip(word.tables, (t1, t2), ("table1", "table2"), strict=True):
        csv = tmp_path / f"{name}.csv"
        frame.to_csv(csv, index=False)  # the plain CSV (text as it is)
        from_csv = pd.read_csv(csv, dtype=str, keep_default_na=False)
        assert word_cells(table) == frame_cells(from_csv) == frame_cells(frame)
    text = [p.text for p in word.paragraphs]
    assert "Table 1. Baseline characteristics of the participants" in text
    assert "Table 2. Pre/post comparison (change = post - pre)" in text
    assert "Figure 1. Estimation plot of the FSS mean." in text
    assert "1. Krupp LB, et al. Arch Neurol. 1989;46:1121-1123." in text
    assert word.core_properties.title == "PMR study"
    assert len(word.inline_shapes) == 1


def test_header_repeats_and_rows_do_not_split(tmp_path):
    t1, _ = manuscript_tables()
    path = write_docx(tmp_path / "t.docx", [Table(t1, "Baseline")])
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert xml.count("<w:tblHeader/>") == 1
    assert xml.count("<w:cantSplit/>") == len(t1) + 1
    assert "Table 1. Baseline" in [p.text for p in docx.Document(path).paragraphs]


@pytest.mark.parametrize(
    ("paper", "width", "height", "margin"),
    [("a4", Mm(210), Mm(297), Mm(25)), ("letter", Inches(8.5), Inches(11), Inches(1))],
)
def test_paper_sizes(tmp_path, paper, width, height, margin):
    path = write_docx(tmp_path / "p.docx", [Paragraph("x")], paper=paper)
    (section,) = docx.Document(path).sections
    assert abs(section.page_width - width) < Mm(0.1)
    assert abs(section.page_height - height) < Mm(0.1)
    assert abs(section.left_margin - margin) < Mm(0.1)
    with pytest.raises(ValueError, match="paper"):
        write_docx(tmp_path / "bad.docx", [], paper="a5")


def test_a_wide_table_gets_a_landscape_section(tmp_path):
    wide = pd.DataFrame({f"Column number {j}": ["-0.66 [-0.98, -0.34]"] for j in range(9)})
    narrow = pd.DataFrame({"a": ["1"]})
    path = write_docx(
        tmp_path / "w.docx",
        [Paragraph("before"), Table(narrow, "narrow"), Table(wide, "wide"), Paragraph("after")],
    )
    sections = docx.Document(path).sections
    assert [s.orientation for s in sections] == [
        WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]  # fmt: skip
    assert sections[1].page_width > sections[1].page_height
    # the grid of the wide table fits the landscape text width (297 - 2 x 25 mm)
    grid = docx.Document(path).tables[1].columns
    assert sum(c.width for c in grid) <= Mm(247) + Mm(0.5)


def test_missing_values_and_numbers_read_as_in_a_csv(tmp_path):
    frame = pd.DataFrame({"x": [1.5, np.nan], "n": [3, 4], "t": ["a", None]})
    path = write_docx(tmp_path / "m.docx", [Table(frame, "m")])
    assert word_cells(docx.Document(path).tables[0]) == [["x", "n", "t"], ["1.5", "3", "a"],
                                                         ["", "4", ""]]  # fmt: skip


def test_same_blocks_same_bytes(tmp_path, monkeypatch):
    t1, t2 = manuscript_tables()
    first = write_docx(tmp_path / "a.docx", blocks(t1, t2)).read_bytes()
    later = time.time() + 86400  # python-docx stamps zip members with the time of saving
    monkeypatch.setattr(time, "time", lambda: later)
    assert write_docx(tmp_path / "b.docx", blocks(t1, t2)).read_bytes() == first


def test_the_package_is_what_python_docx_saves_with_fixed_dates(tmp_path):
    """docx_package writes the members itself; python-docx's own save, rewritten by
    deterministic_package, is the reference: the same bytes, images stored, dates fixed."""
    from msrelax_stats.report._ooxml import FIXED_DATE, deterministic_package, docx_package

    t1, t2 = manuscript_tables()
    document = docx_module.build_document(blocks(t1, t2), title="T")
    saved = io.BytesIO()
    document.save(saved)
    reference = deterministic_package(saved.getvalue())
    ours = docx_package(docx_module.build_document(blocks(t1, t2), title="T"))
    assert ours == reference
    with zipfile.ZipFile(io.BytesIO(ours)) as package:
        members = package.infolist()
        assert {m.date_time for m in members} == {(2000, 1, 1, 0, 0, 0)}
        images = [m for m in members if m.filename.endswith(".png")]
        assert images and all(m.compress_type == zipfile.ZIP_STORED for m in images)
        assert package.read(images[0].filename) == PNG
        assert FIXED_DATE in package.read("docProps/core.xml").decode()


def test_paragraph_styles_are_the_ones_python_docx_sets(tmp_path):
    path = write_docx(tmp_path / "s.docx", [Heading("H", 2), Paragraph("p", "Caption"),
                                            Paragraph("plain")])  # fmt: skip
    paragraphs = docx.Document(path).paragraphs
    assert [(p.text, p.style.name) for p in paragraphs] == [
        ("H", "Heading 2"), ("p", "Caption"), ("plain", "Normal")]  # fmt: skip
    reference = docx.Document()
    reference.add_paragraph("p", style="Caption")
    assert paragraphs[1]._p.xml == reference.paragraphs[0]._p.xml


def test_unknown_block_is_refused(tmp_path):
    with pytest.raises(TypeError, match="not a document block"):
        write_docx(tmp_path / "x.docx", ["just a string"])


# ---- tables.xlsx -------------------------------------------------------------------------


def test_every_sheet_equals_its_csv(tmp_path):
    names = ["results", "caseness", "responders", "exclusions"]
    frames = {n: pd.read_csv(EXAMPLE / f"{n}.csv") for n in names}
    frames["table2"] = table2(frames["results"])
    path = tmp_path / "tables.xlsx"
    sheets = write_xlsx(path, frames)
    assert sheets == {n: n for n in frames}
    for name, frame in frames.items():
        csv = tmp_path / f"{name}.csv"
        frame.to_csv(csv, index=False)
        expected = pd.read_csv(csv)
        got = pd.read_excel(path, sheet_name=sheets[name])
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_text_is_never_a_formula(tmp_path):
    frame = pd.DataFrame({"cell": ["=1+1", "-0.66 [-0.98, -0.34]", "+x", "@SUM(A1)", "ü"]})
    path = tmp_path / "t.xlsx"
    write_xlsx(path, {"t": frame})
    sheet = openpyxl.load_workbook(path)["t"]
    values = [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2)]
    assert values == [(v, "s") for v in frame["cell"]]


def test_sheet_names_follow_excel_rules():
    names = sheet_names(["Table 2: pre/post [all]?", "results", "RESULTS", "results",
                         "'quoted'", "History", "a" * 40, "a" * 40])  # fmt: skip
    assert names[0] == "Table 2_ pre_post _all__"
    assert names[1:4] == ["results", "RESULTS (2)", "results (3)"]
    assert names[4:6] == ["quoted", "Sheet"]
    assert names[6] == "a" * 31 and names[7] == "a" * 27 + " (2)"
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)


def test_xlsx_same_tables_same_bytes(tmp_path, monkeypatch):
    frames = {"results": pd.read_csv(EXAMPLE / "results.csv")}
    write_xlsx(tmp_path / "a.xlsx", frames)
    later = time.time() + 86400
    monkeypatch.setattr(time, "time", lambda: later)
    write_xlsx(tmp_path / "b.xlsx", frames)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    package = zipfile.ZipFile(io.BytesIO((tmp_path / "a.xlsx").read_bytes()))
    assert package.testzip() is None
    core = package.read("docProps/core.xml").decode()  # openpyxl writes the time of saving
    assert core.count("2000-01-01T00:00:00Z") == 2


def test_docstring_examples_run():
    for module in (docx_module, xlsx_module):
        assert doctest.testmod(module, raise_on_error=False).failed == 0


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice absent"
)
def test_word_file_renders_without_split_statistics(tmp_path):
    # LibreOffice lays the file out as a word processor would: every statistic of Table 2
    # must stay on one line ("t(30) = -4.24", not "t(30) =" above "-4.24"), on A4
    t1, t2 = manuscript_tables()
    write_docx(tmp_path / "report.docx", blocks(t1, t2), title="PMR study")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(tmp_path / "report.docx")],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    lines = text.splitlines()
    for cell in [*t2["Test"], *t2["Change [95 % CI]"], *t1.iloc[:, 2]]:
        assert any(cell in line for line in lines), cell
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "A4" in info


def test_cells_keep_markup_characters_tabs_and_line_breaks(tmp_path):
    # python-docx reads a w:tab as "\t" and a w:br as "\n" (Run.text), as its run.text writes
    frame = pd.DataFrame({"a & b": ['<i>"x"</i> & y', "one\ttwo", "line 1\nline 2"]})
    path = write_docx(tmp_path / "c.docx", [Table(frame, "markup")])
    assert word_cells(docx.Document(path).tables[0]) == [
        ["a & b"], ['<i>"x"</i> & y'], ["one\ttwo"], ["line 1\nline 2"]]  # fmt: skip


def test_rules_widths_and_bold_header_of_a_word_table(tmp_path):
    # APA layout: rule above and below the header, rule below the last row, bold header
    frame = pd.DataFrame({"Outcome": ["FSS", "PSQI", "ISI"], "d": ["-0.75", "-0.61", "-0.2"]})
    path = write_docx(tmp_path / "r.docx", [Table(frame, "rules")])
    table = docx.Document(path).tables[0]
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    edges = [[sorted(e.tag.split("}")[1] for e in c._tc.findall("w:tcPr/w:tcBorders/*", ns))
              for c in row.cells] for row in table.rows]  # fmt: skip
    assert edges == [[["bottom", "top"]] * 2, [[], []], [[], []], [["bottom"]] * 2]
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in table.rows[1].cells for run in cell.paragraphs[0].runs)
    widths = [cell.width for cell in table.rows[1].cells]
    assert widths == [col.width for col in table.columns] and all(w > Mm(5) for w in widths)
    aligns = [cell.paragraphs[0].alignment for cell in table.rows[1].cells]
    assert [str(a).split(".")[-1].split(" ")[0] for a in aligns] == ["LEFT", "CENTER"]
