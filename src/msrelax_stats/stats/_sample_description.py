"""The description of the sample beside the analysis: Table 1 (completers against those lost),
the reliability of every scale at each visit and the participant flow (for :func:`msrelax_stats.
stats.analysis.analyse`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from msrelax_stats.stats.analysis import StudyAnalysis
    from msrelax_stats.stats.design import Design

__all__ = ["describe_sample", "describe_scales"]


def describe_scales(scored: pd.DataFrame, design: Design, outcomes: Sequence[str],
                    ci_level: float) -> tuple[Any, pd.DataFrame]:  # fmt: skip
    """Table 1 (completers against the lost at the last visit, by arm) and the reliability
    of every scale at each visit: what depends on the scored table alone, not on the paired
    rows (``analyse`` computes it while a second process computes outcomes' rows)."""
    from msrelax_stats.stats.baseline import baseline_characteristics
    from msrelax_stats.stats.flow import lost_to_follow_up
    from msrelax_stats.stats.reliability_table import reliability_table

    last = design.visits[-1]
    lost = lost_to_follow_up(scored, last, outcomes)
    baseline = baseline_characteristics(
        scored, arms=design.arms, lost=lost,
        lost_rule=f"participants with no outcome scored at the last visit ({last})",
    )  # fmt: skip
    return baseline, reliability_table(scored, ci_level=ci_level)


def describe_sample(result: StudyAnalysis, scored: pd.DataFrame,
                    scales: tuple[Any, pd.DataFrame] | None = None) -> None:  # fmt: skip
    """Table 1 (completers against the lost), the reliability of every scale at each visit
    (:func:`describe_scales` of the analysis' outcomes, unless given as ``scales``) and the
    participant flow (analysed per primary outcome, from the full ledger)."""
    from msrelax_stats.stats.flow import flow_counts

    design, outcomes = result.design, result.outcomes
    result.baseline, result.reliability = scales or describe_scales(
        scored, design, outcomes, result.options.ci_level)  # fmt: skip
    # analysed: the plan's primary outcomes, in the primary analysis (ANCOVA at the endpoint
    # between arms, else the paired comparison)
    primary = [o for o in result.plan.primary.outcomes if o in outcomes] or outcomes[:1]
    analysis = f"ANCOVA at {design.paired_visits[1]}" if result.arms is not None else None
    if result.missing is not None:  # the intention-to-treat analysis: the imputed are analysed
        from msrelax_stats.stats._itt import itt_label

        analysis = itt_label(result.options.missing, design.paired_visits[1])
    result.flow = flow_counts(scored, result.exclusions, outcomes=primary, arms=design.arms,
                              analysis=analysis)  # fmt: skip
