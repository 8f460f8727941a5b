"""The report options, parsed once at the boundary (CLI or ``analyze``) and passed down typed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.instruments.registry import describe_outcome, headline_outcomes
from msrelax_stats.stats.plan import DEFAULT_PRIMARY

__all__ = ["ReportOptions", "FIGURE_FORMATS", "FIGURE_SETS", "PAPERS", "drawn_bootstraps",
           "figure_outcomes"]  # fmt: skip

FIGURE_FORMATS = ("png", "svg", "pdf")
#: Paper sizes of report.docx.
PAPERS = ("a4", "letter")
#: Which outcomes get figures of their own: the primary outcomes, the headline score of each
#: instrument, or all (see :mod:`msrelax_stats.report.gallery`).
FIGURE_SETS = ("primary", "headline", "all")


@dataclass(frozen=True)
class ReportOptions:
    """What the report shows and how it is written (frozen).

    Parameters
    ----------
    figure_formats : tuple of {"png", "svg", "pdf"}
        Formats written for every figure.
    figure_set : {"primary", "headline", "all"}
        Outcomes with figures of their own (every outcome is in the forest plot).
    decimals : int
        Decimal places of the rounded numbers of tables and sentences.
    dpi : int
        Resolution of PNG figures.
    command : str
        The command line, recorded in the report.
    paper : {"a4", "letter"}
        Page size of ``report.docx``: A4 with 25 mm margins or US Letter with 1 inch margins.

    Examples
    --------
    >>> ReportOptions(figure_formats=("png", "svg")).figure_set
    'primary'
    """

    figure_formats: tuple[str, ...] = ("png",)
    figure_set: Literal["primary", "headline", "all"] = "primary"
    decimals: int = 2
    dpi: int = 300
    command: str = ""
    paper: Literal["a4", "letter"] = "a4"

    def __post_init__(self) -> None:
        formats = tuple(str(f).lower() for f in self.figure_formats)
        object.__setattr__(self, "figure_formats", formats)
        problems = []
        unknown = [f for f in formats if f not in FIGURE_FORMATS]
        if unknown or not formats:
            problems.append(Problem(f"option figure_formats (--figure-formats): unknown format "
                                    f"{', '.join(unknown) or '(none)'}; choose among "
                                    f"{', '.join(FIGURE_FORMATS)}"))  # fmt: skip
        if self.figure_set not in FIGURE_SETS:
            problems.append(Problem(f"option figure_set (--figures) must be one of "
                                    f"{', '.join(FIGURE_SETS)}, not {self.figure_set!r}"))  # fmt: skip
        if self.paper not in PAPERS:
            problems.append(Problem(f"option paper (--paper) must be one of "
                                    f"{', '.join(PAPERS)}, not {self.paper!r}"))  # fmt: skip
        if problems:
            raise StudyDataError(problems)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (for ``results.json``)."""
        out = asdict(self)
        out["figure_formats"] = list(self.figure_formats)
        return out


def figure_outcomes(analysis: Any, figure_set: str = "primary") -> list[str]:
    """The outcomes that get figures of their own (:mod:`msrelax_stats.report.gallery`), in
    table order.

    ``"all"``: every outcome but the components (PSQI C1-C7, in the profile); ``"headline"``:
    the headline score of each instrument (registry role ``"headline"``); ``"primary"``: the
    primary outcomes of the analysis plan (by default ``fss_mean`` and ``psqi_global`` when
    present, the fatigue and sleep endpoints of the model study), else the first headline
    outcome.
    """
    if figure_set not in FIGURE_SETS:
        raise ValueError(f"figure_set must be one of {FIGURE_SETS}, not {figure_set!r}")
    info = analysis.info
    main = [o for o in analysis.outcomes if describe_outcome(info, o).role != "component"]
    if figure_set == "all":
        return main
    headline = headline_outcomes(main, info)
    if figure_set == "headline":
        return headline
    plan = getattr(analysis, "plan", None)
    primary = (plan.primary.outcomes if plan is not None and plan.primary is not None
               else DEFAULT_PRIMARY)  # fmt: skip
    return [o for o in main if o in primary] or headline[:1]


def drawn_bootstraps(analysis: Any, figure_set: str = "primary") -> list[Any]:
    """The bootstrap results (``stats.bootstrap.BootstrapResult``) whose distributions the
    estimation plots of ``figure_set`` draw: the mean change of each figured outcome (one
    group) and the difference of mean changes at the endpoint (two arms).

    ``analyze`` computes their densities (``BootstrapResult.density``) with the statistics,
    so that the process drawing the figures imports no scipy (msrelax_stats.pipeline).
    """
    outcomes = figure_outcomes(analysis, figure_set)
    drawn = [analysis.paired.bootstrap.get((None, o)) for o in outcomes]
    arms = getattr(analysis, "arms", None)
    if arms is not None:
        last = analysis.design.paired_visits[1]
        drawn += [arms.bootstrap.get((o, last)) for o in outcomes]
    return [boot for boot in drawn if boot is not None]
