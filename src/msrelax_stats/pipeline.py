"""``analyze``: the whole job, read -> score -> analyse -> report, into one output folder.

Options are parsed once here (or by the CLI) into four frozen objects, one per layer
(:class:`~msrelax_stats.data.options.ReadOptions`, :class:`~msrelax_stats.instruments.
options.ScoringOptions`, :class:`~msrelax_stats.stats.options.AnalysisOptions`,
:class:`~msrelax_stats.report.options.ReportOptions`) and passed down typed. The folder is
written under a temporary name next to ``out`` and moved into place only when everything
succeeded, so a failed run never leaves a folder that looks complete.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from msrelax_stats.data.options import ReadOptions
from msrelax_stats.errors import Problem, StudyDataError, terminal_text
from msrelax_stats.instruments.options import ScoringOptions
from msrelax_stats.output_folder import Staging, input_files, jsonable, write_table
from msrelax_stats.parallel import call_ahead
from msrelax_stats.report.options import ReportOptions
from msrelax_stats.stats.analysis import StudyAnalysis
from msrelax_stats.stats.compare import PairedResult
from msrelax_stats.stats.design import DiaryAnalysis
from msrelax_stats.stats.flow import is_imputed
from msrelax_stats.stats.options import AnalysisOptions
from msrelax_stats.versions import package_versions

__all__ = ["AnalysisResult", "analyze", "options_from_keywords", "write_table", "package_versions"]


@dataclass
class AnalysisResult:
    """Everything ``analyze`` computed; the files in ``out`` hold the same numbers."""

    study: pd.DataFrame
    scored: pd.DataFrame
    analysis: StudyAnalysis
    read: ReadOptions
    scoring: ScoringOptions
    report: ReportOptions
    out: Path | None = None
    files: list[str] = field(default_factory=list)

    @property
    def paired(self) -> PairedResult:
        """The paired analysis (within each arm in a two-arm study)."""
        return self.analysis.paired

    @property
    def arms(self) -> Any:
        """The between-arm comparison (``stats.ancova.BetweenArmsResult``) or None."""
        return self.analysis.arms

    @property
    def visits(self) -> Any:
        """The analysis of more than two visits (``stats.visits.VisitsResult``) or None."""
        return self.analysis.visits

    @property
    def diary(self) -> DiaryAnalysis | None:
        """Adherence and dose-response of the practice diary, or None."""
        return self.analysis.diary

    @property
    def exclusions(self) -> pd.DataFrame:
        """The one ledger of everyone left out of anything, with the analysis and reason."""
        return self.analysis.exclusions

    @property
    def notes(self) -> list[str]:
        """Notes of the analyses (unbalanced arms, undefined statistics, diary ids, ...)."""
        return self.analysis.notes

    @property
    def options(self) -> dict[str, Any]:
        """Every option as recorded in ``results.json``."""
        return {**self.analysis.recorded_options(), "read": self.read.to_dict(),
                "scoring": self.scoring.to_dict(), "report": self.report.to_dict(),
                "layout": self.study.attrs.get("msrelax", {}).get("layout")}  # fmt: skip

    def summary(self) -> str:
        """A few lines for the terminal: who was analysed, what was written."""
        table = self.paired.table
        n_ids = self.study["id"].nunique()
        n_outcomes = table["outcome"].nunique() if len(table) else 0
        lines = [f"{_count(n_ids, 'participant')} read, {_count(n_outcomes, 'outcome')} compared."]
        lines += self.analysis.summary_lines(self.study)
        excluded = self.exclusions
        if len(excluded):  # an imputed participant is analysed, not excluded
            excluded = excluded[~excluded["reason"].map(is_imputed).astype(bool)]
        if len(excluded):
            scope = "analysis or outcome" if "analysis" in excluded.columns else "outcome"
            lines.append(
                f"{_count(excluded['id'].nunique(), 'participant')} excluded from at least one "
                f"{scope} (see exclusions.csv)."
            )
        if self.analysis.notes:
            n = len(self.analysis.notes)
            lines.append(f"{_count(n, 'note')} on the analyses (see report.html).")
        if self.out is not None:
            lines.append(f"wrote {len(self.files)} files to {self.out}/ (open report.html)")
        return "\n".join(terminal_text(line) for line in lines)  # input text: one line each


def _count(n: int, noun: str) -> str:
    """``1 participant``, ``2 participants``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


_SCORING_KEYS = {"instruments", "custom"}


