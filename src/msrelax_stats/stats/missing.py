"""Missing data: an intention-to-treat analysis that keeps everyone, with sensitivity analyses.

Per outcome, on everyone with at least one scored visit: multiple imputation (statsmodels MICE
with predictive mean matching, :mod:`.imputation`) pooled by Rubin's rules (:mod:`.pooling`);
the likelihood analysis of every observed visit (random-intercept mixed model); complete cases;
baseline observation carried forward; and a delta-adjusted tipping point (:mod:`.tipping`).
One group: the mean change endpoint - baseline. Two arms: the ANCOVA arm difference at the
endpoint (the mixed model: the visit x arm interaction at the endpoint).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.stats._design_tables import resolve_arms
from msrelax_stats.stats._missing_estimators import (
    Estimator,
    estimator_for,
    mixed_analysis,
    single_analysis,
)
from msrelax_stats.stats._missing_table import (
    MissingDesign,
    OutcomeTable,
    imputed_cells,
    outcome_table,
)
from msrelax_stats.stats.imputation import ImputationError, Imputations, impute_outcome
from msrelax_stats.stats.mice_long import imputations_long
from msrelax_stats.stats.pooling import pool
from msrelax_stats.stats.tipping import GRID_COLUMNS, TIPPING_COLUMNS, tipping_point

__all__ = [
    "ANALYSES",
    "ESTIMATE_COLUMNS",
    "MissingDataOptions",
    "MissingDataResult",
    "analyze_missing",
]

Analysis = Literal["complete", "bocf", "mi", "mixed"]
#: Analyses of :func:`analyze_missing`, in the order of ``MissingDataResult.estimates``.
ANALYSES: tuple[str, ...] = ("mi", "mixed", "complete", "bocf")
#: Columns of ``MissingDataResult.estimates`` (one row per outcome and analysis).
ESTIMATE_COLUMNS = [
    "outcome",
    "analysis",
    "role",
    "estimand",
    "n",
    "n_imputed",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "statistic",
    "df",
    "p",
    "inference",
    "m",
    "dfcom",
    "ubar",
    "b",
    "riv",
    "lambda",
    "fmi",
    "ci_level",
]
_LEDGER_COLUMNS = ["id", "outcome", "visit", "reason"]
_EXCLUSION_COLUMNS = ["id", "outcome", "analysis", "reason"]


@dataclass(frozen=True)
class MissingDataOptions:
    """How the missing-data analyses run (built once, at the boundary).

    ``primary`` is the analysis reported first (``role = "primary"``; the others are
    sensitivity analyses); ``analyses`` the ones to run (``"tipping"`` for the tipping point,
    which needs ``"mi"``). ``m``, ``seed``, ``k_pmm``, ``n_burnin``, ``n_skip`` and
    ``perturbation_method`` and ``impute_by_arm`` configure
    :func:`~msrelax_stats.stats.imputation.impute_outcome`.
    ``deltas`` is one grid for every outcome or a grid per outcome (default: 21 shifts up to
    the observed range); ``better`` overrides the registry's direction of improvement.
    """

    primary: Analysis = "mi"
    analyses: tuple[str, ...] = (*ANALYSES, "tipping")
    m: int = 50
    seed: int = 1
    k_pmm: int = 5
    n_burnin: int = 10
    n_skip: int = 3
    perturbation_method: str = "gaussian"
    impute_by_arm: bool = True
    ci_level: float = 0.95
    deltas: Sequence[float] | Mapping[str, Sequence[float]] | None = None
    better: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        unknown = set(self.analyses) - {*ANALYSES, "tipping"}
        if unknown or self.primary not in self.analyses:
            raise ValueError(
                f"analyses {sorted(unknown)} unknown or primary {self.primary!r} not run"
            )
        if "tipping" in self.analyses and "mi" not in self.analyses:
            raise ValueError("the tipping point re-pools the imputations: it needs 'mi'")
        if self.m < 2 or not 0 < self.ci_level < 1:
            raise ValueError("m must be at least 2 and ci_level in (0, 1)")


@dataclass(frozen=True)
class MissingDataResult:
    """Everything the missing-data analyses found, as tidy DataFrames.

    Attributes
    ----------
    estimates : DataFrame
        One row per outcome and analysis (:data:`ESTIMATE_COLUMNS`): ``analysis`` in
        :data:`ANALYSES`; ``role`` "primary" or "sensitivity"; ``n`` participants analysed;
        ``n_imputed`` participants with an imputed (mi) or carried-forward (bocf) value;
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``statistic`` (t or z), ``df`` (NaN for
        Wald z), ``p``; ``inference`` names the reference distribution; the pooling columns
        ``m``, ``dfcom``, ``ubar``, ``b``, ``riv``, ``lambda``, ``fmi`` (mi only; ``dfcom``
        also for the complete-data t analyses).
    tipping : DataFrame
        The delta grid per outcome (``tipping.GRID_COLUMNS``).
    tipping_points : DataFrame
        One row per outcome (``tipping.TIPPING_COLUMNS``).
    imputed : DataFrame
        Ledger of every imputed cell: ``id``, ``outcome``, ``visit``, ``reason``
        ("imputed: missing visit" or "imputed: score missing (items missing)").
    exclusions : DataFrame
        Who left which analysis: ``id``, ``outcome``, ``analysis`` ("all" or one of
        :data:`ANALYSES`), ``reason``.
    imputations : DataFrame
        The long table of :func:`~msrelax_stats.stats.mice_long.imputations_long` (``imputations.csv``).
    notes : tuple of str
    options : dict
    """

    estimates: pd.DataFrame
    tipping: pd.DataFrame
    tipping_points: pd.DataFrame
    imputed: pd.DataFrame
    exclusions: pd.DataFrame
    imputations: pd.DataFrame
    notes: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The estimates table."""
        return self.estimates


