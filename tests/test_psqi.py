"""PSQI scoring (instruments/psqi.py) against INSTRUMENTS.md and hand-worked cases.

Every expected value is worked by hand from the University of Pittsburgh rules as written in
INSTRUMENTS.md (the working is in the comments); none comes from running this code.
"""

import numpy as np
import pandas as pd
import pytest
from psqi_examples import DISTURBANCES, EXAMPLE_1, EXAMPLE_2, EXAMPLE_3

from msrelax_stats.errors import StudyDataError
from msrelax_stats.instruments import score


def psqi(**changes):
    """One respondent: worked example 1 with some answers changed (None = missing)."""
    return {**EXAMPLE_1, **changes}


def scored(*rows, **options):
    return score(pd.DataFrame(list(rows)), "psqi", **options)


def components(frame, row=0):
    return [frame.loc[row, f"psqi_c{i}"] for i in range(1, 8)]


def test_worked_example_1():
    # C1 = Q6 = 1; C2: 20 min -> 1, + Q5a 1 = 2 -> 1; C3: 6 h -> 1; C4: 6 / 7 h = 85.7 % -> 0;
    # C5: 2+1+0+0+1+0+0+0+0 = 4 -> 1; C6 = 0; C7: 0 + 1 = 1 -> 1. Global 5, not poor (> 5).
    out = scored(EXAMPLE_1)
    assert components(out) == [1, 1, 1, 0, 1, 0, 1]
    assert out.loc[0, "psqi_time_in_bed_h"] == 7
    assert out.loc[0, "psqi_efficiency"] == pytest.approx(600 / 7)
    assert out.loc[0, "psqi_global"] == 5
    assert not out.loc[0, "psqi_poor"]
    assert out.loc[0, "psqi_n_answered"] == 18
    assert out.loc[0, "psqi_flags"] == ""


def test_worked_example_2():
    # 00:30 -> 07:00 = 6.5 h in bed, 7.5 h asleep: efficiency 115.4 % -> C4 0, flagged.
    out = scored(EXAMPLE_2)
    assert components(out) == [2, 2, 0, 0, 1, 1, 2]
    assert out.loc[0, "psqi_efficiency"] == pytest.approx(7.5 / 6.5 * 100)
    assert round(out.loc[0, "psqi_efficiency"], 1) == 115.4
    assert out.loc[0, "psqi_global"] == 8
    assert out.loc[0, "psqi_poor"]
    assert "efficiency_over_100" in out.loc[0, "psqi_flags"]


def test_worked_example_3_exact_85_percent_and_q5j_blank_text():
    # 22:30 -> 06:30 = 8 h, 6.8 h asleep = exactly 85 % -> C4 0. Q5j = 2 with a blank
    # description counts 0: disturbances 3+1+1+0+1+1+0+1 = 8 -> C5 1 (10 -> 2 if counted).
    out = scored(EXAMPLE_3)
    assert components(out) == [1, 0, 1, 0, 1, 0, 1]
    assert out.loc[0, "psqi_global"] == 4
    assert not out.loc[0, "psqi_poor"]
    assert "q5j_without_text" in out.loc[0, "psqi_flags"]


@pytest.mark.parametrize(
    ("minutes", "q5a", "c2"),
    [
        (0, 0, 0),  # 0-minute latency is an answer, not a missing value
        (15, 0, 0),  # <= 15 -> 0 (not 1): sum 0 -> 0
        (15.5, 0, 1),  # (15, 30] -> 1: sum 1 -> 1
        (16, 0, 1),
        (30, 1, 1),  # 1 + 1 = 2 -> 1
        (31, 1, 2),  # (30, 60] -> 2: 2 + 1 = 3 -> 2
        (60, 0, 1),  # 2 + 0 = 2 -> 1
        (61, 0, 2),  # > 60 -> 3: sum 3 -> 2
        (61, 1, 2),  # sum 4 -> 2
        (61, 2, 3),  # sum 5 -> 3
        (61, 3, 3),  # sum 6 -> 3
        (15, 1, 1),  # sum 1 -> 1
        (15, 2, 1),  # sum 2 -> 1
        (15, 3, 2),  # sum 3 -> 2
    ],
)
def test_c2_latency_bins(minutes, q5a, c2):
    assert scored(psqi(psqi_2=minutes, psqi_5a=q5a)).loc[0, "psqi_c2"] == c2


