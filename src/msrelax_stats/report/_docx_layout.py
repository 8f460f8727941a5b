"""Column widths and cell formatting (rules, margins, row flags) of the Word tables of
:mod:`msrelax_stats.report.docx`.

Widths are estimated from the advance widths of Times Roman (the documents' font; Liberation
Serif, its metric twin, where Word is absent), so that a statistic never wraps and a table
that cannot fit a portrait page is given a landscape one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = [
    "CELL_MARGIN_MM",
    "TABLE_PT",
    "border",
    "cell_margins",
    "is_text_column",
    "natural_and_minimum",
    "row_flags",
    "widths_mm",
]

TABLE_PT = 9  # font size of table cells and notes
_EM_MM = TABLE_PT * 25.4 / 72  # 1 em of the table font, in mm
# advance widths of Times Roman (Adobe AFM, em/1000) for the width estimate of a column
_TIMES = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;:-()[]<>=%+",
        [444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500,
         333, 389, 278, 500, 500, 722, 500, 500, 444, 722, 667, 667, 722, 611, 556, 722, 722,
         333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722,
         611, 250, 250, 250, 278, 278, 333, 333, 333, 333, 333, 564, 564, 564, 833, 564],
        strict=True,
    )
)  # fmt: skip
#: Left and right margin inside every cell (Word's default is 1.9 mm; narrower margins let
#: a Table 1 with two arms fit a portrait page, as journal tables do).
CELL_MARGIN_MM = 1.2
_PAD_MM = 2 * CELL_MARGIN_MM + 0.4  # both cell margins and a little air


def is_statistic(text: str) -> bool:
    """A number or statistic ("t(30) = -4.24", "< .001", "22 (68.8)"): a third or more of
    its non-space characters are digits."""
    chars = text.replace(" ", "")
    return bool(chars) and 3 * sum(c.isdigit() for c in chars) >= len(chars)


def is_text_column(values: Sequence[str]) -> bool:
    """Text (may wrap, left-aligned) unless most of its cells are statistics."""
    filled = [v for v in values if v]
    return 2 * sum(map(is_statistic, filled)) < len(filled)


def _text_mm(text: str, bold: bool = False) -> float:
    """Estimated printed width of ``text`` in the table font (digits 0.5 em)."""
    ems = sum(_TIMES.get(c, 500) for c in text) / 1000
    return ems * _EM_MM * (1.08 if bold else 1.0)


def natural_and_minimum(
    frame: pd.DataFrame, cells: list[list[str]], text_columns: list[bool]
) -> tuple[list[float], list[float]]:
    """Per column (mm): its longest cell on one line, and the least it needs.

    Both hold the longest header word (bold). A text column needs its longest word; any
    other column its longest cell (numbers and statistics never wrap: no "t(30) =" above
    "-4.24").
    """
    natural, minimum = [], []
    for j, column in enumerate(map(str, frame.columns)):
        # a header wraps at its spaces, not at its no-break spaces ("(n = 16)" stays whole)
        header_word = max((_text_mm(w, bold=True) for w in column.split(" ")), default=0.0)
        longest = max((_text_mm(row[j]) for row in cells), default=0.0)
        longest_word = max((_text_mm(w) for row in cells for w in row[j].split()), default=0.0)
        need = longest_word if text_columns[j] else longest
        natural.append(max(header_word, longest, 3.0) + _PAD_MM)
        minimum.append(max(header_word, need, 3.0) + _PAD_MM)
    return natural, minimum


def widths_mm(natural: list[float], minimum: list[float], available: float) -> list[float]:
    """Column widths that fit ``available``: text columns shrink towards their minimum
    first; when that is not enough, every column is scaled down."""
    excess = sum(natural) - available
    if excess <= 0:
        return natural
    slack = sum(n - m for n, m in zip(natural, minimum, strict=True))
    if slack >= excess:
        share = excess / slack
        return [n - (n - m) * share for n, m in zip(natural, minimum, strict=True)]
    return [m * available / sum(minimum) for m in minimum]


def border(cell: Any, **edges: float) -> None:
    """Single rules of the given widths (pt) on the named edges of a cell."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    for edge, width in edges.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(int(width * 8)))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)


def cell_margins(table: Any, margin_mm: float) -> None:
    """Left and right margin inside every cell of ``table`` (w:tblCellMar, in twips)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(round(margin_mm / 25.4 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def row_flags(row: Any, header: bool) -> None:
    """A row never split over pages; a header row repeated on each page."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
