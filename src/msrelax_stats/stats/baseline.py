"""Baseline characteristics of the participants (the numbers of the paper's Table 1).

A baseline characteristic is a column with one value per participant that is not a
questionnaire item or score, the id, the visit or the arm: age, sex, EDSS, disease duration,
MS type... :func:`baseline_characteristics` summarises each one overall, by arm (when the
table has a ``group`` column) and for completers against participants lost to follow-up:
continuous as mean (SD) and median [Q1, Q3], categorical as n (%), missing values counted.
There are no p-values: CONSORT (item 15) advises against testing baseline differences in a
randomised trial, and a completers/lost comparison is descriptive as well.
:mod:`msrelax_stats.report.table1` formats the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError

__all__ = [
    "BaselineResult",
    "SUMMARY_COLUMNS",
    "baseline_columns",
    "one_value_per_participant",
    "baseline_characteristics",
]

Kind = Literal["continuous", "categorical"]

#: Columns of :attr:`BaselineResult.summary`, in order.
SUMMARY_COLUMNS = [
    "variable",
    "kind",
    "level",
    "subset",
    "subset_kind",
    "subset_n",
    "n",
    "n_missing",
    "count",
    "percent",
    "mean",
    "sd",
    "median",
    "q1",
    "q3",
    "min",
    "max",
]

_STRUCTURE = ("id", "time", "group")


@dataclass(frozen=True)
class BaselineResult:
    """Baseline characteristics, one participant per row and summarised per subset.

    ``participants``: one row per participant (``id``, ``group`` when present,
    ``completer``, then every characteristic). ``summary``: the long table of
    :data:`SUMMARY_COLUMNS` (one row per variable x level x subset). ``subsets``: the
    (name, kind, n) of every column of Table 1 in order (kinds ``overall``, ``arm``,
    ``completers``, ``lost``). ``kinds``: ``continuous``/``categorical`` per variable.
    ``notes``: what was decided for this table (columns left out, values that differ
    between visits, who counts as lost).
    """

    participants: pd.DataFrame
    summary: pd.DataFrame
    subsets: list[tuple[str, str, int]]
    kinds: dict[str, Kind]
    notes: list[str] = field(default_factory=list)


def _instrument_columns(table: pd.DataFrame) -> tuple[tuple[str, ...], set[str]]:
    """The column prefixes of the table's instruments (``fss_``) and the names of every
    score, flag and band they make (``fss7_mean``, ``mfis5_total`` do not start with them)."""
    from msrelax_stats.instruments.registry import registry_of

    specs = registry_of(table).instruments
    names = {x.name for spec in specs for x in (*spec.scores, *spec.cutoffs, *spec.bands)}
    names |= {name for spec in specs for name in spec.extra_outputs}
    return tuple(f"{spec.name}_" for spec in specs), names


def _visit_order(table: pd.DataFrame) -> list[str]:
    cat = getattr(table["time"], "cat", None)
    if cat is not None:
        return [str(v) for v in cat.categories]
    return [str(v) for v in pd.unique(table["time"].astype(str))]


def _by_visit(table: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered by participant (first appearance) then visit order."""
    order = {v: i for i, v in enumerate(_visit_order(table))}
    ids = pd.unique(table["id"].astype(str))
    rank = {p: i for i, p in enumerate(ids)}
    key = pd.DataFrame(
        {"p": table["id"].astype(str).map(rank), "v": table["time"].astype(str).map(order)}
    )
    return table.loc[key.sort_values(["p", "v"], kind="stable").index]


