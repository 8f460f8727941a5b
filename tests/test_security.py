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
import io
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from msrelax_stats.cli import main
from msrelax_stats.data.read import MISSING_MARKERS
from msrelax_stats.data.safe import NUMBERS_ONLY, inert_cell, terminal_text
from msrelax_stats.errors import Problem
from msrelax_stats.pipeline import analyze, write_table
from msrelax_stats.report.formats import to_csv, to_html, to_latex, to_markdown

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "msrelax_stats"
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"]
FORMULA_START = ("=", "+", "-", "@")
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3*cmd|' /C calc'!A0", "@SUM(1,2)"]
#: What XML 1.0 (an .xlsx) cannot hold.
XML_ILLEGAL = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)]}


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


# ---- every format round-trips input text as text (issue 13) ------------------------------------

HOSTILE_TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs", "Cc"]),
        st.sampled_from(["\u2028", "\u2029", "\u202e", "\u2066", "\x85", "\x1b", "\n", "\r",
                         "=", "+", "-", "@", "|", "<", ">", "&", "*", "_", "`", "[", "]",
                         "\\", "~", "#", "&#10;", "&amp;", "<img src=x onerror=alert(1)>",
                         "[x](javascript:alert(1))", "**b**", "\r\n"]),
    ),
    min_size=1,
    max_size=12,
).map("".join)  # fmt: skip


