"""Multiple imputation of the missing visits of one outcome: statsmodels MICE with PMM, seeded.

The imputer is :class:`statsmodels.imputation.mice.MICEData` (chained equations, an OLS model
per incomplete visit with all other visits, the arm and the covariates as main effects,
parameters perturbed by a draw from their sampling distribution, values by predictive mean
matching among the ``k_pmm`` closest donors). Two things are ours: the seeding, and the design
matrices of the conditional models, which are built with numpy instead of a formula parser
(the same matrices, 10x faster; :class:`_MainEffectsMICEData` and its test).

Where statsmodels draws random numbers (audited for 0.14 and 0.15): ``_perturb_gaussian``
(``multivariate_normal``), ``_perturb_bootstrap`` (``randint``/``integers``) and
``impute_pmm`` (``randint``/``integers``), plus the jitter of two plotting methods we never
call. statsmodels 0.14 draws them from numpy's global ``np.random`` state; 0.15 from the
``rng`` argument of ``MICEData`` (a fresh, unseeded Generator when none is given). We give
0.15 a ``RandomState`` and, around every call into the chain, set numpy's global state to the
same ``RandomState`` and restore the caller's state afterwards (:func:`seeded_global_numpy`),
so the imputations are the same bytes under both versions and the caller's ``np.random``
stream is left as it was. Swapping the global state is not thread-safe: do not run
imputations in threads that also draw from ``np.random``.
"""

from __future__ import annotations

import contextlib
import inspect
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from statsmodels.imputation.mice import MICEData

from msrelax_stats.stats._missing_table import OutcomeTable

__all__ = [
    "Imputations",
    "impute_outcome",
    "outcome_random_state",
    "seeded_global_numpy",
]

_MICE_TAKES_RNG = "rng" in inspect.signature(MICEData.__init__).parameters


@contextlib.contextmanager
def seeded_global_numpy(source: np.random.RandomState) -> Iterator[None]:
    """Within the block numpy's global state is ``source``'s; afterwards the caller's again.

    On leaving, ``source`` is advanced to the global state, so consecutive blocks continue one
    stream.

    Examples
    --------
    >>> np.random.seed(7); before = np.random.random()
    >>> np.random.seed(7)
    >>> with seeded_global_numpy(np.random.RandomState(1)):
    ...     inside = np.random.random()
    >>> np.random.random() == before, inside == np.random.RandomState(1).random()
    (True, True)
    """
    # the legacy global state is what statsmodels 0.14 draws from, hence NPY002 here
    saved = np.random.get_state()  # noqa: NPY002
    np.random.set_state(source.get_state())  # noqa: NPY002
    try:
        yield
    finally:
        source.set_state(np.random.get_state())  # noqa: NPY002
        np.random.set_state(saved)  # noqa: NPY002


def outcome_random_state(seed: int, outcome: str) -> np.random.RandomState:
    """The random stream of one outcome: ``SeedSequence([seed, crc32(outcome)])``.

    Keyed by name, so an outcome's imputations do not depend on which other outcomes are
    analysed or in which order.

    Examples
    --------
    >>> a = outcome_random_state(1, "fss_mean").random()
    >>> a == outcome_random_state(1, "fss_mean").random() != outcome_random_state(2, "fss_mean").random()
    True
    """
    key = zlib.crc32(outcome.encode("utf-8"))
    return np.random.RandomState(np.random.MT19937(np.random.SeedSequence([int(seed), key])))


class _MainEffectsMICEData(MICEData):
    """``MICEData`` whose conditional design matrices are built by numpy, not by a formula.

    Each incomplete column is modelled on an intercept and the columns in
    ``predictors[column]`` as main effects (what the formula ``" + ".join(predictors)`` gives
    for numeric columns); the formula is also registered through ``set_imputer``, so the stock
    class given the same formulas and ``rng`` draws exactly the same imputations
    (tests/test_imputation.py). Everything else (cycle order, perturbation, PMM, random draws)
    is statsmodels'.
    """

    def __init__(self, data: pd.DataFrame, predictors: dict[str, list[str]], **kwargs):
        position = {c: j for j, c in enumerate(data.columns)}
        self._positions = {c: [position[o] for o in cols] for c, cols in predictors.items()}
        self._column = position
        super().__init__(data, **kwargs)

    def _arrays(self, vname: str) -> tuple[np.ndarray, np.ndarray]:
        """The current values of ``vname`` and its design matrix (intercept first)."""
        current = self.data.to_numpy(dtype=float)  # every column is float: one block copy
        cols = self._positions[vname]
        x = np.ones((current.shape[0], len(cols) + 1))
        x[:, 1:] = current[:, cols]
        return current[:, self._column[vname]], x

    def get_fitting_data(self, vname):  # noqa: D102 - same contract as MICEData
        y, x = self._arrays(vname)
        ix = self.ix_obs[vname]
        return y[ix], x[ix], {}, {}

    def get_split_data(self, vname):  # noqa: D102 - same contract as MICEData
        y, x = self._arrays(vname)
        obs, miss = self.ix_obs[vname], self.ix_miss[vname]
        return y[obs], x[obs], x[miss], {}, {}


