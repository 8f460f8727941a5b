"""The synthetic example study: 32 people with MS, before and after 6 weeks of relaxation.

Everything here is **synthetic**: no real participant's answers are in it. The numbers are
made to look like the published studies (DOMAIN.md): FSS about 5.2 falling to about 4.4,
PSQI about 7-8 falling by 2-3 points with roughly half to two thirds poor sleepers at baseline,
correlated pre/post answers, a few missing items and one participant without a post visit.

How the answers are made (vectorised with numpy, one seeded generator): each participant has
four correlated latent traits (fatigue, poor sleep, sleepiness, spasms; standard normal,
correlations 0.3-0.5) and a personal response to the treatment. At visit ``v`` a trait is
``trait - effect * progress(v) * response + visit noise``, where ``progress`` runs from 0 at the
first visit to 1 at the last. Every item is ``clip(round(centre + spread * trait + item
offset + noise), low, high)``; PSQI clock times, minutes and hours come from the sleep trait.

``python -m msrelax_stats sample --out data/sample`` calls :func:`write_sample`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["make_sample", "write_sample"]

_EFFECT = {"fatigue": 0.9, "sleep": 0.8, "sleepiness": 0.3, "spasm": 0.45}
_CORRELATION = np.array(
    [[1.0, 0.5, 0.4, 0.3], [0.5, 1.0, 0.3, 0.4], [0.4, 0.3, 1.0, 0.2], [0.3, 0.4, 0.2, 1.0]]
)
_PSQI_5 = list("bcdefghi")
_NAMES_FIRST = [
    "Ayşe",
    "Şükrü",
    "Gülşen",
    "Çağla",
    "Ilgın",
    "Işıl",
    "Barış",
    "Şebnem",
    "Tuğba",
    "Özgür",
    "Gökhan",
    "Yağmur",
    "Hülya",
    "Doğa",
    "Ümit",
    "Anna",
]
_NAMES_LAST = [
    "Yılmaz",
    "Kılıç",
    "Doğan",
    "Şahin",
    "Çelik",
    "Öztürk",
    "Ağaoğlu",
    "Müller",
    "Erdoğan",
    "Aydın",
]
_FIXED_TIME = "2024-01-01T00:00:00Z"


def _items(rng, trait, n_items, centre, spread, noise, low, high):
    """Integer answers, shape (rows, n_items), from a latent trait of shape (rows,)."""
    offsets = rng.normal(0.0, 0.3, n_items)
    raw = centre + spread * trait[:, None] + offsets + rng.normal(0.0, noise, (trait.size, n_items))
    return np.clip(np.rint(raw), low, high)


def _clock(minutes: np.ndarray, step: int = 15) -> np.ndarray:
    """``"HH:MM"`` text of minutes after midnight, rounded to ``step`` minutes."""
    minutes = np.rint(minutes / float(step)).astype(int) * step % 1440
    return np.char.add(
        np.char.add(np.char.zfill((minutes // 60).astype(str), 2), ":"),
        np.char.zfill((minutes % 60).astype(str), 2),
    )


def make_sample(
    n: int = 32,
    seed: int = 1,
    *,
    visits: Sequence[str] = ("pre", "post"),
    arms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """A synthetic, reproducible pre/post study in the long layout with raw-looking cells.

    Parameters
    ----------
    n : int
        Participants (ids ``P01``, ``P02``, ...).
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same table.
    visits : sequence of str
        Visit labels in order; the treatment effect grows linearly from the first to the last.
    arms : sequence of str, optional
        Arm labels for a ``group`` column (assigned at random, balanced); the first arm gets
        the full treatment effect, the others a quarter of it. ``None``: one group, no column.

    Returns
    -------
    DataFrame
        One row per participant per visit: ``id``, ``time``, (``group``), ``age``, ``sex``,
        ``edss``, FSS 1-9, all PSQI items (clock times as ``"HH:MM"`` text), MFIS 1-21,
        ESS 1-8, ISI 1-7, ``psfs_frequency``, ``psfs_severity`` (blank when the frequency is
        0), ``nrs_spasticity``. Four item cells are blank and one participant has no row
        for the last visit.

    Notes
    -----
    Item = clip(round(centre + spread x trait + offset + noise)); trait at visit v =
    person trait - effect x v / (k - 1) x personal response + N(0, 0.35). See the module
    docstring. The data are synthetic and must be labelled so wherever they are shown.

    Examples
    --------
    >>> study = make_sample()
    >>> study.shape[0], study["id"].nunique()
    (63, 32)
    """
    rng = np.random.default_rng(seed)
    k = len(visits)
    person = rng.multivariate_normal(np.zeros(4), _CORRELATION, n)
    response = np.clip(1.0 + 0.5 * rng.standard_normal(n), 0.0, None)
    if arms is not None:
        group = np.asarray(arms, dtype=object)[rng.permutation(np.arange(n) % len(arms))]
        response = response * np.where(group == arms[0], 1.0, 0.25)
    progress = np.arange(k) / (k - 1)
    pid = np.repeat(np.arange(n), k)  # rows: participant-major, then visit
    shift = np.repeat(response, k) * np.tile(progress, n)
    trait = {
        name: person[pid, j] - _EFFECT[name] * shift + rng.normal(0.0, 0.35, n * k)
        for j, name in enumerate(_EFFECT)
    }
    fatigue, sleep, sleepiness, spasm = trait.values()
    table = {
        "id": np.char.add("P", np.char.zfill((pid + 1).astype(str), max(2, len(str(n))))),
        "time": np.tile(np.asarray(visits, dtype=object), n),
    }
    if arms is not None:
        table["group"] = group[pid]
    age = np.clip(np.rint(38 + 9 * rng.standard_normal(n)), 20, 65)
    edss = np.clip(np.rint((2.5 + 1.2 * rng.standard_normal(n)) * 2) / 2, 0.0, 6.5)
    table |= {
        "age": age[pid],
        "sex": np.where(rng.random(n) < 0.7, "F", "M")[pid],
        "edss": edss[pid],
    }
    table |= _numbered("fss", _items(rng, fatigue, 9, 5.5, 1.0, 0.8, 1, 7))
    table |= _psqi(rng, sleep, fatigue, spasm, person[pid, 1])
    table |= _numbered("mfis", _items(rng, fatigue, 21, 1.9, 0.7, 0.7, 0, 4))
    table |= _numbered("ess", _items(rng, sleepiness, 8, 1.1, 0.5, 0.7, 0, 3))
    table |= _numbered("isi", _items(rng, sleep, 7, 1.5, 0.7, 0.6, 0, 4))
    frequency = _items(rng, spasm, 1, 1.4, 1.0, 0.6, 0, 4)[:, 0]
    severity = _items(rng, spasm, 1, 1.8, 0.6, 0.5, 1, 3)[:, 0]
    table["psfs_frequency"] = frequency
    table["psfs_severity"] = np.where(frequency > 0, severity, np.nan)
    table["nrs_spasticity"] = _items(rng, spasm, 1, 4.0, 2.0, 1.0, 0, 10)[:, 0]
    df = pd.DataFrame(table)
    items = [
        c
        for c in df.columns
        if c[:4] in ("fss_", "mfis", "isi_") or c in [f"psqi_5{x}" for x in _PSQI_5]
    ]
    rows = rng.choice(n * k, 4, replace=False)
    cols = rng.choice(len(items), 4, replace=False)
    for row, col in zip(rows, cols, strict=True):  # four cells, not a loop over participants
        df.loc[row, items[col]] = np.nan
    dropout = rng.integers(n) * k + k - 1
    df = df.drop(index=dropout).reset_index(drop=True)
    integer = [c for c in df.columns if df[c].dtype == float and c not in ("edss", "psqi_4")]
    return df.astype(dict.fromkeys(integer, "Int64")).astype({"id": object, "sex": object})


def _numbered(prefix: str, values: np.ndarray) -> dict[str, np.ndarray]:
    return {f"{prefix}_{i + 1}": values[:, i] for i in range(values.shape[1])}


def psqi_timing(noise: np.ndarray, sleep: np.ndarray, chronotype: np.ndarray, *,
                latency: tuple[float, float, float] = (20, 0.55, 0.35),
                hours: tuple[float, float] = (6.4, 0.9), awake: float = 0.6,
                bed_shift: float = 35, clock_step: int = 15) -> dict[str, np.ndarray]:  # fmt: skip
    """PSQI questions 1-4 (bed time, minutes to fall asleep, getting-up time, hours asleep)
    from the sleep trait, rows of ``noise`` 0-3 and the chronotype; the shared model of the
    one-group and the controlled sample (their own coefficients)."""
    median, slope, spread = latency
    minutes = np.exp(np.log(median) + slope * sleep + spread * noise[0])
    minutes = np.clip(np.rint(minutes / 5) * 5, 5, 120)
    asleep = np.clip(np.rint((hours[0] - hours[1] * sleep + 0.4 * noise[1]) * 2) / 2, 3.0, 9.0)
    awake_h = np.clip(awake + 0.5 * sleep + 0.3 * noise[2], 0.1, 3.0) + minutes / 60
    bed = 23 * 60 + bed_shift * chronotype + 15 * sleep + 10 * noise[3]
    bed = np.rint(bed / 15) * 15
    return {"psqi_1": _clock(bed, clock_step), "psqi_2": minutes,
            "psqi_3": _clock(bed + (asleep + awake_h) * 60, clock_step), "psqi_4": asleep}  # fmt: skip


def _psqi(rng, sleep, fatigue, spasm, chronotype) -> dict[str, np.ndarray]:
    """PSQI answers from the sleep trait: clock times, minutes, hours and 0-3 items."""
    noise = rng.standard_normal((6, sleep.size))
    out = psqi_timing(noise, sleep, chronotype)
    out["psqi_5a"] = _items(rng, sleep, 1, 1.4, 0.8, 0.5, 0, 3)[:, 0]
    disturbances = _items(rng, sleep, 8, 0.9, 0.6, 0.7, 0, 3)
    out |= {f"psqi_5{x}": disturbances[:, i] for i, x in enumerate(_PSQI_5)}
    other = _items(rng, spasm, 1, -0.4, 0.8, 0.5, 0, 3)[:, 0]
    out["psqi_5j"] = other
    described = (other > 0) & (noise[4] > -1.0)
    out["psqi_5j_text"] = np.where(described, "leg spasms at night", None)
    out["psqi_6"] = _items(rng, sleep, 1, 1.5, 0.7, 0.5, 0, 3)[:, 0]
    out["psqi_7"] = _items(rng, sleep, 1, -0.1, 0.6, 0.6, 0, 3)[:, 0]
    daytime = 0.5 * sleep + 0.3 * fatigue
    out["psqi_8"] = _items(rng, daytime, 1, 0.9, 1.0, 0.6, 0, 3)[:, 0]
    out["psqi_9"] = _items(rng, daytime, 1, 1.2, 1.0, 0.6, 0, 3)[:, 0]
    return out


def wide_sample(long: pd.DataFrame) -> pd.DataFrame:
    """The long sample in the wide layout: ``<item>_<visit>`` columns, one row per person.

    ``group``, ``age``, ``sex`` and ``edss`` stay unsuffixed; a missed visit leaves its cells
    blank.
    """
    fixed = [c for c in ("id", "group", "age", "sex", "edss") if c in long.columns]
    items = [c for c in long.columns if c not in fixed and c != "time"]
    visits = list(dict.fromkeys(long["time"]))
    per_person = long.drop_duplicates("id").set_index("id")[fixed[1:]]
    spread = long.set_index(["id", "time"])[items].unstack("time")
    spread = spread.reindex(columns=pd.MultiIndex.from_product([items, visits]))
    spread.columns = [f"{item}_{visit}" for item, visit in spread.columns]
    return per_person.join(spread).reset_index()


def write_sample(out_dir: str | Path, n: int = 32, seed: int = 1) -> list[Path]:
    """Write the sample study files and their README; the same seed gives the same bytes.

    Parameters
    ----------
    out_dir : str or Path
        A folder (created if needed) receiving ``pmr_study.csv`` (long, comma),
        ``pmr_study_wide.csv``, ``pmr_study_semicolon.csv`` (semicolons, decimal commas,
        cp1254, with a ``name`` column of Turkish names), ``pmr_study.xlsx``,
        ``pmr_study.sav`` (value labels on some items) and ``README.md``. A path ending in
        ``.csv`` receives only the long CSV.
    n, seed : int
        Passed to :func:`make_sample`.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_sample(tmp)][:2]
    ['pmr_study.csv', 'pmr_study_wide.csv']
    """
    long = make_sample(n, seed)
    out = Path(out_dir)
    if out.suffix.lower() == ".csv":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(long.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        out / f"pmr_study{s}" for s in (".csv", "_wide.csv", "_semicolon.csv", ".xlsx", ".sav")
    ]
    paths[0].write_text(long.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    paths[1].write_text(
        wide_sample(long).to_csv(index=False, lineterminator="\n"), encoding="utf-8"
    )
    rng = np.random.default_rng(seed)
    first = rng.choice(_NAMES_FIRST, n)
    last = rng.choice(_NAMES_LAST, n)
    names = pd.Series(np.char.add(np.char.add(first, " "), last), index=long["id"].unique())
    local = long.copy()
    local.insert(1, "name", names.loc[long["id"]].to_numpy())
    text = local.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    paths[2].write_bytes(text.encode("cp1254"))
    paths[3].write_bytes(_xlsx_bytes(long))
    _write_sav(long, paths[4])
    readme = out / "README.md"
    readme.write_text(_README.format(n=n, seed=seed, rows=len(long)), encoding="utf-8")
    return [*paths, readme]


def _xlsx_bytes(df: pd.DataFrame) -> bytes:
    """An .xlsx whose bytes depend only on ``df`` (fixed zip dates and document dates)."""
    buffer = io.BytesIO()
    df.to_excel(buffer, index=False, sheet_name="study", engine="openpyxl")
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(fixed, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", _FIXED_TIME.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


def _write_sav(df: pd.DataFrame, path: Path) -> None:
    """SPSS file with value labels; the header's creation date is fixed for reproducibility."""
    import pyreadstat

    frame = df.copy()
    numbers = frame.select_dtypes(include="number").columns
    frame[numbers] = frame[numbers].astype(float)
    text = [c for c in frame.columns if c not in numbers]
    frame[text] = frame[text].astype(object).fillna("")
    labels = {"psqi_6": {0: "very good", 1: "fairly good", 2: "fairly bad", 3: "very bad"}}
    labels |= dict.fromkeys(
        [f"fss_{i}" for i in range(1, 10)], {1: "strongly disagree", 7: "strongly agree"}
    )
    labels["psfs_frequency"] = {
        0: "none",
        1: "on stimulation",
        2: "< 1 per hour",
        3: "> 1 per hour",
        4: "> 10 per hour",
    }
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels)
    data = bytearray(path.read_bytes())
    data[92:109] = b"01 Jan 2400:00:00"  # creation date (9 bytes) and time (8 bytes)
    path.write_bytes(bytes(data))


