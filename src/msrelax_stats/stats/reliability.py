"""Reliability of the scores in this sample: Cronbach's alpha, McDonald's omega, floor/ceiling.

APA JARS and TREND ask for the internal consistency of every multi-item score in the sample
at hand. Per scale and visit :func:`reliability_table` reports, on the participants who
answered every item of the scale at that visit (complete cases):

- Cronbach's alpha (R: ``psych::alpha(x)$total$raw_alpha``) with the Feldt CI
  (``psych::alpha.ci``);
- McDonald's omega total from one minres factor (R: ``psych::omega(x, nfactors = 1)$omega.tot``);
- the share of participants at the lowest and highest possible score (floor and ceiling).

The functions below take item answers as a DataFrame or 2-D array (rows = participants);
:func:`instrument_scales` turns an instrument spec into the scales it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize, stats

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.instruments.spec import InstrumentSpec

__all__ = [
    "AlphaResult",
    "OmegaResult",
    "Scale",
    "RELIABILITY_COLUMNS",
    "cronbach_alpha",
    "feldt_ci",
    "omega_total",
    "floor_ceiling",
    "instrument_scales",
    "reliability_table",
]

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
class AlphaResult:
    """Cronbach's alpha of complete cases with its Feldt CI."""

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    n_items: int
    ci_level: float
    note: str = ""


@dataclass(frozen=True)
class OmegaResult:
    """McDonald's omega total of a one-factor minres model.

    ``loadings`` are the minres loadings in item order (overall sign chosen so that they sum
    to a positive number); ``reversed_items`` the items with a negative loading, which are
    reversed before the total variance is summed (as ``psych::omega(flip = TRUE)``).
    """

    omega_total: float
    loadings: tuple[float, ...]
    reversed_items: tuple[str, ...]
    n: int
    n_items: int
    note: str = ""


