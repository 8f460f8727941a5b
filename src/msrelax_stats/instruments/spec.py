"""The declarative description of a questionnaire: items, scores, missing rule, cut-offs, source.

An :class:`InstrumentSpec` is plain data. The engine (:mod:`.engine`) scores any spec over a
whole DataFrame; a user defines a new instrument with :func:`load_instrument` from a dict or a
TOML file and scores it with the same :func:`msrelax_stats.score` call.

A TOML instrument looks like this (every key but ``name``, ``items``, ``min`` and ``max`` is
optional)::

    name = "sleepy"                # item columns sleepy_1 ... sleepy_<items>
    title = "Sleepiness diary"
    items = 4                      # or a list of item suffixes: ["a", "b", "c"]
    min = 0
    max = 4
    reverse = [2]                  # reverse-keyed items: min + max - answer
    better = "lower"
    citation = "Doe J. 2024."
    [[scores]]
    name = "sleepy_total"
    method = "sum"                 # or "mean"
    items = [1, 2, 3, 4]           # default: every item
    max_missing = 1                # prorate when at most 1 item is missing (default 0: strict)
    [[cutoffs]]
    name = "sleepy_case"
    score = "sleepy_total"
    op = ">="
    value = 8
    [[bands]]
    name = "sleepy_band"
    score = "sleepy_total"
    lower = [0, 5, 10]
    labels = ["low", "medium", "high"]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["Bands", "Cutoff", "InstrumentSpec", "Reference", "Score", "load_instrument"]

Method = Literal["sum", "mean"]
ItemKind = Literal["number", "minutes", "hours", "clock", "text"]
Role = Literal["headline", "subscale", "component"]


@dataclass(frozen=True)
class Reference:
    """A work cited: ``key`` as cited in the text (``"Krupp 1989"``), ``text`` the full entry
    of the reference list (Vancouver style)."""

    key: str
    text: str


@dataclass(frozen=True)
class Score:
    """One score computed from items: a total, a subscale or a short form.

    ``max_missing`` items may be missing; the score is then prorated (a sum becomes
    ``n_items x mean of the answered items``; a mean is the mean of the answered items).
    ``None`` takes the instrument's default (0 = strict). ``outcome`` says whether the score
    gets a row in the pre/post results table. ``short_form`` marks a score that is the whole
    of a short questionnaire (MFIS-5, FSS-7): a file holding only its items scores only it.
    ``role`` says what the score is in a report: the ``"headline"`` score of its instrument
    (several when they are disjoint, as HADS anxiety and depression), a ``"subscale"`` of a
    headline score, or a ``"component"`` (PSQI C1-C7). ``short_label`` is the label where
    space is short (axis ticks); ``mcid_source`` the short citation of the MCID
    (``"Rooney 2019"``), whose full entry is among the instrument's ``references``.
    """

    name: str
    items: tuple[str, ...]
    method: Method = "sum"
    label: str = ""
    max_missing: int | None = None
    outcome: bool = True
    short_form: bool = False
    mcid: float | None = None
    mcid_kind: Literal["points", "percent"] = "points"
    mcid_source: str = ""
    role: Role = "headline"
    short_label: str = ""


@dataclass(frozen=True)
class Cutoff:
    """A caseness flag: ``score op value`` (``op`` is ``">="`` or ``">"``); ``label`` names the
    cases in plain words (``"poor sleepers"``, ``"fatigued"``); ``source`` cites the cut-off."""

    name: str
    score: str
    value: float
    op: Literal[">=", ">"] = ">="
    label: str = ""
    source: str = ""


@dataclass(frozen=True)
class Bands:
    """Severity bands: label ``labels[i]`` when ``lower[i] <= score < lower[i + 1]``."""

    name: str
    score: str
    lower: tuple[float, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class InstrumentSpec:
    """Everything needed to score one questionnaire and describe it in a methods section.

    Item columns are ``<name>_<item>``. ``item_kinds`` overrides the kind (how cells are
    parsed) and ``item_ranges`` the range of single items (PSQI mixes clock times, minutes,
    hours and 0-3 answers). ``scorer`` names a custom scoring function for the one instrument
    that is not a plain sum or mean (PSQI); everything else is scored by the engine.

    ``recodings`` maps an ``input_coding`` option value to the items it reverses (HADS files
    coded by endorsement); ``requires_positive`` maps an item to the item that must be > 0 for
    it to be answered (PSFS severity needs a frequency > 0); ``whole_numbers`` makes a
    non-integer Likert answer an input error; ``dynamic_items`` takes the items from the
    columns present (the 0-10 NRS ratings ``nrs_<name>``, each its own score).

    ``column_aliases``: item names of public exports (REDCap's PSQI ``5othera`` is ``5j``);
    ``choices``: an item's published answer wording, lowest code first (choice texts are
    recoded); ``check_coding``: a file with no 0 answer is an error (module ``coding``).
    """

    name: str
    title: str
    items: tuple[str, ...]
    item_min: float
    item_max: float
    scores: tuple[Score, ...]
    reverse: tuple[str, ...] = ()
    item_kinds: dict[str, ItemKind] = field(default_factory=dict)
    item_ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    cutoffs: tuple[Cutoff, ...] = ()
    bands: tuple[Bands, ...] = ()
    better: Literal["lower", "higher"] = "lower"
    max_missing: int = 0
    references: tuple[Reference, ...] = ()
    rule_text: str = ""
    option_texts: dict[str, dict[Any, str]] = field(default_factory=dict)
    abbreviation: str = ""
    licence: str = ""
    scorer: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    extra_outputs: dict[str, tuple[float, float]] = field(default_factory=dict)
    recodings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    requires_positive: dict[str, str] = field(default_factory=dict)
    whole_numbers: bool = True
    dynamic_items: bool = False
    column_aliases: dict[str, str] = field(default_factory=dict)
    check_coding: bool = True
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def column(self, item: str) -> str:
        """Column name of ``item`` (``"fss"``, ``"3"`` -> ``"fss_3"``)."""
        return f"{self.name}_{item}"

    @property
    def code(self) -> str:
        """The instrument's abbreviation as printed (``"FSS"``, ``"PSQI"``)."""
        return self.abbreviation or self.name.upper()

    def methods_text(self) -> str:
        """How this instrument was scored, one clause for the methods paragraph, with the
        values actually used: every cut-off (``{<cutoff name>}`` in ``rule_text``), every
        option (``{<option>}``, in words from ``option_texts``), and the missing-item rule.

        Examples
        --------
        >>> from msrelax_stats.instruments.fss import FSS
        >>> FSS.with_options(cutoff=5).methods_text()  # doctest: +ELLIPSIS
        '...FSS mean of 5 or more taken as fatigue...'
        """
        fields: dict[str, str] = {c.name: f"{c.value:g}" for c in self.cutoffs}
        for key, value in self.options.items():
            fields[key] = self.option_texts.get(key, {}).get(value, str(value))
        text = self.rule_text.format(**fields) if self.rule_text else (
            f"{self.title} ({self.code}) by its supplied specification")  # fmt: skip
        return f"{text}; {self.missing_rule_text()}"

    def missing_rule_text(self) -> str:
        """The missing-item rule in words (strict, or prorated with up to k missing items)."""
        k = self.max_missing
        if k == 0:
            return "a score that needs a missing item was left missing"
        count = "one missing item" if k == 1 else f"up to {k} missing items"
        return (f"{count} per score {'was' if k == 1 else 'were'} replaced by the mean of the "
                "answered items (prorated); more made the score missing")  # fmt: skip

    @property
    def item_columns(self) -> tuple[str, ...]:
        return tuple(self.column(item) for item in self.items)

    def coded_items(self) -> tuple[str, ...]:
        """Items answered by a code in the spec's range (an export may number them from 1)."""
        return tuple(
            i for i in self.items if self.kind(i) == "number" and i not in self.item_ranges
        )

    def kind(self, item: str) -> ItemKind:
        return self.item_kinds.get(item, "number")

    def item_range(self, item: str) -> tuple[float | None, float | None]:
        return self.item_ranges.get(item, (self.item_min, self.item_max))

    def score_range(self, score: Score) -> tuple[float, float]:
        """Smallest and largest possible value of ``score``."""
        if not score.items:
            return (self.item_min, self.item_max)
        lows, highs = zip(*(self.item_range(i) for i in score.items), strict=True)
        if score.method == "mean":
            return (float(min(lows)), float(max(highs)))
        return (float(sum(lows)), float(sum(highs)))

    def output_ranges(self) -> dict[str, tuple[float, float]]:
        """Range of every numeric output column (scores and custom extras)."""
        out = {s.name: self.score_range(s) for s in self.scores if s.items}
        out.update(self.extra_outputs)
        return out

    @property
    def outputs(self) -> tuple[str, ...]:
        """Every column this instrument may add (scores, flags, bands, counts)."""
        names = [s.name for s in self.scores] + list(self.extra_outputs)
        names += [c.name for c in self.cutoffs] + [b.name for b in self.bands]
        names += [f"{self.name}_n_answered", f"{self.name}_flags"]
        return tuple(dict.fromkeys(names))

    def expanded(self, columns: Any) -> InstrumentSpec:
        """For ``dynamic_items`` specs, the spec of the item columns present; else ``self``.

        Every ``<name>_<item>`` column becomes an item scored as itself, from the score of
        that name when the spec lists one (``nrs_spasticity``), else from the template
        ``scores[0]`` (label, direction, MCID).
        """
        if not self.dynamic_items:
            return self
        prefix, reserved = f"{self.name}_", {f"{self.name}_n_answered", f"{self.name}_flags"}
        found = [str(c) for c in columns if str(c).startswith(prefix) and c not in reserved]
        items = tuple(c[len(prefix) :] for c in found)
        named = {s.name: s for s in self.scores[1:]}
        template = self.scores[0]
        scores = tuple(
            replace(named[self.column(i)], items=(i,)) if self.column(i) in named else
            replace(template, name=self.column(i), items=(i,),
                    label=f"{template.label} {i.replace('_', ' ')}")
            for i in items
        )  # fmt: skip
        return replace(self, items=items, scores=scores)

    def with_options(self, **options: Any) -> InstrumentSpec:
        """A copy with generic options applied: ``max_missing`` and ``cutoff``.

        ``cutoff`` replaces the threshold of the first caseness flag (``fss={"cutoff": 5}``).
        Options the spec declares in ``options`` (custom scorers) are merged in.
        """
        spec = self
        generic = {"max_missing", "cutoff"} | ({"input_coding"} if self.recodings else set())
        unknown = set(options) - generic - set(self.options)
        if unknown:
            raise TypeError(f"{self.name}: unknown option(s) {sorted(unknown)}")
        if "max_missing" in options:
            k = options["max_missing"]
            if not isinstance(k, int) or k < 0:
                raise ValueError(f"{self.name}: max_missing must be an integer >= 0")
            scores = tuple(replace(s, max_missing=k) for s in spec.scores)
            spec = replace(spec, max_missing=k, scores=scores)
        if "cutoff" in options:
            if not spec.cutoffs:
                raise TypeError(f"{self.name} has no cut-off to set")
            first = replace(spec.cutoffs[0], value=float(options["cutoff"]))
            spec = replace(spec, cutoffs=(first, *spec.cutoffs[1:]))
        if "input_coding" in options:
            coding = options["input_coding"]
            if coding != "printed" and coding not in self.recodings:
                choices = ["printed", *self.recodings]
                raise ValueError(f"{self.name}: input_coding must be one of {choices}")
            spec = replace(spec, reverse=self.recodings.get(coding, ()))
        custom = {k: v for k, v in options.items() if k in self.options}
        if custom:
            spec = replace(spec, options={**self.options, **custom})
        return spec


