"""analyze() on designs beyond one group: routing, files, ledger, report, edge cases.

Reference numbers for the controlled sample come from R
(``Rscript tests/reference/pipeline_designs_reference.R``; the calls are quoted beside them).
Edge cases use small hand-written studies (FSS items only).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.cli import main
from msrelax_stats.errors import StudyDataError
from msrelax_stats.pipeline import analyze

ROOT = Path(__file__).resolve().parents[1]
CONTROLLED = ROOT / "data" / "sample" / "controlled" / "pmr_controlled.csv"
DIARY = ROOT / "data" / "sample" / "controlled" / "pmr_diary.csv"
ONE_GROUP = ROOT / "data" / "sample" / "pmr_study.csv"
VISITS = ["baseline", "week6", "week12"]


@pytest.fixture(scope="module")
def controlled(tmp_path_factory):
    out = tmp_path_factory.mktemp("controlled") / "out"
    return analyze(CONTROLLED, out=out, visits=VISITS, diary=DIARY, n_boot=200)


def _csv(result, name: str) -> pd.DataFrame:
    return pd.read_csv(result.out / name, keep_default_na=False, na_values=[""])


def test_design_files_are_written(controlled):
    for name in ("arms.csv", "adjusted_means.csv", "visits_fixed_effects.csv",
                 "visits_variance.csv", "visits_pairwise.csv", "friedman.csv",
                 "interaction.csv", "trajectories.csv", "adherence.csv", "dose_response.csv",
                 "results.csv", "exclusions.csv", "report.html"):  # fmt: skip
        assert (controlled.out / name).is_file(), name
    figures = {p.name for p in (controlled.out / "figures").glob("*.png")}
    assert {"fss_mean_arm_slopes.png", "fss_mean_adjusted_means.png",
            "fss_mean_trajectories.png", "fss_mean_dose_response.png"} <= figures  # fmt: skip
    assert "fss_mean_estimation.png" not in figures  # no pooled paired figure with two arms
    assert "forest_d_z.png" in figures  # the within-arm effect sizes, arms side by side
    assert not any(name.endswith("_caseness.png") for name in figures)
    html = (controlled.out / "report.html").read_text(encoding="utf-8")
    assert "Effect sizes d_z with 95 % CIs within each arm" in html


def test_results_csv_is_within_arm_first_vs_last(controlled):
    results = _csv(controlled, "results.csv")
    assert list(results.columns[:2]) == ["group", "outcome"]
    assert list(pd.unique(results["group"])) == ["control", "relaxation"]
    fss = results[results["outcome"] == "fss_mean"].set_index("group")
    # README of the sample: 16 per arm, S32 (control) has no week12 visit
    assert fss.loc["control", "n"] == 15 and fss.loc["relaxation", "n"] == 16
    for name in ("caseness.csv", "responders.csv"):
        assert _csv(controlled, name).columns[0] == "group"


def test_arms_csv_against_r(controlled):
    fss = _csv(controlled, "arms.csv").set_index("outcome").loc["fss_mean"]
    # R: lm(fss_mean.week12 ~ fss_mean.baseline + group), control = reference
    assert fss["ancova_diff"] == pytest.approx(-0.7043218961, rel=1e-6)
    assert fss["ancova_ci_low"] == pytest.approx(-1.0982909238, rel=1e-6)
    assert fss["ancova_ci_high"] == pytest.approx(-0.3103528684, rel=1e-6)
    assert fss["ancova_p"] == pytest.approx(0.00103167735, rel=1e-6)
    # R: t.test(change ~ group, var.equal = FALSE), relaxation - control
    assert fss["welch_t"] == pytest.approx(-3.1244624668, rel=1e-6)
    assert fss["welch_df"] == pytest.approx(28.0321578461, rel=1e-6)
    assert fss["welch_p"] == pytest.approx(0.004115970615, rel=1e-6)


def test_visits_files_against_r(controlled):
    friedman = _csv(controlled, "friedman.csv").set_index("outcome").loc["fss_mean"]
    # R: friedman.test(m) on the 31 participants with every visit
    assert friedman["n"] == 31
    assert friedman["statistic"] == pytest.approx(20.5593220339, rel=1e-8)
    fixed = _csv(controlled, "visits_fixed_effects.csv")
    visit = fixed[(fixed["outcome"] == "fss_mean") & (fixed["model"] == "visit")]
    # R: fixef(lmer(fss_mean ~ time + (1 | id), REML = TRUE))
    est = visit.set_index("term")["estimate"]
    assert est["time[week6]"] == pytest.approx(-0.7291666667, abs=1e-4)
    assert est["time[week12]"] == pytest.approx(-0.5543537182, abs=1e-4)
    assert set(_csv(controlled, "interaction.csv")["outcome"]) == {"fss_mean", "psqi_global"}
    assert set(fixed["outcome"]) == {"fss_mean", "psqi_global"}  # main outcomes only


def test_diary_files_against_r(controlled):
    adherence = _csv(controlled, "adherence.csv").set_index("id")
    assert list(adherence.columns[:1]) == ["group"]
    assert set(adherence["group"]) == {"relaxation"}
    # R: sum(practised == "yes") / 42 and sum(minutes) over days 1-42 of S03
    assert adherence.loc["S03", "share_practised"] == pytest.approx(0.6666666667)
    assert adherence.loc["S03", "total_minutes"] == 596.0
    dose = _csv(controlled, "dose_response.csv").set_index("outcome").loc["fss_mean"]
    # R: cor.test(share, change, method = "spearman", exact = FALSE); lm(change ~ share)
    assert dose["n"] == 16
    assert dose["spearman_rho"] == pytest.approx(0.0199409158, rel=1e-6)
    assert dose["slope"] == pytest.approx(-0.2022923867, rel=1e-6)


def test_exclusions_ledger_names_every_analysis(controlled):
    ledger = _csv(controlled, "exclusions.csv")
    assert list(ledger.columns) == ["analysis", "group", "id", "outcome", "reason"]
    s32 = ledger[ledger["id"] == "S32"]
    assert set(s32["group"]) == {"control"}
    analyses = set(s32["analysis"])
    assert {"paired baseline vs week12", "between arms (ANCOVA, Welch)",
            "visits: friedman (kept in mixed model)"} <= analyses  # fmt: skip
    rows = ledger[ledger["analysis"] == "adherence (diary rows)"].set_index("id")["reason"]
    assert rows.to_dict() == {"S03": "day 0 is before the study period (days 1-42)",
                              "S04": "day 43 is after the study period (days 1-42)"}  # fmt: skip
    # every control participant is outside the dose-response, but not listed one by one
    assert not (ledger["analysis"] == "dose-response").any()


def test_results_json_has_design_sections(controlled):
    doc = json.loads((controlled.out / "results.json").read_text(encoding="utf-8"))
    assert doc["design"]["arms"] == ["control", "relaxation"]
    assert doc["design"]["visits"] == VISITS
    assert {"table", "adjusted_means", "notes", "options"} <= set(doc["arms"])
    assert {"fixed_effects", "variance", "friedman", "pairwise", "interaction",
            "trajectories", "notes", "options"} <= set(doc["visits"])  # fmt: skip
    assert doc["diary"]["options"]["study_days"] == 42
    assert any("outside the study period" in n for n in doc["notes"])
    assert doc["options"]["design"]["diary_days"] == 42


def test_report_sections_and_methods(controlled):
    text = (controlled.out / "report.html").read_text(encoding="utf-8")
    for heading in ("Two arms: relaxation against control (control)", "Visits: baseline, week6, "
                    "week12", "Practice diary: adherence", "Dose-response",
                    "Left out of the other analyses"):  # fmt: skip
        assert heading in text, heading
    for phrase in ("lm(post ~ pre + group)", "partial eta squared", "Welch t-test",
                   "Hedges&#39; g", "noncentral t", "REML", "lme4::lmer", "likelihood-ratio test",
                   "Friedman test", "Holm&#39;s method", "Spearman", "42 days of the practice period",
                   "day 0 is before the study period (days 1-42) (S03)"):  # fmt: skip
        assert phrase in text, phrase
    assert "At week12, adjusted for baseline, FSS mean was lower in relaxation" in text


def _study(arms, visits=("pre", "post"), drop=(), seed=3) -> pd.DataFrame:
    """FSS items for participants P0, P1, ...; ``arms[i]`` is P{i}'s group (None: no column)."""
    rng = np.random.default_rng(seed)
    items = rng.integers(1, 8, size=(len(arms) * len(visits), 9))
    rows = [{"id": f"P{i}", "time": v} | ({"group": a} if a is not None else {})
            for i, a in enumerate(arms) for v in visits]  # fmt: skip
    frame = pd.concat([pd.DataFrame(rows), pd.DataFrame(items, columns=[f"fss_{k}" for k in
                                                                         range(1, 10)])], axis=1)  # fmt: skip
    keep = [(r.id, r.time) not in set(drop) for r in frame.itertuples()]
    return frame[keep].reset_index(drop=True)


