"""The reliability table: alpha, omega, items answered, floor/ceiling per scale and visit.

A :class:`Scale` is a multi-item score (its item columns, reverse-keyed items, score range);
:func:`instrument_scales` lists the scales of an instrument spec, :func:`reliability_table`
computes every coefficient of :mod:`msrelax_stats.stats.reliability` for each scale at each
visit of a study.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.instruments.engine import item_matrix
from msrelax_stats.instruments.spec import InstrumentSpec
from msrelax_stats.stats.reliability import cronbach_alpha, floor_ceiling, omega_total

__all__ = ["RELIABILITY_COLUMNS", "Scale", "instrument_scales", "reliability_table"]

#: Columns of :func:`reliability_table`, in order.
RELIABILITY_COLUMNS = [
    "instrument",
    "scale",
    "label",
    "time",
    "n_items",
    "n",
    "n_complete",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "omega_total",
    "n_scored",
    "score_min",
    "score_max",
    "floor_pct",
    "ceiling_pct",
    "ci_level",
    "note",
]


@dataclass(frozen=True)
class Scale:
    """A multi-item score whose reliability is estimated.

    ``items`` are column names; ``reverse`` the reverse-keyed ones among them (recoded
    ``item_min + item_max - answer``, as the scoring engine does); ``method`` how the items
    make the score (``"sum"`` or ``"mean"``), whose range is ``score_min``-``score_max``.
    ``name`` is the score column (used for floor/ceiling when the table has it).
    """

    name: str
    instrument: str
    items: tuple[str, ...]
    item_min: float
    item_max: float
    score_min: float
    score_max: float
    method: str = "sum"
    reverse: tuple[str, ...] = ()
    label: str = ""


def instrument_scales(spec: InstrumentSpec, columns: Iterable[str]) -> list[Scale]:
    """The scales of ``spec`` whose every item column is among ``columns``.

    Every reported multi-item score (``Score.outcome``; a short form only when its full form
    is absent, as for the results table). PSQI's global score is the sum of its seven
    components, so its scale is ``psqi_c1`` ... ``psqi_c7`` (0-3 each; Buysse 1989 reports
    alpha over the components).

    Examples
    --------
    >>> from msrelax_stats.instruments.registry import instrument_spec
    >>> cols = [f"mfis_{i}" for i in range(1, 22)]
    >>> [s.name for s in instrument_scales(instrument_spec("mfis"), cols)]
    ['mfis_total', 'mfis_physical', 'mfis_cognitive', 'mfis_psychosocial']
    """
    columns = set(map(str, columns))
    spec = spec.expanded(sorted(columns))
    instrument = spec.name.upper()
    if spec.scorer == "psqi":
        comps = tuple(f"psqi_c{i}" for i in range(1, 8))
        if set(comps) <= columns:
            return [
                Scale(
                    "psqi_global", instrument, comps, 0.0, 3.0, 0.0, 21.0, "sum", (), "PSQI global"
                )
            ]
        return []
    found: dict[bool, list[Scale]] = {False: [], True: []}
    for score in spec.scores:
        cols = tuple(spec.column(i) for i in score.items)
        if not score.outcome or len(cols) < 2 or not set(cols) <= columns:
            continue
        lows, highs = zip(*(spec.item_range(i) for i in score.items), strict=True)
        low, high = spec.score_range(score)
        reverse = tuple(spec.column(i) for i in spec.reverse if i in score.items)
        found[score.short_form].append(
            Scale(
                score.name,
                instrument,
                cols,
                float(min(lows)),
                float(max(highs)),
                low,
                high,
                score.method,
                reverse,
                score.label or score.name,
            )
        )
    return found[False] or found[True]


def _recoded(frame: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    values = item_matrix(frame, scale.items)
    for j, column in enumerate(scale.items):
        if column in scale.reverse:
            values[:, j] = scale.item_min + scale.item_max - values[:, j]
    return pd.DataFrame(values, columns=list(scale.items), index=frame.index)


def _default_scales(scored: pd.DataFrame) -> list[Scale]:
    """The scales of every instrument of the table's registry present in it (custom ones
    included, with the options they were scored with)."""
    from msrelax_stats.instruments.registry import registry_of

    columns = [str(c) for c in scored.columns]
    return [s for spec in registry_of(scored).present(columns)
            for s in instrument_scales(spec, columns)]  # fmt: skip


def reliability_table(
    scored: pd.DataFrame,
    scales: Sequence[Scale] | None = None,
    visits: Sequence[str] | None = None,
    ci_level: float = 0.95,
) -> pd.DataFrame:
    """Alpha, omega, items answered and floor/ceiling per scale and visit.

    Parameters
    ----------
    scored : DataFrame
        The long table (``id``, ``time``, item columns; score columns when scored).
    scales : sequence of Scale, optional
        Default: every scale of every instrument present (:func:`instrument_scales`).
    visits : sequence of str, optional
        Visits to report, in order; default every visit of ``time``.
    ci_level : float
        Level of the Feldt CI of alpha.

    Returns
    -------
    DataFrame
        Columns :data:`RELIABILITY_COLUMNS`: ``n`` participants seen at the visit,
        ``n_complete`` those with every item of the scale answered (alpha and omega use
        them), ``n_scored``/``floor_pct``/``ceiling_pct`` over the participants with the
        score (the score column when the table has it, so prorated scores count; else the
        complete cases), ``note`` why a value is missing or which items omega reversed.

    Notes
    -----
    See ``cronbach_alpha``, ``feldt_ci``, ``omega_total`` and ``floor_ceiling`` in
    :mod:`msrelax_stats.stats.reliability`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": list("abcd"), "time": ["pre"] * 4,
    ...                    "ess_1": [0, 1, 2, 3], "ess_2": [1, 1, 2, 3], "ess_3": [0, 2, 2, 3],
    ...                    "ess_4": [0, 1, 3, 3], "ess_5": [0, 1, 1, 2], "ess_6": [0, 0, 1, 3],
    ...                    "ess_7": [1, 1, 2, 3], "ess_8": [0, 1, 2, 2]})
    >>> row = reliability_table(df).iloc[0]
    >>> row["scale"], int(row["n_complete"]), float(row["floor_pct"]), float(row["ceiling_pct"])
    ('ess_total', 4, 0.0, 0.0)
    """
    missing = [c for c in ("id", "time") if c not in scored.columns]
    if missing:
        raise StudyDataError([Problem("is not a column of the table", column=c) for c in missing])
    columns = [str(c) for c in scored.columns]
    scales = _default_scales(scored) if scales is None else list(scales)
    absent = sorted({c for s in scales for c in s.items if c not in columns})
    if absent:
        raise StudyDataError(
            [Problem("item column of a scale is absent", column=c) for c in absent]
        )
    time = scored["time"].astype(str)
    if visits is None:
        cats = getattr(scored["time"], "cat", None)
        visits = [str(v) for v in (cats.categories if cats is not None else time.unique())]
    rows = []
    for scale in scales:
        recoded = _recoded(scored, scale)
        for visit in visits:
            at = (time == str(visit)).to_numpy()
            items = recoded[at]
            alpha = cronbach_alpha(items, ci_level)
            omega = omega_total(items)
            if scale.name in scored.columns:
                score = scored.loc[at, scale.name]
            else:
                complete = items.dropna()
                score = complete.mean(axis=1) if scale.method == "mean" else complete.sum(axis=1)
            floor, ceiling, n_scored = floor_ceiling(score, scale.score_min, scale.score_max)
            rows.append(
                {
                    "instrument": scale.instrument,
                    "scale": scale.name,
                    "label": scale.label or scale.name,
                    "time": str(visit),
                    "n_items": len(scale.items),
                    "n": int(at.sum()),
                    "n_complete": alpha.n,
                    "alpha": alpha.alpha,
                    "alpha_ci_low": alpha.ci_low,
                    "alpha_ci_high": alpha.ci_high,
                    "omega_total": omega.omega_total,
                    "n_scored": n_scored,
                    "score_min": scale.score_min,
                    "score_max": scale.score_max,
                    "floor_pct": floor,
                    "ceiling_pct": ceiling,
                    "ci_level": ci_level,
                    "note": "; ".join(n for n in (alpha.note, omega.note) if n),
                }
            )
    return pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)
