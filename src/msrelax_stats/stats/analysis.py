"""``analyse``: every analysis a scored study calls for, in one result the report only reads.

The design is read from the data (:mod:`msrelax_stats.stats.design`) and the analysis plan
(:mod:`msrelax_stats.stats.plan`, checked against the study here): the paired analysis of the
first visit against the plan's endpoint (within each arm in a two-arm study), the between-arm
ANCOVA at every follow-up visit (the primary analysis of a two-arm study), the analysis of
more than two visits, and the practice diary. p-values are adjusted within the plan's families
(:func:`msrelax_stats.stats.multiplicity.adjust_by_family`). Everyone left out of any
analysis is in one ledger (``StudyAnalysis.exclusions``) with the analysis and the reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.instruments.registry import OutcomeInfo
from msrelax_stats.stats._sample_description import describe_sample, describe_scales
from msrelax_stats.stats._study_plan import rules, study_plan, with_families
from msrelax_stats.stats.baseline import BaselineResult
from msrelax_stats.stats.compare import PairedResult, compare, default_outcomes
from msrelax_stats.stats.design import (
    LEDGER_COLUMNS,
    Design,
    DiaryAnalysis,
    analyse_diary,
    analysis_view,
    detect_arms,
    one_ledger,
    paired_by_arm,
    with_read_exclusions,
)
from msrelax_stats.stats.flow import FlowCounts
from msrelax_stats.stats.multiplicity import adjust_by_family
from msrelax_stats.stats.options import AnalysisOptions
from msrelax_stats.stats.plan import AnalysisPlan

__all__ = ["StudyAnalysis", "analyse", "study_plan"]


@dataclass
class StudyAnalysis:
    """Every result of a study's analysis: what tables, figures and sentences show.

    Attributes
    ----------
    design : Design
        Arms, visits and the paired visits (the first visit and the plan's endpoint).
    paired : PairedResult
        The paired analysis (first visit against the endpoint); in a two-arm study within
        each arm, one block per arm (a leading ``group`` column), bootstrap keyed by ``(arm,
        outcome)``.
    plan : AnalysisPlan
        The analysis plan as used: checked against the study, every family filled in.
    families : DataFrame
        The plan's family and adjusted p of the paired table's primary test: (``group``,)
        ``outcome``, ``p`` (``p_t`` or ``p_wilcoxon``), ``family``, ``p_adjusted`` (within
        the family, and within each arm), ``multiplicity`` (the family's rule).
    arms : BetweenArmsResult or None
        The between-arm comparison (:func:`msrelax_stats.stats.ancova.between_arms`) at every
        follow-up visit, its ``table`` with the plan's ``family`` and ``multiplicity`` (after
        ``outcome``) and ``p_adjusted``, the ANCOVA p adjusted within the family at each
        visit (after ``ancova_p``).
    visits : VisitsResult or None
        The analysis of more than two visits (:func:`msrelax_stats.stats.visits.
        compare_visits`) of ``visit_outcomes``.
    diary : DiaryAnalysis or None
        Adherence and dose-response of a practice diary.
    exclusions : DataFrame
        The one ledger: ``id``, ``outcome``, ``reason`` for a one-group paired analysis;
        ``analysis``, (``group``), ``id``, ``outcome``, ``reason`` when a design analysis ran.
    notes : list of str
        Notes of every analysis (undefined statistics, unbalanced arms, ...).
    options : AnalysisOptions
        The options it ran with.
    baseline : BaselineResult or None
        The numbers of Table 1 (:func:`msrelax_stats.stats.baseline.
        baseline_characteristics`): overall, by arm, completers against the participants
        lost to follow-up (:func:`msrelax_stats.stats.flow.lost_to_follow_up` at the last
        visit).
    reliability : DataFrame or None
        Cronbach's alpha (Feldt CI), McDonald's omega, items answered and floor/ceiling of
        every multi-item score at each visit (``reliability.csv``; :func:`msrelax_stats.
        stats.reliability_table.reliability_table`).
    missing : MissingDataResult or None
        The intention-to-treat analyses under missing data (``--missing mi|mixed``;
        :func:`msrelax_stats.stats.missing.analyze_missing`) of the plan's primary and
        secondary outcomes, with the sensitivity analyses (``missing.csv``,
        ``imputations.csv``).
    flow : FlowCounts or None
        The participant flow (:func:`msrelax_stats.stats.flow.flow_counts`): enrolled,
        allocated, seen and lost at each visit, analysed per primary outcome with the
        reasons of the ledger.
    """

    design: Design
    paired: PairedResult
    options: AnalysisOptions
    plan: AnalysisPlan = field(default_factory=AnalysisPlan)
    families: pd.DataFrame = field(default_factory=pd.DataFrame)
    arms: Any = None
    visits: Any = None
    diary: DiaryAnalysis | None = None
    visit_outcomes: list[str] = field(default_factory=list)
    exclusions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LEDGER_COLUMNS))
    notes: list[str] = field(default_factory=list)
    baseline: BaselineResult | None = None
    reliability: pd.DataFrame | None = None
    flow: FlowCounts | None = None
    missing: Any = None

    @property
    def info(self) -> dict[str, OutcomeInfo]:
        """Outcome -> label, instrument, unit, direction (from the scored table's registry)."""
        return self.paired.info

    @property
    def beyond_one_group(self) -> bool:
        """True when an analysis beyond the paired table ran (arms, visits, diary)."""
        return any(x is not None for x in (self.arms, self.visits, self.diary))

    @property
    def outcomes(self) -> list[str]:
        """The outcomes of the paired table, in its order."""
        table = self.paired.table
        return list(dict.fromkeys(map(str, table["outcome"]))) if len(table) else []

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the analysis by file name (those that were computed)."""
        out = {"results.csv": self.paired.table, "caseness.csv": self.paired.caseness,
               "responders.csv": self.paired.responders, "exclusions.csv": self.exclusions}  # fmt: skip
        if self.reliability is not None:
            out["reliability.csv"] = self.reliability
        if self.arms is not None:
            out["arms.csv"] = self.arms.table
            out["adjusted_means.csv"] = self.arms.adjusted_means
            out["ancova_coefficients.csv"] = self.arms.coefficients
        v = self.visits
        if v is not None:
            out.update({"visits_fixed_effects.csv": v.fixed_effects,
                        "visits_variance.csv": v.variance, "friedman.csv": v.friedman,
                        "visits_pairwise.csv": v.pairwise, "trajectories.csv": v.trajectories})  # fmt: skip
            if self.design.two_arms:
                out["interaction.csv"] = v.interaction
                out["visits_arm_differences.csv"] = v.arm_differences
        if self.missing is not None:
            from msrelax_stats.stats._itt import missing_table

            out["missing.csv"] = missing_table(self.missing)
            out["tipping_point.csv"] = self.missing.tipping
            out["imputations.csv"] = self.missing.imputations
        if self.diary is not None:
            out["adherence.csv"] = self.diary.adherence.table
            if self.diary.dose_response is not None:
                out["dose_response.csv"] = self.diary.dose_response.table
        return out

    def recorded_options(self) -> dict[str, Any]:
        """The options as ``results.json`` and the report record them."""
        d = self.design
        out: dict[str, Any] = {**self.options.to_dict(), "visits": list(d.visits),
                               "paired_visits": list(d.paired_visits), "outcomes": self.outcomes,
                               "plan": self.plan.to_dict()}  # fmt: skip
        if self.beyond_one_group:
            diary = self.diary
            out["design"] = {"arms": list(d.arms) if d.arms else None,
                             "visits_analysis": self.visits is not None,
                             "visit_outcomes": self.visit_outcomes, "diary": diary is not None,
                             "diary_days": diary.study_days if diary is not None else None}  # fmt: skip
            if self.options.outcomes is None and (self.visits is not None or diary is not None):
                out["visit_outcomes_rule"] = (
                    "The mixed models and the dose-response used the main outcomes; the PSQI "
                    "component scores (ordinal, 0-3) were analysed only in the paired and "
                    "between-arm tables."
                )
        return out

    def to_json(self) -> dict[str, Any]:
        """The tables, notes and options of every analysis (``results.json``)."""
        p, d = self.paired, self.design
        doc: dict[str, Any] = {"results": p.table, "caseness": p.caseness,
                               "responders": p.responders, "exclusions": self.exclusions,
                               "families": self.families,
                               "notes": list(dict.fromkeys([*p.notes, *self.notes]))}  # fmt: skip
        doc.update(self._sample_json())
        if not self.beyond_one_group:
            return doc
        doc["design"] = {"arms": list(d.arms) if d.arms else None, "visits": list(d.visits),
                         "paired_visits": list(d.paired_visits)}  # fmt: skip
        a = self.arms
        if a is not None:
            doc["arms"] = {"table": a.table, "adjusted_means": a.adjusted_means,
                           "coefficients": a.coefficients, "exclusions": a.exclusions,
                           "notes": a.notes, "options": a.options}  # fmt: skip
        v = self.visits
        if v is not None:
            doc["visits"] = {"outcomes": self.visit_outcomes, "fixed_effects": v.fixed_effects,
                             "variance": v.variance, "friedman": v.friedman,
                             "pairwise": v.pairwise, "interaction": v.interaction,
                             "arm_differences": v.arm_differences,
                             "trajectories": v.trajectories, "exclusions": v.exclusions,
                             "notes": v.notes, "options": v.options}  # fmt: skip
        diary = self.diary
        if diary is not None:
            dose = diary.dose_response
            doc["diary"] = {
                "adherence": diary.adherence.table,
                "excluded_rows": diary.adherence.excluded,
                "dose_response": dose.table if dose is not None else None,
                "dose_response_exclusions": dose.exclusions if dose is not None else None,
                "notes": diary.notes,
                "options": {"study_days": diary.study_days,
                            "study_days_source": diary.study_days_source,
                            "predictor": "share_practised", "arms": diary.arms,
                            "change": f"{d.paired_visits[1]} - {d.paired_visits[0]}"},
            }  # fmt: skip
        return doc

    def _sample_json(self) -> dict[str, Any]:
        """Table 1's numbers, the reliability table and the flow counts, as computed."""
        out: dict[str, Any] = {}
        if self.baseline is not None:
            out["baseline"] = {"summary": self.baseline.summary, "notes": self.baseline.notes,
                               "subsets": [list(s) for s in self.baseline.subsets]}  # fmt: skip
        if self.reliability is not None:
            out["reliability"] = self.reliability
        if self.flow is not None:
            out["flow"] = asdict(self.flow)
        res = self.missing
        if res is not None:
            out["missing"] = {"estimates": res.estimates, "tipping": res.tipping,
                              "tipping_points": res.tipping_points, "imputed": res.imputed,
                              "exclusions": res.exclusions, "notes": list(res.notes),
                              "options": res.options}  # fmt: skip
        return out

    def summary_lines(self, study: pd.DataFrame) -> list[str]:
        """Terminal lines about the design analyses that ran."""
        lines = []
        if self.design.arms:
            sizes = study.groupby(study["group"].astype(str))["id"].nunique()
            ctl, trt = self.design.arms
            lines.append(f"two arms: {trt} ({sizes.get(trt, 0)}) against {ctl} "
                         f"({sizes.get(ctl, 0)}, control): ANCOVA at {self.plan.endpoint} "
                         "(primary) and every follow-up visit (see arms.csv); paired analysis "
                         "within each arm (secondary).")  # fmt: skip
        if self.visits is not None:
            lines.append(f"{len(self.design.visits)} visits: mixed models, Friedman and pairwise "
                         "contrasts (see visits_*.csv).")  # fmt: skip
        if self.missing is not None:
            from msrelax_stats.stats._itt import itt_summary

            lines.append(itt_summary(self))
        if self.diary is not None:
            lines.append(f"diary: {len(self.diary.adherence.table)} participants, "
                         f"{self.diary.study_days}-day practice period (see adherence.csv, "
                         "dose_response.csv).")  # fmt: skip
        return lines


def analyse(scored: pd.DataFrame, options: AnalysisOptions | None = None,
            diary: pd.DataFrame | None = None, *, workers: int = 1) -> StudyAnalysis:  # fmt: skip
    """Run every analysis the scored study calls for.

    Parameters
    ----------
    scored : DataFrame
        Scored long table (:func:`msrelax_stats.score`), ``time`` an ordered Categorical.
    options : AnalysisOptions, optional
        Outcomes, confidence level, bootstrap, control arm, diary days, analysis plan.
    diary : DataFrame, optional
        A practice diary as read by :func:`msrelax_stats.data.diary.read_diary`.
    workers : int
        Processes for the paired rows of the outcomes (:func:`compare`); same result.

    Returns
    -------
    StudyAnalysis

    Notes
    -----
    - **Plan**: ``options.plan`` checked against the study and filled in
      (:func:`study_plan`); every p-value a reader is shown is adjusted within its family.
    - **Arms**: the labels of ``group``. None or one label: one group. Two labels: the
      between-arm ANCOVA at every follow-up visit, the plan's endpoint marked, with the
      plan's covariates (:func:`~msrelax_stats.stats.ancova.between_arms`; the changes
      compared by Welch, Hedges g and a bootstrap of their difference), and the paired
      analysis within each arm (control first; secondary). More than two:
      :class:`StudyDataError`.
    - **Visits**: the paired analysis is the first visit against the plan's endpoint (the
      last visit by default); with more than two visits, mixed models (Satterthwaite df,
      the plan's covariates), Friedman and pairwise contrasts (within each arm with two
      arms) of the main outcomes (the PSQI components are left out unless
      ``options.outcomes`` names them).
    - **Diary**: adherence per participant and dose-response (Spearman, OLS).

    Examples
    --------
    >>> analysis = analyse(mrs.score(mrs.read_study("data/sample/pmr_study.csv")))  # doctest: +SKIP
    >>> analysis.paired.table.loc[0, "outcome"]  # doctest: +SKIP
    'fss_mean'
    """
    options = options or AnalysisOptions()
    scored = analysis_view(scored)
    if "group" in scored.columns or options.control is not None:
        arms, notes = detect_arms(scored, options.control)
    else:  # one group: skip the two-arm machinery (statsmodels.api: ~0.5 s to import)
        arms, notes = None, []
    visits = tuple(str(v) for v in scored["time"].cat.categories)
    plan, chosen = study_plan(scored, options, visits)
    endpoint = plan.endpoint if plan.endpoint in visits[1:] else visits[-1]
    design = Design(arms=arms, visits=visits, paired_visits=(visits[0], endpoint))
    boot = {"ci_level": options.ci_level, "seed": options.seed, "n_boot": options.n_boot,
            "workers": workers}  # fmt: skip
    scales: dict[str, Any] = {}  # by the outcomes they describe: used if the analysis' own

    def describe() -> None:  # Table 1 and reliability, while compare's second process
        outcomes = list(chosen) if chosen is not None else default_outcomes(scored)
        scales[",".join(outcomes)] = describe_scales(scored, design, outcomes, options.ci_level)

    if arms is None:
        paired = compare(scored, outcomes=chosen, visits=design.paired_visits, **boot,
                         meanwhile=describe)  # fmt: skip
    else:
        paired = paired_by_arm(scored, arms, chosen, design.paired_visits, **boot)
    p_column = "p_wilcoxon" if plan.primary_test == "wilcoxon" else "p_t"
    keys = [c for c in ("group", "outcome") if c in paired.table.columns]
    families = rules(adjust_by_family(
        paired.table[[*keys, p_column]].rename(columns={p_column: "p"}), plan,
        by=["group"] if arms is not None else ()), plan)  # fmt: skip
    result = StudyAnalysis(design=design, paired=paired, options=options, plan=plan,
                           families=families, exclusions=paired.exclusions, notes=list(notes))  # fmt: skip
    if plan.covariates and arms is None and len(visits) == 2:
        result.notes.append(f"covariates {', '.join(plan.covariates)} of the plan not used: a "
                            "one-group, two-visit study has no between-arm or mixed model")  # fmt: skip
    if arms is not None or len(visits) > 2 or diary is not None:
        _beyond_one_group(result, scored, diary)
    result.exclusions = with_read_exclusions(result.exclusions, scored)
    if options.missing != "complete":
        _intention_to_treat(result, scored)
    describe_sample(result, scored, scales.get(",".join(result.outcomes)))
    return result


def result_modules(scored: pd.DataFrame, options: AnalysisOptions,
                   diary: pd.DataFrame | None) -> tuple[str, ...]:  # fmt: skip
    """The modules defining what :func:`analyse` returns for this study beyond the one-group
    paired analysis: between arms, more than two visits, a diary, missing data (each imports
    scipy or statsmodels). A process that will unpickle the analysis imports them while it
    waits for it (``analyze`` with two workers: msrelax_stats.pipeline); naming one too many
    costs only its import.
    """
    time = scored["time"] if "time" in scored.columns else pd.Series(dtype=object)
    visits = (len(time.cat.categories) if isinstance(time.dtype, pd.CategoricalDtype)
              else time.nunique())  # fmt: skip
    return tuple(module for module, needed in (
        ("msrelax_stats.stats.ancova", "group" in scored.columns or options.control is not None),
        ("msrelax_stats.stats.visits", visits > 2),
        ("msrelax_stats.stats.diary", diary is not None),
        ("msrelax_stats.stats.missing", options.missing != "complete"),
    ) if needed)  # fmt: skip


def _intention_to_treat(result: StudyAnalysis, scored: pd.DataFrame) -> None:
    """The missing-data analyses (``_itt.itt_analysis``), their rows after the ledger's."""
    from msrelax_stats.stats._itt import itt_analysis

    ledger = result.exclusions
    if "analysis" not in ledger.columns:
        first, last = result.design.paired_visits
        ledger = ledger.assign(analysis=f"paired {first} vs {last}")
    ids = scored["id"].astype(str)
    arm_of = scored.groupby(ids, sort=False)["group"].first() if result.design.arms else None
    result.exclusions = one_ledger([ledger, itt_analysis(result, scored)], arm_of)


def _beyond_one_group(result: StudyAnalysis, scored: pd.DataFrame,
                      diary: pd.DataFrame | None) -> None:  # fmt: skip
    """The between-arm, visits and diary analyses the design calls for, and the full ledger
    (the paired exclusions first)."""
    from msrelax_stats.stats.ancova import between_arms
    from msrelax_stats.stats.visits import compare_visits

    design, options, plan = result.design, result.options, result.plan
    outcomes = result.outcomes
    focus = outcomes if options.outcomes else [
        o for o in outcomes if result.info.get(o) is None or result.info[o].role != "component"
    ]  # fmt: skip
    first, last = design.paired_visits
    ledger = [result.paired.exclusions.assign(analysis=f"paired {first} vs {last}")]
    arm_of = None
    if design.arms is not None:
        arm_of = scored.groupby(scored["id"].astype(str), sort=False)["group"].first()
        res = between_arms(scored, outcomes, design.visits, endpoint=design.paired_visits[1],
                           covariates=plan.covariates, control=design.arms[0],
                           ci_level=options.ci_level, seed=options.seed, n_boot=options.n_boot)  # fmt: skip
        res.table = with_families(res.table, plan)
        result.arms = res
        result.notes += res.notes
        excl = res.exclusions
        ledger.append(excl.assign(analysis="ANCOVA at " + excl["visit"].astype(str)))
    if len(design.visits) > 2 and focus:
        res = compare_visits(scored, focus, list(design.visits), options.ci_level,
                             control=design.arms[0] if design.arms else None,
                             covariates=plan.covariates, ddf="satterthwaite", within_arms=True)  # fmt: skip
        result.visits, result.visit_outcomes = res, focus
        result.notes += res.notes
        excl = res.exclusions
        ledger.append(excl.assign(analysis=np.where(excl["analysis"] == "all", "visits (all)",
                                                    "visits: " + excl["analysis"].astype(str))))  # fmt: skip
    if diary is not None:
        result.diary, diary_ledger, diary_notes = analyse_diary(
            diary, scored, design.arms, focus, design.paired_visits, ci_level=options.ci_level,
            study_days=options.diary_days,
        )  # fmt: skip
        result.notes += diary_notes
        ledger.append(diary_ledger)
    result.exclusions = one_ledger(ledger, arm_of)
