"""The default analysis plan of a study file, as the ``plan`` command writes it.

Reads and scores the study (:func:`msrelax_stats.study.read_study`,
:func:`msrelax_stats.instruments.score`), builds its default plan
(:func:`msrelax_stats.stats.plan.default_plan`) and writes it as a commented TOML file
(:func:`msrelax_stats.stats.plan.plan_to_toml`), to edit and pass to ``analyze --plan``. An
existing file is never overwritten.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import pandas as pd

from msrelax_stats.data.options import ReadOptions
from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.instruments.options import ScoringOptions

__all__ = ["default_plan_text", "write_new_file"]


def default_plan_text(source: str | PathLike[str] | pd.DataFrame,
                      read: ReadOptions | None = None,
                      scoring: ScoringOptions | None = None) -> str:  # fmt: skip
    """The default plan of the study in ``source`` as commented TOML text.

    Examples
    --------
    >>> text = default_plan_text("data/sample/pmr_study.csv")
    >>> 'outcomes = ["fss_mean", "psqi_global"]' in text
    True
    """
    from msrelax_stats.instruments import score
    from msrelax_stats.stats.plan import default_plan, plan_to_toml
    from msrelax_stats.study import read_study

    scoring = scoring or ScoringOptions()
    study = read_study(
        source, read or ReadOptions(), custom=[*scoring.custom, *(scoring.instruments or ())]
    )
    scored = score(study, **scoring.kwargs())
    return plan_to_toml(default_plan(scored), scored)


def write_new_file(path: str | PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` (UTF-8, ``\\n``), which must not exist yet.

    Raises
    ------
    StudyDataError
        ``path`` exists: it is left as it is.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # never overwrites
            handle.write(text)
    except FileExistsError:
        raise StudyDataError(Problem("already exists; not overwritten (remove it or choose "
                                     "another --out)", file=str(path))) from None  # fmt: skip
    return path