_README = """\
# Sample study (SYNTHETIC)

**These data are synthetic.** No real person's answers are in them. They imitate a single-group
pre/post study of progressive muscle relaxation in people with multiple sclerosis (after
Dayapoglu & Tan 2012): {n} participants, visits `pre` and `post` (6 weeks), {rows} rows.

Made by `python -m msrelax_stats sample --out data/sample` (seed {seed}), i.e.
`msrelax_stats.sample.write_sample("data/sample", n={n}, seed={seed})`. The same seed gives
byte-identical files. Answers come from correlated latent traits per person (fatigue, poor
sleep, sleepiness, spasms) with a personal treatment response; see `msrelax_stats/sample.py`.
Four item cells are blank and one participant has no `post` visit.

| file | what it shows |
|---|---|
| `pmr_study.csv` | long layout, comma-separated, UTF-8 |
| `pmr_study_wide.csv` | wide layout: `fss_1_pre`, `fss_1_post`, ...; `age`, `sex`, `edss` unsuffixed |
| `pmr_study_semicolon.csv` | long, `;` delimiter, decimal commas, cp1254 (Turkish Windows) encoding, a `name` column with invented Turkish names |
| `pmr_study.xlsx` | long layout, sheet `study` |
| `pmr_study.sav` | SPSS; value labels on `fss_*`, `psqi_6`, `psfs_frequency` (codes are the data) |

Columns: `id` (`P01`...), `time` (`pre`/`post`), `age`, `sex`, `edss`; `fss_1`-`fss_9` (1-7);
PSQI `psqi_1` bed time and `psqi_3` getting-up time (`HH:MM`), `psqi_2` minutes to fall
asleep, `psqi_4` hours of sleep, `psqi_5a`-`psqi_5j` (0-3), `psqi_5j_text`, `psqi_6`-`psqi_9`
(0-3); `mfis_1`-`mfis_21` (0-4); `ess_1`-`ess_8` (0-3); `isi_1`-`isi_7` (0-4);
`psfs_frequency` (0-4), `psfs_severity` (1-3, blank when the frequency is 0);
`nrs_spasticity` (0-10).
"""