@dataclass(frozen=True)
class Imputations:
    """``m`` completed copies of the visit columns of one :class:`OutcomeTable`.

    ``values`` has shape (m, n, visits): observed scores everywhere they were observed,
    imputed ones elsewhere (NaN in visit columns left out of the imputation, see
    ``imputed_visits``). ``n_burnin`` and ``n_skip`` are the cycles actually run (the larger
    of the two arms' when ``by_arm``), ``k_pmm`` the donors used; ``by_arm`` says whether the
    arms were imputed separately.
    """

    outcome: str
    values: np.ndarray
    imputed_visits: tuple[str, ...]
    n_burnin: int
    n_skip: int
    k_pmm: int
    perturbation_method: str
    seed: int
    by_arm: bool = False
    notes: list[str] = field(default_factory=list)


class ImputationError(ValueError):
    """The outcome cannot be imputed (too few observed values); the message says why."""


def _columns(
    table: OutcomeTable, notes: list[str], where_text: str
) -> tuple[pd.DataFrame, list[str]]:
    """The data frame given to MICEData (safe column names) and the visit columns kept."""
    visits = table.design.visits
    frame = {f"v{j}": table.values[:, j] for j in range(len(visits))}
    if table.treated is not None:
        frame["arm"] = table.treated.astype(float)
    for j in range(table.covariates.shape[1]):
        frame[f"c{j}"] = table.covariates[:, j]
    data = pd.DataFrame(frame)
    data.columns = pd.Index(list(data.columns), dtype=object)
    n_pred = data.shape[1] - 1
    kept = []
    for j, visit in enumerate(visits):
        n_obs = int(np.isfinite(table.values[:, j]).sum())
        if n_obs == table.values.shape[0] or n_obs >= n_pred + 2:
            kept.append(f"v{j}")
        elif visit in (table.design.baseline, table.design.endpoint):
            raise ImputationError(
                f"{where_text}: {n_obs} observed value(s) at {visit}; imputing it needs at "
                f"least {n_pred + 2}"
            )
        else:
            notes.append(
                f"{where_text}: {visit} has {n_obs} observed value(s); left out of the "
                "imputation model"
            )
    data = data[[c for c in data.columns if c in kept or not c.startswith("v")]]
    empty = data.isna().all(axis=1).to_numpy()
    if empty.any():
        raise ImputationError(
            f"{where_text}: participant {table.ids[np.flatnonzero(empty)[0]]} has no value "
            "in the imputation model"
        )
    return data, kept


