"""``analyze --missing``: the missing-data engine wired into the CLI, the plan and the outputs.

The engine itself is checked against R in test_missing.py / test_pooling.py; here: the option
and the plan key (precedence, bad values exit 2 naming the key), the files it writes, the
ledger and the flow (an imputed participant is analysed, not excluded), determinism, and that
with nothing missing the MI row of missing.csv is exactly the complete-case row and agrees
with the paired analysis of results.csv (stats.compare, a separate code path).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.cli import main
from msrelax_stats.errors import StudyDataError
from msrelax_stats.stats.options import AnalysisOptions

ROOT = Path(__file__).resolve().parents[1]
ONE_GROUP = ROOT / "data" / "sample" / "pmr_study.csv"
FAST = ["--n-boot", "200", "--outcomes", "fss_mean,psqi_global"]


def _plan(tmp_path: Path, text: str) -> Path:
    plan = tmp_path / "plan.toml"
    plan.write_text('primary = ["fss_mean", "psqi_global"]\n' + text, encoding="utf-8")
    return plan


@pytest.fixture(scope="module")
def mi_run(tmp_path_factory):
    """The sample (P19 has no post visit) with --missing mi and a plan of m = 5, twice."""
    tmp = tmp_path_factory.mktemp("mi")
    plan = _plan(tmp, '[missing]\nmethod = "mi"\nm = 5\nseed = 11\n')
    outs = []
    for name in ("a", "b"):
        out = tmp / name
        assert main(["analyze", str(ONE_GROUP), *FAST, "--plan", str(plan), "--out", str(out)]) == 0
        outs.append(out)
    return outs


def test_files_written_and_plan_m_and_seed_used(mi_run):
    out = mi_run[0]
    table = pd.read_csv(out / "missing.csv")
    assert list(dict.fromkeys(table["outcome"])) == ["fss_mean", "psqi_global"]
    assert list(table["analysis"][:5]) == ["mi", "mixed", "complete", "bocf", "tipping point"]
    mi = table[table["analysis"] == "mi"]
    assert (mi["m"] == 5).all() and (mi["role"] == "primary").all()
    long = pd.read_csv(out / "imputations.csv", dtype={"id": str})
    assert sorted(long[".imp"].unique()) == list(range(6))  # .imp 0 = observed, then 1..5
    observed = long[long[".imp"] == 0].set_index("id")
    scored = pd.read_csv(out / "scored.csv", dtype={"id": str})
    post = scored[scored["time"] == "post"].set_index("id")["fss_mean"]
    assert np.isnan(observed.loc["P19", "fss_mean_post"])  # P19 has no post visit
    pd.testing.assert_series_equal(observed["fss_mean_post"].drop("P19"), post,
                                   check_names=False)  # fmt: skip
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert doc["missing"]["options"]["m"] == 5 and doc["missing"]["options"]["seed"] == 11
    assert doc["options"]["missing"] == "mi"


def test_ledger_and_flow_say_who_was_imputed(mi_run):
    out = mi_run[0]
    ledger = pd.read_csv(out / "exclusions.csv", dtype={"id": str})
    itt = ledger[ledger["analysis"] == "ITT by multiple imputation at post"]
    assert set(itt["id"]) == {"P19"}
    assert set(itt["reason"]) == {"post imputed (MI: missing visit)"}
    paired = ledger[ledger["analysis"] == "paired pre vs post"]
    assert set(paired["id"]) == {"P19"}  # still out of the complete-pairs table
    flow = json.loads((out / "results.json").read_text(encoding="utf-8"))["flow"]
    assert flow["analysis"] == "ITT by multiple imputation at post"
    fss = flow["arms"][0]["outcomes"][0]
    assert (fss["analysed"], fss["excluded"], fss["imputed"]) == (32, 0, 1)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="missing"' in html and "Rubin 1987" in html and "Barnard 1999" in html


def test_same_input_same_bytes(mi_run):
    a, b = mi_run
    for name in ("missing.csv", "imputations.csv", "tipping_point.csv", "exclusions.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_no_missing_data_mi_is_the_complete_case_analysis(tmp_path):
    data = pd.read_csv(ONE_GROUP, dtype=str, keep_default_na=False)
    source = tmp_path / "complete.csv"
    data[data["id"] != "P19"].to_csv(source, index=False)  # P19: the one without post
    out = tmp_path / "out"
    assert main(["analyze", str(source), *FAST, "--missing", "mi", "--out", str(out)]) == 0
    table = pd.read_csv(out / "missing.csv").set_index(["outcome", "analysis"])
    results = pd.read_csv(out / "results.csv").set_index("outcome")
    for outcome in ("fss_mean", "psqi_global"):
        mi, cc = table.loc[(outcome, "mi")], table.loc[(outcome, "complete")]
        assert mi["n_imputed"] == 0 and mi["n"] == cc["n"] == 31
        assert mi["estimate"] == cc["estimate"] and mi["se"] == cc["se"]
        paired = results.loc[outcome]
        assert mi["estimate"] == pytest.approx(paired["diff_mean"], rel=1e-12)
        assert mi["se"] == pytest.approx(paired["diff_sd"] / np.sqrt(paired["n"]), rel=1e-12)
    long = pd.read_csv(out / "imputations.csv")
    blocks = [b.drop(columns=".imp").reset_index(drop=True) for _, b in long.groupby(".imp")]
    for block in blocks[1:]:
        pd.testing.assert_frame_equal(block, blocks[0])


def test_cli_option_overrides_the_plan(tmp_path):
    plan = _plan(tmp_path, '[missing]\nmethod = "mi"\nm = 5\n')
    out = tmp_path / "out"
    argv = ["analyze", str(ONE_GROUP), *FAST, "--plan", str(plan), "--missing", "complete"]
    assert main([*argv, "--out", str(out)]) == 0
    assert not (out / "missing.csv").exists() and not (out / "imputations.csv").exists()
    assert json.loads((out / "results.json").read_text())["options"]["missing"] == "complete"


def test_plan_wins_over_the_default_and_option_over_plan():
    plan = {"missing": {"method": "mixed", "m": 20}}
    assert AnalysisOptions().missing == "complete"
    assert AnalysisOptions(plan=plan).missing == "mixed"
    chosen = AnalysisOptions(plan=plan, missing="mi", seed=4).missing_plan
    assert (chosen.method, chosen.m, chosen.seed) == ("mi", 20, 4)
    assert AnalysisOptions(plan={"missing": "mi"}).missing_plan.m == 50


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[missing]\nmethod = "LOCF"\n', "plan key 'missing.method': value 'LOCF' must be one of"),
        ("[missing]\nm = 1\n", "plan key 'missing.m': value 1 must be an integer from 2"),
        ('[missing]\nseed = "x"\n', "plan key 'missing.seed': value 'x' must be an integer"),
        ("[missing]\nimputations = 5\n", "unknown plan key 'missing.imputations'"),
        ("missing = 3\n", "plan key 'missing': value 3 must be a method name or a table"),
    ],
)
def test_bad_missing_plan_exits_2_naming_the_key(tmp_path, capsys, text, message):
    argv = ["analyze", str(ONE_GROUP), "--plan", str(_plan(tmp_path, text)),
            "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_bad_option_value(capsys, tmp_path):
    with pytest.raises(StudyDataError, match=r"option missing \(--missing\) must be one of"):
        AnalysisOptions(missing="locf")
    with pytest.raises(SystemExit) as exc:
        main(["analyze", str(ONE_GROUP), "--missing", "locf", "--out", str(tmp_path / "o")])
    assert exc.value.code == 2 and "--missing" in capsys.readouterr().err


def test_flow_counts_an_imputed_participant_as_analysed():
    from msrelax_stats.figures.flow import flow_box_texts
    from msrelax_stats.stats.flow import flow_counts, imputed_reason, is_imputed

    table = pd.DataFrame({"id": ["a", "a", "b", "c", "c"],
                          "time": ["pre", "post", "pre", "pre", "post"]})  # fmt: skip
    ledger = pd.DataFrame({
        "analysis": ["ITT", "ITT", "paired"],
        "id": ["b", "d", "b"],
        "outcome": ["fss_mean"] * 3,
        "reason": [imputed_reason("post", "missing visit"), "no scored visit of fss_mean",
                   "missing visit post"],
    })  # fmt: skip
    table = pd.concat([table, pd.DataFrame({"id": ["d"], "time": ["pre"]})], ignore_index=True)
    counts = flow_counts(table, ledger, outcomes=["fss_mean"], analysis="ITT")
    fss = counts.arms[0].outcomes[0]
    assert (fss.analysed, fss.excluded, fss.imputed) == (3, 1, 1)
    assert fss.imputed_reasons == (("post imputed", 1),)
    assert is_imputed("pre imputed (MI: missing visit); post imputed (MI: missing visit)")
    assert not is_imputed("post imputed (MI: missing visit); covariate age missing")
    text = flow_box_texts(counts)["arms"][0][-1][1]
    assert "of whom imputed: n = 1" in text and "excluded: n = 1" in text
