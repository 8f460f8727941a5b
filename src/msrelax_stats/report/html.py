"""One self-contained ``report.html`` (jinja2, autoescaped).

The template is ``report/templates/report.html.j2`` and the stylesheet
``report/templates/report.css`` (inlined); figures are embedded as base64 PNG, so the file
needs no network and contains no external URL. Every value that came from the input (ids,
column names, labels, reasons, options, the command) is HTML-escaped by jinja2's autoescape.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from msrelax_stats.errors import Problem
from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import fmt_int
from msrelax_stats.report.designs import design_context, design_methods
from msrelax_stats.report.gallery import (
    FigureSpec,
    as_specs,
    figure_data_uri,
    make_figures,
    png_width_in,
)
from msrelax_stats.report.missing import missing_context, missing_methods
from msrelax_stats.report.options import ReportOptions
from msrelax_stats.report.paired_rows import (
    caseness,
    caveat_lines,
    descriptives,
    frame_rows,
    further,
    per_group,
    responders,
    sentences,
)
from msrelax_stats.report.tables import table2_of
from msrelax_stats.report.text import coding_sentences, methods_paragraph
from msrelax_stats.versions import package_versions

__all__ = ["report_context", "figure_context", "write_report", "software_versions"]

TEMPLATES = Path(__file__).parent / "templates"


def software_versions() -> dict[str, str]:
    """Python and the versions of the packages the analysis ran on (the same as
    ``results.json`` records: :func:`msrelax_stats.versions.package_versions`)."""
    return package_versions()


def _flow(scored: pd.DataFrame, results: pd.DataFrame, exclusions: pd.DataFrame | None,
          flow: Mapping[str, Any] | None, info: Mapping[str, Any]) -> dict[str, Any]:  # fmt: skip
    """Enrolled, seen per visit, analysed and excluded (with reasons and ids) per outcome."""
    flow = dict(flow or {})
    ids = scored["id"].astype(str)
    per_visit = ids.groupby(scored["time"].astype(str), sort=False).nunique()
    by_group = "group" in results.columns
    arm = scored["group"].astype(str) if by_group and "group" in scored.columns else None
    arms, detail = [], {}
    if arm is not None:  # arms of the results table, and per visit "control 16, relaxation 16"
        shown = list(dict.fromkeys(results["group"].astype(str)))
        per_arm = ids.groupby(arm, sort=False).nunique()
        arms = [{"arm": a, "n": int(per_arm.get(a, 0))} for a in shown]
        counts = ids.groupby([scored["time"].astype(str), arm], sort=False).nunique()
        for (visit, a), k in counts.items():  # visits x arms, a handful
            if a in shown:
                detail[visit] = f"{detail[visit]}, {a} {k}" if visit in detail else f"{a} {k}"
    excl = (
        exclusions if exclusions is not None else pd.DataFrame(columns=["id", "outcome", "reason"])
    )
    if "analysis" in excl.columns:  # the paired table's own ledger only
        excl = excl[excl["analysis"].astype(str).str.startswith("paired")]
    excl = excl.assign(id=excl["id"].astype(str), outcome=excl["outcome"].astype(str),
                       reason=excl["reason"].astype(str))  # fmt: skip
    keys = ["outcome", "reason"]
    if by_group and "group" in excl.columns:
        excl, keys = excl.assign(group=excl["group"].fillna("").astype(str)), ["group", *keys]
    grouped = excl.groupby(keys, sort=False)["id"].agg(list)
    outcomes = []
    for row in results.to_dict("records"):  # one per outcome (and arm)
        name = str(row["outcome"])
        key = (str(row["group"]), name) if len(keys) == 3 else (name,)
        reasons = [{"reason": k[-1], "ids": ids_, "count": len(ids_)}
                   for k, ids_ in grouped.items() if k[:-1] == key]  # fmt: skip
        outcomes.append({"label": labels(info, name).label, "outcome": name,
                         "group": str(row["group"]) if by_group else "",
                         "n": fmt_int(row.get("n")), "excluded": sum(r["count"] for r in reasons),
                         "reasons": reasons})  # fmt: skip
    return {
        "enrolled": flow.get("enrolled", ids.nunique()),
        "arms": arms,
        "per_visit": [
            {"visit": v, "n": int(n), "detail": detail.get(v, "")} for v, n in per_visit.items()
        ],  # fmt: skip
        "outcomes": outcomes,
        "source": flow.get("source"),
        "notes": [_note(n) for n in flow.get("notes", [])],
    }


def _note(note: Any) -> str:
    """A note as text; a ``Problem.to_dict()`` record is shown as the Problem reads."""
    if isinstance(note, Mapping) and "message" in note:
        fields = ("message", "participant", "visit", "column", "value", "file")
        return str(Problem(**{k: note.get(k) for k in fields}))
    return str(note)


def _primary_analysis(analysis: Any) -> str:
    """What the report's lead names as the primary analysis."""
    if analysis.arms is None:
        primary = analysis.options.primary_test
        return "the " + ("paired t-test" if primary == "t" else "Wilcoxon signed-rank test")
    first, endpoint = analysis.design.paired_visits
    covariates = ", ".join(analysis.arms.options.get("covariates") or [])
    return (f"the comparison between arms at {endpoint} (ANCOVA adjusted for {first}"
            f"{' and ' + covariates if covariates else ''}); within-arm tests are secondary")  # fmt: skip


