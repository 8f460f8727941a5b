"""Registry (instruments/registry.py): outcome lists and metadata of STATISTICS.md/INSTRUMENTS.md."""

import pytest

from msrelax_stats.instruments import (
    caseness_columns,
    instrument_spec,
    outcome_columns,
    outcome_info,
)


def test_outcome_columns_in_the_order_of_statistics_md():
    columns = ["nrs_pain", "psfs_frequency", "fsmc_cognitive", "fsmc_motor", "fsmc_total",
               "hads_depression", "hads_anxiety", "isi_total", "ess_total", "mfis5_total",
               "mfis_psychosocial", "mfis_cognitive", "mfis_physical", "mfis_total",
               *[f"psqi_c{i}" for i in range(7, 0, -1)], "psqi_global", "fss7_mean", "fss_sum",
               "fss_mean", "psqi_efficiency", "psqi_poor", "fss_n_answered"]  # fmt: skip
    assert outcome_columns(columns) == [
        "fss_mean", "psqi_global", *[f"psqi_c{i}" for i in range(1, 8)], "mfis_total",
        "mfis_physical", "mfis_cognitive", "mfis_psychosocial", "ess_total", "isi_total",
        "hads_anxiety", "hads_depression", "fsmc_total", "fsmc_motor", "fsmc_cognitive",
        "psfs_frequency", "nrs_pain",
    ]  # fmt: skip


def test_short_forms_only_when_alone():
    assert outcome_columns(["mfis5_total", "fss7_mean"]) == ["fss7_mean", "mfis5_total"]


def test_caseness_columns():
    columns = ["ess_eds", "psqi_poor", "fss_fatigued", "mfis_fatigued", "fss_mean"]
    assert caseness_columns(columns) == ["fss_fatigued", "psqi_poor", "mfis_fatigued", "ess_eds"]


@pytest.mark.parametrize(
    ("name", "mcid", "kind", "source"),
    [
        ("fss_mean", 0.45, "points", "Rooney 2019 (MS)"),
        ("mfis_total", 4.0, "points", "Rooney 2019 (MS)"),
        ("psqi_global", 3.0, "points", "commonly used, not MS-specific"),
        ("ess_total", None, "points", ""),
    ],
)
def test_mcids_of_instruments_md(name, mcid, kind, source):
    info = outcome_info(name)
    assert (info.mcid, info.mcid_kind, info.mcid_source) == (mcid, kind, source)
    assert info.better == "lower"


def test_labels_and_units():
    assert (outcome_info("psqi_c4").label, outcome_info("psqi_c4").unit) == (
        "PSQI C4 habitual sleep efficiency",
        "points, 0-3",
    )
    assert outcome_info("mfis_physical").unit == "points, 0-36"
    assert outcome_info("fsmc_total").unit == "points, 20-100"
    assert outcome_info("hads_anxiety").instrument == "HADS"
    with pytest.raises(KeyError):
        outcome_info("age")


def test_references_and_rule_text_for_the_methods_paragraph():
    psqi = instrument_spec("PSQI")
    assert psqi.references[0].text.startswith("Buysse DJ")
    assert "global score above 5" in psqi.methods_text()  # Buysse 1989: > 5 is poor sleep
    for name in ["fss", "psqi", "mfis", "ess", "isi", "hads", "fsmc", "psfs", "nrs"]:
        spec = instrument_spec(name)
        assert spec.references and spec.rule_text and spec.licence
        text = spec.methods_text()
        assert "{" not in text and all(ref.key in text for ref in spec.references[:1])


def test_headline_outcomes_leave_out_subscales_and_components():
    # INSTRUMENTS.md: the total of each questionnaire is its headline score; the PSQI
    # components, the MFIS and FSMC subscales are parts of a total; HADS has two scales and no
    # total, each NRS rating stands alone.
    from msrelax_stats.instruments.registry import headline_outcomes

    columns = ["fss_mean", "psqi_global", *[f"psqi_c{i}" for i in range(1, 8)], "mfis_total",
               "mfis_physical", "mfis_cognitive", "mfis_psychosocial", "ess_total", "isi_total",
               "hads_anxiety", "hads_depression", "fsmc_total", "fsmc_motor", "fsmc_cognitive",
               "psfs_frequency", "nrs_pain", "nrs_spasticity"]  # fmt: skip
    assert headline_outcomes(columns) == ["fss_mean", "psqi_global", "mfis_total", "ess_total",
                                          "isi_total", "hads_anxiety", "hads_depression",
                                          "fsmc_total", "psfs_frequency", "nrs_pain",
                                          "nrs_spasticity"]  # fmt: skip
    # the components alone are still components; a short form alone is a headline
    assert headline_outcomes(["psqi_c1", "psqi_c2"]) == []
    assert headline_outcomes(["mfis5_total"]) == ["mfis5_total"]


def test_custom_instrument_subscales():
    from msrelax_stats.instruments import load_instrument
    from msrelax_stats.instruments.registry import DEFAULT

    spec = load_instrument({"name": "sleepy", "items": 4, "min": 0, "max": 4, "scores": [
        {"name": "sleepy_total"}, {"name": "sleepy_ab", "items": [1, 2]},
        {"name": "sleepy_mean", "method": "mean", "role": "subscale"}]})  # fmt: skip
    registry = DEFAULT.with_instruments([spec])
    # sleepy_ab by its items, sleepy_mean (same items) because its spec says so
    assert registry.headline(["sleepy_total", "sleepy_ab", "sleepy_mean"]) == ["sleepy_total"]


def test_numeric_columns_are_the_number_items_and_scores():
    """PSQI (Buysse 1989): Q1 and Q3 are clock times, Q5j's description free text; Q2
    (minutes), Q4 (hours) and every rated item are numbers, as is each score column."""
    from msrelax_stats.instruments.registry import numeric_columns

    psqi = {c for c in numeric_columns() if c.startswith("psqi_")}
    rated = {f"psqi_5{x}" for x in "abcdefghij"} | {f"psqi_{q}" for q in (2, 4, 6, 7, 8, 9)}
    assert rated <= psqi
    assert not {"psqi_1", "psqi_3", "psqi_5j_text"} & psqi
    assert {"psqi_global", "fss_mean"} <= numeric_columns()
