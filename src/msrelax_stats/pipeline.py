"""``analyze``: the whole job, read -> score -> compare -> report, into one output folder.

The folder is written under a temporary name next to ``out`` and moved into place only when
everything succeeded, so a failed run never leaves a folder that looks complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError, terminal_text
from msrelax_stats.output_folder import Staging, input_files, jsonable, write_table
from msrelax_stats.versions import package_versions

__all__ = ["AnalysisResult", "analyze", "write_table", "package_versions"]


@dataclass
class AnalysisResult:
    """Everything ``analyze`` computed; the files in ``out`` hold the same numbers."""

    study: pd.DataFrame
    scored: pd.DataFrame
    paired: Any
    out: Path | None
    options: dict[str, Any]
    arms: Any = None
    visits: Any = None
    diary: Any = None
    files: list[str] = field(default_factory=list)
    designs: Any = None
    exclusions: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for the terminal: who was analysed, what was written."""
        table = self.paired.table
        n_ids = self.study["id"].nunique()
        n_outcomes = table["outcome"].nunique() if len(table) else 0
        lines = [f"{_count(n_ids, 'participant')} read, {_count(n_outcomes, 'outcome')} compared."]
        if self.designs is not None:
            from msrelax_stats.pipeline_designs import design_summary

            lines += design_summary(self.designs, self.study)
        excluded = self.paired.exclusions if self.exclusions is None else self.exclusions
        if len(excluded):
            scope = "analysis or outcome" if self.exclusions is not None else "outcome"
            lines.append(
                f"{_count(excluded['id'].nunique(), 'participant')} excluded from at least one "
                f"{scope} (see exclusions.csv)."
            )
        if self.notes:
            lines.append(f"{_count(len(self.notes), 'note')} on the analyses (see report.html).")
        if self.out is not None:
            lines.append(f"wrote {len(self.files)} files to {self.out}/ (open report.html)")
        return "\n".join(terminal_text(line) for line in lines)  # input text: one line each