def one_value_per_participant(
    table: pd.DataFrame, columns: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """The value of each column per participant: the one at the earliest visit that has it.

    A characteristic recorded at every visit is usually the same at each (age, sex); when
    it differs between visits for some participant (EDSS re-assessed at follow-up), the
    earliest recorded value is the baseline value, and a note says for whom it differed.

    Returns
    -------
    (DataFrame, list of str)
        One row per participant (``id`` then ``columns``, ids in order of first
        appearance) and the notes.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"id": ["a", "a", "b", "b"], "time": ["pre", "post"] * 2,
    ...                   "edss": [3.0, 3.5, None, 2.0]})
    >>> values, notes = one_value_per_participant(t, ["edss"])
    >>> values["edss"].tolist(), notes
    ([3.0, 2.0], ['edss differs between visits for 1 participant (a): the value at the earliest visit with one is used'])
    """
    ordered = _by_visit(table)
    ids = ordered["id"].astype(str)
    out = pd.DataFrame({"id": pd.unique(ids)})
    notes = []
    for column in columns:
        cells = ordered[column]
        first = cells.groupby(ids, sort=False).first()  # first non-missing, in visit order
        distinct = cells.groupby(ids, sort=False).nunique(dropna=True)
        varying = [str(p) for p in distinct.index[distinct > 1]]
        if varying:
            who = ", ".join(varying[:10]) + (", ..." if len(varying) > 10 else "")
            many = "participant" if len(varying) == 1 else "participants"
            notes.append(
                f"{column} differs between visits for {len(varying)} {many} ({who}): "
                "the value at the earliest visit with one is used"
            )
        out[column] = first.reindex(out["id"]).to_numpy()
    return out, notes


def _numeric(values: pd.Series) -> pd.Series | None:
    """``values`` as numbers when every non-missing cell is one (decimal comma allowed)."""
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    present = values.dropna().astype(str).str.strip().str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(present, errors="coerce")
    if present.empty or parsed.isna().any():
        return None
    return pd.to_numeric(
        values.astype("string").str.strip().str.replace(",", ".", regex=False), errors="coerce"
    ).astype(float)


def _kind(values: pd.Series) -> Kind:
    numbers = _numeric(values)
    if numbers is None:
        return "categorical"
    distinct = set(numbers.dropna().unique())
    return "categorical" if distinct <= {0.0, 1.0} else "continuous"


def baseline_columns(table: pd.DataFrame, max_levels: int = 12) -> tuple[list[str], list[str]]:
    """The baseline characteristics of a long table, found from its columns.

    Every column but ``id``, ``time``, ``group`` and the columns of a questionnaire
    (``<instrument>_...``: items, scores, flags, counts) that has at most one value per
    participant. Left out, with a note: columns that differ between visits (time-varying,
    not baseline characteristics; name them in ``columns=`` to use their earliest value),
    columns with no value at all, and text columns with more than ``max_levels``
    distinct values (free text, dates or ids).

    Returns
    -------
    (list of str, list of str)
        The columns in file order, and the notes.
    """
    prefixes, outputs = _instrument_columns(table)
    ids = table["id"].astype(str)
    found, notes = [], []
    for column in map(str, table.columns):
        if column in _STRUCTURE or column in outputs or column.startswith(prefixes):
            continue
        cells = table[column]
        if cells.notna().sum() == 0:
            notes.append(f"{column}: no values, left out of Table 1")
        elif (cells.groupby(ids).nunique(dropna=True) > 1).any():
            notes.append(f"{column} differs between visits: not a baseline characteristic")
        elif _kind(cells) == "categorical" and cells.nunique(dropna=True) > max_levels:
            notes.append(f"{column}: more than {max_levels} distinct values, left out of Table 1")
        else:
            found.append(column)
    return found, notes


def _order_levels(values: pd.Series) -> list:
    present = values.dropna()
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [c for c in values.cat.categories if (present == c).any()]
    levels = list(pd.unique(present))
    try:
        return sorted(levels)
    except TypeError:
        return sorted(levels, key=str)


def _level_text(level: object) -> str:
    """A level as text; a whole number stored as a float reads ``"1"``, not ``"1.0"``."""
    if isinstance(level, float | np.floating) and float(level).is_integer():
        return str(int(level))
    return str(level)


def _summarise(values: pd.Series, kind: Kind, levels: list) -> list[dict]:
    n_missing = int(values.isna().sum())
    base = {"n": int(values.notna().sum()), "n_missing": n_missing}
    if kind == "categorical":
        present = values.dropna()
        rows = []
        for level in levels:
            count = int((present == level).sum())
            percent = 100.0 * count / len(present) if len(present) else np.nan
            rows.append({**base, "level": _level_text(level), "count": count, "percent": percent})
        return rows
    x = values.dropna().to_numpy(dtype=float)
    stats_ = dict.fromkeys(("mean", "sd", "median", "q1", "q3", "min", "max"), np.nan)
    if x.size:
        q1, median, q3 = np.percentile(x, [25, 50, 75])  # linear: R's quantile type 7
        stats_.update(mean=x.mean(), median=median, q1=q1, q3=q3, min=x.min(), max=x.max())
        stats_["sd"] = x.std(ddof=1) if x.size > 1 else np.nan
    return [{**base, "level": "", **{k: float(v) for k, v in stats_.items()}}]


def baseline_characteristics(
    table: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    categorical: Iterable[str] = (),
    continuous: Iterable[str] = (),
    arms: Sequence[str] | None = None,
    lost: Iterable[str] | None = None,
    lost_rule: str | None = None,
    max_levels: int = 12,
) -> BaselineResult:
    """Summaries of every baseline characteristic, overall, by arm, completers vs lost.

    Parameters
    ----------
    table : DataFrame
        The long table (``id``, ``time``, optional ``group``; one row per participant per
        visit), as read or scored.
    columns : sequence of str, optional
        The characteristics, in order (e.g. from the analysis plan); default
        :func:`baseline_columns`. A named column that differs between visits is taken at
        the earliest visit that has it (noted).
    categorical, continuous : iterable of str
        Override the kind of a column. Default: text, yes/no and 0/1 columns are
        categorical, other numbers continuous.
    arms : sequence of str, optional
        Order of the arms (e.g. control first); default the order of first appearance in
        ``group``. One column per arm when ``group`` has two or more labels.
    lost : iterable of str, optional
        Ids of the participants lost to follow-up (e.g. from the exclusions ledger).
        Default: participants without a row at the last visit.
    lost_rule : str, optional
        Who counts as lost, in words, for the notes (with ``lost``).
    max_levels : int
        Text columns with more distinct values are not characteristics (auto-detection).

    Returns
    -------
    BaselineResult

    Notes
    -----
    Continuous: n, mean, SD (n - 1), median and quartiles by linear interpolation (R's
    ``quantile`` type 7), minimum, maximum. Categorical: count per level and percent of the
    participants with a value in the subset; missing values are counted in ``n_missing``
    (per subset) and not in the percentages. Levels are sorted (categories in their order).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"id": ["a", "a", "b", "c", "c"],
    ...                   "time": ["pre", "post", "pre", "pre", "post"],
    ...                   "age": [40, 40, 50, 60, 60], "sex": ["F", "F", "M", "F", "F"]})
    >>> res = baseline_characteristics(t)
    >>> [(name, n) for name, _, n in res.subsets]
    [('Overall', 3), ('Completers', 2), ('Lost to follow-up', 1)]
    >>> age = res.summary.query("variable == 'age' and subset == 'Overall'").iloc[0]
    >>> float(age["mean"]), float(age["sd"])
    (50.0, 10.0)
    """
    absent = [c for c in ("id", "time") if c not in table.columns]
    if absent:
        raise StudyDataError([Problem("is not a column of the table", column=c) for c in absent])
    notes: list[str] = []
    if columns is None:
        columns, found_notes = baseline_columns(table, max_levels)
        notes += found_notes
    else:
        columns = [str(c) for c in columns]
        unknown = [c for c in columns if c not in table.columns]
        if unknown:
            why = "baseline characteristic is not a column of the table"
            raise StudyDataError([Problem(why, column=c) for c in unknown])
    has_group = "group" in table.columns
    values, differ = one_value_per_participant(table, [*(["group"] if has_group else []), *columns])
    notes += [n for n in differ if not n.startswith("group ")]
    visits = _visit_order(table)
    ids = values["id"]
    if lost is None:
        seen_last = set(table.loc[table["time"].astype(str) == visits[-1], "id"].astype(str))
        completer = ids.isin(seen_last)
        notes.append(
            f"lost to follow-up: participants without a row at the last visit ({visits[-1]})"
        )
    else:
        lost = {str(p) for p in lost}
        unknown = sorted(lost - set(ids))
        if unknown:
            why = "is listed as lost but is not in the table"
            raise StudyDataError([Problem(why, participant=p) for p in unknown])
        completer = ~ids.isin(lost)
        if lost_rule:
            notes.append(f"lost to follow-up: {lost_rule}")
    values.insert(1 + has_group, "completer", completer.to_numpy())

    kinds: dict[str, Kind] = {}
    forced = {
        **dict.fromkeys(categorical, "categorical"),
        **dict.fromkeys(continuous, "continuous"),
    }
    for column in columns:
        kinds[column] = forced.get(column) or _kind(values[column])
        if kinds[column] == "continuous":
            numbers = _numeric(values[column])
            if numbers is None:
                raise StudyDataError(
                    Problem(
                        "is not numeric, so it cannot be summarised as continuous", column=column
                    )
                )
            values[column] = numbers

    subsets: list[tuple[str, str, pd.Series]] = [
        ("Overall", "overall", pd.Series(True, index=values.index))
    ]
    if has_group:
        labels = [str(a) for a in (arms or pd.unique(values["group"].dropna().astype(str)))]
        if len(labels) >= 2:
            for label in labels:
                subsets.append((label, "arm", values["group"].astype(str) == label))
    if (~completer).any():
        subsets.append(("Completers", "completers", completer))
        subsets.append(("Lost to follow-up", "lost", ~completer))
    else:
        notes.append("no participant was lost to follow-up")

    rows = []
    for column in columns:
        kind = kinds[column]
        levels = _order_levels(values[column]) if kind == "categorical" else []
        for name, subset_kind, mask in subsets:
            for row in _summarise(values.loc[mask.to_numpy(), column], kind, levels):
                rows.append(
                    {
                        "variable": column,
                        "kind": kind,
                        "subset": name,
                        "subset_kind": subset_kind,
                        "subset_n": int(mask.sum()),
                        **row,
                    }  # fmt: skip
                )
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return BaselineResult(
        participants=values,
        summary=summary,
        subsets=[(name, kind, int(mask.sum())) for name, kind, mask in subsets],
        kinds=kinds,
        notes=notes,
    )
