"""The complete-case tests of :mod:`msrelax_stats.stats.visits`: Friedman and pairwise contrasts.

Both take a participant x visit table (``_design_tables.wide_scores``) of one outcome and one
group of participants: the whole study in a one-group design, one arm in a two-arm design
(pooling both arms would mix the effect of the treatment with that of time).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from msrelax_stats.stats.paired import adjust_pvalues

__all__ = ["FRIEDMAN_COLUMNS", "PAIR_COLUMNS", "friedman_row", "pairwise_rows"]

FRIEDMAN_COLUMNS = ["outcome", "n", "k", "statistic", "df", "p"]
PAIR_COLUMNS = [
    "outcome",
    "visit_a",
    "visit_b",
    "n",
    "mean_diff",
    "ci_low",
    "ci_high",
    "t",
    "df",
    "p",
    "p_holm",
]


def pairwise_rows(
    values: pd.DataFrame, outcome: str, visits: Sequence[str], ci_level: float
) -> pd.DataFrame:
    """Paired t-test (later - earlier) on the complete pairs of every visit pair, Holm.

    Notes
    -----
    R ``t.test(x[, b], x[, a], paired = TRUE)`` per pair of visits on the participants with
    both; ``p_holm`` is ``p.adjust(p, "holm")`` over the pairs of this table (one outcome,
    one group of participants). A pair with fewer than 2 participants or no variation in the
    differences has NaN statistics and stays out of the adjustment.
    """
    rows = []
    for a, b in itertools.combinations(visits, 2):
        both = values[[a, b]].dropna()
        diff = (both[b] - both[a]).to_numpy()
        row = {"outcome": outcome, "visit_a": a, "visit_b": b, "n": int(diff.size)}
        if diff.size >= 2 and diff.std(ddof=1) > 0:
            res = stats.ttest_rel(both[b], both[a])
            ci = res.confidence_interval(ci_level)
            row.update(
                mean_diff=float(diff.mean()),
                ci_low=float(ci.low),
                ci_high=float(ci.high),
                t=float(res.statistic),
                df=float(res.df),
                p=float(res.pvalue),
            )
        rows.append(row)
    out = pd.DataFrame(rows).reindex(columns=PAIR_COLUMNS)
    out["p_holm"] = adjust_pvalues(out["p"].to_numpy(dtype=float), "holm")
    return out


def friedman_row(values: pd.DataFrame, outcome: str, visits: Sequence[str]) -> dict[str, Any]:
    """Friedman test over ``visits`` on the participants with every visit.

    Notes
    -----
    ``scipy.stats.friedmanchisquare`` (R ``friedman.test(matrix)``, with its tie
    correction); NaN with fewer than 3 visits or 2 complete participants.
    """
    complete = values[list(visits)].dropna()
    row = {
        "outcome": outcome,
        "n": int(len(complete)),
        "k": len(visits),
        "statistic": np.nan,
        "df": float(len(visits) - 1),
        "p": np.nan,
    }
    if len(visits) >= 3 and len(complete) >= 2:
        res = stats.friedmanchisquare(*(complete[v].to_numpy() for v in visits))
        row.update(statistic=float(res.statistic), p=float(res.pvalue))
    return row
