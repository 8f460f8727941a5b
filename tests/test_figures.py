"""Content of every figure (msrelax_stats.figures), not just that a file appears.

The scored table is written by hand: five participants, one (D) without a post FSS, so four
complete FSS pairs with known changes A -1, B -1, C +0.5, E 0.
"""

from __future__ import annotations

import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from PIL import Image
from scipy import stats

from msrelax_stats.errors import StudyDataError
from msrelax_stats.figures import (
    OKABE_ITO,
    caseness_plot,
    change_distribution,
    estimation_plot,
    forest_plot,
    psqi_profile,
    save_figure,
    slope_plot,
)
from msrelax_stats.stats.bootstrap import MEAN_CHANGE, bootstrap_pairs
from msrelax_stats.stats.compare import compare
from msrelax_stats.stats.paired import mean_ci

PRE = {"A": 5.0, "B": 6.0, "C": 4.0, "D": 5.5, "E": 3.0}
POST = {"A": 4.0, "B": 5.0, "C": 4.5, "D": np.nan, "E": 3.0}
# PSQI components: participant i has c_k = (i + k) % 4 before and max(that - 1, 0) after.
POOR_PRE = {"A": True, "B": True, "C": False, "D": True, "E": True}
POOR_POST = {"A": False, "B": True, "C": False, "D": False, "E": pd.NA}


@pytest.fixture
def scored() -> pd.DataFrame:
    ids = list(PRE)
    frame = pd.DataFrame(
        {
            "id": ids * 2,
            "time": pd.Categorical(["pre"] * 5 + ["post"] * 5, ["pre", "post"], ordered=True),
            "fss_mean": [PRE[i] for i in ids] + [POST[i] for i in ids],
            "psqi_poor": pd.array([POOR_PRE[i] for i in ids] + [POOR_POST[i] for i in ids],
                                  dtype="boolean"),
        }
    )  # fmt: skip
    for k in range(1, 8):
        before = np.array([(i + k) % 4 for i in range(5)], dtype=float)
        frame[f"psqi_c{k}"] = np.r_[before, np.maximum(before - 1, 0)]
    return frame


@pytest.fixture
def result(scored):
    """The paired analysis the figures read (seeded bootstrap, 2000 resamples)."""
    return compare(scored, n_boot=2000, seed=1)


def results_table() -> pd.DataFrame:
    return pd.DataFrame(
        {"outcome": ["fss_mean", "psqi_global", "nrs_pain"], "better": ["lower"] * 3,
         "d_z": [-0.92, -0.4, 0.1], "d_z_ci_low": [-1.34, -0.8, -0.3],
         "d_z_ci_high": [-0.5, 0.0, 0.5], "ci_level": [0.95] * 3}
    )  # fmt: skip


def _lines(ax, gid):
    return [line for line in ax.lines if line.get_gid() == gid]


def _pair_segments(ax):
    """(x values, y values, colour) of every segment of the "pair" LineCollections."""
    found = []
    for collection in ax.collections:
        if isinstance(collection, LineCollection) and collection.get_gid() == "pair":
            colour = mpl.colors.to_hex(collection.get_color()[0]).upper()
            found += [(tuple(seg[:, 0]), tuple(seg[:, 1]), colour)
                      for seg in collection.get_segments()]  # fmt: skip
    return found


def test_slope_plot_one_line_per_complete_pair(scored, result):
    ax = slope_plot(scored, "fss_mean", result)
    pairs = _pair_segments(ax)
    assert len(pairs) == 4  # D has no post value
    assert not _lines(ax, "pair")  # one LineCollection per colour, not one Line2D per pair
    assert {xs for xs, _, _ in pairs} == {(0.0, 1.0)}
    drawn = sorted(ys for _, ys, _ in pairs)
    assert drawn == sorted([(5.0, 4.0), (6.0, 5.0), (4.0, 4.5), (3.0, 3.0)])
    colours = sorted(colour for _, _, colour in pairs)
    # A, B improved (lower FSS), C worsened, E unchanged.
    expected = [OKABE_ITO["bluish_green"]] * 2 + [OKABE_ITO["vermillion"], OKABE_ITO["grey"]]
    assert colours == sorted(expected)


def test_paired_lines_differ_by_style_not_only_colour(scored, result):
    """Issue 14: improved / worsened / unchanged must stay apart under deuteranopia."""
    ax = slope_plot(scored, "fss_mean", result)
    styles = {c.get_label(): str(c.get_linestyle()) for c in ax.collections
              if isinstance(c, LineCollection) and c.get_gid() == "pair"}  # fmt: skip
    assert len(set(styles.values())) == len(styles) == 3


