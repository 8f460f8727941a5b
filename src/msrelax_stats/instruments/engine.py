"""The one engine that scores any :class:`~.spec.InstrumentSpec` over a whole table.

Everything is computed column-wise with numpy over all participants and visits at once.

Rules (INSTRUMENTS.md):

* item columns missing from the table count as missing items;
* reverse-keyed items are recoded ``min + max - answer`` before scoring;
* strict missing rule by default: a score with a missing item is ``NaN``; with
  ``max_missing = k`` a score with at most ``k`` missing items is prorated;
* a file holding only the items of a short form (MFIS-5, FSS-7) scores only that form;
* a score column already in the file whose items are absent is used as it is (it was
  range-checked by :func:`~.prepare.prepare_items`) for the cut-offs and bands;
* caseness flags are pandas nullable ``boolean`` (NA when the score is missing), bands are
  text, ``<name>_n_answered`` is int64 and ``<name>_flags`` is ";"-joined text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from msrelax_stats.data.frames import without_attrs
from msrelax_stats.instruments.spec import Bands, Cutoff, InstrumentSpec, Score

__all__ = ["item_matrix", "join_flags", "score_spec", "scores_to_write"]


def item_matrix(df: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> np.ndarray:
    """Float matrix (rows x columns) of the given columns; absent columns are all NaN."""
    out = np.full((len(df), len(columns)), np.nan)
    df = without_attrs(df)
    for j, name in enumerate(columns):
        if name not in df.columns:
            continue
        column = df[name]
        if not pd.api.types.is_numeric_dtype(column.dtype):
            column = pd.to_numeric(column, errors="coerce")
        out[:, j] = column.to_numpy(dtype="float64", na_value=np.nan)
    return out


def join_flags(n_rows: int, tokens: list[tuple[np.ndarray, str]]) -> np.ndarray:
    """Flag text per row, ";"-joined, from ``(mask, token)`` pairs ("" when no flag)."""
    out = np.full(n_rows, "", dtype=object)
    for mask, token in tokens:
        if mask.any():
            rows = np.flatnonzero(mask)
            head = out[rows]
            out[rows] = np.where(head == "", token, head + ";" + token)
    return out


def scores_to_write(spec: InstrumentSpec, columns: pd.Index) -> list[Score]:
    """The scores of ``spec`` the table's item columns support.

    All scores when any item of the full form is present; only a short form's scores when the
    present items all belong to that short form; none when no item is present.
    """
    present = {item for item in spec.items if spec.column(item) in columns}
    if not present:
        return []
    for form in (s for s in spec.scores if s.short_form):
        if present <= set(form.items):
            return [s for s in spec.scores if set(s.items) <= set(form.items)]
    return list(spec.scores)


def _aggregate(values: np.ndarray, score: Score, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Score values and the 'prorated' mask of one score from its item sub-matrix."""
    n = values.shape[1]
    answered = np.sum(~np.isnan(values), axis=1)
    total = np.nansum(values, axis=1)
    ok = (n - answered <= k) & (answered > 0)
    safe = np.where(answered > 0, answered, 1)
    result = total / safe if score.method == "mean" else total * n / safe
    result = np.where(answered == n, total / n if score.method == "mean" else total, result)
    return np.where(ok, result, np.nan), ok & (answered < n)


def cutoff_flag(values: np.ndarray, cutoff: Cutoff) -> pd.arrays.BooleanArray:
    """Caseness flag ``values op threshold``; NA where ``values`` is NaN."""
    hit = values >= cutoff.value if cutoff.op == ">=" else values > cutoff.value
    return pd.arrays.BooleanArray(hit, np.isnan(values))


def band_labels(values: np.ndarray, bands: Bands) -> np.ndarray:
    """Band label per value (object array), NaN when missing or below the first bound."""
    position = np.searchsorted(np.asarray(bands.lower), values, side="right") - 1
    labels = np.asarray(bands.labels + (np.nan,), dtype=object)
    position = np.where(np.isnan(values) | (position < 0), len(bands.labels), position)
    return labels[position]


def score_spec(df: pd.DataFrame, spec: InstrumentSpec) -> dict[str, object]:
    """Score one (non-custom) instrument; returns the new columns in a fixed order.

    Parameters
    ----------
    df : pandas.DataFrame
        Canonical long table (item columns float64, see :func:`~.prepare.prepare_items`).
    spec : InstrumentSpec
        The instrument, options already applied.

    Returns
    -------
    dict
        Column name -> array: scores (float64), cut-off flags (boolean), bands (object),
        ``<name>_n_answered`` (int64), ``<name>_flags`` (object).

    Notes
    -----
    With :math:`n` items of which :math:`a` are answered (:math:`n - a \\le k`), a prorated
    sum is :math:`n/a \\sum x_i` and a prorated mean is :math:`\\sum x_i / a` (the missing
    items replaced by the mean of the answered ones).

    Examples
    --------
    >>> import pandas as pd
    >>> from msrelax_stats.instruments.spec import load_instrument
    >>> spec = load_instrument({"name": "x", "items": 2, "min": 0, "max": 3})
    >>> score_spec(pd.DataFrame({"x_1": [1.0, 2.0], "x_2": [3.0, None]}), spec)["x_total"]
    array([ 4., nan])
    """
    spec = spec.expanded(df.columns)
    columns = list(spec.item_columns)
    values = item_matrix(df, columns)
    for item in spec.reverse:
        j = spec.items.index(item)
        values[:, j] = spec.item_min + spec.item_max - values[:, j]
    out: dict[str, object] = {}
    computed: dict[str, np.ndarray] = {}
    flags: list[tuple[np.ndarray, str]] = []
    writing = scores_to_write(spec, df.columns)
    used_items = dict.fromkeys(i for s in writing for i in s.items)
    for score in writing:
        index = [spec.items.index(i) for i in score.items]
        k = spec.max_missing if score.max_missing is None else score.max_missing
        result, prorated = _aggregate(values[:, index], score, k)
        computed[score.name] = result
        flags.append((prorated, f"prorated:{score.name}"))
        if score.name not in columns:
            out[score.name] = result
    for score in spec.scores:
        if score.name not in computed and score.name in df.columns:
            computed[score.name] = item_matrix(df, [score.name])[:, 0]
    for cutoff in spec.cutoffs:
        if cutoff.score in computed:
            out[cutoff.name] = cutoff_flag(computed[cutoff.score], cutoff)
    for bands in spec.bands:
        if bands.score in computed:
            out[bands.name] = band_labels(computed[bands.score], bands)
    answered_mask = ~np.isnan(values)
    if used_items:
        used = [spec.items.index(i) for i in used_items]
        none = ~answered_mask[:, used].any(axis=1)
        skip = np.zeros_like(answered_mask)  # not asked: PSFS severity when frequency is 0
        for item, condition in spec.requires_positive.items():
            if condition in spec.items:
                skip[:, spec.items.index(item)] = values[:, spec.items.index(condition)] == 0
        missing = [
            (~answered_mask[:, j] & ~none & ~skip[:, j], f"missing:{columns[j]}") for j in used
        ]
        flags = [(none, "not answered"), *missing, *flags]
    present = [j for j, c in enumerate(columns) if c in df.columns]
    if present or writing:
        n_answered = answered_mask[:, present].sum(axis=1).astype("int64")
        out[f"{spec.name}_n_answered"] = n_answered
        out[f"{spec.name}_flags"] = join_flags(len(df), flags)
    return out
