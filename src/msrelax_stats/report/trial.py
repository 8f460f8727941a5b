"""Report pieces of a two-arm trial: the between-arm sentences, tables and methods.

Everything is read from a :class:`msrelax_stats.stats.analysis.StudyAnalysis`: its ``arms``
(:func:`msrelax_stats.stats.ancova.between_arms`, with the plan's families) and ``plan``.
The between-arm comparison is the primary analysis of a randomised trial; the report leads
with it and shows the within-arm tests as secondary (CONSORT 2010, item 17).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import (
    fmt_ci,
    fmt_int,
    fmt_num,
    fmt_p,
    is_missing,
    keep_statistics_together,
)

__all__ = [
    "adjusted_p_text",
    "arms_sentence",
    "arms_rows",
    "lead_rows",
    "plan_sentence",
    "trial_methods",
]

_FAMILY_ORDER = {"primary": 0, "secondary": 1, "exploratory": 2, "": 3}


def _est_ci(r: Mapping[str, Any], est: str, low: str, high: str, d: int) -> str:
    return f"{fmt_num(r.get(est), d)} {fmt_ci(r.get(low), r.get(high), d)}"


def adjusted_p_text(row: Mapping[str, Any]) -> str:
    """The adjusted p of a row with ``family``, ``multiplicity``, ``p_adjusted``, as words.

    Examples
    --------
    >>> adjusted_p_text({"family": "primary", "multiplicity": "holm", "p_adjusted": 0.004})
    'Holm-adjusted within the primary family p = .004'
    >>> adjusted_p_text({"family": "exploratory", "multiplicity": "none", "p_adjusted": 0.2})
    'exploratory, not adjusted'
    """
    family, rule = str(row.get("family") or ""), str(row.get("multiplicity") or "")
    if not family:
        return "in no family of the plan, not adjusted"
    if rule == "none":
        return f"{family}, not adjusted"
    name = "Holm-adjusted" if rule == "holm" else "fixed-sequence adjusted"
    return f"{name} within the {family} family {fmt_p(row.get('p_adjusted'), prefix=True)}"


def arms_sentence(row: Mapping[str, Any], visits: Sequence[str], decimals: int = 2,
                  info: Mapping[str, Any] | None = None) -> str:  # fmt: skip
    """One sentence for one row (outcome and visit) of the between-arm table.

    Examples
    --------
    >>> arms_sentence(res.arms.table.iloc[0], ("baseline", "week6"))  # doctest: +SKIP
    'At week6 (the endpoint), adjusted for baseline, FSS mean was lower in relaxation ...'
    """
    r, d = dict(row), decimals
    label, first = labels(info, str(r["outcome"])).label, str(visits[0])
    visit = str(r.get("visit", visits[-1]))
    when = f"{visit} (the endpoint)" if r.get("endpoint", True) else f"{visit} (follow-up)"
    diff = r.get("ancova_diff")
    if is_missing(diff):
        return (f"At {when}, {label}: the arms could not be compared (n = "
                f"{fmt_int(r.get('n_treatment'))} {r.get('treatment')}, "
                f"{fmt_int(r.get('n_control'))} {r.get('control')} with both visits).")  # fmt: skip
    word = "lower" if float(diff) < 0 else "higher" if float(diff) > 0 else "no different"
    pct = f"{float(r.get('ci_level', 0.95)) * 100:g} % CI"
    covariates = str(r.get("covariates") or "").replace(" + ", ", ")
    adjusted = f"{first}" + (f", {covariates}" if covariates else "")
    trt, ctl = r["treatment"], r["control"]
    text = (
        f"At {when}, adjusted for {adjusted}, {label} was {word} in {trt} than in {ctl}: "
        f"adjusted difference {fmt_num(diff, d)}, {pct} "
        f"{fmt_ci(r.get('ancova_ci_low'), r.get('ancova_ci_high'), d)}, "
        f"t({fmt_int(r.get('ancova_df'))}) = {fmt_num(r.get('ancova_t'), d)}, "
        f"{fmt_p(r.get('ancova_p'), prefix=True)} ({adjusted_p_text(r)}); standardised "
        f"difference {_est_ci(r, 'ancova_smd', 'ancova_smd_ci_low', 'ancova_smd_ci_high', d)} "
        "residual SDs."
    )
    if not is_missing(r.get("welch_diff")):
        text += (
            f" Mean change {_est_ci(r, 'change_mean_treatment', 'change_ci_low_treatment', 'change_ci_high_treatment', d)}"
            f" in {trt} and {_est_ci(r, 'change_mean_control', 'change_ci_low_control', 'change_ci_high_control', d)}"
            f" in {ctl}; difference of mean changes {fmt_num(r.get('welch_diff'), d)}, bootstrap "
            f"{pct} {fmt_ci(r.get('welch_diff_bca_ci_low'), r.get('welch_diff_bca_ci_high'), d)}"
            f" (Welch t({fmt_num(r.get('welch_df'), 1)}) = {fmt_num(r.get('welch_t'), d)}, "
            f"{fmt_p(r.get('welch_p'), prefix=True)}), Hedges g = "
            f"{_est_ci(r, 'hedges_g', 'hedges_g_ci_low', 'hedges_g_ci_high', d)}"
        )  # fmt: skip
    return keep_statistics_together(text + (f" (n = {fmt_int(r.get('n_treatment'))} {trt}, "
                                            f"{fmt_int(r.get('n_control'))} {ctl})."))  # fmt: skip


def lead_rows(analysis: Any) -> list[dict[str, Any]]:
    """The rows of the between-arm table the results lead with: the endpoint of every outcome
    but the components (primary family first), then the other follow-up visits of the
    primary outcomes."""
    table = analysis.arms.table
    if table.empty:
        return []
    info = analysis.info
    rows = [r for r in table.to_dict("records")
            if labels(info, str(r["outcome"])).role != "component"]  # fmt: skip
    endpoint = sorted((r for r in rows if r["endpoint"]),
                      key=lambda r: _FAMILY_ORDER.get(str(r.get("family") or ""), 3))  # fmt: skip
    later = [r for r in rows if not r["endpoint"] and r.get("family") == "primary"]
    return endpoint + later


def arms_rows(analysis: Any, d: int) -> dict[str, list[dict[str, str]]]:
    """The report's between-arm tables: every outcome at every follow-up visit, the adjusted
    means, and (with covariates) every model term."""
    arms, info = analysis.arms, analysis.info
    table = []
    for r in arms.table.to_dict("records"):  # outcomes x visits, a few dozen
        table.append({
            "Outcome": labels(info, str(r["outcome"])).label,
            "Visit": f"{r['visit']}{' (endpoint)' if r['endpoint'] else ''}",
            "Family": str(r.get("family") or ""),
            "n (treatment / control)": f"{fmt_int(r.get('n_treatment'))} / {fmt_int(r.get('n_control'))}",
            "Adjusted difference [CI]": _est_ci(r, "ancova_diff", "ancova_ci_low", "ancova_ci_high", d),
            "p (ANCOVA)": fmt_p(r.get("ancova_p")),
            "p (adjusted)": "unadjusted" if r.get("multiplicity") == "none" else fmt_p(r.get("p_adjusted")),
            "Standardised difference [CI]": _est_ci(r, "ancova_smd", "ancova_smd_ci_low", "ancova_smd_ci_high", d),
            "Change difference [Welch CI]": _est_ci(r, "welch_diff", "welch_ci_low", "welch_ci_high", d),
            "Bootstrap CI": fmt_ci(r.get("welch_diff_bca_ci_low"), r.get("welch_diff_bca_ci_high"), d),
            "p (Welch)": fmt_p(r.get("welch_p")),
            "Hedges g [CI]": _est_ci(r, "hedges_g", "hedges_g_ci_low", "hedges_g_ci_high", d),
        })  # fmt: skip
    means = [{"Outcome": labels(info, str(r["outcome"])).label, "Visit": str(r["visit"]),
              "Group": str(r["group"]), "n": fmt_int(r.get("n")),
              "Adjusted mean [CI]": _est_ci(r, "adjusted_mean", "ci_low", "ci_high", d),
              "at baseline": fmt_num(r.get("pre_at"), d)}
             for r in arms.adjusted_means.to_dict("records")]  # fmt: skip
    coefficients = []
    if arms.options.get("covariates"):
        coefficients = [{"Outcome": labels(info, str(r["outcome"])).label,
                         "Visit": str(r["visit"]), "Term": str(r["label"]),
                         "Estimate [CI]": _est_ci(r, "estimate", "ci_low", "ci_high", d),
                         "t (df)": f"{fmt_num(r.get('t'), d)} ({fmt_int(r.get('df'))})",
                         "p": fmt_p(r.get("p"))}
                        for r in arms.coefficients.to_dict("records")]  # fmt: skip
    return {"table": table, "means": means, "coefficients": coefficients}


def _names(outcomes: Sequence[str], info: Mapping[str, Any]) -> str:
    return ", ".join(labels(info, o).label for o in outcomes) or "none"


def plan_sentence(analysis: Any) -> str:
    """The analysis plan and the multiplicity rule of each family, for the methods."""
    plan, info = analysis.plan, analysis.info
    rules = {"holm": "Holm's method within the family",
             "fixed-sequence": "fixed-sequence testing in the listed order, each at alpha, "
             "stopping at the first not significant", "none": "not adjusted, reported as "
             "exploratory"}  # fmt: skip
    source = {"default": "the default plan of msrelax_stats (docs/trial-analysis.md)",
              "dict": "a plan given in Python"}.get(plan.source, f"the plan file {plan.source}")  # fmt: skip
    families = "; ".join(f"{f.name}: {_names(f.outcomes, info)} ({rules[f.multiplicity]})"
                         for f in plan.families if f.outcomes)  # fmt: skip
    where = (
        "the ANCOVA p-values between arms, within each family at each visit"
        if analysis.arms is not None
        else "the p-values of the primary test"
    )
    return (
        f"Outcome families and multiplicity followed {source}, with two-sided alpha "
        f"{plan.alpha:g}: {families} (Holm 1979). The adjustment applies to {where}."
    )


def trial_methods(analysis: Any) -> list[str]:
    """Methods sentences of the between-arm comparison (the primary analysis)."""
    design, arms = analysis.design, analysis.arms
    if arms is None:
        return []
    ctl, trt = design.arms
    first, endpoint = design.paired_visits
    others = [v for v in design.visits[1:] if v != endpoint]
    pct = f"{analysis.options.ci_level * 100:g} %"
    covariates = list(arms.options.get("covariates") or [])
    terms = " + ".join(["pre", "group", *covariates])
    cov_text = (f" and the baseline covariates {', '.join(covariates)} (read at the {first!r} "
                "visit; a participant missing one left that model and is listed with the "
                "reason)" if covariates else "")  # fmt: skip
    return [
        f"The study had two arms, {trt} and {ctl} (the control arm, reference of every "
        "between-arm model). The primary analysis compared the arms at the endpoint of the "
        f"analysis plan, {endpoint!r}, by analysis of covariance (Vickers 2001): ordinary least squares of "
        f"the {endpoint!r} score on the {first!r} score and arm{cov_text} (R lm(post ~ "
        f"{terms})), reporting the adjusted difference (treatment - control) with its {pct} "
        "t-based CI and p, the adjusted means of each arm at the mean baseline (as R emmeans), "
        "and the standardised difference (adjusted difference / residual SD) with an exact CI "
        "by inversion of the noncentral t distribution (Steiger 1997)."
        + (f" The same model was fitted at {', '.join(map(repr, others))} as a supportive "
           "analysis." if others else "")
        + " As secondary comparisons on the raw scale, the changes from baseline were compared "
        "by the Welch t-test (unequal variances; Welch 1947), by Hedges' g (pooled SD, exact "
        "small-sample correction, Hedges 1981; noncentral-t CI, as R effectsize::hedges_g) and "
        "by a BCa bootstrap CI (Efron 1987) of "
        f"the difference of mean changes ({arms.options.get('n_boot')} resamples of the "
        f"participants within each arm, seed {arms.options.get('seed')}), the interval the "
        "two-group estimation plots draw. Between-arm statistics need at least two participants "
        "in each arm; otherwise they are left empty with a note.",
    ]  # fmt: skip
