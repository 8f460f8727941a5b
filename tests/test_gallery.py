"""report/gallery.py: which outcomes get their own figures, and figures rendered once.

Reference for the headline rule: INSTRUMENTS.md item lists - the MFIS physical, cognitive and
psychosocial subscales and the FSMC motor and cognitive subscales are parts of their totals;
HADS anxiety and depression share no item; every NRS rating is its own score.
"""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.instruments.registry import DEFAULT
from msrelax_stats.report.gallery import figure_data_uri, figure_outcomes, make_figures
from msrelax_stats.report.options import ReportOptions
from msrelax_stats.report.outputs import write_outputs
from msrelax_stats.stats.analysis import analyse
from msrelax_stats.stats.options import AnalysisOptions


def table(*outcomes: str) -> list[str]:
    return list(outcomes)


def headline_outcomes(outcomes: list[str]) -> list[str]:
    return DEFAULT.headline(outcomes)


class _Outcomes:
    """A stand-in analysis with only its outcomes and their descriptions."""

    def __init__(self, outcomes):
        self.outcomes, self.info = list(outcomes), DEFAULT.info(outcomes)


def primary_outcomes(outcomes: list[str]) -> list[str]:
    return figure_outcomes(_Outcomes(outcomes), "primary")


def test_headline_outcomes_drop_subscales_and_psqi_components():
    results = table("fss_mean", "psqi_global", "psqi_c1", "psqi_c7", "mfis_total",
                    "mfis_physical", "mfis_cognitive", "mfis_psychosocial", "ess_total",
                    "isi_total", "hads_anxiety", "hads_depression", "fsmc_total", "fsmc_motor",
                    "fsmc_cognitive", "psfs_frequency", "nrs_pain", "nrs_spasticity")  # fmt: skip
    assert headline_outcomes(results) == [
        "fss_mean", "psqi_global", "mfis_total", "ess_total", "isi_total", "hads_anxiety",
        "hads_depression", "fsmc_total", "psfs_frequency", "nrs_pain", "nrs_spasticity",
    ]  # fmt: skip


def test_a_subscale_without_its_total_is_a_headline():
    # a file with only the MFIS physical items: nothing contains it, so it gets figures
    assert headline_outcomes(table("mfis_physical", "fss_mean")) == ["mfis_physical", "fss_mean"]


@pytest.fixture
def scored() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    pre = {"fss_mean": rng.uniform(3, 7, 6), "mfis_total": rng.integers(20, 60, 6),
           "mfis_physical": rng.integers(5, 30, 6)}  # fmt: skip
    rows = {k: np.concatenate([v, v - rng.uniform(0, 1, 6)]) for k, v in pre.items()}
    return pd.DataFrame({"id": [f"P{i}" for i in range(6)] * 2,
                         "time": pd.Categorical(["pre"] * 6 + ["post"] * 6, ["pre", "post"]),
                         **rows})  # fmt: skip


def test_primary_outcomes_are_fss_and_psqi_else_the_first_headline():
    results = table("fss_mean", "psqi_global", "psqi_c1", "mfis_total", "ess_total")
    assert primary_outcomes(results) == ["fss_mean", "psqi_global"]
    assert primary_outcomes(table("psqi_c1", "psqi_global", "isi_total")) == ["psqi_global"]
    assert primary_outcomes(table("mfis_physical", "mfis_total", "ess_total")) == ["mfis_total"]


def _analysis(scored, **options):
    return analyse(scored, AnalysisOptions(n_boot=200, **options))


def test_default_figure_set_is_the_primary_outcomes(scored):
    # primary: estimation plot (it holds the slopes) and changes of fss_mean only; the MFIS
    # scores are in the forest plot
    names = [s.name for s in make_figures(scored, _analysis(scored))]
    assert names == ["fss_mean_estimation", "fss_mean_changes", "forest_d_z"]


def test_captions_follow_the_confidence_level_and_resamples(scored):
    """Issue 14: captions (the report's alt text) said 95 % and 5000 resamples whatever ran."""
    specs = make_figures(scored, _analysis(scored, ci_level=0.9), figure_set="headline")
    assert all("95 %" not in s.caption for s in specs)
    estimation = next(s for s in specs if s.name == "fss_mean_estimation")
    assert "90 %" in estimation.caption and "200 resamples" in estimation.caption
    assert "90 %" in next(s for s in specs if s.name == "forest_d_z").caption


def test_figure_set_all_adds_the_subscales(scored):
    analysis = _analysis(scored)
    headline = [s.name for s in make_figures(scored, analysis, figure_set="headline")]
    everything = [s.name for s in make_figures(scored, analysis, figure_set="all")]
    per_outcome = ("estimation", "slopes", "changes")
    expected = [f"{o}_{kind}" for o in ("fss_mean", "mfis_total") for kind in per_outcome]
    assert headline == expected + ["forest_d_z"]
    assert everything == expected + [f"mfis_physical_{k}" for k in per_outcome] + ["forest_d_z"]
    with pytest.raises(ValueError, match="figure_set"):
        make_figures(scored, analysis, figure_set="some")


def test_data_uri_of_png_bytes_and_of_the_file_agree(tmp_path):
    png = b"\x89PNG\r\n\x1a\n-not-a-real-image"
    (tmp_path / "x.png").write_bytes(png)
    expected = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    assert figure_data_uri(png) == figure_data_uri(tmp_path / "x.png") == expected


def test_report_embeds_the_bytes_of_the_figure_files(scored, tmp_path):
    analysis = _analysis(scored, outcomes=["fss_mean"])
    files = write_outputs(tmp_path, scored=scored, analysis=analysis, registry=DEFAULT,
                          options=ReportOptions(figure_set="headline", dpi=100),
                          versions={"msrelax_stats": "0"})  # fmt: skip
    html = files["report.html"].read_text(encoding="utf-8")
    embedded = {
        base64.b64decode(src) for src in re.findall(r"data:image/png;base64,([^\"']+)", html)
    }
    pngs = {path.read_bytes() for key, path in files.items() if key.endswith(".png")}
    # estimation, slopes, changes, forest plot, and the participant flow
    assert len(pngs) == 5 and pngs <= embedded
    assert len(embedded) == 5  # nothing rendered a second time for the report