@pytest.mark.parametrize(
    ("hours", "c3_pittsburgh", "c3_paper"),
    [
        (9, 0, 0),
        ("7:01", 0, 0),
        (7, 0, 1),  # ">= 7 -> 0" (Pittsburgh) versus "> 7 -> 0" (paper)
        ("6:59", 1, 1),
        (6.5, 1, 1),
        (6, 1, 1),  # BioPsyKit scores 6 h as 2
        ("5:59", 2, 2),
        (5, 2, 2),
        (4.99, 3, 3),
        (0, 3, 3),
    ],
)
def test_c3_duration_bins_both_rules(hours, c3_pittsburgh, c3_paper):
    row = psqi(psqi_1="20:00", psqi_3="08:00", psqi_4=hours)  # 12 h in bed
    assert scored(row).loc[0, "psqi_c3"] == c3_pittsburgh
    paper = scored(row, psqi={"duration_rule": "paper"})
    assert paper.loc[0, "psqi_c3"] == c3_paper


@pytest.mark.parametrize(
    ("hours", "c4"),
    [
        (8, 0),  # 100 %
        (6.8, 0),  # exactly 85 % of 8 h
        ("6:47", 1),  # 6.783 / 8 = 84.8 %
        (6, 1),  # exactly 75 %
        ("5:59", 2),  # 74.8 %
        (5.2, 2),  # exactly 65 %
        (5.19, 3),  # 64.9 %
        (0, 3),
    ],
)
def test_c4_efficiency_bins_at_exact_boundaries(hours, c4):
    row = psqi(psqi_1="22:30", psqi_3="06:30", psqi_4=hours)  # 8 h in bed
    assert scored(row).loc[0, "psqi_c4"] == c4


def test_c4_exact_85_percent_that_binary_floats_miss():
    # 100 * 5.1 / 6 evaluates to 84.99999999999999 in binary floating point; 5.1 h in 6 h
    # is exactly 85 %, so C4 = 0 (a float comparison would give 1).
    assert 100 * 5.1 / 6 < 85
    out = scored(psqi(psqi_1="00:00", psqi_3="06:00", psqi_4=5.1))
    assert out.loc[0, "psqi_c4"] == 0


def test_efficiency_over_100_scores_zero_or_missing_by_option():
    row = psqi(psqi_1="23:00", psqi_3="05:00", psqi_4=7)  # 7 h asleep in 6 h in bed
    out = scored(row)
    assert out.loc[0, "psqi_c4"] == 0
    assert out.loc[0, "psqi_flags"] == "efficiency_over_100"
    missing = scored(row, psqi={"efficiency_over_100": "missing"})
    assert np.isnan(missing.loc[0, "psqi_c4"])
    assert np.isnan(missing.loc[0, "psqi_global"])
    assert missing.loc[0, "psqi_poor"] is pd.NA


def test_equal_bed_and_rise_times_make_c4_missing():
    out = scored(psqi(psqi_1="23:00", psqi_3="23:00"))
    assert np.isnan(out.loc[0, "psqi_c4"])
    assert np.isnan(out.loc[0, "psqi_global"])
    assert out.loc[0, "psqi_time_in_bed_h"] == 0
    assert "time_in_bed_zero" in out.loc[0, "psqi_flags"]


@pytest.mark.parametrize(
    ("bed", "in_bed"),
    [("21:00", 10), ("22:00", 9), ("23:00", 8), ("00:00", 7), ("01:00", 6), ("02:00", 5),
     ("03:00", 4)],
)  # fmt: skip
def test_time_in_bed_across_midnight(bed, in_bed):
    # Getting up at 07:00; time in bed = (07:00 - bed) mod 24 h, never abs(Q3 - Q1).
    out = scored(psqi(psqi_1=bed, psqi_3="07:00", psqi_4=4))
    assert out.loc[0, "psqi_time_in_bed_h"] == in_bed
    assert out.loc[0, "psqi_efficiency"] == pytest.approx(400 / in_bed)


