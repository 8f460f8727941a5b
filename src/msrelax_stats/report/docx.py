"""``report.docx``: the manuscript's pieces as a Word document (python-docx).

A document is a list of blocks, given as data: :class:`Heading`, :class:`Paragraph`,
:class:`Table` (a DataFrame, written as a real Word table with its caption above and notes
below), :class:`Figure` (PNG bytes with a caption) and :class:`References`.
:func:`write_docx` lays them out on A4 or Letter with 25 mm / 1 inch margins; a table too
wide for a portrait page gets a landscape section of its own. Tables follow the APA layout
(rules above and below the header and below the last row, no vertical lines, header row
repeated on every page, rows never split). The same blocks give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from msrelax_stats.data.safe import xml_text
from msrelax_stats.report._docx_layout import (
    CELL_MARGIN_MM,
    TABLE_PT,
    cell_margins,
    is_text_column,
    natural_and_minimum,
    table_rows,
    widths_mm,
)
from msrelax_stats.report._ooxml import docx_package

__all__ = [
    "PAPERS",
    "Heading",
    "Paragraph",
    "Table",
    "Figure",
    "References",
    "Block",
    "build_document",
    "write_docx",
    "cell_text",
]

Paper = Literal["a4", "letter"]

#: Page width, height and margin (mm) per paper size.
PAPERS: dict[str, tuple[float, float, float]] = {
    "a4": (210.0, 297.0, 25.0),
    "letter": (215.9, 279.4, 25.4),
}
_FONT = "Times New Roman"  # metric-compatible Liberation Serif where Word is absent


@dataclass(frozen=True)
class Heading:
    """A section heading (level 1 = section, 2 = subsection)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text (a methods paragraph, a results sentence)."""

    text: str
    style: str | None = None


@dataclass(frozen=True)
class Table:
    """A DataFrame written as a Word table, numbered ``label`` ("Table 1"; default: next).

    ``caption`` is the title without the number; ``notes`` are printed below it after
    "Note."; ``landscape`` None chooses landscape when the table is wider than a portrait
    page's text.
    """

    frame: pd.DataFrame
    caption: str
    notes: Sequence[str] = ()
    label: str | None = None
    landscape: bool | None = None


@dataclass(frozen=True)
class Figure:
    """A PNG figure with its caption (without the number), ``width_mm`` at most the text width."""

    png: bytes
    caption: str
    label: str | None = None
    width_mm: float = 150.0


@dataclass(frozen=True)
class References:
    """A reference list: numbered (Vancouver) or, with ``numbered=False``, in the given order
    with a hanging indent (author-year)."""

    items: Sequence[str]
    title: str = "References"
    numbered: bool = True


Block = Heading | Paragraph | Table | Figure | References


def cell_text(value: Any) -> str:
    """The text of one table cell: as pandas writes it to CSV ("" for a missing value)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return str(value)


@dataclass
class _Layout:
    paper: str
    landscape: bool = False
    started: bool = False
    tables: int = 0
    figures: int = 0
    styles: dict[str, Any] = field(default_factory=dict)  # by name, looked up once
    style_ids: dict[str, str | None] = field(default_factory=dict)  # by name, looked up once

    def style(self, doc: Any, name: str) -> Any:
        """The style ``name`` of ``doc`` (python-docx finds a style by name slowly)."""
        if name not in self.styles:
            self.styles[name] = doc.styles[name]
        return self.styles[name]

    def add_paragraph(self, doc: Any, text: str = "", style: str | None = None) -> Any:
        """``doc.add_paragraph(text, style)``, the paragraph style's id looked up once.

        python-docx looks the name up on every paragraph, and then compares the style with
        the document's default one, which scans every style of the document (together
        an eighth of the time of writing ``report.docx``). The id is what it would
        write (``DocumentPart.get_style_id``), set as it sets it.
        """
        from docx.enum.style import WD_STYLE_TYPE

        paragraph = doc.add_paragraph(text)
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = doc.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            paragraph._p.style = self.style_ids[style]
        return paragraph

    def text_width_mm(self) -> float:
        width, height, margin = PAPERS[self.paper]
        return (height if self.landscape else width) - 2 * margin


def _set_page(section: Any, paper: str, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    width, height, margin = PAPERS[paper]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(height), Mm(width)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(margin))


def _orient(doc: Any, layout: _Layout, landscape: bool) -> None:
    from docx.enum.section import WD_SECTION

    if landscape == layout.landscape:
        return
    layout.landscape = landscape
    if layout.started:
        _set_page(doc.add_section(WD_SECTION.NEW_PAGE), layout.paper, landscape)
    else:
        _set_page(doc.sections[-1], layout.paper, landscape)


_TABLE_STYLE = "Table Text"  # the paragraph style of every table cell (TABLE_PT, no spacing)


