"""msrelax_stats: score MS fatigue, sleep and spasm questionnaires and analyse pre/post studies.

The public API, one function per step of the data flow (read -> score -> compare -> show)::

    import msrelax_stats as mrs
    study = mrs.read_study("data/sample/pmr_study.csv")
    scored = mrs.score(study)
    result = mrs.compare(scored)
    result.table                      # one row per outcome (results.csv)
    mrs.analyze("data/sample/pmr_study.csv", out="results/")   # everything, report included

Attributes are imported on first use, so ``import msrelax_stats`` (and ``--help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    "read_study": "msrelax_stats.study",
    "score": "msrelax_stats.instruments",
    "compare": "msrelax_stats.stats.compare",
    "analyze": "msrelax_stats.pipeline",
    "make_sample": "msrelax_stats.sample",
    "StudyDataError": "msrelax_stats.errors",
    "Problem": "msrelax_stats.errors",
}
_MODULES = {"figures", "report", "stats", "instruments", "data", "sample"}

__all__ = sorted([*_API, *_MODULES, "__version__"])

if TYPE_CHECKING:  # pragma: no cover
    from msrelax_stats import data, figures, instruments, report, sample, stats  # noqa: F401
    from msrelax_stats.errors import Problem, StudyDataError  # noqa: F401
    from msrelax_stats.instruments import score  # noqa: F401
    from msrelax_stats.pipeline import analyze  # noqa: F401
    from msrelax_stats.sample import make_sample  # noqa: F401
    from msrelax_stats.stats.compare import compare  # noqa: F401
    from msrelax_stats.study import read_study  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(import_module(_API[name]), name)
    elif name in _MODULES:
        value = import_module(f"msrelax_stats.{name}")
    else:
        raise AttributeError(f"module 'msrelax_stats' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