def test_no_abs_of_clock_difference():
    # Other scorers take abs(06:30 - 23:30) = 17 h: efficiency 6/17 = 35 % -> C4 3. Right: 7 h.
    out = scored(psqi(psqi_1="23:30", psqi_3="06:30"))
    assert out.loc[0, "psqi_time_in_bed_h"] == 7
    assert out.loc[0, "psqi_c4"] == 0


@pytest.mark.parametrize(
    ("total", "c5"), [(0, 0), (1, 1), (9, 1), (10, 2), (18, 2), (19, 3), (24, 3)]
)
def test_c5_disturbance_bins(total, c5):
    # Spread the sum over Q5b-Q5i (at most 3 each); Q5j = 0.
    answers = [min(3, max(0, total - 3 * i)) for i in range(8)]
    row = psqi(**dict(zip(DISTURBANCES, answers, strict=True)), psqi_5j=0)
    assert scored(row).loc[0, "psqi_c5"] == c5


def test_c5_top_bin_with_q5j():
    # 8 x 3 + Q5j 3 (described) = 27 -> 3.
    row = psqi(**dict.fromkeys(DISTURBANCES, 3), psqi_5j=3, psqi_5j_text="leg cramps")
    assert scored(row).loc[0, "psqi_c5"] == 3


def test_q5j_rule_with_and_without_text_column():
    # Disturbances of example 1 sum to 4; Q5j = 2 makes 6 when counted: C5 1 either way, so
    # use Q5b-i summing to 8 (C5 1) where Q5j = 2 crosses into C5 2 (sum 10).
    base = dict(zip(DISTURBANCES, [3, 1, 1, 0, 1, 1, 0, 1], strict=True))
    rows = [
        psqi(**base, psqi_5j=2, psqi_5j_text="cramps"),  # counted: 10 -> 2
        psqi(**base, psqi_5j=2, psqi_5j_text=""),  # blank: 0 -> 8 -> 1
        psqi(**base, psqi_5j=2, psqi_5j_text=None),  # missing text: 0
        psqi(**base, psqi_5j=None, psqi_5j_text="cramps"),  # missing Q5j counts 0
    ]
    with_text = scored(*rows)
    assert with_text["psqi_c5"].tolist() == [2, 1, 1, 1]
    assert with_text["psqi_flags"].tolist() == ["", "q5j_without_text", "q5j_without_text", ""]
    without_column = scored(psqi(**base, psqi_5j=2), psqi(**base, psqi_5j=None))
    assert without_column["psqi_c5"].tolist() == [2, 1]  # counted as given; missing -> 0
    assert without_column["psqi_flags"].tolist() == ["", ""]


@pytest.mark.parametrize(("q8", "q9", "c7"), [(0, 0, 0), (1, 0, 1), (1, 1, 1), (2, 1, 2),
                                              (2, 2, 2), (3, 2, 3), (3, 3, 3)])  # fmt: skip
def test_c7_daytime_dysfunction_bins(q8, q9, c7):
    assert scored(psqi(psqi_8=q8, psqi_9=q9)).loc[0, "psqi_c7"] == c7


@pytest.mark.parametrize(("q6", "q7"), [(0, 0), (3, 3), (2, 1)])
def test_c1_and_c6_are_the_answers(q6, q7):
    out = scored(psqi(psqi_6=q6, psqi_7=q7))
    assert (out.loc[0, "psqi_c1"], out.loc[0, "psqi_c6"]) == (q6, q7)


@pytest.mark.parametrize(("global_score", "poor"), [(5, False), (6, True)])
def test_poor_sleeper_is_strictly_above_5(global_score, poor):
    # Example 1 has global 5; Q6 = 2 raises C1 by one to 6. "5 or more" would call 5 poor.
    out = scored(psqi(psqi_6=1 + global_score - 5))
    assert out.loc[0, "psqi_global"] == global_score
    assert bool(out.loc[0, "psqi_poor"]) is poor


# Which component each answer feeds (INSTRUMENTS.md table).
NEEDED_BY = {
    "psqi_1": 4, "psqi_2": 2, "psqi_3": 4, "psqi_4": 3, "psqi_5a": 2, "psqi_6": 1, "psqi_7": 6,
    "psqi_8": 7, "psqi_9": 7, **dict.fromkeys(DISTURBANCES, 5),
}  # fmt: skip


