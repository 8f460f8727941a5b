"""Result sentences and the methods paragraph (msrelax_stats.report.text).

The result rows are written by hand; the expected sentences are those rows formatted by the
APA rules (two decimals, p without leading zero, "< .001"), written out here by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.instruments import score
from msrelax_stats.instruments.registry import registry_of
from msrelax_stats.report.text import methods_paragraph, result_sentence
from msrelax_stats.stats.analysis import analyse
from msrelax_stats.stats.options import AnalysisOptions
from msrelax_stats.study import read_study

ROW = {
    "outcome": "fss_mean", "n": 31, "better": "lower", "pre_mean": 5.2049, "pre_sd": 0.9012,
    "post_mean": 4.4, "post_sd": 1.0, "diff_mean": -0.8049, "diff_ci_low": -1.1,
    "diff_ci_high": -0.5, "t": -5.1, "df": 30.0, "p_t": 0.00002, "w_plus": 12.0,
    "p_wilcoxon": 0.00031, "d_z": -0.92, "d_z_ci_low": -1.34, "d_z_ci_high": -0.5,
    "ci_level": 0.95,
}  # fmt: skip


# the no-break space that keeps each statistic on one line ("t(30) = / -4.24" split, issue 19)
# and the minus sign (U+2212) of negative numbers, after which Word never breaks a line
_, M = "\u00a0", "\u2212"


def plain(text):
    """A sentence with ordinary spaces and hyphen-minus signs again."""
    return text.replace(_, " ").replace(M, "-")


def test_sentence_t_primary_exact():
    assert result_sentence(ROW) == (
        f"FSS mean decreased from 5.20 (SD{_}0.90) to 4.40 (SD{_}1.00), mean change {M}0.80, "
        f"95{_}%{_}CI{_}[{M}1.10,{_}{M}0.50], t(30){_}={_}{M}5.10, p{_}<{_}.001, "
        f"d_z{_}={_}{M}0.92{_}[{M}1.34,{_}{M}0.50]; "
        f"Wilcoxon signed-rank V{_}={_}12, p{_}<{_}.001 (n{_}={_}31 pairs)."
    )


def test_sentence_wilcoxon_primary_puts_wilcoxon_first():
    row = dict(ROW, p_wilcoxon=0.0213)
    text = result_sentence(pd.Series(row), primary="wilcoxon", decimals=1)
    assert plain(text) == (
        "FSS mean decreased from 5.2 (SD 0.9) to 4.4 (SD 1.0), mean change -0.8, "
        "95 % CI [-1.1, -0.5], Wilcoxon signed-rank V = 12, p = .021, d_z = -0.9 [-1.3, -0.5]; "
        "paired t-test t(30) = -5.1, p < .001 (n = 31 pairs)."
    )
    assert f"V{_}={_}12, p{_}={_}.021" in text and f"t(30){_}={_}{M}5.1," in text


def test_direction_word_from_sign_and_signs_kept():
    up = dict(ROW, outcome="psqi_global", diff_mean=1.5, diff_ci_low=0.5, diff_ci_high=2.5,
              t=3.2, d_z=0.6, d_z_ci_low=0.2, d_z_ci_high=1.0, p_t=0.0032)  # fmt: skip
    text = result_sentence(up)
    assert text.startswith("PSQI global increased from")
    text = plain(text)
    assert "mean change 1.50" in text and "d_z = 0.60 [0.20, 1.00]" in text and "p = .003" in text
    flat = result_sentence(dict(ROW, diff_mean=0.0))
    assert "did not change" in flat
    down = result_sentence(ROW)
    assert f"d_z{_}={_}{M}0.92" in down  # never abs()


def test_ci_level_follows_row():
    assert f"90{_}%{_}CI{_}[{M}1.10,{_}{M}0.50]" in result_sentence(dict(ROW, ci_level=0.9))


def test_sentence_when_not_estimable():
    text = result_sentence(dict(ROW, n=1, diff_mean=np.nan))
    assert text == f"FSS mean: too few complete pairs (n{_}={_}1) to compare."


def test_statistics_hold_no_breakable_space():
    text = result_sentence(dict(ROW, ci_level=0.9), primary="wilcoxon")
    statistics = re.findall(
        r"(?:t\(\d+\)|V|p|d_z)\W{1,3}[<=>]\W{1,3}[-\u2212.\d]+(?:\W\[[^]]*\])?", text
    )
    assert len(statistics) == 5, statistics  # V, p, d_z [CI]; t, p
    assert all(" " not in stat and "-" not in stat for stat in statistics), statistics
    assert text.count(" ") > 20  # the words between the statistics still wrap
    assert "signed-rank" in text and "t-test" in text  # hyphens in words stay hyphens


def test_unknown_primary_rejected():
    with pytest.raises(ValueError):
        result_sentence(ROW, primary="sign")


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "pmr_study.csv"


def _methods(scoring=None, **options):
    scored = score(read_study(SAMPLE), **(scoring or {}))
    analysis = analyse(scored, AnalysisOptions(**options))
    versions = {"msrelax_stats": "0.1.0", "Python": "3.11.7", "scipy": "1.17.1"}
    return methods_paragraph(analysis, registry_of(scored), versions)


def test_methods_paragraph_states_every_choice():
    text = _methods(seed=7, n_boot=2000)
    required = [  # INSTRUMENTS.md and STATISTICS.md, phrase by phrase
        "Fatigue Severity Scale",
        "Krupp 1989",
        "FSS mean of 4 or more",
        "Pittsburgh Sleep Quality Index",
        "global score above 5",
        "across midnight",
        "sleep duration of 7 h or more scored 0",
        "left missing",
        "paired by participant id",
        "post - pre",
        "paired t-test and the Wilcoxon signed-rank test",
        "primary test, fixed in the analysis plan, was the paired t-test",
        "Shapiro-Wilk",
        "information only",
        "noncentral t",
        "BCa",
        "2000 resamples",
        "seed 7",
        "Holm",
        "Benjamini-Hochberg",
        "over the 17 outcomes",
        "McNemar",
        "FSS mean 0.45 points (Rooney 2019 (MS))",
        "PSQI global 3 points (commonly used, not MS-specific)",
        "NRS spasticity 30 % (Farrar 2008 (spasticity, MS))",
        "Wilson",
        "msrelax_stats 0.1.0",
        "Python 3.11.7",
        "scipy 1.17.1",
    ]
    missing = [phrase for phrase in required if phrase not in text]
    assert missing == []


def test_methods_paragraph_states_the_scoring_options_used():
    """Issue 14: fss={"cutoff": 5} scored at >= 5 while the methods said 4."""
    text = _methods(
        {"fss": {"cutoff": 5}, "psqi": {"duration_rule": "paper", "efficiency_over_100": "missing",
                                        "max_missing_components": 1}},
        primary_test="wilcoxon",
    )  # fmt: skip
    assert "primary test, fixed in the analysis plan, was the Wilcoxon signed-rank test" in text
    assert "FSS mean of 5 or more" in text and "mean of 4 or more" not in text
    assert "more than 7 h scored 0" in text  # the 1989 paper's bins (INSTRUMENTS.md)
    assert "efficiency above 100 % treated as missing" in text
    assert "up to 1 missing component" in text
