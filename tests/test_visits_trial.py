"""Tests of the trial-grade parts of stats.visits against R (tests/reference/trial_reference.R).

trial_data.csv (made by make_trial_data.py): 30 participants, two arms, three visits, baseline
covariates age, sex, EDSS (t09 lacks EDSS at baseline, t26 lacks age). R 4.2.2, lme4 1.1-31,
lmerTest 3.1-3, emmeans 1.8.4-1:

- ``lmer(score ~ visit + (1 | id))``, ``lmer(score ~ visit * group + (1 | id))`` and both with
  ``+ age + sex + edss``, REML; ``summary(fit, ddf = "Satterthwaite")`` for estimate, SE, df,
  t, p; ``contest1D(fit, L, ddf = "Satterthwaite", confint = TRUE)`` for the CIs;
  ``VarCorr`` for the variances (ICC = tau2 / (tau2 + sigma2));
- ``contrast(emmeans(fit, ~ group | visit, lmer.df = "satterthwaite"), "revpairwise")``;
- ``anova(m0, m1)`` of the covariate-adjusted models (ML refits);
- ``friedman.test`` and ``t.test(paired = TRUE)`` + ``p.adjust(, "holm")`` within each arm.

Mixed models are compared to 1e-4 (lmerTest's numerical derivatives, two optimisers); the
complete-case tests to 1e-9.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from designs_reference import REF, trial_ref

from msrelax_stats.stats.visits import compare_visits

OUTCOMES = ["fss_mean", "psqi_global"]
VISITS = ["baseline", "week6", "week12"]
COVARIATES = ["age", "sex", "edss"]
VISIT_TERMS = ["(Intercept)", "time[week6]", "time[week12]"]
GROUP_TERMS = ["group[relaxation]", "time[week6]:group[relaxation]",
               "time[week12]:group[relaxation]"]  # fmt: skip
COV_TERMS = ["age", "sex[M]", "edss"]


@pytest.fixture(scope="module")
def trial() -> pd.DataFrame:
    df = pd.read_csv(REF / "trial_data.csv", dtype={"id": str})
    df["time"] = pd.Categorical(df["time"], VISITS, ordered=True)
    return df


@pytest.fixture(scope="module")
def plain(trial):
    return compare_visits(trial, OUTCOMES, VISITS, ddf="satterthwaite", within_arms=True)


@pytest.fixture(scope="module")
def adjusted(trial):
    return compare_visits(trial, OUTCOMES, VISITS, ddf="satterthwaite", covariates=COVARIATES)


MODELS = [
    ("plain", "visit", "visit", VISIT_TERMS),
    ("plain", "visit*group", "visit*group", VISIT_TERMS + GROUP_TERMS),
    ("adjusted", "visit", "visit+covariates", VISIT_TERMS + COV_TERMS),
    ("adjusted", "visit*group", "visit*group+covariates", VISIT_TERMS + GROUP_TERMS + COV_TERMS),
]


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize(("fixture", "model", "r_model", "terms"), MODELS)
def test_fixed_effects_match_lmertest_satterthwaite(
    request, fixture, model, r_model, terms, outcome
):
    res = request.getfixturevalue(fixture)
    fe = res.fixed_effects
    fe = fe[(fe.outcome == outcome) & (fe.model == model)].set_index("term")
    assert fe.index.tolist() == terms
    for term in terms:
        for stat in ("estimate", "se", "df", "t", "ci_low", "ci_high"):
            want = trial_ref("lmer", outcome, f"{r_model}|{term}", stat)
            assert fe.loc[term, stat] == pytest.approx(want, rel=1e-4, abs=1e-8), (term, stat)
        want_p = trial_ref("lmer", outcome, f"{r_model}|{term}", "p")
        assert fe.loc[term, "p"] == pytest.approx(want_p, rel=1e-4, abs=1e-12), term


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize(("fixture", "model", "r_model", "terms"), MODELS)
def test_variances_and_icc_match_lmer(request, fixture, model, r_model, terms, outcome):
    res = request.getfixturevalue(fixture)
    var = res.variance.set_index(["outcome", "model"]).loc[(outcome, model)]
    for stat in ("intercept_var", "residual_var", "icc"):
        assert var[stat] == pytest.approx(trial_ref("lmer", outcome, r_model, stat), rel=1e-4)
    assert var.n_observations == trial_ref("lmer", outcome, r_model, "n_obs")
    assert var.n_participants == trial_ref("lmer", outcome, r_model, "n_participants")
    assert var.covariates == ("age + sex + edss" if fixture == "adjusted" else "")


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize(("fixture", "r_model"),
                         [("plain", "visit*group"), ("adjusted", "visit*group+covariates")])  # fmt: skip
def test_arm_differences_match_emmeans_satterthwaite(request, fixture, r_model, outcome):
    res = request.getfixturevalue(fixture)
    diff = res.arm_differences
    diff = diff[diff.outcome == outcome].set_index("visit")
    assert diff.index.tolist() == VISITS
    for visit in VISITS:
        for stat in ("estimate", "se", "df", "t", "ci_low", "ci_high"):
            want = trial_ref("lmer_arms", outcome, f"{r_model}|{visit}", stat)
            assert diff.loc[visit, stat] == pytest.approx(want, rel=1e-4), (visit, stat)
        want_p = trial_ref("lmer_arms", outcome, f"{r_model}|{visit}", "p")
        assert diff.loc[visit, "p"] == pytest.approx(want_p, rel=1e-4)
    assert diff.loc["week6", "label"] == "relaxation vs control at week6"


def test_readable_term_labels(plain, adjusted):
    fe = plain.fixed_effects
    labels = fe[(fe.outcome == "fss_mean") & (fe.model == "visit*group")].set_index("term")["label"]
    assert labels.to_dict() == {
        "(Intercept)": "mean of control at baseline",
        "time[week6]": "week6 vs baseline in control",
        "time[week12]": "week12 vs baseline in control",
        "group[relaxation]": "relaxation vs control at baseline",
        "time[week6]:group[relaxation]": "relaxation vs control in change baseline to week6",
        "time[week12]:group[relaxation]": "relaxation vs control in change baseline to week12",
    }
    fe = adjusted.fixed_effects
    labels = fe[(fe.outcome == "fss_mean") & (fe.model == "visit")].set_index("term")["label"]
    assert labels["sex[M]"] == "sex: M vs F"
    assert labels["age"] == "age (per 1 unit)"


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_interaction_with_covariates_matches_anova(adjusted, outcome):
    row = adjusted.interaction.set_index("outcome").loc[outcome]
    assert row.df == trial_ref("lmer_interaction", outcome, "covariates", "df")
    assert row.chisq == pytest.approx(
        trial_ref("lmer_interaction", outcome, "covariates", "chisq"), rel=1e-4
    )
    assert row.p == pytest.approx(
        trial_ref("lmer_interaction", outcome, "covariates", "p"), rel=1e-3
    )


def test_covariate_exclusions_are_recorded(adjusted):
    ex = adjusted.exclusions
    mixed = ex[(ex.analysis == "mixed model") & (ex.outcome == "fss_mean")].set_index("id")
    assert mixed["reason"].to_dict() == {"t09": "edss missing at baseline",
                                         "t26": "age missing at baseline"}  # fmt: skip


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize("arm", ["control", "relaxation"])
def test_friedman_within_each_arm_matches_r(plain, outcome, arm):
    row = plain.friedman.set_index(["group", "outcome"]).loc[(arm, outcome)]
    got = [row.n, row.statistic, row.df, row.p]
    want = [trial_ref("friedman_arm", outcome, arm, s) for s in ("n", "statistic", "df", "p")]
    np.testing.assert_allclose(got, want, rtol=1e-9)


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize("arm", ["control", "relaxation"])
def test_pairwise_within_each_arm_holm_within_arm(plain, outcome, arm):
    pw = plain.pairwise[(plain.pairwise.outcome == outcome) & (plain.pairwise.group == arm)]
    assert len(pw) == 3
    for row in pw.itertuples():
        term = f"{arm}|{row.visit_b}-{row.visit_a}"
        got = [row.n, row.mean_diff, row.t, row.df, row.p, row.ci_low, row.ci_high, row.p_holm]
        want = [trial_ref("pairwise_arm", outcome, term, s)
                for s in ("n", "mean_diff", "t", "df", "p", "ci_low", "ci_high", "p_holm")]  # fmt: skip
        np.testing.assert_allclose(got, want, rtol=1e-9)


def test_one_group_study_stays_pooled(trial):
    one = trial[trial.group == "relaxation"].drop(columns="group")
    res = compare_visits(one, ["fss_mean"], VISITS, within_arms=True)
    assert "group" not in res.friedman.columns
    # the pooled test of one arm is that arm's per-arm test
    assert res.friedman.loc[0, "statistic"] == pytest.approx(
        trial_ref("friedman_arm", "fss_mean", "relaxation", "statistic"), rel=1e-9
    )


def test_wald_default_keeps_the_old_columns(trial):
    res = compare_visits(trial, ["fss_mean"], VISITS)
    assert list(res.fixed_effects.columns) == ["outcome", "model", "term", "label", "estimate",
                                               "se", "z", "p", "ci_low", "ci_high"]  # fmt: skip
    assert np.isinf(res.arm_differences["df"]).all()


def test_participant_without_arm_leaves_the_within_arm_tests_with_a_reason(trial):
    unlabelled = trial.assign(group=trial["group"].where(trial["id"] != "t01"))
    res = compare_visits(unlabelled, ["fss_mean"], VISITS, within_arms=True)
    ex = res.exclusions.set_index(["id", "analysis"])["reason"]
    assert ex[("t01", "friedman and pairwise (within arms)")] == "no arm label"
    n_arm = res.friedman.set_index("group")["n"]
    full = {
        arm: trial_ref("friedman_arm", "fss_mean", arm, "n") for arm in ("control", "relaxation")
    }
    assert n_arm.sum() == sum(full.values()) - 1