@pytest.mark.parametrize("item", sorted(NEEDED_BY))
def test_each_single_missing_item(item):
    out = scored(psqi(**{item: None}))
    missing = {i for i in range(1, 8) if np.isnan(out.loc[0, f"psqi_c{i}"])}
    # Hours asleep (Q4) feed both duration (C3) and efficiency (C4).
    expected = {3, 4} if item == "psqi_4" else {NEEDED_BY[item]}
    assert missing == expected
    assert np.isnan(out.loc[0, "psqi_global"])
    assert out.loc[0, "psqi_poor"] is pd.NA
    assert out.loc[0, "psqi_n_answered"] == 17
    assert f"missing:{item}" in out.loc[0, "psqi_flags"].split(";")


def test_missing_q5j_alone_changes_nothing():
    out = scored(psqi(psqi_5j=None))
    assert out.loc[0, "psqi_global"] == 5
    assert out.loc[0, "psqi_n_answered"] == 17


def test_max_missing_components_prorates_the_global():
    # Q6 missing: C1 missing; the other six sum to 4 (1+1+0+1+0+1) -> 7/6 x 4 = 4.667.
    row = psqi(psqi_6=None)
    assert np.isnan(scored(row).loc[0, "psqi_global"])
    out = scored(row, psqi={"max_missing_components": 1})
    assert out.loc[0, "psqi_global"] == pytest.approx(7 * 4 / 6)
    assert "prorated:psqi_global" in out.loc[0, "psqi_flags"]
    two_missing = scored(psqi(psqi_6=None, psqi_7=None), psqi={"max_missing_components": 1})
    assert np.isnan(two_missing.loc[0, "psqi_global"])


def test_fractional_hours_and_raw_text_forms():
    # Raw cells: "11:30 PM", "6:30" (h:mm), "6,5" (decimal comma), "2330", Excel-like times.
    import datetime

    rows = [
        psqi(psqi_1="11:30 PM", psqi_3="6:30", psqi_4="6,5"),
        psqi(psqi_1="2330", psqi_3=datetime.time(6, 30), psqi_4="6:30"),
        psqi(psqi_1="11:30pm", psqi_3="06:30:00", psqi_4="6-7"),  # range -> midpoint 6.5
    ]
    out = scored(*rows)
    assert out["psqi_1"].tolist() == ["23:30"] * 3
    assert out["psqi_3"].tolist() == ["06:30"] * 3
    assert out["psqi_4"].tolist() == [6.5] * 3
    # 6.5 / 7 = 92.9 % -> C4 0; 6.5 h -> C3 1.
    assert out["psqi_c3"].tolist() == [1, 1, 1]
    assert out["psqi_c4"].tolist() == [0, 0, 0]
    notes = out.attrs["msrelax"]["notes"]
    assert [n["column"] for n in notes] == ["psqi_4"]


def test_bad_answers_raise_with_every_problem_located():
    rows = [
        {"id": "7", "time": "pre", **psqi(psqi_1="25:61", psqi_2=-5, psqi_4=25, psqi_6=4)},
        {"id": "8", "time": "post", **psqi(psqi_3="soon")},
    ]
    with pytest.raises(StudyDataError) as caught:
        score(pd.DataFrame(rows))
    located = {(p.participant, p.visit, p.column) for p in caught.value.problems}
    assert located == {
        ("7", "pre", "psqi_1"),
        ("7", "pre", "psqi_2"),
        ("7", "pre", "psqi_4"),
        ("7", "pre", "psqi_6"),
        ("8", "post", "psqi_3"),
    }
    assert "value '4' is outside 0-3" in str(caught.value)


def test_unknown_option_value_is_refused():
    with pytest.raises(ValueError, match="duration_rule"):
        scored(EXAMPLE_1, psqi={"duration_rule": "bogus"})
    with pytest.raises(TypeError, match="unknown option"):
        scored(EXAMPLE_1, psqi={"duration": "paper"})


def test_already_scored_global_gives_the_poor_flag():
    out = score(pd.DataFrame({"psqi_global": [5, 6, None]}))
    assert out["psqi_poor"].tolist() == [False, True, pd.NA]
