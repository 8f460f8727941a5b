"""ESS - Epworth Sleepiness Scale (Johns 1991).

Eight situations, chance of dozing 0-3. ``ess_total`` = sum (0-24); ``ess_eds`` (excessive
daytime sleepiness) = total > 10; ``ess_band``: 0-5 lower normal, 6-10 higher normal,
11-12 mild excessive, 13-15 moderate excessive, 16-24 severe excessive. Strict missing rule.
"""

from __future__ import annotations

from msrelax_stats.instruments.spec import Bands, Cutoff, InstrumentSpec, Reference, Score, numbered

__all__ = ["ESS"]

ESS = InstrumentSpec(
    name="ess",
    title="Epworth Sleepiness Scale",
    items=numbered(8),
    item_min=0,
    item_max=3,
    scores=(Score("ess_total", numbered(8), label="ESS total"),),
    cutoffs=(
        Cutoff("ess_eds", "ess_total", 10.0, ">", "excessive daytime sleepiness", "Johns 1991"),
    ),
    bands=(
        Bands(
            "ess_band",
            "ess_total",
            (0, 6, 11, 13, 16),
            (
                "lower normal",
                "higher normal",
                "mild excessive",
                "moderate excessive",
                "severe excessive",
            ),
        ),
    ),
    references=(
        Reference(
            "Johns 1991",
            "Johns MW. A new method for measuring daytime sleepiness: the Epworth sleepiness "
            "scale. Sleep. 1991;14(6):540-545.",
        ),
    ),
    rule_text=(
        "daytime sleepiness with the Epworth Sleepiness Scale (ESS; Johns 1991) as the sum of "
        "its eight items (0-3; total 0-24, higher = sleepier), a total above {ess_eds} taken "
        "as excessive daytime sleepiness"
    ),
    licence="Copyright M. W. Johns; licensed through Mapi Research Trust (ePROVIDE).",
)
