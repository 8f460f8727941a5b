"""Shared helpers of the designs beyond one group (two arms, more visits, diaries).

Which arm is the control, and a participant x visit table of one score with the reason each
row is incomplete. Used by :mod:`.arms`, :mod:`.visits` and :mod:`.diary`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["CONTROL_PATTERN", "resolve_arms", "study_visits", "wide_scores"]

CONTROL_PATTERN = re.compile(r"control|usual[\s_-]*care|wait[\s_-]*list", re.IGNORECASE)


def resolve_arms(scored: pd.DataFrame, control: str | None = None) -> tuple[str, str]:
    """Return ``(control, treatment)`` labels of the two arms in ``scored["group"]``.

    The control arm is ``control`` when given, else the one label that contains "control",
    "usual care" or "waitlist" (case-insensitive). A participant must keep one arm across
    visits. Anything else raises :class:`StudyDataError` with a message saying what to do.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "2"], "group": ["PMR", "Waitlist"]})
    >>> resolve_arms(df)
    ('Waitlist', 'PMR')
    """
    if "group" not in scored.columns:
        raise StudyDataError(
            Problem("no 'group' column: a two-arm analysis needs each participant's arm")
        )
    groups = scored["group"].astype("object").where(scored["group"].notna())
    labels = [str(x) for x in pd.unique(groups.dropna())]
    if len(labels) != 2:
        raise StudyDataError(
            Problem(
                f"a two-arm analysis needs exactly two arm labels, found {len(labels)}: "
                f"{', '.join(labels) or 'none'}",
                column="group",
            )
        )
    per_id = groups.groupby(scored["id"].astype(str), sort=False).nunique()
    problems = [
        Problem("participant is in more than one arm", participant=pid, column="group")
        for pid in per_id.index[per_id > 1]
    ]
    if problems:
        raise StudyDataError(problems)
    if control is not None:
        if str(control) not in labels:
            raise StudyDataError(
                Problem(
                    f"control arm is not one of the arm labels ({', '.join(labels)})",
                    column="group",
                    value=control,
                )
            )
        ctl = str(control)
    else:
        matches = [label for label in labels if CONTROL_PATTERN.search(label)]
        if len(matches) != 1:
            raise StudyDataError(
                Problem(
                    "cannot tell which arm is the control (arms: "
                    f"{', '.join(labels)}); name it with the control option",
                    column="group",
                )
            )
        ctl = matches[0]
    return ctl, next(label for label in labels if label != ctl)


def wide_scores(
    scored: pd.DataFrame, outcome: str, visits: Sequence[str]
) -> tuple[pd.DataFrame, pd.Series]:
    """One row per participant, one column per visit, and why each row is incomplete.

    Returns ``(values, reasons)``: ``values`` is indexed by ``id`` (order of first appearance)
    with the score of ``outcome`` at each visit (NaN when absent); ``reasons`` is a text per
    participant ("" when every visit is scored, else e.g. "no week12 visit; fss_mean missing
    at baseline"). Duplicate (id, visit) rows raise :class:`StudyDataError`.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "1", "2"], "time": ["pre", "post", "pre"],
    ...                    "fss_mean": [5.0, 4.0, 6.0]})
    >>> values, reasons = wide_scores(df, "fss_mean", ["pre", "post"])
    >>> reasons.tolist()
    ['', 'no post visit']
    """
    visits = [str(v) for v in visits]
    if outcome not in scored.columns:
        raise StudyDataError(Problem("outcome column not found", column=outcome))
    ids = pd.Index(pd.unique(scored["id"].astype(str)), name="id")
    sub = scored.loc[scored["time"].astype(str).isin(visits)]
    key = pd.MultiIndex.from_arrays(
        [sub["id"].astype(str).to_numpy(), sub["time"].astype(str).to_numpy()],
        names=["id", "time"],
    )
    dup = key.duplicated()
    if dup.any():
        raise StudyDataError(
            [
                Problem("participant has this visit more than once", participant=i, visit=t)
                for i, t in key[dup].unique()
            ]
        )
    score = pd.to_numeric(sub[outcome], errors="coerce").to_numpy(dtype=float)
    values = pd.Series(score, index=key).unstack("time").reindex(index=ids, columns=visits)
    present = (
        pd.Series(True, index=key)
        .unstack("time")
        .reindex(index=ids, columns=visits)
        .fillna(False)
        .astype(bool)
    )
    parts = [
        np.where(
            ~present[v].to_numpy(),
            f"no {v} visit",
            np.where(values[v].isna().to_numpy(), f"{outcome} missing at {v}", ""),
        )
        for v in visits
    ]
    frame = pd.DataFrame(np.column_stack(parts), index=ids)
    reasons = frame.apply(lambda row: "; ".join(x for x in row if x), axis=1)
    values.columns.name = None
    return values, reasons.rename("reason")


def study_visits(scored: pd.DataFrame) -> list[str]:
    """Visit labels of the study in order (the categories of an ordered ``time``)."""
    time = scored["time"]
    if isinstance(time.dtype, pd.CategoricalDtype):
        present = set(time.dropna().astype(str))
        return [str(c) for c in time.cat.categories if str(c) in present]
    return [str(v) for v in pd.unique(time.dropna().astype(str))]
