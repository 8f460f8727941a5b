"""Issue 17 phase B: the analysis plan in analyse(), the between-arm comparison first.

Reference values: tests/reference/trial_arms_reference_values.csv from ``Rscript
trial_arms_reference.R`` (R 4.2.2, effectsize 0.8.3) on trial_data.csv (30 participants, two
arms, three visits, baseline age/sex/EDSS; see make_trial_data.py) and on the controlled sample
study: ``t.test(trt, ctl, var.equal = FALSE)`` and ``effectsize::hedges_g(trt, ctl)`` of the
changes of each ANCOVA's participants; ``p.adjust(p, "holm")`` of the ANCOVA p-values of the
primary family at each visit and ``cummax`` in plan order (fixed sequence); the mixed models
of trial_reference.R (lmerTest, Satterthwaite). The bootstrap of the difference of mean changes
is compared with ``scipy.stats.bootstrap`` on the same changes and seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from designs_reference import REF, trial_arms_ref, trial_ref
from scipy import stats

from msrelax_stats.errors import StudyDataError
from msrelax_stats.stats.analysis import analyse
from msrelax_stats.stats.ancova import between_arms
from msrelax_stats.stats.options import AnalysisOptions
from msrelax_stats.stats.plan import AnalysisPlan

OUTCOMES = ["fss_mean", "psqi_global"]
VISITS = ["baseline", "week6", "week12"]
COVARIATES = ["age", "sex", "edss"]
CASES = [(m, o, v) for m in ("unadjusted", "adjusted") for o in OUTCOMES for v in VISITS[1:]]


@pytest.fixture(scope="module")
def trial() -> pd.DataFrame:
    df = pd.read_csv(REF / "trial_data.csv", dtype={"id": str, "sex": str})
    df["time"] = pd.Categorical(df["time"], VISITS, ordered=True)
    return df


@pytest.fixture(scope="module")
def analyses(trial):
    plan = {"endpoint": "week6", "primary": OUTCOMES}
    return {
        "unadjusted": analyse(trial, AnalysisOptions(n_boot=500, plan=plan)),
        "adjusted": analyse(trial, AnalysisOptions(n_boot=500, plan={**plan,
                                                                     "covariates": COVARIATES})),
    }  # fmt: skip


def _row(analysis, outcome, visit):
    t = analysis.arms.table
    return t[(t.outcome == outcome) & (t.visit == visit)].iloc[0]


@pytest.mark.parametrize(("model", "outcome", "visit"), CASES)
def test_changes_compared_between_arms_match_r(analyses, model, outcome, visit):
    row = _row(analyses[model], outcome, visit)
    key = f"{model}:{visit}"
    got = [row.welch_diff, row.welch_ci_low, row.welch_ci_high, row.welch_t, row.welch_df,
           row.welch_p, row.hedges_g]  # fmt: skip
    want = [*(trial_arms_ref("welch", outcome, key, s)
              for s in ("diff", "ci_low", "ci_high", "t", "df", "p")),
            trial_arms_ref("hedges_g", outcome, key, "g")]  # fmt: skip
    np.testing.assert_allclose(got, want, rtol=1e-9)
    # Hedges g CI: the noncentral-t roots by uniroot (1e-14) to 1e-9; effectsize's own
    # (optim, abstol 1e-9) to 1e-5
    ci = [row.hedges_g_ci_low, row.hedges_g_ci_high]
    exact = [trial_arms_ref("hedges_g", outcome, key, s) for s in ("ci_low_exact", "ci_high_exact")]
    np.testing.assert_allclose(ci, exact, rtol=1e-9)
    effectsize = [trial_arms_ref("hedges_g", outcome, key, s) for s in ("ci_low", "ci_high")]
    np.testing.assert_allclose(ci, effectsize, rtol=1e-5)


@pytest.mark.parametrize(("model", "outcome", "visit"), CASES)
def test_ancova_p_is_adjusted_within_the_primary_family_at_each_visit(analyses, model, outcome,
                                                                      visit):  # fmt: skip
    row = _row(analyses[model], outcome, visit)
    key = f"{model}:{visit}"
    assert row.family == "primary" and row.multiplicity == "holm"
    assert row.ancova_p == pytest.approx(trial_arms_ref("ancova_family", outcome, key, "p"),
                                         rel=1e-6)  # fmt: skip
    assert row.p_adjusted == pytest.approx(
        trial_arms_ref("ancova_family", outcome, key, "p_holm"), rel=1e-6
    )


def test_fixed_sequence_follows_the_plan_order(trial):
    plan = {"endpoint": "week6", "covariates": COVARIATES,
            "primary": {"outcomes": ["psqi_global", "fss_mean"],
                        "multiplicity": "fixed-sequence"}}  # fmt: skip
    res = analyse(trial, AnalysisOptions(n_boot=200, plan=plan))
    for visit in VISITS[1:]:
        for outcome in OUTCOMES:
            got = _row(res, outcome, visit).p_adjusted
            want = trial_arms_ref("ancova_fixed_sequence", outcome, f"adjusted:{visit}",
                                  "p_adjusted")  # fmt: skip
            assert got == pytest.approx(want, rel=1e-6)


def test_table_columns_place_family_and_adjusted_p(analyses):
    cols = list(analyses["adjusted"].arms.table.columns)
    assert cols[:3] == ["outcome", "family", "multiplicity"]
    assert cols[cols.index("ancova_p") + 1] == "p_adjusted"
    assert {"welch_diff_bca_ci_low", "welch_diff_bca_ci_high", "hedges_g"} <= set(cols)


def test_covariates_enter_the_mixed_model_with_satterthwaite_df(analyses):
    # the visit*group model with age + sex + edss, lmerTest::lmer (trial_reference.R)
    fe = analyses["adjusted"].visits.fixed_effects
    fe = fe[(fe.outcome == "fss_mean") & (fe.model == "visit*group")].set_index("term")
    assert {"age", "sex[M]", "edss"} <= set(fe.index)
    for term in ("time[week6]:group[relaxation]", "age", "edss"):
        for column in ("estimate", "se", "df", "t", "p"):
            want = trial_ref("lmer", "fss_mean", f"visit*group+covariates|{term}", column)
            assert fe.loc[term, column] == pytest.approx(want, rel=1e-4)
    friedman = analyses["adjusted"].visits.friedman
    assert list(friedman.columns[:2]) == ["group", "outcome"]  # within each arm


def test_missing_covariates_reach_the_ledger_with_the_visit(analyses):
    ledger = analyses["adjusted"].exclusions
    rows = ledger.set_index(["analysis", "id", "outcome"])["reason"]
    # t09: edss blank at baseline; t26: no age; t22: no week6 visit; t05: no week12 visit
    assert rows[("ANCOVA at week6", "t09", "fss_mean")] == "edss missing at baseline"
    assert rows[("ANCOVA at week12", "t26", "psqi_global")] == "age missing at baseline"
    assert rows[("ANCOVA at week6", "t22", "fss_mean")] == "no week6 visit"
    assert rows[("ANCOVA at week12", "t05", "fss_mean")] == "no week12 visit"
    assert rows[("visits: mixed model", "t09", "fss_mean")] == "edss missing at baseline"
    assert ("ANCOVA at week12", "t22", "fss_mean") not in rows.index  # t22 has week12
    assert set(ledger.loc[ledger.id == "t09", "group"]) == {"relaxation"}
    assert not analyses["unadjusted"].exclusions["reason"].str.contains("edss").any()


def test_endpoint_of_the_plan_drives_the_paired_analysis(analyses):
    a = analyses["unadjusted"]
    assert a.design.paired_visits == ("baseline", "week6")
    assert a.paired.options["visits"] == ["baseline", "week6"]
    assert a.arms.table.loc[a.arms.table.endpoint, "visit"].unique().tolist() == ["week6"]
    recorded = a.recorded_options()["plan"]
    assert recorded["endpoint"] == "week6" and recorded["source"] == "dict"
    assert recorded["primary"] == {"outcomes": OUTCOMES, "multiplicity": "holm"}
    assert recorded["filled"] == ["secondary", "exploratory"]


def test_bootstrap_of_the_difference_of_mean_changes_is_scipys(trial):
    res = between_arms(trial, ["fss_mean"], VISITS, endpoint="week6", n_boot=3000, seed=11)
    wide = trial.pivot(index="id", columns="time", values="fss_mean")
    arm = trial.groupby("id")["group"].first()
    change = (wide["week6"] - wide["baseline"]).dropna()
    treated = change[arm.reindex(change.index) == "relaxation"].to_numpy()
    control = change[arm.reindex(change.index) == "control"].to_numpy()
    ref = stats.bootstrap((treated, control), lambda x, y, axis=-1: x.mean(axis) - y.mean(axis),
                          vectorized=True, n_resamples=3000, method="BCa",
                          rng=np.random.default_rng(11))  # fmt: skip
    row = res.row("fss_mean")
    assert row.welch_diff_bca_ci_low == pytest.approx(ref.confidence_interval.low, rel=1e-10)
    assert row.welch_diff_bca_ci_high == pytest.approx(ref.confidence_interval.high, rel=1e-10)
    boot = res.bootstrap[("fss_mean", "week6")]
    np.testing.assert_allclose(boot.distribution, ref.bootstrap_distribution, rtol=1e-12)


def test_default_plan_restricted_to_the_outcomes_analysed(trial):
    a = analyse(trial, AnalysisOptions(n_boot=200, outcomes=("psqi_global",)))
    assert a.plan.primary.outcomes == ("psqi_global",) and a.plan.source == "default"
    assert a.arms.table["family"].tolist() == ["primary", "primary"]


def test_options_read_the_plan_and_the_primary_test(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text('endpoint = "week6"\nprimary_test = "wilcoxon"\n', encoding="utf-8")
    options = AnalysisOptions(plan=path)
    assert isinstance(options.plan, AnalysisPlan) and options.primary_test == "wilcoxon"
    assert options.to_dict()["plan"]["source"] == str(path)
    # the command line overrides the plan file, as an option overrides a file
    assert AnalysisOptions(plan=path, primary_test="t").plan.primary_test == "t"
    assert AnalysisOptions().primary_test == "t" and AnalysisOptions().to_dict()["plan"] is None
    with pytest.raises(StudyDataError, match="unknown plan key 'endpoints'"):
        AnalysisOptions(plan={"endpoints": "week6"})


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ({"endpoint": "week8"}, "plan key 'endpoint': value 'week8' is not a visit"),
        ({"primary": ["fss_total"]}, "plan key 'primary': value 'fss_total' is not an outcome"),
        ({"covariates": ["bmi"]}, "plan key 'covariates': value 'bmi' is not a column"),
    ],
)
def test_a_plan_that_does_not_fit_the_study_names_the_key(trial, plan, message):
    with pytest.raises(StudyDataError, match=message):
        analyse(trial, AnalysisOptions(n_boot=200, plan=plan))
