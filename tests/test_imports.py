"""Start-up cost (issue 8): light commands never import the heavy libraries.

Each check runs in a fresh interpreter (``subprocess``) and reads ``sys.modules`` after the
call, so modules imported by other tests in this process cannot hide an eager import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from msrelax_stats.parallel import can_fork

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "pmr_study.csv"
HEAVY = ("statsmodels", "pingouin", "matplotlib", "tqdm")


def imported_after(code: str, heavy: tuple[str, ...] = HEAVY) -> set[str]:
    """Top-level packages of ``heavy`` present in ``sys.modules`` after running ``code``."""
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=120, check=True)  # fmt: skip
    return set(json.loads(run.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["validate", str(SAMPLE)],
        ["score", str(SAMPLE), "--out", "{tmp}/scored.csv"],
        ["plan", str(SAMPLE), "--out", "{tmp}/plan.toml"],
    ],
    ids=["help", "validate", "score", "plan"],
)
def test_light_commands_import_no_heavy_library(argv, tmp_path):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code = (
        "import contextlib, io\n"
        "from msrelax_stats import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        status = cli.main({argv!r})\n"
        "    except SystemExit as exit:\n"
        "        status = exit.code\n"
        "assert status in (0, None), status\n"
    )
    assert imported_after(code) == set()


def test_paired_statistics_import_neither_pingouin_nor_plotting():
    # compare() on the sample: BF10 by scipy quad, Holm/BH and Wilson from the narrow
    # statsmodels submodules only, loaded when used
    code = (
        "import msrelax_stats as mrs\n"
        f"scored = mrs.score(mrs.read_study({str(SAMPLE)!r}))\n"
        "result = mrs.compare(scored, n_boot=200)\n"
        "assert 'statsmodels.api' not in sys.modules\n"
    )
    assert imported_after(code) <= {"statsmodels"}


def test_one_group_analysis_never_imports_the_two_arm_models():
    # analyze without an output folder: read, score, compare; one group, so no statsmodels.api
    code = (
        "from msrelax_stats.pipeline import analyze\n"
        f"result = analyze({str(SAMPLE)!r}, n_boot=200)\n"
        "assert result.arms is None and 'statsmodels.api' not in sys.modules\n"
    )
    assert imported_after(code) <= {"statsmodels", "matplotlib"}


def test_the_command_imports_no_scipy_plotting_or_statsmodels_before_it_forks():
    # analyze(workers=2) forks the process that imports scipy and statsmodels and computes
    # the statistics while this one reads and then writes the report (matplotlib,
    # python-docx, openpyxl): the command's imports before the fork must hold none of them
    # (each would be imported once more, in the wrong process), and unpickling an analysis
    # needs none
    code = (
        "import msrelax_stats.pipeline, msrelax_stats.stats.analysis\n"
        "from msrelax_stats.report.options import ReportOptions, drawn_bootstraps\n"
        "from msrelax_stats.cli_imports import ANALYZE_MODULES\n"
        "import importlib\n"
        "for name in ANALYZE_MODULES: importlib.import_module(name)\n"
    )
    assert imported_after(code, HEAVY + ("scipy",)) == set()


@pytest.mark.skipif(not can_fork(), reason="one process where the platform cannot fork")
def test_the_report_process_of_a_one_group_study_imports_no_scipy(tmp_path):
    # the command's process reads, then unpickles the analysis (with the kernel densities its
    # estimation plots draw, computed by the statistics' process) and writes every file:
    # importing scipy or statsmodels there would cost about as much as the statistics' own
    # imports; the analysis is complete all the same
    mark = tmp_path / "report_modules.json"
    code = (
        "import msrelax_stats.pipeline as pipeline\n"
        "write = pipeline._write_outputs\n"
        "def probe(*args, **kwargs):\n"
        "    files = write(*args, **kwargs)\n"
        f"    open({str(mark)!r}, 'w').write(json.dumps(sorted(\n"
        "        {m.split('.')[0] for m in sys.modules} & {'scipy', 'statsmodels', 'docx'})))\n"
        "    return files\n"
        "pipeline._write_outputs = probe\n"
        f"result = pipeline.analyze({str(SAMPLE)!r}, {str(tmp_path / 'out')!r}, workers=2,\n"
        "                           n_boot=200)\n"
        "assert 'report.docx' in result.files and 'figures/fss_mean_estimation.png' in result.files\n"
    )
    assert imported_after(code, ("scipy", "statsmodels")) == set()
    assert json.loads(mark.read_text()) == ["docx"]


def test_the_command_guard_is_in_place_before_any_slow_import():
    # an interrupt in the first half second (while pandas is imported) once found the guard
    # half made: "UnboundLocalError: ... 'stopped'" instead of "interrupted by SIGINT"
    probe = (
        "import sys\n"
        "from msrelax_stats.cli_safety import command_guard\n"
        "with command_guard() as stopped:\n"
        "    print(sorted({'pandas', 'numpy'} & set(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=120, check=True)  # fmt: skip
    assert run.stdout.strip() == "[]"