def test_every_figure_states_the_direction_of_improvement(scored, result):
    figures = [slope_plot(scored, "fss_mean", result), change_distribution(scored, "fss_mean",
               result), psqi_profile(result), forest_plot(results_table()),
               caseness_plot(result.caseness, "psqi_poor")]  # fmt: skip
    fig = estimation_plot(scored, "fss_mean", result)
    for ax in [*figures, fig.axes[0]]:
        texts = [t.get_text() for t in ax.texts if t.get_gid() == "direction"]
        assert texts and all("better" in t or "improvement" in t for t in texts), ax


def test_slope_plot_pairs_by_id_not_row_order(scored, result):
    shuffled = scored.sample(frac=1.0, random_state=3)
    ax = slope_plot(shuffled, "fss_mean", result)
    drawn = sorted(ys for _, ys, _ in _pair_segments(ax))
    assert drawn == sorted([(5.0, 4.0), (6.0, 5.0), (4.0, 4.5), (3.0, 3.0)])


def test_slope_plot_labels_name_instrument_and_unit(scored, result):
    ax = slope_plot(scored, "fss_mean", result)
    assert "FSS" in ax.get_ylabel() and "points, 1-7" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Pre", "Post"]
    means = [line.get_ydata()[0] for line in _lines(ax, "mean_ci") if line.get_marker() == "o"]
    # complete pairs only: pre (5 + 6 + 4 + 3) / 4 = 4.5, post (4 + 5 + 4.5 + 3) / 4 = 4.125
    assert means == pytest.approx([4.5, 4.125])


def test_mean_ci_matches_r_t_test(scored, result):
    # R 4.x: print(t.test(c(5, 6, 4, 3))$conf.int, digits = 10) -> 2.445739743 6.554260257
    x = np.array([5.0, 6.0, 4.0, 3.0])
    low, high = mean_ci(x.mean(), x.std(ddof=1), x.size)
    assert (low[0], high[0]) == pytest.approx((2.445739743, 6.554260257), abs=1e-8)
    # the slope plot draws that interval of the pre visit (A, B, C, E: 5, 6, 4, 3)
    bars = [c for c in slope_plot(scored, "fss_mean", result).collections
            if c.get_gid() == "mean_ci"]  # fmt: skip
    ends = sorted(float(y) for c in bars for seg in c.get_segments() for y in seg[:, 1])
    assert any(abs(e - 2.445739743) < 1e-8 for e in ends)
    assert any(abs(e - 6.554260257) < 1e-8 for e in ends)


def test_unknown_column_is_a_study_data_error(scored, result):
    with pytest.raises(StudyDataError, match="fss_sum"):
        slope_plot(scored, "fss_sum", result)


def _ci(fig):
    return tuple(_lines(fig.axes[1], "ci")[0].get_ydata())


def test_estimation_plot_draws_the_results_bootstrap(scored, result):
    """Issue 14: the figure's interval is diff_bca_ci_low/high of the results table."""
    fig = estimation_plot(scored, "fss_mean", result)
    row = result.row("fss_mean")
    assert _ci(fig) == (row["diff_bca_ci_low"], row["diff_bca_ci_high"])
    # Reference: scipy.stats.bootstrap BCa of the mean change from the same draws (seed 1)
    pre = np.array([5.0, 6.0, 4.0, 3.0])  # pairs A, B, C, E in id order
    post = np.array([4.0, 5.0, 4.5, 3.0])
    ref = stats.bootstrap((pre, post), lambda x, y, axis=-1: np.mean(y - x, axis=axis),
                          paired=True, vectorized=True, n_resamples=2000, method="BCa",
                          rng=np.random.default_rng(1)).confidence_interval  # fmt: skip
    assert _ci(fig) == pytest.approx((ref.low, ref.high), rel=1e-10)
    assert _lines(fig.axes[1], "estimate")[0].get_ydata()[0] == pytest.approx(-0.375)
    other = estimation_plot(scored, "fss_mean", compare(scored, n_boot=2000, seed=2))
    assert _ci(other) != _ci(fig)
    # Gardner-Altman alignment: the difference axis has its zero at the pre mean (4.5).
    left_low, _ = fig.axes[0].get_ylim()
    right_low, _ = fig.axes[1].get_ylim()
    assert right_low == pytest.approx(left_low - 4.5)
    assert "FSS" in fig.axes[1].get_ylabel()
    assert "2000 resamples" in fig.axes[1].get_title() and "95 %" in fig.axes[1].get_title()