class _Cells(HTMLParser):
    """The text of every <td> (and with ``headers`` every <th>) of an HTML document
    (character references decoded)."""

    def __init__(self, headers: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._open = False
        self._tags = ("td", "th") if headers else ("td",)

    def handle_starttag(self, tag, attrs):
        if tag in self._tags:
            self.cells.append("")
            self._open = True

    def handle_endtag(self, tag):
        if tag in self._tags:
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def td_texts(html_text: str, headers: bool = False) -> list[str]:
    parser = _Cells(headers)
    parser.feed(html_text)
    parser.close()
    return parser.cells


def shown_as_on_a_terminal(text: str) -> str:
    """The terminal form, from unicodedata (an independent statement of terminal_text's rule):
    control characters, line and paragraph separators and bidi controls as escapes."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    bidi = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)),
            *map(chr, range(0x2066, 0x206A))}  # fmt: skip
    out = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in bidi:
            code = ord(char)
            out.append(named.get(char, f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"))
        else:
            out.append(char)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_terminal_shows_one_line_with_escapes(text):
    line = str(Problem("is outside 1-7", participant=text, column=text, value=text, file=text))
    assert len(line.splitlines()) == 1 and not any(c in line for c in "\n\r\x1b\x85\u2028")
    assert terminal_text(text) == shown_as_on_a_terminal(text)
    assert f"participant {shown_as_on_a_terminal(text)}," in line


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_html_table_round_trips_the_text(text):
    table = pd.DataFrame({"Group": [text], "p": ["< .001"]})
    assert td_texts(to_html(table)) == [text, "< .001"]


def markdown_expected(text: str) -> str:
    """What a CommonMark renderer shows for ``text`` written by markdown_text: the text
    itself, except the control characters CommonMark cannot carry (shown as on a terminal),
    and with the Unicode blanks around a table cell trimmed (GFM tables; read_study strips
    ids and labels anyway)."""
    carried = "\t\n\x0c\r"  # written as character references: never trimmed
    kept = "".join(c if c in carried or unicodedata.category(c) != "Cc" else
                   shown_as_on_a_terminal(c) for c in text)  # fmt: skip
    trimmed = "".join(c for c in kept if c.isspace() and c not in carried)
    return kept.strip(trimmed) if trimmed else kept


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_markdown_table_renders_the_text_as_text(text):
    table = pd.DataFrame({"Group": [text], "p": ["< .001"]})
    source = to_markdown(table)
    # header, rule, one row: nothing broke the row (CommonMark line ends: LF, CR)
    assert source.count("\n") == 3 and "\r" not in source
    rendered = MarkdownIt("commonmark").enable("table").render(source)
    assert td_texts(rendered) == [markdown_expected(text), "< .001"]


@settings(max_examples=200, deadline=None)
@given(HOSTILE_TEXT)
def test_csv_cells_round_trip_and_never_start_a_formula(text):
    cells = next(csv.reader(io.StringIO(to_csv(pd.DataFrame({"id": [text]}),
                                               spreadsheet_safe=True).split("\n", 1)[1])))  # fmt: skip
    (cell,) = cells
    assert not (cell.startswith(FORMULA_START + ("\t", "\r")) and not is_number(cell))
    assert cell == ("'" + text if cell != text else text)  # kept, at most made inert


@settings(max_examples=60, deadline=None)
@given(HOSTILE_TEXT)
def test_xlsx_cells_hold_the_text_and_never_a_formula(tmp_path_factory, text):
    path = write_table(pd.DataFrame({"id": [text]}), tmp_path_factory.mktemp("x") / "t.xlsx")
    cell = openpyxl.load_workbook(path).active["A2"]
    assert cell.data_type == "s" or is_number(str(cell.value))
    shown = "".join(shown_as_on_a_terminal(c) if c in XML_ILLEGAL else c for c in text)
    # a carriage return stays one where the XML writer escapes it (lxml), else XML reads a LF
    read_back = {shown, shown.replace("\r\n", "\n").replace("\r", "\n")}
    assert cell.value in read_back | {"'" + form for form in read_back}
    assert not (
        str(cell.value).startswith(FORMULA_START + ("\t", "\r")) and not is_number(str(cell.value))
    )


def _label(text: str) -> str:
    """``text`` as read_study keeps it: stripped (an id or label is never blank here)."""
    return text.strip()


USABLE = HOSTILE_TEXT.filter(lambda t: _label(t) not in ("", *MISSING_MARKERS))


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(ids=st.lists(USABLE, min_size=5, max_size=5, unique_by=_label),
       labels=st.lists(USABLE, min_size=2, max_size=2, unique_by=_label))  # fmt: skip
def test_analyze_writes_hostile_ids_and_labels_as_text(tmp_path_factory, monkeypatch, ids, labels):
    """A whole analyze (figures drawn, not rasterised) of a two-arm study whose ids and arm
    labels are random printable and control text: report.html (HTML parser), table2.md
    (CommonMark), the CSV files (cells never a live formula) and the terminal summary."""
    import msrelax_stats.report.html as html_module
    import msrelax_stats.report.outputs as outputs

    monkeypatch.setattr(outputs, "save_figure", lambda *args, **kwargs: [])
    monkeypatch.setattr(html_module, "figure_data_uri", lambda figure: "data:image/png;base64,")
    rows = []
    for k, pid in enumerate(ids):  # the last participant lacks the post visit: excluded
        arm = labels[k % 2]
        visits = (("pre", 6 - k % 3), ("post", 4 + k % 2)) if k < 4 else (("pre", 5),)
        rows += [{"id": pid, "time": visit, "group": arm,
                  **{f"fss_{i}": value for i in range(1, 10)}} for visit, value in visits]  # fmt: skip
    rows += [{"id": "X" + str(k), "time": visit, "group": labels[k % 2],
              **{f"fss_{i}": value for i in range(1, 10)}}
             for k in range(4) for visit, value in (("pre", 6), ("post", 3 + k % 3))]  # fmt: skip
    out = tmp_path_factory.mktemp("hostile") / "results"
    result = analyze(pd.DataFrame(rows), out=out, n_boot=200, control=_label(labels[0]))
    assert all(len(line) and "\x1b" not in line for line in result.summary().split("\n"))
    excluded = _label(ids[4])

    def read(name: str) -> str:  # as written: no newline translation (an id may hold a CR)
        with open(out / name, encoding="utf-8", newline="") as handle:
            return handle.read()

    report = td_texts(read("report.html"))
    assert any(excluded in cell for cell in report)  # the flow and exclusions tables
    assert {_label(label) for label in labels} <= set(report)  # the arms' tables
    rendered = td_texts(MarkdownIt("commonmark").enable("table").render(read("table2.md")), True)
    # the trial Table 2 names each arm in its headers: "<arm>: n", "<arm>: <visit>", ...
    assert {f"{markdown_expected(_label(label))}: n" for label in labels} <= set(rendered)
    for path in out.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        live = [c for c in cells if c.startswith(FORMULA_START + ("\t", "\r"))
                and not is_number(c) and not NUMBERS_ONLY.fullmatch(c)]  # fmt: skip
        assert live == [], path.name
    exclusions = pd.read_csv(out / "exclusions.csv", dtype=str, keep_default_na=False)
    assert inert_cell(excluded) in set(exclusions["id"])


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_table_of_hostile_text_compiles_and_runs_nothing(tmp_path):
    labels = ["\\input{/etc/passwd}", "$x$ 100% #1 & _ ^ ~", "< > | \" \\\\", "a\nb\x1b[2J\tc",
              "\\write18{touch pwned}", "}{\\end{document}"]  # fmt: skip
    table = pd.DataFrame({"Group": labels, "p": ["< .001"] * len(labels)})
    body = to_latex(table, caption="Hostile \\caption{x}")
    # the packages the file's first lines name (booktabs, graphicx, rotating)
    document = ("\\documentclass{article}\\usepackage{booktabs,graphicx,rotating}"
                "\\begin{document}\n" + body)  # fmt: skip
    (tmp_path / "t.tex").write_text(document + "\\end{document}\n", encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                           "-no-shell-escape", "t.tex"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    assert not (tmp_path / "pwned").exists()
    log = (tmp_path / "t.log").read_text("latin-1")
    assert "(/etc/passwd" not in log  # TeX logs every file it opens as "(<path>"
    if shutil.which("pdftotext"):  # the commands are printed as text
        text = subprocess.run(["pdftotext", "t.pdf", "-"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60).stdout  # fmt: skip
        assert "\\input{/etc/passwd}" in text and "\\write18{touch pwned}" in text
