"""``compare()``: the complete paired pre/post analysis of every outcome, one row each.

Input is the scored long table (``docs/architecture.md``: ``id``, ``time``, score columns,
caseness flags). Pairs are matched by participant id, never by row order; per outcome a
participant enters only with both visits scored, and everyone left out is listed in
``exclusions`` with the reason. The table columns, their names and their order are those of
STATISTICS.md "Per outcome"; undefined statistics are NaN with a note in ``notes``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.instruments.registry import OutcomeInfo, registry_of
from msrelax_stats.parallel import split_map
from msrelax_stats.stats.bootstrap import BootstrapResult

if TYPE_CHECKING:
    from msrelax_stats.stats.paired_row import PairedRow

# The computations (scipy) are imported where they run, and the names of
# ``stats.paired_row`` re-exported here on first use: this module, which defines the result,
# imports no scipy, so a process can unpickle a result without importing scipy (``analyze``
# writes the report in such a process: msrelax_stats.pipeline).
_FROM_PAIRED_ROW = ("PairedRow", "TABLE_COLUMNS", "paired_row")

__all__ = ["PairedResult", "compare", "default_outcomes", *_FROM_PAIRED_ROW]


def __getattr__(name: str) -> Any:
    if name in _FROM_PAIRED_ROW:
        from msrelax_stats.stats import paired_row

        return getattr(paired_row, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


CASENESS_COLUMNS = ["outcome", "n", "pre_yes", "post_yes", "pre_yes_post_no", "pre_no_post_yes",
                    "p_mcnemar"]  # fmt: skip
RESPONDER_COLUMNS = ["outcome", "n", "mcid", "mcid_kind", "responders", "proportion", "ci_low",
                     "ci_high", "source"]  # fmt: skip
EXCLUSION_COLUMNS = ["id", "outcome", "reason"]
CAVEAT_COLUMNS = ["outcome", "statistic", "caveat"]
VISIT_MEANS_COLUMNS = ["outcome", "visit", "n", "mean", "sd", "ci_low", "ci_high", "ci_level"]


@dataclass
class PairedResult:
    """Result of :func:`compare`: ``results.csv``, ``caseness.csv``, ``responders.csv`` and more.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per outcome, the columns of STATISTICS.md in that order.
    exclusions : pandas.DataFrame
        ``id``, ``outcome``, ``reason`` for every participant left out of an outcome.
    caseness, responders : pandas.DataFrame
        Pre x post tables with exact McNemar; responders by MCID with Wilson CIs.
    options : dict
        The arguments used (outcomes, visits, ci_level, seed, n_boot, prior scale).
    notes : list of str
        Why values are NaN, levels that could not be reached, dropped bootstrap resamples.
    visit_means : pandas.DataFrame
        Per outcome and visit, over the complete pairs: ``n``, ``mean``, ``sd`` and the
        t-based CI of the mean (:func:`msrelax_stats.stats.paired.mean_ci`): what the slope
        plots and the PSQI profile draw.
    bootstrap : dict
        ``(group, outcome)`` -> :class:`~msrelax_stats.stats.bootstrap.BootstrapResult` of the
        mean change, ``group`` None in a one-group analysis (its distribution is what the
        estimation plot draws; its interval is ``diff_bca_ci_low``/``diff_bca_ci_high``).
        Absent for outcomes without an interval; see :meth:`mean_change_bootstrap`.
    info : dict
        Outcome or caseness column -> :class:`~msrelax_stats.instruments.registry.OutcomeInfo`
        (label, instrument, unit, direction, MCID) from the registry the table was scored
        with: what figures, tables and sentences name the outcomes by.
    caveats : pandas.DataFrame
        ``outcome``, ``statistic`` (``wilcoxon``, ``hl``, ``rank_biserial``), ``caveat``:
        where a number is less than it looks (R would warn, an interval has zero width or
        excludes its estimate, ranks taken on the exact scale); the report shows them beside
        the numbers.
    """

    table: pd.DataFrame
    exclusions: pd.DataFrame
    caseness: pd.DataFrame
    responders: pd.DataFrame
    options: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    visit_means: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=VISIT_MEANS_COLUMNS)
    )
    bootstrap: dict[tuple[str | None, str], BootstrapResult] = field(default_factory=dict)
    info: dict[str, OutcomeInfo] = field(default_factory=dict)
    caveats: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CAVEAT_COLUMNS))

    def to_frame(self) -> pd.DataFrame:
        """The per-outcome table (``results.csv``)."""
        return self.table

    def mean_change_bootstrap(self, outcome: str, group: str | None = None) -> BootstrapResult:
        """The bootstrap of the mean change of ``outcome`` (within arm ``group``).

        Raises
        ------
        KeyError
            When the outcome has no bootstrap (fewer than 3 pairs, or every pair changed by
            the same amount: see ``notes``).
        """
        return self.bootstrap[(group, outcome)]

    def row(self, outcome: str, group: str | None = None) -> pd.Series:
        """The ``results.csv`` row of ``outcome`` (within arm ``group``)."""
        rows = self.table[self.table["outcome"].astype(str) == outcome]
        if group is not None:
            rows = rows[rows["group"].astype(str) == group]
        if rows.empty:
            raise KeyError(f"no results row for {outcome!r}" + (f" in arm {group!r}" if group
                           else ""))  # fmt: skip
        return rows.iloc[0]


def default_outcomes(scored: pd.DataFrame) -> list[str]:
    """The outcomes :func:`compare` analyses by default, in table order: every reported score
    present, in the registry's order, of the instruments that :func:`msrelax_stats.score`
    scored when the table says so (``attrs["msrelax"]["scoring"]``)."""
    scoring = scored.attrs.get("msrelax", {}).get("scoring") or None
    return registry_of(scored).outcome_columns(scored.columns, scoring)


def _check(scored: pd.DataFrame, visits: Sequence[str], outcomes: Sequence[str]) -> None:
    problems = [Problem(f"column {c!r} is missing") for c in ("id", "time") if c not in scored]
    if problems:
        raise StudyDataError(problems)
    times = set(scored["time"].astype(str))
    problems += [Problem(f"visit {v!r} not found in column time", visit=str(v))
                 for v in visits if str(v) not in times]  # fmt: skip
    problems += [Problem("outcome column not found", column=c) for c in outcomes if c not in scored]
    keys = scored.loc[scored["time"].astype(str).isin([str(v) for v in visits]), ["id", "time"]]
    dup = keys[keys.astype(str).duplicated()]
    problems += [Problem("more than one row for this participant and visit", participant=str(i),
                         visit=str(t)) for i, t in dup.itertuples(index=False)]  # fmt: skip
    if len(visits) != 2 or str(visits[0]) == str(visits[1]):
        problems.append(Problem(f"visits must name two different visits, not {tuple(visits)!r}"))
    if problems:
        raise StudyDataError(problems)


class _Visits:
    """The rows of each visit aligned to the sorted ids (built once, shared by every outcome)."""

    def __init__(self, rows: pd.DataFrame, ids: pd.Index, visits: Sequence[str]) -> None:
        self.ids, self.visits = ids, tuple(visits)
        self.present, self.frames = {}, {}
        for visit in visits:
            at = rows[rows["_visit"] == visit].set_index("id")
            self.present[visit] = ids.isin(at.index)
            self.frames[visit] = at.reindex(ids)

    def values(self, column: str) -> np.ndarray:
        """``column`` of every id at each visit, as float (NaN: no row, no value, not a
        number); one column per visit."""
        out = []
        for visit in self.visits:
            at = self.frames[visit][column]
            if isinstance(at.dtype, pd.BooleanDtype) or at.dtype == bool:
                at = at.astype("Float64")
            out.append(pd.to_numeric(at, errors="coerce").to_numpy(dtype=float, na_value=np.nan))
        return np.column_stack(out)

    def reasons(self, column: str, values: np.ndarray, rows: np.ndarray) -> list[str]:
        """Why each id of ``rows`` (positions) lacks a usable pair for ``column``."""
        prefix = column.split("_")[0]
        why: dict[str, list[str]] = {}
        for visit in self.visits:
            at = self.frames[visit]
            if f"{prefix}_flags" in at:
                flags = at[f"{prefix}_flags"].iloc[rows].fillna("").astype(str)
                why[visit] = [f" ({f})" if f != "" else "" for f in flags]
            elif f"{prefix}_n_answered" in at:
                why[visit] = [" (items missing)"] * len(rows)
            else:
                why[visit] = [""] * len(rows)
        out = []
        for k, row in enumerate(rows):
            parts = []
            for j, visit in enumerate(self.visits):
                if not self.present[visit][row]:
                    parts.append(f"missing visit {visit}")
                elif np.isnan(values[row, j]):
                    parts.append(f"score missing at visit {visit}{why[visit][k]}")
            out.append("; ".join(parts))
        return out


def compare(scored: pd.DataFrame, outcomes: Sequence[str] | None = None,
            visits: Sequence[str] = ("pre", "post"), ci_level: float = 0.95, seed: int = 1,
            n_boot: int = 10000, workers: int = 1,
            meanwhile: Callable[[], Any] | None = None) -> PairedResult:  # fmt: skip
    """Paired pre/post analysis of every outcome: tests, effect sizes, caseness, responders.

    Parameters
    ----------
    scored : pandas.DataFrame
        Scored long table (``id``, ``time`` and score columns; caseness flags optional).
    outcomes : sequence of str, optional
        Score columns to analyse; default every reported score present, in the registry's
        order (STATISTICS.md "Which outcomes get a row"), of the instruments that
        :func:`msrelax_stats.score` scored when the table says so
        (``attrs["msrelax"]["scoring"]``): ``score(data, instruments=["fss"])`` then compares
        the FSS only, even where the file also holds NRS items.
    visits : (str, str)
        The two visits compared; the change is second minus first.
    ci_level : float
        Confidence level of every interval.
    seed : int
        Seed of the BCa bootstrap (same input and seed, same bytes out).
    n_boot : int
        Bootstrap resamples of the pairs for the g_av interval.
    workers : int
        Processes computing the outcomes' rows: 2 shares them with a forked process
        (:func:`msrelax_stats.parallel.split_map`); the result is the same.
    meanwhile : callable, optional
        Called once, before this process computes rows (with two workers: while the forked
        process computes the first ones).

    Returns
    -------
    PairedResult

    Raises
    ------
    StudyDataError
        Missing ``id``/``time``, unknown visit or outcome, duplicated participant-visit rows.

    Notes
    -----
    ``better`` and the MCID of each outcome come from the registry the table was scored with
    (:func:`msrelax_stats.instruments.registry.registry_of`; "lower" when the outcome is
    unknown there, with a note). Holm and Benjamini-Hochberg adjust ``p_t`` over the outcomes
    of the table. A change of exactly the MCID counts as a response. Pairs enter the
    computations in sorted id order, so the result (bootstrap included) does not depend on
    the order of the rows.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "1", "2", "2", "3", "3", "4", "4"],
    ...                    "time": ["pre", "post"] * 4,
    ...                    "fss_mean": [5.0, 4.1, 6.0, 4.8, 4.4, 4.5, 5.1, 4.0]})
    >>> res = compare(df, n_boot=500)
    >>> res.table.loc[0, "outcome"], int(res.table.loc[0, "n"]), res.table.loc[0, "better"]
    ('fss_mean', 4, 'lower')
    """
    visits = tuple(str(v) for v in visits)
    registry = registry_of(scored)
    outcomes = default_outcomes(scored) if outcomes is None else list(outcomes)
    _check(scored, visits, outcomes)
    rows = scored.assign(_visit=scored["time"].astype(str), id=scored["id"].astype(str))
    rows = rows[rows["_visit"].isin(visits)]
    rows.attrs = {}  # pandas deep-copies attrs into every frame derived from it
    # pairs in sorted id order: the bootstrap then does not depend on the order of the rows
    from msrelax_stats.stats.caseness import mcnemar_exact, responders
    from msrelax_stats.stats.paired import adjust_pvalues
    from msrelax_stats.stats.paired_row import TABLE_COLUMNS, paired_row

    ids = pd.Index(sorted(pd.unique(scored["id"].astype(str))), name="id")
    aligned = _Visits(rows, ids, visits)
    notes: list[str] = []
    table, ledger, resp = [], [], []
    boots: dict[tuple[str | None, str], BootstrapResult] = {}
    caveats: list[tuple[str, str, str]] = []
    pairs = {}
    for outcome in outcomes:
        values = aligned.values(outcome)
        complete = ~np.isnan(values).any(axis=1)
        pairs[outcome] = values, complete

    def one(outcome: str) -> PairedRow:
        values, complete = pairs[outcome]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            return paired_row(values[complete, 0], values[complete, 1], outcome=outcome,
                              better=registry.describe(outcome).better, ci_level=ci_level,
                              seed=seed, n_boot=n_boot)  # fmt: skip

    own: dict[str, tuple[list[str], list[pd.DataFrame], list[dict], list[str]]] = {}
    case: list[dict] = []
    case_notes: list[str] = []
    flags = registry.caseness_columns(scored.columns)

    def without_rows() -> None:
        """What needs no paired row, while the forked process computes the first rows: per
        outcome the notes before its row, its ledger, its responders and their note; then
        the caseness."""
        if meanwhile is not None:
            meanwhile()
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            for outcome in outcomes:
                info = registry.describe(outcome)
                before: list[str] = []
                if outcome not in registry.info([outcome]):
                    before.append(
                        f"{outcome}: not a known score; direction of improvement taken as lower"
                    )
                values, complete = pairs[outcome]
                incomplete = np.flatnonzero(~complete)
                frames = [pd.DataFrame({"id": ids[incomplete], "outcome": outcome,
                                        "reason": aligned.reasons(outcome, values, incomplete)},
                                       columns=EXCLUSION_COLUMNS)]  # fmt: skip
                pre, post = values[complete, 0], values[complete, 1]
                if pre.size == 0:
                    before.append(
                        f"{outcome}: nobody has a score at both visits; every statistic is NaN"
                    )
                found, after = [], []
                if info.mcid is not None:
                    r = responders(pre, post, info.mcid, outcome=outcome,
                                   mcid_kind=info.mcid_kind, better=info.better,
                                   source=info.mcid_source, ci_level=ci_level)  # fmt: skip
                    found.append(r.to_dict())
                    if info.mcid_kind == "percent" and (pre == 0).any():  # not judged: say who
                        frames.append(pd.DataFrame({"id": ids[complete][pre == 0],
                                                    "outcome": f"{outcome} (responders)",
                                                    "reason": "baseline 0: a percent change is "
                                                    "undefined"}, columns=EXCLUSION_COLUMNS))  # fmt: skip
                    after += [r.note] if r.note else []
                own[outcome] = before, frames, found, after
            for flag in flags:
                values = aligned.values(flag)
                values = values[~np.isnan(values).any(axis=1)]
                res = mcnemar_exact(values[:, 0] == 1, values[:, 1] == 1, outcome=flag)
                case.append(res.to_dict())
                case_notes.extend([res.note] if res.note else [])

    rows_computed = split_map(one, outcomes, workers=workers, meanwhile=without_rows)
    computed = dict(zip(outcomes, rows_computed, strict=True))
    for outcome in outcomes:
        before, frames, found, after = own[outcome]
        row, row_notes, boot, row_caveats = computed[outcome]
        notes += before
        ledger += frames
        table.append(row)
        caveats += [(outcome, stat, text) for stat, text in row_caveats]
        if boot is not None:
            boots[(None, outcome)] = boot
        notes += row_notes if pairs[outcome][1].any() else []
        resp += found
        notes += after
    notes += case_notes
    result = pd.DataFrame(table, columns=TABLE_COLUMNS)
    if len(result):
        result["p_holm"] = adjust_pvalues(result["p_t"], "holm")
        result["p_fdr"] = adjust_pvalues(result["p_t"], "fdr_bh")
    result["n"] = result["n"].astype("int64")
    exclusions = (pd.concat(ledger, ignore_index=True) if ledger
                  else pd.DataFrame(columns=EXCLUSION_COLUMNS))  # fmt: skip
    options = {"outcomes": outcomes, "visits": list(visits), "ci_level": ci_level, "seed": seed,
               "n_boot": n_boot, "bf_prior_scale": "sqrt(2)/2", "change": "post - pre"}  # fmt: skip
    return PairedResult(
        table=result,
        exclusions=exclusions.reset_index(drop=True),
        caseness=pd.DataFrame(case, columns=CASENESS_COLUMNS),
        responders=pd.DataFrame(resp, columns=RESPONDER_COLUMNS),
        options=options,
        notes=list(dict.fromkeys(notes)),
        visit_means=visit_means(result, visits),
        bootstrap=boots,
        info={name: registry.describe(name) for name in [*outcomes, *flags]},
        caveats=pd.DataFrame(caveats, columns=CAVEAT_COLUMNS),
    )


def visit_means(table: pd.DataFrame, visits: Sequence[str]) -> pd.DataFrame:
    """Mean, SD and t-based CI of each visit over the complete pairs, from the results table.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome": ["fss_mean"], "n": [4], "pre_mean": [5.0], "pre_sd": [1.0],
    ...                   "post_mean": [4.0], "post_sd": [1.0], "ci_level": [0.95]})
    >>> visit_means(t, ("pre", "post"))[["visit", "mean", "ci_low"]].round(4).values.tolist()
    [['pre', 5.0, 3.4088], ['post', 4.0, 2.4088]]
    """
    from msrelax_stats.stats.paired import mean_ci

    level = float(table["ci_level"].iloc[0]) if len(table) else 0.95
    frames = []
    for position, (visit, side) in enumerate(zip(visits, ("pre", "post"), strict=True)):
        low, high = mean_ci(table[f"{side}_mean"], table[f"{side}_sd"], table["n"], level)
        frames.append(pd.DataFrame({"outcome": table["outcome"], "visit": str(visit),
                                    "n": table["n"], "mean": table[f"{side}_mean"],
                                    "sd": table[f"{side}_sd"], "ci_low": low, "ci_high": high,
                                    "ci_level": table["ci_level"], "_row": table.index,
                                    "_visit": position}))  # fmt: skip
    out = pd.concat(frames, ignore_index=True).sort_values(["_row", "_visit"], kind="stable")
    return out.reset_index(drop=True)[VISIT_MEANS_COLUMNS]
