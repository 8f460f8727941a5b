"""The report's reference list: every work the methods paragraph (and the tables' notes) cite.

A work is cited by its key in the text ("Krupp 1989", "Efron 1987"). The works come from one
catalogue: the references of the instruments of the registry the table was scored with
(:attr:`msrelax_stats.instruments.spec.InstrumentSpec.references`, custom instruments
included) and those of the statistical methods
(:data:`msrelax_stats.stats.references.METHOD_REFERENCES`). The list holds exactly the works
whose key appears in the text, sorted by their first author, as an author-year list is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from msrelax_stats.instruments.registry import Registry
from msrelax_stats.instruments.spec import Reference
from msrelax_stats.stats.references import METHOD_REFERENCES

__all__ = ["catalogue", "cited_keys", "reference_list"]


def catalogue(registry: Registry) -> dict[str, Reference]:
    """Every work that can be cited: the registry's instruments', then the methods'."""
    instruments = registry.references([spec.name for spec in registry.instruments])
    out: dict[str, Reference] = {}
    for reference in (*instruments, *METHOD_REFERENCES):
        out.setdefault(reference.key, reference)
    return out


def _cites(text: str, key: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(key)}(?!\w)", text) is not None


def cited_keys(texts: Iterable[str], registry: Registry) -> list[str]:
    """The keys of the catalogue that ``texts`` cite, in order of first citation."""
    text = "\n".join(texts)
    found = [(text.find(key), key) for key in catalogue(registry) if _cites(text, key)]
    return [key for _, key in sorted(found)]


def reference_list(texts: Iterable[str], registry: Registry) -> list[Reference]:
    """The works cited in ``texts``, sorted by first author (their entry's text).

    Examples
    --------
    >>> from msrelax_stats.instruments.registry import DEFAULT
    >>> [r.key for r in reference_list(["the FSS (Krupp 1989), BCa (Efron 1987)"], DEFAULT)]
    ['Efron 1987', 'Krupp 1989']
    """
    works = catalogue(registry)
    cited = [works[key] for key in cited_keys(texts, registry)]
    return sorted(cited, key=lambda r: (r.text.casefold(), r.key))
