"""The rows of the paired analysis as the reports show them (descriptives, further
statistics, caveats, caseness, responders, result sentences): values rounded and labelled,
read from the results tables; nothing is computed here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import fmt_ci, fmt_int, fmt_num, fmt_p, is_missing
from msrelax_stats.report.text import result_sentence

__all__ = [
    "frame_rows",
    "caseness",
    "caveat_lines",
    "descriptives",
    "further",
    "per_group",
    "responders",
    "sentences",
]


def frame_rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The records of ``frame`` (none for ``None``)."""
    return [] if frame is None else frame.to_dict("records")


def descriptives(results: pd.DataFrame, d: int, info: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for r in results.to_dict("records"):  # one per outcome
        g = r.get
        rows.append({
            "Outcome": labels(info, str(r["outcome"])).label, "n": fmt_int(g("n")),
            "Pre mean (SD)": f"{fmt_num(g('pre_mean'), d)} ({fmt_num(g('pre_sd'), d)})",
            "Pre median": fmt_num(g("pre_median"), d),
            "Post mean (SD)": f"{fmt_num(g('post_mean'), d)} ({fmt_num(g('post_sd'), d)})",
            "Post median": fmt_num(g("post_median"), d),
            "r pre-post": fmt_num(g("r_pre_post"), d),
            "Shapiro-Wilk W (p) of changes": f"{fmt_num(g('shapiro_w'), 3)} ({fmt_p(g('shapiro_p'))})",
        })  # fmt: skip
    return rows


#: The cells of "Further statistics" a caveat of each statistic marks.
_CAVEAT_CELLS = {"wilcoxon": ("Wilcoxon V", "p (Wilcoxon)"), "hl": ("HL shift [CI]",),
                 "rank_biserial": ("Rank-biserial [CI]",)}  # fmt: skip


def further(results: pd.DataFrame, d: int, info: Mapping[str, Any],
             caveats: pd.DataFrame | None = None) -> list[dict[str, str]]:  # fmt: skip
    marked = set()
    if caveats is not None and len(caveats):
        marked = set(
            zip(caveats["outcome"].astype(str), caveats["statistic"].astype(str), strict=True)
        )
    rows = []
    for r in results.to_dict("records"):  # one per outcome
        g = r.get
        row = {
            "Outcome": labels(info, str(r["outcome"])).label,
            "Wilcoxon V": fmt_num(g("w_plus"), 1), "p (Wilcoxon)": fmt_p(g("p_wilcoxon")),
            "Wilcoxon method": "" if is_missing(g("wilcoxon_method")) else str(g("wilcoxon_method")),
            "p (sign test)": fmt_p(g("p_sign")),
            "HL shift [CI]": f"{fmt_num(g('hl_shift'), d)} {fmt_ci(g('hl_ci_low'), g('hl_ci_high'), d)}",
            "g_av [CI]": f"{fmt_num(g('g_av'), d)} {fmt_ci(g('g_av_ci_low'), g('g_av_ci_high'), d)}",
            "Rank-biserial [CI]": f"{fmt_num(g('rank_biserial'), d)} "
            f"{fmt_ci(g('rank_biserial_ci_low'), g('rank_biserial_ci_high'), d)}",
            "BF10": fmt_num(g("bf10"), 2), "p (Holm)": fmt_p(g("p_holm")), "p (BH)": fmt_p(g("p_fdr")),
        }  # fmt: skip
        for statistic, cells in _CAVEAT_CELLS.items():
            if (str(r["outcome"]), statistic) in marked:
                row.update({cell: row[cell] + " \u2020" for cell in cells})
        rows.append(row)
    return rows


def caveat_lines(caveats: pd.DataFrame, info: Mapping[str, Any]) -> list[str]:
    names = {"wilcoxon": "Wilcoxon", "hl": "Hodges-Lehmann", "rank_biserial": "rank-biserial"}
    group = "group" in caveats.columns
    return [(f"{r['group']}: " if group else "") + f"{labels(info, str(r['outcome'])).label}, "
            f"{names.get(str(r['statistic']), r['statistic'])}: {r['caveat']}"
            for r in caveats.to_dict("records")]  # fmt: skip


def count_pct(count: Any, n: Any) -> str:
    if is_missing(count) or is_missing(n) or not n:
        return "n/a"
    return f"{int(count)} ({100 * float(count) / float(n):.0f} %)"


def caseness(caseness: pd.DataFrame | None, info: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for r in frame_rows(caseness):
        n = r.get("n")
        rows.append({
            "Outcome": labels(info, str(r["outcome"])).label, "n": fmt_int(n),
            "Pre yes": count_pct(r.get("pre_yes"), n), "Post yes": count_pct(r.get("post_yes"), n),
            "Yes to no": fmt_int(r.get("pre_yes_post_no")), "No to yes": fmt_int(r.get("pre_no_post_yes")),
            "McNemar exact p": fmt_p(r.get("p_mcnemar")),
        })  # fmt: skip
    return rows


def responders(responders: pd.DataFrame | None, info: Mapping[str, Any],
                level: float) -> list[dict[str, str]]:  # fmt: skip
    rows = []
    for r in frame_rows(responders):
        kind = " %" if r.get("mcid_kind") == "percent" else " points"
        share = r.get("proportion")
        rows.append({
            "Outcome": labels(info, str(r["outcome"])).label, "n": fmt_int(r.get("n")),
            "MCID": fmt_num(r.get("mcid"), 2) + kind,
            "Source": "" if is_missing(r.get("source")) else str(r.get("source")),
            "Responders": f"{fmt_int(r.get('responders'))} "
            f"({'n/a' if is_missing(share) else f'{100 * float(share):.0f} %'})",
            f"Wilson {level * 100:g} % CI": fmt_ci(100 * float(r.get("ci_low", float("nan"))),
                                     100 * float(r.get("ci_high", float("nan"))), 0) + " %",
        })  # fmt: skip
    return rows


def per_group(frame: pd.DataFrame | None, rows: Any, *args: Any) -> Any:
    """``rows(frame, *args)``, or with a leading ``Group`` cell per arm block when ``frame``
    has a ``group`` column (two-arm studies: one block per arm; a table among ``args`` with a
    ``group`` column is cut to the same arm)."""
    if frame is None or "group" not in frame.columns:
        return rows(frame, *args)
    out = []
    for name, part in frame.groupby(frame["group"].astype(str), sort=False):
        same = [a[a["group"].astype(str) == name].drop(columns="group")
                if isinstance(a, pd.DataFrame) and "group" in a.columns else a for a in args]  # fmt: skip
        out += [{"Group": name, **r} for r in rows(part.drop(columns="group"), *same)]
    return out


def sentences(results: pd.DataFrame, primary: str, decimals: int,
               info: Mapping[str, Any]) -> list[str]:  # fmt: skip
    return [("" if "group" not in row else f"{row['group']}: ")
            + result_sentence(row, labels(info, str(row["outcome"])), primary=primary,
                              decimals=decimals)
            for row in results.to_dict("records")]  # fmt: skip
