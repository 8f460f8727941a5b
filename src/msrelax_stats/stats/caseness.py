"""Caseness (pre x post tables with the exact McNemar test) and responders by MCID.

Both work on complete pairs: a participant with the flag or score missing at either visit
is left out (``compare`` lists them). ``caseness.csv`` and ``responders.csv`` are built from
the rows these functions return.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

__all__ = ["McNemarResult", "mcnemar_exact", "wilson_ci", "ResponderResult", "responders"]


@dataclass(frozen=True)
class McNemarResult:
    """Pre x post table of a binary flag with the exact McNemar p-value (``caseness.csv`` row)."""

    outcome: str
    n: int
    pre_yes: int
    post_yes: int
    pre_yes_post_no: int
    pre_no_post_yes: int
    p_mcnemar: float
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The ``caseness.csv`` columns (without the note)."""
        out = asdict(self)
        out.pop("note")
        return out


def mcnemar_exact(pre: ArrayLike, post: ArrayLike, outcome: str = "") -> McNemarResult:
    """Exact McNemar test of a binary flag at two visits (R: ``binom.test(b, b + c)``).

    Parameters
    ----------
    pre, post : array_like of bool
        The flag of the complete pairs at each visit.
    outcome : str
        Name of the flag (``psqi_poor``, ``fss_fatigued``, ...).

    Returns
    -------
    McNemarResult
        Counts and the two-sided p; NaN with a note when no pair is discordant.

    Notes
    -----
    With b pairs yes -> no and c pairs no -> yes, under H0 b ~ Bin(b + c, 1/2); the two-sided
    p sums the probabilities not larger than that of b (``scipy.stats.binomtest``).

    References
    ----------
    McNemar Q. Note on the sampling error of the difference between correlated proportions.
    Psychometrika. 1947;12:153-157. Fagerland MW, Lydersen S, Laake P. The McNemar test for
    binary matched-pairs data. BMC Med Res Methodol. 2013;13:91.

    Examples
    --------
    >>> res = mcnemar_exact([True] * 8 + [False] * 2, [False] * 7 + [True] * 3)
    >>> res.pre_yes_post_no, res.pre_no_post_yes, res.p_mcnemar  # 2 (1 + 9 + 36) / 2^9
    (7, 2, 0.1796875)
    """
    pre = np.asarray(pre, dtype=bool)
    post = np.asarray(post, dtype=bool)
    b = int(np.sum(pre & ~post))
    c = int(np.sum(~pre & post))
    if b + c == 0:
        p, note = np.nan, f"{outcome}: McNemar undefined, no discordant pairs"
    else:
        p, note = float(stats.binomtest(b, b + c).pvalue), ""
    return McNemarResult(outcome, int(pre.size), int(pre.sum()), int(post.sum()), b, c, p, note)


def wilson_ci(count: int, nobs: int, ci_level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion (R: ``prop.test(x, n, correct = FALSE)$conf.int``).

    Notes
    -----
    (p + z^2/2n -+ z sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n) with z = z_{1 - alpha/2}
    (``statsmodels`` ``proportion_confint(method="wilson")``).

    References
    ----------
    Wilson EB. Probable inference. J Am Stat Assoc. 1927;22:209-212.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_ci(5, 10)]
    [0.2366, 0.7634]
    """
    from statsmodels.stats.proportion import proportion_confint  # imported on use

    if nobs <= 0:
        return np.nan, np.nan
    low, high = proportion_confint(count, nobs, alpha=1 - ci_level, method="wilson")
    return float(low), float(high)


@dataclass(frozen=True)
class ResponderResult:
    """Responders by MCID with the Wilson CI of the proportion (``responders.csv`` row)."""

    outcome: str
    n: int
    mcid: float
    mcid_kind: str
    responders: int
    proportion: float
    ci_low: float
    ci_high: float
    source: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The ``responders.csv`` columns (without the note)."""
        out = asdict(self)
        out.pop("note")
        return out


def responders(pre: ArrayLike, post: ArrayLike, mcid: float, *, outcome: str = "",
               mcid_kind: str = "points", better: str = "lower", source: str = "",
               ci_level: float = 0.95) -> ResponderResult:  # fmt: skip
    """Count participants whose change reaches the MCID in the better direction.

    Parameters
    ----------
    pre, post : array_like
        Scores of the complete pairs.
    mcid : float
        Minimal clinically important difference: points, or percent of the baseline.
    outcome, source : str
        Score name and the source of the MCID (printed beside it in the report).
    mcid_kind : {"points", "percent"}
        ``"percent"``: the improvement relative to a non-zero baseline (NRS: 30 % reduction);
        pairs with a zero baseline cannot be judged and are left out (with a note).
    better : {"lower", "higher"}
        Direction of improvement.
    ci_level : float
        Level of the Wilson interval.

    Returns
    -------
    ResponderResult

    Notes
    -----
    improvement = pre - post when lower is better, post - pre otherwise; a responder has
    improvement >= mcid (points) or 100 improvement / pre >= mcid (percent), compared with a
    relative tolerance of 1e-9 so that a change of exactly the MCID counts in binary floating
    point.

    Examples
    --------
    >>> res = responders([5.0, 4.0, 6.0, 3.0], [4.0, 4.0, 5.5, 3.5], 0.45)
    >>> res.responders, res.proportion
    (2, 0.5)
    """
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    improvement = pre - post if better == "lower" else post - pre
    note = ""
    if mcid_kind == "percent":
        usable = pre != 0
        if not usable.all():
            note = f"{outcome}: {int((~usable).sum())} pairs with a zero baseline left out"
        gain, need = 100 * improvement[usable], mcid * np.abs(pre[usable])
    else:
        gain, need = improvement, np.full(improvement.shape, float(mcid))
    hits = gain >= need - 1e-9 * np.maximum(1.0, np.abs(need))
    n, k = int(hits.size), int(hits.sum())
    low, high = wilson_ci(k, n, ci_level)
    prop = k / n if n else np.nan
    return ResponderResult(outcome, n, float(mcid), mcid_kind, k, prop, low, high, source, note)
