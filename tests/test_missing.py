"""Tests of stats.missing against R (tests/reference/missing_reference.R).

Reference values: tests/reference/missing_reference_values.csv, produced by
``Rscript missing_reference.R`` (R 4.2.2, mice 3.15.0, lme4 1.1-31) from the synthetic studies
missing_onegroup.csv (one group, three visits, dropout and unscored visits) and missing_arms.csv
(two arms, covariates age and sex), and from the imputations our code wrote for them
(missing_imputations_*.csv, re-pooled in R by ``pool(with(as.mids(long), lm(...)))``). The
fixtures pool those same imputations (``missing_reference.committed_draws``): the draws of
predictive mean matching differ in a few donors between CPUs, which the R comparison must not
depend on; the draws of this machine are checked for what holds everywhere.
"""

# these tests check that numpy's legacy global state is left alone, so they use it
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from missing_reference import (
    ARMS_COVARIATES,
    ONEGROUP_VISITS,
    OPTIONS,
    committed_draws,
    read,
    ref,
    ref_block,
)

from msrelax_stats.errors import StudyDataError
from msrelax_stats.stats.arms import compare_arms
from msrelax_stats.stats.compare import compare
from msrelax_stats.stats.missing import (
    ESTIMATE_COLUMNS,
    MissingDataOptions,
    analyze_missing,
)

OUTCOMES = ["fss_mean", "psqi_global"]
ALL = MissingDataOptions(m=OPTIONS.m, seed=OPTIONS.seed)
STATS = {  # our column -> R's statistic name
    "estimate": "estimate",
    "se": "se",
    "statistic": "statistic",
    "df": "df",
    "p": "p",
    "ci_low": "ci_low",
    "ci_high": "ci_high",
}
POOLING = {"m": "m", "ubar": "ubar", "b": "b", "dfcom": "dfcom", "riv": "riv",
           "lambda": "lambda", "fmi": "fmi"}  # fmt: skip


@pytest.fixture(scope="module")
def onegroup_data():
    return read("missing_onegroup.csv", ONEGROUP_VISITS)


@pytest.fixture(scope="module")
def arms_data():
    return read("missing_arms.csv", ["pre", "post"])


@pytest.fixture(scope="module")
def onegroup(onegroup_data):
    with committed_draws("missing_imputations_onegroup.csv"):
        return analyze_missing(onegroup_data, OUTCOMES, ONEGROUP_VISITS, options=ALL)


@pytest.fixture(scope="module")
def arms(arms_data):
    with committed_draws("missing_imputations_arms.csv"):
        return analyze_missing(
            arms_data, OUTCOMES, ["pre", "post"], covariates=ARMS_COVARIATES, options=ALL
        )


def _row(result, outcome, analysis):
    est = result.estimates
    return est[(est.outcome == outcome) & (est.analysis == analysis)].iloc[0]


@pytest.mark.parametrize("design", ["onegroup", "arms"])
def test_drawn_imputations_keep_the_observed_values_and_impute_from_donors(
    onegroup_data, arms_data, design
):
    # the draws of this machine (the fixtures use the committed ones, committed_draws): every
    # observed score kept in every completed set, every imputed one a value observed for the
    # same outcome and visit (predictive mean matching imputes donors' values, van Buuren
    # 2018 section 3.4), and the m sets not all alike
    if design == "onegroup":
        res = analyze_missing(onegroup_data, OUTCOMES, ONEGROUP_VISITS, options=ALL)
    else:
        res = analyze_missing(arms_data, OUTCOMES, ["pre", "post"],
                              covariates=ARMS_COVARIATES, options=ALL)  # fmt: skip
    long = res.imputations
    observed = long[long[".imp"] == 0].reset_index(drop=True)
    scores = [c for c in long.columns if c.startswith(tuple(f"{o}_" for o in OUTCOMES))]
    filled = 0
    for k in range(1, OPTIONS.m + 1):
        block = long[long[".imp"] == k].reset_index(drop=True)
        for column in scores:
            seen = observed[column].notna()
            assert (block.loc[seen, column] == observed.loc[seen, column]).all(), column
            imputed = block.loc[~seen, column].dropna()
            donors = set(observed.loc[seen, column])
            assert set(imputed) <= donors, column
            filled += imputed.size
    assert filled > 0
    first, second = (long.loc[long[".imp"] == k, scores].to_numpy() for k in (1, 2))
    assert not np.array_equal(first, second, equal_nan=True)


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize(
    ("fixture", "design", "term"),
    [("onegroup", "onegroup", "(Intercept)"), ("arms", "arms", "grouprelaxation")],
)
def test_mi_matches_mice_pool(request, fixture, design, term, outcome):
    # R: summary(pool(with(as.mids(long), lm(...))), conf.int = TRUE) and pool()$pooled
    row = _row(request.getfixturevalue(fixture), outcome, "mi")
    expected = ref_block(f"mi_{design}", outcome, term)
    for ours, theirs in {**STATS, **POOLING}.items():
        assert row[ours] == pytest.approx(expected[theirs], rel=1e-6, abs=1e-9), ours


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize("analysis", ["complete", "bocf"])
@pytest.mark.parametrize(
    ("fixture", "design", "term"),
    [("onegroup", "onegroup", "(Intercept)"), ("arms", "arms", "grouprelaxation")],
)
def test_complete_cases_and_bocf_match_r_lm(request, fixture, design, term, analysis, outcome):
    # R: lm(I(week12 - baseline) ~ 1) / lm(post ~ pre + group + age + sex); summary, confint
    row = _row(request.getfixturevalue(fixture), outcome, analysis)
    expected = ref_block(f"{analysis}_{design}", outcome, term)
    for ours, theirs in STATS.items():
        assert row[ours] == pytest.approx(expected[theirs], rel=1e-6, abs=1e-9), ours
    assert row["n"] == expected["n"]


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize(
    ("fixture", "design", "term"),
    [("onegroup", "onegroup", "timeweek12"), ("arms", "arms", "timepost:grouprelaxation")],
)
def test_mixed_matches_lme4(request, fixture, design, term, outcome):
    # R: lmerTest::lmer(y ~ time + (1 | id)) / (y ~ time * group + age + sex + (1 | id)), REML
    row = _row(request.getfixturevalue(fixture), outcome, "mixed")
    assert row["estimate"] == pytest.approx(
        ref(f"mixed_{design}", outcome, term, "estimate"), abs=1e-4
    )
    assert row["se"] == pytest.approx(ref(f"mixed_{design}", outcome, term, "se"), abs=1e-4)
    assert row["n"] == ref(f"mixed_{design}", outcome, term, "n")
    assert row["df"] == pytest.approx(ref(f"mixed_{design}", outcome, term, "df"), rel=1e-4)
    assert row["p"] == pytest.approx(ref(f"mixed_{design}", outcome, term, "p"), rel=1e-4)
    assert row["inference"] == "Satterthwaite t (REML)"