def _manuscript_context(analysis: Any, registry: Any, context: Mapping[str, Any],
                        table1: pd.DataFrame | None) -> dict[str, Any]:  # fmt: skip
    """Table 1, the reliability table and the reference list."""
    from msrelax_stats.report.references import reference_list
    from msrelax_stats.report.reliability import RELIABILITY_NOTE, reliability_rows
    from msrelax_stats.report.table1 import table1 as make_table1

    baseline = getattr(analysis, "baseline", None)
    if table1 is None and baseline is not None and baseline.kinds:
        table1 = make_table1(baseline)
    notes = list(table1.attrs.get("notes", [])) if table1 is not None else []
    reliability = reliability_rows(getattr(analysis, "reliability", None), context["decimals"])
    cited = [context["methods"], *notes]
    return {
        "table1": [] if table1 is None else table1.to_dict("records"),
        "table1_caption": "" if table1 is None else str(table1.attrs.get("caption", "")),
        "table1_notes": notes,
        "reliability": reliability.to_dict("records"),
        "reliability_note": RELIABILITY_NOTE,
        "references": [r.text for r in reference_list(cited, registry)],
    }


@functools.cache
def report_template() -> jinja2.Template:
    """The report's template (``templates/report.html.j2``, autoescaped), compiled once per
    process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("report.html.j2")


def report_context(
    *,
    scored: pd.DataFrame,
    analysis: Any,
    registry: Any,
    options: ReportOptions | None = None,
    versions: Mapping[str, str] | None = None,
    flow: Mapping[str, Any] | None = None,
    figures: Sequence[FigureSpec] | Mapping[str, Any] | None = None,
    table: pd.DataFrame | None = None,
    table1: pd.DataFrame | None = None,
    flow_figure: FigureSpec | None = None,
) -> dict[str, Any]:
    """Everything ``report.html`` shows, as text and rows (``report.docx`` lays out the same).

    The values are rounded and labelled here, read from ``analysis`` (no statistic is
    computed).

    Parameters
    ----------
    scored : DataFrame
        Scored long table (``id``, ``time``, scores).
    analysis : StudyAnalysis
        Every result shown (:func:`msrelax_stats.stats.analysis.analyse`): tables, figures'
        numbers, sentences, the ledger; its options are printed and drive the methods.
    registry : Registry
        The registry the table was scored with (the methods' scoring sentence).
    options : ReportOptions, optional
        Decimals, figure set, the command line to print.
    versions : mapping, optional
        Software versions (default :func:`software_versions`).
    flow : mapping, optional
        Extra flow information: ``enrolled`` (int, default the number of ids in ``scored``),
        ``source`` (input file name), ``notes`` (list of text, e.g. flagged values).
    figures : list of FigureSpec or mapping name -> Figure/Axes/PNG path, optional
        Figures to embed; by default :func:`msrelax_stats.report.gallery.make_figures`.
    table : DataFrame, optional
        Table 2 as :func:`msrelax_stats.report.tables.table2_of` made it (the one written to
        ``table2.*``); made here when omitted.
    table1 : DataFrame, optional
        Table 1 as :func:`msrelax_stats.report.table1.table1` made it (the one written to
        ``table1.*``); made here from ``analysis.baseline`` when omitted.
    flow_figure : FigureSpec, optional
        The participant flow diagram (``figures/flow.png``), shown in the flow section;
        without it the flow is drawn as boxes.
    """
    options = options or ReportOptions()
    versions = dict(versions) if versions is not None else software_versions()
    paired, info, d = analysis.paired, analysis.info, options.decimals
    primary = analysis.options.primary_test
    results = paired.table
    if figures is None:
        figures = make_figures(scored, analysis, options.figure_set)
    if table is None:
        table = table2_of(analysis, d)
    recorded = {**analysis.recorded_options(), "report": options.to_dict()}
    level = analysis.options.ci_level
    context = {
        "title": "msrelax_stats report",
        "flow": _flow(scored, results, analysis.exclusions, flow, info),
        "descriptives": per_group(results, descriptives, d, info),
        "table2": table.to_dict("records"),
        "table2_columns": list(table.columns),
        "table2_caption": table.attrs.get("caption", "Table 2"),
        "table2_note": table.attrs.get("note", ""),
        "further": per_group(results, further, d, info, paired.caveats),
        "caveats": caveat_lines(paired.caveats, info),
        "caseness": per_group(paired.caseness, caseness, info),
        "responders": per_group(paired.responders, responders, info, level),
        "exclusions": frame_rows(analysis.exclusions),
        "sentences": sentences(results, primary, d, info),
        "methods": methods_paragraph(
            analysis,
            registry,
            versions,
            extra=[
                *coding_sentences(scored, registry),
                *design_methods(analysis),
                *missing_methods(analysis),
            ],
        ),  # fmt: skip
        "command": options.command,
        "options": {
            str(k): json.dumps(v, sort_keys=True, default=str)
            for k, v in sorted(recorded.items(), key=lambda kv: str(kv[0]))
        },  # fmt: skip
        "versions": versions,
        "primary": "paired t-test" if primary == "t" else "Wilcoxon signed-rank test",
        "primary_analysis": _primary_analysis(analysis),
        "ci_pct": f"{level * 100:g}",
        "decimals": d,
        **design_context(analysis, d),
        **missing_context(analysis, d),
    }
    context.update(_manuscript_context(analysis, registry, context, table1))
    context.update(figure_context(figures, flow_figure))
    return context


def figure_context(figures: Sequence[FigureSpec] | Mapping[str, Any],
                   flow_figure: FigureSpec | None = None) -> dict[str, Any]:  # fmt: skip
    """The figures of :func:`report_context` (``"figures"``, ``"flow_figure"``), each embedded
    as a ``data:`` URI of its PNG (:func:`msrelax_stats.report.gallery.figure_data_uri`).

    The rest of the context does not depend on them: ``write_outputs`` makes it with no
    figures while the figures are saved, and adds these once their files exist.
    """
    flow = None
    if flow_figure is not None:
        src = figure_data_uri(flow_figure.figure)
        flow = {"name": flow_figure.name, "caption": flow_figure.caption, "src": src,
                "width_in": png_width_in(base64.b64decode(src.split(",", 1)[1]))}  # fmt: skip
    return {
        "figures": [
            {"name": s.name, "caption": s.caption, "src": figure_data_uri(s.figure)}
            for s in as_specs(figures)
        ],  # fmt: skip
        "flow_figure": flow,
    }


def write_report(out_dir: str | Path, context: dict[str, Any] | None = None, **inputs: Any) -> Path:
    """Render ``out_dir/report.html``: one self-contained, print-friendly HTML file.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if needed).
    context : dict, optional
        The values to show, as :func:`report_context` made them.
    **inputs
        Without ``context``: the arguments of :func:`report_context` (``scored``,
        ``analysis``, ``registry``, ``options``, ``figures``, ...), from which it is made.

    Returns
    -------
    Path
        The ``report.html`` written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if context is None:
        context = report_context(**inputs)
    context = dict(context)
    context["css"] = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    text = report_template().render(**context)
    path = out / "report.html"
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
