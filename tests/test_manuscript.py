"""The manuscript files of ``analyze`` (issue 19): report.docx, tables.xlsx, Table 1, the flow
figure, the reliability table and the references in report.html.

report.docx is opened with python-docx and tables.xlsx with openpyxl (through pandas); their
tables are compared cell for cell with the CSV files of the same run (the files a researcher
would otherwise copy by hand), not with the code that made them.
"""

import html
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.shared import Mm

from msrelax_stats.cli import main
from msrelax_stats.report import manuscript as manuscript_module

ROOT = Path(__file__).parents[1]
ONE_GROUP = ROOT / "data" / "sample" / "pmr_study.csv"
CONTROLLED = ROOT / "data" / "sample" / "controlled" / "pmr_controlled.csv"


@pytest.fixture(scope="module")
def one_group(tmp_path_factory):
    out = tmp_path_factory.mktemp("one") / "out"
    assert main(["analyze", str(ONE_GROUP), "--out", str(out), "--n-boot", "200"]) == 0
    return out


@pytest.fixture(scope="module")
def two_arms(tmp_path_factory):
    out = tmp_path_factory.mktemp("two") / "out"
    args = ["analyze", str(CONTROLLED), "--visits", "baseline,week6,week12", "--out", str(out),
            "--n-boot", "200", "--paper", "letter", "--figure-formats", "png,svg"]  # fmt: skip
    assert main(args) == 0
    return out


def csv_cells(path: Path) -> list[list[str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [list(frame.columns), *frame.to_numpy().tolist()]


def captioned_tables(document) -> dict[str, list[list[str]]]:
    """Each Word table by the number of the caption paragraph above it ("Table 1", "Table S3")."""
    out, caption = {}, None
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            match = re.match(r"(Table S?\d+)\. ", text)
            caption = match.group(1) if match else None
        elif tag == "tbl" and caption:
            table = docx.table.Table(child, document)
            out[caption] = [[cell.text for cell in row.cells] for row in table.rows]
            caption = None
    return out


@pytest.mark.parametrize("run", ["one_group", "two_arms"])
def test_word_table1_and_table2_equal_their_csv_cell_for_cell(run, request):
    out = request.getfixturevalue(run)
    tables = captioned_tables(docx.Document(out / "report.docx"))
    assert tables["Table 1"] == csv_cells(out / "table1.csv")
    assert tables["Table 2"] == csv_cells(out / "table2.csv")
    supplementary = sorted(k for k in tables if k.startswith("Table S"))
    assert supplementary == sorted(f"Table S{i}" for i in range(1, len(supplementary) + 1))


@pytest.mark.parametrize("run", ["one_group", "two_arms"])
def test_every_sheet_of_tables_xlsx_equals_its_csv(run, request):
    out = request.getfixturevalue(run)
    sheets = pd.read_excel(out / "tables.xlsx", sheet_name=None)
    csvs = {p.stem for p in out.glob("*.csv")} - {"scored"}
    assert set(sheets) == csvs  # every table of the output, the data (scored.csv) aside
    for name, sheet in sheets.items():
        expected = pd.read_csv(out / f"{name}.csv")
        pd.testing.assert_frame_equal(sheet, expected, check_dtype=False, obj=name)


def test_word_page_size_follows_paper(one_group, two_arms):
    a4 = docx.Document(one_group / "report.docx").sections[0]
    letter = docx.Document(two_arms / "report.docx").sections[0]
    assert (round(a4.page_width.mm), round(a4.page_height.mm)) == (210, 297)
    assert (round(letter.page_width.inches, 1), round(letter.page_height.inches, 1)) == (8.5, 11.0)
    assert letter.left_margin == Mm(25.4)


def test_word_has_the_sections_of_the_html_report(one_group):
    document = docx.Document(one_group / "report.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Participant flow", "Results in words", "Further tables"]
    assert {"Figures", "Methods", "References", "Exclusions", "Reproduce"} <= set(headings)
    text = "\n".join(p.text for p in document.paragraphs)
    report = html.unescape(re.sub(r"<[^>]+>", "", (one_group / "report.html").read_text("utf-8")))
    for sentence in (p.text for p in document.paragraphs if p.text.startswith("FSS mean decr")):
        assert sentence in report  # the same results sentence, no-break spaces and all
    methods = re.search(r'<p class="methods">(.*?)</p>', (one_group / "report.html").read_text())
    assert html.unescape(methods.group(1)) in text
    pictures = document.inline_shapes
    figures = sorted((one_group / "figures").glob("*.png"))
    assert len(pictures) == len(figures)  # the flow diagram and every figure of the gallery
    assert re.search(r"Figure 1\. Participant flow \(TREND 2004\)", text)


def test_html_report_has_table1_reliability_flow_figure_and_references(one_group, two_arms):
    page = (one_group / "report.html").read_text("utf-8")
    for anchor in ('id="table1"', 'id="reliability"', 'id="references"', 'id="fig-flow"'):
        assert anchor in page, anchor
    assert "Table 1. Baseline characteristics of the participants" in page
    assert "Krupp LB, LaRocca NG" in page and "Efron B. Better bootstrap" in page
    assert "Figure 1.</strong> Participant flow (TREND 2004)" in page
    assert "Figure 2.</strong>" in page  # the gallery numbers on after the flow diagram
    arms = (two_arms / "report.html").read_text("utf-8")
    assert "Participant flow (CONSORT 2010)" in arms
    header = pd.read_csv(two_arms / "table1.csv").columns.tolist()
    assert header[:2] == ["Characteristic", "Statistic"]
    assert [h.split(" (n")[0] for h in header[2:]] == ["Overall", "control", "relaxation",
                                                           "Completers", "Lost to follow-up"]  # fmt: skip


def test_flow_figure_in_every_format_and_reliability_csv(two_arms):
    assert {p.name for p in (two_arms / "figures").glob("flow.*")} == {"flow.png", "flow.svg"}
    reliability = pd.read_csv(two_arms / "reliability.csv")
    scales = set(zip(reliability["scale"], reliability["time"], strict=True))
    assert scales == {(s, v) for s in ("fss_mean", "psqi_global")
                      for v in ("baseline", "week6", "week12")}  # fmt: skip


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice absent")  # fmt: skip
def test_libreoffice_lays_report_docx_out_on_a4_with_statistics_whole(one_group, tmp_path):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(one_group / "report.docx")], check=True, capture_output=True,
                   timeout=300)  # fmt: skip
    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    lines = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.splitlines()  # fmt: skip
    table2 = pd.read_csv(one_group / "table2.csv", dtype=str)
    for cell in [*table2["Test"], *table2["Change [95 % CI]"], *table2["d_z [95 % CI]"]]:
        assert any(cell in line for line in lines), cell


def test_docstring_examples_run():
    import doctest

    assert doctest.testmod(manuscript_module, raise_on_error=False).failed == 0


def test_unknown_paper_is_a_clear_error(tmp_path, capsys):
    from msrelax_stats.errors import StudyDataError
    from msrelax_stats.report.options import ReportOptions

    with pytest.raises(StudyDataError, match=r"option paper \(--paper\) must be one of a4, letter"):
        ReportOptions(paper="a5")
    with pytest.raises(SystemExit) as stop:  # argparse: a usage error, exit status 2
        main(["analyze", str(ONE_GROUP), "--out", str(tmp_path / "out"), "--paper", "a5"])
    assert stop.value.code == 2 and "invalid choice: 'a5'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
