"""The report's missing-data section and methods sentence (``--missing mi|mixed``).

Reads ``StudyAnalysis.missing`` (:func:`msrelax_stats.stats.missing.analyze_missing`, run by
:func:`msrelax_stats.stats.analysis.analyse`): the primary intention-to-treat estimate of each
primary outcome beside complete cases and baseline observation carried forward, the
tipping-point delta, the table of every missing-data analysis and who was imputed at which
visit. Nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import (
    fmt_ci,
    fmt_int,
    fmt_num,
    fmt_p,
    is_missing,
    keep_statistics_together,
)

__all__ = ["ANALYSIS_NAMES", "missing_context", "missing_methods"]

#: How the report names each analysis of ``missing.csv``.
ANALYSIS_NAMES = {"mi": "multiple imputation", "mixed": "mixed model (all observed visits)",
                  "complete": "complete cases", "bocf": "baseline observation carried forward",
                  "tipping point": "tipping point"}  # fmt: skip


def _est(row: Mapping[str, Any], d: int, pct: str) -> str:
    df = "" if is_missing(row.get("df")) else f", df = {fmt_num(row['df'], 1)}"
    return (f"{fmt_num(row['estimate'], d)} ({pct} CI {fmt_ci(row['ci_low'], row['ci_high'], d)}"
            f"{df}, {fmt_p(row['p'], prefix=True)})")  # fmt: skip


def _tipping_text(tip: Mapping[str, Any], d: int) -> str:
    if not tip.get("n_shifted"):
        return f"no {tip['shifted']} to shift (nobody's endpoint was imputed)"
    if is_missing(tip.get("tipping_delta")):
        return (f"shifting the {tip['shifted']} by up to delta = {fmt_num(tip['delta_max'], d)} "
                f"(the observed range) left the conclusion ({tip['conclusion']}) unchanged")  # fmt: skip
    return (f"the conclusion ({tip['conclusion']}) changes when the {tip['shifted']} are "
            f"shifted by delta = {fmt_num(tip['tipping_delta'], d)} towards no benefit")  # fmt: skip


def _sentence(outcome: str, est: pd.DataFrame, tip: pd.DataFrame, primary: str, d: int,
              pct: str, info: Mapping[str, Any]) -> str:  # fmt: skip
    rows = {str(r["analysis"]): r for r in est[est["outcome"] == outcome].to_dict("records")}
    if primary not in rows:
        return ""
    first = rows[primary]
    text = (f"{labels(info, outcome).label}, {first['estimand']}: "
            f"{ANALYSIS_NAMES[primary]} (n = {fmt_int(first['n'])}"
            + (f", {fmt_int(first['n_imputed'])} with an imputed value" if primary == "mi" else "")
            + f") {_est(first, d, pct)}")  # fmt: skip
    if primary == "mi" and not is_missing(first.get("fmi")):
        text += f", fraction of missing information {fmt_num(first['fmi'], 2)}"
    others = [f"{ANALYSIS_NAMES[a]} (n = {fmt_int(rows[a]['n'])}) {_est(rows[a], d, pct)}"
              for a in ("complete", "bocf", "mi" if primary != "mi" else "mixed") if a in rows]  # fmt: skip
    if others:
        text += "; sensitivity analyses: " + "; ".join(others)
    point = tip[tip["outcome"] == outcome].to_dict("records")
    if point:
        text += f"; tipping point: {_tipping_text(point[0], d)}"
    return keep_statistics_together(text + ".")


#: Short names in the table (its note spells them out).
_SHORT = {"mi": "MI", "mixed": "mixed model", "complete": "complete cases", "bocf": "BOCF",
          "tipping point": "tipping point"}  # fmt: skip


def _table_rows(table: pd.DataFrame, d: int, info: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for r in table.to_dict("records"):
        tipping = r["analysis"] == "tipping point"
        rows.append({
            "Outcome": labels(info, r["outcome"]).label,
            "Analysis": _SHORT.get(str(r["analysis"]), str(r["analysis"]))
            + (" (primary)" if r["role"] == "primary" else ""),
            "n": "" if tipping else fmt_int(r["n"]),
            "Imputed": fmt_int(r["n_imputed"]),
            "Estimate": ("delta = " if tipping else "") + fmt_num(r["estimate"], d),
            "CI": "" if tipping else fmt_ci(r["ci_low"], r["ci_high"], d),
            "SE": "" if tipping else fmt_num(r["se"], d + 1),
            "df": "" if is_missing(r["df"]) else fmt_num(r["df"], 1),
            "p": "" if tipping else fmt_p(r["p"]),
            "FMI": "" if is_missing(r["fmi"]) else fmt_num(r["fmi"], 3),
        })  # fmt: skip
    return rows


def _imputed_rows(imputed: pd.DataFrame, arm_of: Mapping[str, str] | None,
                  info: Mapping[str, Any]) -> list[dict[str, str]]:  # fmt: skip
    if imputed.empty:
        return []
    frame = imputed.assign(id=imputed["id"].astype(str))
    keys = ["outcome", "visit"]
    if arm_of is not None:
        frame, keys = (
            frame.assign(arm=frame["id"].map(arm_of).fillna("")),
            ["outcome", "arm", "visit"],
        )
    grouped = frame.groupby(keys, sort=False)["id"].agg(list)
    out = []
    for key, ids in grouped.items():
        row = dict(zip(keys, key, strict=True))
        out.append({"Outcome": labels(info, row["outcome"]).label,
                    **({"Arm": row["arm"]} if arm_of is not None else {}),
                    "Visit": str(row["visit"]), "Imputed": str(len(ids)), "Ids": ", ".join(ids)})  # fmt: skip
    return out


def missing_context(analysis: Any, decimals: int = 2) -> dict[str, Any]:
    """``{"missing": None}`` without missing-data analyses, else the section's text and rows:
    ``method``, ``sentences`` (one per primary outcome), ``table`` (every row of
    ``missing.csv``), ``imputed`` (who was imputed per outcome and visit), ``m``, ``seed``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> missing_context(SimpleNamespace(missing=None))
    {'missing': None}
    """
    res = getattr(analysis, "missing", None)
    if res is None:
        return {"missing": None}
    from msrelax_stats.stats._itt import missing_table

    info, d = analysis.info, decimals
    pct = f"{analysis.options.ci_level * 100:g} %"
    primary = analysis.options.missing
    outcomes = [o for o in analysis.plan.primary.outcomes if o in set(res.estimates["outcome"])]
    sentences = [_sentence(o, res.estimates, res.tipping_points, primary, d, pct, info)
                 for o in outcomes]  # fmt: skip
    arm_of = None
    if analysis.design.arms is not None:
        observed = res.imputations[res.imputations[".imp"] == 0]
        arm_of = observed.set_index(observed["id"].astype(str))["group"].astype(str).to_dict()
    chosen = analysis.options.missing_plan
    return {"missing": {
        "method": ANALYSIS_NAMES[primary], "m": chosen.m, "seed": chosen.seed,
        "sentences": [s for s in sentences if s],
        "table": _table_rows(missing_table(res), d, info),
        "imputed": _imputed_rows(res.imputed, arm_of, info),
        "imputed_note": (f"Every imputed visit; only {' and '.join(analysis.design.paired_visits)} "
                         "enter the analysis, the other visits are auxiliary variables of the "
                         "imputation model."),
        "notes": list(res.notes),
    }}  # fmt: skip


def missing_methods(analysis: Any) -> list[str]:
    """The methods sentences of the missing-data analyses (none without them).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> missing_methods(SimpleNamespace(missing=None))
    []
    """
    res = getattr(analysis, "missing", None)
    if res is None:
        return []
    opts, design, chosen = res.options, analysis.design, analysis.options.missing_plan
    first, endpoint = design.paired_visits
    arms = design.arms is not None
    names = ", ".join(
        labels(analysis.info, o).label for o in dict.fromkeys(res.estimates["outcome"])
    )
    model = (f"the ANCOVA of the {endpoint} score on {first} and arm"
             + (f" and {', '.join(opts['covariates'])}" if opts["covariates"] else "")
             if arms else f"the mean change {endpoint} - {first} (R lm(change ~ 1))")  # fmt: skip
    predictors = ["the outcome's scores at the other visits (of " + ", ".join(opts["visits"]) + ")"]
    if opts["covariates"]:
        predictors.append("the covariates " + ", ".join(opts["covariates"]))
    by_arm = (", separately within each arm (so the imputation model lets the arms differ)"
              if arms and opts.get("impute_by_arm") else "")  # fmt: skip
    primary = ("multiple imputation" if chosen.method == "mi"
               else "a mixed model of every observed visit")  # fmt: skip
    text = (
        f"Missing outcome data were handled by intention to treat, with {primary} as the primary "
        f"missing-data analysis, for {names}: everyone with at least one scored visit was "
        "analysed. Each missing score was imputed by chained equations with predictive mean "
        f"matching ({opts['k_pmm']} donors; statsmodels MICEData; van Buuren 2011) from "
        f"{' and '.join(predictors)}{by_arm}, in m = {chosen.m} imputations (seed {chosen.seed}; "
        f"{opts['n_burnin']} burn-in cycles, {opts['n_skip']} between imputations). {model[0].upper()}"
        f"{model[1:]} was fitted in each completed data set and the results pooled by Rubin's "
        "rules (Rubin 1987), with the Barnard-Rubin small-sample degrees of freedom (Barnard "
        "1999) and the fraction of missing information per estimate; imputations.csv holds "
        "the completed data sets in the long format of R mice::complete(imp, 'long', include = "
        "TRUE), for re-pooling with as.mids(). The mixed model (REML, random intercept per "
        "participant, " + ("visit x arm" if arms else "visit as a factor") + "; t with Satterthwaite's "
        "df) used every observed visit. Sensitivity analyses: complete cases (participants with both visits), baseline "
        "observation carried forward, and a delta-adjusted tipping point (the imputed "
        f"{endpoint} values of those lost shifted by delta towards no benefit over a grid up "
        "to the observed range, re-pooled at each delta; the delta at which the conclusion "
        "changes)."
    )  # fmt: skip
    return [text]
