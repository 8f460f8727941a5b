"""Tests of stats.plan (the analysis plan) and stats.multiplicity (p-values by family).

The family adjustments are compared with R (tests/reference/trial_reference.R): ``p.adjust(p,
"holm")`` within each family (NA left out of the count, as R does) and the fixed-sequence rule
written in R as the running maximum ``cummax(p)`` (Westfall & Krishen 2001), a missing p
stopping the sequence. The plan checks compare with the documented messages
(docs/trial-analysis.md).
"""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd
import pytest
from designs_reference import REF, trial_ref

from msrelax_stats.errors import StudyDataError
from msrelax_stats.stats.multiplicity import adjust_by_family
from msrelax_stats.stats.plan import (
    AnalysisPlan,
    OutcomeFamily,
    default_plan,
    load_plan,
    plan_to_toml,
    validate_plan,
)

VISITS = ["baseline", "week6", "week12"]
ALL_SCORES = ["fss_mean", "psqi_global", *[f"psqi_c{i}" for i in range(1, 8)], "mfis_total",
              "mfis_physical", "mfis_cognitive", "mfis_psychosocial", "ess_total", "isi_total",
              "hads_anxiety", "hads_depression", "fss_sum", "psqi_efficiency"]  # fmt: skip


@pytest.fixture(scope="module")
def study() -> pd.DataFrame:
    """A scored table with several instruments, covariates and three visits (values are
    irrelevant to the plan; only the columns and visits are)."""
    trial = pd.read_csv(REF / "trial_data.csv", dtype={"id": str})
    trial["time"] = pd.Categorical(trial["time"], VISITS, ordered=True)
    extra = {c: np.linspace(0, 1, len(trial)) for c in ALL_SCORES if c not in trial.columns}
    return trial.assign(**extra)


def _messages(plan, study) -> list[str]:
    with pytest.raises(StudyDataError) as info:
        validate_plan(plan, study)
    return [str(p) for p in info.value.problems]


def test_default_plan_families(study):
    plan = validate_plan(None, study)
    assert plan.primary == OutcomeFamily("primary", ("fss_mean", "psqi_global"), "holm")
    assert plan.secondary == OutcomeFamily(
        "secondary",
        ("mfis_total", "ess_total", "isi_total", "hads_anxiety", "hads_depression"),
        "holm",
    )
    assert plan.exploratory == OutcomeFamily(
        "exploratory",
        (*[f"psqi_c{i}" for i in range(1, 8)], "mfis_physical", "mfis_cognitive",
         "mfis_psychosocial"),
        "none",
    )  # fmt: skip
    assert (plan.endpoint, plan.covariates, plan.primary_test, plan.alpha) == (
        "week12",
        (),
        "t",
        0.05,
    )
    assert plan.source == "default"
    # no FSS or PSQI: the first headline outcome is primary
    other = default_plan(study[["id", "time", "ess_total", "isi_total"]])
    assert other.primary.outcomes == ("ess_total",) and other.secondary.outcomes == ("isi_total",)


def test_toml_file_and_dict_give_the_same_plan(tmp_path, study):
    text = """
endpoint = "week6"
covariates = ["age", "sex", "edss"]
primary_test = "wilcoxon"
alpha = 0.025

[primary]
outcomes = ["fss_mean"]
multiplicity = "fixed-sequence"

[secondary]
outcomes = ["psqi_global", "mfis_total"]
"""
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    from_file = load_plan(path)
    from_dict = load_plan(tomllib.loads(text))
    assert from_file == from_dict
    assert from_file.source == str(path) and from_dict.source == "dict"
    assert from_file.primary.multiplicity == "fixed-sequence"
    assert from_file.secondary.multiplicity == "holm"  # the family's default rule
    assert from_file.exploratory is None
    plan = validate_plan(path, study)
    # the outcomes the plan does not place: headline scores to exploratory (a secondary
    # family is given), subscales too
    assert plan.exploratory.outcomes == (
        "ess_total", "isi_total", "hads_anxiety", "hads_depression",
        *[f"psqi_c{i}" for i in range(1, 8)], "mfis_physical", "mfis_cognitive",
        "mfis_psychosocial",
    )  # fmt: skip
    assert plan.filled == ("exploratory",)


