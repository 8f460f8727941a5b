"""What survey platforms add to a study file: Qualtrics header rows and statuses, REDCap events.

Qualtrics (CSV export)
----------------------
Under the header row Qualtrics writes the question text of every column and then a row of
``{"ImportId": ...}`` cells (older exports: the question text only). A file whose header has
Qualtrics' ``ResponseId`` column loses those rows (:func:`qualtrics_header_rows`): the rows
among the first two whose ``ResponseId`` cell is not a response id (``R_...``) or whose cells
are ImportId objects. Responses that are not data are excluded, each with its reason in the
exclusions ledger (:func:`qualtrics_exclusions`): ``Status`` (text or its numeric code) a
survey preview (1, 17), a survey test (2) or spam (8, 9, 12); ``Finished`` 0 or false.

REDCap (raw or labels export)
-----------------------------
``record_id`` is the participant id (:data:`msrelax_stats.data.columns.ALIASES`).
``redcap_event_name`` is split into the visit and the arm (:func:`redcap_events`): a raw
event ``week_6_arm_1`` is visit ``week_6`` of arm ``1``; a labels export's event ``Week 6
(Arm 1: Control)`` is visit ``Week 6`` of arm ``Control``. The visits are the events in the
order the file first gives them (REDCap exports each record's events in the project's event
order), unless ``visits`` are given. The arm fills ``group`` when the file has more than one
arm and no ``group`` column. Rows of a repeating instrument (``redcap_repeat_instrument``
answered) are not visits: they are left out, each in the exclusions ledger.
``redcap_survey_identifier``, ``redcap_repeat_*``, ``*_complete`` and ``*_timestamp``
columns are ignored like any other column the instruments do not know.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from msrelax_stats.data.layout import as_text
from msrelax_stats.errors import Problem

__all__ = ["qualtrics_exclusions", "qualtrics_header_rows", "redcap_events"]

_RESPONSE_ID = re.compile(r"^R_\w+$")
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')
#: Qualtrics' response types (``Status``) that are not data: code -> what it is.
_NOT_DATA = {1: "survey preview", 2: "survey test", 8: "spam", 9: "survey preview spam",
             12: "imported spam", 17: "offline survey preview"}  # fmt: skip
_NOT_DATA_TEXT = {"survey preview": "survey preview", "survey test": "survey test",
                  "spam": "spam", "preview": "survey preview", "test": "survey test"}  # fmt: skip
_RAW_EVENT = re.compile(r"^(?P<visit>.+?)_arm_(?P<arm>\d+)$")
_LABEL_EVENT = re.compile(r"^(?P<visit>.+?)\s*\(Arm (?P<arm>\d+): (?P<name>.*)\)$")


def qualtrics_header_rows(raw: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, int]:
    """``raw`` without Qualtrics' question-text and ImportId rows, and how many were dropped.

    Examples
    --------
    >>> raw = pd.DataFrame({"ResponseId": ["Response ID", '{"ImportId":"_recordId"}', "R_1"]})
    >>> qualtrics_header_rows(raw, ["responseid"])[1]
    2
    """
    if "responseid" not in names or raw.empty:
        return raw, 0
    column = raw.iloc[:, names.index("responseid")]
    drop = 0
    for row in range(min(2, len(raw))):
        cells = raw.iloc[row].astype(str)
        imports = cells.str.match(_IMPORT_ID).any()
        response = str(column.iloc[row]).strip()
        if imports or not _RESPONSE_ID.match(response):
            drop = row + 1
        else:
            break
    return (raw.iloc[drop:].reset_index(drop=True) if drop else raw), drop


def qualtrics_exclusions(table: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Rows that are responses (``Status`` data, ``Finished`` true), and the others' reasons.

    ``table`` has canonical names (``status``, ``finished``, ``id``, ``time`` when present).
    Each excluded row is ``{"id", "visit", "reason"}``.
    """
    if "status" not in table.columns and "finished" not in table.columns:
        return table, []
    reasons = pd.Series("", index=table.index, dtype=object)
    if "status" in table.columns:
        status = as_text(table["status"])
        number = pd.to_numeric(status, errors="coerce")
        kind = number.map(_NOT_DATA).where(
            number.notna(), status.str.casefold().map(_NOT_DATA_TEXT)
        )
        reasons = reasons.where(kind.isna(), "Qualtrics status " + status.astype(str) + " (" +
                                kind.astype(str) + "): not a participant's response")  # fmt: skip
    if "finished" in table.columns:
        finished = as_text(table["finished"]).str.casefold()
        unfinished = finished.isin(["0", "false"]).to_numpy() & (reasons == "").to_numpy()
        reasons[unfinished] = (
            "unfinished Qualtrics response (Finished = "
            + as_text(table["finished"])[unfinished].astype(str)
            + ")"
        )
    out = reasons != ""
    excluded = _records(table[out.to_numpy()], reasons[out])
    return table[~out.to_numpy()], excluded


