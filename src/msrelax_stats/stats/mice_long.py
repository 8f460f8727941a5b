"""The imputations as one long table, laid out as R's ``mice::complete(imp, "long",
include = TRUE)`` (``imputations.csv``), so that others can re-pool them with
``mice::as.mids()``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.stats._design_tables import wide_scores
from msrelax_stats.stats._missing_table import MissingDesign, OutcomeTable
from msrelax_stats.stats.imputation import Imputations

__all__ = ["imputations_long"]


def imputations_long(
    scored: pd.DataFrame,
    design: MissingDesign,
    parts: Sequence[tuple[OutcomeTable, Imputations]],
) -> pd.DataFrame:
    """The imputations as R ``mice::complete(imp, "long", include = TRUE)`` lays them out.

    Columns ``.imp`` (0 = the observed data, 1..m the completed data sets), ``.id`` (1..n, the
    participant's row), ``id``, ``group`` (two arms), the covariates, and one column
    ``<outcome>_<visit>`` per outcome and visit. Rows: ``.imp``, then participants in order of
    first appearance. Everyone of the study is in every block; a participant excluded from an
    outcome keeps NA there in every completed set (so R's ``lm`` leaves them out too). Read in R
    with ``read.csv(..., check.names = FALSE)`` and ``mice::as.mids()``.
    """
    if not parts:
        return pd.DataFrame(columns=[".imp", ".id", "id"])
    ids = pd.Index(pd.unique(scored["id"].astype(str)), name="id")
    m = parts[0][1].values.shape[0]
    n = ids.size
    columns: dict[str, Any] = {
        ".imp": np.repeat(np.arange(m + 1), n),
        ".id": np.tile(np.arange(1, n + 1), m + 1),
        "id": np.tile(ids.to_numpy(dtype=object), m + 1),
    }
    if design.arms is not None:
        first = scored.groupby(scored["id"].astype(str), sort=False)["group"].first()
        columns["group"] = np.tile(first.reindex(ids).to_numpy(), m + 1)
    for col in design.covariates:
        columns[col] = np.tile(parts[0][0].raw_covariates[col].reindex(ids).to_numpy(), m + 1)
    for table, imp in parts:
        wide, _ = wide_scores(scored, table.outcome, design.visits)
        where = ids.get_indexer(table.ids)
        for j, visit in enumerate(design.visits):
            block = np.tile(wide[visit].reindex(ids).to_numpy(float), (m + 1, 1))
            if visit in imp.imputed_visits:  # a visit left out of the model stays as observed
                block[1:, where] = imp.values[:, :, j]
            columns[f"{table.outcome}_{visit}"] = block.ravel()
    return pd.DataFrame(columns)
