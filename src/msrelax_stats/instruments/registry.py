"""The instrument registry: the one place every layer learns what an instrument and its scores are.

A :class:`Registry` is an immutable list of instrument specs. :data:`DEFAULT` holds the
built-in instruments (:data:`BUILTIN`); :func:`msrelax_stats.score` records the registry it
scored with (the built-ins with the options of the call, e.g. the FSS cut-off, plus any custom
instrument of the call) in the scored table, and :func:`registry_of` gives it back, so the
statistics, figures, tables and methods paragraph of that table read the same labels, units,
cut-offs, rule texts and references. Nothing is registered for the rest of the process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from msrelax_stats.instruments.ess import ESS
from msrelax_stats.instruments.fsmc import FSMC
from msrelax_stats.instruments.fss import FSS
from msrelax_stats.instruments.hads import HADS
from msrelax_stats.instruments.isi import ISI
from msrelax_stats.instruments.mfis import MFIS
from msrelax_stats.instruments.nrs import NRS
from msrelax_stats.instruments.psfs import PSFS
from msrelax_stats.instruments.psqi import PSQI
from msrelax_stats.instruments.spec import Cutoff, InstrumentSpec, Reference, Score

__all__ = [
    "BUILTIN",
    "DEFAULT",
    "OutcomeInfo",
    "Registry",
    "caseness_columns",
    "describe_outcome",
    "headline_outcomes",
    "instrument_spec",
    "numeric_columns",
    "outcome_columns",
    "outcome_info",
    "present_instruments",
    "recognised_columns",
    "registry_of",
]

BUILTIN: tuple[InstrumentSpec, ...] = (FSS, PSQI, MFIS, ESS, ISI, HADS, FSMC, PSFS, NRS)


@dataclass(frozen=True)
class OutcomeInfo:
    """What the results, figures and report say about one score or caseness column.

    ``kind`` is ``"score"`` or ``"caseness"``; ``role`` the score's role (``"headline"``,
    ``"subscale"``, ``"component"``; caseness flags: ``"headline"``); ``unit`` names the
    scale (``"points, 1-7"``; caseness: ``"% of participants"``); ``low``/``high`` the range
    of a score; ``rule`` the caseness rule in symbols (``"PSQI global > 5"``).
    """

    name: str
    label: str
    instrument: str
    unit: str
    better: Literal["lower", "higher"]
    mcid: float | None = None
    mcid_kind: Literal["points", "percent"] = "points"
    mcid_source: str = ""
    role: str = "headline"
    kind: Literal["score", "caseness"] = "score"
    short_label: str = ""
    low: float | None = None
    high: float | None = None
    rule: str = ""


def _score_info(spec: InstrumentSpec, score: Score, low: float, high: float) -> OutcomeInfo:
    return OutcomeInfo(
        name=score.name, label=score.label or score.name, instrument=spec.code,
        unit=f"points, {low:g}-{high:g}", better=spec.better, mcid=score.mcid,
        mcid_kind=score.mcid_kind, mcid_source=score.mcid_source, role=score.role,
        short_label=score.short_label or score.label or score.name, low=low, high=high,
    )  # fmt: skip


def _caseness_info(spec: InstrumentSpec, cutoff: Cutoff) -> OutcomeInfo:
    score = next((s for s in spec.scores if s.name == cutoff.score), None)
    score_label = score.label if score is not None and score.label else cutoff.score
    short = score_label.removeprefix(spec.code).strip() or score_label
    rule = f"{score_label} {cutoff.op} {cutoff.value:g}"
    label = f"{spec.code} {cutoff.label or cutoff.name} ({short} {cutoff.op} {cutoff.value:g})"
    return OutcomeInfo(name=cutoff.name, label=label, instrument=spec.code,
                       unit="% of participants", better=spec.better, kind="caseness",
                       short_label=cutoff.label or cutoff.name, rule=rule)  # fmt: skip


@dataclass(frozen=True)
class Registry:
    """An immutable list of instruments: built-ins (with options applied) and custom ones.

    Examples
    --------
    >>> DEFAULT.outcome_info("fss_mean").label
    'FSS mean'
    >>> DEFAULT.with_instruments([FSS.with_options(cutoff=5)]).outcome_info("fss_fatigued").rule
    'FSS mean >= 5'
    """

    instruments: tuple[InstrumentSpec, ...] = BUILTIN

    def __deepcopy__(self, memo: dict[int, Any]) -> Registry:
        return self  # immutable: pandas deep-copies attrs on every derived table

    def with_instruments(self, specs: Iterable[InstrumentSpec]) -> Registry:
        """A registry where each spec replaces the one of the same name, or is appended."""
        by_name = {spec.name: spec for spec in self.instruments}
        for spec in specs:
            by_name[spec.name] = spec
        return Registry(tuple(by_name.values()))

    def spec(self, name: str) -> InstrumentSpec:
        """The spec of an instrument by name (``"psqi"``, ``"FSS"``)."""
        key = str(name).lower()
        for spec in self.instruments:
            if spec.name == key:
                return spec
        known = [s.name for s in self.instruments]
        raise KeyError(f"unknown instrument {name!r}; known: {known}")

    def present(self, columns: Iterable[str]) -> list[InstrumentSpec]:
        """Instruments with at least one item or score column among ``columns``."""
        columns = set(map(str, columns))
        found = []
        for spec in self.instruments:
            here = spec.expanded(columns)
            if (set(here.item_columns) | {s.name for s in here.scores}) & columns:
                found.append(spec)
        return found

    def outcome_columns(self, columns: Iterable[str],
                        instruments: Iterable[str] | None = None) -> list[str]:  # fmt: skip
        """Reported outcomes present in ``columns``, in a fixed order (STATISTICS.md).

        Short forms (``mfis5_total``, ``fss7_mean``) only when the full form is absent.
        ``instruments`` (names such as ``"fss"``) keeps the outcomes of those instruments only.
        """
        columns = [str(c) for c in columns]
        chosen = None if instruments is None else {str(name).lower() for name in instruments}
        out = []
        for spec in self.instruments:
            if chosen is None or spec.name in chosen:
                here = spec.expanded(columns)
                full = [s for s in here.scores if s.outcome and not s.short_form]
                short = [s for s in here.scores if s.outcome and s.short_form]
                out += [s.name for s in (full if any(s.name in columns for s in full) else short)
                        if s.name in columns]  # fmt: skip
        return out

    def caseness_columns(self, columns: Iterable[str]) -> list[str]:
        """Caseness flags present in ``columns`` (``fss_fatigued``, ``psqi_poor``, ...)."""
        columns = set(map(str, columns))
        return [c.name for s in self.instruments for c in s.cutoffs if c.name in columns]

    def instrument_of(self, name: str) -> InstrumentSpec:
        """The instrument a score or caseness column belongs to."""
        for spec in self.instruments:
            here = spec.expanded([name])
            if name in {s.name for s in here.scores} | {c.name for c in here.cutoffs}:
                return here
        raise KeyError(f"{name!r} is not a score of any known instrument")

    def outcome_info(self, name: str) -> OutcomeInfo:
        """Label, instrument, unit, direction, MCID and role of one score or caseness column.

        Raises
        ------
        KeyError
            When no instrument of the registry has that column.
        """
        spec = self.instrument_of(name)
        for cutoff in spec.cutoffs:
            if cutoff.name == name:
                return _caseness_info(spec, cutoff)
        ranges = spec.output_ranges()
        score = next(s for s in spec.scores if s.name == name)
        low, high = ranges.get(name, (spec.item_min, spec.item_max))
        return _score_info(spec, score, low, high)

    def info(self, names: Iterable[str]) -> dict[str, OutcomeInfo]:
        """:meth:`outcome_info` of each known name (unknown ones are left out)."""
        out = {}
        for name in dict.fromkeys(map(str, names)):
            try:
                out[name] = self.outcome_info(name)
            except KeyError:
                continue
        return out

    def describe(self, name: str) -> OutcomeInfo:
        """:meth:`outcome_info`, or for a column no instrument knows (a score computed
        elsewhere) the column name as label, lower taken as better, no MCID."""
        try:
            return self.outcome_info(name)
        except KeyError:
            return OutcomeInfo(name=name, label=name, instrument=name.split("_")[0].upper(),
                               unit="points", better="lower", short_label=name)  # fmt: skip

    def headline(self, outcomes: Sequence[str]) -> list[str]:
        """The outcomes (in their order) that are the headline score of their instrument:
        role ``"headline"``, or a subscale whose instrument has no headline score among
        ``outcomes`` (a file with the MFIS physical items only); never a component (PSQI
        C1-C7). Unknown outcomes count as headline.

        Examples
        --------
        >>> DEFAULT.headline(["fss_mean", "psqi_global", "psqi_c1", "mfis_physical"])
        ['fss_mean', 'psqi_global', 'mfis_physical']
        >>> DEFAULT.headline(["mfis_total", "mfis_physical"])
        ['mfis_total']
        """
        return headline_outcomes(outcomes, self.info(outcomes))

    def references(self, instruments: Iterable[str]) -> list[Reference]:
        """The references of the given instruments (codes or names), in registry order,
        without repeats."""
        wanted = {str(i).lower() for i in instruments}
        seen: dict[str, Reference] = {}
        for spec in self.instruments:
            if spec.name in wanted or spec.code.lower() in wanted:
                for ref in spec.references:
                    seen.setdefault(ref.key, ref)
        return list(seen.values())


#: The built-in instruments with their default options.
DEFAULT = Registry()


def describe_outcome(info: Mapping[str, OutcomeInfo] | None, name: str) -> OutcomeInfo:
    """``info[name]`` when given (a result's ``info``), else the built-in registry's
    description of ``name``."""
    return info[name] if info is not None and name in info else DEFAULT.describe(name)


def headline_outcomes(outcomes: Sequence[str],
                      info: Mapping[str, OutcomeInfo] | None = None) -> list[str]:  # fmt: skip
    """:meth:`Registry.headline` from the outcomes' descriptions (``PairedResult.info``;
    default: the built-in registry's).

    Examples
    --------
    >>> headline_outcomes(["fss_mean", "psqi_global", "psqi_c1", "mfis_total",
    ...                    "mfis_physical", "hads_anxiety", "hads_depression"])
    ['fss_mean', 'psqi_global', 'mfis_total', 'hads_anxiety', 'hads_depression']
    """
    outcomes = list(outcomes)
    info = DEFAULT.info(outcomes) if info is None else info
    led = {i.instrument for o, i in info.items() if o in outcomes and i.role == "headline"}
    return [o for o in outcomes if o not in info or info[o].role == "headline"
            or (info[o].role == "subscale" and info[o].instrument not in led)]  # fmt: skip


def recognised_columns(specs: Iterable[InstrumentSpec] = BUILTIN) -> dict[str, str]:
    """Every spelling of an item or score column the instruments know -> its canonical column.

    The item and score columns themselves, and each spec's ``column_aliases`` (item names
    of public exports); what :func:`msrelax_stats.data.read.read_table` recognises columns
    by (``known=``).

    Examples
    --------
    >>> recognised_columns()["psqi_5othera"], recognised_columns()["fss_1"]
    ('psqi_5j', 'fss_1')
    """
    out: dict[str, str] = {}
    for spec in specs:
        out.update({c: c for c in spec.item_columns})
        out.update({c: c for c in spec.outputs})
        out.update({spec.column(a): spec.column(i) for a, i in spec.column_aliases.items()})
    return out


def numeric_columns(specs: Iterable[InstrumentSpec] = BUILTIN) -> frozenset[str]:
    """The canonical columns whose answers are numbers: items of kind number, minutes and
    hours, and the numeric score columns; what a text file may hold as plain numbers
    (:func:`msrelax_stats.data.read.read_table`'s ``numbers=``).

    Examples
    --------
    >>> [c in numeric_columns() for c in ("fss_1", "psqi_2", "psqi_1", "psqi_5j_text")]
    [True, True, False, False]
    """
    return frozenset(
        column
        for spec in specs
        for column in (
            *(spec.column(i) for i in spec.items if spec.kind(i) in ("number", "minutes", "hours")),
            *spec.output_ranges(),
        )
    )


def registry_of(table: Any) -> Registry:
    """The registry a table was scored with (``attrs["msrelax"]["registry"]``, written by
    :func:`msrelax_stats.score`), else :data:`DEFAULT`."""
    attrs = getattr(table, "attrs", None) or {}
    found = attrs.get("msrelax", {}).get("registry") if isinstance(attrs, dict) else None
    return found if isinstance(found, Registry) else DEFAULT


# Module-level shortcuts on the built-in registry (notebooks, doctests).


def instrument_spec(name: str) -> InstrumentSpec:
    """The built-in spec of an instrument by name (``"psqi"``, ``"FSS"``).

    Examples
    --------
    >>> instrument_spec("FSS").references[0].key
    'Krupp 1989'
    """
    return DEFAULT.spec(name)


def present_instruments(columns: Iterable[str]) -> list[InstrumentSpec]:
    """Built-in instruments with at least one item or score column among ``columns``."""
    return DEFAULT.present(columns)


def outcome_columns(columns: Iterable[str], instruments: Iterable[str] | None = None) -> list[str]:
    """Reported built-in outcomes present in ``columns``, in a fixed order (STATISTICS.md).

    Examples
    --------
    >>> outcome_columns(["id", "fss_sum", "psqi_global", "fss_mean", "psqi_c1"])
    ['fss_mean', 'psqi_global', 'psqi_c1']
    >>> outcome_columns(["fss_mean", "psqi_global", "psqi_c1"], instruments=["psqi"])
    ['psqi_global', 'psqi_c1']
    """
    return DEFAULT.outcome_columns(columns, instruments)


def caseness_columns(columns: Iterable[str]) -> list[str]:
    """Built-in caseness flags present in ``columns``, in order."""
    return DEFAULT.caseness_columns(columns)


def outcome_info(name: str) -> OutcomeInfo:
    """Label, instrument, unit, direction and MCID of a built-in score or caseness column.

    Examples
    --------
    >>> info = outcome_info("fss_mean")
    >>> info.label, info.unit, info.better, info.mcid, info.mcid_source
    ('FSS mean', 'points, 1-7', 'lower', 0.45, 'Rooney 2019 (MS)')
    >>> outcome_info("psqi_poor").label
    'PSQI poor sleepers (global > 5)'
    """
    return DEFAULT.outcome_info(name)