def _table_text_style(doc: Any) -> None:
    """The paragraph style of the table cells, made once per document (setting the size and
    spacing on each of a thousand cells is what made writing report.docx slow)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    style = doc.styles.add_style(_TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.size = Pt(TABLE_PT)
    style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)


def _add_table(doc: Any, block: Table, layout: _Layout) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    frame = block.frame
    cells = [[cell_text(v) for v in row] for row in frame.itertuples(index=False)]
    columns = [str(c) for c in frame.columns]
    text_columns = [is_text_column([row[j] for row in cells]) for j in range(len(columns))]
    text_columns = [t or j == 0 for j, t in enumerate(text_columns)]
    natural, minimum = natural_and_minimum(frame, cells, text_columns)
    landscape = block.landscape
    if landscape is None:  # landscape when wrapping the text columns cannot fit portrait
        landscape = sum(minimum) > PAPERS[layout.paper][0] - 2 * PAPERS[layout.paper][2]
    _orient(doc, layout, bool(landscape))
    widths = widths_mm(natural, minimum, layout.text_width_mm())
    layout.tables += 1
    label = block.label or f"Table {layout.tables}"
    caption = layout.add_paragraph(doc, style="Caption")
    caption.add_run(f"{label}. ").bold = True
    caption.add_run(xml_text(block.caption))
    caption.paragraph_format.keep_with_next = True
    if not columns:
        doc.add_paragraph("(nothing to show)")
        layout.started = True
        return
    table = doc.add_table(rows=0, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cell_margins(table, CELL_MARGIN_MM)
    style_id = layout.style(doc, _TABLE_STYLE).style_id
    texts = [[xml_text(v) for v in row] for row in [columns, *cells]]
    for row in table_rows(texts, widths, text_columns, style_id):
        table._tbl.append(row)
    for j, column in enumerate(table.columns):
        column.width = Mm(widths[j])
    if block.notes:
        note = doc.add_paragraph()
        note.paragraph_format.space_before = Pt(3)
        lead = note.add_run("Note. ")
        lead.italic = True
        lead.font.size = Pt(TABLE_PT)
        note.add_run(xml_text(" ".join(str(n) for n in block.notes))).font.size = Pt(TABLE_PT)
    layout.started = True


def _add_figure(doc: Any, block: Figure, layout: _Layout) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    _orient(doc, layout, False)
    layout.figures += 1
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    width = min(block.width_mm, layout.text_width_mm())
    picture.add_run().add_picture(io.BytesIO(block.png), width=Mm(width))
    caption = layout.add_paragraph(doc, style="Caption")
    caption.add_run(f"{block.label or f'Figure {layout.figures}'}. ").bold = True
    caption.add_run(xml_text(block.caption))
    layout.started = True


def _add_references(doc: Any, block: References, layout: _Layout) -> None:
    from docx.shared import Mm

    _orient(doc, layout, False)
    layout.add_paragraph(doc, xml_text(block.title), style="Heading 1")
    for number, item in enumerate(block.items, start=1):
        paragraph = doc.add_paragraph(
            xml_text(f"{number}. {item}" if block.numbered else str(item))
        )
        paragraph.paragraph_format.left_indent = Mm(7)
        paragraph.paragraph_format.first_line_indent = Mm(-7)
    layout.started = True


def _use_font(doc: Any) -> None:
    """Body, headings and captions in :data:`_FONT` (theme fonts removed, which win over it)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = doc.styles[name]
        style.font.name = _FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        fonts.set(qn("w:eastAsia"), _FONT)
        fonts.set(qn("w:cs"), _FONT)
    caption = doc.styles["Caption"].font  # the template's is small, blue: a journal's is not
    caption.size, caption.color.rgb, caption.italic = Pt(10), RGBColor(0, 0, 0), False
    caption.bold = False  # the number is bold ("Table 2."), the title is not


def build_document(blocks: Sequence[Block], *, title: str = "", paper: Paper = "a4") -> Any:
    """A ``docx.Document`` with ``blocks`` laid out in order (see :func:`write_docx`)."""
    import docx

    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {sorted(PAPERS)}, not {paper!r}")
    doc = docx.Document()
    layout = _Layout(paper)
    _set_page(doc.sections[0], paper, False)
    _use_font(doc)
    _table_text_style(doc)
    props = doc.core_properties
    props.title, props.author, props.comments = title, "msrelax_stats", ""
    props.last_modified_by = "msrelax_stats"
    if title:
        doc.add_heading(xml_text(title), level=0)
        layout.started = True
    for block in blocks:
        if isinstance(block, Heading):
            _orient(doc, layout, False)
            layout.add_paragraph(doc, xml_text(block.text), style=f"Heading {block.level}")
            layout.started = True
        elif isinstance(block, Paragraph):
            _orient(doc, layout, False)
            layout.add_paragraph(doc, xml_text(block.text), style=block.style)
            layout.started = True
        elif isinstance(block, Table):
            _add_table(doc, block, layout)
        elif isinstance(block, Figure):
            _add_figure(doc, block, layout)
        elif isinstance(block, References):
            _add_references(doc, block, layout)
        else:
            raise TypeError(f"not a document block: {type(block).__name__}")
    return doc


def write_docx(
    path: str | Path, blocks: Sequence[Block], *, title: str = "", paper: Paper = "a4"
) -> Path:
    """Write ``blocks`` as a Word document at ``path`` (same blocks, same bytes).

    Parameters
    ----------
    path : str or Path
        The ``.docx`` file to write (its folder is created).
    blocks : sequence of Block
        Headings, paragraphs, tables, figures and references, in order.
    title : str
        The document title (first line, and the file's title property).
    paper : {"a4", "letter"}
        Page size; margins 25 mm on A4, 1 inch on Letter.

    Returns
    -------
    Path

    Examples
    --------
    >>> import pandas as pd, tempfile, docx
    >>> frame = pd.DataFrame({"Outcome": ["FSS mean"], "n": ["31"]})
    >>> path = write_docx(tempfile.mkdtemp() + "/r.docx", [Table(frame, "Results")])
    >>> [[c.text for c in row.cells] for row in docx.Document(path).tables[0].rows]
    [['Outcome', 'n'], ['FSS mean', '31']]
    """
    doc = build_document(blocks, title=title, paper=paper)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(docx_package(doc))
    return path
