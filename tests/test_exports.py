"""Real exports in (issue 15): REDCap, Qualtrics, SPSS and Stata files of the canonical sample.

Each export is built here from ``data/sample/pmr_study.csv`` (the canonical study) in the
exact shape the platform writes: REDCap's ``record_id``/``redcap_event_name``
(``baseline_arm_1``, ``week_6_arm_2``), ``*_complete`` columns and a repeating-instrument
row, the Shared Library PSQI's ``psqi_5othera``/``psqi_5other``; Qualtrics' metadata columns
(``StartDate`` .. ``UserLanguage``), its question-text and ``{"ImportId": ...}`` rows under
the header, choices numbered from 1, a preview and an unfinished response; SPSS names
``FSS1``/``PSQI5a`` with value labels and a user-missing code; Stata names ``psqi_01``,
``psqi_05a``. Each must give the scores of the canonical file, which the instrument tests
pin against the manuals' worked examples; the export is compared with it, never with
numbers pasted from a run.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from msrelax_stats.cli import main
from msrelax_stats.errors import StudyDataError
from msrelax_stats.instruments import score
from msrelax_stats.instruments.psqi import PSQI
from msrelax_stats.study import read_study

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "pmr_study.csv"
FSS = [f"fss_{i}" for i in range(1, 10)]
CODED = [f"psqi_5{c}" for c in "abcdefghij"] + ["psqi_6", "psqi_7", "psqi_8", "psqi_9"]
PSQI_ITEMS = ["psqi_1", "psqi_2", "psqi_3", "psqi_4", *CODED[:10], "psqi_5j_text", *CODED[10:]]
SCORES = ["fss_mean", "fss_sum", "psqi_global", *(f"psqi_c{i}" for i in range(1, 8))]


@pytest.fixture(scope="module")
def canonical() -> pd.DataFrame:
    """The canonical sample (FSS and PSQI items), text as the CSV holds it."""
    table = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    return table[["id", "time", *FSS, *PSQI_ITEMS]]


@pytest.fixture(scope="module")
def expected(canonical) -> pd.DataFrame:
    return scores_of(score(read_study(canonical)))


def scores_of(scored: pd.DataFrame) -> pd.DataFrame:
    """Scores by participant and visit position (0 = first visit), whatever the visit names."""
    visit = scored["time"].cat.codes.rename("visit")
    out = scored[SCORES].set_index([scored["id"].astype(str), visit])
    return out.sort_index()


def assert_same_scores(scored: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(scores_of(scored), expected, check_dtype=False)


def _labels(item: str) -> tuple[str, ...]:
    return PSQI.choices[item.removeprefix("psqi_")]


# ---- REDCap ---------------------------------------------------------------------------------


def redcap_rows(canonical: pd.DataFrame, labels: bool) -> pd.DataFrame:
    ids = list(dict.fromkeys(canonical["id"]))
    arm_of = {pid: 1 + (k % 2) for k, pid in enumerate(ids)}  # two arms, alternating
    arm_name = {1: "Relaxation", 2: "Control"}
    rows = []
    for record in canonical.to_dict("records"):
        arm = arm_of[record["id"]]
        if labels:
            event = ("Baseline" if record["time"] == "pre" else "Week 6") + (
                f" (Arm {arm}: {arm_name[arm]})")  # fmt: skip
        else:
            event = ("baseline" if record["time"] == "pre" else "week_6") + f"_arm_{arm}"
        row = {"record_id": record["id"], "redcap_event_name": event,
               "redcap_repeat_instrument": "", "redcap_repeat_instance": "",
               "redcap_survey_identifier": "", "fss_timestamp": "2024-03-01 10:00:00"}  # fmt: skip
        row |= {c: record[c] for c in FSS}
        row["fatigue_severity_scale_complete"] = "Complete" if labels else "2"
        for c in PSQI_ITEMS:
            name = {"psqi_5j": "psqi_5othera", "psqi_5j_text": "psqi_5other"}.get(c, c)
            value = record[c]
            if labels and c in CODED and value != "":
                value = _labels(c)[int(value)]
            row[name] = value
        row["pittsburgh_sleep_quality_index_complete"] = "Complete" if labels else "2"
        rows.append(row)
        if record["id"] == ids[2] and record["time"] == "pre":  # a repeating instrument row
            extra = dict.fromkeys(row, "")
            extra |= {"record_id": record["id"], "redcap_event_name": event,
                      "redcap_repeat_instrument": "adverse_events", "redcap_repeat_instance": "1"}  # fmt: skip
            rows.append(extra)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("labels", [False, True], ids=["raw export", "labels export"])
def test_redcap_export_scores_as_the_canonical_study(canonical, expected, tmp_path, labels):
    path = tmp_path / "redcap.csv"
    redcap_rows(canonical, labels).to_csv(path, index=False)
    study = read_study(path)
    meta = study.attrs["msrelax"]
    assert list(study["time"].cat.categories) == (
        ["Baseline", "Week 6"] if labels else ["baseline", "week_6"])  # fmt: skip
    arms = {"Relaxation", "Control"} if labels else {"1", "2"}
    assert set(study["group"]) == arms
    assert [r["reason"] for r in meta["excluded"]] == [
        "REDCap repeating instrument 'adverse_events' row: not a questionnaire visit"]  # fmt: skip
    assert ["psqi_5othera", "psqi_5j"] in meta["columns"]
    assert ["record_id", "id"] in meta["columns"]
    assert_same_scores(score(study), expected)


# ---- Qualtrics ------------------------------------------------------------------------------

META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
        "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName",
        "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude",
        "DistributionChannel", "UserLanguage"]  # fmt: skip


def qualtrics_name(column: str, q_numbers: bool) -> str:
    if column.startswith("fss_"):
        return f"Q1_{column[4:]}" if q_numbers else column.upper()
    item = column[5:]
    if item == "5j_text":
        sub = "Q6_10_TEXT" if q_numbers else "PSQI_5_10_TEXT"
        return sub
    if item.startswith("5"):
        k = "abcdefghij".index(item[1]) + 1
        return f"Q6_{k}" if q_numbers else f"PSQI_5_{k}"
    number = {"1": 2, "2": 3, "3": 4, "4": 5, "6": 7, "7": 8, "8": 9, "9": 10}[item]
    return f"Q{number}" if q_numbers else f"PSQI_{item}"


def qualtrics_text(canonical: pd.DataFrame, *, text_choices: bool, q_numbers: bool = False) -> str:
    """A Qualtrics CSV export of the study: header, question text, ImportId, responses."""
    items = [*FSS, *PSQI_ITEMS]
    names = [*META, "participant", "timepoint", *(qualtrics_name(c, q_numbers) for c in items)]
    question = [*META[:5], "Duration (in seconds)", *META[6:8], "Response ID", *META[9:],
                "participant", "timepoint", *(f"Question {c}" for c in items)]  # fmt: skip
    import_ids = [json.dumps({"ImportId": n}) for n in names]
    rows = [names, question, import_ids]
    records = canonical.to_dict("records")
    extra = [
        dict(records[0], id="P90", _status="preview"),
        dict(records[1], id="P91", _status="open"),
    ]
    for k, record in enumerate(records + extra):
        status = {"preview": ("Survey Preview", "1")}.get(
            record.get("_status", ""), ("IP Address", "0")
        )
        finished = record.get("_status") != "open"
        meta = ["2024-03-01 10:00:00", "2024-03-01 10:09:00", status[0] if text_choices else status[1],
                "192.0.2.1", "100" if finished else "40", "540",
                ("True" if finished else "False") if text_choices else str(int(finished)),
                "2024-03-01 10:09:01", f"R_{k:015d}", "", "", "", "", "", "", "anonymous", "EN"]  # fmt: skip
        answers = []
        for c in items:
            value = record[c]
            if c in CODED and value != "":
                value = _labels(c)[int(value)] if text_choices else str(int(value) + 1)
            if c == "psqi_4" and value.endswith(".0") and k % 3 == 0:
                value = value[:-2] + " hours"  # typed with its unit
            answers.append(value)
        rows.append([*meta, record["id"], record["time"], *answers])
    return pd.DataFrame(rows).to_csv(index=False, header=False)


def test_qualtrics_numbered_choices_need_the_item_coding(canonical, expected, tmp_path):
    path = tmp_path / "qualtrics.csv"
    path.write_text(qualtrics_text(canonical, text_choices=False), encoding="utf-8")
    with pytest.raises(StudyDataError) as error:
        read_study(path)
    messages = [p.message for p in error.value.problems]
    assert "is outside 0-3" in messages  # the sample's 3s exported as 4
    (coding,) = [m for m in messages if m.startswith("psqi: none of the ")]
    assert "pass --item-coding psqi=1-4" in coding
    study = read_study(path, item_coding="psqi=1-4")
    meta = study.attrs["msrelax"]
    reasons = {r["id"]: r["reason"] for r in meta["excluded"]}
    assert reasons == {
        "P90": "Qualtrics status 1 (survey preview): not a participant's response",
        "P91": "unfinished Qualtrics response (Finished = 0)",
    }
    assert any("is a duration with a unit, read as" in n["message"] for n in meta["notes"])
    assert_same_scores(score(study), expected)


def test_qualtrics_text_choices(canonical, expected, tmp_path):
    path = tmp_path / "qualtrics_text.csv"
    path.write_text(qualtrics_text(canonical, text_choices=True), encoding="utf-8")
    study = read_study(path)
    reasons = {r["id"]: r["reason"] for r in study.attrs["msrelax"]["excluded"]}
    assert reasons["P90"].startswith("Qualtrics status Survey Preview (survey preview)")
    assert reasons["P91"] == "unfinished Qualtrics response (Finished = False)"
    assert_same_scores(score(study), expected)


def test_qualtrics_q_numbers_with_the_map_that_map_wrote(canonical, expected, tmp_path, capsys):
    path = tmp_path / "qualtrics_q.csv"
    path.write_text(qualtrics_text(canonical, text_choices=False, q_numbers=True), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "no questionnaire items recognised" in capsys.readouterr().err
    written = tmp_path / "map.toml"
    assert main(["map", str(path), "--out", str(written)]) == 0
    text = written.read_text("utf-8")
    assert '"participant" = "id"' in text and '"timepoint" = "time"' in text
    # the user's edit: each commented, unmapped Q column named, and the coding stated
    for column in [*FSS, *PSQI_ITEMS]:
        name = qualtrics_name(column, True)
        assert f'# "{name}" = ""' in text, name
        text = text.replace(f'# "{name}" = ""', f'"{name}" = "{column}"')
    text = text.replace('# item_coding = {psqi = "1-4"}', 'item_coding = {psqi = "1-4"}')
    written.unlink()
    written.write_text(text, encoding="utf-8")
    assert_same_scores(score(read_study(path, column_map=written)), expected)


# ---- SPSS and Stata -------------------------------------------------------------------------


def numeric_frame(canonical: pd.DataFrame) -> pd.DataFrame:
    frame = canonical.copy()
    for c in [*FSS, "psqi_2", "psqi_4", *CODED]:
        frame[c] = pd.to_numeric(frame[c].replace("", np.nan))
    return frame


def test_spss_file_with_fss1_psqi5a_names_labels_and_user_missing(canonical, expected, tmp_path):
    frame = numeric_frame(canonical)
    frame.loc[(frame["id"] == "P05") & (frame["time"] == "post"), "fss_3"] = -99.0
    rename = {c: c.replace("_", "").upper().replace("TEXT", "_text") for c in [*FSS, *PSQI_ITEMS]}
    rename = {c: n[:-1] + n[-1].lower() if n[-1].isalpha() else n for c, n in rename.items()}
    spss = frame.rename(columns={**rename, "id": "Subject", "time": "Visit"})
    labels = {rename[c]: {**dict(enumerate(_labels(c))), -99: "Refused"} for c in CODED}
    labels[rename["fss_3"]] = {1: "Strongly disagree", 7: "Strongly agree", -99: "Refused"}
    path = tmp_path / "study.sav"
    pyreadstat.write_sav(spss, str(path), variable_value_labels=labels,
                         missing_ranges={rename["fss_3"]: [-99]})  # fmt: skip
    assert "FSS1" in spss.columns and "PSQI5a" in spss.columns
    study = read_study(path)
    expect = expected.copy()
    expect.loc[("P05", 1), ["fss_mean", "fss_sum"]] = np.nan  # the user-missing answer
    assert_same_scores(score(study), expect)
    # value labels coded 1-4 (user-missing -99 aside) give the coding away
    shifted = spss.copy()
    shifted[[rename[c] for c in CODED]] += 1
    labels_1 = {rename[c]: {**{k + 1: t for k, t in enumerate(_labels(c))}, -99: "Refused"}
                for c in CODED}  # fmt: skip
    pyreadstat.write_sav(shifted.head(4), str(tmp_path / "one_four.sav"),
                         variable_value_labels=labels_1)  # fmt: skip
    with pytest.raises(StudyDataError) as error:
        read_study(tmp_path / "one_four.sav")
    assert "the value labels of its items code the answers 1-4" in str(error.value.problems[0])
    scored = score(read_study(tmp_path / "one_four.sav", item_coding={"psqi": (1, 4)}))
    assert_same_scores(scored, expect.loc[scores_of(scored).index])


def test_stata_file_with_zero_padded_names(canonical, expected, tmp_path):
    frame = numeric_frame(canonical)
    rename = {c: c.replace("_text", "text") for c in [*FSS, *PSQI_ITEMS]}
    rename = {c: n.split("_")[0] + "_" + n.split("_")[1].zfill(3 if n[-1].isalpha() and
                                                                "text" not in n else 2)
              for c, n in rename.items()}  # fmt: skip
    rename["psqi_5j_text"] = "psqi_05j_text"
    stata = frame.rename(columns=rename)
    assert {"psqi_01", "psqi_05a", "fss_09"} <= set(stata.columns)
    path = tmp_path / "study.dta"
    pyreadstat.write_dta(stata, str(path))
    assert_same_scores(score(read_study(path)), expected)


# ---- what was recognised is shown --------------------------------------------------------------


def test_validate_lists_your_column_and_the_canonical_one(canonical, tmp_path, capsys):
    path = tmp_path / "redcap.csv"
    redcap_rows(canonical, False).to_csv(path, index=False)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "columns used (your column -> canonical column):" in out
    assert "  record_id -> id\n" in out and "  psqi_5othera -> psqi_5j\n" in out
    assert "  redcap_event_name -> time, group\n" in out
    assert "excluded: participant P03, visit baseline: REDCap repeating instrument" in out


def test_score_of_a_single_visit_file(canonical, tmp_path, capsys):
    one = canonical[canonical["time"] == "pre"].drop(columns="time")
    path = tmp_path / "one_visit.csv"
    one.to_csv(path, index=False)
    out = tmp_path / "scored.csv"
    assert main(["score", str(path), "--out", str(out)]) == 0, capsys.readouterr().err
    scored = pd.read_csv(out, dtype={"id": str})
    direct = score(canonical[canonical["time"] == "pre"].drop(columns="time"))
    np.testing.assert_allclose(scored["psqi_global"], direct["psqi_global"])


def test_the_methods_paragraph_states_the_item_coding(canonical, tmp_path, capsys):
    path = tmp_path / "qualtrics.csv"
    path.write_text(qualtrics_text(canonical, text_choices=False), encoding="utf-8")
    out = tmp_path / "results"
    code = main(["analyze", str(path), "--out", str(out), "--n-boot", "200",
                 "--item-coding", "psqi=1-4"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    report = (out / "report.html").read_text("utf-8")
    assert "PSQI items exported as 1-4 were recoded to 0-3 before scoring." in report
    ledger = pd.read_csv(out / "exclusions.csv", dtype=str, keep_default_na=False)
    reading = ledger[ledger["reason"].str.contains("Qualtrics")]
    assert sorted(reading["id"]) == ["P90", "P91"]