def test_partial_plan_fills_families_by_role(study):
    plan = validate_plan({"primary": ["psqi_global"], "endpoint": "week6"}, study)
    # fss_mean, a default primary outcome, becomes secondary beside the other headlines
    assert plan.secondary.outcomes == ("fss_mean", "mfis_total", "ess_total", "isi_total",
                                       "hads_anxiety", "hads_depression")  # fmt: skip
    assert plan.exploratory.outcomes[0] == "psqi_c1"
    assert plan.filled == ("secondary", "exploratory")


def test_plan_round_trips_through_toml_and_dict(study):
    plan = validate_plan({"primary": {"outcomes": ["fss_mean", "psqi_global"],
                                      "multiplicity": "fixed-sequence"},
                          "covariates": ["age", "sex"], "endpoint": "week6"}, study)  # fmt: skip
    text = plan_to_toml(plan, study)
    assert load_plan(tomllib.loads(text)) == plan
    assert load_plan(plan.to_dict()) == plan
    assert "# Columns that could be covariates: age, sex, edss." in text
    assert (
        "# Study: 30 participants; visits: baseline, week6, week12; arms: control, relaxation."
        in text
    )
    assert plan.to_dict()["primary"] == {"outcomes": ["fss_mean", "psqi_global"],
                                         "multiplicity": "fixed-sequence"}  # fmt: skip


def test_unknown_outcome_endpoint_and_covariate_are_named(study):
    messages = _messages(
        {"primary": ["fss_total"], "endpoint": "week8", "covariates": ["bmi", "psqi_global"]},
        study,
    )
    assert messages[0].startswith(
        "plan key 'primary': value 'fss_total' is not an outcome of the study (outcomes: fss_mean, "
    )
    assert (
        "plan key 'endpoint': value 'week8' is not a visit; the endpoint is a follow-up "
        "visit (week6, week12)" in messages
    )
    assert "plan key 'covariates': value 'bmi' is not a column of the study" in messages
    assert ("plan key 'covariates': value 'psqi_global' is a structural column or an outcome, "
            "not a covariate") in messages  # fmt: skip
    assert len(messages) == 4
    baseline = _messages({"endpoint": "baseline"}, study)
    assert baseline == ["plan key 'endpoint': value 'baseline' is the baseline visit; the endpoint "
                        "is a follow-up visit (week6, week12)"]  # fmt: skip


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ({"alpha": "0.05"}, "plan key 'alpha': value '0.05' must be a number between 0 and 1"),
        ({"alpha": 1.5}, "plan key 'alpha': value 1.5 must be a number between 0 and 1"),
        ({"covariates": "age"}, "plan key 'covariates': value 'age' must be a list of names (text)"),
        ({"primary_test": "z"}, "plan key 'primary_test': value 'z' must be 't' or 'wilcoxon'"),
        ({"endpoint": 6}, "plan key 'endpoint': value 6 must be a visit label (text)"),
        ({"primary": {"outcomes": ["fss_mean"], "multiplicity": "bonferroni"}},
         "plan key 'primary.multiplicity': value 'bonferroni' must be one of holm, "
         "fixed-sequence, none"),
        ({"primary": {"outcome": ["fss_mean"]}},
         "unknown plan key 'primary.outcome' (a family has 'outcomes' and 'multiplicity')"),
        ({"covariate": ["age"]}, "unknown plan key 'covariate' (known: endpoint, covariates, "
         "primary_test, alpha, missing, primary, secondary, exploratory)"),
        ({"primary": ["fss_mean"], "secondary": ["fss_mean"]},
         "plan key 'secondary': value 'fss_mean' is already in family 'primary'"),
        ({"primary": []}, "plan key 'primary': value [] must name at least one outcome"),
    ],
)  # fmt: skip
def test_wrong_types_name_key_and_value(plan, message):
    with pytest.raises(StudyDataError) as info:
        load_plan(plan)
    assert message in [str(p) for p in info.value.problems]


