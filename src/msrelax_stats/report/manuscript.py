"""``report.docx``: the sections of ``report.html`` as a Word document.

The document is laid out from the same values as the HTML report
(:func:`msrelax_stats.report.html.report_context`), in the same order: participant flow
(the flow diagram and the analysed/excluded table), Table 1, the design sections, the results
sentences, Table 2, the further tables, the reliability table, the figures, the methods
paragraph, the references, the exclusions and how to reproduce the run. Table 1 and Table 2
are the very frames written to ``table1.csv`` and ``table2.csv``, as real Word tables; the
other tables are numbered as supplementary tables (Table S1, S2, ...), figures as in the HTML
report (Figure 1 the flow diagram).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from msrelax_stats.report.docx import (
    Block,
    Figure,
    Heading,
    Paragraph,
    References,
    Table,
    write_docx,
)
from msrelax_stats.report.gallery import png_width_in

__all__ = ["report_blocks", "write_report_docx"]


def _png(data_uri: str) -> bytes:
    return base64.b64decode(data_uri.split(",", 1)[1])


def _figure(data_uri: str, caption: str) -> Block:
    """A figure at its own printed size (never wider than the text, where docx caps it); a
    note in its place when the bytes are not an image."""
    data = _png(data_uri)
    width_in = png_width_in(data)
    if width_in is None:
        return Paragraph(f"(Figure not available: {caption})")
    return Figure(data, caption, width_mm=25.4 * width_in)


def _frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows)) if rows else pd.DataFrame()


class _Supplement:
    """Numbers the tables other than Table 1 and Table 2: Table S1, S2, ..."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, rows: Any, caption: str, notes: Sequence[str] = ()) -> list[Block]:
        frame = rows if isinstance(rows, pd.DataFrame) else _frame(rows)
        if frame.empty:
            return []
        self.n += 1
        return [Table(frame, caption, tuple(notes), label=f"Table S{self.n}")]


def _flow_table(flow: Mapping[str, Any]) -> pd.DataFrame:
    rows = []
    for o in flow["outcomes"]:
        reasons = "; ".join(f"{r['reason']}: {r['count']} ({', '.join(r['ids'])})"
                            for r in o["reasons"]) or "-"  # fmt: skip
        rows.append({**({"Group": o["group"]} if flow["arms"] else {}), "Outcome": o["label"],
                     "Analysed": o["n"], "Excluded": str(o["excluded"]),
                     "Reasons (participant ids)": reasons})  # fmt: skip
    return _frame(rows)


def _design_blocks(design: Mapping[str, Any] | None, supplement: _Supplement) -> list:
    """The design sections of report.html (report/sections.py), as supplementary tables."""
    blocks: list[Block] = []
    for section in (design or {}).get("sections", []):
        blocks.append(Heading(section["title"]))
        for t in section["tables"]:
            blocks += supplement(t["rows"], t["caption"], [t["note"]] if t["note"] else [])
    return blocks


