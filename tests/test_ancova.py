"""Tests of stats.ancova (the between-arm ANCOVA of a trial) against R.

Reference values: tests/reference/trial_reference_values.csv, produced by ``Rscript
trial_reference.R`` (R 4.2.2, emmeans 1.8.4-1) from trial_data.csv (made by
make_trial_data.py): 30 participants in two arms, three visits, baseline covariates age, sex,
EDSS; t05 has no week12 visit, t22 no week6 visit, t09 no EDSS at baseline, t26 no age, t17 no
PSQI at week6. R calls: ``lm(post ~ pre + group)`` and ``lm(post ~ pre + group + age + sex +
edss)``, ``summary``/``confint``; ``emmeans(fit, "group")``; ``contrast(emm, "revpairwise")``;
``eff_size(emm, sigma = sigma(fit), edf = df.residual(fit))`` and the noncentral-t CI by
``uniroot`` on ``pt``; ``t.test(post, pre, paired = TRUE)`` per arm.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from designs_reference import REF, trial_ref

from msrelax_stats.errors import StudyDataError
from msrelax_stats.stats.ancova import between_arms
from msrelax_stats.stats.arms import compare_arms

OUTCOMES = ["fss_mean", "psqi_global"]
VISITS = ["baseline", "week6", "week12"]
COVARIATES = ["age", "sex", "edss"]
RTOL = 1e-6


@pytest.fixture(scope="module")
def trial() -> pd.DataFrame:
    df = pd.read_csv(REF / "trial_data.csv", dtype={"id": str, "sex": str})
    df["time"] = pd.Categorical(df["time"], VISITS, ordered=True)
    # covariates as read_study leaves them: text cells
    return df.astype({"age": object, "edss": object}).assign(
        age=lambda d: d["age"].map(lambda v: v if pd.isna(v) else f"{v:g}"),
        edss=lambda d: d["edss"].map(lambda v: v if pd.isna(v) else f"{v:g}".replace(".", ",")),
    )


@pytest.fixture(scope="module")
def results(trial):
    return {
        "unadjusted": between_arms(trial, OUTCOMES, VISITS, endpoint="week6"),
        "adjusted": between_arms(trial, OUTCOMES, VISITS, endpoint="week6", covariates=COVARIATES),
    }


CASES = [(m, o, v) for m in ("unadjusted", "adjusted") for o in OUTCOMES for v in VISITS[1:]]


@pytest.mark.parametrize(("model", "outcome", "visit"), CASES)
def test_ancova_coefficients_match_r_lm(results, model, outcome, visit):
    key = f"{model}:{visit}"
    coef = results[model].coefficients
    coef = coef[(coef.outcome == outcome) & (coef.visit == visit)].set_index("term")
    terms = ["(Intercept)", "baseline", "group[relaxation]"]
    if model == "adjusted":
        terms += ["age", "sex[M]", "edss"]
    assert coef.index.tolist() == terms
    for term in terms:
        got = coef.loc[term, ["estimate", "se", "t", "p", "ci_low", "ci_high"]].to_numpy(float)
        want = [trial_ref("ancova_lm", outcome, f"{key}|{term}", s)
                for s in ("estimate", "se", "t", "p", "ci_low", "ci_high")]  # fmt: skip
        np.testing.assert_allclose(got, want, rtol=RTOL)
        assert coef.loc[term, "df"] == trial_ref("ancova_lm", outcome, key, "df_resid")
    assert coef.loc["sex[M]", "label"] == "sex: M vs F" if model == "adjusted" else True


@pytest.mark.parametrize(("model", "outcome", "visit"), CASES)
def test_adjusted_difference_matches_emmeans_contrast(results, model, outcome, visit):
    key = f"{model}:{visit}"
    row = results[model].table.set_index(["outcome", "visit"]).loc[(outcome, visit)]
    got = [row.ancova_diff, row.ancova_se, row.ancova_df, row.ancova_t, row.ancova_p,
           row.ancova_ci_low, row.ancova_ci_high]  # fmt: skip
    want = [trial_ref("ancova_contrast", outcome, key, s)
            for s in ("estimate", "se", "df", "t", "p", "ci_low", "ci_high")]  # fmt: skip
    np.testing.assert_allclose(got, want, rtol=RTOL)
    assert row.ancova_residual_sd == pytest.approx(
        trial_ref("ancova_lm", outcome, key, "sigma"), rel=RTOL
    )
    assert row.ancova_pre_slope == pytest.approx(
        trial_ref("ancova_lm", outcome, f"{key}|baseline", "estimate"), rel=RTOL
    )
    assert row.endpoint == (visit == "week6")
    assert row.covariates == ("age + sex + edss" if model == "adjusted" else "")


@pytest.mark.parametrize(("model", "outcome", "visit"), CASES)
def test_adjusted_means_match_emmeans(results, model, outcome, visit):
    key = f"{model}:{visit}"
    means = results[model].adjusted_means
    means = means[(means.outcome == outcome) & (means.visit == visit)].set_index("group")
    for arm in ("control", "relaxation"):
        got = means.loc[arm, ["adjusted_mean", "se", "df", "ci_low", "ci_high"]].to_numpy(float)
        want = [trial_ref("ancova_emmeans", outcome, f"{key}|{arm}", s)
                for s in ("emmean", "se", "df", "ci_low", "ci_high")]  # fmt: skip
        np.testing.assert_allclose(got, want, rtol=RTOL)
        assert means.loc[arm, "n"] == trial_ref("ancova_n", outcome, key, arm)


@pytest.mark.parametrize(("model", "outcome", "visit"), CASES)
def test_standardised_difference_matches_eff_size_and_noncentral_ci(results, model, outcome, visit):
    key = f"{model}:{visit}"
    row = results[model].table.set_index(["outcome", "visit"]).loc[(outcome, visit)]
    got = [row.ancova_smd, row.ancova_smd_ci_low, row.ancova_smd_ci_high]
    want = [trial_ref("ancova_smd", outcome, key, s) for s in ("smd", "ci_low", "ci_high")]
    np.testing.assert_allclose(got, want, rtol=RTOL)
    # the exact CI excludes 0 exactly when the ANCOVA test rejects at 5 %
    assert (row.ancova_smd_ci_low > 0 or row.ancova_smd_ci_high < 0) == (row.ancova_p < 0.05)


@pytest.mark.parametrize(("model", "outcome", "visit"), CASES)
def test_per_arm_descriptives_match_r(results, model, outcome, visit):
    key = f"{model}:{visit}"
    row = results[model].table.set_index(["outcome", "visit"]).loc[(outcome, visit)]
    for arm, suffix in (("control", "control"), ("relaxation", "treatment")):
        assert row[f"n_{suffix}"] == trial_ref("ancova_n", outcome, key, arm)
        for stat in ("pre_mean", "pre_sd", "post_mean", "post_sd", "change_mean", "change_sd",
                     "change_ci_low", "change_ci_high"):  # fmt: skip
            assert row[f"{stat}_{suffix}"] == pytest.approx(
                trial_ref("ancova_desc", outcome, key, f"{stat}_{arm}"), rel=RTOL
            ), stat


def test_exclusions_name_participant_visit_and_reason(results):
    ex = results["adjusted"].exclusions
    fss6 = ex[(ex.outcome == "fss_mean") & (ex.visit == "week6")].set_index("id")["reason"]
    assert fss6.to_dict() == {
        "t09": "edss missing at baseline",
        "t22": "no week6 visit",
        "t26": "age missing at baseline",
    }
    psqi6 = ex[(ex.outcome == "psqi_global") & (ex.visit == "week6")].set_index("id")["reason"]
    assert psqi6["t17"] == "psqi_global missing at week6"
    unadjusted = results["unadjusted"].exclusions
    assert set(unadjusted["id"]) == {"t05", "t17", "t22"}  # covariates play no part
    assert list(ex.columns) == ["id", "outcome", "visit", "reason"]


def test_compare_arms_uses_the_same_ancova(trial):
    # the two-visit between-arm table of compare_arms is the week12 ANCOVA without covariates
    pair = trial[trial.time.isin(["baseline", "week12"])].copy()
    pair["time"] = pair["time"].cat.remove_unused_categories()
    res = compare_arms(pair, OUTCOMES, ("baseline", "week12"), within=False)
    row = res.table.set_index("outcome").loc["fss_mean"]
    want = trial_ref("ancova_contrast", "fss_mean", "unadjusted:week12", "estimate")
    assert row.ancova_diff == pytest.approx(want, rel=RTOL)


def test_bad_covariates_and_endpoint_are_named(trial):
    with pytest.raises(StudyDataError, match="column bmi: covariate column not found"):
        between_arms(trial, OUTCOMES, VISITS, covariates=["bmi"])
    with pytest.raises(StudyDataError, match="value 'week8' endpoint is not a follow-up visit"):
        between_arms(trial, OUTCOMES, VISITS, endpoint="week8")
    bad = trial.copy()
    bad.loc[3, "age"] = "forty"
    with pytest.raises(StudyDataError) as info:
        between_arms(bad, OUTCOMES, VISITS, covariates=["age"])
    assert str(info.value).startswith(f"participant {bad.loc[3, 'id']}, visit {bad.loc[3, 'time']}")
    assert "column age: value 'forty' is not a number" in str(info.value)


def test_constant_covariate_left_out_with_a_note(trial):
    res = between_arms(trial.assign(site="A"), ["fss_mean"], VISITS, covariates=["site"])
    assert set(res.table["covariates"]) == {""}
    assert any("covariate site has one level" in n for n in res.notes)
    plain = between_arms(trial, ["fss_mean"], VISITS)
    np.testing.assert_allclose(res.table["ancova_diff"], plain.table["ancova_diff"], rtol=1e-12)
