"""Issue 17 phase B in the outputs: --plan, the plan command, the trial Table 2, the report
leading with the between-arm result, the between-arm figures, the one-group families.

Reference numbers: the week6 ANCOVA of the controlled sample from R
(tests/reference/trial_arms_reference.R: ``lm(fss_mean.week6 ~ fss_mean.baseline + group)``);
Holm over two p-values by hand (the smaller times 2, the larger at least that).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from designs_reference import trial_arms_ref
from statistics_columns import STATISTICS_MD

from msrelax_stats.cli import main
from msrelax_stats.figures import arm_estimation_plot, arm_forest_plot
from msrelax_stats.figures._format import fmt_ci, fmt_num, fmt_p
from msrelax_stats.pipeline import analyze
from msrelax_stats.stats.plan import default_plan, load_plan

ROOT = Path(__file__).resolve().parents[1]
CONTROLLED = ROOT / "data" / "sample" / "controlled"
PLAN = CONTROLLED / "pmr_controlled_plan.toml"
ONE_GROUP = ROOT / "data" / "sample" / "pmr_study.csv"
VISITS = "baseline,week6,week12"


@pytest.fixture(scope="module")
def controlled(tmp_path_factory):
    out = tmp_path_factory.mktemp("trial") / "out"
    argv = ["analyze", str(CONTROLLED / "pmr_controlled.csv"), "--visits", VISITS, "--diary",
            str(CONTROLLED / "pmr_diary.csv"), "--plan", str(PLAN), "--n-boot", "200", "--out",
            str(out)]  # fmt: skip
    assert main(argv) == 0
    return out


@pytest.fixture(scope="module")
def one_group(tmp_path_factory):
    out = tmp_path_factory.mktemp("one") / "out"
    assert main(["analyze", str(ONE_GROUP), "--n-boot", "200", "--out", str(out)]) == 0
    return out


def _csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, keep_default_na=False, na_values=[""])


def test_committed_plan_is_the_week6_endpoint():
    plan = load_plan(PLAN)
    assert plan.endpoint == "week6" and plan.covariates == ()
    assert plan.primary.outcomes == ("fss_mean", "psqi_global")
    assert plan.primary.multiplicity == "holm"


def test_arms_csv_at_the_plans_endpoint_against_r(controlled):
    arms = _csv(controlled, "arms.csv").set_index(["outcome", "visit"])
    fss = arms.loc[("fss_mean", "week6")]
    assert fss["endpoint"] and not arms.loc[("fss_mean", "week12"), "endpoint"]
    for column, statistic in (("ancova_diff", "diff"), ("ancova_ci_low", "ci_low"),
                              ("ancova_ci_high", "ci_high"), ("ancova_p", "p")):  # fmt: skip
        assert fss[column] == pytest.approx(
            trial_arms_ref("controlled_ancova", "fss_mean", "week6", statistic), rel=1e-6
        )
    assert fss["n_control"] + fss["n_treatment"] == trial_arms_ref(
        "controlled_ancova", "fss_mean", "week6", "n"
    )
    assert fss["family"] == "primary"
    p = arms.xs("week6", level="visit").loc[["fss_mean", "psqi_global"], "ancova_p"]
    holm = np.maximum.accumulate(np.sort(p.to_numpy()) * [2, 1])  # Holm over two, by hand
    assert sorted(arms.xs("week6", level="visit").loc[p.index, "p_adjusted"]) == pytest.approx(
        list(holm)
    )
    assert set(arms.loc[arms["family"] == "exploratory", "multiplicity"]) == {"none"}


def test_trial_table2_in_every_format(controlled):
    table = _csv(controlled, "table2.csv")
    assert list(table.columns) == [
        "Outcome", "Family", "control: n", "control: baseline", "control: week6",
        "control: change [95 % CI]", "relaxation: n", "relaxation: baseline", "relaxation: week6",
        "relaxation: change [95 % CI]", "Adjusted difference [95 % CI]", "p", "p (adjusted)",
        "Standardised difference [95 % CI]",
    ]  # fmt: skip
    fss = table.set_index("Outcome").loc["FSS mean"]
    ref = {s: trial_arms_ref("controlled_ancova", "fss_mean", "week6", s)
           for s in ("diff", "ci_low", "ci_high", "p")}  # fmt: skip
    assert fss["Adjusted difference [95 % CI]"].lstrip("'") == (
        f"{fmt_num(ref['diff'])} {fmt_ci(ref['ci_low'], ref['ci_high'])}"
    )
    assert fss["p"] == fmt_p(ref["p"]) == "< .001"
    assert table.set_index("Outcome").loc["PSQI C1 subjective sleep quality", "p (adjusted)"] == (
        "unadjusted"
    )
    assert len(table) == 9  # one row per outcome: the endpoint only
    for ext in ("md", "tex", "html"):
        text = (controlled / f"table2.{ext}").read_text(encoding="utf-8")
        assert "Standardised difference" in text and "unadjusted" in text
    assert "relaxation against control at week6" in (controlled / "table2.tex").read_text(
        encoding="utf-8"
    )


def test_report_leads_with_the_between_arm_result(controlled):
    html = (controlled / "report.html").read_text(encoding="utf-8")
    assert "the primary analysis is the comparison between arms at week6" in html
    lead = html.index("At week6 (the endpoint), adjusted for baseline, FSS mean was lower in "
                      "relaxation than in control")  # fmt: skip
    assert (
        lead
        < html.index("Within each arm, baseline to week6 (secondary")
        < html.index("relaxation: FSS mean decreased")
    )
    assert html.index('id="sentences"') < html.index('id="table2"') < html.index('id="arms"')
    methods = html[html.index('<p class="methods">') :]
    assert methods.index("The primary analysis compared the arms") < methods.index(
        "Within each arm, as secondary analyses"
    )
    assert "Holm-adjusted within the primary family" in html
    assert "Satterthwaite" in html and "ICC" in html
    for figure in ("fss_mean_arm_estimation", "psqi_global_arm_estimation",
                   "forest_between_arms"):  # fmt: skip
        assert f'id="fig-{figure}"' in html
        assert (controlled / "figures" / f"{figure}.png").is_file()


def test_results_json_records_the_plan_filled_in(controlled):
    doc = json.loads((controlled / "results.json").read_text(encoding="utf-8"))
    plan = doc["options"]["plan"]
    assert plan["source"] == str(PLAN) and plan["endpoint"] == "week6"
    assert plan["exploratory"]["outcomes"][0] == "psqi_c1"
    assert doc["options"]["paired_visits"] == ["baseline", "week6"]
    assert {"table", "coefficients", "exclusions"} <= set(doc["arms"])
    assert doc["families"][0]["family"] == "primary"


def test_one_group_table2_has_the_families(one_group):
    results = _csv(one_group, "results.csv")
    assert list(results.columns) == STATISTICS_MD  # results.csv keeps its columns
    table = _csv(one_group, "table2.csv").set_index("Outcome")
    assert list(table.columns[:2]) == ["Family", "n"] and "p (Holm)" not in table.columns
    p = results.set_index("outcome").loc[["fss_mean", "psqi_global"], "p_t"].to_numpy()
    holm = np.maximum.accumulate(np.sort(p) * [2, 1])  # Holm over the primary family, by hand
    got = table.loc[["FSS mean", "PSQI global"], "p (adjusted)"].tolist()
    assert sorted(got) == sorted(fmt_p(v) for v in holm)
    assert table.loc["PSQI C1 subjective sleep quality", "Family"] == "exploratory"
    assert table.loc["PSQI C1 subjective sleep quality", "p (adjusted)"] == "unadjusted"
    assert table.loc["MFIS total", "Family"] == "secondary"
    html = (one_group / "report.html").read_text(encoding="utf-8")
    assert "the primary test is the paired t-test" in html and 'id="arms"' not in html


def test_plan_command_writes_the_default_plan(tmp_path, capsys):
    assert main(["plan", str(ONE_GROUP)]) == 0
    text = capsys.readouterr().out
    scored_plan = load_plan(tomllib.loads(text))
    from msrelax_stats import read_study, score

    expected = default_plan(score(read_study(ONE_GROUP)))
    assert scored_plan.families == expected.families and scored_plan.endpoint == "post"
    out = tmp_path / "plan.toml"
    assert main(["plan", str(ONE_GROUP), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text


def test_plan_command_never_overwrites(tmp_path, capsys):
    out = tmp_path / "mine.toml"
    out.write_text("my notes\n", encoding="utf-8")
    assert main(["plan", str(ONE_GROUP), "--out", str(out)]) == 2
    assert "already exists; not overwritten" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "my notes\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('endpoint = "week8"\n', "plan key 'endpoint': value 'week8' is not a visit"),
        ("[primary]\noutcome = ['fss_mean']\n", "unknown plan key 'primary.outcome'"),
        ('covariates = ["bmi"]\n', "plan key 'covariates': value 'bmi' is not a column"),
        ("endpoint = \n", "is not valid TOML"),
    ],
)
def test_bad_plan_exits_2_naming_the_key(tmp_path, capsys, text, message):
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    argv = ["analyze", str(CONTROLLED / "pmr_controlled.csv"), "--visits", VISITS, "--plan",
            str(plan), "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def trial_result():
    res = analyze(CONTROLLED / "pmr_controlled.csv", visits=VISITS.split(","), plan=PLAN,
                  n_boot=500, outcomes=["fss_mean", "psqi_global"])  # fmt: skip
    return res.scored, res.analysis


def test_arm_estimation_plot_draws_the_results_numbers(trial_result):
    scored, analysis = trial_result
    fig = arm_estimation_plot(scored, "fss_mean", analysis.arms, info=analysis.info)
    left, right = fig.axes[:2]
    row = analysis.arms.row("fss_mean")
    points = [c for c in left.collections if c.get_gid() == "changes"]
    assert [len(c.get_offsets()) for c in points] == [row.n_control, row.n_treatment]
    ys = np.sort(points[1].get_offsets()[:, 1])  # relaxation: mean of its changes
    assert ys.mean() == pytest.approx(row.change_mean_treatment)
    estimate = next(line for line in right.lines if line.get_gid() == "estimate")
    assert estimate.get_ydata()[0] == pytest.approx(row.welch_diff)
    ci = next(line for line in right.lines if line.get_gid() == "ci")
    assert list(ci.get_ydata()) == pytest.approx([row.welch_diff_bca_ci_low,
                                                  row.welch_diff_bca_ci_high])  # fmt: skip
    # Gardner-Altman: the difference axis has its zero at the control arm's mean change
    fig.canvas.draw()
    assert right.get_ylim()[0] == pytest.approx(left.get_ylim()[0] - row.change_mean_control)
    assert any(t.get_gid() == "direction" for t in left.texts)


def test_arm_forest_plot_every_outcome_and_visit(trial_result):
    _, analysis = trial_result
    table = analysis.arms.table
    ax = arm_forest_plot(table, info=analysis.info)
    estimates = [line for line in ax.lines if line.get_gid() == "estimate"]
    assert [line.get_label() for line in estimates] == ["week6 (endpoint)", "week12"]
    smd = np.concatenate([line.get_xdata() for line in estimates])
    assert sorted(smd) == pytest.approx(sorted(table["ancova_smd"]))
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "difference"]
    assert len(texts) == len(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["FSS mean", "PSQI global"]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "family"] == ["primary outcomes"]


def test_covariates_reach_the_ledger_the_report_and_table2(tmp_path):
    # trial_data.csv through analyze (read as text cells, like a file): lm(post ~ pre + group +
    # age + sex + edss) at week6 (trial_reference.R); t09 has no EDSS, t26 no age at baseline
    from designs_reference import REF, trial_ref

    df = pd.read_csv(REF / "trial_data.csv", dtype={"id": str, "sex": str})
    res = analyze(df, out=tmp_path / "out", visits=VISITS.split(","), n_boot=200,
                  plan={"endpoint": "week6", "covariates": ["age", "sex", "edss"]})  # fmt: skip
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "edss missing at baseline (t09)" in html and "age missing at baseline (t26)" in html
    assert "sex: M vs F" in html and "adjusted for baseline and age, sex, edss" in html
    ledger = _csv(tmp_path / "out", "exclusions.csv")
    assert {"ANCOVA at week6", "ANCOVA at week12", "visits: mixed model"} <= set(
        ledger.loc[ledger["id"] == "t09", "analysis"]
    )
    fss = _csv(tmp_path / "out", "table2.csv").set_index("Outcome").loc["FSS mean"]
    want = [trial_ref("ancova_contrast", "fss_mean", "adjusted:week6", s)
            for s in ("estimate", "ci_low", "ci_high")]  # fmt: skip
    assert fss["Adjusted difference [95 % CI]"].lstrip("'") == (
        f"{fmt_num(want[0])} {fmt_ci(want[1], want[2])}"
    )
    assert res.analysis.arms.row("fss_mean").covariates == "age + sex + edss"