def numbered(n: int) -> tuple[str, ...]:
    """Item suffixes ``"1"`` ... ``"n"``."""
    return tuple(str(i) for i in range(1, n + 1))


def pick(*numbers: int) -> tuple[str, ...]:
    """Item suffixes for the given item numbers."""
    return tuple(str(i) for i in numbers)


def _items(value: Any) -> tuple[str, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        return numbered(value)
    return tuple(str(v) for v in value)


def _inferred_role(items: tuple[str, ...], every: list[set[str]]) -> Role:
    """A custom score without a ``role``: a subscale when its items are a strict subset of
    another score's, else a headline score."""
    return "subscale" if any(set(items) < other for other in every) else "headline"


def load_instrument(source: dict[str, Any] | str | Path) -> InstrumentSpec:
    """Build an :class:`InstrumentSpec` from a dict or a TOML file (format in the module doc).

    Raises
    ------
    StudyDataError
        (a ``ValueError``) With every problem of the description, naming the file and the
        key (:func:`msrelax_stats.instruments.spec_file.checked_description`): a missing
        ``name``/``items``/``min``/``max``, unknown keys, wrong kinds of values, names that
        are not lower-case identifiers, a score or cut-off on unknown items or scores, bands
        and labels of different lengths, a file that is not valid TOML (line and column).

    Examples
    --------
    >>> spec = load_instrument({"name": "sleepy", "items": 4, "min": 0, "max": 4})
    >>> [s.name for s in spec.scores], spec.item_columns[0]
    (['sleepy_total'], 'sleepy_1')
    """
    from msrelax_stats.instruments.spec_file import checked_description

    data, file = checked_description(source)
    name = str(data["name"]).lower()
    items = _items(data["items"])
    low, high = float(data["min"]), float(data["max"])
    default_missing = int(data.get("max_missing", 0))
    scores = []
    entries = data.get("scores") or [{"name": f"{name}_total", "method": "sum"}]
    entries_items = [set(_items(e.get("items", items))) for e in entries]
    for entry in entries:
        chosen = _items(entry.get("items", items))
        scores.append(
            Score(
                name=str(entry["name"]),
                items=chosen,
                method=entry.get("method", "sum"),
                label=str(entry.get("label", entry["name"])),
                max_missing=entry.get("max_missing"),
                outcome=bool(entry.get("outcome", True)),
                short_form=bool(entry.get("short_form", False)),
                mcid=entry.get("mcid"),
                mcid_kind=entry.get("mcid_kind", "points"),
                mcid_source=str(entry.get("mcid_source", "")),
                role=entry.get("role") or _inferred_role(chosen, entries_items),
            )
        )
    names = [s.name for s in scores]
    cutoffs = tuple(
        Cutoff(str(c["name"]), str(c["score"]), float(c["value"]), c.get("op", ">="))
        for c in data.get("cutoffs", [])
    )
    bands = tuple(
        Bands(str(b["name"]), str(b["score"]), tuple(map(float, b["lower"])), tuple(b["labels"]))
        for b in data.get("bands", [])
    )
    problems = [
        Problem(f"{rule.name!r} refers to unknown score {rule.score!r} (scores: "
                f"{', '.join(names)})", file=file)
        for rule in (*cutoffs, *bands) if rule.score not in names
    ]  # fmt: skip
    outputs = [*names, *(c.name for c in cutoffs), *(b.name for b in bands)]
    twice = sorted({n for n in outputs if outputs.count(n) > 1})
    if twice:
        problems.append(Problem(f"names used twice among scores, cut-offs and bands: "
                                f"{', '.join(twice)}", file=file))  # fmt: skip
    if problems:
        raise StudyDataError(problems)
    return InstrumentSpec(
        name=name,
        title=str(data.get("title", name)),
        items=items,
        item_min=low,
        item_max=high,
        scores=tuple(scores),
        reverse=_items(data.get("reverse", ())),
        whole_numbers=bool(data.get("whole_numbers", True)),
        cutoffs=cutoffs,
        bands=bands,
        better=data.get("better", "lower"),
        max_missing=default_missing,
        references=(Reference(name.upper(), str(data["citation"])),)
        if data.get("citation")
        else (),
        rule_text=str(data.get("rule_text", "")),
        licence=str(data.get("licence", "")),
    )
