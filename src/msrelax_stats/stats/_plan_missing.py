"""The ``missing`` key of an analysis plan: how missing outcome data are handled.

In a TOML plan::

    [missing]
    method = "mi"        # "complete" (default), "mi" or "mixed"
    m = 50               # imputations (mi; also the tipping point's)
    seed = 20260101      # seed of the imputations (default: the analysis seed)

or the shorthand ``missing = "mi"``. Public through :mod:`msrelax_stats.stats.plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from msrelax_stats.errors import Problem

__all__ = ["MISSING_METHODS", "MissingPlan", "parse_missing"]

#: Analyses of missing outcome data: complete cases (participants with both visits), multiple
#: imputation (the ITT analysis pooled by Rubin's rules) or the likelihood analysis of every
#: observed visit (a mixed model).
MISSING_METHODS = ("complete", "mi", "mixed")
MissingMethod = Literal["complete", "mi", "mixed"]
#: Most imputations accepted (time grows linearly with them; 1,000 is 20x the default).
MAX_IMPUTATIONS = 1000


@dataclass(frozen=True)
class MissingPlan:
    """``method`` (one of :data:`MISSING_METHODS`), ``m`` imputations, ``seed`` (None: the
    analysis seed)."""

    method: MissingMethod = "complete"
    m: int = 50
    seed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (``results.json``, the plan as used)."""
        return {"method": self.method, "m": self.m, "seed": self.seed}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_missing(value: Any, file: str | None, problems: list[Problem]) -> MissingPlan:
    """The plan's ``missing`` value (a table or a method name) as a :class:`MissingPlan`;
    each wrong key or value appended to ``problems``, naming the key.

    Examples
    --------
    >>> parse_missing({"method": "mi", "m": 20}, None, [])
    MissingPlan(method='mi', m=20, seed=None)
    >>> problems = []
    >>> _ = parse_missing({"method": "LOCF"}, None, problems); problems[0].message
    "plan key 'missing.method': value 'LOCF' must be one of complete, mi, mixed"
    """

    def bad(key: str, got: Any, rule: str) -> None:
        problems.append(Problem(f"plan key {key!r}: value {got!r} {rule}", file=file))

    if isinstance(value, str):
        value = {"method": value}
    if not isinstance(value, Mapping):
        bad("missing", value, "must be a method name or a table (method, m, seed)")
        return MissingPlan()
    for key in sorted(set(value) - {"method", "m", "seed"}):
        problems.append(
            Problem(f"unknown plan key {'missing.' + key!r} (known: method, m, seed)", file=file)
        )
    method = value.get("method", "complete")
    if method not in MISSING_METHODS:
        bad("missing.method", method, f"must be one of {', '.join(MISSING_METHODS)}")
        method = "complete"
    m = value.get("m", 50)
    if not _is_int(m) or not 2 <= m <= MAX_IMPUTATIONS:
        bad("missing.m", m, f"must be an integer from 2 to {MAX_IMPUTATIONS}")
        m = 50
    seed = value.get("seed")
    if seed is not None and (not _is_int(seed) or seed < 0):
        bad("missing.seed", seed, "must be an integer of 0 or more")
        seed = None
    return MissingPlan(method, m, seed)
