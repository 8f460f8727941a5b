"""Content of the design figures (msrelax_stats.figures.designs): lines, bands, labels.

Hand-written scored table: arm ``ctl`` has C1, C2, C3 with FSS 5, 6, 4 at t0 (mean 5, SD 1)
and 4, 6, 5 at t2; arm ``pmr`` has P1..P4, P4 without t1 and t2. Expected CIs are computed by
hand with t quantiles from R: ``qt(0.975, 2)`` = 4.302653, ``qt(0.975, 1)`` = 12.7062.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from msrelax_stats.errors import StudyDataError
from msrelax_stats.figures import (
    OKABE_ITO,
    adjusted_means_plot,
    arm_slope_plot,
    dose_response_plot,
    save_figure,
    trajectory_plot,
)
from msrelax_stats.stats.design import paired_by_arm
from msrelax_stats.stats.diary import dose_response
from msrelax_stats.stats.visits import mean_trajectories

VISITS = ["t0", "t1", "t2"]
FSS = {  # id: (arm, t0, t1, t2); NaN = visit absent
    "C1": ("ctl", 5.0, 4.5, 4.0),
    "C2": ("ctl", 6.0, 6.0, 6.0),
    "C3": ("ctl", 4.0, 5.0, 5.0),
    "P1": ("pmr", 5.0, 3.0, 3.5),
    "P2": ("pmr", 6.0, 4.0, 4.0),
    "P3": ("pmr", 5.5, 4.5, 4.5),
    "P4": ("pmr", 4.5, np.nan, np.nan),
}
QT_975_2 = 4.302653  # R: qt(0.975, 2)
QT_975_1 = 12.7062047  # R: qt(0.975, 1)


@pytest.fixture
def scored() -> pd.DataFrame:
    rows = [
        {"id": pid, "group": arm, "time": v, "fss_mean": val}
        for pid, (arm, *values) in FSS.items()
        for v, val in zip(VISITS, values, strict=True)
        if not np.isnan(val)
    ]
    frame = pd.DataFrame(rows)
    frame["time"] = pd.Categorical(frame["time"], VISITS, ordered=True)
    return frame


def within(scored):
    """The within-arm paired analysis of t0 against t2 the arm slopes read."""
    return paired_by_arm(scored, ("ctl", "pmr"), ["fss_mean"], ("t0", "t2"), ci_level=0.95,
                         seed=1, n_boot=200)  # fmt: skip


def trajectories_of(scored):
    return mean_trajectories(scored, ["fss_mean"], VISITS)


def dose(data):
    return dose_response(data[["id", "fss_mean"]], data[["id", "share_practised"]])


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def test_arm_slopes_one_line_per_complete_pair_coloured_by_arm(scored):
    ax = arm_slope_plot(scored, "fss_mean", within(scored), arms=("ctl", "pmr"))
    pairs = _by_gid(ax, "pair")
    assert len(pairs) == 6  # P4 has no t2
    colours = [to_hex(line.get_color()).upper() for line in pairs]
    assert colours.count(OKABE_ITO["orange"]) == 3  # control colour
    assert colours.count(OKABE_ITO["blue"]) == 3
    assert ax.get_ylabel() == "FSS mean (points, 1-7)"
    legend = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert legend == ["ctl (n = 3)", "pmr (n = 3)"]


def test_arm_slopes_mean_ci_by_hand(scored):
    ax = arm_slope_plot(scored, "fss_mean", within(scored), arms=("ctl", "pmr"))
    # control at t0: 5, 6, 4 -> mean 5, SD 1, half-width qt(.975, 2) * 1 / sqrt(3)
    half = QT_975_2 / np.sqrt(3)
    segments = _by_gid(ax, "mean_ci")[0].get_segments()
    (x0, low), (_, high) = segments[0]
    assert x0 < 0
    assert low == pytest.approx(5 - half, abs=1e-6) and high == pytest.approx(5 + half, abs=1e-6)
    means = _by_gid(ax, "arm_mean")
    assert len(means) == 2
    assert list(means[0].get_ydata()) == pytest.approx([5.0, 5.0])  # ctl t2: 4, 6, 5


def test_adjusted_means_markers_ci_and_title():
    adjusted = pd.DataFrame({"outcome": "fss_mean", "group": ["ctl", "pmr"], "n": [3, 3],
                             "adjusted_mean": [5.1, 4.0], "ci_low": [4.6, 3.5],
                             "ci_high": [5.6, 4.5], "pre_at": 5.25})  # fmt: skip
    row = {"ancova_diff": -1.1, "ancova_ci_low": -1.8, "ancova_ci_high": -0.4, "ancova_p": 0.012}
    ax = adjusted_means_plot(adjusted, "fss_mean", arms_row=row, visit="t2")
    marks = _by_gid(ax, "adjusted_mean")
    assert [m.get_ydata()[0] for m in marks] == [5.1, 4.0]
    cis = [c.get_segments()[0] for c in _by_gid(ax, "ci")]
    assert [(s[0][1], s[1][1]) for s in cis] == [(4.6, 5.6), (3.5, 4.5)]
    assert "-1.10 [-1.80, -0.40]" in ax.get_title(loc="left")
    assert "p = .012" in ax.get_title(loc="left")
    assert ax.get_ylabel() == "Adjusted t2 FSS mean (points, 1-7)"
    with pytest.raises(StudyDataError):
        adjusted_means_plot(adjusted, "psqi_global")


def test_trajectories_one_per_arm_with_band_and_faint_individuals(scored):
    ax = trajectory_plot(scored, "fss_mean", trajectories_of(scored), arms=("ctl", "pmr"))
    trajectories = _by_gid(ax, "trajectory")
    assert [t.get_label() for t in trajectories] == ["ctl", "pmr"]
    assert len(_by_gid(ax, "ci_band")) == 2
    individuals = _by_gid(ax, "individual")
    assert len(individuals) == 7  # every participant with a scored visit, P4 included
    assert all(line.get_alpha() < 0.5 for line in individuals)
    # pmr means over the participants seen: t0 (5 + 6 + 5.5 + 4.5) / 4, t1 (3 + 4 + 4.5) / 3
    assert list(trajectories[1].get_ydata()) == pytest.approx([5.25, 11.5 / 3, 12 / 3])
    assert ax.get_ylabel() == "FSS mean (points, 1-7)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["T0", "T1", "T2"]


def test_trajectory_one_group_and_ci_band_by_hand(scored):
    one = scored[scored["group"] == "ctl"].drop(columns="group")
    ax = trajectory_plot(one, "fss_mean", trajectories_of(one))
    assert len(_by_gid(ax, "trajectory")) == 1
    band = _by_gid(ax, "ci_band")[0].get_paths()[0].vertices
    # t0: 5, 6, 4 -> mean 5, SD 1: lower edge 5 - qt(.975, 2) / sqrt(3) at x = 0
    at0 = band[np.isclose(band[:, 0], 0.0), 1]
    assert at0.min() == pytest.approx(5 - QT_975_2 / np.sqrt(3), abs=1e-6)
    assert at0.max() == pytest.approx(5 + QT_975_2 / np.sqrt(3), abs=1e-6)


def test_dose_response_ols_line_and_band_by_hand():
    # x = 0, 0.5, 1 (0, 50, 100 %), y = 0, 1, 1: slope 1 per 100 %, intercept 1/6,
    # residuals -1/6, 1/3, -1/6: s^2 = (1/36 + 1/9 + 1/36) / 1 = 1/6; Sxx = 0.5 (in shares).
    data = pd.DataFrame({"id": ["1", "2", "3", "4"], "fss_mean": [0.0, 1.0, 1.0, np.nan],
                         "share_practised": [0.0, 0.5, 1.0, 0.7]})  # fmt: skip
    ax = dose_response_plot(dose(data), "fss_mean")
    assert len(_by_gid(ax, "participants")[0].get_offsets()) == 3
    fit = _by_gid(ax, "fit")[0]
    assert fit.get_ydata()[0] == pytest.approx(1 / 6) and fit.get_ydata()[-1] == pytest.approx(
        7 / 6
    )
    band = _by_gid(ax, "ci_band")[0].get_paths()[0].vertices
    at0 = band[np.isclose(band[:, 0], 0.0), 1]
    half = QT_975_1 * np.sqrt(1 / 6) * np.sqrt(1 / 3 + 0.25 / 0.5)  # at x = 0: (0 - 0.5)^2 / Sxx
    assert at0.min() == pytest.approx(1 / 6 - half, rel=1e-6)
    assert ax.get_xlabel() == "Days practised (% of the practice period)"
    assert ax.get_ylabel() == "Change in FSS mean (points, 1-7)"
    assert "rho = 0.87" in ax.get_title(loc="left") and "n = 3" in ax.get_title(loc="left")


def test_dose_response_too_few_points_has_no_line():
    data = pd.DataFrame({"id": ["1", "2"], "fss_mean": [0.0, 1.0], "share_practised": [0.2, 0.9]})
    ax = dose_response_plot(dose(data), "fss_mean")
    assert _by_gid(ax, "fit") == [] and _by_gid(ax, "ci_band") == []


def test_given_axes_used_and_no_global_state(scored):
    before = dict(mpl.rcParams)
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert trajectory_plot(scored, "fss_mean", trajectories_of(scored), ax=ax) is ax
    assert ax.get_legend() is not None  # legend inside a caller's axes
    assert dict(mpl.rcParams) == before


def test_same_figure_same_bytes(scored, tmp_path):
    paths = [
        save_figure(arm_slope_plot(scored, "fss_mean", within(scored)), tmp_path / name)[0]
        for name in ("a", "b")
    ]
    assert paths[0].read_bytes() == paths[1].read_bytes()