def test_figures_show_the_confidence_level_of_the_analysis(scored):
    """Issue 14: --ci-level 0.9 reached the tables but not the figures."""
    at_90 = compare(scored, n_boot=500, ci_level=0.9)
    assert "90 % CI" in estimation_plot(scored, "fss_mean", at_90).axes[1].get_title()
    assert "90 %" in slope_plot(scored, "fss_mean", at_90).get_title(loc="left")
    assert "90 %" in psqi_profile(at_90).get_title(loc="left")


def test_bootstrap_matches_theory_and_scipy():
    x = np.array([-1.2, -0.4, 0.3, -2.0, -0.9, -0.1, -1.6, 0.8, -0.7, -1.1, -0.3, -0.5])
    zeros = np.zeros_like(x)
    res = bootstrap_pairs(zeros, x, {"diff": MEAN_CHANGE}, n_boot=20000, seed=1)["diff"]
    # Bootstrap theory (Efron & Tibshirani 1993, ch. 5): the resampled means have mean x-bar
    # and SD sqrt(sum((x - x-bar)^2) / n) / sqrt(n) (the plug-in standard error).
    plug_in_se = np.sqrt(np.mean((x - x.mean()) ** 2) / x.size)
    # Monte Carlo SD of that mean over B = 20000 resamples is plug_in_se / sqrt(B): allow 4 SDs.
    assert res.distribution.mean() == pytest.approx(x.mean(), abs=4 * plug_in_se / np.sqrt(20000))
    assert res.distribution.std() == pytest.approx(plug_in_se, rel=0.03)
    # Reference implementation: scipy.stats.bootstrap BCa (independent resamples).
    ref = stats.bootstrap((x,), np.mean, n_resamples=20000, method="BCa",
                          rng=np.random.default_rng(5)).confidence_interval  # fmt: skip
    assert (res.ci_low, res.ci_high) == pytest.approx((ref.low, ref.high), abs=0.04)


def test_change_distribution_points_and_mcid(scored, result):
    ax = change_distribution(scored, "fss_mean", result, mcid=0.45)
    points = [c for c in ax.collections if c.get_gid() == "changes"][0]
    assert sorted(points.get_offsets()[:, 1]) == [-1.0, -1.0, 0.0, 0.5]
    mcid = _lines(ax, "mcid")
    assert len(mcid) == 1 and mcid[0].get_ydata()[0] == pytest.approx(-0.45)  # lower is better
    assert "Change in FSS mean" in ax.get_ylabel() and "points" in ax.get_ylabel()
    assert _lines(change_distribution(scored, "fss_mean", result), "mcid") == []


def test_forest_plot_one_interval_per_outcome():
    results = results_table()
    ax = forest_plot(results)
    ci = [c for c in ax.collections if isinstance(c, LineCollection) and c.get_gid() == "ci"]
    assert len(ci) == 1
    segments = ci[0].get_segments()
    assert len(segments) == 3
    assert sorted((s[0][0], s[1][0]) for s in segments) == sorted(
        zip(results["d_z_ci_low"], results["d_z_ci_high"], strict=True)
    )
    estimates = _lines(ax, "estimate")[0].get_xdata()
    assert list(estimates) == [-0.92, -0.4, 0.1]  # signs kept
    assert [t.get_text() for t in ax.get_yticklabels()] == ["FSS mean", "PSQI global", "NRS pain"]
    direction = [t for t in ax.texts if t.get_gid() == "direction"]
    assert len(direction) == 1 and direction[0].get_text() == "\u2190 improvement"
    assert "d_z" in ax.get_xlabel() and "95 % CI" in ax.get_xlabel()


