"""APA-style result sentences and a methods paragraph that states every analysis choice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from msrelax_stats.figures._common import outcome_info
from msrelax_stats.figures._format import fmt_ci, fmt_int, fmt_num, fmt_p, is_missing
from msrelax_stats.report.tables import PRIMARY_TESTS, format_test

__all__ = ["result_sentence", "methods_paragraph", "primary_test", "paired_visits", "SCORING_RULES"]


def _ci_text(level: Any) -> str:
    level = 0.95 if is_missing(level) else float(level)
    return f"{level * 100:g} % CI"


def result_sentence(
    row: Mapping[str, Any] | pd.Series,
    info: Any = None,
    *,
    primary: str = "t",
    decimals: int = 2,
) -> str:
    """One APA-style sentence for one outcome of the results table.

    Parameters
    ----------
    row : mapping or Series
        One row of ``results.csv``.
    info : OutcomeInfo, optional
        Label of the outcome; looked up from ``row["outcome"]`` when omitted.
    primary : {"t", "wilcoxon"}
        The analysis plan's primary test, reported first; the other follows in a clause.
    decimals : int
        Decimal places of every number but p.

    Returns
    -------
    str
        For example ``"FSS mean decreased from 5.20 (SD 0.90) to 4.40 (SD 1.00), mean change
        -0.80, 95 % CI [-1.10, -0.50], t(30) = -5.10, p < .001, d_z = -0.92 [-1.34, -0.50];
        Wilcoxon signed-rank V = 12, p < .001 (n = 31 pairs)."``

    Notes
    -----
    The direction word comes from the sign of the mean change post - pre ("decreased",
    "increased", "did not change"); the change and d_z keep their signs.

    Examples
    --------
    >>> result_sentence(results.iloc[0])  # doctest: +SKIP
    """
    if primary not in PRIMARY_TESTS:
        raise ValueError(f"primary must be one of {PRIMARY_TESTS}, not {primary!r}")
    row = dict(row)
    info = outcome_info(str(row["outcome"])) if info is None else info
    get = row.get
    d = decimals
    diff = get("diff_mean")
    if is_missing(diff):
        return f"{info.label}: too few complete pairs (n = {fmt_int(get('n'))}) to compare."
    diff = float(diff)
    verb = "decreased" if diff < 0 else "increased" if diff > 0 else "did not change"
    t_part = f"{format_test(row, 't', d)}, {fmt_p(get('p_t'), prefix=True)}"
    w_part = f"{format_test(row, 'wilcoxon', d)}, {fmt_p(get('p_wilcoxon'), prefix=True)}"
    main, other = (t_part, w_part) if primary == "t" else (f"Wilcoxon signed-rank {w_part}", t_part)
    other_name = "Wilcoxon signed-rank" if primary == "t" else "paired t-test"
    return (
        f"{info.label} {verb} from {fmt_num(get('pre_mean'), d)} (SD {fmt_num(get('pre_sd'), d)})"
        f" to {fmt_num(get('post_mean'), d)} (SD {fmt_num(get('post_sd'), d)}),"
        f" mean change {fmt_num(diff, d)}, {_ci_text(get('ci_level'))}"
        f" {fmt_ci(get('diff_ci_low'), get('diff_ci_high'), d)}, {main},"
        f" d_z = {fmt_num(get('d_z'), d)} {fmt_ci(get('d_z_ci_low'), get('d_z_ci_high'), d)};"
        f" {other_name} {other} (n = {fmt_int(get('n'))} pairs)."
    )


#: How each instrument is scored (INSTRUMENTS.md), as stated in the methods paragraph.
SCORING_RULES: dict[str, str] = {
    "FSS": "the Fatigue Severity Scale (FSS; Krupp 1989) as the mean of its nine items (1-7), "
    "fatigue defined as a mean of {fss_cutoff:g} or more",
    "PSQI": "the Pittsburgh Sleep Quality Index (PSQI; Buysse 1989) as seven component scores "
    "(0-3) and their sum, the global score (0-21), by the University of Pittsburgh rules with "
    "time in bed taken modulo 24 h and sleep efficiency compared exactly (no rounding), sleep "
    "duration binned by the '{duration_rule}' rule, efficiency above 100 % {efficiency_text}, "
    "item 5j counted only when its description was given (when the description was recorded), "
    "and poor sleep defined as a global score above 5",
    "MFIS": "the Modified Fatigue Impact Scale (MFIS) as its total (0-84) and physical, "
    "cognitive and psychosocial subscales, fatigue defined as a total of 38 or more",
    "MFIS-5": "the five-item MFIS (MFIS-5) as its total (0-20)",
    "ESS": "the Epworth Sleepiness Scale (ESS; Johns 1991) as the sum of eight items (0-24), "
    "excessive daytime sleepiness defined as a total above 10",
    "ISI": "the Insomnia Severity Index (ISI; Bastien 2001) as the sum of seven items (0-28)",
    "HADS": "the Hospital Anxiety and Depression Scale (HADS) as anxiety (odd items) and "
    "depression (even items) subscales (0-21), one missing item per subscale replaced by the "
    "mean of the answered items",
    "FSMC": "the Fatigue Scale for Motor and Cognitive Functions (FSMC; Penner 2009) as its "
    "total (20-100) and motor and cognitive subscales (10-50)",
    "PSFS": "the Penn Spasm Frequency Scale (Penn 1989) frequency item (0-4)",
    "NRS": "0-10 numeric rating scales, analysed as continuous outcomes",
}


def _option(options: Mapping[str, Any], key: str, default: Any, section: str = "") -> Any:
    """``options[section][key]``, ``options["scoring"][section][key]``,
    ``options["scoring"][key]`` or ``options[key]``, the first present."""
    scoring = options.get("scoring")
    scoring = scoring if isinstance(scoring, Mapping) else {}
    places = [options.get(section), scoring.get(section)] if section else []
    for place in [*places, scoring, options]:
        if isinstance(place, Mapping) and key in place and place[key] is not None:
            return place[key]
    return default


def primary_test(options: Mapping[str, Any]) -> str:
    """The primary test of the analysis plan: ``options["primary_test"]`` (or ``"primary"``)."""
    value = options.get("primary_test", options.get("primary")) or "t"
    if value not in PRIMARY_TESTS:
        raise ValueError(f"primary test must be one of {PRIMARY_TESTS}, not {value!r}")
    return str(value)


def paired_visits(options: Mapping[str, Any]) -> tuple[str, str]:
    """The two visits compared: ``options["paired_visits"]``, else first and last of
    ``options["visits"]``, else ``("pre", "post")``."""
    visits = options.get("paired_visits") or options.get("visits") or ("pre", "post")
    visits = [str(v) for v in visits]
    return visits[0], visits[-1]


def _scoring_sentence(options: Mapping[str, Any], instruments: list[str]) -> str:
    values = {
        "fss_cutoff": float(_option(options, "fss_cutoff", 4, "fss")),
        "duration_rule": _option(options, "duration_rule", "pittsburgh", "psqi"),
        "efficiency_text": "treated as missing"
        if _option(options, "efficiency_over_100", "score", "psqi") == "missing"
        else "scored 0 and flagged",
    }
    rules = [SCORING_RULES[i].format(**values) for i in instruments if i in SCORING_RULES]
    custom = [i for i in instruments if i not in SCORING_RULES]
    rules += [f"{name} by its supplied specification" for name in custom]
    if not rules:
        return ""
    return "We scored " + "; ".join(rules) + "."


def _missing_sentence(options: Mapping[str, Any]) -> str:
    k = int(_option(options, "max_missing_components", 0, "psqi"))
    prorate = _option(options, "prorate", None)
    text = (
        "Missing items were handled by a strict rule: a score that needs a missing item was "
        "treated as missing, never computed from fewer items"
    )
    if k > 0:
        text += (
            f"; the PSQI global score was prorated (7/n x sum) with up to {k} missing components"
        )
    if prorate:
        text += f"; proration was enabled for {', '.join(map(str, prorate))}"
    return text + "."


def methods_paragraph(
    options: Mapping[str, Any],
    instruments: Iterable[str],
    versions: Mapping[str, str],
    *,
    responders: pd.DataFrame | None = None,
    n_outcomes: int | None = None,
    extra: Iterable[str] = (),
) -> str:
    """A methods paragraph naming every choice of the analysis.

    Parameters
    ----------
    options : mapping
        Analysis options. Read (all optional, defaults in brackets): ``paired_visits`` or
        ``visits`` [("pre", "post")], ``primary_test`` (or ``primary``) ["t"], ``ci_level`` [0.95], ``n_boot`` [10000],
        ``seed`` [1], ``fss_cutoff`` [4], ``duration_rule`` ["pittsburgh"],
        ``efficiency_over_100`` ["score"], ``max_missing_components`` [0], ``prorate``;
        instrument options may also sit in ``options["psqi"]``, ``options["scoring"]`` or
        ``options["scoring"]["psqi"]`` (as ``analyze`` records them).
    instruments : iterable of str
        Instrument codes present, e.g. ``["FSS", "PSQI"]``.
    versions : mapping
        Software name -> version, in the order to print.
    responders : DataFrame, optional
        The responders table; its ``mcid``/``mcid_kind``/``source`` columns are quoted.
    n_outcomes : int, optional
        Number of outcomes the multiplicity adjustment ran over.
    extra : iterable of str
        Further sentences (two arms, visits, diary: :func:`msrelax_stats.report.designs.
        design_methods`), placed after the caseness sentence.

    Returns
    -------
    str
        One paragraph of plain text.

    Examples
    --------
    >>> text = methods_paragraph({"primary_test": "t"}, ["FSS", "PSQI"], {"msrelax_stats": "0.1"})
    >>> "Holm" in text and "noncentral t" in text
    True
    """
    instruments = list(dict.fromkeys(str(i) for i in instruments))
    visits = paired_visits(options)
    primary = primary_test(options)
    level = float(options.get("ci_level", 0.95))
    pct = f"{level * 100:g} %"
    n_boot = int(options.get("n_boot", 10000))
    seed = options.get("seed", 1)
    primary_name = "Wilcoxon signed-rank test" if primary == "wilcoxon" else "paired t-test"
    over = f" over the {n_outcomes} outcomes" if n_outcomes else " over all outcomes of the table"
    parts = [
        _scoring_sentence(options, instruments),
        _missing_sentence(options),
        f"Visits {visits[0]!r} and {visits[-1]!r} were paired by participant id, never by row "
        "order; for each outcome only participants with both visits scored were analysed, and "
        "everyone left out is listed with the reason.",
        "Change was computed as post - pre; lower scores are better on all instruments unless "
        "stated, so a negative change is an improvement, and no effect size was turned into an "
        "absolute value.",
        "Each outcome was compared with both the paired t-test and the Wilcoxon signed-rank test "
        "(zero differences dropped; exact p with fewer than 50 non-zero differences and no ties, "
        "otherwise the normal approximation with tie-corrected variance and continuity "
        f"correction), both reported; the primary test, fixed in the analysis plan, was the "
        f"{primary_name}. The Shapiro-Wilk test of the differences is shown as information only "
        "and did not select the test. The exact sign test and the Hodges-Lehmann estimate of the "
        "shift are also given.",
        f"Mean changes carry {pct} t-based confidence intervals. The standardised effect d_z "
        f"(mean change / SD of change) has a {pct} CI by inversion of the noncentral t "
        "distribution; g_av (mean change / sqrt((SD_pre^2 + SD_post^2) / 2), Hedges-corrected; "
        "Cumming 2012) has a bias-corrected and accelerated (BCa) "
        f"bootstrap CI from {n_boot} resamples of pairs (seed {seed}); the matched-pairs "
        "rank-biserial correlation has a Fisher-z CI; a JZS Bayes factor (r = 0.707) is given.",
        f"p-values of the t-tests were adjusted{over} by Holm's method and by the "
        "Benjamini-Hochberg false discovery rate.",
        "Caseness before and after (e.g. poor sleepers) was compared with the exact McNemar test "
        "(binomial test on the discordant pairs).",
        *extra,
        _responder_sentence(responders),
        _software_sentence(versions),
    ]
    return " ".join(p for p in parts if p)


def _responder_sentence(responders: pd.DataFrame | None) -> str:
    head = (
        "Responders were participants whose change reached the minimal clinically important "
        "difference (MCID) in the direction of improvement; proportions have Wilson CIs"
    )
    if responders is None or responders.empty:
        return head + "."
    items = []
    for row in responders.to_dict("records"):  # one per outcome
        unit = " %" if row.get("mcid_kind") == "percent" else " points"
        source = f" ({row['source']})" if not is_missing(row.get("source")) else ""
        label = outcome_info(str(row["outcome"])).label
        items.append(f"{label} {fmt_num(row.get('mcid'), 2).rstrip('0').rstrip('.')}{unit}{source}")
    return f"{head}. MCIDs: {'; '.join(items)}."


def _software_sentence(versions: Mapping[str, str]) -> str:
    if not versions:
        return ""
    listed = ", ".join(f"{name} {version}" for name, version in versions.items())
    return f"Software: {listed}."
