"""Baseline covariates of the trial models (ANCOVA, mixed model): values, kinds, design columns.

A covariate is a column of the study table read **at the baseline visit** (ICH E9: covariates
of a randomised comparison are measured before randomisation). Its value is the cell on the
participant's baseline row; a participant whose baseline cell is blank (or who has no
baseline row) has no value and leaves every model that uses the covariate, with the reason
recorded. A file with the covariate only on the baseline rows (REDCap's baseline event) and a
file with it repeated on every row (a wide file read into the long layout) read the same.

Kind: *numeric* when every non-missing cell of the column reads as a number (decimal comma
accepted, ``data.values.parse_numbers``), *categorical* when none does (text such as ``F``/
``M``, or a boolean or Categorical column); a column with both is a
:class:`~msrelax_stats.errors.StudyDataError` naming the cells that are not numbers. A
categorical covariate is treatment-coded like R's ``factor()``: levels in sorted order (the
category order of a pandas Categorical), the first level is the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from msrelax_stats.data.values import locate_problems, parse_numbers, parse_text
from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["BaselineCovariates", "CovariateDesign", "baseline_covariates", "covariate_design"]

#: Columns that are never covariates (the structure of the long table).
STRUCTURAL = ("id", "time", "group")


@dataclass(frozen=True)
class BaselineCovariates:
    """Covariate values per participant at baseline.

    ``values`` is indexed by ``id`` (every participant of the table, order of first
    appearance): float64 for numeric covariates, object text for categorical ones, NaN when
    missing. ``kinds`` maps each covariate to ``"numeric"`` or ``"categorical"``; ``levels``
    holds the levels of each categorical one (reference first); ``reasons`` is "" or why the
    participant has no complete set ("edss missing at baseline"); ``notes`` are read notes.
    """

    names: tuple[str, ...]
    values: pd.DataFrame
    kinds: dict[str, str]
    levels: dict[str, tuple[str, ...]]
    reasons: pd.Series
    notes: list[str] = field(default_factory=list)

    def complete(self) -> pd.Index:
        """Ids with every covariate known."""
        return self.reasons.index[(self.reasons == "").to_numpy()]


@dataclass(frozen=True)
class CovariateDesign:
    """Design columns of the covariates for the analysed participants of one model.

    ``matrix`` has one row per observation; ``names`` are term names (``age``, ``sex[M]``),
    ``labels`` readable ones (``age (per 1 unit)``, ``sex: M vs F``); ``grid`` is the
    reference-grid value of each column used for adjusted means as R ``emmeans`` does (the
    mean of a numeric covariate over the analysed participants; 1/k for each dummy of a
    k-level factor, i.e. equal weights over its levels); ``used`` are the covariates that
    entered (a covariate constant over the analysed participants is left out with a note).
    """

    matrix: np.ndarray
    names: list[str]
    labels: list[str]
    grid: np.ndarray
    used: tuple[str, ...]
    notes: list[str]


def _kind(column: pd.Series, name: str, scored: pd.DataFrame) -> tuple[str, pd.Series]:
    """("numeric", float values) or ("categorical", text values) of a covariate column."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(dtype):
        return "categorical", parse_text(column.astype(object).map(str, na_action="ignore")).values
    if pd.api.types.is_numeric_dtype(dtype):
        return "numeric", parse_numbers(column, column=name).values
    numbers = parse_numbers(column, column=name).values
    text = parse_text(column.map(str, na_action="ignore")).values
    present, numeric = text.notna().to_numpy(), numbers.notna().to_numpy()
    if present.any() and not numeric.any():
        return "categorical", text
    bad = present & ~numeric
    if bad.any():
        where = (name, scored["id"].astype(str), scored["time"].astype(str))
        message = "is not a number, but other cells of this covariate are"
        raise StudyDataError(locate_problems(bad, column, message, *where))
    return "numeric", numbers


