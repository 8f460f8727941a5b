"""The analysis options, parsed once at the boundary (CLI or ``analyze``) and passed down typed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["AnalysisOptions"]

PrimaryTest = Literal["t", "wilcoxon"]


@dataclass(frozen=True)
class AnalysisOptions:
    """How a study is analysed (frozen; built once, read by every analysis).

    Parameters
    ----------
    outcomes : tuple of str, optional
        Outcomes to compare; default every reported score present (STATISTICS.md).
    ci_level : float
        Confidence level of every interval, between 0 and 1 (default 0.95).
    seed : int
        Seed of the bootstrap resampling (0 or more; same seed, same bytes out).
    n_boot : int
        Bootstrap resamples (at least 100; default 10,000).
    primary_test : {"t", "wilcoxon"}
        The analysis plan's primary test; both are always reported.
    control : str, optional
        Label of the control arm of a two-arm study (default: the label like "control",
        "usual care", "waitlist").
    diary_days : int, optional
        Length of the practice period in days (default: from the diary).

    Raises
    ------
    StudyDataError
        A value out of range or of the wrong type, naming the option and the value.

    Examples
    --------
    >>> AnalysisOptions(ci_level=0.9).ci_level
    0.9
    >>> AnalysisOptions(n_boot=10)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    StudyDataError: option n_boot (--n-boot) must be an integer of at least 100, not 10
    """

    outcomes: tuple[str, ...] | None = None
    ci_level: float = 0.95
    seed: int = 1
    n_boot: int = 10000
    primary_test: PrimaryTest = "t"
    control: str | None = None
    diary_days: int | None = None

    def __post_init__(self) -> None:
        problems = []

        def bad(name: str, rule: str) -> None:
            flag = "--" + name.replace("_", "-")
            problems.append(Problem(f"option {name} ({flag}) must be {rule}, not "
                                    f"{getattr(self, name)!r}"))  # fmt: skip

        if self.outcomes is not None:
            object.__setattr__(self, "outcomes", tuple(str(o) for o in self.outcomes))
        if not _is_number(self.ci_level) or not 0 < float(self.ci_level) < 1:
            bad("ci_level", "a number between 0 and 1")
        if not _is_int(self.seed) or self.seed < 0:
            bad("seed", "an integer of 0 or more")
        if not _is_int(self.n_boot) or self.n_boot < 100:
            bad("n_boot", "an integer of at least 100")
        if self.primary_test not in ("t", "wilcoxon"):
            bad("primary_test", "'t' or 'wilcoxon'")
        if self.diary_days is not None and (not _is_int(self.diary_days) or self.diary_days < 1):
            bad("diary_days", "an integer of at least 1")
        if problems:
            raise StudyDataError(problems)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (for ``results.json``)."""
        out = asdict(self)
        out["outcomes"] = list(self.outcomes) if self.outcomes is not None else None
        return out


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
