"""The participant x visit table of one outcome that the missing-data analyses work on.

Who is analysed (everyone with at least one scored visit of the outcome, an arm label in a
two-arm study and every covariate), which cells are missing and why (no row for the visit, or a
row whose score is missing because items are missing), and the baseline covariates coded for a
regression. Used by :mod:`.imputation` and :mod:`.missing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.stats._design_tables import wide_scores

__all__ = [
    "REASON_MISSING_ITEMS",
    "REASON_MISSING_VISIT",
    "MissingDesign",
    "OutcomeTable",
    "imputed_cells",
    "outcome_table",
]

#: Ledger reasons of an imputed cell: no row for that visit / a row whose score is missing.
REASON_MISSING_VISIT = "imputed: missing visit"
REASON_MISSING_ITEMS = "imputed: score missing (items missing)"


@dataclass(frozen=True)
class MissingDesign:
    """Visits, endpoint, arms and covariates of a missing-data analysis.

    ``visits`` are in order, ``visits[0]`` is the baseline; ``endpoint`` is a later visit;
    ``arms`` is ``(control, treatment)`` or None for one group; ``covariates`` are column
    names of the scored table, one value per participant.
    """

    visits: tuple[str, ...]
    endpoint: str
    arms: tuple[str, str] | None = None
    covariates: tuple[str, ...] = ()

    @property
    def baseline(self) -> str:
        """The first visit."""
        return self.visits[0]


@dataclass(frozen=True)
class OutcomeTable:
    """One outcome, one row per analysed participant, one column per visit.

    ``values`` (n x visits) is NaN where the score is missing; ``absent`` is True where the
    participant has no row for that visit; ``treated`` (n,) is True in the treatment arm (None
    for one group); ``covariates`` (n x c) are the coded covariates named
    ``covariate_names``; ``raw_covariates`` the covariate values as read, indexed by ``id``, for
    every participant of the study (for the long file);
    ``excluded`` lists who was not analysed at all (``id``, ``outcome``, ``reason``).
    """

    outcome: str
    design: MissingDesign
    ids: np.ndarray
    values: np.ndarray
    absent: np.ndarray
    treated: np.ndarray | None
    covariates: np.ndarray
    covariate_names: tuple[str, ...]
    raw_covariates: pd.DataFrame
    excluded: pd.DataFrame

    def column(self, visit: str) -> int:
        """Index of ``visit`` among the columns of ``values``."""
        return self.design.visits.index(visit)

    def subset(self, rows: np.ndarray) -> OutcomeTable:
        """The same table restricted to ``rows`` (a boolean mask or indices of participants)."""
        return replace(
            self,
            ids=self.ids[rows],
            values=self.values[rows],
            absent=self.absent[rows],
            treated=None if self.treated is None else self.treated[rows],
            covariates=self.covariates[rows],
        )


def _per_participant(
    scored: pd.DataFrame, column: str, ids: pd.Index, visits: Sequence[str]
) -> tuple[pd.Series, list[Problem]]:
    """First non-missing value of ``column`` per participant, in visit order; conflicts."""
    order = {v: i for i, v in enumerate(visits)}
    rows = scored.assign(
        _id=scored["id"].astype(str), _o=scored["time"].astype(str).map(order).fillna(len(order))
    ).sort_values(["_o"], kind="stable")
    values = rows[column].where(rows[column].notna())
    distinct = values.groupby(rows["_id"], sort=False).nunique()
    problems = [
        Problem(
            "has different values at different visits; a covariate is one value per participant",
            participant=pid,
            column=column,
        )
        for pid in distinct.index[distinct > 1]
    ]
    first = values.groupby(rows["_id"], sort=False).first()
    return first.reindex(ids), problems


def _code_covariates(raw: pd.DataFrame) -> tuple[np.ndarray, tuple[str, ...]]:
    """Numeric covariates as they are; text/categorical ones as treatment-coded dummies."""
    columns, names = [], []
    for col in raw.columns:
        x = raw[col]
        if pd.api.types.is_bool_dtype(x) or pd.api.types.is_numeric_dtype(x):
            columns.append(pd.to_numeric(x.astype("float64"), errors="coerce").to_numpy(float))
            names.append(col)
            continue
        text = x.astype("object").where(x.notna())
        levels = sorted({str(v) for v in text.dropna()})
        for level in levels[1:]:  # first level in sorted order is the reference
            dummy = np.where(text.isna(), np.nan, (text.astype(str) == level).astype(float))
            columns.append(dummy.astype(float))
            names.append(f"{col}[{level}]")
    if not columns:
        return np.empty((len(raw), 0)), ()
    return np.column_stack(columns), tuple(names)


def outcome_table(scored: pd.DataFrame, outcome: str, design: MissingDesign) -> OutcomeTable:
    """Build the :class:`OutcomeTable` of ``outcome`` from the scored long table.

    Participants enter in order of first appearance. Left out, with a reason: no arm label (two
    arms), a covariate missing (covariates are not imputed), no scored visit of the outcome
    (nothing to impute from).

    Raises
    ------
    StudyDataError
        Unknown outcome or covariate column, duplicated participant-visit rows, a covariate
        that differs between the visits of one participant.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "1", "2", "3", "3"],
    ...                    "time": ["pre", "post", "pre", "pre", "post"],
    ...                    "fss_mean": [5.0, 4.0, 6.0, 5.5, np.nan]})
    >>> table = outcome_table(df, "fss_mean", MissingDesign(("pre", "post"), "post"))
    >>> table.absent[:, 1].tolist(), np.isnan(table.values[:, 1]).tolist()
    ([False, True, False], [False, True, True])
    """
    visits = list(design.visits)
    values, _ = wide_scores(scored, outcome, visits)
    ids = values.index
    sub = scored.loc[scored["time"].astype(str).isin(visits)]
    present = (
        pd.Series(
            True, index=pd.MultiIndex.from_arrays([sub["id"].astype(str), sub["time"].astype(str)])
        )
        .unstack()
        .reindex(index=ids, columns=visits)
        .notna()
    )
    reasons = pd.Series("", index=ids, dtype=object)
    treated = None
    if design.arms is not None:
        arm, _ = _per_participant(scored, "group", ids, visits)
        reasons = reasons.mask(arm.isna(), "no arm label")
        treated = (arm.astype("object") == design.arms[1]).to_numpy()
    problems: list[Problem] = []
    raw = pd.DataFrame(index=ids)
    for col in design.covariates:
        if col not in scored.columns:
            problems.append(Problem("covariate column not found", column=col))
            continue
        raw[col], found = _per_participant(scored, col, ids, visits)
        problems += found
    if problems:
        raise StudyDataError(problems)
    coded, names = _code_covariates(raw)
    for col in design.covariates:
        reasons = reasons.mask((reasons == "") & raw[col].isna(), f"covariate {col} missing")
    none_scored = values.notna().sum(axis=1).to_numpy() == 0
    reasons = reasons.mask((reasons == "") & none_scored, f"no scored visit of {outcome}")
    keep = (reasons == "").to_numpy()
    excluded = pd.DataFrame(
        {"id": ids[~keep], "outcome": outcome, "reason": reasons.to_numpy()[~keep]}
    )
    return OutcomeTable(
        outcome=outcome,
        design=design,
        ids=ids.to_numpy()[keep].astype(object),
        values=values.to_numpy(float)[keep],
        absent=~present.to_numpy(bool)[keep],
        treated=None if treated is None else treated[keep],
        covariates=coded[keep],
        covariate_names=names,
        raw_covariates=raw,
        excluded=excluded,
    )


def imputed_cells(table: OutcomeTable, visits: Sequence[str] | None = None) -> pd.DataFrame:
    """Ledger of the cells multiple imputation fills: ``id``, ``outcome``, ``visit``, ``reason``.

    ``reason`` is :data:`REASON_MISSING_VISIT` (no row for the visit) or
    :data:`REASON_MISSING_ITEMS` (a row whose score is missing). ``visits`` restricts the
    ledger to the visits that were imputed (all by default). Rows by participant, then visit.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "1", "2", "3", "3"],
    ...                    "time": ["pre", "post", "pre", "pre", "post"],
    ...                    "fss_mean": [5.0, 4.0, 6.0, 5.5, np.nan]})
    >>> table = outcome_table(df, "fss_mean", MissingDesign(("pre", "post"), "post"))
    >>> imputed_cells(table)[["id", "visit", "reason"]].values.tolist()
    [['2', 'post', 'imputed: missing visit'], ['3', 'post', 'imputed: score missing (items missing)']]
    """
    chosen = list(table.design.visits if visits is None else visits)
    cols = [table.column(v) for v in chosen]
    missing = np.isnan(table.values[:, cols])
    rows, which = np.nonzero(missing)
    absent = table.absent[:, cols][rows, which]
    return pd.DataFrame(
        {
            "id": table.ids[rows],
            "outcome": table.outcome,
            "visit": np.asarray(chosen, dtype=object)[which],
            "reason": np.where(absent, REASON_MISSING_VISIT, REASON_MISSING_ITEMS),
        }
    )
