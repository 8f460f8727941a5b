"""Cronbach's alpha, Feldt CI, omega total and floor/ceiling against R (psych 2.2.9).

Reference values: ``tests/reference/reliability_reference.csv``, produced by
``tests/reference/reliability_reference.R`` from ``data/sample/pmr_study.csv`` and R's
``attitude`` data set (stored as ``reliability_attitude.csv``): ``psych::alpha``,
``psych::alpha.ci`` and ``psych::omega(x, nfactors = 1)``, on complete cases.
"""

import doctest
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import msrelax_stats as mrs
from msrelax_stats.instruments.registry import instrument_spec
from msrelax_stats.stats import reliability
from msrelax_stats.stats import reliability_table as reliability_table_module
from msrelax_stats.stats.reliability import cronbach_alpha, floor_ceiling, omega_total
from msrelax_stats.stats.reliability_table import (
    RELIABILITY_COLUMNS,
    Scale,
    instrument_scales,
    reliability_table,
)

ROOT = Path(__file__).parents[1]
REF = pd.read_csv(ROOT / "tests" / "reference" / "reliability_reference.csv")
SAMPLE = REF[REF["dataset"] == "pmr_study"]
ATTITUDE = pd.read_csv(ROOT / "tests" / "reference" / "reliability_attitude.csv")


@pytest.fixture(scope="module")
def table():
    scored = mrs.score(mrs.read_study(ROOT / "data" / "sample" / "pmr_study.csv"))
    return reliability_table(scored).set_index(["scale", "time"])


def test_sample_rows_match_psych(table):
    for ref in SAMPLE.itertuples():
        got = table.loc[(ref.scale, ref.visit)]
        where = f"{ref.scale} at {ref.visit}"
        assert got["n_items"] == ref.n_items, where
        assert got["n_complete"] == ref.n_complete, where
        assert got["alpha"] == pytest.approx(ref.raw_alpha, abs=1e-10), where
        assert got["alpha_ci_low"] == pytest.approx(ref.feldt95_low, abs=1e-10), where
        assert got["alpha_ci_high"] == pytest.approx(ref.feldt95_high, abs=1e-10), where
        assert got["floor_pct"] == pytest.approx(ref.floor_pct, abs=1e-10), where
        assert got["ceiling_pct"] == pytest.approx(ref.ceiling_pct, abs=1e-10), where
        if np.isnan(ref.omega_tot):  # 2 items (MFIS psychosocial): not identified
            assert np.isnan(got["omega_total"]) and "fewer than 3 items" in got["note"]
        else:
            assert got["omega_total"] == pytest.approx(ref.omega_tot, abs=1e-6), where
            assert got["omega_total"] == pytest.approx(ref.omega_tot_tight, abs=1e-8), where


def test_every_reference_scale_is_in_the_table(table):
    # the default scales of the sample: FSS, MFIS (total + 3 subscales), ESS, ISI (+ PSQI)
    keys = set(table.index)
    assert {(r.scale, r.visit) for r in SAMPLE.itertuples()} <= keys
    assert ("psqi_global", "pre") in keys
    assert list(table.reset_index().columns) == ["scale", "time"] + [
        c for c in RELIABILITY_COLUMNS if c not in ("scale", "time")
    ]


def test_negative_loading_is_reversed_as_psych_does(table):
    # ESS at post: item 6 loads -0.005 (psych prints "ess_6-"); omega.tot 0.7383 with the
    # flip, 0.7368 without it (tests/reference/reliability_reference.R)
    assert "ess_6" in table.loc[("ess_total", "post"), "note"]


def test_attitude_matches_psych():
    ref = REF[REF["dataset"] == "attitude"].iloc[0]
    alpha = cronbach_alpha(ATTITUDE)
    assert (alpha.n, alpha.n_items) == (30, 7)
    assert alpha.alpha == pytest.approx(ref.raw_alpha, abs=1e-10)
    assert (alpha.ci_low, alpha.ci_high) == pytest.approx(
        (ref.feldt95_low, ref.feldt95_high), abs=1e-10
    )
    at90 = cronbach_alpha(ATTITUDE, ci_level=0.90)
    assert (at90.ci_low, at90.ci_high) == pytest.approx(
        (ref.feldt90_low, ref.feldt90_high), abs=1e-10
    )
    omega = omega_total(ATTITUDE)
    assert omega.omega_total == pytest.approx(ref.omega_tot, abs=1e-6)
    assert omega.omega_total == pytest.approx(ref.omega_tot_tight, abs=1e-8)
    assert max(omega.loadings) == pytest.approx(ref.minres_loading_max, abs=1e-6)
    assert min(omega.loadings) == pytest.approx(ref.minres_loading_min, abs=1e-6)


def test_feldt_90_on_the_sample():
    d = pd.read_csv(ROOT / "data" / "sample" / "pmr_study.csv")
    ref = SAMPLE[(SAMPLE["scale"] == "fss_mean") & (SAMPLE["visit"] == "pre")].iloc[0]
    res = cronbach_alpha(d.loc[d["time"] == "pre", [f"fss_{i}" for i in range(1, 10)]], 0.90)
    assert (res.ci_low, res.ci_high) == pytest.approx(
        (ref.feldt90_low, ref.feldt90_high), abs=1e-10
    )


def test_incomplete_rows_are_left_out():
    # alpha of the 3 complete rows equals alpha of those rows alone
    x = pd.DataFrame({"a": [1, 2, 3, 4, np.nan], "b": [2, 2, 4, np.nan, 1], "c": [1, 3, 3, 5, 2]})
    assert cronbach_alpha(x).n == 3
    assert cronbach_alpha(x).alpha == pytest.approx(cronbach_alpha(x.iloc[:3]).alpha)


