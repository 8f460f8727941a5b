"""The command line: exit codes, messages on stderr, no tracebacks, nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyreadstat
import pytest

from msrelax_stats.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "pmr_study.csv"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m msrelax_stats`` in a fresh process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "msrelax_stats", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


@pytest.mark.parametrize("command", ["analyze", "score", "validate", "sample"])
def test_help_of_each_command_exits_0(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_no_command_is_a_usage_error_with_status_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_unknown_option_value_is_status_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze", str(SAMPLE), "--primary-test", "anova"])
    assert exit_info.value.code == 2


def test_missing_file_is_status_2_naming_the_path(tmp_path, capsys):
    missing = tmp_path / "nowhere.csv"
    assert main(["validate", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "nowhere.csv" in err
    assert "Traceback" not in err


def test_bad_workers_is_status_2_and_nothing_is_written(tmp_path, capsys):
    code = main(["analyze", str(SAMPLE), "--out", str(tmp_path / "o"), "--workers", "0"])
    assert code == 2
    assert "workers (--workers) must be a whole number of at least 1, not 0" in (
        capsys.readouterr().err)  # fmt: skip
    assert not (tmp_path / "o").exists()


def test_bad_figure_format_is_status_2(tmp_path, capsys):
    code = main(["analyze", str(SAMPLE), "--out", str(tmp_path / "o"), "--figure-formats", "gif"])
    assert code == 2
    assert "gif" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_validate_sample_is_clean():
    done = run_cli("validate", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    assert "OK" in done.stdout
    assert "32 participants" in done.stdout


def test_out_of_range_item_gives_status_2_with_location(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = text[1].split(",")
    column = header.index("fss_3")
    row[column] = "8"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([text[0], ",".join(row), *text[2:]]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("analyze", str(bad), "--out", str(out))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    first_id = row[header.index("id")]
    assert f"participant {first_id}" in done.stderr
    assert "column fss_3" in done.stderr
    assert "'8'" in done.stderr
    assert not out.exists()  # never a partial output folder


def test_sample_command_writes_reproducible_files(tmp_path):
    first = run_cli("sample", "--out", str(tmp_path / "a"), "--seed", "7")
    second = run_cli("sample", "--out", str(tmp_path / "b"), "--seed", "7")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    csv_a = (tmp_path / "a" / "pmr_study.csv").read_bytes()
    csv_b = (tmp_path / "b" / "pmr_study.csv").read_bytes()
    assert csv_a == csv_b


def test_score_command_writes_scores(tmp_path):
    out = tmp_path / "scored.csv"
    done = run_cli("score", str(SAMPLE), "--out", str(out))
    assert done.returncode == 0, done.stderr
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    for column in ("fss_mean", "psqi_global", "psqi_poor", "mfis_total", "ess_total"):
        assert column in header


def test_missing_codes_value_may_start_with_a_dash(tmp_path, capsys):
    # as issue 9 writes it: --missing-codes -99,999 (not only --missing-codes=-99,999)
    data = tmp_path / "codes.csv"
    rows = ["id,time,fss_1,fss_2,fss_3,fss_4,fss_5,fss_6,fss_7,fss_8,fss_9"]
    rows += ["P1,pre,5,5,5,5,5,5,5,5,-99", "P1,post,4,4,4,4,4,4,4,4,4"]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["validate", str(data)]) == 2
    assert "'-99'" in capsys.readouterr().err
    assert main(["validate", str(data), "--missing-codes", "-99,999"]) == 0


def test_analyze_in_process_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    # `analyze` freezes the objects of its imports (gc.freeze, a start-up saving); called
    # in a long-lived process (a notebook, these tests) it must unfreeze them afterwards
    import gc

    assert gc.isenabled() and gc.get_freeze_count() == 0
    status = main(["analyze", str(SAMPLE), "--out", str(tmp_path / "out"), "--n-boot", "200",
                   "--outcomes", "fss_mean"])  # fmt: skip
    assert status == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_coded_visits_of_a_sav_file_are_one_error_and_the_suggestion_works(tmp_path, capsys):
    # SPSS users often keep the visit as codes with value labels (1 = "pre", 2 = "post")
    frame, _ = pyreadstat.read_sav(str(SAMPLE.with_suffix(".sav")), apply_value_formats=False)
    frame["time"] = frame["time"].map({"pre": 1.0, "post": 2.0})
    coded = tmp_path / "coded.sav"
    pyreadstat.write_sav(frame, str(coded), variable_value_labels={"time": {1: "pre", 2: "post"}})
    out = tmp_path / "out"
    assert main(["analyze", str(coded), "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f'error: {coded}, column time: visits are stored as codes 1, 2 (value labels: 1 = "pre", '
        '2 = "post"); name them in visit order with --visits 1,2 (or visits = ["1", "2"] in '
        "a column map)",
        "1 problem found; nothing was written.",
    ]
    assert list(tmp_path.iterdir()) == [coded]  # no output folder, no temporary folder
    status = main(["analyze", str(coded), "--visits", "1,2", "--out", str(out), "--n-boot", "200",
                   "--outcomes", "fss_mean"])  # fmt: skip
    assert status == 0
    assert "32 participants read" in capsys.readouterr().out
    results = (out / "results.csv").read_text(encoding="utf-8").splitlines()
    assert results[1].startswith("fss_mean,31,")  # 31 complete pairs, as from the text file


@pytest.mark.parametrize("status", [0, 2])
def test_python_m_ends_with_the_status_after_the_exit_handlers_and_all_output(tmp_path, status):
    # __main__ ends with os._exit (no interpreter teardown): the exit handlers must still have
    # run, and what went to stdout/stderr (through pipes: block-buffered) must all be there
    source = str(SAMPLE) if status == 0 else str(tmp_path / "missing.csv")
    probe = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
        "sys.stdout.write('x' * 100000)\n"  # more than one pipe buffer, unflushed
        f"sys.argv = ['msrelax_stats', 'validate', {source!r}]\n"
        "runpy.run_module('msrelax_stats', run_name='__main__', alter_sys=True)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=600)  # fmt: skip
    assert run.returncode == status, run.stderr
    assert run.stdout.startswith("x" * 100000)
    assert run.stderr.rstrip().endswith("exit handler ran")
    if status:
        assert "missing.csv" in run.stderr
    else:  # validate's report came after the probe's text
        assert "participant" in run.stdout[100000:]


_BLAS_PROBE = """
import os, sys
import msrelax_stats.cli as cli

def probe(args):  # the command's process, its imports done: numpy and its BLAS loaded
    import numpy
    print(os.environ.get("OPENBLAS_NUM_THREADS"), len(os.listdir("/proc/self/task")))
    return 0

cli._cmd_analyze = probe
sys.argv = ["msrelax_stats", "analyze", "study.csv", "--out", "out"]
cli.main()
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or len(os.sched_getaffinity(0)) < 2,
                    reason="counts the threads of a process on Linux with two cores")  # fmt: skip
@pytest.mark.parametrize("user", [None, "2"])
def test_analyze_as_the_command_loads_blas_with_one_thread_unless_the_user_set_it(user):
    # OpenBLAS starts a pool of spinning threads as numpy loads it, one per core by default:
    # the command computes in processes, so it asks for one thread, before numpy is imported;
    # a user's own OPENBLAS_NUM_THREADS is kept (and then gives that many threads)
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")}  # fmt: skip
    if user is not None:
        env["OPENBLAS_NUM_THREADS"] = user
    run = subprocess.run([sys.executable, "-c", _BLAS_PROBE], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120, check=True)  # fmt: skip
    setting, threads = run.stdout.split()
    assert (setting, int(threads)) == (("1", 1) if user is None else ("2", 2))
