"""Report pieces of the designs beyond one group: two arms, more visits, practice diaries.

:func:`design_context` turns a :class:`msrelax_stats.stats.analysis.StudyAnalysis` into the
rows of the report's sections and :func:`design_methods` into the sentences of the methods
paragraph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import fmt_ci, fmt_int, fmt_num, fmt_p, is_missing
from msrelax_stats.report.text import keep_statistics_together

__all__ = ["design_context", "design_methods", "arms_sentence", "adherence_summary"]


def _label(outcome: Any, info: Mapping[str, Any] | None = None) -> str:
    return labels(info, str(outcome)).label


def _rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [] if frame is None else frame.to_dict("records")


def _est_ci(r: Mapping[str, Any], est: str, low: str, high: str, d: int) -> str:
    return f"{fmt_num(r.get(est), d)} {fmt_ci(r.get(low), r.get(high), d)}"


def arms_sentence(row: Mapping[str, Any], visits: Sequence[str], decimals: int = 2,
                  info: Mapping[str, Any] | None = None) -> str:  # fmt: skip
    """One sentence for one outcome of ``ArmsResult.table``.

    Examples
    --------
    >>> arms_sentence(res.table.iloc[0], ("baseline", "week12"))  # doctest: +SKIP
    'At week12, adjusted for baseline, FSS mean was lower in relaxation than in control ...'
    """
    r, d = dict(row), decimals
    label, (first, last) = _label(r["outcome"], info), (str(visits[0]), str(visits[-1]))
    diff = r.get("ancova_diff")
    if is_missing(diff):
        return (f"{label}: the arms could not be compared (n = {fmt_int(r.get('n_treatment'))} "
                f"{r.get('treatment')}, {fmt_int(r.get('n_control'))} {r.get('control')} with "
                "both visits).")  # fmt: skip
    word = "lower" if float(diff) < 0 else "higher" if float(diff) > 0 else "no different"
    pct = f"{float(r.get('ci_level', 0.95)) * 100:g} % CI"
    return keep_statistics_together(
        f"At {last}, adjusted for {first}, {label} was {word} in {r['treatment']} than in "
        f"{r['control']} (adjusted difference {fmt_num(diff, d)}, {pct} "
        f"{fmt_ci(r.get('ancova_ci_low'), r.get('ancova_ci_high'), d)}, t({fmt_int(r.get('ancova_df'))})"
        f" = {fmt_num(r.get('ancova_t'), d)}, {fmt_p(r.get('ancova_p'), prefix=True)}, partial "
        f"eta squared = {fmt_num(r.get('partial_eta_sq'), d)}); the mean change differed by "
        f"{_est_ci(r, 'welch_diff', 'welch_ci_low', 'welch_ci_high', d)} (Welch "
        f"t({fmt_num(r.get('welch_df'), 1)}) = {fmt_num(r.get('welch_t'), d)}, "
        f"{fmt_p(r.get('welch_p'), prefix=True)}), Hedges g = "
        f"{_est_ci(r, 'hedges_g', 'hedges_g_ci_low', 'hedges_g_ci_high', d)} (n = "
        f"{fmt_int(r.get('n_treatment'))} {r['treatment']}, {fmt_int(r.get('n_control'))} "
        f"{r['control']})."
    )


def _arms_rows(arms: Any, d: int, info: Mapping[str, Any]) -> tuple[list, list]:
    table = []
    for r in _rows(arms.table):
        table.append({
            "Outcome": _label(r["outcome"], info),
            "n (treatment / control)": f"{fmt_int(r.get('n_treatment'))} / {fmt_int(r.get('n_control'))}",
            "Adjusted difference [CI]": _est_ci(r, "ancova_diff", "ancova_ci_low", "ancova_ci_high", d),
            "p (ANCOVA)": fmt_p(r.get("ancova_p")),
            "Partial eta sq.": fmt_num(r.get("partial_eta_sq"), d),
            "Change difference [CI]": _est_ci(r, "welch_diff", "welch_ci_low", "welch_ci_high", d),
            "Welch t (df)": f"{fmt_num(r.get('welch_t'), d)} ({fmt_num(r.get('welch_df'), 1)})",
            "p (Welch)": fmt_p(r.get("welch_p")),
            "Hedges g [CI]": _est_ci(r, "hedges_g", "hedges_g_ci_low", "hedges_g_ci_high", d),
        })  # fmt: skip
    means = [{"Outcome": _label(r["outcome"], info), "Group": str(r["group"]), "n": fmt_int(r.get("n")),
              "Adjusted mean [CI]": _est_ci(r, "adjusted_mean", "ci_low", "ci_high", d),
              "at baseline": fmt_num(r.get("pre_at"), d)}
             for r in _rows(arms.adjusted_means)]  # fmt: skip
    return table, means


def _visits_rows(v: Any, d: int, info: Mapping[str, Any]) -> dict[str, list]:
    fixed = [{"Outcome": _label(r["outcome"], info), "Model": str(r["model"]), "Term": str(r["term"]),
              "Estimate [CI]": _est_ci(r, "estimate", "ci_low", "ci_high", d),
              "SE": fmt_num(r.get("se"), d), "z": fmt_num(r.get("z"), d), "p": fmt_p(r.get("p"))}
             for r in _rows(v.fixed_effects)]  # fmt: skip
    variance = [{"Outcome": _label(r["outcome"], info), "Model": str(r["model"]),
                 "Participant variance": fmt_num(r.get("intercept_var"), 3),
                 "Residual variance": fmt_num(r.get("residual_var"), 3),
                 "Participants": fmt_int(r.get("n_participants")),
                 "Observations": fmt_int(r.get("n_observations")),
                 "Converged": "yes" if r.get("converged") else "no"}
                for r in _rows(v.variance)]  # fmt: skip
    friedman = [{"Outcome": _label(r["outcome"], info), "n (complete)": fmt_int(r.get("n")),
                 "Chi-square (df)": f"{fmt_num(r.get('statistic'), d)} ({fmt_int(r.get('df'))})",
                 "p": fmt_p(r.get("p"))} for r in _rows(v.friedman)]  # fmt: skip
    pairwise = [{"Outcome": _label(r["outcome"], info), "Contrast": f"{r['visit_b']} - {r['visit_a']}",
                 "n": fmt_int(r.get("n")),
                 "Mean difference [CI]": _est_ci(r, "mean_diff", "ci_low", "ci_high", d),
                 "t (df)": f"{fmt_num(r.get('t'), d)} ({fmt_int(r.get('df'))})",
                 "p": fmt_p(r.get("p")), "p (Holm)": fmt_p(r.get("p_holm"))}
                for r in _rows(v.pairwise)]  # fmt: skip
    interaction = [{"Outcome": _label(r["outcome"], info), "Method": str(r["test"]),
                    "Chi-square (df)": f"{fmt_num(r.get('chisq'), d)} ({fmt_int(r.get('df'))})",
                    "p": fmt_p(r.get("p"))} for r in _rows(v.interaction)]  # fmt: skip
    return {"fixed": fixed, "variance": variance, "friedman": friedman, "pairwise": pairwise,
            "interaction": interaction}  # fmt: skip


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
        "arms_table": [], "adjusted_means": [], "arms_sentences": [],
        "visits_tables": None, "visit_outcomes": [_label(o, info) for o in analysis.visit_outcomes],
        "adherence": [], "dose": [], "study_days": None, "study_days_source": "",
    }  # fmt: skip
    if analysis.arms is not None:
        out["arms_table"], out["adjusted_means"] = _arms_rows(analysis.arms, d, info)
        out["arms_sentences"] = [arms_sentence(r, design.paired_visits, d, info)
                                 for r in _rows(analysis.arms.table)
                                 if labels(info, str(r["outcome"])).role != "component"]  # fmt: skip
    if analysis.visits is not None:
        out["visits_tables"] = _visits_rows(analysis.visits, d, info)
    if analysis.diary is not None:
        diary = analysis.diary
        out["adherence"] = adherence_summary(diary.adherence.table)
        out["dose"] = _dose_rows(diary.dose_response, d, info) if diary.dose_response else []
        out["study_days"] = diary.study_days
        out["study_days_source"] = diary.study_days_source
    ctx["design"] = out
    return ctx


def design_methods(analysis: Any) -> list[str]:
    """Methods sentences for the two-arm, visits and diary analyses of a ``StudyAnalysis``."""
    if not analysis.beyond_one_group:
        return []
    info = analysis.info
    design = analysis.design
    options = analysis.recorded_options()
    pct = f"{analysis.options.ci_level * 100:g} %"
    first, last = design.paired_visits
    parts = []
    if design.arms:
        ctl, trt = design.arms
        parts.append(
            f"The study had two arms, {trt} and {ctl} (the control arm, reference of every "
            f"between-arm model). The paired analysis of {first!r} against {last!r} described "
            "above was run within each arm separately (one block per arm in results.csv; Holm and "
            "Benjamini-Hochberg adjustment over the outcomes within each arm)."
        )
    if analysis.arms is not None:
        parts.append(
            f"The arms were compared at {last!r} by analysis of covariance (Vickers 2001): "
            "ordinary least "
            f"squares of the {last!r} score on the {first!r} score and arm (R lm(post ~ pre + "
            "group), control as reference), reporting the baseline-adjusted difference "
            f"(treatment - control) with its {pct} t-based CI and p, and partial eta squared "
            "(t^2 / (t^2 + residual df)); adjusted means are the model's predictions for each arm "
            f"at the mean {first!r} score. The changes ({last!r} - {first!r}) were compared by "
            "the Welch t-test (unequal variances; Welch 1947) and by Hedges' g between arms "
            "(pooled SD, exact small-sample correction; Hedges 1981) with a CI by inversion of "
            "the noncentral t distribution (Steiger 1997) "
            "(as R effectsize::hedges_g). Between-arm statistics need at least two participants "
            "with both visits in each arm; otherwise they are left empty with a note."
        )
    if analysis.visits is not None:
        k = len(design.visits)
        names = ", ".join(_label(o, info) for o in analysis.visit_outcomes)
        text = (
            f"With {k} visits ({', '.join(map(repr, design.visits))}), each of {names} was "
            "analysed with a linear mixed model with a random intercept per participant and "
            f"visit as a factor ({design.visits[0]!r} as reference), fitted by restricted "
            "maximum likelihood (REML; statsmodels MixedLM; R lme4::lmer(score ~ visit + (1 | "
            "id)); Bates 2015), which keeps participants with a missing visit. Standard errors of "
            "the fixed effects come from (X'V^-1 X)^-1 at the REML estimates, as lme4's vcov, "
            + (f"with t-based {pct} CIs and p-values on Satterthwaite's degrees of freedom (as R "
               "lmerTest; Kuznetsova 2017)."
               if str(analysis.visits.options.get("fixed_effect_inference", "")).startswith(
                   "Satterthwaite") else f"with Wald (normal) {pct} CIs and p-values.")
        )  # fmt: skip
        if design.arms:
            text += (
                " The model visit * group (control arm as reference) was fitted as well (REML), "
                "and the group x visit interaction was tested by a likelihood-ratio test of visit + "
                "group against visit * group, both fitted by maximum likelihood (chi-square with "
                f"{k - 1} df; R anova() of the two lmer fits)."
            )
        text += (
            " The Friedman test (Friedman 1937) was run on the participants with every visit "
            "(complete cases), and pairwise visit contrasts were paired t-tests (later - earlier "
            "visit) on the participants with both visits, with p adjusted by Holm's method (Holm "
            "1979) over the visit pairs "
            "of each outcome" + (", both arms together" if design.arms else "") + "."
        )
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
