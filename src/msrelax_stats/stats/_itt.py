"""The intention-to-treat analysis of a study under missing data (``--missing mi|mixed``).

:func:`itt_analysis` runs :func:`msrelax_stats.stats.missing.analyze_missing` once over the
plan's primary and secondary outcomes (the analysis of the design: the paired change from the
first visit to the plan's endpoint in one group; the ANCOVA at the endpoint between arms, with
the plan's covariates) and gives its ledger rows: who was imputed, per outcome and visit (an
imputed participant is analysed, not excluded), and who left which missing-data analysis.
:func:`missing_table` is ``missing.csv``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from msrelax_stats.stats.flow import imputed_reason
from msrelax_stats.stats.missing import MissingDataOptions, MissingDataResult, analyze_missing

if TYPE_CHECKING:
    from msrelax_stats.stats.analysis import StudyAnalysis

__all__ = ["MISSING_COLUMNS", "itt_analysis", "itt_label", "itt_summary", "missing_table"]

#: Columns of ``missing.csv``: one row per outcome and analysis (``mi``, ``mixed``,
#: ``complete``, ``bocf``, ``tipping point``); the tipping point's ``estimate`` is the shift
#: delta at which the conclusion of the MI analysis changes (NaN: not within the grid).
MISSING_COLUMNS = ["outcome", "analysis", "role", "estimand", "n", "n_imputed", "estimate",
                   "se", "df", "ci_low", "ci_high", "p", "fmi", "riv", "m", "ci_level"]  # fmt: skip
#: The ledger's ``analysis`` of the imputed visits other than the baseline and the endpoint
#: (auxiliary variables of the imputation model: imputed, in ``imputations.csv``, not analysed).
AUXILIARY = "MI imputation model (visits not analysed)"
_NAMES = {"mi": "multiple imputation", "mixed": "mixed model", "complete": "complete cases",
          "bocf": "baseline observation carried forward"}  # fmt: skip


def itt_label(method: str, endpoint: str, analysis: str = "") -> str:
    """The ledger's ``analysis`` of a missing-data analysis, e.g. ``"ITT by multiple imputation
    at week6"``; ``analysis`` names a sensitivity analysis (default: ``method``)."""
    name = analysis or method
    if name in ("mi", "mixed"):
        return f"ITT by {_NAMES[name]} at {endpoint}"
    return f"sensitivity: {_NAMES[name]} at {endpoint}"


def itt_analysis(result: StudyAnalysis, scored: pd.DataFrame) -> pd.DataFrame:
    """Run the missing-data analyses of the design into ``result.missing``; return the ledger
    rows (``analysis``, ``id``, ``outcome``, ``reason``).

    The imputation and the analyses use every visit of the study (intermediate and later
    visits are auxiliary variables of the imputation model), the arm and, with two arms, the
    plan's covariates (one group: none, so that the complete-case row is the paired table's).
    """
    options, design, plan = result.options, result.design, result.plan
    chosen = options.missing_plan
    outcomes = [o for f in (plan.primary, plan.secondary) if f is not None for o in f.outcomes]
    outcomes = [o for o in dict.fromkeys(outcomes) if o in result.outcomes]
    endpoint = design.paired_visits[1]
    better = {o: result.info[o].better for o in outcomes if o in result.info}
    engine = MissingDataOptions(primary=chosen.method, m=chosen.m, seed=chosen.seed,
                                ci_level=options.ci_level, better=better)  # fmt: skip
    two_arms = design.arms is not None
    res = analyze_missing(
        scored, outcomes, design.visits, endpoint=endpoint,
        control=design.arms[0] if two_arms else None,
        covariates=plan.covariates if two_arms else (), two_arms=two_arms, options=engine,
    )  # fmt: skip
    result.missing = res
    result.notes += list(res.notes)
    primary = itt_label(chosen.method, endpoint)
    imputed = res.imputed
    why = imputed["reason"].astype(str).str.replace("imputed: ", "", regex=False)
    cells = imputed.assign(
        reason=[imputed_reason(v, w) for v, w in zip(imputed["visit"], why, strict=True)]
    )
    analysed = cells["visit"].astype(str).isin([design.paired_visits[0], endpoint])
    per_id = pd.concat([_joined(cells[analysed], itt_label("mi", endpoint)),
                        _joined(cells[~analysed], AUXILIARY)], ignore_index=True)  # fmt: skip
    excl = res.exclusions
    names = excl["analysis"].map(lambda a: primary if a == "all" else itt_label("mi", endpoint, a))
    return pd.concat([excl.assign(analysis=names), per_id], ignore_index=True)


def itt_summary(result: StudyAnalysis) -> str:
    """The terminal line about the missing-data analyses."""
    res, chosen = result.missing, result.options.missing_plan
    n_out, n_imp = res.estimates["outcome"].nunique(), res.imputed["id"].nunique()
    m = f" (m = {chosen.m})" if chosen.method == "mi" else f" (MI with m = {chosen.m} beside it)"
    return (f"missing data: intention to treat by {_NAMES[chosen.method]}{m} of "
            f"{n_out} outcomes, {n_imp} participant{'s' * (n_imp != 1)} with an imputed visit; complete cases, "
            "BOCF and tipping point as sensitivity analyses (see missing.csv, imputations.csv).")  # fmt: skip


def _joined(cells: pd.DataFrame, analysis: str) -> pd.DataFrame:
    """One ledger row per participant and outcome, the imputed visits' reasons joined."""
    joined = cells.groupby(["id", "outcome"], sort=False)["reason"].agg("; ".join)
    return joined.reset_index().assign(analysis=analysis)


def missing_table(res: MissingDataResult) -> pd.DataFrame:
    """``missing.csv``: the estimates of every missing-data analysis per outcome, then the
    tipping point (:data:`MISSING_COLUMNS`)."""
    est = res.estimates
    tip = res.tipping_points
    rows = pd.DataFrame(
        {
            "outcome": tip["outcome"],
            "analysis": "tipping point",
            "role": "sensitivity",
            "estimand": [_tipping_text(r) for r in tip.itertuples()],
            "n_imputed": tip["n_shifted"],
            "estimate": tip["tipping_delta"],
        }
    )  # fmt: skip
    out = pd.concat([est, rows], ignore_index=True) if len(rows) else est.copy()
    order = {o: i for i, o in enumerate(dict.fromkeys(est["outcome"]))}
    out = out.assign(_o=out["outcome"].map(order), _r=np.arange(len(out)))
    out = out.sort_values(["_o", "_r"], kind="stable").drop(columns=["_o", "_r"])
    out["ci_level"] = res.options.get("ci_level", np.nan)
    out = out.reindex(columns=MISSING_COLUMNS).reset_index(drop=True)
    return out.astype({"n": "Int64", "n_imputed": "Int64", "m": "Int64"})


def _tipping_text(row: object) -> str:
    """What the tipping point row of ``missing.csv`` estimates."""
    what = f"shift delta of the {row.shifted} at which '{row.conclusion}' changes"
    if not row.n_shifted:
        return f"{what} (nobody's endpoint was imputed: nothing to shift)"
    if pd.isna(row.tipping_delta):
        return f"{what} (not reached up to delta = {row.delta_max:.4g})"
    return what