def baseline_covariates(
    scored: pd.DataFrame, covariates: Sequence[str], baseline: str
) -> BaselineCovariates:
    """Each participant's covariate values at the ``baseline`` visit, with their kinds.

    Raises
    ------
    StudyDataError
        A covariate that is not a column, is ``id``/``time``/``group``, or mixes numbers and
        text.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "1", "2", "2"], "time": ["pre", "post"] * 2,
    ...                    "age": ["40", "40", None, "51"], "sex": ["F", "F", "M", "M"]})
    >>> cov = baseline_covariates(df, ["age", "sex"], "pre")
    >>> cov.kinds, cov.reasons.tolist()
    ({'age': 'numeric', 'sex': 'categorical'}, ['', 'age missing at baseline'])
    """
    names = tuple(str(c) for c in covariates)
    problems = [
        Problem("covariate column not found", column=c) for c in names if c not in scored.columns
    ]
    problems += [
        Problem("is a structural column, not a covariate", column=c)
        for c in names
        if c in STRUCTURAL
    ]
    if problems:
        raise StudyDataError(problems)
    ids = pd.Index(pd.unique(scored["id"].astype(str)), name="id")
    at_base = (scored["time"].astype(str) == str(baseline)).to_numpy()
    base_ids = scored["id"].astype(str).to_numpy()[at_base]
    values, kinds, levels, parts = {}, {}, {}, []
    for name in names:
        kind, parsed = _kind(scored[name], name, scored)
        kinds[name] = kind
        series = pd.Series(parsed.to_numpy()[at_base], index=base_ids)
        series = series[~series.index.duplicated()].reindex(ids)
        values[name] = series.astype("float64") if kind == "numeric" else series.astype(object)
        if kind == "categorical":
            column = scored[name]
            if isinstance(column.dtype, pd.CategoricalDtype):
                order = [str(c) for c in column.cat.categories]
            else:
                order = sorted(str(v) for v in pd.unique(series.dropna()))
            present = set(series.dropna().astype(str))
            levels[name] = tuple(level for level in order if level in present)
        parts.append(np.where(series.isna().to_numpy(), f"{name} missing at baseline", ""))
    has_base = ids.isin(base_ids)
    if names:
        frame = pd.DataFrame(np.column_stack(parts), index=ids)
        reasons = frame.apply(lambda row: "; ".join(x for x in row if x), axis=1)
        reasons = reasons.where(has_base, "no baseline visit (covariates are read there)")
    else:
        reasons = pd.Series("", index=ids, dtype=object)
    return BaselineCovariates(
        names=names,
        values=pd.DataFrame(values, index=ids),
        kinds=kinds,
        levels=levels,
        reasons=reasons.rename("reason").astype(object),
    )


def covariate_design(cov: BaselineCovariates, ids: Sequence[str]) -> CovariateDesign:
    """Design columns of the covariates for the observations of participants ``ids``.

    ``ids`` may repeat (one entry per observation, as in a mixed model); each must have every
    covariate (see :meth:`BaselineCovariates.complete`). The grid values are computed over the
    distinct participants.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "2", "3"], "time": ["pre"] * 3,
    ...                    "age": [40, 50, 60], "sex": ["M", "F", "M"]})
    >>> design = covariate_design(baseline_covariates(df, ["age", "sex"], "pre"), ["1", "2", "3"])
    >>> design.names, design.labels, design.grid.tolist()
    (['age', 'sex[M]'], ['age (per 1 unit)', 'sex: M vs F'], [50.0, 0.5])
    """
    ids = [str(i) for i in ids]
    rows = cov.values.loc[ids]
    distinct = cov.values.loc[list(dict.fromkeys(ids))]
    cols, names, labels, grid, used, notes = [], [], [], [], [], []
    for name in cov.names:
        if cov.kinds[name] == "numeric":
            x = rows[name].to_numpy(dtype=float)
            if np.ptp(distinct[name].to_numpy(dtype=float)) == 0:
                notes.append(
                    f"covariate {name} is the same for every analysed participant; left out"
                )
                continue
            cols.append(x)
            names.append(name)
            labels.append(f"{name} (per 1 unit)")
            grid.append(float(distinct[name].mean()))
            used.append(name)
            continue
        present = set(distinct[name].astype(str))
        levels = [level for level in cov.levels[name] if level in present]
        if len(levels) < 2:
            notes.append(
                f"covariate {name} has one level among the analysed participants; left out"
            )
            continue
        text = rows[name].astype(str).to_numpy()
        for level in levels[1:]:
            cols.append((text == level).astype(float))
            names.append(f"{name}[{level}]")
            labels.append(f"{name}: {level} vs {levels[0]}")
            grid.append(1.0 / len(levels))
        used.append(name)
    matrix = np.column_stack(cols) if cols else np.empty((len(ids), 0))
    return CovariateDesign(matrix, names, labels, np.asarray(grid, dtype=float), tuple(used), notes)
