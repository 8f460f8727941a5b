"""Tests of stats.arms against R (tests/reference/designs_reference.R).

Reference values: tests/reference/designs_reference_values.csv, produced by
``Rscript designs_reference.R`` (R 4.2.2, effectsize 0.8.3) from designs_arms.csv:
unbalanced arms (8 relaxation vs 5-6 control), one participant without a post visit and one
with a missing pre score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from designs_reference import REF, ref

from msrelax_stats.errors import StudyDataError
from msrelax_stats.stats.arms import compare_arms, hedges_g, resolve_arms

OUTCOMES = ["fss_mean", "psqi_global"]


@pytest.fixture(scope="module")
def arms_data() -> pd.DataFrame:
    df = pd.read_csv(REF / "designs_arms.csv", dtype={"id": str})
    df["time"] = pd.Categorical(df["time"], ["pre", "post"], ordered=True)
    return df


@pytest.fixture(scope="module")
def result(arms_data):
    return compare_arms(arms_data, OUTCOMES)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_ancova_matches_r_lm(result, outcome):
    # R: lm(post ~ pre + group), control = reference level; summary() and confint()
    row = result.table.set_index("outcome").loc[outcome]
    term = "grouprelaxation"
    got = [
        row.ancova_diff,
        row.ancova_se,
        row.ancova_t,
        row.ancova_p,
        row.ancova_ci_low,
        row.ancova_ci_high,
        row.ancova_pre_slope,
        row.ancova_df,
    ]
    want = [
        ref("arms_lm", outcome, term, s) for s in ("estimate", "se", "t", "p", "ci_low", "ci_high")
    ]
    want += [ref("arms_lm", outcome, "pre", "estimate"), ref("arms_lm", outcome, "", "df_resid")]
    np.testing.assert_allclose(got, want, rtol=1e-6)
    # R: effectsize::eta_squared(fit, partial = TRUE), row "group"
    assert row.partial_eta_sq == pytest.approx(
        ref("arms_lm", outcome, "group", "partial_eta_sq"), rel=1e-6
    )


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_adjusted_means_match_r_predict(result, outcome):
    # R: predict(fit, data.frame(pre = mean(pre), group = ...), interval = "confidence")
    means = result.adjusted_means.set_index(["outcome", "group"])
    for arm in ("control", "relaxation"):
        got = means.loc[(outcome, arm), ["adjusted_mean", "ci_low", "ci_high"]].to_numpy(float)
        want = [
            ref("arms_adjusted", outcome, arm, s) for s in ("adjusted_mean", "ci_low", "ci_high")
        ]
        np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_welch_on_change_matches_r_t_test(result, outcome):
    # R: t.test(change ~ arm, var.equal = FALSE), arm levels relaxation, control
    row = result.table.set_index("outcome").loc[outcome]
    got = [
        row.welch_t,
        row.welch_df,
        row.welch_p,
        row.welch_diff,
        row.welch_ci_low,
        row.welch_ci_high,
    ]
    want = [
        ref("arms_welch", outcome, "", s)
        for s in ("t", "df", "p", "mean_diff", "ci_low", "ci_high")
    ]
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_hedges_g_matches_r_effectsize(result, outcome):
    # R: effectsize::hedges_g(change ~ arm) (pooled SD, noncentral-t CI). R finds the CI's
    # noncentrality parameters with optim(abstol = 1e-9), so the CI is compared to 1e-5.
    row = result.table.set_index("outcome").loc[outcome]
    assert row.hedges_g == pytest.approx(ref("arms_hedges", outcome, "", "g"), rel=1e-9)
    assert row.hedges_g < 0  # relaxation arm improved more: the sign is kept
    np.testing.assert_allclose(
        [row.hedges_g_ci_low, row.hedges_g_ci_high],
        [ref("arms_hedges", outcome, "", "ci_low"), ref("arms_hedges", outcome, "", "ci_high")],
        rtol=1e-5,
    )


def test_hedges_g_hand_computation():
    # x = 1,2,3; y = 2,3,4,5: s_p^2 = (2*1 + 3*5/3)/5 = 1.4; d = -1.5/sqrt(1.4);
    # J(5) = Gamma(2.5) / (sqrt(2.5) Gamma(2)) = 1.329340 / 1.581139; R effectsize gives -1.07
    res = hedges_g(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.0, 5.0]))
    assert res.g == pytest.approx(-1.5 / np.sqrt(1.4) * 1.3293403881791355 / np.sqrt(2.5))
    assert res.ci_low < res.g < res.ci_high
    assert np.isnan(hedges_g(np.array([1.0]), np.array([2.0, 3.0])).g)


def test_counts_and_exclusions(result):
    table = result.table.set_index("outcome")
    assert table.loc["fss_mean", ["n_treatment", "n_control"]].tolist() == [
        ref("arms", "fss_mean", "", "n_treatment"),
        ref("arms", "fss_mean", "", "n_control"),
    ]
    assert table.loc["psqi_global", ["n_treatment", "n_control"]].tolist() == [8, 6]
    ex = result.exclusions.set_index(["outcome", "id"])["reason"]
    assert ex[("fss_mean", "r09")] == "no post visit"
    assert ex[("fss_mean", "c06")] == "fss_mean missing at pre"
    assert ("psqi_global", "c06") not in ex.index


def test_arm_with_one_participant_gives_nan_and_note(arms_data):
    one = arms_data[~arms_data["id"].isin(["c02", "c03", "c04", "c05", "c06"])]
    res = compare_arms(one, ["fss_mean"])
    row = res.table.iloc[0]
    assert row.n_control == 1
    assert np.isnan(row.ancova_diff) and np.isnan(row.welch_p) and np.isnan(row.hedges_g)
    assert any("arm control has 1 participant" in note for note in res.notes)
    assert res.adjusted_means.empty


@pytest.mark.parametrize(
    ("labels", "control", "expected"),
    [
        (["PMR", "Usual Care"], None, ("Usual Care", "PMR")),
        (["wait-list", "relaxation"], None, ("wait-list", "relaxation")),
        (["A", "B"], "B", ("B", "A")),
        (["Control group", "PMR"], None, ("Control group", "PMR")),
    ],
)
def test_resolve_arms(labels, control, expected):
    df = pd.DataFrame({"id": ["1", "2"], "group": labels})
    assert resolve_arms(df, control) == expected


@pytest.mark.parametrize(
    ("labels", "control", "message"),
    [
        (["A", "B"], None, "cannot tell which arm is the control"),
        (["A", "B"], "C", "control arm is not one of the arm labels"),
        (["A", "B", "control"], None, "exactly two arm labels"),
    ],
)
def test_resolve_arms_errors(labels, control, message):
    df = pd.DataFrame({"id": [str(i) for i in range(len(labels))], "group": labels})
    with pytest.raises(StudyDataError, match=message):
        resolve_arms(df, control)


def test_participant_in_two_arms_is_named():
    df = pd.DataFrame({"id": ["1", "1", "2"], "group": ["control", "PMR", "PMR"]})
    with pytest.raises(StudyDataError) as info:
        resolve_arms(df)
    assert info.value.problems[0].participant == "1"
