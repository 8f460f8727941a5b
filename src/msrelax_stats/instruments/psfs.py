"""PSFS - Penn Spasm Frequency Scale (Penn 1989).

``psfs_frequency``: 0 none, 1 spasms only on stimulation, 2 less than once an hour, 3 more
than once an hour, 4 more than ten times an hour. ``psfs_severity``: 1 mild, 2 moderate,
3 severe, asked only when the frequency is above 0 (a severity given with frequency 0 is an
input error). Both are scored as answered; the frequency is the reported outcome.
"""

from __future__ import annotations

from msrelax_stats.instruments.spec import InstrumentSpec, Reference, Score

__all__ = ["PSFS"]

PSFS = InstrumentSpec(
    name="psfs",
    title="Penn Spasm Frequency Scale",
    items=("frequency", "severity"),
    item_min=0,
    check_coding=False,
    item_max=4,
    item_ranges={"severity": (1, 3)},
    requires_positive={"severity": "frequency"},
    scores=(
        Score("psfs_frequency", ("frequency",), label="PSFS spasm frequency"),
        Score("psfs_severity", ("severity",), label="PSFS spasm severity", outcome=False),
    ),
    references=(
        Reference(
            "Penn 1989",
            "Penn RD, Savoy SM, Corcos D, Latash M, Gottlieb G, Parke B, Kroin JS. Intrathecal "
            "baclofen for severe spinal spasticity. N Engl J Med. 1989;320(23):1517-1521.",
        ),
    ),
    rule_text=(
        "spasm frequency with the Penn Spasm Frequency Scale (PSFS; Penn 1989) frequency item "
        "(0 none to 4 more than ten spasms an hour, higher = worse), with severity (1-3) when "
        "spasms occurred"
    ),
    licence="Published scale; free to use.",
)