def impute_outcome(
    table: OutcomeTable,
    m: int = 50,
    seed: int = 1,
    *,
    k_pmm: int = 5,
    n_burnin: int = 10,
    n_skip: int = 3,
    perturbation_method: str = "gaussian",
    by_arm: bool = True,
) -> Imputations:
    """Draw ``m`` imputations of the missing visits of one outcome (statsmodels MICE, PMM).

    Parameters
    ----------
    table : OutcomeTable
        The outcome's participant x visit table (see ``_missing_table.outcome_table``).
    m : int
        Number of imputations (at least 2).
    seed : int
        Seed; with :func:`outcome_random_state` it fixes every draw.
    k_pmm : int
        Donors of predictive mean matching (R ``mice`` default: 5); at most the number of
        observed values.
    n_burnin, n_skip : int
        Cycles before the first imputation and between imputations (statsmodels ``MICE``
        defaults 10 and 3). When only one column is incomplete, each cycle is an independent
        draw (its model is fitted on the rows where it is observed, whose predictors are all
        observed), so no burn-in or thinning is run.
    perturbation_method : {"gaussian", "boot"}
        How statsmodels perturbs the imputation model's parameters before matching.
    by_arm : bool
        Two arms: impute each arm on its own (its own chain, stream and donors), as recommended
        for randomised trials (White et al. 2011), so that no donor crosses arms and the model
        allows every interaction with arm. When an arm has too few observed values for that,
        both arms are imputed together with the arm as a predictor, with a note.

    Returns
    -------
    Imputations

    Raises
    ------
    ImputationError
        The baseline or the endpoint has too few observed values for its imputation model.

    Notes
    -----
    Fully conditional specification (van Buuren 2018, ch. 4): every incomplete visit is
    regressed (OLS) on the other visits and the covariates (and the arm indicator when the arms
    are imputed together); one chain per outcome (per arm and outcome when ``by_arm``, the
    stream of ``outcome_random_state(seed, "<outcome>|<arm>")``);
    imputation ``l`` is the state after ``n_burnin + l (n_skip + 1)`` cycles (the scheme of
    statsmodels ``MICE.fit``). statsmodels keeps one ``k_pmm`` for all variables and
    ``set_imputer`` resets it to 20 unless given, so it is passed on every call.

    References
    ----------
    van Buuren S (2018). Flexible Imputation of Missing Data, 2nd ed. CRC Press.
    Morris TP, White IR, Royston P (2014). Tuning multiple imputation by predictive mean
    matching and local residual draws. BMC Med Res Methodol 14:75.
    White IR, Horton NJ, Carpenter J, Pocock SJ (2011). Strategy for intention to treat
    analysis in randomised trials with missing outcome data. BMJ 342:d40.

    Examples
    --------
    >>> from msrelax_stats.stats._missing_table import MissingDesign, outcome_table
    >>> rng = np.random.default_rng(3)
    >>> pre = rng.normal(5, 1, 20); post = pre - 0.8 + rng.normal(0, 0.5, 20)
    >>> df = pd.DataFrame({"id": np.repeat([str(i) for i in range(20)], 2),
    ...                    "time": ["pre", "post"] * 20,
    ...                    "fss_mean": np.column_stack([pre, post]).ravel()})
    >>> df = df.drop(index=[1, 3])  # participants 0 and 1 miss the post visit
    >>> table = outcome_table(df, "fss_mean", MissingDesign(("pre", "post"), "post"))
    >>> imp = impute_outcome(table, m=5, seed=1)
    >>> imp.values.shape, bool(np.isin(imp.values[:, :2, 1], post[2:]).all())
    ((5, 20, 2), True)
    """
    if m < 2:
        raise ValueError("m must be at least 2")
    chain = {"k_pmm": k_pmm, "n_burnin": n_burnin, "n_skip": n_skip,
             "perturbation_method": perturbation_method}  # fmt: skip
    notes: list[str] = []
    arms = table.design.arms
    separately = table.treated is not None and by_arm
    if not separately:
        state = outcome_random_state(seed, table.outcome)
        values, chosen, used = _chain(table, m, state, notes, **chain)
    else:
        try:
            runs = []
            for label, rows in ((arms[0], ~table.treated), (arms[1], table.treated)):
                state = outcome_random_state(seed, f"{table.outcome}|{label}")
                part = replace(table.subset(rows), treated=None)
                runs.append((rows, _chain(part, m, state, notes, label=label, **chain)))
        except ImputationError as err:
            notes.append(f"{err}; the arms were imputed together, with the arm as a predictor")
            separately = False
            state = outcome_random_state(seed, table.outcome)
            values, chosen, used = _chain(table, m, state, notes, **chain)
        else:
            values = np.full((m, *table.values.shape), np.nan)
            chosen = sorted(set(runs[0][1][1]) & set(runs[1][1][1]))
            for rows, (part_values, _, _) in runs:
                values[:, rows] = part_values
            used = tuple(max(run[1][2][i] for run in runs) for i in range(3))
    observed = np.isfinite(table.values)
    left_out = [j for j in range(table.values.shape[1]) if j not in chosen]
    values[:, :, left_out] = np.where(observed[:, left_out], table.values[:, left_out], np.nan)
    visits = table.design.visits
    return Imputations(
        outcome=table.outcome,
        values=values,
        imputed_visits=tuple(visits[j] for j in chosen),
        n_burnin=used[0],
        n_skip=used[1],
        k_pmm=used[2],
        perturbation_method=perturbation_method,
        seed=int(seed),
        by_arm=separately,
        notes=notes,
    )


def _chain(
    table: OutcomeTable,
    m: int,
    state: np.random.RandomState,
    notes: list[str],
    *,
    k_pmm: int,
    n_burnin: int,
    n_skip: int,
    perturbation_method: str,
    label: str | None = None,
) -> tuple[np.ndarray, list[int], tuple[int, int, int]]:
    """One MICE chain on ``table``: values (m, n, visits), visit columns imputed, cycles/donors."""
    where_text = table.outcome if label is None else f"{table.outcome} ({label})"
    data, kept = _columns(table, notes, where_text)
    incomplete = [c for c in data.columns if data[c].isna().any()]
    k = max(1, min(int(k_pmm), *(int(data[c].notna().sum()) for c in incomplete or kept)))
    burn, skip = (0, 0) if len(incomplete) <= 1 else (int(n_burnin), int(n_skip))
    predictors = {c: [o for o in data.columns if o != c] for c in data.columns}
    kwargs = {"perturbation_method": perturbation_method, "k_pmm": k}
    # statsmodels >= 0.15 draws from ``rng``; 0.14 from the global state, which is ``state``
    # inside the block. Either way the draws are ``state``'s, in the same order.
    global_source = state
    if _MICE_TAKES_RNG:
        kwargs["rng"] = state
        global_source = np.random.RandomState(0)  # only for stray global draws (none known)
    out = np.full((m, *table.values.shape), np.nan)
    chosen = [int(c[1:]) for c in kept]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if not incomplete:
            out[:, :, chosen] = data[kept].to_numpy(float)
        else:
            with seeded_global_numpy(global_source):
                imp = _MainEffectsMICEData(data, predictors, **kwargs)
                for col in incomplete:
                    imp.set_imputer(col, formula=" + ".join(predictors[col]), k_pmm=k)
                imp.update_all(burn)
                where = [imp.data.columns.get_loc(c) for c in kept]
                for j in range(m):
                    imp.update_all(skip + 1)
                    out[j][:, chosen] = imp.data.to_numpy(dtype=float)[:, where]
    for text in dict.fromkeys(str(w.message) for w in caught):
        notes.append(f"{where_text} imputation: {text}")
    return out, chosen, (burn, skip, k)