def options_from_keywords(keywords: dict[str, Any]) -> tuple[ReadOptions, ScoringOptions,
                                                             AnalysisOptions, ReportOptions]:  # fmt: skip
    """Sort ``analyze``'s keyword arguments into the four option objects (the one place).

    Keywords named like a field of :class:`ReadOptions`, :class:`AnalysisOptions` or
    :class:`ReportOptions` go there; ``instruments`` and ``custom`` and every other keyword
    (an instrument's options: ``psqi={...}``, ``fss={"cutoff": 5}``) to :class:`ScoringOptions`.
    """

    def take(cls: type) -> dict[str, Any]:
        return {k: keywords.pop(k) for k in list(keywords) if k in cls.__dataclass_fields__}

    read = ReadOptions(**take(ReadOptions))
    analysis = AnalysisOptions(**take(AnalysisOptions))
    report = ReportOptions(**take(ReportOptions))
    scoring = {k: keywords.pop(k) for k in list(keywords) if k in _SCORING_KEYS}
    if scoring.get("instruments") is not None and not isinstance(
        scoring["instruments"], list | tuple
    ):
        scoring["instruments"] = [scoring["instruments"]]
    if scoring.get("custom") is not None and not isinstance(scoring["custom"], list | tuple):
        scoring["custom"] = [scoring["custom"]]
    scoring = ScoringOptions(instruments=scoring.get("instruments"),
                             custom=scoring.get("custom") or (), per_instrument=keywords)  # fmt: skip
    return read, scoring, analysis, report


def analyze(
    source: str | PathLike[str] | pd.DataFrame,
    out: str | PathLike[str] | None = None,
    *,
    diary: str | PathLike[str] | pd.DataFrame | None = None,
    options: tuple[ReadOptions, ScoringOptions, AnalysisOptions, ReportOptions] | None = None,
    force: bool = False,
    workers: int = 1,
    **keywords: Any,
) -> AnalysisResult:
    """Run the whole analysis of a pre/post study and (optionally) write every output.

    Parameters
    ----------
    source : path or DataFrame
        The study (any format :func:`msrelax_stats.read_study` reads).
    out : path, optional
        Output folder. ``None`` computes without writing anything.
    diary : path or DataFrame, optional
        Practice diary (one row per participant per day, see
        :func:`msrelax_stats.data.diary.read_diary`).
    options : tuple, optional
        The four option objects (read, scoring, analysis, report), as the CLI builds them;
        otherwise they are built from ``**keywords``.
    force : bool
        Write into an ``out`` folder that holds other files, replacing only the files of
        this tool's manifest there (the output-folder rule of
        :mod:`msrelax_stats.output_folder`; without it such a folder is refused).
    workers : int
        Processes it may use: with 2 and ``out``, a process forked before reading imports
        scipy and computes the statistics (sharing the outcomes' paired rows with a process
        of its own) while this one reads, scores and imports the report's libraries, and
        then writes the report (sharing the figures with a process of its own):
        :func:`msrelax_stats.parallel.call_ahead`, :func:`~msrelax_stats.parallel.split_map`,
        the command line's default with two cores; without ``out``, the outcomes are
        shared. The results and files are the same bytes either way, and ``results.json``
        does not record it.
    **keywords
        Reading (``layout``, ``column_map``, ``visits``, ``sheet``, ``missing_codes``,
        ``encoding``), scoring (``instruments``, ``custom``, ``psqi={...}``,
        ``fss={"cutoff": 5}``, ...), analysis (``outcomes``, ``ci_level``, ``seed``,
        ``n_boot``, ``primary_test``, ``control``, ``diary_days``, ``plan``: a TOML path, a
        dict or an ``AnalysisPlan``) and report options
        (``figure_formats``, ``figure_set``, ``decimals``, ``dpi``, ``command``): see the
        option classes.

    Returns
    -------
    AnalysisResult

    Notes
    -----
    Files written to ``out``: ``scored.csv``, ``results.csv``, ``caseness.csv``,
    ``responders.csv``, ``exclusions.csv``, ``results.json``, ``table2.*``, ``figures/`` and
    ``report.html``, and the tables of the designs beyond one group
    (:meth:`msrelax_stats.stats.analysis.StudyAnalysis.tables`; docs/architecture.md).
    """
    from msrelax_stats.instruments import score
    from msrelax_stats.study import read_study

    if options is None:
        options = options_from_keywords(dict(keywords))
    elif keywords:
        raise TypeError(f"analyze(): options= and keywords {sorted(keywords)} together")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise StudyDataError([Problem(f"option workers (--workers) must be a whole number of "
                                      f"at least 1, not {workers!r}")])  # fmt: skip
    read, scoring, analysis_options, report = options
    # with an output folder and two workers, the statistics' process is forked before reading
    ahead = partial(_statistics, options=analysis_options, workers=workers,
                    figure_set=None if out is None else report.figure_set)  # fmt: skip
    with call_ahead(ahead, prepare=_import_statistics,
                    workers=workers if out is not None else 1) as statistics:  # fmt: skip
        study = read_study(source, read, custom=[*scoring.custom, *(scoring.instruments or ())])
        meta = study.attrs.get("msrelax", {})
        staging = None
        if out is not None:  # the output-folder rule: never an input's folder, never user files
            inputs = input_files(source, read.column_map, diary, list(scoring.custom),
                                 list(scoring.instruments or ()))  # fmt: skip
            staging = Staging(Path(out), protect=inputs, force=force)
        try:
            try:  # problems found after reading concern the same file: name it
                scored = score(study, **scoring.kwargs())
                diary_table = None
                if diary is not None:
                    from msrelax_stats.data.diary import read_diary

                    diary_table = read_diary(diary)
                statistics.send((scored, diary_table))
                if staging is not None:  # what needs no statistic, while they are computed
                    _import_report(scored, analysis_options, diary_table)
                    write_table(scored, staging.tmp / "scored.csv")
                    versions = package_versions()
                analysis = statistics.result()
                result = AnalysisResult(study=study, scored=scored, analysis=analysis,
                                        read=read, scoring=scoring, report=report)  # fmt: skip
                if staging is None:
                    return result
                result.files = _write_outputs(staging.tmp, result, meta, workers, versions)
            except StudyDataError as error:
                if isinstance(source, pd.DataFrame):
                    raise
                raise error.with_file(os.fspath(source)) from None
            staging.commit()
        except BaseException:
            if staging is not None:
                staging.abort()
            raise
    result.out = Path(out)
    return result


