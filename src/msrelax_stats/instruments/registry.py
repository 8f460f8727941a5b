"""Which instruments exist, and what the statistics and report layers need to know about them.

The built-in instruments are listed in :data:`BUILTIN`; user-defined ones join with
:func:`register` (``score`` registers every custom instrument it scores, so the outcome list
and the report see them too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from msrelax_stats.instruments.ess import ESS
from msrelax_stats.instruments.fsmc import FSMC
from msrelax_stats.instruments.fss import FSS
from msrelax_stats.instruments.hads import HADS
from msrelax_stats.instruments.isi import ISI
from msrelax_stats.instruments.mfis import MFIS
from msrelax_stats.instruments.nrs import NRS
from msrelax_stats.instruments.psfs import PSFS
from msrelax_stats.instruments.psqi import PSQI
from msrelax_stats.instruments.spec import InstrumentSpec, Score

__all__ = [
    "BUILTIN",
    "OutcomeInfo",
    "all_instruments",
    "caseness_columns",
    "headline_outcomes",
    "instrument_spec",
    "outcome_columns",
    "outcome_info",
    "present_instruments",
    "register",
]

BUILTIN: tuple[InstrumentSpec, ...] = (FSS, PSQI, MFIS, ESS, ISI, HADS, FSMC, PSFS, NRS)
_CUSTOM: dict[str, InstrumentSpec] = {}


@dataclass(frozen=True)
class OutcomeInfo:
    """What the results table and the report say about one score column."""

    name: str
    label: str
    instrument: str
    unit: str
    better: Literal["lower", "higher"]
    mcid: float | None
    mcid_kind: Literal["points", "percent"]
    mcid_source: str


def register(spec: InstrumentSpec) -> InstrumentSpec:
    """Make a user-defined instrument known to :func:`outcome_columns` and friends.

    A custom instrument may not reuse the name of a built-in one.
    """
    if any(spec.name == b.name for b in BUILTIN):
        raise ValueError(f"{spec.name!r} is a built-in instrument; choose another name")
    _CUSTOM[spec.name] = spec
    return spec


def all_instruments() -> list[InstrumentSpec]:
    """Built-in instruments in their fixed order, then the registered custom ones."""
    return [*BUILTIN, *_CUSTOM.values()]


def instrument_spec(name: str) -> InstrumentSpec:
    """The spec of an instrument by name (``"psqi"``, ``"FSS"``).

    Examples
    --------
    >>> instrument_spec("FSS").citation.startswith("Krupp LB")
    True
    """
    key = name.lower()
    for spec in all_instruments():
        if spec.name == key:
            return spec
    known = [s.name for s in all_instruments()]
    raise KeyError(f"unknown instrument {name!r}; known: {known}")


def present_instruments(columns: Iterable[str]) -> list[InstrumentSpec]:
    """Instruments with at least one item or score column among ``columns``."""
    columns = list(columns)
    found = []
    for spec in all_instruments():
        spec_here = spec.expanded(columns)
        names = set(spec_here.item_columns) | {s.name for s in spec_here.scores}
        if names & set(columns):
            found.append(spec)
    return found


def _reported(spec: InstrumentSpec, columns: list[str]) -> list[Score]:
    full = [s for s in spec.scores if s.outcome and not s.short_form and s.name in columns]
    short = [s for s in spec.scores if s.outcome and s.short_form and s.name in columns]
    return full or short


def outcome_columns(columns: Iterable[str], instruments: Iterable[str] | None = None) -> list[str]:
    """Reported outcomes present in ``columns``, in a fixed order (STATISTICS.md).

    Short forms (``mfis5_total``, ``fss7_mean``) only when the full form is absent.
    ``instruments`` (names such as ``"fss"``) keeps the outcomes of those instruments only.

    Examples
    --------
    >>> outcome_columns(["id", "fss_sum", "psqi_global", "fss_mean", "psqi_c1"])
    ['fss_mean', 'psqi_global', 'psqi_c1']
    >>> outcome_columns(["fss_mean", "psqi_global", "psqi_c1"], instruments=["psqi"])
    ['psqi_global', 'psqi_c1']
    """
    columns = list(columns)
    chosen = None if instruments is None else {str(name).lower() for name in instruments}
    out = []
    for spec in all_instruments():
        if chosen is not None and spec.name.lower() not in chosen:
            continue
        out += [s.name for s in _reported(spec.expanded(columns), columns)]
    return out


def headline_outcomes(columns: Iterable[str]) -> list[str]:
    """The headline score(s) of each instrument among the reported outcomes in ``columns``.

    A reported outcome is a *subscale*, not a headline, when its spec says so
    (``Score.subscale_of``: the PSQI components) or when its items are a strict subset of the
    items of another reported outcome of the same instrument (``mfis_physical`` within
    ``mfis_total``, ``fsmc_motor`` within ``fsmc_total``). Disjoint scores (``hads_anxiety``
    and ``hads_depression``, each ``nrs_*``) are all headlines; so is a short form reported
    alone (``mfis5_total``). Order as :func:`outcome_columns`.

    Examples
    --------
    >>> headline_outcomes(["fss_mean", "psqi_global", "psqi_c1", "mfis_total",
    ...                    "mfis_physical", "hads_anxiety", "hads_depression"])
    ['fss_mean', 'psqi_global', 'mfis_total', 'hads_anxiety', 'hads_depression']
    """
    columns = list(columns)
    reported = set(outcome_columns(columns))
    out = []
    for spec in all_instruments():
        scores = [s for s in spec.expanded(columns).scores if s.name in reported]
        for score in scores:
            within = any(score.items and set(score.items) < set(other.items) for other in scores)
            if not score.subscale_of and not within:
                out.append(score.name)
    return out


def caseness_columns(columns: Iterable[str]) -> list[str]:
    """Caseness flags present in ``columns`` (``fss_fatigued``, ``psqi_poor``, ...), in order."""
    columns = list(columns)
    return [c.name for s in all_instruments() for c in s.cutoffs if c.name in columns]


def outcome_info(name: str) -> OutcomeInfo:
    """Label, instrument, unit, direction and MCID of one score column.

    Examples
    --------
    >>> info = outcome_info("fss_mean")
    >>> info.label, info.unit, info.better, info.mcid, info.mcid_source
    ('FSS mean', 'points, 1-7', 'lower', 0.45, 'Rooney 2019 (MS)')
    """
    for spec in all_instruments():
        spec_here = spec.expanded([name])
        ranges = spec_here.output_ranges()
        for score in spec_here.scores:
            if score.name == name:
                low, high = ranges[name]
                return OutcomeInfo(
                    name=name,
                    label=score.label or name,
                    instrument=spec.name.upper(),
                    unit=f"points, {low:g}-{high:g}",
                    better=spec.better,
                    mcid=score.mcid,
                    mcid_kind=score.mcid_kind,
                    mcid_source=score.mcid_source,
                )
    raise KeyError(f"{name!r} is not a score of any known instrument")
