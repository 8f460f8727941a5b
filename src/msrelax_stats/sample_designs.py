"""Synthetic two-arm, three-visit example study and its practice diary.

Everything here is **synthetic**: no real participant's answers. Levels follow the published
trials (DOMAIN.md): FSS about 5.3 at baseline; after 6 weeks of progressive muscle relaxation
about 4.1 in the relaxation arm against about 5.3 in the control arm (Ghafari 2008: 4.09 vs
5.43 at 2 months), partly kept at week 12; PSQI about 9 at baseline, 3 points better with
relaxation. How much a relaxation participant improves grows with how regularly they practise
(their diary), so a dose-response exists in the generating model; it is small next to the
person-to-person noise, and 16 participants (seed 1) do not detect it, as in most small trials.

How the data are made (vectorised numpy, seeded generators): every participant has a fatigue
and a sleep trait (standard normal, correlation 0.5); relaxation participants have a practice
propensity ``p ~ Beta(4, 1.6)``. At visit v the trait falls by ``effect x progress(v) x (0.4 +
0.9 p)`` (relaxation) or ``0.1 x progress(v)`` (control), ``progress`` = 0 at baseline, 1 at
the second visit and 0.85 per later visit (fading after the practice period). FSS item =
clip(round(level + item offset + noise), 1, 7); PSQI answers (clock times as "HH:MM" text,
minutes, hours, 0-3 items) come from the sleep trait; age, sex and EDSS (Table 1) from a
stream of their own. The diary (relaxation arm, one row per
day) has ``practised`` with probability p, minutes when practised, and a nightly spasm count.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from msrelax_stats.sample import psqi_timing

__all__ = ["make_controlled_sample", "make_diary", "write_controlled_sample"]

ARMS = ("relaxation", "control")
_FSS_EFFECT = 1.05  # FSS points per unit of dose (0.4 + 0.9 p)
_SLEEP_EFFECT = 0.75  # sleep-trait SDs per unit of dose
_PSQI_5 = list("bcdefghi")


def _participants(n_per_arm: Sequence[int], seed: int):
    """Ids, arm of each id, and each relaxation participant's practice propensity."""
    rng = np.random.default_rng([seed, 0])
    n_relax, n_control = (int(x) for x in n_per_arm)
    n = n_relax + n_control
    group = np.asarray(ARMS, dtype=object)[(rng.permutation(n) >= n_relax).astype(int)]
    ids = np.char.add("S", np.char.zfill((np.arange(n) + 1).astype(str), 2)).astype(object)
    propensity = np.where(group == ARMS[0], rng.beta(4.0, 1.6, n), 0.0)
    return ids, group, propensity


def _progress(k: int) -> np.ndarray:
    later = 0.85 ** np.arange(k - 1)
    return np.r_[0.0, later]


def _item(rng, level: np.ndarray, n_items: int, noise: float, low: int, high: int):
    offsets = rng.normal(0.0, 0.25, n_items)
    raw = level[:, None] + offsets + rng.normal(0.0, noise, (level.size, n_items))
    return np.clip(np.rint(raw), low, high)


def make_controlled_sample(
    n_per_arm: Sequence[int] = (16, 16),
    visits: Sequence[str] = ("baseline", "week6", "week12"),
    seed: int = 1,
) -> pd.DataFrame:
    """A synthetic two-arm study (relaxation / control) with FSS and PSQI items at each visit.

    Parameters
    ----------
    n_per_arm : (int, int)
        Participants in the relaxation and the control arm.
    visits : sequence of str
        Visit labels in order (at least two); the practice period ends at the second.
    seed : int
        Seed; the same seed gives the same table.

    Returns
    -------
    DataFrame
        Long layout: ``id``, ``time``, ``group``, ``age``, ``sex``, ``edss``,
        ``fss_1``..``fss_9``, ``psqi_1`` (bed time, "HH:MM"), ``psqi_2`` (minutes), ``psqi_3`` (getting-up time), ``psqi_4`` (hours),
        ``psqi_5a``..``psqi_5j``, ``psqi_5j_text``, ``psqi_6``..``psqi_9``. The last control
        participant has no row for the last visit.

    Notes
    -----
    See the module docstring for the generating model. The data are synthetic and must be
    labelled so wherever they are shown.

    Examples
    --------
    >>> study = make_controlled_sample()
    >>> study.shape[0], study["group"].value_counts().to_dict()
    (95, {'relaxation': 48, 'control': 47})
    """
    visits = [str(v) for v in visits]
    k = len(visits)
    ids, group, propensity = _participants(n_per_arm, seed)
    n = ids.size
    rng = np.random.default_rng(seed)
    traits = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.5], [0.5, 1.0]], n)
    dose = np.where(group == ARMS[0], 0.4 + 0.9 * propensity, 0.1)
    person = np.repeat(np.arange(n), k)
    shift = dose[person] * np.tile(_progress(k), n)
    fatigue = 5.45 + 0.8 * traits[person, 0] - _FSS_EFFECT * shift + rng.normal(0, 0.3, n * k)
    sleep = traits[person, 1] - _SLEEP_EFFECT * shift + rng.normal(0, 0.35, n * k)
    table = {"id": ids[person], "time": np.tile(np.asarray(visits, dtype=object), n)}
    table["group"] = group[person]
    table |= {k: v[person] for k, v in _characteristics(n, seed).items()}
    fss = _item(rng, fatigue, 9, 0.8, 1, 7)
    table |= {f"fss_{i + 1}": fss[:, i] for i in range(9)}
    table |= _psqi(rng, sleep, traits[person, 1])
    df = pd.DataFrame(table)
    last_control = np.flatnonzero(group == ARMS[1])[-1]
    df = df.drop(index=last_control * k + k - 1).reset_index(drop=True)
    numeric = [c for c in df.columns if df[c].dtype == float and c not in ("psqi_4", "edss")]
    return df.astype(dict.fromkeys(numeric, "int64"))


