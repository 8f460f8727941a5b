"""The paper's Table 2: the paired layout (one group, or within each arm) and the trial
layout (between arms at the endpoint). Its writers are in :mod:`msrelax_stats.report.formats`.

Numbers are rounded for reading here; full precision stays in ``results.csv``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import fmt_ci, fmt_int, fmt_num, fmt_p, is_missing

__all__ = ["table2", "table2_of", "format_test", "PRIMARY_TESTS"]

PRIMARY_TESTS = ("t", "wilcoxon")


def _value(row: Mapping[str, Any], key: str) -> Any:
    return row.get(key, np.nan)


def format_test(row: Mapping[str, Any], primary: str = "t", decimals: int = 2) -> str:
    """``"t(30) = -5.10"`` or ``"V = 12"`` (Wilcoxon, R's V = sum of positive ranks)."""
    if primary == "wilcoxon":
        w = _value(row, "w_plus")
        text = fmt_int(w) if not is_missing(w) and float(w).is_integer() else fmt_num(w, 1)
        return f"V = {text}"
    return f"t({fmt_int(_value(row, 'df'))}) = {fmt_num(_value(row, 't'), decimals)}"


def _check_primary(primary: str) -> None:
    if primary not in PRIMARY_TESTS:
        raise ValueError(f"primary must be one of {PRIMARY_TESTS}, not {primary!r}")


def table2(
    results: pd.DataFrame,
    decimals: int = 2,
    *,
    primary: str = "t",
    info: Mapping[str, Any] | None = None,
    families: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The paper's Table 2: one row per outcome, every number as text rounded for reading.

    The one Table 2 of a study: ``table2.csv``, ``.md``, ``.tex``, ``.html`` and the table of
    ``report.html`` are this same frame written in each format. The layout follows the
    design, read from ``results``: the paired table of a one-group study, or the trial table
    of a two-arm study (``results`` is the between-arm table, ``ancova_*`` columns).

    Parameters
    ----------
    results : DataFrame
        The paired results table (``results.csv``, columns of STATISTICS.md "Per outcome";
        with a ``group`` column, a leading ``Group`` column and one block per arm), or the
        between-arm table of a two-arm study (``arms.csv``:
        :func:`msrelax_stats.stats.ancova.between_arms` with the plan's ``family`` and
        ``p_adjusted``), of which the endpoint rows are shown.
    decimals : int
        Decimal places of means, SDs, changes, test statistics and effect sizes.
    primary : {"t", "wilcoxon"}
        The primary paired test named by the analysis plan: its statistic fills ``Test`` and
        its p fills ``p`` (paired layout).
    info : mapping, optional
        Outcome -> OutcomeInfo (``PairedResult.info``) for the labels; the built-in registry
        by default.
    families : DataFrame, optional
        ``StudyAnalysis.families`` ((``group``,) ``outcome``, ``family``, ``p_adjusted``):
        with it the paired layout has ``Family`` and ``p (adjusted)`` (the primary test's p
        adjusted within the plan's family) instead of ``p (Holm)``.

    Returns
    -------
    DataFrame
        All text. Paired layout: (``Group``,) ``Outcome``, (``Family``,) ``n``, ``Pre mean
        (SD)``, ``Post mean (SD)``, ``Change [95 % CI]``, ``Test``, ``p``, ``p (adjusted)``
        or ``p (Holm)``, ``d_z [95 % CI]``. Trial layout: ``Outcome``, ``Family``, per arm
        (control first) ``<arm>: n``, ``<arm>: <baseline>`` and ``<arm>: <endpoint>`` (mean
        (SD)), ``<arm>: change [95 % CI]``, then ``Adjusted difference [95 % CI]``,
        ``p``, ``p (adjusted)``, ``Standardised difference [95 % CI]``. The CI level follows
        ``results.ci_level``. ``attrs`` holds ``layout`` (``"paired"``/``"trial"``),
        ``primary``, ``ci_level``, ``outcomes`` (the score column names, in row order),
        ``caption`` and ``note``.

    Notes
    -----
    Paired: change is post - pre with its t-based CI; d_z = mean change / SD of change with
    the noncentral-t CI. Trial: the adjusted difference (treatment - control) of the ANCOVA
    of the endpoint on baseline and arm (and the plan's covariates), its p, the p adjusted
    within the outcome's family, and the standardised difference (adjusted difference /
    residual SD, exact CI); the within-arm changes are description. Signs are kept (negative
    = lower after, or lower in the treatment arm). p in APA style: ``"< .001"``, otherwise
    three decimals without the leading zero. An adjusted p of a family the plan leaves
    unadjusted (exploratory) reads ``"unadjusted"``.

    Examples
    --------
    >>> table2(results).iloc[0].to_dict()  # doctest: +SKIP
    {'Outcome': 'FSS mean', 'n': '31', 'Pre mean (SD)': '5.20 (0.90)', ...}
    """
    _check_primary(primary)
    if "outcome" not in results.columns:
        raise StudyDataError(Problem("is not a column of the results table", column="outcome"))
    level = float(results["ci_level"].iloc[0]) if "ci_level" in results and len(results) else 0.95
    if "ancova_diff" in results.columns:
        return _trial_table2(results, decimals, info, level)
    ci = f"{level * 100:g} % CI"
    d = decimals
    grouped = "group" in results.columns
    adjusted = _family_cells(results, families)
    p_name = "p (adjusted)" if adjusted is not None else "p (Holm)"
    columns = [*(["Group"] if grouped else []), "Outcome", *(["Family"] if adjusted else []),
               "n", "Pre mean (SD)", "Post mean (SD)", f"Change [{ci}]", "Test", "p", p_name,
               f"d_z [{ci}]"]  # fmt: skip
    records = []
    for k, row in enumerate(results.to_dict("records")):  # one row per outcome (and arm)
        get = row.get
        records.append({
            **({"Group": str(row["group"])} if grouped else {}),
            "Outcome": labels(info, str(row["outcome"])).label,
            **({"Family": adjusted[k][0]} if adjusted else {}),
            "n": fmt_int(get("n")),
            "Pre mean (SD)": f"{fmt_num(get('pre_mean'), d)} ({fmt_num(get('pre_sd'), d)})",
            "Post mean (SD)": f"{fmt_num(get('post_mean'), d)} ({fmt_num(get('post_sd'), d)})",
            f"Change [{ci}]": f"{fmt_num(get('diff_mean'), d)} "
            f"{fmt_ci(get('diff_ci_low'), get('diff_ci_high'), d)}",
            "Test": format_test(row, primary, d),
            "p": fmt_p(get("p_t") if primary == "t" else get("p_wilcoxon")),
            p_name: adjusted[k][1] if adjusted else fmt_p(get("p_holm")),
            f"d_z [{ci}]": f"{fmt_num(get('d_z'), d)} {fmt_ci(get('d_z_ci_low'), get('d_z_ci_high'), d)}",
        })  # fmt: skip
    table = pd.DataFrame.from_records(records, columns=columns)
    within = " within each arm" if grouped else ""
    note = (f"Test and p: {_TEST_NAMES[primary]}; p (adjusted): the p of the {_TEST_NAMES[primary]} "
            "adjusted within its family of the analysis plan (Holm, or fixed sequence, within "
            f"the family{within}; exploratory outcomes unadjusted)" if adjusted else
            f"Test and p: {_TEST_NAMES[primary]}; p (Holm): Holm-adjusted p of the t-tests over "
            f"all outcomes{' of the arm' if grouped else ''}") + (
            ". d_z: mean change / SD of change, CI by the noncentral t.")  # fmt: skip
    table.attrs.update({"layout": "paired", "primary": primary, "ci_level": level,
                        "outcomes": [str(o) for o in results["outcome"]],
                        "caption": f"Table 2. Pre/post comparison{within} (change = post - pre, "
                                   f"{ci}s)", "note": note})  # fmt: skip
    return table


_TEST_NAMES = {"t": "paired t-test", "wilcoxon": "Wilcoxon signed-rank test"}


def _adjusted_cell(row: Mapping[str, Any]) -> str:
    """``p_adjusted`` as text; ``"unadjusted"`` in a family the plan leaves unadjusted."""
    if row.get("multiplicity") == "none":
        return "unadjusted"
    return fmt_p(row.get("p_adjusted"))


def _family_cells(results: pd.DataFrame,
                  families: pd.DataFrame | None) -> list[tuple[str, str]] | None:  # fmt: skip
    """(Family, p (adjusted)) cells of each row of ``results``, or None without families."""
    if families is None or "family" not in families.columns:
        return None
    keys = [c for c in ("group", "outcome") if c in results.columns and c in families.columns]
    fam = {tuple(str(r[k]) for k in keys): r for r in families.to_dict("records")}
    hits = [fam.get(tuple(str(row[k]) for k in keys), {}) for row in results.to_dict("records")]
    return [(str(h.get("family") or ""), _adjusted_cell(h)) for h in hits]


def _trial_table2(results: pd.DataFrame, decimals: int, info: Mapping[str, Any] | None,
                  level: float) -> pd.DataFrame:  # fmt: skip
    """Table 2 of a two-arm study: the endpoint rows of the between-arm table."""
    rows = results[results["endpoint"].astype(bool)] if "endpoint" in results else results
    d, ci = decimals, f"{level * 100:g} % CI"
    first = rows.iloc[0] if len(rows) else {}
    ctl, trt = str(first.get("control", "control")), str(first.get("treatment", "treatment"))
    visit = str(first.get("visit", "endpoint"))
    baseline = str(results.attrs.get("baseline", "baseline"))
    arms = (("control", ctl), ("treatment", trt))
    columns = ["Outcome", "Family"]
    for _, arm in arms:
        columns += [f"{arm}: n", f"{arm}: {baseline}", f"{arm}: {visit}", f"{arm}: change [{ci}]"]
    columns += [f"Adjusted difference [{ci}]", "p", "p (adjusted)",
                f"Standardised difference [{ci}]"]  # fmt: skip
    records = []
    for row in rows.to_dict("records"):  # one row per outcome
        get = row.get
        record = {"Outcome": labels(info, str(row["outcome"])).label,
                  "Family": str(get("family") or "")}  # fmt: skip
        for role, arm in arms:
            record.update({
                f"{arm}: n": fmt_int(get(f"n_{role}")),
                f"{arm}: {baseline}": f"{fmt_num(get(f'pre_mean_{role}'), d)} "
                f"({fmt_num(get(f'pre_sd_{role}'), d)})",
                f"{arm}: {visit}": f"{fmt_num(get(f'post_mean_{role}'), d)} "
                f"({fmt_num(get(f'post_sd_{role}'), d)})",
                f"{arm}: change [{ci}]": f"{fmt_num(get(f'change_mean_{role}'), d)} "
                f"{fmt_ci(get(f'change_ci_low_{role}'), get(f'change_ci_high_{role}'), d)}",
            })  # fmt: skip
        record.update({
            f"Adjusted difference [{ci}]": f"{fmt_num(get('ancova_diff'), d)} "
            f"{fmt_ci(get('ancova_ci_low'), get('ancova_ci_high'), d)}",
            "p": fmt_p(get("ancova_p")),
            "p (adjusted)": _adjusted_cell(row),
            f"Standardised difference [{ci}]": f"{fmt_num(get('ancova_smd'), d)} "
            f"{fmt_ci(get('ancova_smd_ci_low'), get('ancova_smd_ci_high'), d)}",
        })  # fmt: skip
        records.append(record)
    table = pd.DataFrame.from_records(records, columns=columns)
    covariates = str(first.get("covariates") or "") if len(rows) else ""
    adjusted_for = f"{baseline}" + (f" and {covariates.replace(' + ', ', ')}" if covariates else "")
    table.attrs.update({
        "layout": "trial", "primary": "ancova", "ci_level": level, "endpoint": visit,
        "outcomes": [str(o) for o in rows["outcome"]],
        "caption": f"Table 2. {trt} against {ctl} at {visit}: difference adjusted for "
                   f"{adjusted_for} (ANCOVA, {trt} - {ctl}); {baseline} and {visit} as mean (SD); "
                   f"within-arm change = {visit} - {baseline} ({ci}s).",
        "note": f"Adjusted difference and p: ANCOVA of the {visit} score on the {baseline} score "
                f"and arm{' and ' + covariates.replace(' + ', ', ') if covariates else ''} "
                f"({ctl} = reference); p (adjusted): adjusted within the outcome's family of the "
                "analysis plan (Holm, or fixed sequence, within the family; exploratory outcomes "
                "unadjusted). Standardised difference: adjusted difference / residual SD of the "
                "ANCOVA, exact CI by the noncentral t. Within-arm change: paired-t CI "
                "(description, not a test of the intervention).",
    })  # fmt: skip
    return table


def table2_of(analysis: Any, decimals: int = 2) -> pd.DataFrame:
    """The Table 2 of a ``StudyAnalysis``: the trial layout with two arms (the between-arm
    table at the endpoint), else the paired layout with the plan's families."""
    if analysis.arms is not None:
        table = analysis.arms.table
        table.attrs["baseline"] = analysis.design.visits[0]
        return table2(table, decimals, info=analysis.info)
    return table2(analysis.paired.table, decimals, primary=analysis.options.primary_test,
                  info=analysis.info, families=analysis.families)  # fmt: skip
