"""Participant flow: counts (stats/flow.py) by hand, and the diagram (figures/flow.py)."""

import doctest
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pytest
from matplotlib.patches import Rectangle
from matplotlib.text import Text

import msrelax_stats as mrs
from msrelax_stats.figures import flow as flow_figure
from msrelax_stats.figures.flow import flow_box_texts, flow_diagram
from msrelax_stats.figures.save import save_figure
from msrelax_stats.stats import flow as flow_stats
from msrelax_stats.stats.flow import flow_counts, short_reason

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "docs" / "example-report"

# two arms, three visits: c misses week6 only, d misses week12 (withdrew), e has baseline only
ROWS = [("a", "control"), ("b", "control"), ("c", "control"), ("d", "pmr"), ("e", "pmr"),
        ("f", "pmr")]  # fmt: skip
MISSING = {("c", "week6"), ("d", "week12"), ("e", "week6"), ("e", "week12")}


def table():
    rows = [(p, v, g) for p, g in ROWS for v in ("baseline", "week6", "week12")
            if (p, v) not in MISSING]  # fmt: skip
    t = pd.DataFrame(rows, columns=["id", "time", "group"])
    t["time"] = pd.Categorical(t["time"], ["baseline", "week6", "week12"], ordered=True)
    return t


LEDGER = pd.DataFrame(
    {
        "analysis": ["paired baseline vs week12"] * 3 + ["between arms (ANCOVA, Welch)"],
        "group": ["pmr", "pmr", "control", "pmr"],
        "id": ["d", "e", "b", "d"],
        "outcome": ["fss_mean", "fss_mean", "fss_mean", "fss_mean"],
        "reason": ["missing visit week12", "missing visit week12",
                   "score missing at visit baseline (missing:fss_3)", "no week12 visit"],
    }
)  # fmt: skip


def test_counts_by_hand():
    reasons = pd.DataFrame({"id": ["d"], "visit": ["week12"], "reason": ["withdrew"]})
    counts = flow_counts(table(), LEDGER, outcomes=["fss_mean"], enrolled=8, visit_reasons=reasons)
    assert (counts.enrolled, counts.no_data, counts.baseline) == (8, 2, "baseline")  # 8 - 6
    assert counts.randomised and counts.analysis == "paired baseline vs week12"
    control, pmr = counts.arms
    assert (control.arm, control.allocated, pmr.arm, pmr.allocated) == ("control", 3, "pmr", 3)
    # control: c misses week6 only -> week6 2 seen / 1 not, week12 3 seen
    assert [(v.visit, v.seen, v.not_seen) for v in control.visits] == [
        ("week6", 2, 1),
        ("week12", 3, 0),
    ]
    # pmr: e misses both; d misses week12 (reason given), e's reason unknown
    week6, week12 = pmr.visits
    assert (week6.seen, week6.not_seen, week12.seen, week12.not_seen) == (2, 1, 1, 2)
    assert week12.reasons == (("no visit recorded", 1), ("withdrew", 1))
    # analysed fss_mean (paired analysis only): control 3 - b = 2, pmr 3 - d - e = 1
    (fss_c,) = control.outcomes
    (fss_p,) = pmr.outcomes
    assert (fss_c.analysed, fss_c.excluded, fss_c.reasons) == (
        2,
        1,
        (("score missing at visit baseline", 1),),
    )
    assert (fss_p.analysed, fss_p.excluded, fss_p.reasons) == (1, 2, (("missing visit week12", 2),))


def test_one_group_and_bad_input():
    t = table().drop(columns="group")
    counts = flow_counts(t, LEDGER.drop(columns=["analysis", "group"]), outcomes=["fss_mean"])
    (arm,) = counts.arms
    assert not counts.randomised and arm.arm is None and arm.allocated == 6
    # without an analysis column every ledger row counts: b, d (listed twice), e -> 6 - 3
    assert arm.outcomes[0].analysed == 3
    with pytest.raises(mrs.StudyDataError, match="fewer than the 6"):
        flow_counts(t, LEDGER, outcomes=["fss_mean"], enrolled=5)
    with pytest.raises(mrs.StudyDataError, match="reason"):
        flow_counts(t, LEDGER.drop(columns="reason"), outcomes=["fss_mean"])


def test_lost_to_follow_up_counts_a_blank_last_visit():
    # a: both visits scored; b: no post row; c: a post row with nothing scored (lost too);
    # d: post FSS missing but PSQI scored (followed up)
    t = pd.DataFrame({"id": list("aabccdd"), "time": ["pre", "post", "pre", "pre", "post",
                                                       "pre", "post"],
                      "fss_mean": [5, 4, 6, 5, None, 4, None],
                      "psqi_global": [8, 6, 9, 7, None, 8, 7]})  # fmt: skip
    assert flow_stats.lost_to_follow_up(t, "post", ["fss_mean", "psqi_global"]) == ["b", "c"]
    assert flow_stats.lost_to_follow_up(t, "post", ["fss_mean"]) == ["b", "c", "d"]


