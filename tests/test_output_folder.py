"""The output-folder rule and the safe file names (issue 13), piece by piece.

The command-line cases (exit status, exact messages, nothing outside --out changed) are in
tests/data/bad/cases.toml; here the parts that the corpus does not reach: the API, edge cases
of the rule (OS clutter, a broken manifest, a file where an output folder goes), file names
made from input text, permissions of what is written, and a custom score name that climbs
out of the folder reaching the figure writer.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from msrelax_stats.data.safe import safe_file_name, unique_file_names
from msrelax_stats.errors import StudyDataError
from msrelax_stats.instruments.spec import InstrumentSpec, Score
from msrelax_stats.output_folder import (
    MANIFEST,
    Staging,
    input_files,
    write_new_file,
    write_new_folder,
)
from msrelax_stats.pipeline import analyze

ROOT = Path(__file__).resolve().parents[1]


def write_one(folder: Path) -> list[Path]:
    (folder / "figures").mkdir()
    (folder / "figures" / "a.png").write_bytes(b"png")
    (folder / "results.csv").write_text("x\n", encoding="utf-8")
    return [folder / "figures" / "a.png", folder / "results.csv"]


def test_a_new_folder_gets_a_manifest_of_every_file(tmp_path):
    out = tmp_path / "out"
    written = write_new_folder(out, write_one)
    assert written == [out / "figures" / "a.png", out / "results.csv"]
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert manifest["tool"] == "msrelax_stats"
    assert sorted(manifest["files"]) == ["figures/a.png", "results.csv"]
    assert manifest["files"]["figures/a.png"] == hashlib.sha256(b"png").hexdigest()


def test_rerun_replaces_our_folder_and_os_clutter_is_not_user_data(tmp_path):
    out = tmp_path / "out"
    write_new_folder(out, write_one)
    (out / ".DS_Store").write_bytes(b"finder")
    (out / "figures" / "Thumbs.db").write_bytes(b"explorer")
    write_new_folder(
        out, lambda folder: [(folder / "b.csv").write_text("y\n") and folder / "b.csv"]
    )
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "b.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging, no .old-*


def test_a_broken_manifest_does_not_make_a_folder_ours(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.csv").write_text("mine\n", encoding="utf-8")
    (out / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(StudyDataError, match=r"holds files this tool did not write"):
        Staging(out)
    assert (out / "results.csv").read_text("utf-8") == "mine\n"


def test_force_never_puts_a_file_where_the_user_has_a_file_named_like_an_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "figures").write_text("my notes called figures\n", encoding="utf-8")
    with pytest.raises(StudyDataError, match=r"names of outputs: 'figures/a.png'"):
        write_new_folder(out, write_one, force=True)
    assert (out / "figures").read_text("utf-8") == "my notes called figures\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_force_writes_beside_the_users_files_and_removes_only_unchanged_earlier_outputs(tmp_path):
    out = tmp_path / "out"
    write_new_folder(out, write_one)
    (out / "thesis.docx").write_bytes(b"chapter 1")
    (out / "results.csv").write_text("edited by hand\n", encoding="utf-8")
    write_new_folder(out, lambda f: [(f / "c.csv").write_text("z\n") and f / "c.csv"], force=True)
    assert (out / "thesis.docx").read_bytes() == b"chapter 1"
    assert (out / "results.csv").read_text("utf-8") == "edited by hand\n"  # edited: kept
    assert not (out / "figures" / "a.png").exists()  # unchanged earlier output: removed
    assert json.loads((out / MANIFEST).read_text("utf-8"))["files"].keys() == {"c.csv"}


def test_an_error_while_writing_leaves_the_earlier_folder_and_no_parents(tmp_path):
    out = tmp_path / "out"
    write_new_folder(out, write_one)

    def failing(folder: Path) -> list[Path]:
        (folder / "half.csv").write_text("half", encoding="utf-8")
        raise StudyDataError("stopped")

    with pytest.raises(StudyDataError):
        write_new_folder(out, failing)
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "figures", "results.csv"]
    with pytest.raises(StudyDataError):
        write_new_folder(tmp_path / "a" / "b" / "out", failing)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # a/b removed again


def test_outputs_have_the_permissions_of_ordinary_files(tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    out = tmp_path / "out"
    write_new_folder(out, write_one)
    file = write_new_file(tmp_path / "scored.csv", lambda p: p.write_text("id\n"))
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~mask  # not mkdtemp's 0700
    assert stat.S_IMODE(file.stat().st_mode) == 0o666 & ~mask  # not mkstemp's 0600


def test_input_files_are_the_existing_paths_only(tmp_path):
    study = tmp_path / "study.csv"
    study.write_text("id\n", encoding="utf-8")
    frame = pd.DataFrame({"id": ["1"]})
    found = input_files(frame, str(study), None, ["fss", study], {"a": "b"}, tmp_path / "no.toml")
    assert found == [study.resolve(), study.resolve()]


def test_write_new_file_protects_the_inputs_and_existing_files(tmp_path):
    study = tmp_path / "study.csv"
    study.write_text("id\n", encoding="utf-8")
    with pytest.raises(StudyDataError, match="--out is an input file"):
        write_new_file(study, lambda p: p.write_text("x"), protect=[study.resolve()], force=True)
    with pytest.raises(StudyDataError, match="--out exists; add --force"):
        write_new_file(study, lambda p: p.write_text("x"))
    assert study.read_text("utf-8") == "id\n"
    write_new_file(study, lambda p: p.write_text("x"), force=True)
    assert study.read_text("utf-8") == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.csv"]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("fss_mean_slopes", "fss_mean_slopes"),
        ("../../outside", "____outside"),
        ("..", "_"),
        ("a/b\\c:d*e?f", "a_b_c_d_e_f"),
        (".hidden", "hidden"),
        ("x\x1b[2J\ny", "x_[2J_y"),
        ("\u202eevil.png", "_evil.png"),
        ("NUL", "NUL_"),
        ("com1.txt", "com1.txt_"),
        ("", "_"),
        ("ü" * 3, "üüü"),
    ],
)
def test_safe_file_name(name, safe):
    assert safe_file_name(name) == safe


def test_long_names_are_cut_and_stay_apart():
    a, b = "x" * 200 + "a", "x" * 200 + "b"
    first, second = safe_file_name(a), safe_file_name(b)
    assert len(first) == len(second) == 80 and first != second
    assert unique_file_names(["Fig", "fig", "fig/", "F_i_g"]) == ["Fig", "fig-2", "fig_", "F_i_g"]


def test_a_score_name_that_climbs_out_writes_its_figures_inside_out(tmp_path):
    """A spec made in code skips the checks of load_instrument: the figure file names are
    made safe where they are written (report/outputs.py)."""
    spec = InstrumentSpec(name="sleepy", title="Sleepy", items=("1", "2"), item_min=0,
                          item_max=3, scores=(Score("../../escape", ("1", "2"), "sum",
                                                    label="Escape"),))  # fmt: skip
    rows = [{"id": f"P{i}", "time": visit, "sleepy_1": (i + k) % 4, "sleepy_2": (2 * i + k) % 4}
            for i in range(6) for k, visit in enumerate(("pre", "post"))]  # fmt: skip
    work = tmp_path / "work"
    work.mkdir()
    out = work / "results"
    analyze(pd.DataFrame(rows), out=out, n_boot=200, instruments=[spec], figure_set="all")
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert {"____escape_estimation.png", "____escape_changes.png"} <= set(figures)
    assert sorted(p.name for p in work.iterdir()) == ["results"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
