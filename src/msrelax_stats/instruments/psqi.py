"""PSQI - Pittsburgh Sleep Quality Index (Buysse 1989): the one instrument with custom arithmetic.

Seven components (0-3 each) from 18 answers, by the University of Pittsburgh scoring rules with
every bound explicit (INSTRUMENTS.md). Clock times are whole minutes after midnight and hours
are whole tenths of a second (``round(hours x 36000)``), so every bin boundary is an exact
integer comparison: an efficiency of exactly 85 % (6.8 h asleep in 8 h in bed) is 85 %, not
84.999... as in binary floating point.

Options (``score(df, psqi={...})``):

``duration_rule``
    ``"pittsburgh"`` (default): C3 = 0 for >= 7 h, 1 for [6, 7), 2 for [5, 6), 3 for < 5 h;
    ``"paper"`` (Buysse 1989 wording): 0 for > 7 h, 1 for [6, 7], 2 for [5, 6), 3 for < 5 h.
``efficiency_over_100``
    ``"score"`` (default): more sleep than time in bed gives C4 = 0 and a flag;
    ``"missing"``: C4 missing.
``max_missing_components``
    0 (default, strict): the global score needs all seven components; k > 0 prorates the
    global as 7/n x the sum of the n >= 7 - k components present (flagged).

Flags (``psqi_flags``, ";"-joined): ``not answered``, ``missing:<column>`` per missing answer
that a component needs, ``time_in_bed_zero`` (bed time equals getting-up time: C4 missing),
``efficiency_over_100``, ``q5j_without_text`` (Q5j answered but its description blank: counted
0), ``prorated:psqi_global``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from msrelax_stats.data.times import clock_minutes
from msrelax_stats.instruments.engine import cutoff_flag, item_matrix, join_flags
from msrelax_stats.instruments.spec import Cutoff, InstrumentSpec, Reference, Score

__all__ = ["PSQI", "score_psqi"]

_DISTURBANCES = tuple(f"5{c}" for c in "bcdefghi")
_NUMERIC = ("1", "2", "3", "4", "5a", *_DISTURBANCES, "5j", "6", "7", "8", "9")
#: The seven components: label and the short label of axis ticks (the one list of them).
_COMPONENTS = (
    ("subjective sleep quality", "C1 quality"),
    ("sleep latency", "C2 latency"),
    ("sleep duration", "C3 duration"),
    ("habitual sleep efficiency", "C4 effic."),
    ("sleep disturbances", "C5 disturb."),
    ("use of sleep medication", "C6 medic."),
    ("daytime dysfunction", "C7 daytime"),
)
#: Published answer wording of the PSQI (Buysse 1989), lowest code (0) first.
_FREQUENCY = ("Not during the past month", "Less than once a week", "Once or twice a week",
              "Three or more times a week")  # fmt: skip
_QUALITY = ("Very good", "Fairly good", "Fairly bad", "Very bad")
_PROBLEM = ("No problem at all", "Only a very slight problem", "Somewhat of a problem",
            "A very big problem")  # fmt: skip
_OPTIONS = {
    "duration_rule": ("pittsburgh", "paper"),
    "efficiency_over_100": ("score", "missing"),
}

PSQI = InstrumentSpec(
    name="psqi",
    title="Pittsburgh Sleep Quality Index",
    items=(*_NUMERIC[:15], "5j_text", *_NUMERIC[15:]),
    item_min=0,
    item_max=3,
    item_kinds={"1": "clock", "2": "minutes", "3": "clock", "4": "hours", "5j_text": "text"},
    item_ranges={"2": (0, None), "4": (0, 24)},
    scores=(
        Score(
            "psqi_global",
            (),
            label="PSQI global",
            mcid=3.0,
            mcid_source="commonly used, not MS-specific",
        ),
        *(
            Score(
                f"psqi_c{i}", (), label=f"PSQI C{i} {name}", role="component", short_label=short
            )  # fmt: skip
            for i, (name, short) in enumerate(_COMPONENTS, start=1)
        ),
    ),
    extra_outputs={
        "psqi_global": (0.0, 21.0),
        **{f"psqi_c{i}": (0.0, 3.0) for i in range(1, 8)},
        "psqi_time_in_bed_h": (0.0, 24.0),
        "psqi_efficiency": (0.0, np.inf),
    },
    cutoffs=(Cutoff("psqi_poor", "psqi_global", 5.0, ">", "poor sleepers", "Buysse 1989"),),
    scorer="psqi",
    # REDCap Shared Library PSQI: psqi_5other (description of 5j), psqi_5othera (its
    # frequency); Qualtrics matrix question 5: psqi_5_1 .. psqi_5_10, psqi_5_10_text.
    column_aliases={
        "5other": "5j_text",
        "5othera": "5j",
        "5_10_text": "5j_text",
        **{f"5_{k}": f"5{c}" for k, c in enumerate("abcdefghij", start=1)},
    },
    choices={
        **{f"5{c}": _FREQUENCY for c in "abcdefghij"},
        "6": _QUALITY,
        "7": _FREQUENCY,
        "8": _FREQUENCY,
        "9": _PROBLEM,
    },
    options={
        "duration_rule": "pittsburgh",
        "efficiency_over_100": "score",
        "max_missing_components": 0,
    },
    references=(
        Reference(
            "Buysse 1989",
            "Buysse DJ, Reynolds CF 3rd, Monk TH, Berman SR, Kupfer DJ. The Pittsburgh Sleep "
            "Quality Index: a new instrument for psychiatric practice and research. "
            "Psychiatry Res. 1989;28(2):193-213.",
        ),
    ),
    rule_text=(
        "sleep quality with the Pittsburgh Sleep Quality Index (PSQI; Buysse 1989) as seven "
        "component scores (0-3) and their sum, the global score (0-21, higher = worse), by the "
        "University of Pittsburgh rules with time in bed taken across midnight and sleep "
        "efficiency compared exactly (no rounding); {duration_rule}; efficiency above 100 % "
        "{efficiency_over_100}; item 5j counted only when its description was given (when "
        "the description was recorded); {max_missing_components}; poor sleep defined as a "
        "global score above {psqi_poor}"
    ),
    option_texts={
        "duration_rule": {
            "pittsburgh": "sleep duration of 7 h or more scored 0, 6 h to under 7 h 1, 5 h to "
            "under 6 h 2 and under 5 h 3 (University of Pittsburgh rule)",
            "paper": "sleep duration of more than 7 h scored 0, 6 h to 7 h 1, 5 h to under "
            "6 h 2 and under 5 h 3 (wording of Buysse 1989)",
        },
        "efficiency_over_100": {"score": "scored 0 and flagged", "missing": "treated as missing"},
        "max_missing_components": {
            0: "a global score needed all seven components",
            **{
                k: f"the global score was prorated (7/n x sum of the n components present) "
                f"with up to {k} missing component{'s' if k > 1 else ''}"
                for k in range(1, 7)
            },
        },
    },
    licence=(
        "Copyright University of Pittsburgh; free for non-commercial research use. "
        "msrelax_stats ships no item text."
    ),
)


def _bin(value: np.ndarray, bounds: list[np.ndarray]) -> np.ndarray:
    """0, 1, 2 for the first bound that holds, 3 otherwise; NaN where ``value`` is NaN."""
    out = np.select(bounds, [0.0, 1.0, 2.0], 3.0)
    return np.where(np.isnan(value), np.nan, out)


def _check_options(options: dict) -> int:
    for name, allowed in _OPTIONS.items():
        if options[name] not in allowed:
            raise ValueError(f"psqi: {name} must be one of {list(allowed)}")
    k = options["max_missing_components"]
    if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k <= 6:
        raise ValueError("psqi: max_missing_components must be an integer 0-6")
    return k


def score_psqi(df: pd.DataFrame, spec: InstrumentSpec = PSQI) -> dict[str, object]:
    """Score the PSQI: seven components, global, poor-sleeper flag, efficiency, time in bed.

    Parameters
    ----------
    df : pandas.DataFrame
        Canonical table: ``psqi_1``/``psqi_3`` as ``"HH:MM"`` text, the other answers float64.
    spec : InstrumentSpec
        :data:`PSQI` with options applied (``PSQI.with_options(duration_rule="paper")``).

    Returns
    -------
    dict
        ``psqi_c1`` ... ``psqi_c7``, ``psqi_global`` (float64), ``psqi_poor`` (boolean),
        ``psqi_time_in_bed_h``, ``psqi_efficiency`` (float64, percent),
        ``psqi_n_answered`` (int64), ``psqi_flags`` (text).

    Notes
    -----
    With bed time :math:`b` and getting-up time :math:`r` in minutes after midnight,
    time in bed is :math:`T = (r - b) \\bmod 1440` minutes and, with :math:`S` hours asleep,
    efficiency is :math:`100 S / (T/60)`. Bins compare integers: for example C4 = 0 when
    :math:`100 \\cdot \\mathrm{round}(36000 S) \\ge 85 \\cdot 600 T`.

    - C1 = Q6; C6 = Q7.
    - C2 = ceil((L + Q5a) / 2) with L = 0 for Q2 <= 15 min, 1 for (15, 30], 2 for (30, 60],
      3 for > 60.
    - C3 from Q4: >= 7 h -> 0, [6, 7) -> 1, [5, 6) -> 2, < 5 -> 3 (``duration_rule``).
    - C4 from efficiency: >= 85 % -> 0, [75, 85) -> 1, [65, 75) -> 2, < 65 -> 3.
    - C5 = ceil((Q5b + ... + Q5i + Q5j) / 9); Q5j counts 0 when missing, and when the table
      has ``psqi_5j_text``, also when that text is blank.
    - C7 = ceil((Q8 + Q9) / 2). Global = C1 + ... + C7; poor sleeper when global > 5.

    References
    ----------
    Buysse DJ et al. Psychiatry Res. 1989;28(2):193-213. University of Pittsburgh, PSQI
    scoring instructions (Sleep Medicine Institute).

    Examples
    --------
    >>> import pandas as pd
    >>> answers = {"psqi_1": ["23:30"], "psqi_2": [20.0], "psqi_3": ["06:30"], "psqi_4": [6.0],
    ...            "psqi_5a": [1.0], "psqi_5b": [2.0], "psqi_5c": [1.0], "psqi_5d": [0.0],
    ...            "psqi_5e": [0.0], "psqi_5f": [1.0], "psqi_5g": [0.0], "psqi_5h": [0.0],
    ...            "psqi_5i": [0.0], "psqi_5j": [0.0], "psqi_6": [1.0], "psqi_7": [0.0],
    ...            "psqi_8": [0.0], "psqi_9": [1.0]}
    >>> score_psqi(pd.DataFrame(answers))["psqi_global"]
    array([5.])
    """
    options = {**PSQI.options, **spec.options}
    k = _check_options(options)
    col = spec.column
    n = len(df)
    if not any(c in df.columns for c in spec.item_columns):
        if "psqi_global" in df.columns:
            global_ = item_matrix(df, ["psqi_global"])[:, 0]
            return {"psqi_poor": cutoff_flag(global_, spec.cutoffs[0])}
        return {}
    numeric = [i for i in _NUMERIC if i not in ("1", "3")]
    answers = dict(zip(numeric, item_matrix(df, [col(i) for i in numeric]).T, strict=True))
    nan = np.full(n, np.nan)
    bed = clock_minutes(df[col("1")]) if col("1") in df.columns else nan
    rise = clock_minutes(df[col("3")]) if col("3") in df.columns else nan
    answers["1"], answers["3"] = bed, rise

    c1 = answers["6"]

    latency = np.round(answers["2"] * 600)  # tenths of a second
    latency_score = _bin(latency, [latency <= 9000, latency <= 18000, latency <= 36000])
    c2 = np.ceil((latency_score + answers["5a"]) / 2)

    asleep = np.round(answers["4"] * 36000)  # tenths of a second
    if options["duration_rule"] == "paper":
        first = asleep > 252000
    else:
        first = asleep >= 252000
    c3 = _bin(asleep, [first, asleep >= 216000, asleep >= 180000])

    in_bed_minutes = np.mod(rise - bed, 1440)
    in_bed = in_bed_minutes * 600  # tenths of a second
    zero = in_bed == 0
    over = (asleep > in_bed) & ~zero
    percent = 100 * asleep
    known = percent + in_bed  # NaN when either input is missing
    c4 = _bin(known, [percent >= 85 * in_bed, percent >= 75 * in_bed, percent >= 65 * in_bed])
    c4 = np.where(zero, np.nan, c4)
    if options["efficiency_over_100"] == "missing":
        c4 = np.where(over, np.nan, c4)
    with np.errstate(divide="ignore", invalid="ignore"):
        efficiency = np.where(zero, np.nan, percent / in_bed)

    q5j = np.nan_to_num(answers["5j"], nan=0.0)
    no_text = np.zeros(n, dtype=bool)
    if col("5j_text") in df.columns:
        blank = df[col("5j_text")].isna().to_numpy()
        no_text = blank & (q5j > 0)
        q5j = np.where(blank, 0.0, q5j)
    disturbances = sum(answers[i] for i in _DISTURBANCES) + q5j
    c5 = np.ceil(disturbances / 9)

    c6 = answers["7"]
    c7 = np.ceil((answers["8"] + answers["9"]) / 2)

    components = np.column_stack([c1, c2, c3, c4, c5, c6, c7])
    present = np.sum(~np.isnan(components), axis=1)
    total = np.nansum(components, axis=1)
    enough = (present >= 7 - k) & (present > 0)
    safe = np.where(present > 0, present, 1)
    global_ = np.where(present == 7, total, np.where(enough, 7 * total / safe, np.nan))

    out: dict[str, object] = {f"psqi_c{i}": components[:, i - 1] for i in range(1, 8)}
    out["psqi_global"] = global_
    out["psqi_poor"] = cutoff_flag(global_, spec.cutoffs[0])
    out["psqi_time_in_bed_h"] = in_bed_minutes / 60
    out["psqi_efficiency"] = efficiency
    answered = {i: ~np.isnan(v) for i, v in answers.items()}
    present_items = [i for i in _NUMERIC if col(i) in df.columns]
    out["psqi_n_answered"] = np.sum([answered[i] for i in present_items], axis=0).astype("int64")
    nothing = ~np.any([answered[i] for i in _NUMERIC], axis=0)
    needed = [i for i in _NUMERIC if i != "5j"]
    out["psqi_flags"] = join_flags(
        n,
        [
            (nothing, "not answered"),
            *((~answered[i] & ~nothing, f"missing:{col(i)}") for i in needed),
            (zero, "time_in_bed_zero"),
            (over, "efficiency_over_100"),
            (no_text, "q5j_without_text"),
            (enough & (present < 7), "prorated:psqi_global"),
        ],
    )
    return out
