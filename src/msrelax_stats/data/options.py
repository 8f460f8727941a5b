"""How a study file is read, parsed once at the boundary (CLI or ``analyze``), passed typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from typing import Any

__all__ = ["ReadOptions"]


@dataclass(frozen=True)
class ReadOptions:
    """Options of :func:`msrelax_stats.read_study` (frozen).

    Parameters
    ----------
    layout : {"long", "wide"}, optional
        Force the layout instead of detecting it.
    column_map : mapping or path to a .toml/.json file, optional
        User column names -> canonical names (``docs/data.md``).
    visits : tuple of str, optional
        Visit labels in their order; default ``("pre", "post")``.
    sheet : str or int, optional
        Worksheet of an .xlsx file.
    missing_codes : tuple, optional
        Values that mean "missing" in this export (e.g. ``(-99, 999)``).
    encoding : str, optional
        Force the text encoding of a CSV file.
    item_coding : mapping, optional
        Instrument -> (low, high) codes of the export (``{"psqi": (1, 4)}``; the CLI's
        ``--item-coding psqi=1-4``, read by :func:`msrelax_stats.data.columns.parse_item_coding`);
        over the column map's ``item_coding``.
    single_visit : bool
        A file without visit information is read as one visit (the ``score`` command).
    """

    layout: str | None = None
    column_map: Mapping[str, Any] | str | PathLike[str] | None = None
    visits: tuple[str, ...] | None = None
    sheet: str | int | None = None
    missing_codes: tuple[Any, ...] | None = None
    encoding: str | None = None
    item_coding: Mapping[str, tuple[int, int]] | None = None
    single_visit: bool = False

    def __post_init__(self) -> None:
        for name in ("visits", "missing_codes"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    @classmethod
    def of(cls, options: ReadOptions | None, keywords: Mapping[str, Any]) -> ReadOptions:
        """``options``, or the options the keywords name (a reader's ``**keywords``); both
        together is a ``TypeError``, and so is a keyword that is not a field.

        Examples
        --------
        >>> ReadOptions.of(None, {"visits": ["pre", "post"]}).visits
        ('pre', 'post')
        """
        if options is None:
            return cls(**{k: v for k, v in keywords.items() if v is not None})
        if any(v is not None for v in keywords.values()):
            raise TypeError("options= and keyword options together")
        return options

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (for ``results.json``; a column map given as a mapping is listed)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["column_map"] = (dict(self.column_map) if isinstance(self.column_map, Mapping)
                             else None if self.column_map is None else str(self.column_map))  # fmt: skip
        for name in ("visits", "missing_codes"):
            out[name] = list(out[name]) if out[name] is not None else None
        if self.item_coding is not None:
            out["item_coding"] = {k: f"{lo}-{hi}" for k, (lo, hi) in self.item_coding.items()}
        return out
