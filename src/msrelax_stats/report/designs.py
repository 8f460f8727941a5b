"""Report pieces of the designs beyond one group: two arms, more visits, practice diaries.

:func:`design_context` turns a :class:`msrelax_stats.stats.analysis.StudyAnalysis` into the
rows of the report's sections and :func:`design_methods` into the sentences of the methods
paragraph (visits and diary; the between-arm comparison is :mod:`.trial`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import fmt_ci, fmt_int, fmt_num, fmt_p
from msrelax_stats.report.sections import design_sections
from msrelax_stats.report.trial import arms_rows, arms_sentence, lead_rows

__all__ = ["design_context", "design_methods", "arms_sentence", "adherence_summary"]


def _label(outcome: Any, info: Mapping[str, Any] | None = None) -> str:
    return labels(info, str(outcome)).label


def _rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [] if frame is None else frame.to_dict("records")


def _est_ci(r: Mapping[str, Any], est: str, low: str, high: str, d: int) -> str:
    return f"{fmt_num(r.get(est), d)} {fmt_ci(r.get(low), r.get(high), d)}"


def _visits_rows(v: Any, d: int, info: Mapping[str, Any]) -> dict[str, list]:
    t_test = "t" in v.fixed_effects.columns  # Satterthwaite t and df, else Wald z
    fixed = [{"Outcome": _label(r["outcome"], info), "Model": str(r["model"]), "Term": str(r["term"]),
              "Label": str(r.get("label", "")),
              "Estimate [CI]": _est_ci(r, "estimate", "ci_low", "ci_high", d),
              "SE": fmt_num(r.get("se"), d),
              **({"t (df)": f"{fmt_num(r.get('t'), d)} ({fmt_num(r.get('df'), 1)})"} if t_test
                 else {"z": fmt_num(r.get("z"), d)}),
              "p": fmt_p(r.get("p"))}
             for r in _rows(v.fixed_effects)]  # fmt: skip
    variance = [{"Outcome": _label(r["outcome"], info), "Model": str(r["model"]),
                 "Covariates": str(r.get("covariates") or "") or "none",
                 "Participant variance": fmt_num(r.get("intercept_var"), 3),
                 "Residual variance": fmt_num(r.get("residual_var"), 3),
                 "ICC": fmt_num(r.get("icc"), 2),
                 "Participants": fmt_int(r.get("n_participants")),
                 "Observations": fmt_int(r.get("n_observations")),
                 "Converged": "yes" if r.get("converged") else "no"}
                for r in _rows(v.variance)]  # fmt: skip
    friedman = [{**({"Group": str(r["group"])} if "group" in r else {}),
                 "Outcome": _label(r["outcome"], info), "n (complete)": fmt_int(r.get("n")),
                 "Chi-square (df)": f"{fmt_num(r.get('statistic'), d)} ({fmt_int(r.get('df'))})",
                 "p": fmt_p(r.get("p"))} for r in _rows(v.friedman)]  # fmt: skip
    pairwise = [{**({"Group": str(r["group"])} if "group" in r else {}),
                 "Outcome": _label(r["outcome"], info), "Contrast": f"{r['visit_b']} - {r['visit_a']}",
                 "n": fmt_int(r.get("n")),
                 "Mean difference [CI]": _est_ci(r, "mean_diff", "ci_low", "ci_high", d),
                 "t (df)": f"{fmt_num(r.get('t'), d)} ({fmt_int(r.get('df'))})",
                 "p": fmt_p(r.get("p")), "p (Holm)": fmt_p(r.get("p_holm"))}
                for r in _rows(v.pairwise)]  # fmt: skip
    interaction = [{"Outcome": _label(r["outcome"], info), "Method": str(r["test"]),
                    "Chi-square (df)": f"{fmt_num(r.get('chisq'), d)} ({fmt_int(r.get('df'))})",
                    "p": fmt_p(r.get("p"))} for r in _rows(v.interaction)]  # fmt: skip
    differences = [{"Outcome": _label(r["outcome"], info), "Contrast": str(r["label"]),
                    "Estimate [CI]": _est_ci(r, "estimate", "ci_low", "ci_high", d),
                    "t (df)": f"{fmt_num(r.get('t'), d)} ({fmt_num(r.get('df'), 1)})",
                    "p": fmt_p(r.get("p"))} for r in _rows(v.arm_differences)]  # fmt: skip
    return {"fixed": fixed, "variance": variance, "friedman": friedman, "pairwise": pairwise,
            "interaction": interaction, "arm_differences": differences,
            "t_test": t_test, "by_arm": "group" in v.friedman.columns}  # fmt: skip


def _median_iqr(x: pd.Series, d: int, scale: float = 1.0) -> str:
    x = pd.to_numeric(x, errors="coerce").dropna() * scale
    if x.empty:
        return "n/a"
    q1, med, q3 = np.quantile(x.to_numpy(float), [0.25, 0.5, 0.75])
    return f"{fmt_num(med, d)} [{fmt_num(q1, d)}, {fmt_num(q3, d)}]"


def _mean_sd(x: pd.Series, d: int, scale: float = 1.0) -> str:
    x = pd.to_numeric(x, errors="coerce").dropna() * scale
    if x.empty:
        return "n/a"
    sd = x.std(ddof=1) if len(x) > 1 else float("nan")
    return f"{fmt_num(x.mean(), d)} ({fmt_num(sd, d)})"


def adherence_summary(table: pd.DataFrame, decimals: int = 1) -> list[dict[str, str]]:
    """Adherence per arm (or for everybody): participants, days, share practised, minutes.

    Examples
    --------
    >>> adherence_summary(pd.DataFrame({"id": ["1", "2"], "days_recorded": [42, 40],
    ...     "days_practised": [30, 20], "share_practised": [30 / 42, 20 / 42],
    ...     "total_minutes": [600.0, 400.0]}))[0]["Share of days practised, % mean (SD)"]
    '59.5 (16.8)'
    """
    d = decimals
    key = table["group"].astype(str) if "group" in table.columns else pd.Series("all", table.index)
    rows = []
    for name, part in table.groupby(key, sort=False):
        row = {
            "Group": str(name),
            "Participants with a diary": str(len(part)),
            "Days recorded, median [IQR]": _median_iqr(part["days_recorded"], 0),
            "Share of days practised, % mean (SD)": _mean_sd(part["share_practised"], d, 100.0),
            "Share of days practised, % median [IQR]": _median_iqr(
                part["share_practised"], d, 100.0
            ),  # fmt: skip
            "Total minutes, median [IQR]": _median_iqr(part["total_minutes"], 0),
        }
        for col in [c for c in part.columns if c.startswith("mean_")]:
            row[f"{col[5:].replace('_', ' ')} per night, mean (SD)"] = _mean_sd(part[col], d)
        rows.append(row)
    return rows


def _dose_rows(dose: Any, d: int, info: Mapping[str, Any]) -> list[dict[str, str]]:
    return [{"Outcome": _label(r["outcome"], info), "n": fmt_int(r.get("n")),
             "Spearman rho": fmt_num(r.get("spearman_rho"), d), "p (Spearman)": fmt_p(r.get("spearman_p")),
             "Slope per 100 % adherence [CI]": _est_ci(r, "slope", "slope_ci_low", "slope_ci_high", d),
             "p (slope)": fmt_p(r.get("slope_p")), "R squared": fmt_num(r.get("r_squared"), d)}
            for r in _rows(dose.table)]  # fmt: skip


def _other_exclusions(exclusions: pd.DataFrame | None,
                      info: Mapping[str, Any]) -> list[dict[str, Any]]:  # fmt: skip
    """Exclusions of the analyses beyond the paired table, grouped by analysis and reason."""
    if exclusions is None or "analysis" not in exclusions.columns:
        return []
    other = exclusions[~exclusions["analysis"].astype(str).str.startswith("paired")]
    if other.empty:
        return []
    other = other.assign(outcome=other["outcome"].fillna("").astype(str),
                         id=other["id"].astype(str))  # fmt: skip
    grouped = other.groupby(["analysis", "outcome", "reason"], sort=False)["id"].agg(list)
    return [{"analysis": str(a), "outcome": _label(o, info) if o else "-", "reason": str(r),
             "count": len(ids), "ids": ids} for (a, o, r), ids in grouped.items()]  # fmt: skip


def design_context(analysis: Any, decimals: int = 2) -> dict[str, Any]:
    """The report's design sections of a ``StudyAnalysis`` as rows of text (``{"design":
    None}`` for a one-group, two-visit study without a diary)."""
    ctx: dict[str, Any] = {"design": None}
    if not analysis.beyond_one_group:
        return ctx
    d, design, info = decimals, analysis.design, analysis.info
    out: dict[str, Any] = {
        "arms": list(design.arms) if design.arms else [],
        "visits": list(design.visits),
        "paired_visits": list(design.paired_visits),
        "notes": list(dict.fromkeys(analysis.notes)),
        "other_exclusions": _other_exclusions(analysis.exclusions, info),
        "arms_table": [], "adjusted_means": [], "arms_coefficients": [], "arms_sentences": [],
        "endpoint": design.paired_visits[1], "arms_covariates": "",
        "visits_tables": None, "visit_outcomes": [_label(o, info) for o in analysis.visit_outcomes],
        "adherence": [], "dose": [], "study_days": None, "study_days_source": "",
    }  # fmt: skip
    if analysis.arms is not None:
        rows = arms_rows(analysis, d)
        out["arms_table"], out["adjusted_means"] = rows["table"], rows["means"]
        out["arms_coefficients"] = rows["coefficients"]
        out["arms_covariates"] = ", ".join(analysis.arms.options.get("covariates") or [])
        out["arms_sentences"] = [arms_sentence(r, design.paired_visits, d, info)
                                 for r in lead_rows(analysis)]  # fmt: skip
    if analysis.visits is not None:
        out["visits_tables"] = _visits_rows(analysis.visits, d, info)
    if analysis.diary is not None:
        diary = analysis.diary
        out["adherence"] = adherence_summary(diary.adherence.table)
        out["dose"] = _dose_rows(diary.dose_response, d, info) if diary.dose_response else []
        out["study_days"] = diary.study_days
        out["study_days_source"] = diary.study_days_source
    out["sections"] = design_sections(out, f"{analysis.options.ci_level * 100:g}")
    ctx["design"] = out
    return ctx


def design_methods(analysis: Any) -> list[str]:
    """Methods sentences for the visits and diary analyses of a ``StudyAnalysis`` (the
    between-arm comparison: :func:`msrelax_stats.report.trial.trial_methods`)."""
    if not analysis.beyond_one_group:
        return []
    info = analysis.info
    design = analysis.design
    options = analysis.recorded_options()
    pct = f"{analysis.options.ci_level * 100:g} %"
    first, last = design.paired_visits
    parts = []
    if analysis.visits is not None:
        k = len(design.visits)
        names = ", ".join(_label(o, info) for o in analysis.visit_outcomes)
        covariates = list(analysis.visits.options.get("covariates") or [])
        text = (
            f"With {k} visits ({', '.join(map(repr, design.visits))}), each of {names} was "
            "analysed with a linear mixed model with a random intercept per participant and "
            f"visit as a factor ({design.visits[0]!r} as reference)"
            + (f", adjusted for the baseline covariates {', '.join(covariates)}" if covariates
               else "")
            + ", fitted by restricted maximum likelihood (REML; statsmodels MixedLM; R "
            "lme4::lmer(score ~ visit + (1 | id)); Bates 2015), which keeps participants with a missing "
            "visit. Standard errors of the fixed effects come from (X'V^-1 X)^-1 at the REML "
            "estimates, as lme4's vcov; tests and CIs use t with Satterthwaite's degrees of "
            f"freedom ({pct} CIs; as R lmerTest; Kuznetsova 2017), and the intraclass "
            "correlation is the participant variance over the total variance."
        )  # fmt: skip
        if design.arms:
            text += (
                " The model visit * group (control arm as reference) was fitted as well (REML), "
                "giving the arm difference at every visit, and the group x visit interaction was "
                "tested by a likelihood-ratio test of visit + group against visit * group, both "
                f"fitted by maximum likelihood (chi-square with {k - 1} df; R anova() of the two "
                "lmer fits)."
            )
        text += (
            " The Friedman test (Friedman 1937) was run on the participants with every visit (complete cases), "
            "and pairwise visit contrasts were paired t-tests (later - earlier visit) on the "
            "participants with both visits, with p adjusted by Holm's method (Holm 1979) over the visit pairs "
            "of each outcome" + (", within each arm (pooling the arms would mix the effect of "
                                 "the intervention with that of time)" if design.arms else "")
            + "."
        )  # fmt: skip
        if options.get("visit_outcomes_rule"):
            text += f" {options['visit_outcomes_rule']}"
        parts.append(text)
    if analysis.diary is not None:
        diary = analysis.diary
        days = diary.study_days
        where = f"within the {' and '.join(diary.arms)} arm" + ("s" if len(diary.arms) > 1 else "")
        parts.append(
            "Adherence came from the daily practice diary: the share of days practised is the "
            f"number of days marked as practised divided by the {days} days of the practice period "
            f"({diary.study_days_source}; a day without an entry counts as not practised, and "
            f"diary rows outside days 1-{days} were excluded and listed), with the total minutes "
            f"practised. Dose-response{' ' + where if diary.arms else ''}: the change "
            f"({last!r} - {first!r}) of each outcome was related to the share of days practised "
            "by Spearman's rank correlation (p from the t approximation, as R cor.test(method = "
            "'spearman', exact = FALSE)) and by an ordinary least-squares regression of the change "
            f"on adherence (slope per 100 % adherence with its {pct} t-based CI; R lm(change ~ "
            "adherence)). Participants without a diary or without a change are listed with the "
            "reason."
            + (f" {options['visit_outcomes_rule']}"
               if options.get("visit_outcomes_rule") and analysis.visits is None else "")
        )  # fmt: skip
    return parts
