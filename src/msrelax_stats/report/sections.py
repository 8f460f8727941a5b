"""The design sections of the reports (two arms, visits, practice diary): titles, tables,
captions and notes, written once for ``report.html`` and ``report.docx``.

:func:`design_sections` reads the rows :func:`msrelax_stats.report.designs.design_context`
made; the HTML template and :mod:`msrelax_stats.report.manuscript` lay the sections out, each
in its own way, with the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["design_sections"]


def _table(rows: Any, caption: str, note: str = "") -> dict[str, Any]:
    return {"rows": rows, "caption": caption, "note": note}


def _arms(design: Mapping[str, Any], ci: str) -> dict[str, Any]:
    first = design["paired_visits"][0]
    covariates = design["arms_covariates"]
    tables = [
        _table(design["arms_table"], "Between-arm comparison at every follow-up visit "
               f"(treatment - control, {ci} % CIs); the endpoint is the primary analysis",
               f"Adjusted difference: ANCOVA of the visit score on {first}"
               + (f" and {covariates}" if covariates else "") + " and arm (control = "
               "reference); p (adjusted): within the outcome's family of the plan, at each "
               "visit. Standardised difference: adjusted difference / residual SD, exact "
               "noncentral-t CI. Change difference: difference of mean changes with its Welch "
               "CI; bootstrap CI: BCa, resampling within each arm. Hedges g: noncentral-t CI."),
        _table(design["adjusted_means"], "ANCOVA-adjusted means per arm and visit (at the mean "
               f"{first} score" + (" and covariates" if covariates else "") + ")"),
    ]  # fmt: skip
    if design["arms_coefficients"]:
        tables.append(_table(design["arms_coefficients"], "Every term of the ANCOVA models "
                             f"(covariates read at {first})"))  # fmt: skip
    ctl, trt = design["arms"]
    return {"id": "arms", "title": f"Two arms: {trt} against {ctl} (control)", "tables": tables}


def _visits(design: Mapping[str, Any], ci: str) -> dict[str, Any]:
    v, first = design["visits_tables"], design["visits"][0]
    test = "Satterthwaite t" if v["t_test"] else "Wald z"
    tables = []
    if v["interaction"]:
        tables.append(_table(v["interaction"], "Group x visit interaction (likelihood-ratio "
                             "test, ML fits)"))  # fmt: skip
    if v.get("arm_differences"):
        tables.append(_table(v["arm_differences"], "Arm differences at every visit from the "
                             f"mixed model visit * group (treatment - control, {test})"))  # fmt: skip
    by_arm = bool(v.get("by_arm"))
    tables += [
        _table(v["fixed"], "Linear mixed models (random intercept per participant, REML): "
               "fixed effects with " + ("Satterthwaite t and df (as lmerTest)" if v["t_test"]
                                        else "Wald z") + f", {ci} % CIs",
               f"time[v]: difference from {first} at visit v (in the control arm when the model "
               f"has group terms); group[...]: arm difference at {first}; time:group: the "
               "difference in change between arms. Label: the term in words."),
        _table(v["variance"], "Variance components and intraclass correlation (ICC = "
               "participant variance / total)"),
        _table(v["friedman"], "Friedman test on the participants with every visit"
               + (", within each arm" if by_arm else "")),
        _table(v["pairwise"], "Pairwise visit contrasts (paired t-tests, Holm-adjusted within "
               "each outcome" + (" and arm" if by_arm else "") + ")"),
    ]  # fmt: skip
    return {"id": "visits", "title": f"Visits: {', '.join(design['visits'])}", "tables": tables}


def _diary(design: Mapping[str, Any]) -> list[dict[str, Any]]:
    days, (first, last) = design["study_days"], design["paired_visits"]
    return [
        {"id": "adherence", "title": "Practice diary: adherence", "tables": [_table(
            design["adherence"], f"Adherence over the {days}-day practice period",
            f"Share of days practised = days marked practised / {days} days "
            f"({design['study_days_source']}). Per participant: adherence.csv.")]},
        {"id": "dose-response", "title": "Dose-response", "tables": [_table(
            design["dose"], f"Change ({last} - {first}) against the share of days practised",
            "Spearman: rank correlation; slope: OLS of the change on the share practised "
            "(0-1), i.e. the change per 100 % adherence.")]},
    ]  # fmt: skip


def design_sections(design: Mapping[str, Any] | None, ci: str) -> list[dict[str, Any]]:
    """The design sections in report order: ``{"id", "title", "tables": [{"rows",
    "caption", "note"}]}``; ``ci`` is the CI level in percent as text (``"95"``).

    Examples
    --------
    >>> design_sections(None, "95")
    []
    """
    if not design:
        return []
    sections = []
    if design["arms_table"]:
        sections.append(_arms(design, ci))
    if design["visits_tables"]:
        sections.append(_visits(design, ci))
    if design["adherence"]:
        sections += _diary(design)
    return sections