def _import_statistics() -> None:
    """What only the statistics import (``STATISTICS_MODULES``: scipy, statsmodels' Holm
    adjustment, the paired analysis' computations)."""
    from msrelax_stats.cli_imports import STATISTICS_MODULES, import_modules

    import_modules(STATISTICS_MODULES)


def _import_report(scored: pd.DataFrame, options: AnalysisOptions,
                   diary: pd.DataFrame | None) -> None:  # fmt: skip
    """What writing the report imports (matplotlib, python-docx, openpyxl: ``REPORT_MODULES``,
    ``DOCUMENT_MODULES``; no scipy) and, for a design beyond one group, the modules of its
    results, which unpickling the analysis needs (``stats.analysis.result_modules``), and
    matplotlib's mathtext parser (``figures.save.build_mathtext_parser``): with two workers,
    while the statistics' process computes."""
    from msrelax_stats.cli_imports import DOCUMENT_MODULES, REPORT_MODULES, import_modules
    from msrelax_stats.stats.analysis import result_modules

    import_modules((*REPORT_MODULES, *DOCUMENT_MODULES, *result_modules(scored, options, diary)))
    from msrelax_stats.figures.save import build_mathtext_parser

    build_mathtext_parser()


def _statistics(data: tuple[pd.DataFrame, pd.DataFrame | None], *,
                           options: AnalysisOptions, workers: int,
                           figure_set: str | None) -> StudyAnalysis:  # fmt: skip
    """The statistics of ``(scored, diary)`` (:func:`~msrelax_stats.stats.analysis.analyse`),
    with the kernel densities the estimation plots of ``figure_set`` draw
    (``report.options.drawn_bootstraps``; none without a report), so that the report's
    process imports no scipy.

    ``analyze`` calls it through :func:`msrelax_stats.parallel.call_ahead`: with an output
    folder and two workers (and a platform that forks), in a process forked before the data
    are read, which imports scipy and statsmodels while the command reads and scores, and
    shares the outcomes' paired rows with a process of its own; the command then imports the
    report's libraries, receives the analysis (pickled) and writes the report, sharing the
    figures with a process of its own. The analysis and the files are the same either way.
    """
    from msrelax_stats.report.options import drawn_bootstraps
    from msrelax_stats.stats.analysis import analyse

    scored, diary = data
    analysis = analyse(scored, options, diary=diary, workers=workers)
    for boot in drawn_bootstraps(analysis, figure_set) if figure_set is not None else ():
        boot.density()
    return analysis


def _write_outputs(folder: Path, result: AnalysisResult, meta: dict[str, Any], workers: int,
                   versions: dict[str, str]) -> list[str]:  # fmt: skip
    """Every file but ``scored.csv`` (written while the statistics were computed) into
    ``folder``; the names of all, ``scored.csv`` first."""
    analysis = result.analysis
    written: list[str] = ["scored.csv"]

    def own_files() -> None:
        """While the figures are saved: the analysis' files."""
        for name, frame in analysis.tables().items():
            write_table(frame, folder / name)
            written.append(name)
        document = {
            "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "command": result.report.command or None,
            "input": {
                "source": meta.get("source"),
                "sha256": meta.get("sha256"),
                "layout": meta.get("layout"),
                "visits": meta.get("visits"),
                "notes": meta.get("notes", []),
            },
            "options": result.options,
            "seed": analysis.options.seed,
            "versions": versions,
            **analysis.to_json(),
        }
        text = json.dumps(jsonable(document), indent=2, sort_keys=True, allow_nan=False)
        (folder / "results.json").write_text(text + "\n", encoding="utf-8")
        written.append("results.json")

    from msrelax_stats.instruments.registry import registry_of
    from msrelax_stats.report import write_outputs

    notes = [str(Problem(**note)) for note in meta.get("notes", [])]
    source = meta.get("source")
    report_files = write_outputs(
        folder,
        scored=result.scored,
        analysis=analysis,
        registry=registry_of(result.scored),
        options=result.report,
        versions=versions,
        workers=workers,
        flow={
            "enrolled": int(result.study["id"].nunique()),
            "source": Path(source).name if source and source != "<DataFrame>" else source,
            "notes": notes if analysis.beyond_one_group else notes + list(analysis.notes),
        },
        meanwhile=own_files,
    )
    written.extend(sorted(report_files))
    return written
