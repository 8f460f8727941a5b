"""Security of the outputs and of the package (issue 9).

- The HTML report escapes everything that comes from the input (ids, group labels, column
  names, free text, the file name).
- Text cells written to CSV/XLSX that start with ``=``, ``+``, ``-`` or ``@`` are neutralised
  against spreadsheet formula injection (OWASP "CSV Injection": prefix with an apostrophe).
- A static check of the package source: no network modules, no pickle, no eval/exec.
"""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from msrelax_stats.cli import main
from msrelax_stats.pipeline import write_table

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "msrelax_stats"
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"]
FORMULA_START = ("=", "+", "-", "@")
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3*cmd|' /C calc'!A0", "@SUM(1,2)"]


def fss_rows(pid: str, group: str, pre: int, post: int, note: str = "") -> list[list[str]]:
    return [
        [pid, "pre", group, note, *[str(pre)] * 9],
        [pid, "post", group, note, *[str(post)] * 9],
    ]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """A full analyze (no stubs) of a study whose ids, labels, names and file name are hostile."""
    folder = tmp_path_factory.mktemp("hostile")
    header = ["id", "time", "group", PAYLOADS[1], *[f"fss_{i}" for i in range(1, 10)]]
    rows = [header]
    rows += fss_rows(PAYLOADS[0], PAYLOADS[1], 6, 4, note=PAYLOADS[0])
    rows += fss_rows(FORMULAS[0], PAYLOADS[1], 5, 3, note=FORMULAS[1])
    rows += fss_rows("P3", PAYLOADS[1], 7, 5, note=FORMULAS[3])
    rows += fss_rows("P4", PAYLOADS[1], 4, 4)
    rows += [["@P5", "pre", PAYLOADS[1], "", *["5"] * 9]]  # no post: in exclusions.csv
    data = folder / f"{PAYLOADS[1]}.csv"
    with open(data, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    out = folder / "results"
    code = main(["analyze", str(data), "--out", str(out), "--n-boot", "200"])
    assert code == 0
    return out


def test_report_escapes_everything_from_the_input(hostile_run):
    report = (hostile_run / "report.html").read_text("utf-8")
    for payload in PAYLOADS:
        assert payload not in report
    assert "<script>alert" not in report
    assert "<img src=x" not in report


def test_table2_html_has_no_raw_markup_from_the_input(hostile_run):
    for path in hostile_run.glob("*.html"):
        text = path.read_text("utf-8")
        for payload in PAYLOADS:
            assert payload not in text, path.name


def csv_cells(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def only_signed_numbers(text: str) -> bool:
    """Digits, ``.``, ``,``, spaces and square brackets, every ``-`` a sign (not after a digit,
    a closing bracket or a bare space): nothing a spreadsheet can run or recompute."""
    return set(text) <= set("0123456789.,- []") and not re.search(r"[\d\]]\s*-|[^,] -", text)


def test_csv_outputs_neutralise_formulas(hostile_run):
    files = sorted(hostile_run.glob("*.csv"))
    assert {"scored.csv", "exclusions.csv", "table2.csv"} <= {p.name for p in files}
    live = [
        (path.name, cell)
        for path in files
        for cell in csv_cells(path)
        if cell.startswith(FORMULA_START) and not is_number(cell) and not only_signed_numbers(cell)
    ]
    assert live == []
    table2 = pd.read_csv(hostile_run / "table2.csv", dtype=str)
    changes = table2["Change [95 % CI]"].tolist()
    assert changes and all(c.startswith("-") for c in changes)  # no apostrophe before a sign
    scored = csv_cells(hostile_run / "scored.csv")
    assert "'" + FORMULAS[0] in scored  # kept, made inert, not dropped
    assert "'@P5" in csv_cells(hostile_run / "exclusions.csv")


def test_write_table_neutralises_text_not_numbers(tmp_path):
    frame = pd.DataFrame(
        {
            "id": [*FORMULAS, "-7", "P1"],
            "value": [-1.5, 2.0, -3.0, 4.0, -5.0, 6.0],
            "@column": ["x"] * 6,
        }
    )
    written = pd.read_csv(write_table(frame, tmp_path / "t.csv"), dtype=str)
    assert written["id"].tolist() == [*("'" + f for f in FORMULAS), "-7", "P1"]
    assert written["value"].astype(float).tolist() == frame["value"].tolist()  # numbers stay
    assert list(written.columns) == ["id", "value", "'@column"]


def test_xlsx_output_holds_no_formula(tmp_path):
    frame = pd.DataFrame({"id": FORMULAS, "fss_mean": [1.0, 2.0, 3.0, 4.0]})
    path = write_table(frame, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for formula in FORMULAS:
        assert "'" + formula in texts


def test_score_command_writes_a_safe_xlsx(tmp_path, capsys):
    data = tmp_path / "study.csv"
    rows = [["id", "time", *[f"fss_{i}" for i in range(1, 10)]]]
    rows += [[FORMULAS[0], "pre", *["5"] * 9], [FORMULAS[0], "post", *["4"] * 9]]
    with open(data, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    out = tmp_path / "scored.xlsx"
    assert main(["score", str(data), "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + FORMULAS[0] in [c.value for c in cells]


# ---- static checks of the package source ------------------------------------------------------

FORBIDDEN_MODULES = {
    "socket", "ssl", "urllib", "urllib2", "urllib3", "requests", "httpx", "aiohttp", "http",
    "ftplib", "smtplib", "telnetlib", "xmlrpc", "pickle", "cPickle", "dill", "shelve", "marshal",
}  # fmt: skip
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_ATTRIBUTES = {"read_pickle", "to_pickle", "loads_pickle", "system", "popen"}


def package_files() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    return files


def forbidden_uses(source: str) -> list[str]:
    """Network/pickle imports and eval/exec-like calls in Python ``source``."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        found += [f"import {n}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES]
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                found.append(f"{func.id}() at line {node.lineno}")
            if isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_ATTRIBUTES:
                found.append(f".{func.attr}() at line {node.lineno}")
            if isinstance(func, ast.Attribute) and func.attr == "load" and _is_yaml(func):
                found.append(f"yaml.load at line {node.lineno}")
    return found


@pytest.mark.parametrize("path", package_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_package_never_networks_unpickles_or_evaluates(path):
    assert forbidden_uses(path.read_text("utf-8")) == []


def _is_yaml(func: ast.Attribute) -> bool:
    return isinstance(func.value, ast.Name) and func.value.id == "yaml"


def test_static_check_catches_what_it_looks_for():
    """The checker itself flags each forbidden thing (so the test above can fail)."""
    source = (
        "import pickle\nfrom urllib.request import urlopen\nimport http.client\n"
        "eval('1')\nexec('x = 1')\nimport pandas as pd\npd.read_pickle('f')\n"
        "import re\nre.compile('x')\n"
    )
    assert forbidden_uses(source) == [
        "import pickle",
        "import urllib.request",
        "import http.client",
        "eval() at line 4",
        "exec() at line 5",
        ".read_pickle() at line 7",
    ]
