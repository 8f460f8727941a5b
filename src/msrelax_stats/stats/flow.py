"""Participant flow (CONSORT / TREND): who was enrolled, allocated, seen, lost and analysed.

:func:`flow_counts` counts it from the long table (who has a row at which visit, in which
arm), the exclusions ledger (who was left out of which outcome, and why) and the number
enrolled; :func:`msrelax_stats.figures.flow.flow_diagram` draws the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError

__all__ = [
    "VisitFlow",
    "OutcomeFlow",
    "ArmFlow",
    "FlowCounts",
    "flow_counts",
    "lost_to_follow_up",
    "short_reason",
    "imputed_reason",
    "is_imputed",
]

#: What a ledger reason of an imputed visit holds (see :func:`imputed_reason`).
IMPUTED_MARK = "imputed (MI"


@dataclass(frozen=True)
class VisitFlow:
    """A follow-up visit of one arm: seen, not seen (with reasons: (reason, n) pairs)."""

    visit: str
    seen: int
    not_seen: int
    reasons: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class OutcomeFlow:
    """A primary outcome of one arm: analysed, excluded (with reasons: (reason, n) pairs), and
    of the analysed, imputed (multiple imputation: who had which visit imputed)."""

    outcome: str
    analysed: int
    excluded: int
    reasons: tuple[tuple[str, int], ...] = ()
    imputed: int = 0
    imputed_reasons: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ArmFlow:
    """One arm (``arm`` None for a one-group study): allocated, each follow-up, analysed."""

    arm: str | None
    allocated: int
    visits: tuple[VisitFlow, ...]
    outcomes: tuple[OutcomeFlow, ...]


@dataclass(frozen=True)
class FlowCounts:
    """Everything a CONSORT (two arms) or TREND (one group) flow diagram shows.

    ``no_data`` = enrolled participants without a row in the table (not allocated);
    ``baseline`` the first visit; ``analysis`` what the analysed counts refer to.
    """

    enrolled: int
    no_data: int
    baseline: str
    arms: tuple[ArmFlow, ...]
    analysis: str = ""

    @property
    def randomised(self) -> bool:
        """True for two or more arms (a CONSORT diagram)."""
        return len(self.arms) > 1


def short_reason(reason: str) -> str:
    """A ledger reason without its detail, for a diagram box.

    Examples
    --------
    >>> short_reason("score missing at visit pre (missing:mfis_15); missing visit post")
    'score missing at visit pre; missing visit post'
    """
    parts = [p.split(" (", 1)[0].strip() for p in str(reason).split(";")]
    return "; ".join(dict.fromkeys(p for p in parts if p))


def imputed_reason(visit: str, why: str = "") -> str:
    """The ledger reason of a visit filled by multiple imputation: the participant is
    analysed, not excluded (:func:`flow_counts` counts them apart).

    Examples
    --------
    >>> imputed_reason("week6", "missing visit")
    'week6 imputed (MI: missing visit)'
    """
    return f"{visit} {IMPUTED_MARK}: {why})" if why else f"{visit} {IMPUTED_MARK})"


def is_imputed(reason: str) -> bool:
    """True when every part of a ledger reason is an imputed visit (:func:`imputed_reason`)."""
    parts = [p for p in str(reason).split(";") if p.strip()]
    return bool(parts) and all(IMPUTED_MARK in p for p in parts)


def _counted(reasons: pd.Series) -> tuple[tuple[str, int], ...]:
    counts = reasons.value_counts(sort=False)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple((str(k), int(v)) for k, v in ordered)


def flow_counts(
    table: pd.DataFrame,
    ledger: pd.DataFrame,
    *,
    outcomes: Sequence[str],
    enrolled: int | None = None,
    arms: Sequence[str] | None = None,
    analysis: str | None = None,
    visit_reasons: pd.DataFrame | None = None,
) -> FlowCounts:
    """Count the participant flow.

    Parameters
    ----------
    table : DataFrame
        The long table (``id``, ``time``, optional ``group``): a participant is allocated
        to the arm of their rows and seen at a visit when they have a row for it.
    ledger : DataFrame
        The exclusions ledger (``id``, ``outcome``, ``reason``, optional ``analysis``,
        ``group``), as ``exclusions.csv``.
    outcomes : sequence of str
        The primary outcomes whose analysed counts are shown.
    enrolled : int, optional
        Participants enrolled; default the participants of ``table``. More than that are
        shown as enrolled without data (not allocated).
    arms : sequence of str, optional
        Arm order (control first); default order of appearance. No ``group`` column, or a
        single label: one group.
    analysis : str, optional
        Which ``analysis`` of the ledger the analysed counts come from; default the first
        one whose name starts with ``"paired"`` (or the whole ledger without that column).
    visit_reasons : DataFrame, optional
        Why participants missed a visit (``id``, ``visit``, ``reason``: withdrew, relapse,
        ...); without it a missed visit reads "no visit recorded".

    Returns
    -------
    FlowCounts

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"id": ["a", "a", "b"], "time": ["pre", "post", "pre"]})
    >>> ledger = pd.DataFrame({"id": ["b"], "outcome": ["fss_mean"],
    ...                        "reason": ["missing visit post"]})
    >>> counts = flow_counts(t, ledger, outcomes=["fss_mean"], enrolled=3)
    >>> counts.no_data, counts.arms[0].visits[0], counts.arms[0].outcomes[0].analysed
    (1, VisitFlow(visit='post', seen=1, not_seen=1, reasons=(('no visit recorded', 1),)), 1)
    """
    for frame, name, needed in ((table, "table", ("id", "time")),
                                (ledger, "ledger", ("id", "outcome", "reason"))):  # fmt: skip
        absent = [c for c in needed if c not in frame.columns]
        if absent:
            raise StudyDataError(
                [Problem(f"is not a column of the {name}", column=c) for c in absent]
            )
    ids = table["id"].astype(str)
    time = table["time"].astype(str)
    cats = getattr(table["time"], "cat", None)
    visits = [str(v) for v in (cats.categories if cats is not None else pd.unique(time))]
    participants = list(pd.unique(ids))
    if enrolled is None:
        enrolled = len(participants)
    if enrolled < len(participants):
        raise StudyDataError(
            Problem(
                f"enrolled = {enrolled} is fewer than the {len(participants)} participants of the table"
            )
        )
    groups: Mapping[str, str] = {}
    labels: list[str | None] = [None]
    if "group" in table.columns:
        groups = (
            table.assign(id=ids).groupby("id", sort=False)["group"].first().astype(str).to_dict()
        )
        found = [str(a) for a in (arms or pd.unique(pd.Series(list(groups.values()))))]
        labels = found if len(found) > 1 else [None]
    chosen = ledger
    if "analysis" in ledger.columns:
        names = [str(a) for a in pd.unique(ledger["analysis"].astype(str))]
        if analysis is None:
            analysis = next((a for a in names if a.startswith("paired")), names[0] if names else "")
        chosen = ledger[ledger["analysis"].astype(str) == analysis]
    reasons_at = None
    if visit_reasons is not None:
        reasons_at = visit_reasons.assign(id=visit_reasons["id"].astype(str),
                                          visit=visit_reasons["visit"].astype(str))  # fmt: skip
    arm_flows = []
    for label in labels:
        members = [p for p in participants if label is None or groups.get(p) == label]
        member_set = set(members)
        visit_flows = []
        for visit in visits[1:]:
            seen = set(ids[time == visit]) & member_set
            missed = sorted(member_set - seen)
            given = pd.Series(["no visit recorded"] * len(missed), index=missed, dtype=object)
            if reasons_at is not None:
                at = reasons_at[reasons_at["visit"] == visit].drop_duplicates("id").set_index("id")
                given.update(at["reason"].astype(str).reindex(missed).dropna())
            visit_flows.append(VisitFlow(visit, len(seen), len(missed), _counted(given)))
        outcome_flows = []
        for outcome in outcomes:
            rows = chosen[(chosen["outcome"].astype(str) == outcome)
                          & chosen["id"].astype(str).isin(member_set)]  # fmt: skip
            filled = rows["reason"].map(is_imputed).astype(bool)
            per_id = rows[~filled].groupby(rows["id"].astype(str), sort=False)["reason"].first()
            imp = rows[filled].groupby(rows["id"].astype(str), sort=False)["reason"].first()
            imp = imp[~imp.index.isin(per_id.index)]
            outcome_flows.append(
                OutcomeFlow(
                    outcome,
                    len(members) - len(per_id),
                    len(per_id),
                    _counted(per_id.map(short_reason)),
                    len(imp),
                    _counted(imp.map(short_reason)),
                )  # fmt: skip
            )
        arm_flows.append(ArmFlow(label, len(members), tuple(visit_flows), tuple(outcome_flows)))
    return FlowCounts(
        enrolled=int(enrolled),
        no_data=int(enrolled - len(participants)),
        baseline=visits[0],
        arms=tuple(arm_flows),
        analysis=str(analysis or ""),
    )


def lost_to_follow_up(table: pd.DataFrame, visit: str, outcomes: Sequence[str]) -> list[str]:
    """Participants lost to follow-up at ``visit``: no row for it, or a row with none of
    ``outcomes`` scored (a blank questionnaire), in order of first appearance.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"id": ["a", "a", "b", "c", "c"],
    ...                   "time": ["pre", "post", "pre", "pre", "post"],
    ...                   "fss_mean": [5.0, 4.0, 6.0, 5.5, None]})
    >>> lost_to_follow_up(t, "post", ["fss_mean"])
    ['b', 'c']
    """
    ids = table["id"].astype(str)
    at = (table["time"].astype(str) == str(visit)).to_numpy()
    present = [o for o in outcomes if o in table.columns]
    seen = table.loc[at, present].notna().any(axis=1) if present else pd.Series(True, ids[at].index)
    followed = set(ids[at][seen.to_numpy()])
    return [p for p in pd.unique(ids) if p not in followed]
