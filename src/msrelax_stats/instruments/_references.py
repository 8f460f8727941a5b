"""References cited by more than one instrument spec (written once)."""

from __future__ import annotations

from msrelax_stats.instruments.spec import Reference

__all__ = ["ROONEY_2019"]

#: The MCIDs of the FSS (0.45) and the MFIS (4) in MS.
ROONEY_2019 = Reference(
    "Rooney 2019",
    "Rooney S, McFadyen DA, Wood DL, Moffat DF, Paul PL. Minimally important difference of the "
    "fatigue severity scale and modified fatigue impact scale in people with multiple "
    "sclerosis. Mult Scler Relat Disord. 2019;35:158-163.",
)
