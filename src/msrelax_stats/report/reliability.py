"""The reliability table as the report shows it: one row per score and visit, rounded.

The numbers come from :attr:`msrelax_stats.stats.analysis.StudyAnalysis.reliability`
(``reliability.csv`` holds them at full precision).
"""

from __future__ import annotations

import pandas as pd

from msrelax_stats.figures._format import fmt_ci, fmt_int, fmt_num, is_missing

__all__ = ["reliability_rows", "RELIABILITY_NOTE"]

RELIABILITY_NOTE = (
    "Alpha: Cronbach's alpha with the Feldt CI; omega: McDonald's omega total (one factor); "
    "both over the participants with every item answered (n complete of n seen). Floor and "
    "ceiling: participants at the lowest and highest possible score (more than 15 % is a floor "
    "or ceiling effect). Full precision in reliability.csv."
)


def reliability_rows(table: pd.DataFrame | None, decimals: int = 2) -> pd.DataFrame:
    """``reliability.csv`` as text: Score, Visit, Items, n complete / seen, alpha [CI], omega,
    floor %, ceiling %, and why a value is missing (the ``Note`` column, left out when no
    value is).

    Examples
    --------
    >>> t = pd.DataFrame([{"label": "FSS mean", "time": "pre", "n_items": 9, "n": 32,
    ...     "n_complete": 32, "alpha": 0.8941, "alpha_ci_low": 0.8289, "alpha_ci_high": 0.9414,
    ...     "omega_total": 0.8968, "floor_pct": 0.0, "ceiling_pct": 3.125, "ci_level": 0.95,
    ...     "note": ""}])
    >>> reliability_rows(t).iloc[0].tolist()
    ['FSS mean', 'pre', '9', '32 / 32', '0.89 [0.83, 0.94]', '0.90', '0.0', '3.1']
    """
    level = 0.95
    if table is not None and len(table) and not is_missing(table["ci_level"].iloc[0]):
        level = float(table["ci_level"].iloc[0])
    alpha = f"Alpha [{level * 100:g} % CI]"
    columns = ["Score", "Visit", "Items", "n complete / seen", alpha, "Omega", "Floor %",
               "Ceiling %", "Note"]  # fmt: skip
    rows = []
    for r in [] if table is None else table.to_dict("records"):
        g = r.get
        rows.append([
            str(g("label")), str(g("time")), fmt_int(g("n_items")),
            f"{fmt_int(g('n_complete'))} / {fmt_int(g('n'))}",
            f"{fmt_num(g('alpha'), decimals)} {fmt_ci(g('alpha_ci_low'), g('alpha_ci_high'), decimals)}",
            fmt_num(g("omega_total"), decimals), fmt_num(g("floor_pct"), 1),
            fmt_num(g("ceiling_pct"), 1), "" if is_missing(g("note")) else str(g("note")),
        ])  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    return out if (out["Note"] != "").any() else out.drop(columns="Note")
