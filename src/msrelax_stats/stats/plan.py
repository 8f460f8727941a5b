"""The analysis plan: outcome families, endpoint, covariates, primary test, alpha, multiplicity.

An :class:`AnalysisPlan` is written before the data are seen (a statistical analysis plan, ICH
E9) and read from a TOML file or the same dict in Python::

    endpoint = "week6"                     # the visit of the primary comparison
    covariates = ["age", "sex", "edss"]    # baseline covariates of the ANCOVA and mixed models
    primary_test = "t"                     # "t" or "wilcoxon" (paired within-group test)
    alpha = 0.05

    [primary]
    outcomes = ["fss_mean", "psqi_global"]
    multiplicity = "holm"                  # "holm", "fixed-sequence" or "none"

    [secondary]
    outcomes = ["mfis_total", "ess_total"]
    multiplicity = "holm"

    [exploratory]
    outcomes = ["psqi_c1", "mfis_physical"]
    multiplicity = "none"

A family may also be given as a plain list (``secondary = ["ess_total"]``: its default
rule). Every key is optional: :func:`validate_plan` fills what a plan leaves out from
:func:`default_plan` (families not given take the default assignment of the outcomes not
placed elsewhere; the endpoint defaults to the last visit) and checks the plan against the
study. :func:`adjust_by_family` adjusts p-values within each family by its rule;
:func:`plan_to_toml` writes a plan as a commented TOML file. The rules are documented in
``docs/trial-analysis.md``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from os import PathLike, fspath
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.instruments.registry import registry_of
from msrelax_stats.stats._covariates import STRUCTURAL, baseline_covariates
from msrelax_stats.stats._design_tables import study_visits
from msrelax_stats.stats._plan_missing import MissingPlan, parse_missing
from msrelax_stats.stats._plan_toml import plan_to_toml

__all__ = [
    "AnalysisPlan",
    "MissingPlan",
    "OutcomeFamily",
    "FAMILIES",
    "RULES",
    "DEFAULT_PRIMARY",
    "default_plan",
    "load_plan",
    "plan_to_toml",
    "study_visits",
    "validate_plan",
]

Rule = Literal["holm", "fixed-sequence", "none"]
#: The three outcome families, in order of the hierarchy.
FAMILIES = ("primary", "secondary", "exploratory")
#: Multiplicity rules: Holm within the family, fixed-sequence (hierarchical) testing in the
#: listed order, or none (unadjusted; for exploratory outcomes).
RULES = ("holm", "fixed-sequence", "none")
DEFAULT_RULES: dict[str, Rule] = {"primary": "holm", "secondary": "holm", "exploratory": "none"}
#: The primary outcomes of the default plan (fatigue and sleep quality), when present.
DEFAULT_PRIMARY = ("fss_mean", "psqi_global")
PRIMARY_TESTS = ("t", "wilcoxon")
_TOP_KEYS = ("endpoint", "covariates", "primary_test", "alpha", "missing", *FAMILIES)


@dataclass(frozen=True)
class OutcomeFamily:
    """One family of outcomes and the multiplicity rule applied within it."""

    name: str
    outcomes: tuple[str, ...]
    multiplicity: Rule


@dataclass(frozen=True)
class AnalysisPlan:
    """What the analysis tests, in which order and with which adjustment.

    ``primary``, ``secondary``, ``exploratory`` are :class:`OutcomeFamily` objects (``None``
    in a plan as loaded: not given, filled by :func:`validate_plan`); ``endpoint`` is the
    visit of the primary comparison (``None``: the last visit); ``covariates`` the baseline
    covariates; ``primary_test`` the paired within-group test named as primary (``"t"`` or
    ``"wilcoxon"``; in a two-arm study the primary test is the between-arm ANCOVA);
    ``alpha`` the two-sided significance level; ``missing`` how missing outcome data are
    handled (:class:`MissingPlan`; None: complete cases); ``source`` where the plan came from
    (``"default"``, ``"dict"`` or the file path).
    """

    primary: OutcomeFamily | None = None
    secondary: OutcomeFamily | None = None
    exploratory: OutcomeFamily | None = None
    endpoint: str | None = None
    covariates: tuple[str, ...] = ()
    primary_test: Literal["t", "wilcoxon"] = "t"
    alpha: float = 0.05
    missing: MissingPlan | None = None
    source: str = field(default="default", compare=False)
    filled: tuple[str, ...] = field(default=(), compare=False)

    @property
    def families(self) -> tuple[OutcomeFamily, ...]:
        """The families given (or filled in), in hierarchy order."""
        return tuple(f for f in (self.primary, self.secondary, self.exploratory) if f is not None)

    @property
    def outcomes(self) -> list[str]:
        """Every outcome of the plan, primary first, in plan order."""
        return [o for f in self.families for o in f.outcomes]

    def family_of(self, outcome: str) -> str | None:
        """The family holding ``outcome`` (None when it is in no family)."""
        return next((f.name for f in self.families if outcome in f.outcomes), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for ``results.json``; :func:`load_plan` reads it back.

        ``source`` says where the plan came from and ``filled`` which keys were filled from
        the default plan (absent from a hand-written plan).
        """
        out: dict[str, Any] = {
            "endpoint": self.endpoint,
            "covariates": list(self.covariates),
            "primary_test": self.primary_test,
            "alpha": self.alpha,
        }
        if self.missing is not None:
            out["missing"] = self.missing.to_dict()
        for f in self.families:
            out[f.name] = {"outcomes": list(f.outcomes), "multiplicity": f.multiplicity}
        return {**out, "source": self.source, "filled": list(self.filled)}


