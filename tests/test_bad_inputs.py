"""The bad-input corpus (issue 9): every awkward file ends in a clean result or a clear exit 2.

Each case of ``tests/data/bad/cases.toml`` runs the command line in-process
(``msrelax_stats.cli.main``) and asserts the outcome written there: for bad input, exit status
2 with exactly the listed ``error:`` lines (one per problem, naming file, participant, visit,
column and value) and no output folder left behind; for a clean result, who was analysed and
who is in ``exclusions.csv`` with which reason. The expected lines are the specification
(INSTRUMENTS.md, docs/architecture.md "Errors"), written by hand, not pasted from a run.

Speed: clean ``analyze`` runs draw every figure (a figure that cannot be drawn still fails the
case) but skip rasterising them (``fast_figures``); a few real subprocess runs and one full
in-process run check the complete path without stubs.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.cli import main
from msrelax_stats.output_folder import MANIFEST

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "data" / "bad"
sys.path.insert(0, str(CORPUS))
import hostile  # noqa: E402  (the generated part of the corpus)

sys.path.remove(str(CORPUS))
CASES: list[dict[str, Any]] = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))["case"]
FORMULA_START = ("=", "+", "-", "@")


@pytest.fixture
def fast_figures(monkeypatch):
    """Draw every figure but do not rasterise it (PNG files and the report's data URIs)."""
    import msrelax_stats.report.html as html
    import msrelax_stats.report.outputs as outputs

    monkeypatch.setattr(outputs, "save_figure", lambda *args, **kwargs: [])
    monkeypatch.setattr(html, "figure_data_uri", lambda figure: "data:image/png;base64,")


def run_main(args: list[str], capsys) -> tuple[int, str, str]:
    """``main(args)`` with its exit status (argparse's SystemExit included), stdout, stderr."""
    try:
        code = main(args)
    except SystemExit as stop:  # argparse usage errors
        code = stop.code if isinstance(stop.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def summary_line(n: int) -> str:
    return f"{n} problem{'s' if n != 1 else ''} found; nothing was written."


def read_csv_cells(path: Path) -> pd.DataFrame:
    """A CSV output as text, with the spreadsheet-safety apostrophe taken off again."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in frame.columns:
        text = frame[column]
        guarded = text.str.startswith("'") & text.str[1:2].isin(FORMULA_START)
        frame[column] = text.where(~guarded, text.str[1:])
    return frame


def commands_of(case: dict[str, Any]) -> list[str]:
    default = ["validate", "analyze"] if case["exit"] == 2 else ["analyze"]
    return case.get("commands", default)


PARAMS = [
    pytest.param(case, command, id=f"{command}: {case['name']}")
    for case in CASES
    for command in commands_of(case)
]


def snapshot(*folders: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folders`` (and a marker for every folder)."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if "__pycache__" in path.parts:
                continue
            key = str(path)
            found[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def prepare(case: dict[str, Any], work: Path) -> tuple[str, Path]:
    """The data path to pass and the --out path, with the case's files set up in ``work``."""
    work.mkdir()
    for name in case.get("copy", []):
        shutil.copy(CORPUS / name, work / name)
    if "generate" in case:
        data = work / case["file"]
        hostile.GENERATED[case["generate"]](data)
    elif case.get("copy_data"):
        data = work / case["file"]
        shutil.copy(CORPUS / case["file"], data)
    else:
        data = CORPUS / case["file"]
    out = Path(fill(case.get("out", "{work}/results"), data=data, work=work))
    if "out_file" in case:  # --out names an existing file
        out.write_text(case["out_file"], encoding="utf-8")
    if case.get("out_dir"):  # an empty folder
        out.mkdir()
    if case.get("out_symlink"):  # a link to a folder
        (work / "target").mkdir()
        out.symlink_to(work / "target")
    for name, text in case.get("out_files", {}).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    listed = {name: hashlib.sha256((out / name).read_bytes()).hexdigest()
              for name in case.get("manifest", [])}  # fmt: skip
    listed |= {name: "0" * 64 for name in case.get("manifest_changed", [])}
    if listed:
        manifest = {"tool": "msrelax_stats", "version": "0.1.0", "files": listed}
        (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return str(data), out


def fill(text: str, *, data: Path | str, work: Path, out: Path | None = None) -> str:
    """The placeholders of cases.toml: {file} {here} {work} {out} {data_dir} {data_parent}."""
    folder = Path(data).resolve().parent
    values = {"{file}": str(data), "{here}": str(CORPUS), "{work}": str(work),
              "{data_dir}": str(folder), "{data_parent}": str(folder.parent),
              "{resolved}": str(Path(data).resolve())}  # fmt: skip
    if out is not None:
        values["{out}"] = str(Path(os.path.abspath(out)))
    for key, value in values.items():
        text = text.replace(key, value)
    return text


@pytest.mark.parametrize(("case", "command"), PARAMS)
def test_corpus_case(case, command, tmp_path, capsys, fast_figures):
    work = tmp_path / "work"
    data, out = prepare(case, work)
    args = [a.replace("{here}", str(CORPUS)).replace("{work}", str(work))
            for a in case.get("args", [])]  # fmt: skip
    head = [command, *([] if command == "sample" else [data])]
    if command in ("analyze", "score", "sample"):
        head += ["--out", str(out)]
    if command == "analyze":
        head += ["--n-boot", "200"]
    args = head + args  # the case's own options come last, so they win
    before = snapshot(tmp_path, CORPUS)
    code, stdout, stderr = run_main(args, capsys)
    after = snapshot(tmp_path, CORPUS)
    assert "Traceback" not in stderr
    assert code == case["exit"], f"exit {code}, stderr:\n{stderr}"
    inside = str(Path(os.path.abspath(out)))
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    outside = {k for k in changed if k != inside and not k.startswith(inside + os.sep)}
    assert outside == set(), "files outside --out changed"
    if case["exit"] == 2:
        expected = [fill(line.replace("{command}", command), data=data, work=work, out=out)
                    for line in case["stderr"]]  # fmt: skip
        lines = stderr.splitlines()
        if case.get("usage"):  # argparse: its usage text, then the one error line
            assert lines[-1] == expected[-1]
        elif case.get("summary", True):
            assert sorted(lines[:-1]) == sorted(expected), stderr
            assert lines[-1] == summary_line(len(expected))
        else:  # an option checked by the command line itself
            assert lines == expected
        assert stdout == ""
        assert changed == set(), "a failed run changed or left files"
        return
    check_output_folder(case, out)
    if command == "validate":
        assert f"OK, {case['participants']} participants" in stdout
        return
    if command in ("score", "sample"):
        assert Path(out).exists() and f"wrote {out}" in stdout
        return
    if case.get("ledger", True):
        check_clean_result(case, out, stdout)


def check_output_folder(case: dict[str, Any], out: Path) -> None:
    """The user's files in --out kept byte for byte, the listed earlier outputs gone."""
    for name in case.get("kept", []):
        assert (out / name).read_text("utf-8") == case["out_files"][name], name
    for name in case.get("gone", []):
        assert not (out / name).exists(), name
    for name, pieces in case.get("contains", {}).items():
        text = (out / name).read_text("utf-8")
        for piece in pieces:
            assert piece in text, (name, piece)
    for name, pieces in case.get("lacks", {}).items():
        text = (out / name).read_text("utf-8")
        for piece in pieces:
            assert piece not in text, (name, piece)


def check_clean_result(case: dict[str, Any], out: Path, stdout: str) -> None:
    participants = case["participants"]
    noun = "participant" if participants == 1 else "participants"
    assert stdout.startswith(f"{participants} {noun} read,"), stdout
    results = pd.read_csv(out / "results.csv")
    exclusions = read_csv_cells(out / "exclusions.csv")
    scored = read_csv_cells(out / "scored.csv")
    assert scored["id"].nunique() == participants, "participants lost between read and score"
    n_of = dict(zip(results["outcome"], results["n"], strict=True))
    for outcome, n in case.get("analysed", {}).items():
        assert n_of.get(outcome) == n, f"{outcome}: n = {n_of.get(outcome)}, expected {n}"
    # the ledger: every participant is analysed or listed as excluded, for every outcome
    for outcome, n in n_of.items():
        left_out = exclusions.loc[exclusions["outcome"] == outcome, "id"]
        assert left_out.is_unique, f"{outcome}: a participant is listed twice"
        assert n + len(left_out) == participants, f"{outcome}: participants lost"
    listed = {(row[0], row[1]): row[2] for row in case.get("excluded", [])}
    every = case.get("excluded_all", {})
    for pid, outcome, reason in exclusions[["id", "outcome", "reason"]].itertuples(index=False):
        if outcome in every:
            assert every[outcome] in reason
            continue
        assert (pid, outcome) in listed, f"unexpected exclusion {pid} {outcome}: {reason}"
        assert listed.pop((pid, outcome)) in reason, reason
    assert not listed, f"not in exclusions.csv: {listed}"
    for outcome in every:
        assert set(exclusions.loc[exclusions["outcome"] == outcome, "id"]) == set(scored["id"])
    notes = json.loads((out / "results.json").read_text("utf-8"))["input"]["notes"]
    messages = " | ".join(str(note.get("message")) for note in notes)
    for note in case.get("notes", []):
        assert note in messages


def test_every_corpus_file_has_a_case():
    named = {case["file"] for case in CASES} | {
        "cases.toml",
        "make_corpus.py",
        "hostile.py",
        "missing_codes.toml",
    }
    named |= {name for case in CASES for name in case.get("copy", [])}
    named |= {arg.rsplit("/", 1)[-1] for case in CASES for arg in case.get("args", [])
              if arg.startswith("{here}/")}  # fmt: skip
    on_disk = {path.name for path in CORPUS.iterdir() if path.name != "__pycache__"}
    assert on_disk - named == set()
    assert len(on_disk - {"cases.toml", "make_corpus.py"}) >= 30


def test_generator_writes_the_committed_text_files(tmp_path, monkeypatch):
    """make_corpus.py documents the corpus: its text files are exactly the committed ones."""
    sys.path.insert(0, str(CORPUS))
    try:
        import make_corpus
    finally:
        sys.path.remove(str(CORPUS))
    for name, (_, text) in make_corpus.TEXT.items():
        assert (CORPUS / name).read_bytes() == text.encode("utf-8"), name
    for name, (_, text) in make_corpus.CP1254.items():
        assert (CORPUS / name).read_bytes() == text.encode("cp1254"), name
    for name, (_, text) in hostile.TEXT.items():
        assert (CORPUS / name).read_bytes() == text.encode("utf-8"), name
    for name, (_, text) in hostile.CP1254.items():
        assert (CORPUS / name).read_bytes() == text.encode("cp1254"), name
    assert (CORPUS / "binary.csv").read_bytes() == make_corpus.binary_bytes()


# ---- real processes: what a user sees ---------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m msrelax_stats`` in a fresh process started in ``cwd``."""
    paths = [str(HERE.parent / "src"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    return subprocess.run(
        [sys.executable, "-m", "msrelax_stats", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def test_subprocess_bad_files_exit_2_without_traceback(tmp_path):
    out = tmp_path / "results"
    for name in ("binary.csv", "words_in_numbers.csv"):
        done = run_cli("analyze", str(CORPUS / name), "--out", str(out), cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith(f"error: {CORPUS / name}")
        assert done.stdout == ""
        assert list(tmp_path.iterdir()) == []


def test_subprocess_full_analyze_of_hostile_ids(tmp_path):
    """No stubs: figures and report of a study whose ids are a script tag and a formula."""
    out = tmp_path / "results"
    done = run_cli(
        "analyze", str(CORPUS / "script_id.csv"), "--out", str(out), "--n-boot", "200",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    report = (out / "report.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in report
    assert [p.name for p in tmp_path.iterdir()] == ["results"], "temporary folder left behind"


def test_full_analyze_of_degenerate_studies_draws_every_figure(tmp_path, capsys):
    """No stubs: n = 1 and zero changes give figures (with notes), not a crash."""
    for name in ("n_equals_1.csv", "all_changes_zero.csv"):
        out = tmp_path / name
        code, _, err = run_main(["analyze", str(CORPUS / name), "--out", str(out),
                                 "--n-boot", "200"], capsys)  # fmt: skip
        assert code == 0, err
        assert list((out / "figures").glob("fss_mean_*.png"))


def test_failed_analyze_keeps_an_existing_output_folder(tmp_path, capsys):
    """A failed run neither deletes nor half-overwrites the results of an earlier run."""
    out = tmp_path / "results"
    out.mkdir()
    (out / "results.csv").write_text("earlier\n", encoding="utf-8")
    code, _, _ = run_main(["analyze", str(CORPUS / "item_99.csv"), "--out", str(out)], capsys)
    assert code == 2
    assert (out / "results.csv").read_text("utf-8") == "earlier\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results"]


# ---- 10,000 participants ------------------------------------------------------------------------


def write_big_study(path: Path, n: int, seed: int = 20240601) -> None:
    """``n`` participants, FSS at both visits; every 100th has no post visit (seeded)."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"P{i:05d}" for i in range(n)])
    answers = rng.integers(1, 8, size=(2 * n, 9))
    frame = pd.DataFrame(answers, columns=[f"fss_{i}" for i in range(1, 10)])
    frame.insert(0, "time", np.tile(["pre", "post"], n))
    frame.insert(0, "id", np.repeat(ids, 2))
    drop = (frame["time"] == "post") & (np.repeat(np.arange(n), 2) % 100 == 0)
    frame[~drop].to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)


def test_ten_thousand_participants(tmp_path, capsys, fast_figures):
    """10,000 participants analyse, and nobody is lost (100 lack the post visit).

    Speed is measured by benchmarks/run.py, not by a timed test (shared, noisy machines).
    """
    data = tmp_path / "big.csv"
    write_big_study(data, 10_000)
    out = tmp_path / "results"
    code, stdout, stderr = run_main(
        ["analyze", str(data), "--out", str(out), "--n-boot", "200"], capsys
    )
    assert code == 0, stderr
    assert stdout.startswith("10000 participants read,")
    results = pd.read_csv(out / "results.csv")
    assert results.loc[results["outcome"] == "fss_mean", "n"].item() == 9_900
    exclusions = pd.read_csv(out / "exclusions.csv", dtype=str)
    assert len(exclusions) == 100
    assert set(exclusions["reason"]) == {"missing visit post"}


# ---- interrupts: SIGINT / SIGTERM in the middle of a run -----------------------------------------

SAMPLE = HERE.parent / "data" / "sample" / "pmr_study.csv"


def earlier_run(out: Path) -> None:
    """An output folder of an earlier run: one file and the manifest listing it."""
    out.mkdir()
    (out / "results.csv").write_text("earlier\n", encoding="utf-8")
    digest = hashlib.sha256(b"earlier\n").hexdigest()
    manifest = {"tool": "msrelax_stats", "version": "0.1.0", "files": {"results.csv": digest}}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def interrupted_run(folder: Path, signum: int, *, group: bool, delay: float):
    """``analyze`` in a fresh process, stopped by ``signum`` ``delay`` seconds after its staging
    folder appeared; to the whole process group (as a terminal's Ctrl-C) when ``group``."""
    paths = [str(HERE.parent / "src"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    args = [sys.executable, "-m", "msrelax_stats", "analyze", str(SAMPLE), "--out",
            str(folder / "results"), "--n-boot", "100000", "--figures", "all"]  # fmt: skip
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, start_new_session=True)  # fmt: skip
    started = time.monotonic()
    while not any(p.name.startswith(".results.tmp-") for p in folder.iterdir()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() - started < 120, "no staging folder appeared"
        time.sleep(0.02)
    time.sleep(delay)
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    _, stderr = process.communicate(timeout=300)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the figure workers end with their parent
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("processes of the interrupted run are still alive")
    return process.returncode, stderr


@pytest.mark.parametrize(
    ("signum", "group", "delay"),
    [(signal.SIGTERM, False, 0.0), (signal.SIGTERM, False, 1.5), (signal.SIGINT, False, 1.0),
     (signal.SIGINT, True, 1.5)],
    ids=["SIGTERM at the start", "SIGTERM while computing", "SIGINT", "Ctrl-C (process group)"],
)  # fmt: skip
def test_interrupt_leaves_the_earlier_output_or_a_complete_one(tmp_path, signum, group, delay):
    out = tmp_path / "results"
    earlier_run(out)
    code, stderr = interrupted_run(tmp_path, signum, group=group, delay=delay)
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert [p.name for p in tmp_path.iterdir()] == ["results"], "staging or .old-* folder left"
    if code == 0:  # the run finished before the signal: the new output, complete
        assert (out / "report.html").is_file() and (out / MANIFEST).is_file()
        return
    assert code == 128 + signum
    name = signal.Signals(signum).name
    assert stderr.splitlines() == [f"interrupted by {name}; nothing was written."]
    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST, "results.csv"])
    assert (out / "results.csv").read_text("utf-8") == "earlier\n"  # untouched


def test_a_signal_while_signals_are_held_is_raised_when_the_block_ends():
    from msrelax_stats.interrupts import Interrupted, interrupts_raised, signals_held

    reached = []
    with pytest.raises(Interrupted, match="SIGTERM"):
        with interrupts_raised():
            with signals_held():  # as an import or a fork: not cut off halfway
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)
                reached.append("end of the block")
            reached.append("after the block")
    assert reached == ["end of the block"]


def test_interrupt_of_a_new_output_leaves_nothing(tmp_path):
    code, stderr = interrupted_run(tmp_path, signal.SIGTERM, group=False, delay=0.5)
    assert "Traceback" not in stderr
    if code == 0:
        assert (tmp_path / "results" / "report.html").is_file()
    else:
        assert code == 143
        assert list(tmp_path.iterdir()) == []


def test_an_interrupt_inside_the_xlsx_writer_leaves_no_traceback(tmp_path, monkeypatch, capsys):
    # the signal arrives while openpyxl streams a sheet: its half-run generators must not say
    # "Exception ignored ... Traceback" when they are collected (seen on a Ctrl-C, stop 22)
    from msrelax_stats.interrupts import Interrupted
    from msrelax_stats.report import xlsx

    calls, text = [0], xlsx._text

    def interrupted_text(sheet, value):
        calls[0] += 1
        if calls[0] == 40:
            raise Interrupted(signal.SIGINT)
        return text(sheet, value)

    monkeypatch.setattr(xlsx, "_text", interrupted_text)
    unraisable = []  # what Python would print as "Exception ignored in: ..." (pytest's hook
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)  # would hide it)
    out = tmp_path / "results"
    code = main(["analyze", str(SAMPLE), "--out", str(out), "--workers", "1", "--n-boot", "200"])
    gc.collect()
    err = capsys.readouterr().err
    assert code == 130 and calls[0] == 40
    assert [u.exc_value for u in unraisable] == []
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert "interrupted by SIGINT; nothing was written." in err
    assert not out.exists()
