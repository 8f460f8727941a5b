"""An analysis plan written as a commented TOML file (the starting point a user edits).

Public as :func:`msrelax_stats.stats.plan.plan_to_toml`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from msrelax_stats.instruments.registry import registry_of
from msrelax_stats.stats._covariates import STRUCTURAL
from msrelax_stats.stats._design_tables import study_visits

if TYPE_CHECKING:
    from msrelax_stats.stats.plan import AnalysisPlan

__all__ = ["candidate_covariates", "plan_to_toml"]

_FAMILY_NOTES = {
    "primary": "Primary outcomes: the confirmatory tests of the study.",
    "secondary": "Secondary outcomes: supportive, adjusted within their own family.",
    "exploratory": "Exploratory outcomes (subscales, components): reported unadjusted, "
    "labelled exploratory.",
}

_MISSING_NOTE = (
    'Missing outcome data: method "complete" (participants with both visits; the default), '
    '"mi" (multiple imputation by chained equations, predictive mean matching, m imputations '
    'pooled by Rubin\'s rules) or "mixed" (a mixed model of every observed visit); seed: of '
    "the imputations (default: the analysis seed). analyze --missing overrides the method."
)


def candidate_covariates(scored: pd.DataFrame) -> list[str]:
    """Columns that are neither structure, nor items or scores of an instrument: the columns
    a plan could name as covariates (``age``, ``sex``, ``edss``, ...)."""
    columns = [str(c) for c in scored.columns]
    taken = set(STRUCTURAL)
    for spec in registry_of(scored).present(columns):
        here = spec.expanded(columns)
        taken |= set(here.item_columns) | set(here.outputs)
    return [c for c in columns if c not in taken]


def _value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return repr(value)


def _wrap(text: str, width: int = 98) -> list[str]:
    lines, line = [], "#"
    for word in text.split():
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "#"
        line += " " + word
    return [*lines, line]


def plan_to_toml(plan: AnalysisPlan, scored: pd.DataFrame | None = None) -> str:
    """The plan as a TOML file with a comment before every key, for the user to edit.

    With ``scored``, the header lists the study's participants, visits, arms, outcomes and
    the columns that could be covariates. :func:`load_plan` reads the text back to the same
    plan (``source`` aside).

    Examples
    --------
    >>> from msrelax_stats.stats.plan import load_plan
    >>> import tomllib
    >>> text = plan_to_toml(load_plan({"endpoint": "week6", "primary": ["fss_mean"]}))
    >>> load_plan(tomllib.loads(text)).primary.outcomes
    ('fss_mean',)
    >>> print(text.splitlines()[-3])
    [primary]
    """
    head = [
        f"Analysis plan for msrelax_stats (source: {plan.source}). Edit it before the "
        "analysis, keep it beside the data, and pass it to analyze with --plan."
    ]
    visits: Sequence[str] = []
    if scored is not None:
        visits = study_visits(scored)
        n = scored["id"].nunique()
        arms = ""
        if "group" in scored.columns and scored["group"].notna().any():
            arms = "; arms: " + ", ".join(sorted(map(str, scored["group"].dropna().unique())))
        head.append(f"Study: {n} participants; visits: {', '.join(visits)}{arms}.")
        head.append("Outcomes in the study: "
                    f"{', '.join(registry_of(scored).outcome_columns(scored.columns))}.")  # fmt: skip
        head.append(
            "Columns that could be covariates: "
            f"{', '.join(candidate_covariates(scored)) or 'none'}."
        )
    follow = f" ({', '.join(visits[1:])})" if len(visits) > 1 else ""
    lines = [line for text in head for line in _wrap(text)]
    keys = [
        (
            "endpoint",
            plan.endpoint,
            f"The visit of the primary comparison, a follow-up visit{follow}.",
        ),
        (
            "covariates",
            list(plan.covariates),
            "Baseline covariates of the ANCOVA and the mixed "
            "models: columns of the study, read at the baseline visit (numbers or categories).",
        ),
        (
            "primary_test",
            plan.primary_test,
            'The paired within-group test named as primary: "t" '
            'or "wilcoxon" (both are reported; with two arms the primary test is the ANCOVA).',
        ),
        ("alpha", plan.alpha, "Two-sided significance level."),
    ]
    for key, value, note in keys:
        if value is None:
            continue
        lines += ["", *_wrap(note), f"{key} = {_value(value)}"]
    lines += ["", *_wrap(_MISSING_NOTE)]
    missing = plan.missing
    if missing is None:
        lines += ["# [missing]", '# method = "mi"', "# m = 50", "# seed = 1"]
    else:
        lines += ["[missing]", f"method = {_value(missing.method)}", f"m = {missing.m}"]
        lines += [] if missing.seed is None else [f"seed = {missing.seed}"]
    lines += [
        "",
        *_wrap(
            'Families of outcomes, in order. multiplicity: "holm" (Holm within the '
            'family), "fixed-sequence" (tested in the listed order at alpha, '
            'stopping at the first not significant) or "none" (unadjusted).'
        ),
    ]
    for fam in plan.families:
        lines += [
            "",
            *_wrap(_FAMILY_NOTES[fam.name]),
            f"[{fam.name}]",
            f"outcomes = {_value(list(fam.outcomes))}",
            f"multiplicity = {_value(fam.multiplicity)}",
        ]
    return "\n".join(lines) + "\n"
