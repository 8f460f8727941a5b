"""p-values adjusted within the outcome families of an analysis plan (:mod:`.plan`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from msrelax_stats.stats.plan import AnalysisPlan, OutcomeFamily

__all__ = ["adjust_by_family"]


def adjust_by_family(
    table: pd.DataFrame,
    plan: AnalysisPlan,
    *,
    p: str = "p",
    outcome: str = "outcome",
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Add ``family`` and ``p_adjusted``: the p-values of column ``p`` adjusted within each
    family of the plan by its rule (separately within each combination of ``by`` columns,
    e.g. ``["group"]`` for within-arm tables or ``["visit"]``).

    Notes
    -----
    - ``"holm"``: Holm (1979) step-down over the family's non-missing p-values, as R
      ``p.adjust(p, "holm")`` (which leaves NA out of the count).
    - ``"fixed-sequence"``: the hypotheses are tested in the order the plan lists them, each
      at ``alpha``, stopping at the first one not rejected. The adjusted p-value of the i-th
      is :math:`\\max(p_1, \\dots, p_i)` (Westfall & Krishen 2001), so H_i is rejected
      exactly when :math:`p^{adj}_i \\le \\alpha`. A missing p-value stops the sequence: it
      stays NaN and every later outcome gets 1.
    - ``"none"``: ``p_adjusted`` = ``p`` (exploratory outcomes, reported as such).

    Outcomes that are in no family get ``family`` = "" and NaN.

    References
    ----------
    Holm S (1979). Scand J Stat 6:65-70. Westfall PH, Krishen A (2001). Optimally weighted,
    fixed sequence and gatekeeper multiple testing procedures. J Stat Plan Inference
    99:25-40.

    Examples
    --------
    >>> from msrelax_stats.stats.plan import load_plan
    >>> plan = load_plan({"primary": {"outcomes": ["a", "b"], "multiplicity": "fixed-sequence"},
    ...                   "secondary": ["c", "d"]})
    >>> table = pd.DataFrame({"outcome": ["b", "a", "c", "d"], "p": [0.01, 0.03, 0.02, 0.04]})
    >>> adjust_by_family(table, plan)["p_adjusted"].tolist()
    [0.03, 0.03, 0.04, 0.04]
    """
    out = table.copy()
    out["family"] = out[outcome].map(lambda o: plan.family_of(str(o)) or "")
    adjusted = np.full(len(out), np.nan)
    families = {f.name: f for f in plan.families}
    values = out[p].to_numpy(dtype=float)
    names = out[outcome].astype(str).to_numpy()
    keys = pd.MultiIndex.from_frame(out[[*by, "family"]].astype(str)).to_flat_index()
    for key, rows in pd.Series(keys).groupby(keys, sort=False).indices.items():
        fam = families.get(key[-1])
        if fam is not None:
            adjusted[rows] = _adjust(values[rows], names[rows], fam)
    out["p_adjusted"] = adjusted
    return out


def _adjust(values: np.ndarray, names: np.ndarray, fam: OutcomeFamily) -> np.ndarray:
    adjusted = np.full(values.size, np.nan)
    ok = ~np.isnan(values)
    if fam.multiplicity == "none":
        return values.copy()
    if fam.multiplicity == "holm":
        from msrelax_stats.stats.paired import adjust_pvalues

        return adjust_pvalues(values, "holm")
    order = np.argsort([fam.outcomes.index(n) for n in names], kind="stable")
    running, stopped = 0.0, False
    for k in order:
        stopped = stopped or not ok[k]
        if ok[k]:
            running = max(running, values[k])
            adjusted[k] = 1.0 if stopped else running
    return adjusted
