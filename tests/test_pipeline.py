"""analyze(): the whole job into one folder; deterministic, atomic, nobody lost."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from msrelax_stats.errors import StudyDataError
from msrelax_stats.pipeline import analyze, write_table
from msrelax_stats.versions import package_versions

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "pmr_study.csv"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("runs")
    first = analyze(SAMPLE, out=base / "a", n_boot=500)
    second = analyze(SAMPLE, out=base / "b", n_boot=500)
    return first, second


def test_outputs_are_written(two_runs):
    out = two_runs[0].out
    for name in (
        "results.csv",
        "results.json",
        "caseness.csv",
        "responders.csv",
        "exclusions.csv",
        "scored.csv",
        "report.html",
        "table2.csv",
        "table2.md",
        "table2.tex",
        "table2.html",
    ):
        assert (out / name).is_file(), name
    assert any((out / "figures").glob("*.png"))


def test_same_input_same_bytes(two_runs):
    a, b = (run.out for run in two_runs)
    for name in ("results.csv", "caseness.csv", "responders.csv", "exclusions.csv", "scored.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for name in ("table2.csv", "table2.md", "table2.tex", "table2.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    figures = sorted(path.name for path in (a / "figures").iterdir())
    assert figures == sorted(path.name for path in (b / "figures").iterdir())
    for name in figures:
        assert (a / "figures" / name).read_bytes() == (b / "figures" / name).read_bytes(), name
    doc_a = json.loads((a / "results.json").read_text(encoding="utf-8"))
    doc_b = json.loads((b / "results.json").read_text(encoding="utf-8"))
    doc_a.pop("created")
    doc_b.pop("created")
    assert doc_a == doc_b


def test_results_json_records_input_and_options(two_runs):
    doc = json.loads((two_runs[0].out / "results.json").read_text(encoding="utf-8"))
    import hashlib

    assert doc["input"]["sha256"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert doc["seed"] == 1
    assert doc["options"]["n_boot"] == 500
    assert {"pandas", "numpy", "scipy", "python"} <= set(doc["versions"])
    assert [row["outcome"] for row in doc["results"]][:2] == ["fss_mean", "psqi_global"]


def test_every_participant_is_analysed_or_in_the_ledger(two_runs):
    result = two_runs[0]
    ids = set(result.study["id"])
    table = result.paired.table.set_index("outcome")
    exclusions = result.paired.exclusions
    for outcome, row in table.iterrows():
        excluded = set(exclusions.loc[exclusions["outcome"] == outcome, "id"])
        assert row["n"] + len(excluded) == len(ids), outcome
    # the sample's participant without a post visit is excluded from every outcome, with reason
    missing_post = exclusions[exclusions["reason"].str.contains("missing visit post")]
    assert missing_post["id"].nunique() == 1


def test_failed_run_leaves_no_output_folder(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,time,fss_1\nP1,pre,9\nP1,post,2\n", encoding="utf-8")
    with pytest.raises(StudyDataError):
        analyze(bad, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary folder left behind either


def test_rerun_replaces_previous_output(tmp_path):
    # the folder of an earlier run (its manifest lists every file) is replaced as a whole;
    # a folder holding anything else is refused (tests/test_output_folder.py)
    out = tmp_path / "out"
    analyze(SAMPLE, out=out, n_boot=200, outcomes=["fss_mean"], figure_formats=("png", "svg"))
    assert list((out / "figures").glob("*.svg"))
    analyze(SAMPLE, out=out, n_boot=200, outcomes=["fss_mean"])
    assert not list((out / "figures").glob("*.svg"))  # earlier outputs not written again: gone
    assert (out / "results.csv").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging or .old-* folder


def test_write_table_neutralises_formulas(tmp_path):
    frame = pd.DataFrame(
        {"id": ['=HYPERLINK("x")', "+1+1", "-2", "@SUM(A1)", "P1"], "v": [1.0] * 5}
    )
    path = write_table(frame, tmp_path / "t.csv")
    read = pd.read_csv(path, dtype=str)
    assert list(read["id"]) == ['\'=HYPERLINK("x")', "'+1+1", "-2", "'@SUM(A1)", "P1"]


def test_write_outputs_alone_gives_the_figures_of_analyze(two_runs, tmp_path):
    # the report layer reads only the analysis: writing it again gives the same files
    from msrelax_stats.instruments.registry import registry_of
    from msrelax_stats.report.outputs import write_outputs

    run = two_runs[0]
    written = write_outputs(tmp_path, scored=run.scored, analysis=run.analysis,
                            registry=registry_of(run.scored), options=run.report,
                            versions=package_versions())  # fmt: skip
    figures = sorted(name for name in written if name.startswith("figures/"))
    assert figures == sorted(f"figures/{p.name}" for p in (run.out / "figures").iterdir())
    # primary set: 2 x (estimation, changes), profile, forest, 2 caseness; the participant flow
    assert len(figures) == 9 and "figures/flow.png" in figures
    for name in figures:
        assert (tmp_path / name).read_bytes() == (run.out / name).read_bytes(), name


def test_error_in_the_analysis_leaves_nothing_behind(tmp_path):
    with pytest.raises(StudyDataError, match="outcome column not found"):
        analyze(SAMPLE, out=tmp_path / "out", n_boot=200, outcomes=["fss_mean", "no_such"])
    assert list(tmp_path.iterdir()) == []


def test_svg_only_output_still_embeds_every_figure_in_the_report(tmp_path):
    # without PNG files the workers also render each figure as PNG bytes for report.html
    run = analyze(SAMPLE, out=tmp_path / "out", n_boot=200, figure_formats=("svg",))
    figures = sorted((run.out / "figures").iterdir())
    assert figures and all(path.suffix == ".svg" for path in figures)
    html = (run.out / "report.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,iVBOR') == len(figures)
