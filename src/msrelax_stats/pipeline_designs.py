"""The part of ``analyze`` for designs beyond one group: two arms, more visits, diaries.

Routing is read from the data: the arms are the labels of ``group`` (none or one label: one
group), the visits the categories of ``time``; a diary is analysed when one is given. Every
participant left out of any analysis lands in one ledger (``exclusions.csv``) with the
analysis and the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.report.designs import DesignResults, DiaryAnalysis

__all__ = ["detect_arms", "paired_by_arm", "run_designs", "design_ledger", "infer_study_days"]

_COMPONENT_PREFIX = "psqi_c"


def detect_arms(study: pd.DataFrame, control: str | None) -> tuple[tuple[str, str] | None, list]:
    """``(control, treatment)`` when ``group`` has two labels, else None; and notes.

    Raises
    ------
    StudyDataError
        ``group`` with more than two labels; two labels and no way to tell the control
        (no ``control`` given and no label like "control", "usual care", "waitlist"); a
        ``control`` that is not one of the two labels; a participant in two arms.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "2"], "time": ["pre", "pre"], "group": ["PMR", "control"]})
    >>> detect_arms(df, None)
    (('control', 'PMR'), [])
    """
    from msrelax_stats.stats.arms import resolve_arms

    notes: list[str] = []
    if "group" not in study.columns:
        if control is not None:
            notes.append(f"control arm {control!r} given but the study has no 'group' column; "
                         "analysed as one group")  # fmt: skip
        return None, notes
    labels = [str(x) for x in pd.unique(study["group"].dropna().astype(str))]
    if len(labels) > 2:
        raise StudyDataError(
            Problem(
                f"'group' has {len(labels)} labels ({', '.join(labels)}); msrelax_stats analyses "
                "one group or two arms: recode the arms into two labels or analyse a subset",
                column="group",
            )
        )
    if len(labels) < 2:
        if control is not None and [str(control)] != labels:
            notes.append(f"the control arm {control!r} has no participants (every participant is "
                         f"in {', '.join(labels) or 'no arm'}); analysed as one group")  # fmt: skip
        elif labels and control is not None:
            notes.append(f"only the control arm {control!r} has participants; analysed as one "
                         "group")  # fmt: skip
        return None, notes
    arms = resolve_arms(study, control)
    unlabelled = pd.unique(study.loc[study["group"].isna(), "id"].astype(str))
    if len(unlabelled):
        notes.append(f"{len(unlabelled)} participant(s) without an arm label left out of the "
                     f"arm analyses: {', '.join(unlabelled)}")  # fmt: skip
    sizes = study.groupby(study["group"].astype(str))["id"].nunique()
    if sizes.get(arms[0], 0) != sizes.get(arms[1], 0):
        notes.append(f"unbalanced arms: {arms[1]} {sizes.get(arms[1], 0)}, {arms[0]} "
                     f"{sizes.get(arms[0], 0)} participants (Welch test and ANCOVA do not "
                     "need equal arms)")  # fmt: skip
    return arms, notes


def paired_by_arm(
    scored: pd.DataFrame,
    arms: tuple[str, str],
    outcomes: Sequence[str] | None,
    visits: tuple[str, str],
    *,
    ci_level: float,
    seed: int,
    n_boot: int,
) -> Any:
    """The one-group paired analysis within each arm, stacked with a leading ``group`` column.

    Returns a ``stats.compare.PairedResult`` whose ``table``, ``exclusions``, ``caseness`` and
    ``responders`` hold one block per arm (control first); Holm/BH run within each arm.
    Participants without an arm label are in ``exclusions`` ("no arm label").
    """
    from msrelax_stats.stats.compare import PairedResult, compare

    group = scored["group"].astype("object")
    parts: dict[str, list[pd.DataFrame]] = {"table": [], "exclusions": [], "caseness": [],
                                            "responders": []}  # fmt: skip
    notes: list[str] = []
    options: dict[str, Any] = {}
    for arm in arms:
        sub = scored.loc[(group == arm).to_numpy()]
        absent = [v for v in visits if not (sub["time"].astype(str) == v).any()]
        if absent:
            notes.append(f"arm {arm}: nobody has a {' or '.join(absent)} visit; no within-arm "
                         "paired analysis")  # fmt: skip
            continue
        res = compare(sub, outcomes=outcomes, visits=visits, ci_level=ci_level, seed=seed,
                      n_boot=n_boot)  # fmt: skip
        options = res.options
        for name in parts:
            frame = getattr(res, name)
            parts[name].append(frame.assign(group=arm)[["group", *frame.columns]])
        notes += [f"{arm}: {n}" for n in res.notes]
    unlabelled = pd.unique(scored.loc[group.isna().to_numpy(), "id"].astype(str))
    if len(unlabelled) and parts["table"]:
        names = pd.concat(parts["table"])["outcome"].unique()
        ids, outs = np.repeat(unlabelled, names.size), np.tile(names, unlabelled.size)
        parts["exclusions"].append(pd.DataFrame({"group": "", "id": ids, "outcome": outs,
                                                 "reason": "no arm label"}))  # fmt: skip
    frames = {k: pd.concat(v, ignore_index=True) if v else pd.DataFrame(columns=["group"])
              for k, v in parts.items()}  # fmt: skip
    return PairedResult(table=frames["table"], exclusions=frames["exclusions"],
                        caseness=frames["caseness"], responders=frames["responders"],
                        options={**options, "by_arm": list(arms)}, notes=notes)  # fmt: skip


def infer_study_days(diary: pd.DataFrame) -> tuple[int, str]:
    """Length of the practice period: the last diary day most participants recorded.

    Examples
    --------
    >>> d = pd.DataFrame({"id": ["1", "1", "2", "2", "3"], "day": [1, 42, 1, 42, 43]})
    >>> infer_study_days(d)[0]
    42
    """
    if "day" in diary.columns:
        day = pd.to_numeric(diary["day"], errors="coerce")
    else:
        first = diary.groupby("id")["date"].transform("min")
        day = (diary["date"] - first).dt.days + 1
    last = day.groupby(diary["id"].astype(str)).max().dropna().astype(int)
    counts = last.value_counts()
    top = int(counts[counts == counts.max()].index.min())
    return top, (f"taken from the diary as the last day recorded by most participants "
                 f"({int(counts.max())} of {len(last)})")  # fmt: skip


def _diary(
    diary: str | PathLike[str] | pd.DataFrame,
    scored: pd.DataFrame,
    arms: tuple[str, str] | None,
    outcomes: list[str],
    visits: tuple[str, str],
    *,
    ci_level: float,
    study_days: int | None,
) -> tuple[DiaryAnalysis | None, pd.DataFrame, list[str]]:
    """Adherence and dose-response; the ledger rows of the diary analyses; notes."""
    from msrelax_stats.stats.diary import adherence, dose_response, read_diary

    d = read_diary(diary)
    ids = pd.Index(pd.unique(scored["id"].astype(str)))
    notes: list[str] = []
    ledger = []
    unknown = pd.unique(d.loc[~d["id"].isin(ids), "id"])
    if len(unknown):
        notes.append(f"{len(unknown)} diary participant id(s) not in the study, ignored: "
                     f"{', '.join(map(str, unknown))}")  # fmt: skip
        ledger.append(pd.DataFrame({"analysis": "adherence", "id": unknown, "outcome": "",
                                    "reason": "diary id not in the study"}))  # fmt: skip
        d = d[d["id"].isin(ids)].reset_index(drop=True)
    if d.empty:
        notes.append("no diary participant is in the study: no adherence or dose-response")
        return None, _frames(ledger), notes
    source = "set in the analysis options"
    if study_days is None:
        study_days, source = infer_study_days(d)
    adh = adherence(d, study_days)
    notes += adh.notes
    if len(adh.excluded):
        ledger.append(adh.excluded.assign(analysis="adherence (diary rows)", outcome="")
                      .drop(columns="day"))  # fmt: skip
    population, diary_arms = ids, []
    if arms is not None:
        arm_of = scored.groupby(scored["id"].astype(str), sort=False)["group"].first()
        table = adh.table.assign(group=adh.table["id"].map(arm_of).astype("object"))
        adh.table = table[["group", *adh.table.columns]]
        diary_arms = [a for a in arms if (adh.table["group"] == a).any()]
        notes += [f"arm {a}: no diaries; dose-response within {' and '.join(diary_arms)} only"
                  for a in arms if a not in diary_arms]  # fmt: skip
        population = arm_of.index[arm_of.isin(diary_arms)]
    dose = None
    if outcomes:
        sub = scored[scored["id"].astype(str).isin(population)]
        dose = dose_response(sub, adh, outcomes, visits=visits, ci_level=ci_level)
        notes += dose.notes
        ledger.append(dose.exclusions.assign(analysis="dose-response"))
    return (DiaryAnalysis(adherence=adh, dose_response=dose, study_days=study_days,
                          study_days_source=source, arms=diary_arms, notes=notes),
            _frames(ledger), notes)  # fmt: skip


def _frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    cols = ["analysis", "id", "outcome", "reason"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def main_outcome_list(outcomes: Sequence[str]) -> list[str]:
    """Outcomes without the PSQI components (the default of the visits and diary analyses)."""
    return [o for o in outcomes if not str(o).startswith(_COMPONENT_PREFIX)]


def run_designs(
    scored: pd.DataFrame,
    paired: Any,
    *,
    arms: tuple[str, str] | None,
    visits: list[str],
    paired_visits: tuple[str, str],
    outcomes: list[str],
    explicit_outcomes: bool,
    ci_level: float,
    seed: int,
    n_boot: int,
    diary: str | PathLike[str] | pd.DataFrame | None,
    diary_days: int | None,
    notes: list[str],
) -> tuple[DesignResults, pd.DataFrame]:
    """Run the two-arm, visits and diary analyses the data calls for; returns the results
    and the full ledger (paired exclusions first)."""
    from msrelax_stats.stats.arms import compare_arms
    from msrelax_stats.stats.visits import compare_visits

    focus = list(outcomes) if explicit_outcomes else main_outcome_list(outcomes)
    designs = DesignResults(arms=arms, visits=list(visits), paired_visits=paired_visits,
                            notes=list(notes))  # fmt: skip
    ledger = [paired.exclusions.assign(analysis=f"paired {paired_visits[0]} vs {paired_visits[1]}")]
    arm_of = None
    if arms is not None:
        arm_of = scored.groupby(scored["id"].astype(str), sort=False)["group"].first()
        res = compare_arms(scored, outcomes, paired_visits, control=arms[0], ci_level=ci_level,
                           seed=seed, n_boot=n_boot, within=False)  # fmt: skip
        designs.arms_result = res
        designs.notes += res.notes
        ledger.append(res.exclusions.assign(analysis="between arms (ANCOVA, Welch)"))
    if len(visits) > 2 and focus:
        res = compare_visits(scored, focus, visits, ci_level,
                             control=arms[0] if arms else None)  # fmt: skip
        designs.visits_result, designs.visit_outcomes = res, focus
        designs.notes += res.notes
        excl = res.exclusions
        ledger.append(excl.assign(analysis=np.where(excl["analysis"] == "all", "visits (all)",
                                                    "visits: " + excl["analysis"].astype(str))))  # fmt: skip
    if diary is not None:
        designs.diary, diary_ledger, diary_notes = _diary(
            diary, scored, arms, focus, paired_visits, ci_level=ci_level, study_days=diary_days
        )
        designs.notes += diary_notes
        ledger.append(diary_ledger)
    return designs, design_ledger(ledger, arm_of)


def design_ledger(frames: list[pd.DataFrame], arm_of: pd.Series | None) -> pd.DataFrame:
    """One exclusions table: ``analysis``, (``group``,) ``id``, ``outcome``, ``reason``."""
    frames = [f for f in frames if len(f)]
    cols = ["analysis", "id", "outcome", "reason"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    out = out.assign(id=out["id"].astype(str), outcome=out["outcome"].fillna("").astype(str))
    if arm_of is None:
        return out[cols].reset_index(drop=True)
    group = out["group"] if "group" in out.columns else pd.Series(np.nan, index=out.index)
    group = group.astype("object").where(group.notna() & (group != ""), out["id"].map(arm_of))
    out = out.assign(group=group.fillna("").astype(str))
    return out[["analysis", "group", "id", "outcome", "reason"]].reset_index(drop=True)


def design_tables(designs: DesignResults | None) -> dict[str, pd.DataFrame]:
    """The extra CSV files of a design run, by file name (only those that were computed)."""
    if designs is None:
        return {}
    out: dict[str, pd.DataFrame] = {}
    if designs.arms_result is not None:
        out["arms.csv"] = designs.arms_result.table
        out["adjusted_means.csv"] = designs.arms_result.adjusted_means
    v = designs.visits_result
    if v is not None:
        out.update({"visits_fixed_effects.csv": v.fixed_effects,
                    "visits_variance.csv": v.variance, "friedman.csv": v.friedman,
                    "visits_pairwise.csv": v.pairwise, "trajectories.csv": v.trajectories})  # fmt: skip
        if designs.arms:
            out["interaction.csv"] = v.interaction
    if designs.diary is not None:
        out["adherence.csv"] = designs.diary.adherence.table
        if designs.diary.dose_response is not None:
            out["dose_response.csv"] = designs.diary.dose_response.table
    return out


def design_json(designs: DesignResults | None) -> dict[str, Any]:
    """The ``arms``, ``visits`` and ``diary`` entries of ``results.json`` (those computed)."""
    if designs is None:
        return {}
    doc: dict[str, Any] = {"design": {"arms": list(designs.arms) if designs.arms else None,
                                      "visits": designs.visits,
                                      "paired_visits": list(designs.paired_visits)}}  # fmt: skip
    a = designs.arms_result
    if a is not None:
        doc["arms"] = {"table": a.table, "adjusted_means": a.adjusted_means, "notes": a.notes,
                       "options": a.options}  # fmt: skip
    v = designs.visits_result
    if v is not None:
        doc["visits"] = {"outcomes": designs.visit_outcomes, "fixed_effects": v.fixed_effects,
                         "variance": v.variance, "friedman": v.friedman, "pairwise": v.pairwise,
                         "interaction": v.interaction, "trajectories": v.trajectories,
                         "exclusions": v.exclusions, "notes": v.notes, "options": v.options}  # fmt: skip
    d = designs.diary
    if d is not None:
        dose = d.dose_response
        doc["diary"] = {
            "adherence": d.adherence.table,
            "excluded_rows": d.adherence.excluded,
            "dose_response": dose.table if dose is not None else None,
            "dose_response_exclusions": dose.exclusions if dose is not None else None,
            "notes": d.notes,
            "options": {"study_days": d.study_days, "study_days_source": d.study_days_source,
                        "predictor": "share_practised", "arms": d.arms,
                        "change": f"{designs.paired_visits[1]} - {designs.paired_visits[0]}"},
        }  # fmt: skip
    return doc


def design_options(designs: DesignResults, *, explicit_outcomes: bool) -> dict[str, Any]:
    """Options recorded for a design run (``results.json`` and the report)."""
    diary = designs.diary
    options: dict[str, Any] = {
        "design": {
            "arms": list(designs.arms) if designs.arms else None,
            "visits_analysis": designs.visits_result is not None,
            "visit_outcomes": designs.visit_outcomes,
            "diary": diary is not None,
            "diary_days": diary.study_days if diary is not None else None,
        }
    }
    if not explicit_outcomes and (designs.visits_result is not None or diary is not None):
        options["visit_outcomes_rule"] = (
            "The mixed models and the dose-response used the main outcomes; the PSQI component "
            "scores (ordinal, 0-3) were analysed only in the paired and between-arm tables."
        )
    return options


def design_summary(designs: DesignResults, study: pd.DataFrame) -> list[str]:
    """Terminal lines about the design analyses that ran."""
    lines = []
    if designs.arms:
        sizes = study.groupby(study["group"].astype(str))["id"].nunique()
        ctl, trt = designs.arms
        lines.append(f"two arms: {trt} ({sizes.get(trt, 0)}) against {ctl} ({sizes.get(ctl, 0)}, "
                     "control); paired analysis within each arm.")  # fmt: skip
    if designs.visits_result is not None:
        lines.append(f"{len(designs.visits)} visits: mixed models, Friedman and pairwise "
                     "contrasts (see visits_*.csv).")  # fmt: skip
    if designs.diary is not None:
        lines.append(f"diary: {len(designs.diary.adherence.table)} participants, "
                     f"{designs.diary.study_days}-day practice period (see adherence.csv, "
                     "dose_response.csv).")  # fmt: skip
    return lines