def test_estimates_table_shape(onegroup):
    est = onegroup.estimates
    assert list(est.columns) == ESTIMATE_COLUMNS
    assert est["analysis"].tolist() == ["mi", "mixed", "complete", "bocf"] * 2
    assert (est.loc[est.analysis == "mi", "role"] == "primary").all()
    assert (est.loc[est.analysis != "mi", "role"] == "sensitivity").all()
    numeric = [c for c in ESTIMATE_COLUMNS if c not in ("outcome", "analysis", "role",
                                                        "estimand", "inference")]  # fmt: skip
    assert all(pd.api.types.is_numeric_dtype(est[c]) for c in numeric)


def _no_missing_onegroup(onegroup_data):
    complete = onegroup_data.dropna(subset=OUTCOMES)
    wide = complete.pivot(index="id", columns="time", values="fss_mean")
    keep = wide.dropna().index
    return complete[complete["id"].isin(keep)]


def test_no_missing_data_mi_equals_complete_cases_exactly(onegroup_data):
    data = _no_missing_onegroup(onegroup_data)
    res = analyze_missing(data, ["fss_mean"], ONEGROUP_VISITS, options=MissingDataOptions(m=5))
    mi, cc = _row(res, "fss_mean", "mi"), _row(res, "fss_mean", "complete")
    assert mi["estimate"] == cc["estimate"] and mi["se"] == cc["se"]
    assert mi["b"] == 0 and len(res.imputed) == 0
    # and the same as the paired analysis the project already has (stats.compare)
    paired = compare(data, ["fss_mean"], visits=("baseline", "week12"), n_boot=200).table.iloc[0]
    assert mi["estimate"] == pytest.approx(paired["diff_mean"], rel=1e-12)
    assert mi["se"] == pytest.approx(paired["diff_sd"] / np.sqrt(paired["n"]), rel=1e-12)


def test_no_missing_data_two_arms_equals_ancova(arms_data):
    gone = arms_data.groupby("id")["fss_mean"].transform(lambda x: x.isna().any() or len(x) < 2)
    data = arms_data[~gone.astype(bool)]
    res = analyze_missing(data, ["fss_mean"], options=MissingDataOptions(m=5))
    mi, cc = _row(res, "fss_mean", "mi"), _row(res, "fss_mean", "complete")
    assert mi["estimate"] == cc["estimate"] and mi["se"] == cc["se"]
    ancova = compare_arms(data, ["fss_mean"]).table.iloc[0]
    assert mi["estimate"] == pytest.approx(ancova["ancova_diff"], rel=1e-10)
    assert mi["se"] == pytest.approx(ancova["ancova_se"], rel=1e-10)


def test_ledger_of_imputed_cells(onegroup):
    led = onegroup.imputed.set_index(["id", "outcome", "visit"])["reason"]
    assert led[("G03", "fss_mean", "week12")] == "imputed: missing visit"
    assert led[("G11", "psqi_global", "week6")] == "imputed: missing visit"
    assert led[("G17", "psqi_global", "baseline")] == "imputed: score missing (items missing)"
    assert ("G26", "fss_mean", "week12") not in led.index  # nothing to impute from
    assert len(led) == 2 * 5 + 1  # 5 missing visits x 2 outcomes, 1 unscored baseline
    # per outcome the ledger counts exactly the missing cells of the imputed participants
    block = onegroup.imputations[onegroup.imputations[".imp"] == 0]
    assert block["psqi_global_week12"].isna().sum() == (
        led.xs("psqi_global", level="outcome").xs("week12", level="visit").size
    )


