"""One outcome's row of ``results.csv``: every statistic of STATISTICS.md "Per outcome" from
its complete pairs, with its notes, caveats and the bootstrap of the mean change."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from msrelax_stats.stats.bootstrap import BootstrapResult
from msrelax_stats.stats.effect_sizes import (
    bayes_factor_paired,
    cohens_dz,
    g_av,
    paired_bootstrap,
    rank_biserial,
)
from msrelax_stats.stats.hodges_lehmann import hodges_lehmann
from msrelax_stats.stats.paired import (
    describe_pairs,
    exact_differences,
    paired_t,
    pearson_r,
    shapiro_differences,
)
from msrelax_stats.stats.wilcoxon import sign_test, wilcoxon_signed_rank

__all__ = ["TABLE_COLUMNS", "PairedRow", "paired_row"]

TABLE_COLUMNS = [
    "outcome", "n", "better",
    "pre_mean", "pre_sd", "post_mean", "post_sd", "pre_median", "post_median",
    "diff_mean", "diff_sd", "diff_ci_low", "diff_ci_high",
    "t", "df", "p_t",
    "w_plus", "p_wilcoxon", "wilcoxon_method",
    "p_sign",
    "hl_shift", "hl_ci_low", "hl_ci_high",
    "shapiro_w", "shapiro_p",
    "d_z", "d_z_ci_low", "d_z_ci_high",
    "d_av", "g_av", "g_av_ci_low", "g_av_ci_high",
    "diff_bca_ci_low", "diff_bca_ci_high",
    "r_pre_post",
    "rank_biserial", "rank_biserial_ci_low", "rank_biserial_ci_high",
    "bf10",
    "p_holm", "p_fdr",
    "ci_level", "seed",
]  # fmt: skip


class PairedRow(NamedTuple):
    """One outcome's row of ``results.csv``, its notes, the bootstrap of the mean change, and
    its caveats ``(statistic, text)`` (statistic ``"wilcoxon"``, ``"hl"``,
    ``"rank_biserial"``)."""

    row: dict[str, Any]
    notes: list[str]
    bootstrap: BootstrapResult | None
    caveats: list[tuple[str, str]]


def paired_row(pre: np.ndarray, post: np.ndarray, *, outcome: str = "", better: str = "lower",
               ci_level: float = 0.95, seed: int = 1,
               n_boot: int = 10000) -> PairedRow:  # fmt: skip
    """Every statistic of one outcome from its complete pairs (one ``results.csv`` row).

    Returns the row (``p_holm``/``p_fdr`` NaN: they need the whole table), the notes and the
    bootstrap of the mean change (None when it has no interval).

    Examples
    --------
    >>> row, notes, boot, caveats = paired_row(np.array([5.0, 6, 7, 8]), np.array([4.0, 4, 6, 6]),
    ...                               n_boot=500)
    >>> row["n"], row["diff_mean"], row["wilcoxon_method"], boot.distribution.size
    (4, -1.5, 'normal approximation with continuity correction', 500)
    """
    desc = describe_pairs(pre, post)
    tt = paired_t(pre, post, ci_level)
    exact, grid = exact_differences(pre, post)
    origin = np.zeros_like(exact)  # the rank-based statistics see the exact differences only
    wx = wilcoxon_signed_rank(origin, exact)
    sg = sign_test(origin, exact)
    hl = hodges_lehmann(origin, exact, ci_level)
    sw = shapiro_differences(pre, post)
    dz = cohens_dz(pre, post, ci_level)
    boots = paired_bootstrap(pre, post, ci_level, n_boot=n_boot, seed=seed)
    dav, gav = g_av(pre, post, ci_level, n_boot=n_boot, seed=seed, boot=boots.get("g_av"))
    diff_boot = boots.get("diff_mean")
    rb = rank_biserial(origin, exact, ci_level)
    row: dict[str, Any] = {
        "outcome": outcome, "n": desc.n, "better": better,
        "pre_mean": desc.pre_mean, "pre_sd": desc.pre_sd,
        "post_mean": desc.post_mean, "post_sd": desc.post_sd,
        "pre_median": desc.pre_median, "post_median": desc.post_median,
        "diff_mean": desc.diff_mean, "diff_sd": desc.diff_sd,
        "diff_ci_low": tt.ci_low, "diff_ci_high": tt.ci_high,
        "t": tt.statistic, "df": tt.df, "p_t": tt.pvalue,
        "w_plus": wx.statistic, "p_wilcoxon": wx.pvalue, "wilcoxon_method": wx.method,
        "p_sign": sg.pvalue,
        "hl_shift": hl.estimate, "hl_ci_low": hl.ci_low, "hl_ci_high": hl.ci_high,
        "shapiro_w": sw.statistic, "shapiro_p": sw.pvalue,
        "d_z": dz.estimate, "d_z_ci_low": dz.ci_low, "d_z_ci_high": dz.ci_high,
        "d_av": dav, "g_av": gav.estimate, "g_av_ci_low": gav.ci_low, "g_av_ci_high": gav.ci_high,
        "diff_bca_ci_low": diff_boot.ci_low if diff_boot else np.nan,
        "diff_bca_ci_high": diff_boot.ci_high if diff_boot else np.nan,
        "r_pre_post": pearson_r(pre, post),
        "rank_biserial": rb.estimate,
        "rank_biserial_ci_low": rb.ci_low, "rank_biserial_ci_high": rb.ci_high,
        "bf10": bayes_factor_paired(pre, post),
        "p_holm": np.nan, "p_fdr": np.nan,
        "ci_level": ci_level, "seed": seed,
    }  # fmt: skip
    labels = ("t-test", "Wilcoxon", "sign test", "Hodges-Lehmann", "Shapiro-Wilk", "d_z",
              "g_av", "rank-biserial")  # fmt: skip
    parts = (tt, wx, sg, hl, sw, dz, gav, rb)
    notes = [f"{outcome}: {label}: {part.note}" for label, part in zip(labels, parts, strict=True)
             if part.note]  # fmt: skip
    if desc.n >= 3 and diff_boot is None:
        notes.append(f"{outcome}: bootstrap CI of the mean change undefined: every pair changed "
                     "by the same amount")  # fmt: skip
    caveats = _caveats(row, hl, rb, grid, exact, post - pre)
    notes += [f"{outcome}: {statistic}: {text}" for statistic, text in caveats]
    return PairedRow(row, notes, diff_boot, caveats)


def _caveats(row: dict[str, Any], hl: Any, rb: Any, grid: int | None, exact: np.ndarray,
             raw: np.ndarray) -> list[tuple[str, str]]:  # fmt: skip
    """(statistic, caveat) where a number is less than it looks: where R would warn, an
    interval has zero width or excludes its own estimate, or ranks were taken on the exact
    scale instead of R's binary-rounded differences."""
    out = []
    if grid is not None and grid > 1 and not np.array_equal(exact, raw):
        out.append(("wilcoxon", f"differences ranked on the exact scale of the score (multiples "
                    f"of 1/{grid}); R's wilcox.test(post, pre, paired = TRUE) ranks binary "
                    f"rounding noise: use wilcox.test((round({grid} * post) - round({grid} * "
                    "pre)) / " + str(grid) + ") to reproduce this value"))  # fmt: skip
    low, high, est = row["hl_ci_low"], row["hl_ci_high"], row["hl_shift"]
    if "not achievable" in hl.note:  # R: "requested conf.level not achievable"
        out.append(("hl", f"{hl.note} (R warns); the interval is not at the requested level"))
    if np.isfinite(low) and np.isfinite(high) and (low == high or not low <= est <= high):
        what = "has zero width" if low == high else "does not contain the estimate"
        out.append(("hl", f"the Hodges-Lehmann interval {what}: too few distinct differences "
                    "for an informative interval"))  # fmt: skip
    low, high = row["rank_biserial_ci_low"], row["rank_biserial_ci_high"]
    if np.isfinite(low) and np.isfinite(high) and (low == high or abs(row["rank_biserial"]) == 1):
        out.append(("rank_biserial", "every non-zero change has the same sign: the Fisher-z "
                    "interval collapses at the bound and carries no information"))  # fmt: skip
    return out
