"""Look-up of the R reference values of tests/reference/designs_reference.R (shared by the
tests of stats.arms, stats.visits and stats.diary) and of tests/reference/trial_reference.R
(the trial analyses of issue 17: stats.ancova, the Satterthwaite mixed model, stats.plan)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

REF = Path(__file__).parent / "reference"


@cache
def _values(name: str = "designs_reference_values.csv") -> pd.DataFrame:
    return pd.read_csv(REF / name, keep_default_na=False)


def ref(analysis: str, outcome: str, term: str, statistic: str) -> float:
    """The one value R stored for (analysis, outcome, term, statistic)."""
    return _lookup(_values(), analysis, outcome, term, statistic)


def trial_ref(analysis: str, outcome: str, term: str, statistic: str) -> float:
    """The one value of trial_reference_values.csv for (analysis, outcome, term, statistic)."""
    return _lookup(_values("trial_reference_values.csv"), analysis, outcome, term, statistic)


def _lookup(table: pd.DataFrame, analysis: str, outcome: str, term: str, statistic: str) -> float:
    hit = table[
        (table.analysis == analysis)
        & (table.outcome == outcome)
        & (table.term == term)
        & (table.statistic == statistic)
    ]
    if len(hit) != 1:
        raise LookupError(f"{len(hit)} reference values for {(analysis, outcome, term, statistic)}")
    value = hit["value"].iloc[0]
    return float("nan") if value == "NA" else float(value)
