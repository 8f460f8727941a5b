"""The design of a study, read from its data: arms, visits, the within-arm paired analysis,
and the practice diary's analyses.

Arms are the labels of ``group`` (none or one label: one group), visits the categories of
``time``; a diary is analysed when one is given. :mod:`msrelax_stats.stats.analysis` runs what
the design calls for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.stats.compare import PairedResult, compare

__all__ = ["Design", "DiaryAnalysis", "detect_arms", "paired_by_arm", "infer_study_days",
           "analyse_diary", "LEDGER_COLUMNS", "one_ledger", "with_read_exclusions",
           "analysis_view"]  # fmt: skip

LEDGER_COLUMNS = ["analysis", "id", "outcome", "reason"]


@dataclass(frozen=True)
class Design:
    """``arms`` (control, treatment) or None; ``visits`` every visit label in order;
    ``paired_visits`` the (first, last) pair of the paired analysis."""

    arms: tuple[str, str] | None
    visits: tuple[str, ...]
    paired_visits: tuple[str, str]

    @property
    def two_arms(self) -> bool:
        return self.arms is not None


@dataclass
class DiaryAnalysis:
    """The practice diary's part of an analysis.

    ``adherence`` (``stats.diary.AdherenceResult``, table restricted to study participants,
    with a leading ``group`` column in a two-arm study), ``dose_response``
    (``stats.diary.DoseResponseResult`` or None), ``study_days`` (length of the practice
    period), ``study_days_source`` (how it was chosen), ``arms`` (arms analysed for
    dose-response, empty without arms) and ``notes``.
    """

    adherence: object
    dose_response: object
    study_days: int | None
    study_days_source: str
    arms: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
    from msrelax_stats.stats._design_tables import resolve_arms

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
    workers: int = 1,
) -> PairedResult:
    """The one-group paired analysis within each arm, stacked with a leading ``group`` column.

    Returns a :class:`~msrelax_stats.stats.compare.PairedResult` whose ``table``,
    ``exclusions``, ``caseness``, ``responders`` and ``visit_means`` hold one block per arm
    (control first) and whose bootstrap is keyed by ``(arm, outcome)``; Holm/BH run within
    each arm. Participants without an arm label are in ``exclusions`` ("no arm label").
    """
    group = scored["group"].astype("object")
    names = ("table", "exclusions", "caseness", "responders", "visit_means", "caveats")
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in names}
    notes: list[str] = []
    options: dict = {}
    boots, info = {}, {}
    for arm in arms:
        sub = scored.loc[(group == arm).to_numpy()]
        absent = [v for v in visits if not (sub["time"].astype(str) == v).any()]
        if absent:
            notes.append(f"arm {arm}: nobody has a {' or '.join(absent)} visit; no within-arm "
                         "paired analysis")  # fmt: skip
            continue
        res = compare(sub, outcomes=outcomes, visits=visits, ci_level=ci_level, seed=seed,
                      n_boot=n_boot, workers=workers)  # fmt: skip
        options, info = res.options, {**info, **res.info}
        for name in names:
            frame = getattr(res, name)
            parts[name].append(frame.assign(group=arm)[["group", *frame.columns]])
        boots.update({(arm, outcome): boot for (_, outcome), boot in res.bootstrap.items()})
        notes += [f"{arm}: {n}" for n in res.notes]
    unlabelled = pd.unique(scored.loc[group.isna().to_numpy(), "id"].astype(str))
    if len(unlabelled) and parts["table"]:
        outcome_names = pd.concat(parts["table"])["outcome"].unique()
        ids = np.repeat(unlabelled, outcome_names.size)
        outs = np.tile(outcome_names, unlabelled.size)
        parts["exclusions"].append(pd.DataFrame({"group": "", "id": ids, "outcome": outs,
                                                 "reason": "no arm label"}))  # fmt: skip
    frames = {k: pd.concat(v, ignore_index=True) if v else pd.DataFrame(columns=["group"])
              for k, v in parts.items()}  # fmt: skip
    return PairedResult(table=frames["table"], exclusions=frames["exclusions"],
                        caseness=frames["caseness"], responders=frames["responders"],
                        options={**options, "by_arm": list(arms)}, notes=notes,
                        visit_means=frames["visit_means"], bootstrap=boots, info=info,
                        caveats=frames["caveats"])  # fmt: skip


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


def analyse_diary(
    diary: pd.DataFrame,
    scored: pd.DataFrame,
    arms: tuple[str, str] | None,
    outcomes: list[str],
    visits: tuple[str, str],
    *,
    ci_level: float,
    study_days: int | None,
) -> tuple[DiaryAnalysis | None, pd.DataFrame, list[str]]:
    """Adherence and dose-response of a diary (as read by :func:`msrelax_stats.data.diary.
    read_diary`); the ledger rows of the diary analyses; notes."""
    from msrelax_stats.stats.diary import adherence, dose_response

    d = diary
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
    if not frames:
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    return pd.concat(frames, ignore_index=True)[LEDGER_COLUMNS]


def with_read_exclusions(ledger: pd.DataFrame, scored: pd.DataFrame) -> pd.DataFrame:
    """The ledger with the rows left out while reading first (Qualtrics previews, tests,
    spam and unfinished responses, REDCap repeating-instrument rows; ``read_table``'s
    ``excluded``): analysis ``reading``, no outcome (they count for none), the reason with
    its visit."""
    rows = scored.attrs.get("msrelax", {}).get("excluded") or []
    if not rows:
        return ledger
    read = pd.DataFrame({
        "id": [str(r["id"]) if r["id"] is not None else "" for r in rows], "outcome": "",
        "reason": [r["reason"] + (f" (visit {r['visit']})" if r["visit"] else "") for r in rows],
    })  # fmt: skip
    if "analysis" in ledger.columns:
        read.insert(0, "analysis", "reading")
    if "group" in ledger.columns:
        read.insert(1, "group", "")
    return pd.concat([read[[c for c in ledger.columns if c in read.columns]], ledger],
                     ignore_index=True)[list(ledger.columns)]  # fmt: skip


def one_ledger(frames: list[pd.DataFrame], arm_of: pd.Series | None) -> pd.DataFrame:
    """One exclusions table: ``analysis``, (``group``,) ``id``, ``outcome``, ``reason``."""
    frames = [f for f in frames if len(f)]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LEDGER_COLUMNS)
    out = out.assign(id=out["id"].astype(str), outcome=out["outcome"].fillna("").astype(str))
    if arm_of is None:
        return out[LEDGER_COLUMNS].reset_index(drop=True)
    group = out["group"] if "group" in out.columns else pd.Series(np.nan, index=out.index)
    group = group.astype("object").where(group.notna() & (group != ""), out["id"].map(arm_of))
    out = out.assign(group=group.fillna("").astype(str))
    return out[["analysis", "group", "id", "outcome", "reason"]].reset_index(drop=True)


#: What the analyses read of ``scored.attrs["msrelax"]``: the scoring options, the registry
#: and the rows left out while reading.
_ANALYSIS_META = ("scoring", "registry", "excluded")


def analysis_view(scored: pd.DataFrame) -> pd.DataFrame:
    """``scored`` (not copied) with only the metadata the analyses read: pandas deep-copies
    ``attrs`` into every frame derived from a table (a column, a selection), and the reading
    notes and column list are most of that work (about 0.04 s of the sample's analysis)."""
    meta = scored.attrs.get("msrelax", {})
    view = scored.copy(deep=False)
    view.attrs = {"msrelax": {k: meta[k] for k in _ANALYSIS_META if k in meta}} if meta else {}
    return view
