"""ISI - Insomnia Severity Index (Bastien 2001).

Seven items 0-4. ``isi_total`` = sum (0-28); ``isi_band``: 0-7 no clinically significant
insomnia, 8-14 subthreshold, 15-21 moderate clinical, 22-28 severe clinical insomnia.
Strict missing rule.
"""

from __future__ import annotations

from msrelax_stats.instruments.spec import Bands, InstrumentSpec, Reference, Score, numbered

__all__ = ["ISI"]

ISI = InstrumentSpec(
    name="isi",
    title="Insomnia Severity Index",
    items=numbered(7),
    item_min=0,
    item_max=4,
    scores=(Score("isi_total", numbered(7), label="ISI total"),),
    bands=(
        Bands(
            "isi_band",
            "isi_total",
            (0, 8, 15, 22),
            ("none", "subthreshold", "moderate", "severe"),
        ),
    ),
    references=(
        Reference(
            "Bastien 2001",
            "Bastien CH, Vallieres A, Morin CM. Validation of the Insomnia Severity Index as "
            "an outcome measure for insomnia research. Sleep Med. 2001;2(4):297-307.",
        ),
    ),
    rule_text=(
        "insomnia with the Insomnia Severity Index (ISI; Bastien 2001) as the sum of its seven "
        "items (0-4; total 0-28, higher = worse; 0-7 no, 8-14 subthreshold, 15-21 moderate, "
        "22-28 severe clinical insomnia)"
    ),
    licence="Copyright C. M. Morin; licensed through Mapi Research Trust (ePROVIDE).",
)