def _characteristics(n: int, seed: int) -> dict[str, np.ndarray]:
    """Age (years), sex and EDSS of each participant, from a stream of their own (so the
    answers are those of a sample made without them): age ~ round(N(42, 10)) in 20-70, 72 %
    women, EDSS ~ N(3, 1.3) rounded to half steps in 0-6.5 (MS cohorts of the PMR trials)."""
    rng = np.random.default_rng([seed, 2])
    return {
        "age": np.clip(np.rint(42 + 10 * rng.standard_normal(n)), 20, 70),
        "sex": np.where(rng.random(n) < 0.72, "F", "M").astype(object),
        "edss": np.clip(np.rint((3.0 + 1.3 * rng.standard_normal(n)) * 2) / 2, 0.0, 6.5),
    }


def _psqi(rng, sleep: np.ndarray, chronotype: np.ndarray) -> dict[str, np.ndarray]:
    """PSQI answers from the sleep trait (higher = worse sleep)."""
    noise = rng.standard_normal((6, sleep.size))
    out = psqi_timing(noise, sleep, chronotype, latency=(22, 0.5, 0.3), hours=(6.0, 0.8),
                      awake=0.7, bed_shift=30, clock_step=5)  # fmt: skip
    out |= {k: out[k].astype(object) for k in ("psqi_1", "psqi_3")}
    out["psqi_5a"] = _item(rng, 1.5 + 0.8 * sleep, 1, 0.5, 0, 3)[:, 0]
    disturbances = _item(rng, 1.0 + 0.6 * sleep, 8, 0.7, 0, 3)
    out |= {f"psqi_5{x}": disturbances[:, i] for i, x in enumerate(_PSQI_5)}
    other = _item(rng, -0.2 + 0.8 * sleep, 1, 0.5, 0, 3)[:, 0]
    out["psqi_5j"] = other
    out["psqi_5j_text"] = np.where(other > 0, "leg cramps at night", None)
    out["psqi_6"] = _item(rng, 1.6 + 0.7 * sleep, 1, 0.5, 0, 3)[:, 0]
    out["psqi_7"] = _item(rng, 0.1 + 0.6 * sleep, 1, 0.6, 0, 3)[:, 0]
    out["psqi_8"] = _item(rng, 0.9 + 0.8 * sleep, 1, 0.6, 0, 3)[:, 0]
    out["psqi_9"] = _item(rng, 1.3 + 0.8 * sleep, 1, 0.6, 0, 3)[:, 0]
    return out


def make_diary(n_per_arm: Sequence[int] = (16, 16), days: int = 42, seed: int = 1) -> pd.DataFrame:
    """The practice diary of the relaxation arm of :func:`make_controlled_sample`.

    Parameters
    ----------
    n_per_arm, seed
        As given to :func:`make_controlled_sample` (same ids, same practice propensities).
    days : int
        Length of the practice period.

    Returns
    -------
    DataFrame
        ``id``, ``day`` (1..days), ``practised`` ("yes"/"no"), ``minutes`` (0 when not
        practised), ``spasms`` (nightly count). Two extra rows lie outside the period (the
        first participant's training session on day 0, another's entry on day days + 1), so
        an analysis has to exclude them with a note.

    Examples
    --------
    >>> diary = make_diary()
    >>> diary.shape, int(diary["day"].min()), int(diary["day"].max())
    ((674, 5), 0, 43)
    """
    ids, group, propensity = _participants(n_per_arm, seed)
    relax = np.flatnonzero(group == ARMS[0])
    rng = np.random.default_rng([seed, 1])
    n = relax.size
    day = np.tile(np.arange(1, days + 1), n)
    who = np.repeat(relax, days)
    fade = 1.0 - 0.2 * (day - 1) / max(days - 1, 1)
    practised = rng.random(n * days) < propensity[who] * fade
    minutes = np.where(practised, np.clip(np.rint(rng.normal(22, 6, n * days)), 5, 45), 0)
    base = np.exp(np.log(1.5) + 0.5 * rng.standard_normal(n))
    rate = base[np.repeat(np.arange(n), days)] * (1.0 - 0.4 * propensity[who] * day / days)
    diary = pd.DataFrame(
        {
            "id": ids[who],
            "day": day,
            "practised": np.where(practised, "yes", "no"),
            "minutes": minutes.astype(int),
            "spasms": rng.poisson(rate),
        }
    )
    extra = pd.DataFrame(
        {
            "id": ids[relax[[0, min(1, n - 1)]]],
            "day": [0, days + 1],
            "practised": ["yes", "yes"],
            "minutes": [30, 20],
            "spasms": [2, 1],
        }
    )
    return pd.concat([extra.iloc[:1], diary, extra.iloc[1:]], ignore_index=True)


def write_controlled_sample(
    out_dir: str | Path = "data/sample/controlled", seed: int = 1
) -> list[Path]:
    """Write ``pmr_controlled.csv`` and ``pmr_diary.csv``; the same seed gives the same bytes.

    The folder's README.md (SYNTHETIC, how made, seed) is kept by hand beside them.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_controlled_sample(tmp)]
    ['pmr_controlled.csv', 'pmr_diary.csv']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "pmr_controlled.csv", out / "pmr_diary.csv"]
    frames = [make_controlled_sample(seed=seed), make_diary(seed=seed)]
    for path, frame in zip(paths, frames, strict=True):
        path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return paths