def test_exclusions(onegroup, arms):
    ex = onegroup.exclusions
    assert ex[(ex.id == "G26") & (ex.outcome == "fss_mean")]["analysis"].tolist() == ["all"]
    assert set(ex[ex.analysis == "complete"]["id"]) == {"G03", "G08", "G14", "G17", "G21"}
    assert ex[(ex.id == "G17") & (ex.analysis == "bocf")]["reason"].tolist() == [
        "baseline missing: nothing to carry forward"
    ]
    ax = arms.exclusions
    age = ax[ax.id == "A31"]
    assert set(age["reason"]) == {"covariate age missing"} and set(age["analysis"]) == {"all"}


def test_imputations_long_layout(arms, arms_data):
    long = arms.imputations
    assert list(long.columns[:6]) == [".imp", ".id", "id", "group", "age", "sex"]
    assert sorted(long[".imp"].unique()) == list(range(OPTIONS.m + 1))
    ids = pd.unique(arms_data["id"])
    for _, block in long.groupby(".imp"):
        assert block["id"].tolist() == list(ids)
        assert block[".id"].tolist() == list(range(1, len(ids) + 1))
    observed = long[long[".imp"] == 0].set_index("id")
    assert np.isnan(observed.loc["A02", "fss_mean_post"])
    assert (
        observed.loc["A01", "fss_mean_pre"]
        == arms_data.query("id == 'A01' and time == 'pre'")["fss_mean"].iloc[0]
    )
    first = long[long[".imp"] == 1].set_index("id")
    assert np.isfinite(first.loc["A02", "fss_mean_post"])
    scores = [c for c in long.columns if c.startswith(("fss_mean_", "psqi_global_"))]
    seen = observed[scores].notna().to_numpy()
    np.testing.assert_array_equal(first[scores].to_numpy()[seen], observed[scores].to_numpy()[seen])


def test_deterministic_and_caller_rng_untouched(arms_data):
    np.random.seed(42)
    expected_next = np.random.RandomState(42).random()
    a = analyze_missing(arms_data, ["psqi_global"], options=MissingDataOptions(m=5))
    assert np.random.random() == expected_next
    b = analyze_missing(arms_data, ["psqi_global"], options=MissingDataOptions(m=5))
    pd.testing.assert_frame_equal(a.estimates, b.estimates)
    assert a.imputations.to_csv() == b.imputations.to_csv()


def test_outcome_result_does_not_depend_on_the_other_outcomes(arms_data):
    alone = analyze_missing(arms_data, ["psqi_global"], options=MissingDataOptions(m=5))
    both = analyze_missing(arms_data, OUTCOMES[::-1], options=MissingDataOptions(m=5))
    assert (
        _row(alone, "psqi_global", "mi")["estimate"] == _row(both, "psqi_global", "mi")["estimate"]
    )


def test_bad_design_inputs(arms_data):
    with pytest.raises(StudyDataError, match="endpoint"):
        analyze_missing(arms_data, ["fss_mean"], endpoint="pre")
    with pytest.raises(StudyDataError, match="visit not found"):
        analyze_missing(arms_data, ["fss_mean"], ["pre", "week6"])
    with pytest.raises(StudyDataError, match="covariate column not found"):
        analyze_missing(arms_data, ["fss_mean"], covariates=["edss"])
    varying = arms_data.assign(age=np.arange(len(arms_data), dtype=float))
    with pytest.raises(StudyDataError, match="different values at different visits"):
        analyze_missing(varying, ["fss_mean"], covariates=["age"])
    with pytest.raises(ValueError, match="needs 'mi'"):
        MissingDataOptions(analyses=("complete", "tipping"), primary="complete")


def test_primary_choice_and_subset_of_analyses(arms_data):
    res = analyze_missing(
        arms_data,
        ["fss_mean"],
        options=MissingDataOptions(primary="mixed", analyses=("mixed", "complete")),
    )
    assert res.estimates[["analysis", "role"]].values.tolist() == [
        ["mixed", "primary"],
        ["complete", "sensitivity"],
    ]
    assert res.imputations.empty and res.tipping.empty


def test_degenerate_outcomes_give_nan_with_notes_not_errors():
    df = pd.DataFrame(
        {
            "id": np.repeat([str(i) for i in range(8)], 2),
            "time": ["pre", "post"] * 8,
            "fss_mean": [5.0, np.nan] * 8,  # no endpoint observed at all
        }
    )
    res = analyze_missing(df, ["fss_mean"], options=MissingDataOptions(m=5))
    mi = _row(res, "fss_mean", "mi")
    assert np.isnan(mi["estimate"]) and mi["n"] == 8
    assert any("no multiple imputation" in note for note in res.notes)
    assert _row(res, "fss_mean", "bocf")["estimate"] == 0  # everyone carried forward
