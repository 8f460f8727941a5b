"""APA-style result sentences and a methods paragraph that states every analysis choice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from msrelax_stats.figures._common import labels
from msrelax_stats.figures._format import (
    MINUS,
    NBSP,
    fmt_ci,
    fmt_int,
    fmt_num,
    fmt_p,
    is_missing,
    keep_statistics_together,
)
from msrelax_stats.instruments.registry import Registry
from msrelax_stats.report.tables import PRIMARY_TESTS, format_test
from msrelax_stats.report.trial import plan_sentence, trial_methods

__all__ = [
    "MINUS",
    "NBSP",
    "baseline_sentence",
    "keep_statistics_together",
    "reliability_sentence",
    "result_sentence",
    "methods_paragraph",
    "scoring_sentence",
]


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
        Wilcoxon signed-rank V = 12, p < .001 (n = 31 pairs)."``, with no-break spaces
        inside every statistic (:func:`keep_statistics_together`).

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
    info = labels(None, str(row["outcome"])) if info is None else info
    get = row.get
    d = decimals
    diff = get("diff_mean")
    if is_missing(diff):
        return keep_statistics_together(
            f"{info.label}: too few complete pairs (n = {fmt_int(get('n'))}) to compare."
        )
    diff = float(diff)
    verb = "decreased" if diff < 0 else "increased" if diff > 0 else "did not change"
    t_part = f"{format_test(row, 't', d)}, {fmt_p(get('p_t'), prefix=True)}"
    w_part = f"{format_test(row, 'wilcoxon', d)}, {fmt_p(get('p_wilcoxon'), prefix=True)}"
    main, other = (t_part, w_part) if primary == "t" else (f"Wilcoxon signed-rank {w_part}", t_part)
    other_name = "Wilcoxon signed-rank" if primary == "t" else "paired t-test"
    return keep_statistics_together(
        f"{info.label} {verb} from {fmt_num(get('pre_mean'), d)} (SD {fmt_num(get('pre_sd'), d)})"
        f" to {fmt_num(get('post_mean'), d)} (SD {fmt_num(get('post_sd'), d)}),"
        f" mean change {fmt_num(diff, d)}, {_ci_text(get('ci_level'))}"
        f" {fmt_ci(get('diff_ci_low'), get('diff_ci_high'), d)}, {main},"
        f" d_z = {fmt_num(get('d_z'), d)} {fmt_ci(get('d_z_ci_low'), get('d_z_ci_high'), d)};"
        f" {other_name} {other} (n = {fmt_int(get('n'))} pairs)."
    )


def scoring_sentence(registry: Registry, outcomes: Iterable[str]) -> str:
    """How each instrument of ``outcomes`` was scored, from the registry the table was scored
    with (:meth:`~msrelax_stats.instruments.spec.InstrumentSpec.methods_text`: the cut-offs,
    options and missing-item rules actually used).

    Examples
    --------
    >>> from msrelax_stats.instruments.registry import DEFAULT
    >>> scoring_sentence(DEFAULT, ["fss_mean"])  # doctest: +ELLIPSIS
    'We scored fatigue with the Fatigue Severity Scale (FSS; Krupp 1989)...'
    """
    specs = []
    for outcome in outcomes:
        try:
            spec = registry.instrument_of(str(outcome))
        except KeyError:
            continue
        if spec.name not in [s.name for s in specs]:
            specs.append(spec)
    if not specs:
        return ""
    return "We scored " + "; ".join(spec.methods_text() for spec in specs) + "."


def coding_sentences(scored: Any, registry: Registry) -> list[str]:
    """The sentence stating an item coding the export used (``--item-coding psqi=1-4``):
    ``"PSQI items exported as 1-4 were recoded to 0-3 before scoring."``; none for the
    native coding (:func:`msrelax_stats.instruments.coding.coding_text`)."""
    from msrelax_stats.instruments.coding import coding_text

    coding = getattr(scored, "attrs", {}).get("msrelax", {}).get("item_coding") or {}
    parts = []
    for name, (low, high) in sorted(coding.items()):
        try:
            text = coding_text(registry.spec(name), (int(low), int(high)))
        except KeyError:
            continue
        if text:
            parts.append(text[0].upper() + text[1:] + ".")
    return parts


def methods_paragraph(
    analysis: Any,
    registry: Registry,
    versions: Mapping[str, str],
    *,
    extra: Iterable[str] = (),
) -> str:
    """A methods paragraph naming every choice of the analysis.

    Parameters
    ----------
    analysis : StudyAnalysis
        The analysis (:func:`msrelax_stats.stats.analysis.analyse`): its options (visits,
        primary test, confidence level, bootstrap), its outcomes and responders table.
    registry : Registry
        The registry the table was scored with (:func:`msrelax_stats.instruments.registry.
        registry_of`): how each instrument was scored, with the options actually used.
    versions : mapping
        Software name -> version, in the order to print.
    extra : iterable of str
        Further sentences (visits, diary: :func:`msrelax_stats.report.designs.
        design_methods`), placed after the caseness sentence (in a two-arm study, after the
        between-arm comparison and the plan).

    Returns
    -------
    str
        One paragraph of plain text. In a two-arm study it leads with the between-arm
        comparison (:func:`msrelax_stats.report.trial.trial_methods`, the primary analysis)
        and the analysis plan; the paired tests within each arm follow as secondary.
    """
    options = analysis.options
    first, last = analysis.design.paired_visits
    primary = options.primary_test
    pct = f"{options.ci_level * 100:g} %"
    primary_name = "Wilcoxon signed-rank test" if primary == "wilcoxon" else "paired t-test"
    two_arms = analysis.design.two_arms
    paired = [
        f"Visits {first!r} and {last!r} were paired by participant id, never by row "
        "order; for each outcome only participants with both visits scored were analysed, and "
        "everyone left out is listed with the reason.",
        "Change was computed as post - pre; lower scores are better on all instruments unless "
        "stated, so a negative change is an improvement, and no effect size was turned into an "
        "absolute value.",
        ("Each outcome was compared with both the paired t-test and the Wilcoxon signed-rank test "
         "(Wilcoxon 1945; zero differences dropped; exact p with fewer than 50 non-zero differences and no ties, "
         "otherwise the normal approximation with tie-corrected variance and continuity "
         "correction), both reported" + (
             "." if two_arms else "; the primary test, fixed in the analysis plan, was the "
             f"{primary_name}.")
         + " The Shapiro-Wilk test of the differences (Shapiro 1965) is shown as information only "
         "and did not select the test. The exact sign test and the Hodges-Lehmann estimate of the "
         "shift (Hodges 1963) are also given."),
        f"Mean changes carry {pct} t-based confidence intervals and a bias-corrected and "
        f"accelerated (BCa; Efron 1987) bootstrap {pct} CI from {options.n_boot} resamples of pairs (seed "
        f"{options.seed})" + ("" if two_arms else ", the interval the estimation plots draw")
        + ". The standardised effect d_z "
        f"(mean change / SD of change; Lakens 2013) has a {pct} CI by inversion of the noncentral t "
        "distribution (Steiger 1997); g_av (mean change / sqrt((SD_pre^2 + SD_post^2) / 2), with Hedges' correction, Hedges 1981; "
        "Cumming 2012) has a BCa bootstrap CI from the same resamples; the matched-pairs "
        "rank-biserial correlation (Kerby 2014) has a Fisher-z CI; a JZS Bayes factor (r = 0.707; "
        "Rouder 2009) is given.",
    ]  # fmt: skip
    within = " within each arm" if two_arms else ""
    overall = (f"results.csv also holds the p-values of the t-tests adjusted over the "
               f"{len(analysis.outcomes)} outcomes of the table{within} by Holm's method (Holm 1979) "
               "and by the Benjamini-Hochberg false discovery rate (Benjamini 1995).")  # fmt: skip
    caseness = ("Caseness before and after (e.g. poor sleepers) was compared with the exact "
                "McNemar test (McNemar 1947; binomial test on the discordant pairs).")  # fmt: skip
    if two_arms:
        parts = [
            scoring_sentence(registry, analysis.outcomes), reliability_sentence(analysis),
            baseline_sentence(analysis), *trial_methods(analysis),
            plan_sentence(analysis), *extra,
            "Within each arm, as secondary analyses (a within-arm change describes the arm; it "
            "is not a test of the intervention):", *paired, overall, caseness,
        ]  # fmt: skip
    else:
        parts = [scoring_sentence(registry, analysis.outcomes), reliability_sentence(analysis),
                 baseline_sentence(analysis), *paired,
                 plan_sentence(analysis), overall, caseness, *extra]  # fmt: skip
    parts += [_responder_sentence(analysis.paired.responders, analysis.info),
              _software_sentence(versions)]  # fmt: skip
    return " ".join(p for p in parts if p)


def reliability_sentence(analysis: Any) -> str:
    """How the reliability of the scores in this sample was estimated (empty when no scale
    had its items in the file)."""
    table = getattr(analysis, "reliability", None)
    if table is None or table.empty:
        return ""
    pct = f"{analysis.options.ci_level * 100:g} %"
    return (
        "Internal consistency of every multi-item score in this sample was estimated at each "
        f"visit by Cronbach's alpha (Cronbach 1951) with a {pct} CI by Feldt's method (Feldt "
        "1987) and by McDonald's omega total from a one-factor model fitted by minimum "
        "residuals (McDonald 1999; as R psych::omega), over the participants who answered every "
        "item of the score (the PSQI global over its seven components); floor and ceiling "
        "effects are the percentages of participants at the lowest and highest possible score "
        "(more than 15 % taken as an effect; Terwee 2007)."
    )


def baseline_sentence(analysis: Any) -> str:
    """How Table 1 summarises the participants (empty when the file has no characteristic)."""
    baseline = getattr(analysis, "baseline", None)
    if baseline is None or not baseline.kinds:
        return ""
    groups = ["overall"]
    if analysis.design.two_arms:
        groups.append("by arm")
    if any(kind == "lost" for _, kind, _ in baseline.subsets):
        groups.append("for completers and participants lost to follow-up (no outcome scored "
                      f"at {analysis.design.visits[-1]!r})")  # fmt: skip
    flow = ("the same statement" if analysis.design.two_arms
            else "TREND 2004, for a study without a control arm")  # fmt: skip
    return (
        "Baseline characteristics (Table 1) are given as mean (SD) and median [first, third "
        "quartile] or n (%), " + ", ".join(groups) + "; baseline differences were not tested "
        f"(CONSORT 2010, item 15), and the participant flow diagram follows {flow}."
    )


def _responder_sentence(responders: pd.DataFrame | None, info: Mapping[str, Any]) -> str:
    head = (
        "Responders were participants whose change reached the minimal clinically important "
        "difference (MCID) in the direction of improvement; proportions have Wilson CIs "
        "(Wilson 1927)"
    )
    if responders is None or responders.empty:
        return head + "."
    items = []
    for row in responders.drop_duplicates("outcome").to_dict("records"):  # one per outcome
        unit = " %" if row.get("mcid_kind") == "percent" else " points"
        source = f" ({row['source']})" if not is_missing(row.get("source")) else ""
        label = labels(info, str(row["outcome"])).label
        items.append(f"{label} {fmt_num(row.get('mcid'), 2).rstrip('0').rstrip('.')}{unit}{source}")
    return f"{head}. MCIDs: {'; '.join(items)}."


def _software_sentence(versions: Mapping[str, str]) -> str:
    if not versions:
        return ""
    listed = ", ".join(f"{name} {version}" for name, version in versions.items())
    return f"Software: {listed}."
