"""Daily practice diaries: adherence per participant, dose-response of the change.

A diary has one row per participant per day: ``id``, ``day`` (1, 2, ...) or ``date``,
``practised`` (yes/no), ``minutes``, optional nightly ``spasms`` count and ``nrs_*`` ratings.
It is read and validated by :func:`read_diary` (in :mod:`msrelax_stats.data.diary`, imported
here too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from msrelax_stats.data.diary import read_diary
from msrelax_stats.stats._design_tables import wide_scores

__all__ = [
    "AdherenceResult",
    "DoseResponseResult",
    "adherence",
    "dose_response",
    "read_diary",
]


@dataclass
class AdherenceResult:
    """Adherence per participant (``table``), diary rows left out (``excluded``: ``id``,
    ``day``, ``reason``) and ``notes``."""

    table: pd.DataFrame
    excluded: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """The per-participant table."""
        return self.table


def adherence(
    diary: pd.DataFrame,
    study_days: int | None = None,
    *,
    start: Any = None,
) -> AdherenceResult:
    """Share of days practised, total minutes and mean nightly ratings per participant.

    Parameters
    ----------
    diary : DataFrame
        Output of :func:`read_diary`.
    study_days : int, optional
        Length of the practice period (e.g. 42 for 6 weeks). Rows outside days
        1..``study_days`` are excluded with a reason and a note (not an error).
    start : date or mapping id -> date, optional
        First day of the period for a ``date`` diary; default each participant's first date.

    Returns
    -------
    AdherenceResult
        ``table`` columns ``id``, ``days_recorded``, ``days_practised``, ``share_practised``,
        ``total_minutes``, ``mean_spasms`` (when recorded) and ``mean_nrs_*``.

    Notes
    -----
    ``share_practised`` = days practised / ``study_days`` (a day without an answer counts as
    not practised), or / days recorded when ``study_days`` is not given. For dates,
    day = (date - start) in days + 1.

    Examples
    --------
    >>> d = read_diary(pd.DataFrame({"id": ["1"] * 3, "day": [0, 1, 2],
    ...                              "practised": ["yes", "yes", "no"], "minutes": [5, 20, 0]}))
    >>> res = adherence(d, study_days=2)
    >>> float(res.table.loc[0, "share_practised"]), res.excluded["reason"].tolist()
    (0.5, ['day 0 is before the study period (days 1-2)'])
    """
    d = diary.copy()
    if "day" not in d.columns:
        if start is None:
            origin = d.groupby("id", sort=False)["date"].transform("min")
        elif isinstance(start, Mapping):
            origin = pd.to_datetime(d["id"].map(start))
        else:
            origin = pd.Series(pd.Timestamp(start), index=d.index)
        d["day"] = ((d["date"] - origin).dt.days + 1).astype("Int64")
    span = f"days 1-{study_days}" if study_days is not None else "days from 1"
    before = (d["day"] < 1).fillna(False).to_numpy(bool)
    after = (
        (d["day"] > study_days).fillna(False).to_numpy(bool)
        if study_days is not None
        else np.zeros(len(d), bool)
    )
    reason = np.where(
        before,
        "day " + d["day"].astype(str) + f" is before the study period ({span})",
        "day " + d["day"].astype(str) + f" is after the study period ({span})",
    )
    out = before | after
    excluded = pd.DataFrame(
        {"id": d.loc[out, "id"], "day": d.loc[out, "day"], "reason": reason[out]}
    )
    notes = []
    if out.any():
        where = ", ".join(
            f"{i} day {k}" for i, k in zip(excluded["id"], excluded["day"], strict=True)
        )
        notes.append(f"{int(out.sum())} diary row(s) outside the study period excluded: {where}")
    ids = pd.Index(pd.unique(d["id"]), name="id")
    d = d.loc[~out]
    grouped = d.groupby("id", sort=False)
    table = pd.DataFrame(index=ids)
    table["days_recorded"] = grouped["practised"].count().reindex(ids, fill_value=0)
    table["days_practised"] = grouped["practised"].sum().reindex(ids, fill_value=0).astype("int64")
    denom = float(study_days) if study_days is not None else table["days_recorded"]
    table["share_practised"] = (table["days_practised"] / denom).where(
        (table["days_recorded"] > 0) | (study_days is not None)
    )
    table["total_minutes"] = grouped["minutes"].sum(min_count=1).reindex(ids)
    for col in [c for c in d.columns if c == "spasms" or c.startswith("nrs_")]:
        table[f"mean_{col}"] = grouped[col].mean().reindex(ids)
    if study_days is not None and (table["days_recorded"] < study_days).any():
        short = int((table["days_recorded"] < study_days).sum())
        notes.append(
            f"{short} participant(s) recorded fewer than {study_days} days; "
            "days without an answer count as not practised"
        )
    return AdherenceResult(table.reset_index(), excluded.reset_index(drop=True), notes)


@dataclass
class DoseResponseResult:
    """Dose-response per outcome (``table``), the analysed ``data`` (for the scatter figure),
    ``exclusions`` (``id``, ``outcome``, ``reason``), ``notes`` and ``band``: the fitted OLS
    line with its confidence band on a grid of 100 doses per outcome (``outcome``, ``dose``,
    ``fit``, ``ci_low``, ``ci_high``; R ``predict(lm(change ~ dose), interval =
    "confidence")``), which the dose-response figure draws."""

    table: pd.DataFrame
    data: pd.DataFrame
    exclusions: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    band: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_BAND_COLUMNS))

    def to_frame(self) -> pd.DataFrame:
        """The per-outcome table."""
        return self.table


def _changes(changes: pd.DataFrame, outcomes: list[str], visits: Sequence[str] | None):
    """Per participant change (last - first visit) of each outcome, with reasons."""
    if "time" not in changes.columns:
        wide = changes.assign(id=changes["id"].astype(str)).set_index("id")[outcomes]
        reasons = wide.isna().apply(lambda c: np.where(c, f"no {c.name} change", ""))
        return wide.astype(float), reasons
    if visits is None:
        time = changes["time"]
        cats = time.cat.categories if isinstance(time.dtype, pd.CategoricalDtype) else None
        if cats is None:
            raise ValueError("visits=(first, last) is needed when time is not Categorical")
        visits = (cats[0], cats[-1])
    visits = [str(visits[0]), str(visits[-1])]
    cols, reasons = {}, {}
    for outcome in outcomes:
        values, why = wide_scores(changes, outcome, visits)
        cols[outcome] = values[visits[1]] - values[visits[0]]
        reasons[outcome] = why
    return pd.DataFrame(cols), pd.DataFrame(reasons)


def dose_response(
    changes: pd.DataFrame,
    adherence: AdherenceResult | pd.DataFrame,
    outcomes: Sequence[str] | None = None,
    *,
    visits: Sequence[str] | None = None,
    predictor: str = "share_practised",
    ci_level: float = 0.95,
) -> DoseResponseResult:
    """Change in each outcome against adherence: Spearman correlation and OLS slope.

    Parameters
    ----------
    changes : DataFrame
        Either the scored long table (``id``, ``time``, scores; change = last - first of
        ``visits``) or a table of changes (``id`` and one column per outcome).
    adherence : AdherenceResult or DataFrame
        Output of :func:`adherence` (or any table with ``id`` and ``predictor``).
    outcomes : sequence of str, optional
        Outcomes; default every column of a change table except ``id``.
    visits : (first, last), optional
        Visits of the change; default the first and last category of ``time``.
    predictor : str
        Adherence column used as the dose.
    ci_level : float
        Confidence level of the slope CI.

    Returns
    -------
    DoseResponseResult
        ``table`` columns ``outcome``, ``predictor``, ``n``, ``spearman_rho``,
        ``spearman_p``, ``slope``, ``slope_se``, ``slope_ci_low``, ``slope_ci_high``,
        ``slope_p``, ``intercept``, ``r_squared``, ``ci_level``.

    Notes
    -----
    Spearman's rho is Pearson's r of the mid-ranks; its p-value uses
    :math:`t = \\rho\\sqrt{(n-2)/(1-\\rho^2)}` on n - 2 df (R ``cor.test(method =
    "spearman", exact = FALSE)``; the exact permutation p of R's default is not used, since
    adherence shares are usually tied). The slope is OLS of change on adherence (R
    ``lm(change ~ adherence)``), t-based CI. Participants need both a change and a diary.

    Examples
    --------
    >>> ch = pd.DataFrame({"id": ["1", "2", "3", "4"], "fss_mean": [-1.0, -0.5, -0.2, 0.1]})
    >>> ad = pd.DataFrame({"id": ["1", "2", "3", "4"], "share_practised": [0.9, 0.7, 0.5, 0.2]})
    >>> float(dose_response(ch, ad).table.loc[0, "spearman_rho"])
    -1.0
    """
    adh = adherence.table if isinstance(adherence, AdherenceResult) else adherence
    if outcomes is None:
        if "time" in changes.columns:
            raise ValueError("outcomes must be given with a long (id, time) table")
        outcomes = [c for c in changes.columns if c != "id"]
    outcomes = list(outcomes)
    change, reasons = _changes(changes, outcomes, visits)
    dose = adh.assign(id=adh["id"].astype(str)).set_index("id")[predictor].astype(float)
    data = change.join(dose, how="outer")
    rows, excluded, notes, bands = [], [], [], []
    for outcome in outcomes:
        why = reasons[outcome].reindex(data.index).fillna("")
        why = why.mask(why.eq("") & data[outcome].isna(), f"no {outcome} change")
        why = why.mask(why.eq("") & data[predictor].isna(), "no diary")
        excluded.append(
            pd.DataFrame(
                {
                    "id": why.index[why != ""],
                    "outcome": outcome,
                    "reason": why[why != ""].to_numpy(),
                }
            )
        )
        ok = (why == "").to_numpy()
        x, y = data[predictor].to_numpy()[ok], data[outcome].to_numpy()[ok]
        row = {"outcome": outcome, "predictor": predictor, "n": int(ok.sum())}
        if ok.sum() < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
            notes.append(f"{outcome}: fewer than 3 participants or no spread, no dose-response")
            rows.append(row)
            continue
        rho = stats.spearmanr(x, y)
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        ci = fit.conf_int(1.0 - ci_level)
        row.update(
            spearman_rho=float(rho.statistic),
            spearman_p=float(rho.pvalue),
            slope=float(fit.params[1]),
            slope_se=float(fit.bse[1]),
            slope_ci_low=float(ci[1, 0]),
            slope_ci_high=float(ci[1, 1]),
            slope_p=float(fit.pvalues[1]),
            intercept=float(fit.params[0]),
            r_squared=float(fit.rsquared),
        )
        rows.append(row)
        grid = np.linspace(x.min(), x.max(), 100)
        band = fit.get_prediction(sm.add_constant(grid)).summary_frame(alpha=1.0 - ci_level)
        bands.append(pd.DataFrame({"outcome": outcome, "dose": grid, "fit": band["mean"],
                                   "ci_low": band["mean_ci_lower"],
                                   "ci_high": band["mean_ci_upper"]}))  # fmt: skip
    table = pd.DataFrame(rows).reindex(columns=_DOSE_COLUMNS).assign(ci_level=ci_level)
    return DoseResponseResult(
        table=table,
        data=data.reset_index(names="id"),
        exclusions=pd.concat(excluded, ignore_index=True),
        notes=notes,
        band=pd.concat(bands, ignore_index=True) if bands else pd.DataFrame(columns=_BAND_COLUMNS),
    )


_BAND_COLUMNS = ["outcome", "dose", "fit", "ci_low", "ci_high"]
_DOSE_COLUMNS = [
    *"outcome predictor n spearman_rho spearman_p slope slope_se".split(),
    *"slope_ci_low slope_ci_high slope_p intercept r_squared".split(),
]
