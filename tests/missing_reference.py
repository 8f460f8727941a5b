"""The R reference values of tests/reference/missing_reference.R and the studies behind them
(shared by test_missing.py, test_pooling.py and test_tipping.py)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pandas as pd

REF = Path(__file__).parent / "reference"
sys.path.insert(0, str(REF))

from make_missing_data import ARMS_COVARIATES, ONEGROUP_VISITS, OPTIONS, read  # noqa: E402

__all__ = ["ARMS_COVARIATES", "ONEGROUP_VISITS", "OPTIONS", "REF", "read", "ref", "ref_block"]


@cache
def _values() -> pd.DataFrame:
    return pd.read_csv(REF / "missing_reference_values.csv", keep_default_na=False)


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


def ref_block(analysis: str, outcome: str, term: str) -> dict[str, float]:
    """Every statistic R stored for (analysis, outcome, term)."""
    table = _values()
    hit = table[(table.analysis == analysis) & (table.outcome == outcome) & (table.term == term)]
    return dict(zip(hit["statistic"], hit["value"].astype(float), strict=True))
