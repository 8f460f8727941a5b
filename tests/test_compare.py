"""compare(): the STATISTICS.md table of a scored long table, against R.

Reference values: ``tests/reference/compare_reference.csv`` and ``caseness_reference.csv``
from ``paired_reference.R``: the study table ``paired_study.csv`` merged by id in R
(``merge(pre, post, by = "id")``), complete pairs per outcome, every statistic as in
``test_paired.py``/``test_wilcoxon.py``/``test_effect_sizes.py`` and
``p.adjust(p_t, "holm")``/``p.adjust(p_t, "BH")`` over the two outcomes.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statistics_columns import STATISTICS_MD

from msrelax_stats.errors import StudyDataError
from msrelax_stats.stats.compare import TABLE_COLUMNS, compare

REF = Path(__file__).parent / "reference"
EXPECTED = pd.read_csv(REF / "compare_reference.csv")
CASE = pd.read_csv(REF / "caseness_reference.csv")
R_COLUMNS = [c for c in TABLE_COLUMNS
             if c in EXPECTED.columns and c not in ("outcome", "better", "wilcoxon_method")]  # fmt: skip


def scored_study(shuffle=True):
    s = pd.read_csv(REF / "paired_study.csv", dtype={"id": str})
    s["fss_mean"] = s["fss_sum"] / 9
    s["psqi_poor"] = pd.array([None if np.isnan(v) else v > 5 for v in s["psqi_global"]],
                              dtype="boolean")  # fmt: skip
    s["fss_fatigued"] = pd.array(s["fss_mean"] >= 4, dtype="boolean")
    s["psqi_flags"] = np.where(s["psqi_global"].isna(), "C4 missing: time in bed is 0", "")
    s["time"] = pd.Categorical(s["time"], categories=["pre", "post"], ordered=True)
    s = s.drop(columns="fss_sum")
    return s.sample(frac=1, random_state=11) if shuffle else s  # row order must not matter


@pytest.fixture(scope="module")
def result():
    return compare(scored_study(), n_boot=2000)


def test_columns_exactly_as_statistics_md(result):
    assert list(result.table.columns) == STATISTICS_MD
    assert list(result.to_frame()["outcome"]) == ["fss_mean", "psqi_global"]
    text = {"outcome", "better", "wilcoxon_method"}
    for col in STATISTICS_MD:
        if col not in text:
            assert pd.api.types.is_numeric_dtype(result.table[col]), col


@pytest.mark.parametrize("col", R_COLUMNS)
def test_every_r_column_matches(result, col):
    got = result.table[col].to_numpy(dtype=float)
    want = EXPECTED[col].to_numpy(dtype=float)
    rtol = 1e-3 if col == "bf10" else 1e-6
    np.testing.assert_allclose(got, want, rtol=rtol, err_msg=col)


def test_two_workers_match_r_and_give_the_same_result(result):
    # half of the outcomes' rows computed in a forked process (msrelax_stats.parallel)
    two = compare(scored_study(), n_boot=2000, workers=2)
    for col in R_COLUMNS:
        rtol = 1e-3 if col == "bf10" else 1e-6
        np.testing.assert_allclose(two.table[col].to_numpy(dtype=float),
                                   EXPECTED[col].to_numpy(dtype=float), rtol=rtol, err_msg=col)  # fmt: skip
    pd.testing.assert_frame_equal(two.table, result.table)
    pd.testing.assert_frame_equal(two.exclusions, result.exclusions)
    assert two.notes == result.notes and list(two.bootstrap) == list(result.bootstrap)
    for key, boot in result.bootstrap.items():
        np.testing.assert_array_equal(two.bootstrap[key].distribution, boot.distribution)


def test_direction_method_and_exclusions(result):
    t = result.table
    assert list(t["better"]) == ["lower", "lower"]
    assert set(t["wilcoxon_method"]) == {"normal approximation with continuity correction"}
    ex = result.exclusions
    assert list(ex.columns) == ["id", "outcome", "reason"]
    rows = {(r.id, r.outcome): r.reason for r in ex.itertuples()}
    assert rows == {
        ("033", "fss_mean"): "missing visit post",
        ("033", "psqi_global"): "missing visit post",
        ("034", "psqi_global"): "score missing at visit pre (C4 missing: time in bed is 0)",
    }


def test_caseness_and_responders(result):
    case = result.caseness.set_index("outcome").loc[CASE["outcome"]]
    np.testing.assert_allclose(case["p_mcnemar"], CASE["p_mcnemar"], rtol=1e-6)
    assert list(case["n"]) == list(CASE["n"])
    resp = result.responders.set_index("outcome")
    assert resp.loc["fss_mean", "mcid"] == 0.45 and resp.loc["psqi_global", "mcid"] == 3
    assert list(result.responders.columns) == ["outcome", "n", "mcid", "mcid_kind", "responders",
                                               "proportion", "ci_low", "ci_high", "source"]  # fmt: skip


def test_pairing_is_by_id_not_row_order():
    a = compare(scored_study(shuffle=False), n_boot=500).table
    b = compare(scored_study(shuffle=True), n_boot=500).table
    pd.testing.assert_frame_equal(a, b)


def test_same_seed_same_bytes_other_seed_other_bootstrap():
    s = scored_study()
    a = compare(s, outcomes=["fss_mean"], n_boot=1000, seed=5).table
    b = compare(s, outcomes=["fss_mean"], n_boot=1000, seed=5).table
    c = compare(s, outcomes=["fss_mean"], n_boot=1000, seed=6).table
    assert a.to_csv() == b.to_csv()
    assert a["g_av_ci_low"].iloc[0] != c["g_av_ci_low"].iloc[0]


def test_undefined_cases_nan_with_notes_and_no_warnings(recwarn):
    df = pd.DataFrame({
        "id": ["1", "1", "2", "2", "3", "3", "4"],
        "time": ["pre", "post"] * 3 + ["pre"],
        "fss_mean": [4.0, 3.0, 5.0, 4.0, 6.0, 5.0, 4.0],      # every change -1: zero variance
        "psqi_global": [5.0, 5.0, 7.0, 7.0, 9.0, 9.0, 3.0],  # every change 0
        "isi_total": [np.nan] * 7,                            # nobody completed
        "ess_total": [10.0, 8.0] + [np.nan] * 5,              # n = 1
    })  # fmt: skip
    res = compare(df, n_boot=200)
    t = res.table.set_index("outcome")
    assert np.isnan(t.loc["fss_mean", "p_t"]) and t.loc["fss_mean", "diff_mean"] == -1
    assert np.isnan(t.loc["psqi_global", "p_wilcoxon"]) and np.isnan(t.loc["psqi_global", "d_z"])
    numeric = [c for c in STATISTICS_MD[3:-2] if c != "wilcoxon_method"]
    assert t.loc["isi_total", "n"] == 0 and t.loc["isi_total", numeric].isna().all()
    assert t.loc["ess_total", "n"] == 1 and np.isnan(t.loc["ess_total", "t"])
    notes = " ".join(res.notes)
    for outcome in ("fss_mean", "psqi_global", "isi_total", "ess_total"):
        assert outcome in notes
    assert len(recwarn) == 0
    assert "missing visit post" in set(res.exclusions["reason"])


def test_bad_input_raises_study_data_error():
    s = scored_study()
    with pytest.raises(StudyDataError, match="visit 'after'"):
        compare(s, visits=("pre", "after"), n_boot=100)
    with pytest.raises(StudyDataError, match="nrs_pain"):
        compare(s, outcomes=["nrs_pain"], n_boot=100)
    dup = pd.concat([s, s.iloc[:1]])
    with pytest.raises(StudyDataError, match="more than one row"):
        compare(dup, n_boot=100)


def test_default_outcomes_are_those_of_the_instruments_scored():
    # score(instruments=["fss"]) on a file that also holds an NRS rating: compare() reports the
    # FSS only (reported outcomes per STATISTICS.md, restricted to what score() scored)
    from msrelax_stats.instruments import score

    rows = []
    for i, (pre, post) in enumerate([(5, 4), (6, 5), (4, 4), (7, 5)]):
        for time, level in (("pre", pre), ("post", post)):
            rows.append({"id": f"P{i}", "time": time, "nrs_spasticity": level,
                         **{f"fss_{k}": level for k in range(1, 10)}})  # fmt: skip
    df = pd.DataFrame(rows)
    df["time"] = pd.Categorical(df["time"], ["pre", "post"], ordered=True)
    assert list(compare(score(df, instruments=["fss"]), n_boot=200).table["outcome"]) == [
        "fss_mean"
    ]
    everything = compare(score(df), n_boot=200).table["outcome"]
    assert list(everything) == ["fss_mean", "nrs_spasticity"]


def test_mean_scored_outcomes_are_ranked_on_their_exact_scale():
    """Issue 14: FSS mean differences in binary floating point break ties that exist
    (20 distinct floats for 15 distinct changes). R references: tests/reference/
    exact_scale_reference.R (wilcox.test and binom.test on round(9 * FSS mean))."""
    pairs = pd.read_csv(REF / "exact_scale_fss_pairs.csv", dtype={"id": str})
    ref = pd.read_csv(REF / "exact_scale_reference.csv").set_index("what")
    scored = pd.DataFrame({"id": list(pairs["id"]) * 2, "time": ["pre"] * len(pairs)
                           + ["post"] * len(pairs),
                           "fss_mean": list(pairs["pre"]) + list(pairs["post"])})  # fmt: skip
    res = compare(scored, n_boot=200)
    row = res.table.iloc[0]
    assert row["w_plus"] == ref.loc["exact", "V"] != ref.loc["raw", "V"]  # 65.5, R's raw: 67
    assert row["p_wilcoxon"] == pytest.approx(ref.loc["exact", "p"], rel=1e-6)
    assert row["p_sign"] == pytest.approx(ref.loc["sign_exact", "p"], rel=1e-6)
    caveat = res.caveats[res.caveats["statistic"] == "wilcoxon"]["caveat"].iloc[0]
    assert "round(9 * post) - round(9 * pre)" in caveat


def test_uninformative_intervals_and_unjudged_responders_are_recorded():
    # 6 pairs, changes -1, -1, -1, -1, -1, 0 (PSQI component-like): every non-zero change
    # negative, so the rank-biserial is -1 and its Fisher-z interval collapses at -1
    scored = pd.DataFrame({"id": [str(i) for i in range(6)] * 2, "time": ["pre"] * 6 + ["post"] * 6,
                           "psqi_c6": [2, 2, 2, 1, 1, 0, 1, 1, 1, 0, 0, 0],
                           "nrs_spasticity": [0, 5, 6, 4, 7, 3, 2, 3, 3, 2, 4, 3]})  # fmt: skip
    res = compare(scored, n_boot=200)
    stats_with_caveats = set(zip(res.caveats["outcome"], res.caveats["statistic"], strict=True))
    assert ("psqi_c6", "rank_biserial") in stats_with_caveats
    # five equal non-zero changes: no Hodges-Lehmann interval at all (NaN with a note)
    assert np.isnan(res.table.set_index("outcome").loc["psqi_c6", "hl_ci_low"])
    # participant 0 has an NRS baseline of 0: a 30 % reduction cannot be judged; recorded
    judged = res.exclusions[res.exclusions["outcome"] == "nrs_spasticity (responders)"]
    assert judged["id"].tolist() == ["0"] and "baseline 0" in judged["reason"].iloc[0]
    assert int(res.responders.set_index("outcome").loc["nrs_spasticity", "n"]) == 5
