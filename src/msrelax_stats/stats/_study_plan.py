"""The analysis plan as a study uses it: checked, filled in, cut to the outcomes analysed, and
the plan's families and multiplicity rules attached to a result table (for :func:`msrelax_stats.
stats.analysis.analyse`)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from msrelax_stats.stats.multiplicity import adjust_by_family
from msrelax_stats.stats.options import AnalysisOptions
from msrelax_stats.stats.plan import AnalysisPlan, OutcomeFamily, validate_plan

__all__ = ["rules", "study_plan", "with_families"]


def study_plan(scored: pd.DataFrame, options: AnalysisOptions,
               visits: tuple[str, ...]) -> tuple[AnalysisPlan, list[str] | None]:  # fmt: skip
    """The plan checked against the study and filled in, and the outcomes to analyse.

    Without a plan, the default plan of the outcomes analysed (``options.outcomes`` or every
    reported score). Outcomes: ``options.outcomes`` when given, else every reported score
    and the plan's outcomes that are not among them (None: the reported scores only).

    Raises
    ------
    StudyDataError
        A plan key that does not fit the study (unknown outcome, endpoint, covariate).
    """
    plan = validate_plan(options.plan, scored, visits)
    if options.plan is None:
        plan = _restrict(plan, options.outcomes) if options.outcomes else plan
        plan = replace(plan, primary_test=options.primary_test)
    if options.outcomes:
        return plan, list(options.outcomes)
    from msrelax_stats.instruments.registry import registry_of

    reported = registry_of(scored).outcome_columns(scored.columns)
    extra = [o for o in plan.outcomes if o not in reported]
    return plan, [*reported, *extra] if extra else None


def _restrict(plan: AnalysisPlan, outcomes: tuple[str, ...]) -> AnalysisPlan:
    """The default plan cut to the outcomes analysed (the first of them primary when none of
    the default primary outcomes is among them; one the default plan does not place,
    exploratory)."""
    keep = {f.name: OutcomeFamily(f.name, tuple(o for o in f.outcomes if o in outcomes),
                                  f.multiplicity) for f in plan.families}  # fmt: skip
    rest = tuple(o for o in outcomes if o not in plan.outcomes)
    keep["exploratory"] = replace(keep["exploratory"], outcomes=keep["exploratory"].outcomes + rest)
    if not keep["primary"].outcomes and outcomes:
        first = outcomes[0]
        keep = {n: replace(f, outcomes=tuple(o for o in f.outcomes if o != first))
                for n, f in keep.items()}  # fmt: skip
        keep["primary"] = replace(keep["primary"], outcomes=(first,))
    return replace(plan, **keep)


def rules(table: pd.DataFrame, plan: AnalysisPlan) -> pd.DataFrame:
    """``table`` with ``multiplicity``: the rule of each row's family ("" for none)."""
    rule = {f.name: f.multiplicity for f in plan.families}
    return table.assign(multiplicity=table["family"].map(rule).fillna(""))


def with_families(table: pd.DataFrame, plan: AnalysisPlan) -> pd.DataFrame:
    """The between-arm table with the plan's ``family`` and ``multiplicity`` (after
    ``outcome``) and the ANCOVA p adjusted within the family at each visit, ``p_adjusted``
    (after ``ancova_p``)."""
    out = rules(adjust_by_family(table, plan, p="ancova_p", by=["visit"]), plan)
    order = []
    for c in table.columns:
        order.append(c)
        if c == "outcome":
            order += ["family", "multiplicity"]
        elif c == "ancova_p":
            order.append("p_adjusted")
    return out[order]