def test_forest_plot_of_two_arms_has_one_interval_per_arm_and_outcome():
    # the within-arm results table of a two-arm study: control block first, then treatment
    from msrelax_stats.figures.designs import ARM_PALETTE

    control = results_table().assign(group="control")
    treated = results_table().assign(group="relaxation", d_z=[-1.5, -1.1, -0.2],
                                     d_z_ci_low=[-2.0, -1.6, np.nan],
                                     d_z_ci_high=[-1.0, -0.6, np.nan])  # fmt: skip
    ax = forest_plot(pd.concat([control, treated], ignore_index=True))
    segments = [c for c in ax.collections if c.get_gid() == "ci"][0].get_segments()
    assert len(segments) == 5  # 2 arms x 3 outcomes, minus the undefined CI
    by_arm = {line.get_label(): line for line in _lines(ax, "estimate")}
    assert list(by_arm) == ["control", "relaxation"]
    assert list(by_arm["relaxation"].get_xdata()) == [-1.5, -1.1, -0.2]
    assert (
        mpl.colors.to_hex(by_arm["control"].get_color()).upper() == ARM_PALETTE["control"].upper()
    )
    # each outcome once on the axis; its two arms just above and below its tick
    ticks = ax.get_yticks()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["FSS mean", "PSQI global", "NRS pain"]
    control_y, treated_y = by_arm["control"].get_ydata(), by_arm["relaxation"].get_ydata()
    assert np.all(control_y > ticks) and np.all(treated_y < ticks)
    assert np.allclose(control_y - ticks, ticks - treated_y)
    legend = ax.figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["control", "relaxation"]


def test_forest_plot_mixed_directions_marked_per_row():
    results = results_table().assign(better=["lower", "higher", "lower"])
    ax = forest_plot(results)
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "direction"]
    assert texts == ["\u2190 better", "better \u2192", "\u2190 better"]


def test_psqi_profile_seven_components_pre_and_post(result):
    ax = psqi_profile(result)
    labels = [t.get_text().split("\n")[0] for t in ax.get_xticklabels()]
    assert labels == [f"C{k}" for k in range(1, 8)]
    pre, post = _lines(ax, "pre")[0], _lines(ax, "post")[0]
    # C1 before: (i + 1) % 4 for i = 0..4 -> 1, 2, 3, 0, 1: mean 1.4; after 0, 1, 2, 0, 0: 0.6
    assert pre.get_ydata()[0] == pytest.approx(1.4) and post.get_ydata()[0] == pytest.approx(0.6)
    assert len(pre.get_ydata()) == len(post.get_ydata()) == 7
    assert "PSQI" in ax.get_ylabel() and "0-3" in ax.get_ylabel()


def test_caseness_plot_reads_the_caseness_table(result):
    # complete pairs A, B, C, D (E has NA post): pre yes A B D, post yes B;
    # yes->no A, D (b = 2), no->yes none (c = 0); R: binom.test(2, 2)$p.value = 0.5
    ax = caseness_plot(result.caseness, "psqi_poor")
    bars = [p.get_height() for p in ax.patches]
    assert bars == pytest.approx([75.0, 25.0])
    assert "p = .500" in ax.get_title(loc="left")
    assert "PSQI" in ax.get_ylabel() and "%" in ax.get_ylabel()


def test_caseness_plot_from_caseness_row():
    row = {"outcome": "psqi_poor", "n": 32, "pre_yes": 20, "post_yes": 12,
           "pre_yes_post_no": 9, "pre_no_post_yes": 1, "p_mcnemar": 0.0214}  # fmt: skip
    ax = caseness_plot(row)
    assert [p.get_height() for p in ax.patches] == pytest.approx([62.5, 37.5])
    assert "p = .021" in ax.get_title(loc="left")
    table = pd.DataFrame([row])
    assert [p.get_height() for p in caseness_plot(table, "psqi_poor").patches] == pytest.approx(
        [62.5, 37.5]
    )


def test_no_global_matplotlib_state_changed(scored, result):
    before = dict(mpl.rcParams)
    figures_before = plt.get_fignums()
    slope_plot(scored, "fss_mean", result, rc={"font.size": 12}, fontsize=9)
    estimation_plot(scored, "fss_mean", result)
    change_distribution(scored, "fss_mean", result, mcid=0.45)
    psqi_profile(result)
    forest_plot(results_table())
    caseness_plot(result.caseness, "psqi_poor")
    assert dict(mpl.rcParams) == before
    assert plt.get_fignums() == figures_before  # no pyplot figures left behind


def test_draws_on_a_given_axes(scored, result):
    fig, ax = plt.subplots()
    try:
        assert slope_plot(scored, "fss_mean", result, ax=ax) is ax
        assert len(_pair_segments(ax)) == 4
    finally:
        plt.close(fig)