def test_reverse_keyed_items_are_recoded_before_alpha():
    # b is a reversed copy of a on 1-5 (b = 6 - a): recoded, a and b are identical items
    a = np.array([1, 2, 3, 4, 5, 2])
    frame = pd.DataFrame({"id": list("abcdef"), "time": "pre", "x_1": a, "x_2": 6 - a,
                          "x_3": [1, 3, 3, 4, 4, 2]})  # fmt: skip
    scale = Scale("x_total", "X", ("x_1", "x_2", "x_3"), 1, 5, 3, 15, reverse=("x_2",))
    got = reliability_table(frame, [scale]).iloc[0]
    plain = cronbach_alpha(np.column_stack([a, a, frame["x_3"]]))
    assert got["alpha"] == pytest.approx(plain.alpha)


def test_degenerate_inputs_give_nan_with_a_reason():
    assert "fewer than 2 items" in cronbach_alpha([[1], [2], [3]]).note
    assert np.isnan(cronbach_alpha([[1, 1], [1, 1], [1, 1]]).alpha)
    flat = omega_total([[1, 2, 3], [1, 3, 2], [1, 4, 4], [1, 1, 2]])
    assert np.isnan(flat.omega_total) and "item 1 does not vary" in flat.note
    assert "fewer than 3 complete cases" in omega_total([[1, 2, 3], [2, 3, 4]]).note


def test_heywood_case_is_not_reported():
    # data whose correlation matrix is exactly r12 = r13 = .6, r23 = .25: three items fit one
    # factor exactly with l2 = l3 = sqrt(.6 * .25 / .6) = .5 and l1 = .6 / .5 = 1.2 > 1
    rng = np.random.default_rng(3)
    raw = rng.standard_normal((50, 3))
    raw -= raw.mean(axis=0)
    white = raw @ np.linalg.inv(np.linalg.cholesky(np.cov(raw, rowvar=False)).T)
    corr = np.array([[1, 0.6, 0.6], [0.6, 1, 0.25], [0.6, 0.25, 1]])
    values = white @ np.linalg.cholesky(corr).T
    res = omega_total(values)
    assert res.loadings == pytest.approx((1.2, 0.5, 0.5), abs=1e-8)
    assert np.isnan(res.omega_total) and "Heywood" in res.note and "item 1" in res.note


def test_singular_correlation_matrix():
    # 6 participants, 9 items: R is singular and a diagonal element of its inverse is 0, so
    # the squared multiple correlations (the start of the minres fit) are undefined; R:
    # psych::omega(x, nfactors = 1)$omega.tot = 0.8418062 (tests/reference/
    # reliability_reference.R, last lines; psych warns "smcs < 0 were set to .0")
    x = [[1, 3, 4, 5, 4, 2, 2, 5, 6], [5, 2, 6, 6, 7, 6, 2, 3, 5], [3, 1, 3, 1, 7, 5, 5, 2, 4],
         [1, 5, 5, 4, 7, 7, 2, 5, 5], [6, 6, 5, 1, 5, 2, 6, 7, 4], [3, 7, 4, 3, 2, 2, 5, 6, 3]]  # fmt: skip
    res = omega_total(x)
    assert res.omega_total == pytest.approx(0.8418062, abs=1e-6)
    assert res.reversed_items == ("item 1", "item 2", "item 7", "item 8")


def test_floor_ceiling_by_hand():
    # 8 scores on 0-24: two at 0 (25 %), one at 24 (12.5 %), one missing left out of 9
    floor, ceiling, n = floor_ceiling([0, 0, 24, 3, 5, 7, 9, 11, np.nan], 0, 24)
    assert (floor, ceiling, n) == (25.0, 12.5, 8)
    assert floor_ceiling([1.0, 7.0, 7.0, 4.5], 1, 7) == (25.0, 50.0, 4)  # mean scores


def test_scales_of_the_instruments():
    spec = instrument_spec("fss")
    names = [s.name for s in instrument_scales(spec, [f"fss_{i}" for i in range(1, 10)])]
    assert names == ["fss_mean"]  # fss_sum is not reported; FSS-7 only without the full form
    short = instrument_scales(spec, [f"fss_{i}" for i in range(3, 10)])
    assert [s.name for s in short] == ["fss7_mean"]
    (fss,) = instrument_scales(spec, [f"fss_{i}" for i in range(1, 10)])
    assert (fss.score_min, fss.score_max, fss.method) == (1.0, 7.0, "mean")
    hads = instrument_scales(instrument_spec("hads").with_options(input_coding="endorsement"),
                             [f"hads_{i}" for i in range(1, 15)])  # fmt: skip
    assert hads[0].reverse == ("hads_7",) and hads[1].reverse == (
        "hads_2", "hads_4", "hads_6", "hads_12", "hads_14")  # fmt: skip
    assert instrument_scales(instrument_spec("nrs"), ["nrs_pain"]) == []  # single items
    assert instrument_scales(instrument_spec("psqi"), ["psqi_1"]) == []  # no components


def test_bad_input_is_a_study_data_error():
    with pytest.raises(mrs.StudyDataError):
        reliability_table(pd.DataFrame({"id": ["a"], "fss_1": [1]}))
    scale = Scale("x_total", "X", ("x_1", "x_2"), 0, 4, 0, 8)
    with pytest.raises(mrs.StudyDataError, match="x_2"):
        reliability_table(pd.DataFrame({"id": ["a"], "time": ["pre"], "x_1": [1]}), [scale])


def test_docstring_examples_run():
    for module in (reliability, reliability_table_module):
        assert doctest.testmod(module, raise_on_error=False).failed == 0
