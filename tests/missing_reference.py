"""The R reference values of tests/reference/missing_reference.R and the studies behind them
(shared by test_missing.py, test_pooling.py and test_tipping.py)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REF = Path(__file__).parent / "reference"
sys.path.insert(0, str(REF))

from make_missing_data import ARMS_COVARIATES, ONEGROUP_VISITS, OPTIONS, read  # noqa: E402

__all__ = [
    "ARMS_COVARIATES",
    "ONEGROUP_VISITS",
    "OPTIONS",
    "REF",
    "committed_draws",
    "read",
    "ref",
    "ref_block",
]


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


@contextmanager
def committed_draws(name: str) -> Iterator[None]:
    """``analyze_missing`` with the imputed values of the committed file ``name``
    (``missing_imputations_*.csv``, the long table R re-pooled for the reference values) in
    place of the ones drawn on this machine; everything after the draws (the complete-data
    fits, Rubin's rules, the tipping shifts) is ours, compared with R's on the same data.

    The draws themselves are not compared with the file: predictive mean matching picks
    donors by distances that tie up to the last bit of a regression fit, and that bit
    depends on the CPU's vector instructions (on an AVX-512 machine a few donors differ from
    the ones drawn where the file was made). tests/test_missing.py checks what holds on any
    machine: observed values kept, imputed ones taken from donors, same seed same draws.
    """
    from msrelax_stats.stats import missing

    long = pd.read_csv(REF / name)
    drawn = missing.impute_outcome

    def committed(table, *args, **kwargs):
        imp = drawn(table, *args, **kwargs)
        ids = pd.Index(long.loc[long[".imp"] == 0, "id"].astype(str))
        where = ids.get_indexer(pd.Index(table.ids).astype(str))
        assert (where >= 0).all(), "an id of the table is not in the committed file"
        values = imp.values.copy()
        for j, visit in enumerate(table.design.visits):
            if visit not in imp.imputed_visits:
                continue
            column = long[f"{table.outcome}_{visit}"].to_numpy(float)
            for k in range(values.shape[0]):
                values[k, :, j] = column[long[".imp"].to_numpy() == k + 1][where]
        observed = ~np.isnan(table.values)
        for k in range(values.shape[0]):  # the same participants and visits as the file's
            np.testing.assert_array_equal(values[k][observed], table.values[observed])
        return dataclasses.replace(imp, values=values)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(missing, "impute_outcome", committed)
        yield
