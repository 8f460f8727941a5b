"""Look-up of the R reference values of tests/reference/designs_reference.R (shared by the
tests of stats.arms, stats.visits and stats.diary)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

REF = Path(__file__).parent / "reference"


@cache
def _values() -> pd.DataFrame:
    return pd.read_csv(REF / "designs_reference_values.csv", keep_default_na=False)


def ref(analysis: str, outcome: str, term: str, statistic: str) -> float:
    """The one value R stored for (analysis, outcome, term, statistic)."""
    table = _values()
    hit = table[
        (table.analysis == analysis)
        & (table.outcome == outcome)
        & (table.term == term)
        & (table.statistic == statistic)
    ]
    if len(hit) != 1:
        raise LookupError(f"{len(hit)} reference values for {(analysis, outcome, term, statistic)}")
    return float(hit["value"].iloc[0])