def _complete(items: ArrayLike | pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    if isinstance(items, pd.DataFrame):
        frame = items
    else:
        array = np.asarray(items, dtype=float)
        if array.ndim != 2:
            raise ValueError("items must be 2-D: rows = participants, columns = items")
        frame = pd.DataFrame(array, columns=[f"item {i + 1}" for i in range(array.shape[1])])
    names = [str(c) for c in frame.columns]
    values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return values[~np.isnan(values).any(axis=1)], names


def feldt_ci(alpha: float, n: int, n_items: int, ci_level: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval of Cronbach's alpha (R: ``psych::alpha.ci``).

    Notes
    -----
    Under the model of Feldt (1965), (1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1))
    for n participants and k items, so the interval is

        [1 - (1 - alpha_hat) F_{1 - g/2}, 1 - (1 - alpha_hat) F_{g/2}],  g = 1 - ci_level.

    References
    ----------
    Feldt LS. The approximate sampling distribution of Kuder-Richardson reliability
    coefficient twenty. Psychometrika. 1965;30:357-370. Feldt LS, Woodruff DJ, Salih FA.
    Statistical inference for coefficient alpha. Appl Psychol Meas. 1987;11(1):93-103.

    Examples
    --------
    R: ``psych::alpha.ci(0.8, n.obs = 30, n.var = 5)`` gives 0.6591688 and 0.8941073.

    >>> [round(x, 6) for x in feldt_ci(0.8, 30, 5)]
    [0.659169, 0.894107]
    """
    if n < 2 or n_items < 2 or not np.isfinite(alpha):
        return float("nan"), float("nan")
    df1, df2 = n - 1, (n - 1) * (n_items - 1)
    gamma = 1.0 - ci_level
    low = 1.0 - (1.0 - alpha) * stats.f.ppf(1.0 - gamma / 2.0, df1, df2)
    high = 1.0 - (1.0 - alpha) * stats.f.ppf(gamma / 2.0, df1, df2)
    return float(low), float(high)


def cronbach_alpha(items: ArrayLike | pd.DataFrame, ci_level: float = 0.95) -> AlphaResult:
    """Cronbach's alpha of the complete cases, with the Feldt CI.

    Parameters
    ----------
    items : DataFrame or array_like, shape (participants, items)
        Item answers (reverse-keyed items already recoded). Rows with a missing item are
        left out.
    ci_level : float
        Confidence level of the Feldt interval.

    Returns
    -------
    AlphaResult
        ``alpha`` is NaN with a note for fewer than two items or participants, or when the
        total score does not vary.

    Notes
    -----
    With C the item covariance matrix (n - 1 denominator) of k items,
    alpha = k / (k - 1) * (1 - tr(C) / sum(C)) (R: ``psych::alpha(x)$total$raw_alpha``;
    items are not reversed by their correlations: ``check.keys = FALSE``).

    References
    ----------
    Cronbach LJ. Coefficient alpha and the internal structure of tests. Psychometrika.
    1951;16:297-334.

    Examples
    --------
    Item variances 5/3, 4/3, 19/12 (trace 55/12), total-score variance 49/4, so
    alpha = 3/2 * (1 - (55/12) / (49/4)) = 46/49:

    >>> res = cronbach_alpha([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5]])
    >>> round(res.alpha, 6), round(46 / 49, 6), res.n, res.n_items
    (0.938776, 0.938776, 4, 3)
    """
    values, _ = _complete(items)
    n, k = values.shape
    if k < 2 or n < 2:
        why = "fewer than 2 items" if k < 2 else "fewer than 2 complete cases"
        return AlphaResult(np.nan, np.nan, np.nan, n, k, ci_level, f"alpha undefined: {why}")
    cov = np.cov(values, rowvar=False, ddof=1)
    total = float(cov.sum())
    if total <= 0:
        note = "alpha undefined: the total score does not vary"
        return AlphaResult(np.nan, np.nan, np.nan, n, k, ci_level, note)
    alpha = k / (k - 1) * (1.0 - float(np.trace(cov)) / total)
    low, high = feldt_ci(alpha, n, k, ci_level)
    return AlphaResult(float(alpha), low, high, n, k, ci_level)


def _minres_one_factor(corr: np.ndarray) -> np.ndarray:
    """Loadings l minimising sum_{i<j} (r_ij - l_i l_j)^2 (minres = ULS off the diagonal)."""
    k = corr.shape[0]
    upper = np.triu_indices(k, 1)
    # start as psych::fa: principal axis with squared multiple correlations on the diagonal
    try:
        smc = 1.0 - 1.0 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        smc = np.full(k, 0.5)
    reduced = corr.copy()
    np.fill_diagonal(reduced, np.clip(smc, 0.005, 1.0))
    values, vectors = np.linalg.eigh(reduced)
    start = vectors[:, -1] * np.sqrt(max(values[-1], 1e-6))

    def residuals(loadings: np.ndarray) -> np.ndarray:
        return corr[upper] - loadings[upper[0]] * loadings[upper[1]]

    def jacobian(loadings: np.ndarray) -> np.ndarray:
        jac = np.zeros((upper[0].size, k))
        rows = np.arange(upper[0].size)
        jac[rows, upper[0]] = -loadings[upper[1]]
        jac[rows, upper[1]] = -loadings[upper[0]]
        return jac

    fit = optimize.least_squares(
        residuals, start, jac=jacobian, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15
    )
    loadings = fit.x
    return -loadings if loadings.sum() < 0 else loadings


def omega_total(items: ArrayLike | pd.DataFrame) -> OmegaResult:
    """McDonald's omega total from one minres factor, as ``psych::omega(x, nfactors = 1)``.

    Parameters
    ----------
    items : DataFrame or array_like, shape (participants, items)
        Item answers (reverse-keyed items already recoded); rows with a missing item are
        left out. At least 3 items (a one-factor model of 2 items is not identified).

    Returns
    -------
    OmegaResult
        NaN with a note for fewer than 3 items or 3 complete cases, an item that does not
        vary, or a Heywood case (a loading of absolute value 1 or more).

    Notes
    -----
    R is the Pearson correlation matrix of the items and l the loadings of one factor fitted
    by minres, i.e. minimising sum_{i<j} (r_ij - l_i l_j)^2 (solved here by Levenberg-Marquardt
    to machine precision; psych's L-BFGS-B stops within about 1e-7 of the same loadings).
    Items with a negative loading are reversed (R -> D R D, D = diag(sign l)), as psych does
    with ``flip = TRUE``; then, with V_t the sum of all elements of D R D and
    u_i^2 = 1 - l_i^2 the uniquenesses,

        omega_total = (V_t - sum u_i^2) / V_t.

    This is psych's omega total (the total variance is the observed one). The model-implied
    form (sum l)^2 / ((sum l)^2 + sum u^2) differs from it by the misfit of the model.

    References
    ----------
    McDonald RP. Test theory: a unified treatment. Mahwah, NJ: Erlbaum; 1999. Revelle W,
    Zinbarg RE. Coefficients alpha, beta, omega, and the glb. Psychometrika.
    2009;74(1):145-154. Revelle W. psych: Procedures for psychological, psychometric, and
    personality research (R package), function ``omega``.

    Examples
    --------
    R: ``psych::omega(x, nfactors = 1)$omega.tot`` = 0.9301791 for these answers:

    >>> x = [[2, 3, 3, 2], [4, 4, 5, 4], [1, 2, 1, 2], [3, 3, 4, 4],
    ...      [5, 4, 4, 5], [2, 1, 2, 2], [3, 4, 3, 3], [4, 5, 4, 3]]
    >>> res = omega_total(x)
    >>> round(res.omega_total, 6), res.n_items, res.reversed_items
    (0.930179, 4, ())
    """
    values, names = _complete(items)
    n, k = values.shape
    if k < 3 or n < 3:
        why = "fewer than 3 items" if k < 3 else "fewer than 3 complete cases"
        return OmegaResult(np.nan, (), (), n, k, f"omega not estimated: {why}")
    sd = values.std(axis=0, ddof=1)
    if np.any(sd == 0):
        flat = ", ".join(names[i] for i in np.flatnonzero(sd == 0))
        return OmegaResult(np.nan, (), (), n, k, f"omega not estimated: {flat} does not vary")
    corr = np.corrcoef(values, rowvar=False)
    loadings = _minres_one_factor(corr)
    fitted = tuple(float(v) for v in loadings)
    if np.any(np.abs(loadings) >= 1.0):
        worst = names[int(np.argmax(np.abs(loadings)))]
        note = f"omega not estimated: Heywood case (loading of {worst} >= 1 in absolute value)"
        return OmegaResult(np.nan, fitted, (), n, k, note)
    key = np.where(loadings < 0, -1.0, 1.0)
    total = float((corr * np.outer(key, key)).sum())
    omega = (total - float(np.sum(1.0 - loadings**2))) / total
    flipped = tuple(names[i] for i in np.flatnonzero(key < 0))
    note = ""
    if flipped:
        note = f"negative loading, reversed for omega (as psych): {', '.join(flipped)}"
    return OmegaResult(float(omega), fitted, flipped, n, k, note)


def floor_ceiling(scores: ArrayLike, minimum: float, maximum: float) -> tuple[float, float, int]:
    """Percent of scores at the lowest and at the highest possible value.

    Missing scores are left out. Returns ``(floor_pct, ceiling_pct, n)``; more than 15 % at
    either end is the usual threshold for a floor or ceiling effect (Terwee 2007).

    References
    ----------
    Terwee CB, et al. Quality criteria were proposed for measurement properties of health
    status questionnaires. J Clin Epidemiol. 2007;60(1):34-42.

    Examples
    --------
    >>> floor_ceiling([0, 0, 3, 8, None], 0, 8)  # 2 of 4 at 0, 1 of 4 at 8
    (50.0, 25.0, 4)
    """
    values = pd.to_numeric(pd.Series(scores, dtype=object), errors="coerce").to_numpy(float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return float("nan"), float("nan"), 0
    tol = 1e-9 * max(1.0, abs(maximum - minimum))
    floor = 100.0 * float(np.mean(np.abs(values - minimum) <= tol))
    ceiling = 100.0 * float(np.mean(np.abs(values - maximum) <= tol))
    return floor, ceiling, int(values.size)


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
    items = frame[list(scale.items)].apply(pd.to_numeric, errors="coerce").astype(float)
    for column in scale.reverse:
        items[column] = scale.item_min + scale.item_max - items[column]
    return items


def _default_scales(columns: Sequence[str]) -> list[Scale]:
    from msrelax_stats.instruments.registry import present_instruments

    return [s for spec in present_instruments(columns) for s in instrument_scales(spec, columns)]


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
    See :func:`cronbach_alpha`, :func:`feldt_ci`, :func:`omega_total`, :func:`floor_ceiling`.

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
    scales = _default_scales(columns) if scales is None else list(scales)
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
