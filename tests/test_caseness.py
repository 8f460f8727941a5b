"""Exact McNemar, Wilson CI and responders against R.

Reference values: ``tests/reference/caseness_reference.csv`` (``binom.test(b, b + c)$p.value``)
and ``responders_reference.csv`` (``prop.test(k, n, correct = FALSE)$conf.int``), produced by
``paired_reference.R`` from ``paired_study.csv``.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.stats.caseness import mcnemar_exact, responders, wilson_ci

REF = Path(__file__).parent / "reference"
CASE = pd.read_csv(REF / "caseness_reference.csv")
RESP = pd.read_csv(REF / "responders_reference.csv")


def study_pairs():
    s = pd.read_csv(REF / "paired_study.csv", dtype={"id": str})
    s["fss_mean"] = s["fss_sum"] / 9
    wide = s.pivot(index="id", columns="time", values=["fss_mean", "psqi_global"])
    return wide


@pytest.mark.parametrize("ref", list(CASE.itertuples()), ids=list(CASE["outcome"]))
def test_mcnemar_matches_r(ref):
    wide = study_pairs()
    score, rule = {"psqi_poor": ("psqi_global", lambda x: x > 5),
                   "fss_fatigued": ("fss_mean", lambda x: x >= 4)}[ref.outcome]  # fmt: skip
    pairs = wide[score].dropna()
    res = mcnemar_exact(rule(pairs["pre"]), rule(pairs["post"]), outcome=ref.outcome)
    got = res.to_dict()
    for col in ("n", "pre_yes", "post_yes", "pre_yes_post_no", "pre_no_post_yes"):
        assert got[col] == getattr(ref, col), col
    assert res.p_mcnemar == pytest.approx(ref.p_mcnemar, rel=1e-6)


def test_mcnemar_by_hand_and_no_discordant_pairs():
    # b = 1, c = 5: binom.test(1, 6) two-sided = 2 * (1 + 6) / 64 = 0.21875
    pre = [True] + [False] * 5 + [True, True]
    post = [False] + [True] * 5 + [True, True]
    assert mcnemar_exact(pre, post).p_mcnemar == pytest.approx(0.21875, rel=1e-12)
    res = mcnemar_exact([True, False], [True, False], outcome="psqi_poor")
    assert np.isnan(res.p_mcnemar) and "no discordant" in res.note


@pytest.mark.parametrize("ref", list(RESP.itertuples()), ids=list(RESP["outcome"]))
def test_responders_match_r(ref):
    pairs = study_pairs()[ref.outcome].dropna()
    res = responders(pairs["pre"], pairs["post"], ref.mcid, outcome=ref.outcome)
    assert (res.n, res.responders) == (ref.n, ref.responders)
    assert res.proportion == pytest.approx(ref.proportion, rel=1e-12)
    assert res.ci_low == pytest.approx(ref.ci_low, rel=1e-6)
    assert res.ci_high == pytest.approx(ref.ci_high, rel=1e-6)


def test_wilson_by_hand():
    # k = 0, n = 10: Wilson upper = z^2/n / (1 + z^2/n) = 3.8415/13.8415 = 0.27753
    low, high = wilson_ci(0, 10)
    assert low == pytest.approx(0.0, abs=1e-15) and high == pytest.approx(0.277533, rel=1e-5)
    assert np.isnan(wilson_ci(0, 0)[0])


def test_responders_exact_mcid_counts_and_percent_rule():
    # PSQI: a 3-point drop is exactly the MCID -> responder; 2 points is not
    res = responders([10, 10, 10], [7, 8, 13], 3)
    assert res.responders == 1
    # NRS 30 % reduction from a non-zero baseline: 10 -> 7 (30 %) yes, 5 -> 4 (20 %) no;
    # baseline 0 cannot be judged and is left out
    res = responders([10, 5, 0], [7, 4, 0], 30, mcid_kind="percent", outcome="nrs_pain")
    assert (res.n, res.responders) == (2, 1) and "zero baseline" in res.note
    # higher is better: improvement is post - pre
    assert responders([1, 1], [2, 0], 1, better="higher").responders == 1
