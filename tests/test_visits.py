"""Tests of stats.visits against R (tests/reference/designs_reference.R).

designs_visits.csv: 14 participants (8 relaxation, 6 waitlist), visits baseline/week6/week12;
v07 has only the baseline visit, v03 misses week6, v12 misses week12. Reference values from
R 4.2.2, lme4 1.1-31: ``lmer(score ~ visit + (1 | id), REML = TRUE)``, ``lmer(score ~
visit * group + (1 | id))``, ``anova(lmer(score ~ visit + group + ...), m1)`` (ML refits),
``friedman.test``, ``t.test(paired = TRUE)`` with ``p.adjust(method = "holm")``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from designs_reference import REF, ref

from msrelax_stats.stats.visits import compare_visits, mean_trajectories

OUTCOMES = ["fss_mean", "psqi_global"]
VISITS = ["baseline", "week6", "week12"]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    df = pd.read_csv(REF / "designs_visits.csv", dtype={"id": str})
    df["time"] = pd.Categorical(df["time"], VISITS, ordered=True)
    return df


@pytest.fixture(scope="module")
def result(data):
    # the pooled tests and Wald z of the designs_reference.R values (lme4, no lmerTest)
    return compare_visits(data, OUTCOMES, VISITS, ddf="wald", within_arms=False)


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize(
    ("model", "analysis"), [("visit", "visits_lmer"), ("visit*group", "visits_lmer_group")]
)
def test_mixed_model_matches_lme4(result, outcome, model, analysis):
    fe = result.fixed_effects
    fe = fe[(fe.outcome == outcome) & (fe.model == model)].set_index("term")
    terms = ["(Intercept)", "time[week6]", "time[week12]"]
    if model == "visit*group":
        terms += [
            "group[relaxation]",
            "time[week6]:group[relaxation]",
            "time[week12]:group[relaxation]",
        ]
    assert fe.index.tolist() == terms
    for term in terms:
        assert fe.loc[term, "estimate"] == pytest.approx(
            ref(analysis, outcome, term, "estimate"), rel=1e-4, abs=1e-8
        )
        assert fe.loc[term, "se"] == pytest.approx(ref(analysis, outcome, term, "se"), rel=1e-4)
    var = result.variance.set_index(["outcome", "model"]).loc[(outcome, model)]
    assert var.intercept_var == pytest.approx(ref(analysis, outcome, "", "intercept_var"), rel=1e-4)
    assert var.residual_var == pytest.approx(ref(analysis, outcome, "", "residual_var"), rel=1e-4)
    assert var.converged


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_mixed_model_keeps_incomplete_participants(result, outcome):
    var = result.variance.set_index(["outcome", "model"]).loc[(outcome, "visit")]
    assert var.n_observations == ref("visits_lmer", outcome, "", "n_obs") == 38
    assert var.n_participants == ref("visits_lmer", outcome, "", "n_participants") == 14
    ex = result.exclusions[result.exclusions.outcome == outcome].set_index("id")
    assert ex.loc["v07", "reason"] == "no week6 visit; no week12 visit"
    assert ex.loc["v07", "analysis"] == "friedman (kept in mixed model)"


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_interaction_lr_test_matches_lme4_anova(result, outcome):
    row = result.interaction.set_index("outcome").loc[outcome]
    assert row.df == ref("visits_interaction", outcome, "", "df")
    assert row.chisq == pytest.approx(ref("visits_interaction", outcome, "", "chisq"), rel=1e-4)
    assert row.p == pytest.approx(ref("visits_interaction", outcome, "", "p"), rel=1e-3)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_friedman_matches_r(result, outcome):
    row = result.friedman.set_index("outcome").loc[outcome]
    got = [row.n, row.statistic, row.df, row.p]
    want = [ref("visits_friedman", outcome, "", s) for s in ("n", "statistic", "df", "p")]
    np.testing.assert_allclose(got, want, rtol=1e-9)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_pairwise_holm_matches_r(result, outcome):
    pw = result.pairwise[result.pairwise.outcome == outcome]
    assert len(pw) == 3
    for row in pw.itertuples():
        term = f"{row.visit_b}-{row.visit_a}"
        got = [row.n, row.mean_diff, row.t, row.df, row.p, row.ci_low, row.ci_high, row.p_holm]
        want = [
            ref("visits_pairwise", outcome, term, s)
            for s in ("n", "mean_diff", "t", "df", "p", "ci_low", "ci_high", "p_holm")
        ]
        np.testing.assert_allclose(got, want, rtol=1e-9)


def test_trajectories_hand_computation():
    # visit a: 5, 6, 7 -> mean 6, sd 1, 95% CI 6 -/+ qt(0.975, 2) / sqrt(3) = 6 -/+ 2.484138
    # (qt(0.975, 2) = 4.302653); visit b: 4, 4 (participant 3 missing) -> sd 0, CI of width 0
    df = pd.DataFrame(
        {
            "id": ["1", "1", "2", "2", "3"],
            "time": ["a", "b", "a", "b", "a"],
            "group": ["x", "x", "y", "y", "y"],
            "fss_mean": [5, 4, 6, 4, 7.0],
        }
    )
    tr = mean_trajectories(df, ["fss_mean"], ["a", "b"]).set_index(["group", "time"])
    assert tr.loc[("all", "a"), ["n", "mean", "sd"]].tolist() == [3, 6.0, 1.0]
    assert tr.loc[("all", "a"), "ci_low"] == pytest.approx(6 - 4.302653 / np.sqrt(3), abs=1e-6)
    assert tr.loc[("all", "b"), ["n", "ci_low", "ci_high"]].tolist() == [2, 4.0, 4.0]
    assert tr.loc[("y", "a"), "mean"] == 6.5
    assert np.isnan(tr.loc[("x", "a"), "ci_low"])  # one participant: no CI


def test_two_visits_single_arm_no_friedman_no_interaction(data):
    one_arm = data[(data.group == "relaxation") & ~data.id.isin(["v03", "v07"])]
    one_arm = one_arm.drop(columns="group")  # complete pairs only (v03, v07 miss week6)
    res = compare_visits(one_arm, ["fss_mean"], ["baseline", "week6"])
    assert np.isnan(res.friedman.loc[0, "statistic"])
    assert res.interaction.empty
    assert res.fixed_effects["term"].tolist() == ["(Intercept)", "time[week6]"]
    # with complete pairs only, the visit effect of the mixed model is the mean change
    pw = res.pairwise.iloc[0]
    fe = res.fixed_effects.set_index("term").loc["time[week6]", "estimate"]
    assert fe == pytest.approx(pw.mean_diff, rel=1e-6)