def test_save_figure_deterministic_bytes_and_dpi(scored, result, tmp_path):
    ax = slope_plot(scored, "fss_mean", result)
    first = save_figure(ax, tmp_path / "a" / "slopes", formats=("png", "svg", "pdf"))
    second = save_figure(ax.figure, tmp_path / "b" / "slopes", formats=("png", "svg", "pdf"))
    assert [p.name for p in first] == ["slopes.png", "slopes.svg", "slopes.pdf"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    with Image.open(io.BytesIO(first[0].read_bytes())) as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert image.width == pytest.approx(3.5 * 300, abs=2)
    assert b"<dc:date>" not in first[1].read_bytes()
    with pytest.raises(ValueError, match="format"):
        save_figure(ax, tmp_path / "x", formats=("gif",))


def test_render_figure_once_same_bytes_as_the_files(scored, result, tmp_path):
    from msrelax_stats.figures.save import render_figure

    fig = estimation_plot(scored, "fss_mean", result)
    assert fig.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"
    draws = []
    fig.draw = lambda renderer, draw=fig.draw: draws.append(renderer) or draw(renderer)
    rendered = render_figure(fig, formats=("png", "svg"), dpi=100)
    assert fig.get_layout_engine() is None  # fixed: no engine, so savefig draws it once
    assert len(draws) == 2  # one drawing per format, none without rendering
    assert rendered["png"].startswith(b"\x89PNG") and b"<svg" in rendered["svg"]
    paths = save_figure(fig, tmp_path / "estimation", formats=("png", "svg"), dpi=100)
    assert [p.read_bytes() for p in paths] == [rendered["png"], rendered["svg"]]
    with Image.open(io.BytesIO(rendered["png"])) as image:
        assert image.info["dpi"] == pytest.approx((100, 100), abs=0.01)


def _line_figure(i):
    fig = Figure(figsize=(3, 2), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [i, i + 1, i * 2])
    ax.set_title(f"figure {i}")
    return fig


def test_save_figures_draws_makers_and_writes_the_bytes_of_save_figure(tmp_path):
    from functools import partial

    from msrelax_stats.figures.save import save_figure, save_figures

    serial = [save_figure(_line_figure(i), tmp_path / "one" / f"f{i}", ("png", "svg"), 100)
              for i in range(3)]  # fmt: skip
    jobs = [(partial(_line_figure, i), tmp_path / "many" / f"f{i}") for i in range(3)]
    saved = save_figures(jobs, ("png", "svg"), 100)
    assert [[p.name for p in paths] for paths in saved] == [[f"f{i}.png", f"f{i}.svg"]
                                                             for i in range(3)]  # fmt: skip
    for one, other in zip(serial, saved, strict=True):
        for a, b in zip(one, other, strict=True):
            assert a.read_bytes() == b.read_bytes(), a.name


def test_save_figures_with_two_workers_writes_the_same_bytes(tmp_path):
    from functools import partial

    from msrelax_stats.figures.save import save_figures

    jobs = {n: [(partial(_line_figure, i), tmp_path / n / f"f{i}") for i in range(3)]
            for n in ("one", "two")}  # fmt: skip
    one = save_figures(jobs["one"], ("png", "svg"), 100, workers=1)
    two = save_figures(jobs["two"], ("png", "svg"), 100, workers=2)
    assert [[p.name for p in paths] for paths in two] == [[p.name for p in paths] for paths in one]
    for a, b in zip(sum(one, []), sum(two, []), strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_building_the_mathtext_parser_first_changes_no_figure_byte():
    # analyze builds matplotlib's mathtext parser while it waits for the statistics
    # (figures.save.build_mathtext_parser); the forest plot's "Cohen's $d_z$" drawn in a
    # fresh process with and without it must be the same PNG
    import hashlib
    import os
    import subprocess
    import sys
    from pathlib import Path

    draw = (
        "import hashlib, sys\n"
        "import matplotlib; matplotlib.use('agg')\n"
        "from matplotlib.figure import Figure\n"
        "from msrelax_stats.figures.save import build_mathtext_parser, render_figure\n"
        "if sys.argv[1] == 'first': build_mathtext_parser()\n"
        "figure = Figure(figsize=(3, 2))\n"
        "figure.add_subplot().set_xlabel(\"Cohen's $d_z$ and Hedges' $g_{av}$\")\n"
        "print(hashlib.sha256(render_figure(figure, ('png',), 300)['png']).hexdigest())\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    digests = [
        subprocess.run([sys.executable, "-c", draw, order], capture_output=True, text=True,
                       check=True, timeout=120, env={**os.environ, "PYTHONPATH": src}).stdout
        for order in ("first", "not")
    ]  # fmt: skip
    assert digests[0] == digests[1] and len(digests[0].strip()) == len(hashlib.sha256().hexdigest())
