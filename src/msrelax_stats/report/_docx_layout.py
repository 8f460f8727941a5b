"""Column widths and cell formatting (rules, margins, row flags) of the Word tables of
:mod:`msrelax_stats.report.docx`.

Widths are estimated from the advance widths of Times Roman (the documents' font; Liberation
Serif, its metric twin, where Word is absent), so that a statistic never wraps and a table
that cannot fit a portrait page is given a landscape one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd

__all__ = [
    "CELL_MARGIN_MM",
    "TABLE_PT",
    "cell_margins",
    "is_text_column",
    "natural_and_minimum",
    "table_rows",
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


def table_rows(rows: Sequence[Sequence[str]], widths: Sequence[float],
               text_columns: Sequence[bool], style_id: str) -> list[Any]:  # fmt: skip
    """The ``w:tr`` elements of a table, parsed from one XML text: the first row is the
    header (bold, repeated on each page, rules above and below); the last row has a rule
    below; no row is split over pages; each cell is ``widths`` mm wide, its one paragraph
    in the style ``style_id``, text columns left-aligned, the others centred.

    The same XML as python-docx writes cell by cell (``cell.width``, ``add_run``, a tab as
    ``w:tab``, a line break as ``w:br``), built at once: a thousand cells cost a few
    milliseconds instead of a few hundred.
    """
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def rule(edge: str, width: float) -> str:
        return f'<w:{edge} w:val="single" w:sz="{int(width * 8)}" w:space="0" w:color="000000"/>'

    twips = [round(w * 36000 / 635) for w in widths]  # mm -> EMU -> twips (docx.shared)
    last = len(rows) - 1
    out = []
    for i, row in enumerate(rows):
        flags = "<w:cantSplit/><w:tblHeader/>" if i == 0 else "<w:cantSplit/>"
        rules = (rule("top", 1.0) + rule("bottom", 0.75) if i == 0
                 else rule("bottom", 1.0) if i == last else "")  # fmt: skip
        borders = f"<w:tcBorders>{rules}</w:tcBorders>" if rules else ""
        bold = "<w:rPr><w:b/></w:rPr>" if i == 0 else ""
        cells = []
        for j, text in enumerate(row):
            align = "left" if text_columns[j] else "center"
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips[j]}"/>{borders}</w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id, _ATTR)}"/>'
                f'<w:jc w:val="{align}"/></w:pPr><w:r>{bold}{_run_content(text)}</w:r></w:p>'
                "</w:tc>"
            )
        out.append(f"<w:tr><w:trPr>{flags}</w:trPr>{''.join(cells)}</w:tr>")
    return list(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(out)}</w:tbl>"))


_ATTR = {'"': "&quot;"}


def _run_content(text: str) -> str:
    """``w:t``, ``w:tab`` and ``w:br`` elements of ``text``, as python-docx's ``run.text``."""
    parts = re.split(r"(\t|\r|\n)", text)
    out = []
    for part in parts:
        if part == "\t":
            out.append("<w:tab/>")
        elif part in ("\r", "\n"):
            out.append("<w:br/>")
        elif part:
            out.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    return "".join(out)