def test_one_label_gives_exactly_the_one_group_output():
    plain = _study([None] * 6)
    labelled = plain.assign(group="relaxation")
    a = analyze(plain, n_boot=200)
    b = analyze(labelled, n_boot=200)
    pd.testing.assert_frame_equal(a.paired.table, b.paired.table)
    pd.testing.assert_frame_equal(a.paired.exclusions, b.paired.exclusions)
    assert "group" not in b.paired.table.columns and not b.analysis.beyond_one_group
    assert a.options == b.options


def test_more_than_two_labels_is_a_clear_error(tmp_path, capsys):
    df = _study(["control", "pmr", "massage"])
    with pytest.raises(StudyDataError, match="3 labels"):
        analyze(df, n_boot=200)
    path = tmp_path / "three.csv"
    df.to_csv(path, index=False)
    assert main(["analyze", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "'group' has 3 labels (control, pmr, massage)" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_control_label_without_participants_is_a_note():
    res = analyze(_study(["relaxation"] * 4), control="control", n_boot=200)
    assert not res.analysis.beyond_one_group and "group" not in res.paired.table.columns
    assert res.notes == ["the control arm 'control' has no participants (every participant "
                         "is in relaxation); analysed as one group"]  # fmt: skip


def test_arm_of_one_and_unbalanced_arms_give_notes_and_a_report(tmp_path):
    res = analyze(_study(["control"] + ["pmr"] * 5), out=tmp_path / "out", n_boot=200)
    row = res.arms.table.iloc[0]
    assert row["n_control"] == 1 and row["n_treatment"] == 5 and np.isnan(row["ancova_diff"])
    assert any(n.startswith("unbalanced arms: pmr 5, control 1") for n in res.notes)
    assert any("between-arm statistics need at least 2 per arm" in n for n in res.notes)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "the arms could not be compared" in html and "unbalanced arms" in html


def test_unlabelled_participant_is_in_the_ledger():
    df = _study(["control", "control", "pmr", "pmr", None]).assign()
    df.loc[df["id"] == "P4", "group"] = np.nan
    res = analyze(df, n_boot=200)
    ledger = res.exclusions
    p4 = ledger[ledger["id"] == "P4"]
    assert {"no arm label"} == set(p4.loc[p4["analysis"].str.startswith("paired"), "reason"])
    assert any("without an arm label" in n for n in res.notes)


def test_participant_with_one_visit_in_a_three_visit_study(tmp_path):
    visits = ("baseline", "week6", "week12")
    df = _study(["pmr"] * 6, visits=visits, drop={("P2", "week6"), ("P2", "week12")})
    res = analyze(df, visits=list(visits), n_boot=200)
    variance = res.visits.variance.iloc[0]
    assert variance["n_participants"] == 6 and variance["n_observations"] == 16  # P2 kept
    assert res.visits.friedman.iloc[0]["n"] == 5
    p2 = res.exclusions[res.exclusions["id"] == "P2"].set_index("analysis")["reason"]
    assert p2["paired baseline vs week12"] == "missing visit week12"
    assert p2["visits: friedman (kept in mixed model)"] == "no week6 visit; no week12 visit"
    assert "group" not in res.exclusions.columns


def test_diary_without_arms_unknown_id_and_days_outside(tmp_path):
    diary = pd.DataFrame({"id": ["P0"] * 4 + ["P1"] * 3 + ["ZZ"],
                          "day": [0, 1, 2, 3, 1, 2, 3, 1],
                          "practised": ["yes", "no", "yes", "yes", "yes", "yes", "no", "yes"],
                          "minutes": [10, 0, 10, 20, 10, 10, 0, 5]})  # fmt: skip
    res = analyze(_study([None] * 5), out=tmp_path / "out", diary=diary, n_boot=200)
    table = res.diary.adherence.table.set_index("id")
    assert res.diary.study_days == 3  # both diaries end on day 3
    # P0: days 1-3 practised no, yes, yes -> 2 / 3; day 0 excluded
    assert table.loc["P0", "share_practised"] == pytest.approx(2 / 3)
    assert "group" not in table.columns and "ZZ" not in table.index
    assert "1 diary participant id(s) not in the study, ignored: ZZ" in res.notes
    ledger = res.exclusions.set_index(["analysis", "id"])["reason"]
    assert ledger[("adherence", "ZZ")] == "diary id not in the study"
    assert ledger[("adherence (diary rows)", "P0")] == "day 0 is before the study period (days 1-3)"
    assert set(ledger.loc["dose-response"].index) == {"P2", "P3", "P4"}  # no diary
    assert (tmp_path / "out" / "adherence.csv").is_file()


def test_diary_days_option_and_no_overlap():
    diary = pd.DataFrame({"id": ["P0", "P0"], "day": [1, 2], "practised": ["yes", "no"]})
    res = analyze(_study([None] * 4), diary=diary, diary_days=10, n_boot=200)
    assert res.diary.study_days == 10
    assert res.diary.adherence.table.loc[0, "share_practised"] == pytest.approx(0.1)
    stranger = diary.assign(id="Q9")
    res = analyze(_study([None] * 4), diary=stranger, n_boot=200)
    assert res.diary is None
    assert "no diary participant is in the study: no adherence or dose-response" in res.notes


def test_one_group_sample_output_has_no_design_columns():
    res = analyze(ONE_GROUP, n_boot=200)
    assert not res.analysis.beyond_one_group and res.exclusions is res.paired.exclusions
    assert list(res.paired.exclusions.columns) == ["id", "outcome", "reason"]


def test_design_tables_are_deterministic(controlled, tmp_path):
    from msrelax_stats.pipeline import write_table

    again = analyze(CONTROLLED, visits=VISITS, diary=DIARY, n_boot=200)
    for name, frame in again.analysis.tables().items():
        write_table(frame, tmp_path / name)
        assert (tmp_path / name).read_bytes() == (controlled.out / name).read_bytes(), name
    write_table(again.exclusions, tmp_path / "exclusions.csv")
    assert (tmp_path / "exclusions.csv").read_bytes() == (
        controlled.out / "exclusions.csv"
    ).read_bytes()