def _problem(key: str, value: Any, message: str, file: str | None) -> Problem:
    return Problem(f"plan key {key!r}: value {value!r} {message}", file=file)


def _strings(key: str, value: Any, file: str | None, problems: list[Problem]) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        problems.append(_problem(key, value, "must be a list of names (text)", file))
        return ()
    return tuple(value)


def _family(name: str, value: Any, file: str | None, problems: list[Problem]) -> OutcomeFamily:
    rule: Any = DEFAULT_RULES[name]
    if isinstance(value, Mapping):
        for key in set(value) - {"outcomes", "multiplicity"}:
            problems.append(
                Problem(
                    f"unknown plan key {name + '.' + key!r} (a family has "
                    "'outcomes' and 'multiplicity')",
                    file=file,
                )
            )
        rule = value.get("multiplicity", rule)
        if rule not in RULES:
            problems.append(
                _problem(f"{name}.multiplicity", rule, f"must be one of {', '.join(RULES)}", file)
            )
            rule = DEFAULT_RULES[name]
        value = value.get("outcomes", [])
        name_key = f"{name}.outcomes"
    else:
        name_key = name
    return OutcomeFamily(name, _strings(name_key, value, file, problems), rule)


def load_plan(source: AnalysisPlan | Mapping[str, Any] | str | PathLike[str]) -> AnalysisPlan:
    """Read an analysis plan from a TOML file or a dict of the same structure.

    Only the form is checked here (keys, types, allowed values, an outcome in two families);
    :func:`validate_plan` checks it against the study and fills what it leaves out.

    Raises
    ------
    StudyDataError
        An unreadable file or bad TOML (the message has the line and column), an unknown
        key, or a value of the wrong type, each naming the key and the value.

    Examples
    --------
    >>> plan = load_plan({"endpoint": "week6", "primary": ["fss_mean"]})
    >>> plan.primary, plan.secondary
    (OutcomeFamily(name='primary', outcomes=('fss_mean',), multiplicity='holm'), None)
    """
    if isinstance(source, AnalysisPlan):
        return source
    file = None
    if isinstance(source, Mapping):
        data, origin = dict(source), "dict"
    else:
        file = origin = fspath(source)
        try:
            data = tomllib.loads(Path(file).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StudyDataError(Problem("plan file not found", file=file)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise StudyDataError(Problem(f"cannot read the plan file: {exc}", file=file)) from None
        except tomllib.TOMLDecodeError as exc:
            raise StudyDataError(Problem(f"is not valid TOML: {exc}", file=file)) from None
    data.pop("source", None)
    data.pop("filled", None)
    problems = [
        Problem(f"unknown plan key {key!r} (known: {', '.join(_TOP_KEYS)})", file=file)
        for key in data
        if key not in _TOP_KEYS
    ]
    endpoint = data.get("endpoint")
    if endpoint is not None and not isinstance(endpoint, str):
        problems.append(_problem("endpoint", endpoint, "must be a visit label (text)", file))
    covariates = _strings("covariates", data.get("covariates", []), file, problems)
    test = data.get("primary_test", "t")
    if test not in PRIMARY_TESTS:
        problems.append(_problem("primary_test", test, "must be 't' or 'wilcoxon'", file))
    alpha = data.get("alpha", 0.05)
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        problems.append(_problem("alpha", alpha, "must be a number between 0 and 1", file))
    families = {n: _family(n, data[n], file, problems) for n in FAMILIES if n in data}
    missing = parse_missing(data["missing"], file, problems) if "missing" in data else None
    seen: dict[str, str] = {}
    for fam in families.values():
        for outcome in fam.outcomes:
            if outcome in seen:
                problems.append(
                    _problem(fam.name, outcome, f"is already in family {seen[outcome]!r}", file)
                )
            seen.setdefault(outcome, fam.name)
    if "primary" in families and not families["primary"].outcomes:
        problems.append(_problem("primary", [], "must name at least one outcome", file))
    if problems:
        raise StudyDataError(problems)
    return AnalysisPlan(**families, endpoint=endpoint, covariates=covariates, primary_test=test,
                        alpha=float(alpha), missing=missing, source=origin)  # fmt: skip


def default_plan(scored: pd.DataFrame, visits: Sequence[str] | None = None) -> AnalysisPlan:
    """The plan used when none is given, for the outcomes and visits of ``scored``.

    Primary: ``fss_mean`` and ``psqi_global`` when present (else the first headline outcome),
    Holm over them; secondary: the headline score of every other instrument present
    (``Registry.headline`` of the table's registry), Holm; exploratory: the subscales and
    components (PSQI C1-C7, MFIS and FSMC subscales), unadjusted. Endpoint: the last visit;
    no covariates; primary test ``"t"``; alpha 0.05.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "1"], "time": ["pre", "post"], "fss_mean": [5.0, 4.0],
    ...                    "psqi_global": [9.0, 6.0], "psqi_c1": [2.0, 1.0], "ess_total": [9, 8]})
    >>> plan = default_plan(df)
    >>> [f.outcomes for f in plan.families], plan.endpoint
    ([('fss_mean', 'psqi_global'), ('ess_total',), ('psqi_c1',)], 'post')
    """
    visits = list(visits) if visits is not None else study_visits(scored)
    registry = registry_of(scored)
    reported = registry.outcome_columns(scored.columns)
    headline = registry.headline(reported)
    primary = [o for o in headline if o in DEFAULT_PRIMARY] or headline[:1] or reported[:1]
    secondary = [o for o in headline if o not in primary]
    exploratory = [o for o in reported if o not in primary and o not in secondary]
    return AnalysisPlan(
        primary=OutcomeFamily("primary", tuple(primary), "holm"),
        secondary=OutcomeFamily("secondary", tuple(secondary), "holm"),
        exploratory=OutcomeFamily("exploratory", tuple(exploratory), "none"),
        endpoint=str(visits[-1]) if visits else None,
        filled=("primary", "secondary", "exploratory", "endpoint"),
    )


def _fill(plan: AnalysisPlan, default: AnalysisPlan) -> tuple[dict[str, OutcomeFamily], list[str]]:
    """The three families of ``plan``, those not given filled from ``default`` (see
    :func:`validate_plan`), and the names of the filled ones."""
    rest = [o for o in default.outcomes if o not in set(plan.outcomes)]
    headline = {*default.primary.outcomes, *default.secondary.outcomes}
    families, filled = {}, []
    for name in FAMILIES:
        given = getattr(plan, name)
        if given is None:
            take = {
                "primary": [o for o in rest if o in default.primary.outcomes],
                "secondary": [o for o in rest if o in headline],
            }.get(name, rest)
            rest = [o for o in rest if o not in take]
            given = OutcomeFamily(name, tuple(take), DEFAULT_RULES[name])
            filled.append(name)
        families[name] = given
    return families, filled


def validate_plan(
    plan: AnalysisPlan | Mapping[str, Any] | str | PathLike[str] | None,
    scored: pd.DataFrame,
    visits: Sequence[str] | None = None,
) -> AnalysisPlan:
    """Check a plan against the study and fill in what it leaves out.

    Parameters
    ----------
    plan : AnalysisPlan, dict, path or None
        The plan (as for :func:`load_plan`); None gives :func:`default_plan`.
    scored : DataFrame
        The scored long table (outcome and covariate columns).
    visits : sequence of str, optional
        Visit labels in order; by default those of ``scored["time"]``.

    Returns
    -------
    AnalysisPlan
        Every family present, ``endpoint`` set, ``filled`` naming what was filled in. A
        family not given receives the study's outcomes that the plan places nowhere: the
        primary family the default primary outcomes, the secondary family the other headline
        scores, the exploratory family the rest (subscales, components, and headline scores
        left over when a secondary family is given). With all three families given, an
        outcome in none of them has no adjusted p-value.

    Raises
    ------
    StudyDataError
        Every problem at once, each naming the key and the value: an outcome that is not a
        numeric column of the study, an endpoint that is not a follow-up visit, a covariate
        that is not a column (or is ``id``/``time``/``group``, or an outcome of the plan), a
        covariate mixing numbers and text.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "1"], "time": ["pre", "post"], "fss_mean": [5.0, 4.0],
    ...                    "psqi_global": [9.0, 6.0], "age": [40, 40]})
    >>> plan = validate_plan({"primary": ["psqi_global"], "covariates": ["age"]}, df)
    >>> plan.secondary.outcomes, plan.endpoint, plan.filled
    (('fss_mean',), 'post', ('secondary', 'exploratory', 'endpoint'))
    """
    if plan is None:
        return default_plan(scored, visits)
    plan = load_plan(plan)
    file = plan.source if plan.source not in ("default", "dict") else None
    visits = list(visits) if visits is not None else study_visits(scored)
    default = default_plan(scored, visits)
    families, filled = _fill(plan, default)
    problems = []
    numeric = {
        c
        for c in scored.columns
        if c not in STRUCTURAL
        and pd.api.types.is_numeric_dtype(scored[c].dtype)
        and not pd.api.types.is_bool_dtype(scored[c].dtype)
    }
    known = ", ".join(registry_of(scored).outcome_columns(scored.columns)) or "none"
    for name, fam in families.items():
        problems += [
            _problem(name, o, f"is not an outcome of the study (outcomes: {known})", file)
            for o in fam.outcomes
            if o not in numeric
        ]
    endpoint = plan.endpoint
    if endpoint is None:
        endpoint = default.endpoint
        filled.append("endpoint")
    elif endpoint not in visits[1:]:
        what = "is the baseline visit" if visits and endpoint == visits[0] else "is not a visit"
        problems.append(
            _problem(
                "endpoint",
                endpoint,
                f"{what}; the endpoint is a follow-up visit ({', '.join(visits[1:])})",
                file,
            )
        )
    if not families["primary"].outcomes:
        problems.append(_problem("primary", [], "names no outcome of the study", file))
    outcomes = {o for f in families.values() for o in f.outcomes}
    for c in plan.covariates:
        if c not in scored.columns:
            problems.append(_problem("covariates", c, "is not a column of the study", file))
        elif c in STRUCTURAL or c in outcomes:
            problems.append(
                _problem(
                    "covariates", c, "is a structural column or an outcome, not a covariate", file
                )
            )
    if problems:
        raise StudyDataError(problems)
    if plan.covariates and visits:
        baseline_covariates(scored, plan.covariates, visits[0])  # numbers and text mixed
    return replace(plan, **families, endpoint=endpoint, filled=tuple(filled))