def test_the_analysis_carries_the_flow_of_its_primary_outcomes():
    from msrelax_stats.stats.analysis import analyse
    from msrelax_stats.stats.options import AnalysisOptions

    scored = mrs.score(mrs.read_study(ROOT / "data/sample/pmr_study.csv"))
    flow = analyse(scored, AnalysisOptions(n_boot=200)).flow
    assert flow.enrolled == 32 and not flow.randomised
    (arm,) = flow.arms
    assert arm.visits[0].seen == 31 and arm.visits[0].not_seen == 1
    # exclusions.csv of the example: P19 "missing visit post" for both primary outcomes
    assert [(o.outcome, o.analysed, o.excluded, o.reasons) for o in arm.outcomes] == [
        ("fss_mean", 31, 1, (("missing visit post", 1),)),
        ("psqi_global", 31, 1, (("missing visit post", 1),)),
    ]


def test_short_reason():
    assert short_reason("missing visit post") == "missing visit post"
    assert (
        short_reason("score missing at visit pre (missing:isi_2)") == "score missing at visit pre"
    )


def example_counts(kind):
    if kind == "one group":
        t = mrs.read_study(ROOT / "data/sample/pmr_study.csv")
        ledger = pd.read_csv(EXAMPLE / "exclusions.csv")
        return flow_counts(
            t, ledger, outcomes=["fss_mean", "psqi_global", "mfis_total"], enrolled=34
        )
    t = mrs.read_study(ROOT / "data/sample/controlled/pmr_controlled.csv",
                       visits=["baseline", "week6", "week12"])  # fmt: skip
    ledger = pd.read_csv(EXAMPLE / "controlled" / "exclusions.csv")
    # the example's endpoint is week6 (its plan); the week12 ANCOVA has an exclusion to show
    return flow_counts(t, ledger, outcomes=["fss_mean", "psqi_global"],
                       arms=["control", "relaxation"], analysis="ANCOVA at week12")  # fmt: skip


def extents(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, Rectangle)]
    texts = [t for t in ax.texts if isinstance(t, Text) and t.get_text()]
    return boxes, texts, renderer


@pytest.mark.parametrize("kind", ["one group", "two arms"])
def test_boxes_do_not_overlap_and_text_fits(kind):
    counts = example_counts(kind)
    fig = flow_diagram(counts)
    boxes, texts, renderer = extents(fig)
    rows = 1 + len(flow_box_texts(counts)["arms"][0])
    assert len(boxes) == 1 + len(counts.arms) * (rows - 1)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    figure_box = fig.bbox
    for text in texts:
        extent = text.get_window_extent(renderer)
        assert figure_box.x0 <= extent.x0 and extent.x1 <= figure_box.x1 + 0.5, text.get_text()
        assert figure_box.y0 <= extent.y0 and extent.y1 <= figure_box.y1 + 0.5, text.get_text()
        if text.get_ha() == "left" and text.get_position()[0] > 0.5:  # box texts
            (home,) = [b for b in boxes if b.x0 - 1 <= extent.x0 and extent.y1 <= b.y1 + 1
                       and extent.y0 >= b.y0 - 1 and extent.x0 <= b.x1]  # fmt: skip
            assert extent.x1 <= home.x1 and extent.y0 >= home.y0, text.get_text()


def test_box_texts_carry_the_counts():
    texts = flow_box_texts(example_counts("two arms"))
    assert texts["enrolment"] == "Enrolled: n = 32"
    control, relaxation = texts["arms"]
    assert control[0] == ("Allocation", "Allocated to control: n = 16")
    assert "Seen at week12: n = 15" in control[2][1] and "Not seen: n = 1" in control[2][1]
    assert "FSS mean: n = 15" in control[3][1] and "no week12 visit: 1" in control[3][1]
    assert "FSS mean: n = 16" in relaxation[3][1]
    one = flow_box_texts(example_counts("one group"))
    assert "No data in the file (not allocated): n = 2" in one["enrolment"]
    assert "MFIS total: n = 29" in one["arms"][0][2][1]  # intervention, post, analysis


def test_saved_in_every_format_without_global_state(tmp_path):
    before = dict(mpl.rcParams)
    fig = flow_diagram(example_counts("one group"))
    paths = save_figure(fig, tmp_path / "flow", formats=("png", "svg", "pdf"))
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in paths[1].read_bytes()[:500] and paths[2].read_bytes()[:5] == b"%PDF-"
    assert dict(mpl.rcParams) == before
    again = save_figure(flow_diagram(example_counts("one group")), tmp_path / "again")
    assert again[0].read_bytes() == paths[0].read_bytes()


def test_draws_on_a_given_axes():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 6))
    ax = fig.add_subplot()
    assert flow_diagram(example_counts("two arms"), ax=ax) is fig
    assert any(isinstance(p, Rectangle) for p in ax.patches)


def test_docstring_examples_run():
    for module in (flow_stats, flow_figure):
        assert doctest.testmod(module, raise_on_error=False).failed == 0
