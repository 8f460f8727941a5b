"""report.html and write_outputs (msrelax_stats.report.html): escaping, self-containment,
content, determinism, and a real headless Chromium render (skipped without Chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.instruments.registry import DEFAULT
from msrelax_stats.report import ReportOptions, write_outputs, write_report
from msrelax_stats.stats.analysis import analyse
from msrelax_stats.stats.options import AnalysisOptions

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def study() -> dict:
    """A hand-written study: 4 participants, one with a hostile id and no post visit.

    FSS complete pairs P1 5 -> 4, P2 6 -> 5, P3 4 -> 4.5: changes -1, -1, 0.5, mean -0.5,
    SD 0.866, SE 0.5; R t.test(c(4, 5, 4.5), c(5, 6, 4), paired = TRUE): t = -1, df = 2,
    CI -0.5 +- qt(0.975, 2) x 0.5 = [-2.65, 1.65].
    """
    ids = ["P1", "P2", "P3", EVIL]
    scored = pd.DataFrame(
        {
            "id": ids * 2,
            "time": pd.Categorical(["pre"] * 4 + ["post"] * 4, ["pre", "post"], ordered=True),
            "fss_mean": [5.0, 6.0, 4.0, 5.5, 4.0, 5.0, 4.5, np.nan],
            "psqi_poor": pd.array([True, True, False, True, False, True, False, pd.NA],
                                  dtype="boolean"),
        }
    )  # fmt: skip
    return {
        "scored": scored,
        "analysis": analyse(scored, AnalysisOptions(n_boot=1000)),
        "registry": DEFAULT,
        "flow": {"source": "<b>study</b>.csv", "notes": [f"value of {EVIL} flagged"]},
        "versions": {"msrelax_stats": "0.1.0", "Python": "3.11"},
        "options": ReportOptions(command=f"python -m msrelax_stats analyze '{EVIL}.csv'"),
    }


class _Collect(HTMLParser):
    """Tags and text of a document as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.srcs += [v for k, v in attrs if k in ("src", "href") and v]

    def handle_data(self, data):
        self.text.append(data)


def _parse(text: str) -> _Collect:
    parser = _Collect()
    parser.feed(text)
    return parser


def test_hostile_id_is_text_never_markup(study, tmp_path):
    path = write_report(tmp_path, figures={}, **study)
    text = path.read_text(encoding="utf-8")
    assert EVIL not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    parsed = _parse(text)
    assert "script" not in parsed.tags and "b" not in [t for t in parsed.tags if t == "b"]
    body_text = "".join(parsed.text)
    assert EVIL in body_text  # shown to the reader as text: exclusions, flow, notes, command
    assert "<b>study</b>.csv" in body_text


def test_report_is_self_contained(study, tmp_path):
    path = write_report(tmp_path, **study)  # default figures, embedded
    text = path.read_text(encoding="utf-8")
    assert re.search(r"(?i)(https?|ftp):|//[a-z0-9.-]+\.[a-z]{2,}/", text) is None  # no URL
    parsed = _parse(text)
    assert "link" not in parsed.tags and "script" not in parsed.tags
    images = [s for s in parsed.srcs if not s.startswith("#")]
    assert images and all(s.startswith("data:image/png;base64,") for s in images)
    assert "<style>" in text and "@media print" in text


def test_report_sections_and_content(study, tmp_path):
    text = write_report(tmp_path, figures={}, **study).read_text(encoding="utf-8")
    body = "".join(_parse(text).text).replace("\u00a0", " ")  # no-break spaces in statistics
    for heading in ["Participant flow", "Results in words", "Table 2", "Descriptives",
                    "Caseness before and after", "Responders", "Figures", "Methods",
                    "Exclusions", "Reproduce"]:  # fmt: skip
        assert heading in body, heading
    assert "FSS mean decreased from 5.00 (SD 1.00) to 4.50 (SD 0.50)" in body
    assert "t(2) = -1.00" in body and "-0.50 [-2.65, 1.65]" in body
    assert "Rooney 2019 (MS)" in body and "0.45 points" in body
    assert "PSQI poor sleepers (global > 5)" in body
    assert "score missing at visit post: 1 (" + EVIL + ")" in body
    assert "python -m msrelax_stats analyze '" + EVIL + ".csv'" in body
    assert "msrelax_stats" in body and "0.1.0" in body
    assert "Enrolled" in body and "4" in body


def test_write_outputs_files_and_determinism(study, tmp_path):
    options = ReportOptions(figure_set="headline", figure_formats=("png", "svg"), dpi=100)
    study = {**study, "options": options}
    first = write_outputs(tmp_path / "a", **study)
    second = write_outputs(tmp_path / "b", **study)
    names = set(first)
    assert {"table2.csv", "table2.md", "table2.tex", "table2.html", "report.html"} <= names
    assert {"figures/fss_mean_slopes.png", "figures/fss_mean_slopes.svg",
            "figures/fss_mean_estimation.png", "figures/fss_mean_changes.png",
            "figures/forest_d_z.png", "figures/psqi_poor_caseness.png"} <= names  # fmt: skip
    for key in names:  # report.html included: same input, same bytes
        assert first[key].read_bytes() == second[key].read_bytes(), key
    # Markdown: brackets escaped (so that input text can never form a link)
    assert "-0.50 \\[-2.65, 1.65\\]" in first["table2.md"].read_text(encoding="utf-8")


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed")
def test_headless_chromium_renders_report(study, tmp_path):
    from PIL import Image

    path = write_report(tmp_path / "out", **study)
    shot = tmp_path / "shot.png"
    common = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
              "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    subprocess.run(
        [*common, "--hide-scrollbars", "--window-size=1200,1600", f"--screenshot={shot}",
         path.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with Image.open(shot) as image:
        assert image.size == (1200, 1600)
        grey = np.asarray(image.convert("L"))
    assert (grey < 128).mean() > 0.005  # text was drawn, not a blank page
    dom = subprocess.run(
        [*common, "--dump-dom", path.as_uri()], check=True, capture_output=True, timeout=120
    ).stdout.decode("utf-8")
    assert "<script" not in dom  # the browser built no script element from the id
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
