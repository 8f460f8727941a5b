"""Tests of stats.imputation: statsmodels MICE configured, seeded, and left statsmodels'."""

# these tests check that numpy's legacy global state is left alone, so they use it
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from missing_reference import ONEGROUP_VISITS, read
from statsmodels.imputation.mice import MICEData

from msrelax_stats.stats import imputation
from msrelax_stats.stats._missing_table import MissingDesign, outcome_table
from msrelax_stats.stats.imputation import (
    ImputationError,
    _MainEffectsMICEData,
    impute_outcome,
    outcome_random_state,
    seeded_global_numpy,
)

DESIGN = MissingDesign(tuple(ONEGROUP_VISITS), "week12")


@pytest.fixture(scope="module")
def table():
    return outcome_table(read("missing_onegroup.csv", ONEGROUP_VISITS), "psqi_global", DESIGN)


def _frame(rng: np.random.Generator) -> pd.DataFrame:
    n = 30
    pre = rng.normal(5, 1, n)
    mid = pre - 0.5 + rng.normal(0, 0.6, n)
    post = pre - 0.8 + rng.normal(0, 0.7, n)
    post[:6] = np.nan
    pre[10] = np.nan
    mid[3] = np.nan
    frame = pd.DataFrame({"v0": pre, "v1": mid, "v2": post, "arm": (np.arange(n) % 2) * 1.0})
    frame.columns = pd.Index(list(frame.columns), dtype=object)
    return frame


@pytest.mark.skipif(not imputation._MICE_TAKES_RNG, reason="statsmodels < 0.15 has no rng")
def test_numpy_design_draws_exactly_what_stock_micedata_draws():
    data = _frame(np.random.default_rng(4))
    predictors = {c: [o for o in data.columns if o != c] for c in data.columns}
    runs = []
    for make in (
        lambda: MICEData(data, k_pmm=5, rng=np.random.RandomState(9)),
        lambda: _MainEffectsMICEData(data, predictors, k_pmm=5, rng=np.random.RandomState(9)),
    ):
        imp = make()
        for col in ("v0", "v1", "v2"):
            imp.set_imputer(col, formula=" + ".join(predictors[col]), k_pmm=5)
        draws = []
        for _ in range(15):
            imp.update_all(1)
            draws.append(imp.data.to_numpy().copy())
        runs.append(np.array(draws))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_same_seed_same_bytes_and_caller_rng_untouched(table):
    np.random.seed(123)
    expected_next = np.random.RandomState(123).random()
    a = impute_outcome(table, m=10, seed=4)
    assert np.random.random() == expected_next  # the caller's global stream did not move
    np.random.seed(999)  # a different global state before the call changes nothing
    b = impute_outcome(table, m=10, seed=4)
    assert a.values.tobytes() == b.values.tobytes()
    c = impute_outcome(table, m=10, seed=5)
    assert a.values.tobytes() != c.values.tobytes()


def test_observed_values_kept_and_imputed_values_are_observed_donors(table):
    imp = impute_outcome(table, m=20, seed=1)
    observed = np.isfinite(table.values)
    for values in imp.values:
        np.testing.assert_array_equal(values[observed], table.values[observed])
        for j in range(values.shape[1]):
            donors = table.values[observed[:, j], j]
            assert np.isin(values[~observed[:, j], j], donors).all()  # predictive mean matching
    assert np.isfinite(imp.values).all()
    # the imputations differ between data sets (between-imputation variance is not zero)
    assert imp.values[:, ~observed[:, 2], 2].std(axis=0).max() > 0


def test_chain_length_depends_on_the_number_of_incomplete_columns(table):
    several = impute_outcome(table, m=3, seed=1, n_burnin=7, n_skip=2)
    assert (several.n_burnin, several.n_skip) == (7, 2)
    df = read("missing_onegroup.csv", ONEGROUP_VISITS)
    only_end = df.loc[(df["id"] != "G17") & (df["time"] != "week6")]  # baseline complete
    one = outcome_table(only_end, "psqi_global", MissingDesign(("baseline", "week12"), "week12"))
    single = impute_outcome(one, m=3, seed=1, n_burnin=7, n_skip=2)
    assert (single.n_burnin, single.n_skip) == (0, 0)  # each cycle an independent draw


def test_k_pmm_reaches_statsmodels(monkeypatch, table):
    seen = []
    original = MICEData.impute_pmm

    def spy(self, vname):
        seen.append(self.k_pmm)
        return original(self, vname)

    monkeypatch.setattr(MICEData, "impute_pmm", spy)
    impute_outcome(table, m=2, seed=1, k_pmm=3, n_burnin=1, n_skip=0)
    assert seen and set(seen) == {3}  # not statsmodels' default of 20


def test_too_few_observed_endpoint_raises():
    df = pd.DataFrame(
        {
            "id": [str(i) for i in range(6) for _ in range(2)],
            "time": ["pre", "post"] * 6,
            "fss_mean": [5, 4, 6, np.nan, 5.5, np.nan, 4.8, np.nan, 5, np.nan, 6, np.nan],
        }
    )
    one = outcome_table(df, "fss_mean", MissingDesign(("pre", "post"), "post"))
    with pytest.raises(ImputationError, match="observed value"):
        impute_outcome(one, m=5)


def test_outcome_streams_are_independent_of_each_other():
    a = outcome_random_state(1, "fss_mean").random(3)
    b = outcome_random_state(1, "psqi_global").random(3)
    assert not np.array_equal(a, b)


def test_seeded_global_numpy_restores_on_error():
    np.random.seed(5)
    before = np.random.get_state()[1].copy()
    with pytest.raises(RuntimeError), seeded_global_numpy(np.random.RandomState(1)):
        np.random.random()
        raise RuntimeError
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def _arms_table(data=None):
    from missing_reference import ARMS_COVARIATES

    data = read("missing_arms.csv", ["pre", "post"]) if data is None else data
    design = MissingDesign(
        ("pre", "post"), "post", ("control", "relaxation"), tuple(ARMS_COVARIATES)
    )
    return outcome_table(data, "psqi_global", design)


def test_two_arms_are_imputed_separately_with_donors_from_their_own_arm():
    table = _arms_table()
    imp = impute_outcome(table, m=10, seed=1)
    assert imp.by_arm
    post = table.values[:, 1]
    for arm in (True, False):
        rows = table.treated == arm
        donors = post[rows & np.isfinite(post)]
        assert np.isin(imp.values[:, rows & np.isnan(post), 1], donors).all()
    together = impute_outcome(table, m=10, seed=1, by_arm=False)
    assert not together.by_arm and together.values.tobytes() != imp.values.tobytes()


def test_an_arm_too_small_to_impute_alone_falls_back_to_both_arms_together():
    data = read("missing_arms.csv", ["pre", "post"])
    control = data["group"] == "control"
    keep_ids = set(data.loc[control, "id"].unique()[:4]) | set(data.loc[~control, "id"])
    table = _arms_table(data[data["id"].isin(keep_ids)])
    imp = impute_outcome(table, m=5, seed=1)
    assert not imp.by_arm
    assert any("imputed together" in note for note in imp.notes)
