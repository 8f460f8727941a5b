"""Delta-adjusted multiple imputation: how far from MAR before the conclusion changes.

The imputed endpoint values of the participants who lost it are shifted by ``delta`` in the
direction of a worse outcome (one group: everyone imputed; two arms: the imputed of the
treatment arm), the analysis is re-run on every imputation and re-pooled, over a grid of
deltas; the tipping point is the smallest shift at which the primary conclusion changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from msrelax_stats.stats._missing_estimators import Estimator
from msrelax_stats.stats._missing_table import OutcomeTable
from msrelax_stats.stats.imputation import Imputations
from msrelax_stats.stats.pooling import PooledEstimate, pool

__all__ = ["GRID_COLUMNS", "TIPPING_COLUMNS", "TippingPoint", "default_deltas", "tipping_point"]

#: Columns of the grid (one row per outcome and delta) and of the summary (one per outcome).
GRID_COLUMNS = [
    "outcome",
    "delta",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "df",
    "p",
    "fmi",
    "conclusion",
    "changed",
]
TIPPING_COLUMNS = [
    "outcome",
    "shifted",
    "n_shifted",
    "direction",
    "conclusion",
    "tipping_delta",
    "tipping_delta_grid",
    "delta_max",
    "alpha",
]


@dataclass(frozen=True)
class TippingPoint:
    """The delta grid of one outcome (``grid``, :data:`GRID_COLUMNS`) and its summary
    (``summary``, a dict keyed by :data:`TIPPING_COLUMNS`)."""

    grid: pd.DataFrame
    summary: dict

    def to_frame(self) -> pd.DataFrame:
        """The grid."""
        return self.grid


def _conclusion(res: PooledEstimate, alpha: float) -> str:
    if not np.isfinite(res.p):
        return "undefined"
    if res.p >= alpha:
        return "not significant"
    return "significant decrease" if res.estimate < 0 else "significant increase"


def default_deltas(table: OutcomeTable, n: int = 21) -> np.ndarray:
    """``n`` shifts from 0 to the observed range of the outcome (max - min over all visits).

    A shift beyond the range of scores seen in the study is not a plausible departure from MAR,
    so a conclusion that survives the whole grid is called robust.
    """
    seen = table.values[np.isfinite(table.values)]
    width = float(seen.max() - seen.min()) if seen.size else 0.0
    return np.linspace(0.0, width, n) if width > 0 else np.array([0.0])


def tipping_point(
    table: OutcomeTable,
    imputations: Imputations,
    estimator: Estimator,
    better: str,
    deltas: Sequence[float] | None = None,
    ci_level: float = 0.95,
) -> TippingPoint:
    """Re-pool the MI analysis with the imputed endpoints shifted by each delta.

    Parameters
    ----------
    table : OutcomeTable
        The outcome's table (which endpoints were missing, the arms).
    imputations : Imputations
        The MAR imputations (delta = 0 reproduces their pooled result).
    estimator : Estimator
        The complete-data analysis (mean change or ANCOVA arm coefficient).
    better : {"lower", "higher"}
        Direction of improvement; the shift goes the other way (``+delta`` when lower is
        better).
    deltas : sequence of float, optional
        Non-negative shifts in score units, ascending; by default :func:`default_deltas`.
    ci_level : float
        Confidence level; the conclusion is judged at ``alpha = 1 - ci_level``.

    Returns
    -------
    TippingPoint
        ``conclusion`` is "significant decrease", "significant increase" or "not
        significant"; ``changed`` says whether it differs from the one at delta = 0.
        ``tipping_delta_grid`` is the first grid delta where it changed and
        ``tipping_delta`` the exact shift (the root, between that grid point and the one
        before, of the confidence limit that crosses 0); both NaN when the conclusion holds over
        the whole grid (``delta_max``) or nothing was shifted.

    Notes
    -----
    Delta adjustment (van Buuren 2018, section 3.8; Ratitch, O'Kelly & Tosiello 2013): under
    MNAR those who left are assumed to have an endpoint ``delta`` worse than their MAR
    imputation. With ``ci_level = 1 - alpha`` the CI excludes 0 exactly when ``p < alpha``, so
    "p crosses alpha" and "the CI crosses 0" are the same event. Baseline and intermediate
    imputations are not shifted.

    References
    ----------
    Ratitch B, O'Kelly M, Tosiello R (2013). Missing data in clinical trials: from clinical
    assumptions to statistical analysis using pattern mixture models. Pharm Stat 12:337-347.
    van Buuren S (2018). Flexible Imputation of Missing Data, 2nd ed. CRC Press.
    """
    alpha = 1.0 - ci_level
    grid = np.asarray(default_deltas(table) if deltas is None else deltas, dtype=float)
    if grid.size == 0 or (grid < 0).any() or (np.diff(grid) <= 0).any():
        raise ValueError("deltas must be non-negative and strictly increasing")
    direction = 1.0 if better == "lower" else -1.0
    end = estimator.endpoint
    shifted = np.isnan(table.values[:, end])
    if table.treated is not None:
        shifted &= table.treated
    who = "imputed endpoints" + ("" if table.treated is None else f" in {table.design.arms[1]}")

    def pooled(delta: float) -> PooledEstimate:
        values = imputations.values.copy()
        values[:, shifted, end] += direction * delta
        est, var, dfcom = estimator(values)
        return pool(est, var, dfcom, ci_level)

    base = pooled(0.0)
    start = _conclusion(base, alpha)
    rows = []
    for delta in grid:
        res = base if delta == 0 else pooled(float(delta))
        now = _conclusion(res, alpha)
        rows.append(
            {
                "outcome": table.outcome,
                "delta": float(delta),
                "estimate": res.estimate,
                "se": res.se,
                "ci_low": res.ci_low,
                "ci_high": res.ci_high,
                "df": res.df,
                "p": res.p,
                "fmi": res.fmi,
                "conclusion": now,
                "changed": now != start,
            }
        )
    frame = pd.DataFrame(rows, columns=GRID_COLUMNS)
    summary = {
        "outcome": table.outcome,
        "shifted": who,
        "n_shifted": int(shifted.sum()),
        "direction": direction,
        "conclusion": start,
        "tipping_delta": np.nan,
        "tipping_delta_grid": np.nan,
        "delta_max": float(grid[-1]),
        "alpha": alpha,
    }
    hit = np.flatnonzero(frame["changed"].to_numpy())
    if shifted.any() and hit.size and hit[0] > 0:
        first = int(hit[0])
        summary["tipping_delta_grid"] = float(grid[first])
        summary["tipping_delta"] = _root(
            pooled, start, direction, float(grid[first - 1]), float(grid[first])
        )
    return TippingPoint(grid=frame, summary=summary)


def _root(pooled, start: str, direction: float, lo: float, hi: float) -> float:
    """The delta in ``[lo, hi]`` where the confidence limit the shift pushes reaches 0."""
    if start == "significant decrease":
        side = "ci_high"
    elif start == "significant increase":
        side = "ci_low"
    else:  # not significant: a positive shift raises the estimate, so its lower limit crosses
        side = "ci_low" if direction > 0 else "ci_high"

    def limit(delta: float) -> float:
        return getattr(pooled(delta), side)

    f_lo, f_hi = limit(lo), limit(hi)
    if not (np.isfinite(f_lo) and np.isfinite(f_hi)) or np.sign(f_lo) == np.sign(f_hi):
        return hi  # the conclusion jumped past a non-significant region within one step
    return float(optimize.brentq(limit, lo, hi, xtol=1e-10, rtol=1e-12))
