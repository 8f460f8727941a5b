"""The report options, parsed once at the boundary (CLI or ``analyze``) and passed down typed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["ReportOptions", "FIGURE_FORMATS", "FIGURE_SETS", "PAPERS"]

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