def test_bad_toml_names_file_line_and_column(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text('endpoint = "week6"\nalpha 0.05\n', encoding="utf-8")
    with pytest.raises(StudyDataError) as info:
        load_plan(path)
    text = str(info.value)
    assert text.startswith(f"{path}: is not valid TOML: ")
    assert "(at line 2, column 7)" in text
    with pytest.raises(StudyDataError, match="plan file not found"):
        load_plan(tmp_path / "missing.toml")


def test_covariate_mixing_numbers_and_text_is_an_error(study):
    bad = study.astype({"age": object})
    bad.loc[0, "age"] = "unknown"
    with pytest.raises(StudyDataError, match="value 'unknown' is not a number"):
        validate_plan({"covariates": ["age"]}, bad)


FAMILY_OUTCOMES = ["fss_mean", "psqi_global", "mfis_total", "ess_total", "isi_total",
                   "hads_anxiety", "psqi_c1", "psqi_c2", "mfis_physical"]  # fmt: skip
FAMILY_OF = dict(zip(FAMILY_OUTCOMES, ["primary"] * 2 + ["secondary"] * 4 + ["exploratory"] * 3,
                     strict=True))  # fmt: skip


def _family_table() -> pd.DataFrame:
    return pd.DataFrame({"outcome": FAMILY_OUTCOMES,
                         "p": [trial_ref("family_input", o, FAMILY_OF[o], "p")
                               for o in FAMILY_OUTCOMES]})  # fmt: skip


def _plan(primary="holm", secondary="holm") -> AnalysisPlan:
    return load_plan({
        "primary": {"outcomes": FAMILY_OUTCOMES[:2], "multiplicity": primary},
        "secondary": {"outcomes": FAMILY_OUTCOMES[2:6], "multiplicity": secondary},
        "exploratory": FAMILY_OUTCOMES[6:],
    })  # fmt: skip


def test_holm_within_each_family_matches_r_p_adjust():
    table = _family_table().iloc[::-1]  # table order does not matter
    out = adjust_by_family(table, _plan()).set_index("outcome")
    for o in FAMILY_OUTCOMES:
        assert out.loc[o, "family"] == FAMILY_OF[o]
        if FAMILY_OF[o] == "exploratory":  # rule none: unadjusted
            assert out.loc[o, "p_adjusted"] == out.loc[o, "p"]
            continue
        want = trial_ref("family_holm", o, FAMILY_OF[o], "p_adjusted")
        if np.isnan(want):
            assert np.isnan(out.loc[o, "p_adjusted"])
        else:
            assert out.loc[o, "p_adjusted"] == pytest.approx(want, rel=1e-12)


def test_fixed_sequence_matches_running_maximum_in_plan_order():
    table = _family_table().sample(frac=1.0, random_state=4)
    out = adjust_by_family(table, _plan("fixed-sequence", "fixed-sequence")).set_index("outcome")
    for o in FAMILY_OUTCOMES[:6]:
        want = trial_ref("family_fixed_sequence", o, FAMILY_OF[o], "p_adjusted")
        got = out.loc[o, "p_adjusted"]
        assert (np.isnan(got) and np.isnan(want)) or got == pytest.approx(want, rel=1e-12), o
    # isi_total (p missing) stops the sequence: hads_anxiety, after it, cannot be rejected
    assert out.loc["hads_anxiety", "p_adjusted"] == 1.0


def test_adjustment_within_groups_and_unplanned_outcomes():
    table = pd.concat([_family_table().assign(group=g) for g in ("control", "relaxation")])
    table.loc[table.group == "relaxation", "p"] = table.loc[table.group == "relaxation", "p"] / 2
    table = pd.concat([table, pd.DataFrame({"outcome": ["nrs_pain"], "p": [0.01],
                                            "group": ["control"]})])  # fmt: skip
    out = adjust_by_family(table, _plan(), by=["group"])
    ctl = out[(out.group == "control") & (out.outcome == "fss_mean")]["p_adjusted"].item()
    rel = out[(out.group == "relaxation") & (out.outcome == "fss_mean")]["p_adjusted"].item()
    assert ctl == pytest.approx(trial_ref("family_holm", "fss_mean", "primary", "p_adjusted"))
    # Holm within the relaxation arm of (0.0123 / 2, 0.0311 / 2): 2 x 0.00615 for the smaller
    assert rel == pytest.approx(0.0123, rel=1e-12)
    unplanned = out[out.outcome == "nrs_pain"].iloc[0]
    assert unplanned["family"] == "" and np.isnan(unplanned["p_adjusted"])
