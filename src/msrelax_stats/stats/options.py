"""The analysis options, parsed once at the boundary (CLI or ``analyze``) and passed down typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from os import PathLike
from typing import Any, Literal

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.stats._plan_missing import MISSING_METHODS, MissingMethod, MissingPlan
from msrelax_stats.stats.plan import AnalysisPlan, load_plan

__all__ = ["AnalysisOptions", "MAX_N_BOOT"]

#: Most bootstrap resamples accepted (time grows with them; 1e6 is ~100x the default).
MAX_N_BOOT = 1_000_000

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
    primary_test : {"t", "wilcoxon"}, optional
        The paired within-group test named as primary; both are always reported. Default:
        the plan's ``primary_test`` (``"t"`` without a plan); given here (``--primary-test``)
        it overrides the plan's, as a command-line option overrides a file.
    control : str, optional
        Label of the control arm of a two-arm study (default: the label like "control",
        "usual care", "waitlist").
    diary_days : int, optional
        Length of the practice period in days (default: from the diary).
    plan : AnalysisPlan, dict or path, optional
        The analysis plan (``--plan plan.toml``; :mod:`msrelax_stats.stats.plan`): outcome
        families and their multiplicity rules, endpoint, covariates, primary test, alpha.
        Read here (a path or dict becomes an :class:`AnalysisPlan`; its form is checked);
        :func:`~msrelax_stats.stats.analysis.analyse` checks it against the study and fills
        what it leaves out. Default: the documented default plan (docs/trial-analysis.md).
    missing : {"complete", "mi", "mixed"}, optional
        How missing outcome data are handled (``--missing``): complete cases only (the
        paired and between-arm tables), or in addition the intention-to-treat analysis of
        every participant with a scored visit, by multiple imputation (``"mi"``) or a mixed
        model of every observed visit (``"mixed"``), with its sensitivity analyses
        (:func:`msrelax_stats.stats.missing.analyze_missing`). Default: the plan's
        ``missing.method``, else ``"complete"``; given here it overrides the plan's. The
        number of imputations and their seed are the plan's ``missing.m`` (default 50) and
        ``missing.seed`` (default ``seed``).

    Raises
    ------
    StudyDataError
        A value out of range or of the wrong type, naming the option and the value; a plan
        file that cannot be read, or a plan key with a wrong value, naming the key.

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
    primary_test: PrimaryTest | None = None
    control: str | None = None
    diary_days: int | None = None
    plan: AnalysisPlan | Mapping[str, Any] | str | PathLike[str] | None = None
    missing: MissingMethod | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.plan is not None:
            plan = load_plan(self.plan)  # StudyDataError naming the key
            if self.primary_test in ("t", "wilcoxon") and plan.primary_test != self.primary_test:
                plan = replace(plan, primary_test=self.primary_test)
            if self.missing in MISSING_METHODS and plan.missing is not None:
                plan = replace(plan, missing=replace(plan.missing, method=self.missing))
            object.__setattr__(self, "plan", plan)
        if self.primary_test is None:
            object.__setattr__(self, "primary_test", self.plan.primary_test if self.plan else "t")
        if self.missing is None:
            method = self.missing_plan.method if self.plan and self.plan.missing else "complete"
            object.__setattr__(self, "missing", method)

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
        elif self.n_boot > MAX_N_BOOT:  # beyond, a run takes hours: a typo, not a plan
            bad("n_boot", f"at most {MAX_N_BOOT:,}")
        if self.primary_test not in ("t", "wilcoxon"):
            bad("primary_test", "'t' or 'wilcoxon'")
        if self.missing not in MISSING_METHODS:
            bad("missing", "one of " + ", ".join(repr(m) for m in MISSING_METHODS))
        if self.diary_days is not None and (not _is_int(self.diary_days) or self.diary_days < 1):
            bad("diary_days", "an integer of at least 1")
        if problems:
            raise StudyDataError(problems)

    @property
    def missing_plan(self) -> MissingPlan:
        """The missing-data method as used (this option over the plan's), ``m`` and ``seed``
        (the plan's, else 50 and the analysis seed)."""
        given = self.plan.missing if isinstance(self.plan, AnalysisPlan) else None
        given = given or MissingPlan()
        seed = self.seed if given.seed is None else given.seed
        return MissingPlan(self.missing or given.method, given.m, seed)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (for ``results.json``)."""
        out = asdict(replace(self, plan=None))
        out["outcomes"] = list(self.outcomes) if self.outcomes is not None else None
        out["plan"] = self.plan.to_dict() if isinstance(self.plan, AnalysisPlan) else None
        return out


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
