"""How a study is scored, parsed once at the boundary (CLI or ``analyze``), passed typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ScoringOptions"]


@dataclass(frozen=True)
class ScoringOptions:
    """Options of :func:`msrelax_stats.score` (frozen).

    Parameters
    ----------
    instruments : tuple, optional
        Instruments to score (built-in names, custom specs or TOML paths); default every
        instrument with an item or score column.
    custom : tuple
        Custom instruments (dict, TOML path or spec) scored besides the built-ins present.
    per_instrument : mapping
        Options per instrument, e.g. ``{"psqi": {"duration_rule": "paper"}, "fss":
        {"cutoff": 5}}``.
    """

    instruments: tuple[Any, ...] | None = None
    custom: tuple[Any, ...] = ()
    per_instrument: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.instruments is not None:
            object.__setattr__(self, "instruments", tuple(self.instruments))
        object.__setattr__(self, "custom", tuple(self.custom))
        frozen = {str(k): dict(v) for k, v in dict(self.per_instrument).items()}
        object.__setattr__(self, "per_instrument", frozen)

    def kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`msrelax_stats.score` these options stand for."""
        out: dict[str, Any] = {"instruments": list(self.instruments)
                               if self.instruments is not None else None}  # fmt: skip
        if self.custom:
            out["custom"] = list(self.custom)
        return {**out, **self.per_instrument}

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (for ``results.json``)."""
        return {"instruments": [str(i) for i in self.instruments] if self.instruments else None,
                "custom": [str(c) if not isinstance(c, Mapping) else c.get("name")
                           for c in self.custom],
                **{k: dict(v) for k, v in self.per_instrument.items()}}  # fmt: skip