def _mi(
    table: OutcomeTable, estimator: Estimator, options: MissingDataOptions, notes: list[str]
) -> tuple[dict[str, Any], Imputations | None]:
    try:
        imp = impute_outcome(
            table,
            options.m,
            options.seed,
            k_pmm=options.k_pmm,
            n_burnin=options.n_burnin,
            n_skip=options.n_skip,
            perturbation_method=options.perturbation_method,
            by_arm=options.impute_by_arm,
        )
    except ImputationError as err:
        notes.append(f"{err}; no multiple imputation")
        return {"n": int(table.ids.size), "n_imputed": 0}, None
    notes.extend(imp.notes)
    est, var, dfcom = estimator(imp.values)
    pooled = pool(est, var, dfcom, options.ci_level).to_dict()
    b, e = estimator.baseline, estimator.endpoint
    filled = np.isnan(table.values[:, [b, e]]).any(axis=1)
    row = {"n": int(table.ids.size), "n_imputed": int(filled.sum())}
    row.update(pooled)
    row["inference"] = "t, Barnard-Rubin df"
    return row, imp


def _design(
    scored: pd.DataFrame,
    visits: Sequence[str],
    endpoint: str | None,
    control: str | None,
    covariates: Sequence[str],
    two_arms: bool | None,
) -> MissingDesign:
    visits = tuple(str(v) for v in visits)
    if len(visits) < 2:
        raise StudyDataError(
            Problem(f"at least two visits needed (baseline, endpoint), got {list(visits)}")
        )
    known = set(scored["time"].astype(str))
    problems = [Problem("visit not found in the data", visit=v) for v in visits if v not in known]
    endpoint = visits[-1] if endpoint is None else str(endpoint)
    if endpoint not in visits[1:]:
        problems.append(
            Problem("endpoint must be one of the visits after the baseline", value=endpoint)
        )
    if problems:
        raise StudyDataError(problems)
    if two_arms is None:
        two_arms = "group" in scored.columns and scored["group"].dropna().nunique() == 2
    arms = resolve_arms(scored, control) if two_arms else None
    return MissingDesign(visits, endpoint, arms, tuple(covariates))


def _better(outcome: str, options: MissingDataOptions, notes: list[str]) -> str:
    if options.better and outcome in options.better:
        return str(options.better[outcome])
    from msrelax_stats.instruments.registry import outcome_info

    try:
        return outcome_info(outcome).better
    except KeyError:
        notes.append(f"{outcome}: not a known score; direction of improvement taken as lower")
        return "lower"