def _count(n: int, noun: str) -> str:
    """``1 participant``, ``2 participants``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def analyze(
    source: str | PathLike[str] | pd.DataFrame,
    out: str | PathLike[str] | None = None,
    *,
    layout: str | None = None,
    column_map: str | PathLike[str] | dict[str, str] | None = None,
    visits: Sequence[str] | None = None,
    sheet: str | int | None = None,
    missing_codes: Sequence[Any] | None = None,
    encoding: str | None = None,
    outcomes: Sequence[str] | None = None,
    ci_level: float = 0.95,
    seed: int = 1,
    n_boot: int = 10000,
    primary_test: str = "t",
    control: str | None = None,
    diary: str | PathLike[str] | pd.DataFrame | None = None,
    diary_days: int | None = None,
    figure_formats: Sequence[str] = ("png",),
    figure_set: str = "primary",
    command: str | None = None,
    force: bool = False,
    **scoring: Any,
) -> AnalysisResult:
    """Run the whole analysis of a pre/post study and (optionally) write every output.

    Parameters
    ----------
    source : path or DataFrame
        The study (any format :func:`msrelax_stats.read_study` reads).
    out : path, optional
        Output folder. ``None`` computes without writing anything.
    layout, column_map, visits, sheet, missing_codes, encoding
        Passed to :func:`msrelax_stats.read_study`.
    outcomes : sequence of str, optional
        Outcomes to compare; default every reported score present (STATISTICS.md).
    ci_level, seed, n_boot
        Confidence level, bootstrap seed and number of bootstrap resamples.
    primary_test : {"t", "wilcoxon"}
        The analysis plan's primary test; both are always reported.
    control : str, optional
        Label of the control arm in a two-arm study; by default the label containing
        "control", "usual care" or "waitlist".
    diary : path or DataFrame, optional
        Practice diary (one row per participant per day, see
        :func:`msrelax_stats.stats.diary.read_diary`).
    diary_days : int, optional
        Length of the practice period in days; by default the last diary day recorded by
        most participants (rows outside days 1..``diary_days`` are excluded and listed).
    figure_formats : sequence of {"png", "svg", "pdf"}
        Formats written for every figure.
    figure_set : {"primary", "headline", "all"}
        Outcomes with figures of their own: the primary outcomes (``fss_mean`` and
        ``psqi_global`` when present), the headline score of each instrument, or every
        outcome (see :mod:`msrelax_stats.report.gallery`). Every outcome is always in the
        forest plot of effect sizes.
    command : str, optional
        The command line, recorded in the report.
    force : bool
        Write into an ``out`` folder that holds other files, replacing only the files of
        this tool's manifest there (the output-folder rule of
        :mod:`msrelax_stats.output_folder`; without it such a folder is refused).
    **scoring
        Passed to :func:`msrelax_stats.score` (``instruments=``, ``psqi={...}``, ...).

    Returns
    -------
    AnalysisResult

    Files written to ``out``: ``scored.csv``, ``results.csv``, ``caseness.csv``,
    ``responders.csv``, ``exclusions.csv``, ``results.json``, ``table2.*``, ``figures/`` and
    ``report.html``.

    Notes
    -----
    The design is read from the data, no flag needed:

    - **Arms**: the labels of ``group``. No ``group`` column, or one label: one group, and the
      output is exactly the one-group output (no ``group`` column anywhere). Two labels: a
      two-arm study. More than two: :class:`StudyDataError`.
    - **Visits**: the categories of ``time`` (``visits`` gives labels and order).
      ``results.csv`` always holds the paired analysis of the **first against the last
      visit** (STATISTICS.md columns). With two arms it is the within-arm analysis: a leading
      ``group`` column and one block per arm (control first), Holm/BH within each arm; the
      same holds for ``caseness.csv``, ``responders.csv`` and Table 2.

    Extra files when the design has them: two arms: ``arms.csv`` (per outcome: ANCOVA of the
    last visit on the first and arm, control = reference, with partial eta squared; Welch
    t-test of the changes; Hedges g with its noncentral-t CI) and ``adjusted_means.csv``; more
    than two visits: ``visits_fixed_effects.csv``, ``visits_variance.csv`` (MixedLM, REML,
    random intercept), ``friedman.csv``, ``visits_pairwise.csv`` (Holm),
    ``trajectories.csv`` and, with two arms, ``interaction.csv`` (LR test of group x visit);
    a diary: ``adherence.csv`` (per participant) and ``dose_response.csv`` (Spearman, OLS).
    The mixed models and the dose-response run on the main outcomes (the PSQI components
    are left out) unless ``outcomes`` is given. When any of these analyses runs,
    ``exclusions.csv`` is the full ledger with a leading ``analysis`` column (and ``group``
    with two arms): the paired exclusions, the between-arm ones, the visits ones (missing
    visit: kept in the mixed model, left out of Friedman), diary rows outside the practice
    period, diary ids not in the study, and participants without a diary or a change.
    ``results.json`` holds the same tables under ``arms``, ``visits`` and ``diary`` with
    their notes and options.
    """
    from msrelax_stats.instruments import score
    from msrelax_stats.stats.compare import compare, default_outcomes
    from msrelax_stats.study import read_study

    if primary_test not in ("t", "wilcoxon"):
        raise StudyDataError(
            Problem(f"primary_test must be 't' or 'wilcoxon', not {primary_test!r}")
        )
    if figure_set not in ("primary", "headline", "all"):
        raise StudyDataError(
            Problem(f"figure_set must be 'primary', 'headline' or 'all', not {figure_set!r}")
        )
    study = read_study(
        source,
        layout=layout,
        column_map=column_map,
        visits=visits,
        sheet=sheet,
        missing_codes=missing_codes,
        encoding=encoding,
    )
    from msrelax_stats.pipeline_designs import (
        design_options,
        detect_arms,
        paired_by_arm,
        run_designs,
    )

    meta = study.attrs.get("msrelax", {})
    staging = None
    if out is not None:  # the output-folder rule: never an input's folder, never user files
        inputs = input_files(source, column_map, diary, scoring.get("custom"),
                             scoring.get("instruments"))  # fmt: skip
        staging = Staging(Path(out), protect=inputs, force=force)
    started = None
    try:
        try:  # problems found after reading concern the same file: name it
            if "group" in study.columns or control is not None:  # before scoring: fails fast
                arms, arm_notes = detect_arms(study, control)
            else:  # one group: skip the two-arm machinery (statsmodels.api: ~0.5 s to import)
                arms, arm_notes = None, []
            scored = score(study, **scoring)
            visit_labels = [str(v) for v in study["time"].cat.categories]
            paired_visits = (visit_labels[0], visit_labels[-1])
            chosen = list(outcomes) if outcomes else None
            if staging is not None and arms is None:  # drawn and saved while we compute
                from msrelax_stats.report.outputs import start_paired_figures

                started = start_paired_figures(
                    staging.tmp, scored, chosen or default_outcomes(scored), visits=paired_visits,
                    seed=seed, figure_set=figure_set, formats=tuple(figure_formats),
                )  # fmt: skip
            if arms is None:
                paired = compare(scored, outcomes=chosen, visits=paired_visits,
                                 ci_level=ci_level, seed=seed, n_boot=n_boot)  # fmt: skip
            else:
                paired = paired_by_arm(scored, arms, chosen, paired_visits, ci_level=ci_level,
                                       seed=seed, n_boot=n_boot)  # fmt: skip
            outcome_names = (
                list(dict.fromkeys(paired.table["outcome"])) if len(paired.table) else []
            )
            designs, ledger = None, None
            if arms is not None or len(visit_labels) > 2 or diary is not None:
                designs, ledger = run_designs(
                    scored, paired, arms=arms, visits=visit_labels, paired_visits=paired_visits,
                    outcomes=outcome_names, explicit_outcomes=chosen is not None,
                    ci_level=ci_level, seed=seed, n_boot=n_boot, diary=diary,
                    diary_days=diary_days, notes=arm_notes,
                )  # fmt: skip
        except StudyDataError as error:
            if isinstance(source, pd.DataFrame):
                raise
            raise error.with_file(os.fspath(source)) from None
        options = {
            "visits": visit_labels,
            "paired_visits": list(paired_visits),
            "outcomes": outcome_names,
            "ci_level": ci_level,
            "seed": seed,
            "n_boot": n_boot,
            "primary_test": primary_test,
            "control": control,
            "scoring": scoring,
            "layout": meta.get("layout"),
            "missing_codes": list(missing_codes) if missing_codes else None,
            "figure_set": figure_set,
        }
        if designs is not None:
            options.update(design_options(designs, explicit_outcomes=chosen is not None))
        result = AnalysisResult(
            study=study, scored=scored, paired=paired, out=None, options=options,
            designs=designs, exclusions=ledger,
            arms=designs.arms_result if designs else None,
            visits=designs.visits_result if designs else None,
            diary=designs.diary if designs else None,
            notes=list(designs.notes) if designs else list(arm_notes),
        )  # fmt: skip
        if staging is None:
            return result
        result.files = _write_outputs(
            staging.tmp,
            result,
            meta,
            started=started,
            figure_formats=tuple(figure_formats),
            command=command,
        )
        staging.commit()
    except BaseException:
        if staging is not None:
            staging.abort()
        raise
    finally:
        if started is not None:
            started.close()
    result.out = Path(out)
    return result


def _write_outputs(
    folder: Path,
    result: AnalysisResult,
    meta: dict[str, Any],
    *,
    figure_formats: tuple[str, ...],
    command: str | None,
    started: Any = None,
) -> list[str]:
    paired = result.paired
    written: list[str] = []

    def table(frame: pd.DataFrame, name: str) -> None:
        write_table(frame, folder / name)
        written.append(name)

    table(result.scored, "scored.csv")
    table(paired.table, "results.csv")
    table(paired.caseness, "caseness.csv")
    table(paired.responders, "responders.csv")
    ledger = paired.exclusions if result.exclusions is None else result.exclusions
    table(ledger, "exclusions.csv")
    from msrelax_stats.pipeline_designs import design_json, design_tables

    for name, frame in design_tables(result.designs).items():
        table(frame, name)

    versions = package_versions()
    document = {
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "input": {
            "source": meta.get("source"),
            "sha256": meta.get("sha256"),
            "layout": meta.get("layout"),
            "visits": meta.get("visits"),
            "notes": meta.get("notes", []),
        },
        "options": result.options,
        "seed": result.options["seed"],
        "versions": versions,
        "results": paired.table,
        "caseness": paired.caseness,
        "responders": paired.responders,
        "exclusions": ledger,
        "notes": list(getattr(paired, "notes", [])) + list(result.notes),
        **design_json(result.designs),
    }
    text = json.dumps(jsonable(document), indent=2, sort_keys=True, allow_nan=False)
    (folder / "results.json").write_text(text + "\n", encoding="utf-8")
    written.append("results.json")

    from msrelax_stats.report import write_outputs

    notes = [str(Problem(**note)) for note in meta.get("notes", [])]
    source = meta.get("source")
    report_files = write_outputs(
        folder,
        scored=result.scored,
        results=paired.table,
        caseness=paired.caseness,
        responders=paired.responders,
        exclusions=ledger,
        flow={
            "enrolled": int(result.study["id"].nunique()),
            "source": Path(source).name if source and source != "<DataFrame>" else source,
            "notes": notes if result.designs is not None else notes + list(result.notes),
        },
        options=result.options,
        versions=versions,
        command=command or "",
        formats=figure_formats,
        designs=result.designs,
        started=started,
    )
    written.extend(sorted(report_files))
    return written
