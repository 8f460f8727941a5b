"""report.html on a 390 px phone and printed on A4, checked in headless Chromium.

The example reports of docs/example-report are used with their stylesheet replaced by the
current ``report/templates/report.css`` (the file the next report inlines). Skipped when
Chromium or poppler (pdftotext, pdfinfo) is absent.

"Nothing cut off" on a phone means: the page does not scroll sideways, and no element lies
beyond the viewport except inside a horizontal scroller (a wide table in ``.scroll``, which
the reader swipes) whose own box fits the viewport.
"""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
CSS = ROOT / "src" / "msrelax_stats" / "report" / "templates" / "report.css"
REPORTS = {
    "one group": ROOT / "docs" / "example-report" / "report.html",
    "two arms": ROOT / "docs" / "example-report" / "controlled" / "report.html",
}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="headless Chromium or poppler-utils absent",
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--hide-scrollbars", "--no-first-run", "--mute-audio"]  # fmt: skip

OVERFLOW_SCRIPT = """<script>
addEventListener("load", () => {
  const vw = document.documentElement.clientWidth;
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll") return p;
    }
    return null;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className : "");
  const bad = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const s = scroller(el);
    const box = s ? s.getBoundingClientRect() : r;
    if (box.right > vw + 0.5 || box.left < -0.5) bad.push(name(s || el) + " " +
      Math.round(box.left) + ".." + Math.round(box.right));
  }
  const imgs = [...document.images].map((i) => i.getBoundingClientRect().width);
  parent.document.body.setAttribute("data-overflow", JSON.stringify({
    vw, scrollWidth: document.documentElement.scrollWidth, bad: [...new Set(bad)],
    widestImage: Math.max(0, ...imgs), images: imgs.length}));
});
</script>"""


def with_current_css(report: Path, extra_head: str = "", extra_body: str = "") -> str:
    html = report.read_text(encoding="utf-8")
    css = CSS.read_text(encoding="utf-8")
    html, n = re.subn(r"<style>.*?</style>", lambda _: f"<style>\n{css}\n</style>", html,
                      count=1, flags=re.S)  # fmt: skip
    assert n == 1, "report.html has no inlined stylesheet"
    return html.replace("</head>", extra_head + "</head>").replace(
        "</body>", extra_body + "</body>"
    )


def chromium(*args: str, timeout: int = 180) -> str:
    out = subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True,
                         timeout=timeout, check=True)  # fmt: skip
    return out.stdout


@pytest.mark.parametrize("kind", list(REPORTS))
def test_nothing_is_cut_off_at_390_px(kind, tmp_path):
    # headless Chromium's window is at least 500 px wide, so the report is shown in a 390 px
    # frame (srcdoc: same origin, so its script can report to the page around it)
    report = with_current_css(REPORTS[kind], extra_body=OVERFLOW_SCRIPT)
    page = tmp_path / "phone.html"
    page.write_text(
        '<!DOCTYPE html><html><body style="margin:0"><iframe style="border:0;width:390px;'
        f'height:3000px" srcdoc="{html.escape(report, quote=True)}"></iframe></body></html>',
        encoding="utf-8",
    )
    dom = chromium("--window-size=600,3000", "--virtual-time-budget=10000", "--dump-dom",
                   page.as_uri())  # fmt: skip
    match = re.search(r'data-overflow="([^"]*)"', dom)
    assert match, "the overflow script did not run"
    result = json.loads(match.group(1).replace("&quot;", '"'))
    assert result["vw"] == 390
    assert result["scrollWidth"] <= result["vw"], result
    assert result["bad"] == [], result["bad"]
    assert result["images"] > 0 and result["widestImage"] <= result["vw"]


def printed(kind: str, tmp_path: Path) -> tuple[Path, str]:
    page = tmp_path / "report.html"
    a4 = "<style>@page { size: A4; }</style>"  # the reader's choice of paper in the dialog
    page.write_text(with_current_css(REPORTS[kind], extra_head=a4), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return pdf, info


def page_text(pdf: Path, page: int) -> str:
    args = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("kind", list(REPORTS))
def test_a4_print_starts_on_page_1_and_keeps_statistics_whole(kind, tmp_path):
    pdf, info = printed(kind, tmp_path)
    assert re.search(r"Page size:.*\(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    first = page_text(pdf, 1)
    assert "Participant flow" in first and len(first.split()) > 80, first[:500]
    text = "\n".join(page_text(pdf, p) for p in range(1, pages + 1))
    lines = text.splitlines()
    table2 = (REPORTS[kind].parent / "table2.csv").read_text(encoding="utf-8")
    tests = re.findall(r"\b(t\(\d+\) = -?\d+\.\d+|V = \d+(?:\.\d)?)", table2)
    assert tests
    for cell in tests:  # every Test cell of Table 2 on one line of the printed page
        assert any(cell in line for line in lines), cell