def _records(rows: pd.DataFrame, reasons: pd.Series) -> list[dict]:
    blank = pd.Series(np.nan, index=rows.index, dtype=object)
    ids = as_text(rows["id"]) if "id" in rows.columns else blank
    visits = as_text(rows["time"]) if "time" in rows.columns else blank
    return [
        {"id": None if pd.isna(i) else str(i), "visit": None if pd.isna(v) else str(v),
         "reason": str(r)}
        for i, v, r in zip(ids, visits, reasons, strict=True)
    ]  # fmt: skip


def redcap_events(
    table: pd.DataFrame, visits_given: bool, *, file: str | None = None
) -> tuple[pd.DataFrame, list[str] | None, list[dict], list[Problem]]:
    """Visit and arm from ``redcap_event_name``; repeating-instrument rows left out.

    Returns the table (``time`` and, with several arms and no ``group`` column, ``group``
    added; ``redcap_event_name`` kept), the visits in the file's event order (``None`` when
    ``visits_given`` or the file has no events), the excluded rows and notes.

    Examples
    --------
    >>> raw = pd.DataFrame({"id": ["1", "1"], "redcap_event_name": ["baseline_arm_1",
    ...                                                            "week_6_arm_1"]})
    >>> table, visits, _, _ = redcap_events(raw, False)
    >>> table["time"].tolist(), visits
    (['baseline', 'week_6'], ['baseline', 'week_6'])
    """
    if "redcap_event_name" not in table.columns or "time" in table.columns:
        table, excluded, notes = _repeating(table, file)
        return table, None, excluded, notes
    events = as_text(table["redcap_event_name"])
    distinct = list(dict.fromkeys(events.dropna()))
    visit_of, arm_of = {}, {}
    for event in distinct:
        found = _LABEL_EVENT.match(event) or _RAW_EVENT.match(event)
        visit_of[event] = found["visit"] if found else event
        arm_of[event] = (found.groupdict().get("name") or found["arm"]) if found else np.nan
    table = table.copy()
    table["time"] = events.map(visit_of)
    arms = {a for a in arm_of.values() if isinstance(a, str)}
    if len(arms) > 1 and "group" not in table.columns:
        table["group"] = events.map(arm_of)
    order = list(dict.fromkeys(visit_of[e] for e in distinct))
    table, excluded, notes = _repeating(table, file)
    return table, (None if visits_given or len(order) < 2 else order), excluded, notes


def _repeating(table: pd.DataFrame, file: str | None) -> tuple[pd.DataFrame, list, list]:
    """Rows of a REDCap repeating instrument left out, each recorded."""
    excluded: list[dict] = []
    notes: list[Problem] = []
    if "redcap_repeat_instrument" in table.columns:
        repeat = as_text(table["redcap_repeat_instrument"])
        rows = repeat.notna().to_numpy()
        if rows.any():
            reasons = ("REDCap repeating instrument '" + repeat[rows].astype(str) +
                       "' row: not a questionnaire visit")  # fmt: skip
            excluded = _records(table[rows], reasons)
            n = int(rows.sum())
            notes.append(Problem(f"{n} row{'s' if n > 1 else ''} of repeating instruments left "
                                 "out (not questionnaire visits)", file=file))  # fmt: skip
            table = table[~rows]
    return table, excluded, notes