def report_blocks(
    context: Mapping[str, Any],
    *,
    table1: pd.DataFrame | None,
    table2: pd.DataFrame,
    table2_caption: str,
    table2_notes: Sequence[str] = (),
) -> list[Block]:
    """The blocks of ``report.docx`` from the values of the HTML report.

    Parameters
    ----------
    context : mapping
        :func:`msrelax_stats.report.html.report_context` of the study.
    table1, table2 : DataFrame
        Table 1 (None when the file has no baseline characteristic) and Table 2, the frames
        written to ``table1.csv`` and ``table2.csv``.
    table2_caption, table2_notes : str, sequence of str
        Caption (without its number) and notes of Table 2.
    """
    flow = context["flow"]
    supplement = _Supplement()
    design = context.get("design") or {}
    primary = (f"the primary analysis is {context['primary_analysis']}" if design.get("arms")
               else f"the primary test is the {context['primary']}")  # fmt: skip
    blocks: list[Block] = [Paragraph(
        f"Change is post - pre; {primary}. Numbers are rounded for reading; full precision "
        "is in results.csv." + (f" Data: {flow['source']}." if flow.get("source") else "")
    )]  # fmt: skip
    blocks.append(Heading("Participant flow"))
    figure = context.get("flow_figure")
    if figure:
        blocks.append(_figure(figure["src"], figure["caption"]))
    blocks += supplement(_flow_table(flow), "Analysed per outcome (complete pairs) and "
                         "excluded, with reasons")  # fmt: skip
    notes = [*flow.get("notes", []), *((context.get("design") or {}).get("notes", []))]
    blocks += [Paragraph(f"Note: {n}") for n in notes]
    if table1 is not None:  # its caption is the heading (a landscape table starts a page)
        blocks.append(Table(table1, context["table1_caption"], tuple(context["table1_notes"]),
                            label="Table 1"))  # fmt: skip
    blocks.append(Heading("Results in words"))
    if design.get("arms_sentences"):  # as report.html: the between-arm result first
        first = design["paired_visits"][0]
        covariates = f" and {design['arms_covariates']}" if design["arms_covariates"] else ""
        blocks.append(
            Heading(
                f"Between arms (primary: {design['arms'][1]} against "
                f"{design['arms'][0]}, adjusted for {first}{covariates})",
                2,
            )
        )
        blocks += [Paragraph(s) for s in design["arms_sentences"]]
        blocks.append(Heading(f"Within each arm, {' to '.join(design['paired_visits'])} "
                              "(secondary: a within-arm change describes the arm; it is not a "
                              "test of the intervention)", 2))  # fmt: skip
    blocks += [Paragraph(s) for s in context["sentences"]]
    blocks.append(Table(table2, table2_caption, tuple(table2_notes), label="Table 2"))
    blocks += _design_blocks(design, supplement)
    blocks.append(Heading("Further tables"))
    blocks += supplement(context["descriptives"], "Descriptive statistics over the complete "
                         "pairs (SD with n - 1)", ["The Shapiro-Wilk test is information for the "
                         "reader; it did not choose the test."])  # fmt: skip
    blocks += supplement(context["further"], "Non-parametric tests, other effect sizes and "
                         "adjusted p-values", ["V: sum of ranks of positive differences (R's V). "
                         "HL: Hodges-Lehmann shift. g_av: BCa bootstrap CI. BH: "
                         "Benjamini-Hochberg."] + [f"† {c}" for c in context["caveats"]])  # fmt: skip
    blocks += supplement(context["caseness"], "Cases at each visit among complete pairs, exact "
                         "McNemar test")  # fmt: skip
    blocks += supplement(context["responders"], "Participants whose change reached the MCID in "
                         "the direction of improvement")  # fmt: skip
    blocks += supplement(context["reliability"], "Reliability in this sample: internal "
                         "consistency, floor and ceiling of every multi-item score at each "
                         "visit", [context["reliability_note"]])  # fmt: skip
    if context["figures"]:
        blocks.append(Heading("Figures"))
        blocks += [_figure(f["src"], f["caption"]) for f in context["figures"]]
    blocks += [Heading("Methods"), Paragraph(context["methods"])]
    if context["references"]:
        blocks.append(References(list(context["references"]), numbered=False))
    blocks.append(Heading("Exclusions"))
    blocks += supplement(context["exclusions"], "Every participant left out of an outcome, and "
                         "why") or [Paragraph("Nobody was left out of any analysis.")]  # fmt: skip
    blocks.append(Heading("Reproduce"))
    if context["command"]:
        blocks.append(Paragraph(f"Command: {context['command']}"))
    blocks += supplement(pd.DataFrame({"Software": list(context["versions"]),
                                       "Version": list(context["versions"].values())}),
                         "Software versions")  # fmt: skip
    blocks += supplement(pd.DataFrame({"Option": list(context["options"]),
                                       "Value (JSON)": list(context["options"].values())}),
                         "Analysis options")  # fmt: skip
    return blocks


def write_report_docx(
    path: str | Path,
    context: Mapping[str, Any],
    *,
    table1: pd.DataFrame | None,
    table2: pd.DataFrame,
    table2_caption: str,
    table2_notes: Sequence[str] = (),
    paper: str = "a4",
) -> Path:
    """Write ``report.docx`` (:func:`report_blocks`, laid out by
    :func:`msrelax_stats.report.docx.write_docx` on A4 or Letter)."""
    blocks = report_blocks(context, table1=table1, table2=table2, table2_caption=table2_caption,
                           table2_notes=table2_notes)  # fmt: skip
    title = str(context["title"]) + (f": {context['flow']['source']}"
                                      if context["flow"].get("source") else "")  # fmt: skip
    return write_docx(path, blocks, title=title, paper=paper)  # type: ignore[arg-type]