def analyze_missing(
    scored: pd.DataFrame,
    outcomes: Sequence[str],
    visits: Sequence[str] = ("pre", "post"),
    *,
    endpoint: str | None = None,
    control: str | None = None,
    covariates: Sequence[str] = (),
    two_arms: bool | None = None,
    options: MissingDataOptions | None = None,
) -> MissingDataResult:
    """Intention-to-treat analyses of every outcome under missing data, with sensitivity analyses.

    Parameters
    ----------
    scored : DataFrame
        Scored long table (``id``, ``time``, optional ``group``, score columns).
    outcomes : sequence of str
        Score columns to analyse.
    visits : sequence of str
        Visits in order; the first is the baseline. Visits other than the baseline and the
        endpoint are used by the imputation model and the mixed model.
    endpoint : str, optional
        The visit of the primary comparison (default: the last).
    control : str, optional
        The control arm (two arms; see ``arms.resolve_arms``).
    covariates : sequence of str
        Baseline covariates (one value per participant): in the imputation model, and in the
        ANCOVA and the mixed model with two arms. They are not imputed: a participant missing
        one leaves every analysis of the outcome with a recorded reason.
    two_arms : bool, optional
        Force the design; by default two arms when ``group`` has two labels.
    options : MissingDataOptions, optional

    Returns
    -------
    MissingDataResult

    Notes
    -----
    Per imputation the complete-data analysis is (one group) the mean change with
    :math:`U = s^2_{change}/n`, :math:`\\nu_{com} = n - 1` (R ``lm(change ~ 1)``), or (two arms)
    the arm coefficient of OLS ``endpoint ~ baseline + arm + covariates``, :math:`\\nu_{com} = n
    - p`; pooled by :func:`~msrelax_stats.stats.pooling.pool` (Rubin's rules, Barnard-Rubin df;
    R ``pool(with(as.mids(long), lm(...)))`` on :func:`~msrelax_stats.stats.mice_long.imputations_long` agrees to 1e-6). With
    nothing missing every imputation is the data, so the pooled estimate and SE are the
    complete-case ones (the Barnard-Rubin df is then slightly below :math:`\\nu_{com}`, as in R).
    A baseline score is imputed like any other visit (BOCF cannot use such a participant).
    Mixed model: REML random intercept, visit as factor (two arms: visit x arm + covariates),
    the coefficient of the endpoint visit (two arms: of endpoint x treatment, the difference
    between arms in change from baseline), Wald z (lme4-matching SE; small-sample df are issue
    17's work). Complete cases: participants with baseline and endpoint; BOCF: a missing
    endpoint replaced by the baseline score; both referred to t with the complete-data df.

    References
    ----------
    Rubin DB (1987). Multiple Imputation for Nonresponse in Surveys. Wiley.
    Barnard J, Rubin DB (1999). Biometrika 86(4):948-955.
    van Buuren S (2018). Flexible Imputation of Missing Data, 2nd ed. CRC Press.
    White IR, Horton NJ, Carpenter J, Pocock SJ (2011). Strategy for intention to treat analysis
    in randomised trials with missing outcome data. BMJ 342:d40.

    Examples
    --------
    >>> rng = np.random.default_rng(5)
    >>> pre = rng.normal(5, 1, 24); post = pre - 0.7 + rng.normal(0, 0.6, 24)
    >>> df = pd.DataFrame({"id": np.repeat([f"p{i}" for i in range(24)], 2),
    ...                    "time": ["pre", "post"] * 24,
    ...                    "fss_mean": np.column_stack([pre, post]).ravel()}).drop(index=[1, 5])
    >>> res = analyze_missing(df, ["fss_mean"], options=MissingDataOptions(m=5))
    >>> res.estimates[["analysis", "n", "n_imputed"]].values.tolist()
    [['mi', 24, 2], ['mixed', 24, 0], ['complete', 22, 0], ['bocf', 24, 2]]
    """
    options = MissingDataOptions() if options is None else options
    design = _design(scored, visits, endpoint, control, covariates, two_arms)
    rows, grids, points, ledgers, excluded, long_parts = [], [], [], [], [], []
    notes: list[str] = []
    for outcome in outcomes:
        table = outcome_table(scored, outcome, design)
        excluded.append(table.excluded.assign(analysis="all"))
        estimator = estimator_for(table)
        found: dict[str, dict[str, Any]] = {}
        imp = None
        if "mi" in options.analyses:
            found["mi"], imp = _mi(table, estimator, options, notes)
            if imp is not None:
                ledgers.append(imputed_cells(table, imp.imputed_visits))
                long_parts.append((table, imp))
        if "mixed" in options.analyses:
            found["mixed"] = mixed_analysis(table, options.ci_level, notes)
        for name in ("complete", "bocf"):
            if name in options.analyses:
                found[name] = single_analysis(table, estimator, name, options.ci_level, excluded)
        for name in ANALYSES:
            if name in found:
                role = "primary" if name == options.primary else "sensitivity"
                rows.append(
                    {
                        "outcome": outcome,
                        "analysis": name,
                        "role": role,
                        "estimand": _estimand(estimator, table, name),
                        **found[name],
                    }
                )
        if imp is not None and "tipping" in options.analyses:
            deltas = options.deltas
            if isinstance(deltas, Mapping):
                deltas = deltas.get(outcome)
            better = _better(outcome, options, notes)
            tp = tipping_point(table, imp, estimator, better, deltas, options.ci_level)
            grids.append(tp.grid)
            points.append(tp.summary)
    estimates = (
        pd.DataFrame(rows).reindex(columns=ESTIMATE_COLUMNS).assign(ci_level=options.ci_level)
    )
    estimates = estimates.astype({"n": "int64", "n_imputed": "int64"})
    return MissingDataResult(
        estimates=estimates,
        tipping=_concat(grids, GRID_COLUMNS),
        tipping_points=pd.DataFrame(points, columns=TIPPING_COLUMNS),
        imputed=_concat(ledgers, _LEDGER_COLUMNS),
        exclusions=_concat(excluded, _EXCLUSION_COLUMNS),
        imputations=imputations_long(scored, design, long_parts),
        notes=tuple(notes),
        options={
            "visits": list(design.visits),
            "endpoint": design.endpoint,
            "arms": None if design.arms is None else list(design.arms),
            "covariates": list(design.covariates),
            **{k: v for k, v in vars(options).items() if k not in ("deltas", "better")},
            "analyses": list(options.analyses),
            "imputation": "statsmodels MICEData, OLS + predictive mean matching, one chain "
            + ("per arm" if design.arms is not None and options.impute_by_arm else "per outcome"),
        },
    )


def _estimand(estimator: Estimator, table: OutcomeTable, analysis: str) -> str:
    design = table.design
    if analysis != "mixed" or design.arms is None:
        return estimator.estimand
    return (
        f"difference in change {design.baseline} to {design.endpoint}, "
        f"{design.arms[1]} - {design.arms[0]} (visit x arm interaction)"
    )


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).reindex(columns=columns)
