"""Validation study of the missing-data analyses (issue 18): bias and coverage under dropout.

Run from the repository root (4-8 minutes on 2 shared cores with the defaults, depending on load)::

    python docs/validation/missing_data.py            # writes missing_data.md and missing_data.csv
    python docs/validation/missing_data.py --render-only   # the text again from the CSV
    python docs/validation/missing_data.py --replicates 100 --out /tmp/quick.md

Simulates the model study (synthetic, with figures from the project's domain notes: FSS 5.25 -> 4.37 and
PSQI 8.34 -> 5.18 in Jalalmanesh 2015; two arms FSS 4.09 vs 5.43 in Ghafari 2008) many times,
deletes 20 % of the endpoints completely at random (MCAR) or depending on an observed score
(MAR), analyses every data set with :func:`msrelax_stats.stats.missing.analyze_missing`, and
reports per analysis: bias of the estimate, empirical SE, mean model SE, coverage of the 95 %
CI, and the mean fraction of missing information. Not a unit test; its output is committed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, special

from msrelax_stats.stats.missing import MissingDataOptions, analyze_missing

HERE = Path(__file__).parent
DROPOUT = 0.20
N = 32


def _intercept_for(rate: float, slope: float) -> float:
    """``a`` with E[expit(a + slope Z)] = rate for Z ~ N(0, 1) (Gauss-Hermite quadrature)."""
    z, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    return float(
        optimize.brentq(lambda a: (special.expit(a + slope * z) * w).sum() - rate, -20, 20)
    )


MAR_SLOPE = 1.0  # log-odds of dropping out per SD of the score that drives it
MAR_A = _intercept_for(DROPOUT, MAR_SLOPE)


def one_group(rng: np.random.Generator, n: int, outcome: str) -> tuple[np.ndarray, np.ndarray]:
    """Pre/post scores of ``n`` people: FSS-like (mean of 9 items, 1-7) or PSQI-like (0-21)."""
    if outcome == "fss_mean":
        pre = rng.normal(5.2, 0.9, n)
        post = 5.2 - 0.8 + 0.65 * (pre - 5.2) + rng.normal(0, 0.6, n)
        return (np.clip(np.round(x * 9) / 9, 1, 7) for x in (pre, post))
    pre = rng.normal(8.3, 3.0, n)
    post = 8.3 - 3.0 + 0.6 * (pre - 8.3) + rng.normal(0, 2.2, n)
    return (np.clip(np.round(x), 0, 21) for x in (pre, post))


def two_arms(rng: np.random.Generator, n: int) -> np.ndarray:
    """FSS-like baseline/week6/week12 of ``n`` people, first half relaxation (AR(1) errors)."""
    treated = np.arange(n) < n // 2
    person = rng.normal(0, 0.6, n)
    e0 = rng.normal(0, 0.6, n)
    e6 = 0.7 * e0 + rng.normal(0, 0.6 * np.sqrt(1 - 0.49), n)
    e12 = 0.7 * e6 + rng.normal(0, 0.6 * np.sqrt(1 - 0.49), n)
    y = np.column_stack(
        [5.3 + person + e0, 5.2 - 0.6 * treated + person + e6, 5.15 - 1.0 * treated + person + e12]
    )
    return np.clip(np.round(y * 9) / 9, 1, 7)


def drop(rng: np.random.Generator, driver: np.ndarray, mechanism: str) -> np.ndarray:
    """Who loses the endpoint: 20 % at random, or more often the higher (worse) ``driver``."""
    if mechanism == "MCAR":
        return rng.random(driver.size) < DROPOUT
    z = (driver - driver.mean()) / driver.std()
    return rng.random(driver.size) < special.expit(MAR_A + MAR_SLOPE * z)


def long_table(values: np.ndarray, visits: list[str], lost: np.ndarray, outcome: str, group=None):
    n = values.shape[0]
    ids = [f"S{i + 1:02d}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "id": np.repeat(ids, len(visits)),
            "time": visits * n,
            outcome: values.ravel(),
        }
    )
    if group is not None:
        frame["group"] = np.repeat(group, len(visits))
    gone = np.repeat(lost, len(visits)) & (frame["time"] == visits[-1]).to_numpy()
    frame = frame.loc[~gone].reset_index(drop=True)
    frame["time"] = pd.Categorical(frame["time"], visits, ordered=True)
    return frame


def truth_one_group(outcome: str) -> float:
    """Population mean change of the generating model (rounding and clipping included)."""
    pre, post = one_group(np.random.default_rng(0), 2_000_000, outcome)
    return float((post - pre).mean())


def truth_two_arms() -> float:
    """Population difference of week-12 means, relaxation - control (= the ANCOVA estimand)."""
    y = two_arms(np.random.default_rng(0), 2_000_000)
    half = y.shape[0] // 2
    return float(y[:half, 2].mean() - y[half:, 2].mean())


FULL = MissingDataOptions(analyses=("complete",), primary="complete")
SCENARIOS = ("FSS", "PSQI", "two arms")
MECHANISMS = ("MCAR", "MAR")


def simulate(scenario: str, mechanism: str, replicates: int, m: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, SCENARIOS.index(scenario), MECHANISMS.index(mechanism)])
    rows = []
    two = scenario == "two arms"
    visits = ["baseline", "week6", "week12"] if two else ["pre", "post"]
    outcome = "fss_mean" if scenario in ("FSS", "two arms") else "psqi_global"
    analyses = ("mi", "mixed", "complete", "bocf") if two else ("mi", "complete", "bocf")
    options = MissingDataOptions(m=m, seed=seed, analyses=analyses)
    for rep in range(replicates):
        if two:
            values = two_arms(rng, N)
            group = np.where(np.arange(N) < N // 2, "relaxation", "control")
            lost = drop(rng, values[:, 1], mechanism)  # MAR on the week-6 score
        else:
            pre, post = one_group(rng, N, outcome)
            values, group = np.column_stack([pre, post]), None
            lost = drop(rng, pre, mechanism)  # MAR on the baseline score
        full = long_table(values, visits, np.zeros(N, bool), outcome, group)
        frame = long_table(values, visits, lost, outcome, group)
        res = analyze_missing(frame, [outcome], visits, options=options)
        before = analyze_missing(full, [outcome], visits, options=FULL).estimates
        est = pd.concat([res.estimates, before.assign(analysis="full data (before dropout)")])
        rows.append(est.assign(replicate=rep, n_lost=int(lost.sum())))
    out = pd.concat(rows, ignore_index=True)
    return out.assign(scenario=scenario, mechanism=mechanism)


def summarise(raw: pd.DataFrame, truth: float) -> pd.DataFrame:
    raw = raw.assign(
        estimate=raw["estimate"].astype(float),
        se=raw["se"].astype(float),
        covered=(raw["ci_low"].astype(float) <= truth) & (truth <= raw["ci_high"].astype(float)),
        fmi=pd.to_numeric(raw["fmi"], errors="coerce"),
    )
    g = raw.groupby("analysis", sort=False)
    reps = g.size()
    cover = g["covered"].mean()
    return pd.DataFrame(
        {
            "replicates": reps,
            "bias": g["estimate"].mean() - truth,
            "bias_mcse": g["estimate"].std() / np.sqrt(reps),
            "empirical_se": g["estimate"].std(),
            "mean_model_se": g["se"].mean(),
            "coverage": cover,
            "coverage_mcse": np.sqrt(cover * (1 - cover) / reps),
            "mean_fmi": g["fmi"].mean(),
        }
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=500)
    parser.add_argument("--replicates-two-arms", type=int, default=300)
    parser.add_argument("--m", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=HERE / "missing_data.md")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite the text from the summary CSV beside --out, without simulating",
    )
    args = parser.parse_args(argv)
    summary_csv = args.out.with_suffix(".csv")
    if args.render_only:
        summary = pd.read_csv(summary_csv, index_col="analysis")
        elapsed = float(summary["elapsed_s"].iloc[0])
    else:
        started = time.perf_counter()
        parts = []
        for scenario in SCENARIOS:
            truth = (
                truth_two_arms()
                if scenario == "two arms"
                else truth_one_group("fss_mean" if scenario == "FSS" else "psqi_global")
            )
            reps = args.replicates_two_arms if scenario == "two arms" else args.replicates
            for mechanism in MECHANISMS:
                raw = simulate(scenario, mechanism, reps, args.m, args.seed)
                lost = raw.drop_duplicates("replicate")["n_lost"].mean()
                parts.append(
                    summarise(raw, truth).assign(
                        scenario=scenario, mechanism=mechanism, truth=truth, mean_lost=lost
                    )
                )
        elapsed = time.perf_counter() - started
        summary = (
            pd.concat(parts)
            .rename_axis("analysis")
            .assign(m=args.m, seed=args.seed, elapsed_s=round(elapsed))
        )
        summary.to_csv(summary_csv, float_format="%.6g")
    sections = [
        (s, mm, float(t["truth"].iloc[0]), float(t["mean_lost"].iloc[0]), t)
        for (s, mm), t in summary.groupby(["scenario", "mechanism"], sort=False)
    ]
    run = {
        "replicates": int(summary.loc[summary["scenario"] == "FSS", "replicates"].iloc[0]),
        "two_arms": int(summary.loc[summary["scenario"] == "two arms", "replicates"].iloc[0]),
        "m": int(summary["m"].iloc[0]),
        "seed": int(summary["seed"].iloc[0]),
    }
    args.out.write_text(render(sections, run, elapsed), encoding="utf-8")
    print(f"wrote {args.out} and {summary_csv.name} ({elapsed:.0f} s of simulation)")


LABELS = {
    "full data (before dropout)": "full data (before dropout)",
    "mi": "multiple imputation (MI)",
    "mixed": "mixed model (all visits)",
    "complete": "complete cases",
    "bocf": "BOCF",
}
TITLES = {
    "FSS": "One group, FSS mean (pre/post, n = 32): mean change",
    "PSQI": "One group, PSQI global (pre/post, n = 32): mean change",
    "two arms": "Two arms, FSS mean (16 + 16, baseline/week 6/week 12): ANCOVA difference at week 12",
}
DRIVERS = {
    "FSS": "the baseline score",
    "PSQI": "the baseline score",
    "two arms": "the week-6 score",
}


def _table(table: pd.DataFrame) -> list[str]:
    lines = [
        "| analysis | bias (MCSE) | empirical SE | mean model SE | coverage of 95 % CI (MCSE) | mean fmi |",
        "|---|---|---|---|---|---|",
    ]
    order = [a for a in LABELS if a in table.index]
    for name in order:
        r = table.loc[name]
        fmi = "" if np.isnan(r["mean_fmi"]) else f"{r['mean_fmi']:.2f}"
        lines.append(
            f"| {LABELS[name]} | {r['bias']:+.3f} ({r['bias_mcse']:.3f}) | {r['empirical_se']:.3f} "
            f"| {r['mean_model_se']:.3f} | {r['coverage']:.3f} ({r['coverage_mcse']:.3f}) | {fmi} |"
        )
    return lines


def _get(sections, scenario, mechanism):
    for s, mm, truth, lost, table in sections:
        if s == scenario and mm == mechanism:
            return truth, lost, table
    raise KeyError((scenario, mechanism))


def _b(table: pd.DataFrame, analysis: str) -> str:
    """Bias with its Monte Carlo SE, e.g. "+0.058 (MCSE 0.006)"."""
    r = table.loc[analysis]
    return f"{r['bias']:+.3f} (MCSE {r['bias_mcse']:.3f})"


def _clear(table: pd.DataFrame, analysis: str) -> bool:
    """Bias more than 2 Monte Carlo SEs from 0."""
    r = table.loc[analysis]
    return abs(r["bias"]) > 2 * r["bias_mcse"]


def _findings(sections) -> list[str]:
    """The short text of what the tables show, with the numbers taken from them."""
    tables = {(s, mm): t for s, mm, _, _, t in sections}
    fss, psqi, arms = (tables[(s, "MAR")] for s in ("FSS", "PSQI", "two arms"))
    mcar = [tables[(s, "MCAR")] for s in ("FSS", "PSQI", "two arms")]
    cover = {a: [t.loc[a, "coverage"] for t in tables.values()] for a in ("mi", "complete", "bocf")}
    biased_mcar = [a for a in ("mi", "complete") if any(_clear(t, a) for t in mcar)]
    ratio = [
        abs(t.loc["complete", "bias"]) / t.loc["complete", "empirical_se"] for t in (fss, psqi)
    ]
    short = max(
        abs(1 - t.loc["mi", "mean_model_se"] / t.loc["mi", "empirical_se"]) for t in tables.values()
    )
    out = [
        f"- **Multiple imputation keeps the 95 % intervals at their nominal coverage in every "
        f"scenario** ({min(cover['mi']):.3f}-{max(cover['mi']):.3f}; Monte Carlo SE about "
        f"0.01); its Rubin's-rules SE is within {100 * short:.0f} % of the spread of its "
        "estimates, and its bias is "
        + ("negligible under MCAR. " if "mi" not in biased_mcar else "small under MCAR. ")
        + f"Under MAR in one group (those with worse baselines leave) it removes most of the "
        f"complete-case bias: FSS {_b(fss, 'mi')} against {_b(fss, 'complete')}, PSQI "
        f"{_b(psqi, 'mi')} against {_b(psqi, 'complete')}. What remains has the opposite sign, "
        "most likely because the lost are concentrated at high baselines, where predictive mean "
        "matching finds few donors at n = 32 and borrows from lower ones (a known limitation of "
        "PMM in small samples).",
        f"- **Complete cases** are unbiased under MCAR and biased towards no effect under MAR in "
        "one group (above), with intervals that still cover "
        f"{min(cover['complete']):.3f}-{max(cover['complete']):.3f} at this sample size: the "
        f"bias is {min(ratio):.2f}-{max(ratio):.2f} standard errors. In the two-arm study the "
        f"complete-case ANCOVA is {'biased' if _clear(arms, 'complete') else 'hardly biased'} "
        f"({_b(arms, 'complete')}) although dropout follows the week-6 score, presumably because "
        "the selection shifts both arms alike and the difference survives it. There MI "
        + (
            f"has a small bias towards no effect, {_b(arms, 'mi')} "
            f"({abs(arms.loc['mi', 'bias']) / arms.loc['mi', 'empirical_se']:.2f} standard "
            "errors), probably from the same scarcity of donors among high week-6 scores. (A first "
            "run that imputed both arms together, with the arm as a predictor, gave +0.049 under "
            "MCAR and +0.078 under MAR; imputing each arm on its own is now the default.)"
            if _clear(arms, "mi")
            else f"is unbiased too ({_b(arms, 'mi')})."
        ),
        f"- **BOCF is biased towards no effect in every scenario, MCAR included** (coverage "
        f"{min(cover['bocf']):.3f}-{max(cover['bocf']):.3f}): it assumes that everyone who left "
        "went back to their baseline score, and its SE treats the carried values as observed. "
        "It is a pessimistic sensitivity analysis, not an estimate of the effect.",
    ]
    if "mixed" in arms.index:
        r = arms.loc["mixed"]
        out.append(
            f"- **The mixed model** of all visits (random intercept, Wald z) is unbiased "
            f"({_b(arms, 'mixed')} under MAR) but its intervals cover only "
            f"{tables[('two arms', 'MCAR')].loc['mixed', 'coverage']:.3f} (MCAR) and "
            f"{r['coverage']:.3f} (MAR): its SE ({r['mean_model_se']:.3f}) is below the spread of "
            f"its estimates ({r['empirical_se']:.3f}). These data have serially correlated "
            "errors (AR(1), as real repeated measures often have), which a random intercept "
            "alone does not describe, and z ignores the small sample. An unstructured "
            "covariance and small-sample df (issue 17) are the remedy; until then it is a "
            "sensitivity analysis."
        )
    return out


def render(sections, run: dict[str, int], elapsed: float) -> str:
    lines = [
        "# Validation: analyses under missing data (issue 18)",
        "",
        "Generated by `python docs/validation/missing_data.py` "
        f"(`--replicates {run['replicates']} --replicates-two-arms {run['two_arms']} "
        f"--m {run['m']} --seed {run['seed']}`, {elapsed / 60:.0f} min on the 2 shared cores of the "
        "development machine). Every data set is synthetic. Not a unit test: it shows how the "
        "analyses of `msrelax_stats.stats.missing.analyze_missing` behave when 20 % of the "
        "endpoints are lost.",
        "",
        "## What it shows",
        "",
        *_findings(sections),
        "",
        "## Design",
        "",
        "- **One group, pre/post, n = 32** (the model study). FSS-like: baseline N(5.2, 0.9), "
        "post = 5.2 - 0.8 + 0.65 (pre - 5.2) + N(0, 0.6), rounded to the 1/9 grid of a mean "
        "of nine items and clipped to 1-7 (Jalalmanesh 2015: 5.25 -> 4.37). PSQI-like: baseline "
        "N(8.3, 3), post = 8.3 - 3 + 0.6 (pre - 8.3) + N(0, 2.2), rounded, clipped to 0-21 "
        "(8.34 -> 5.18). Estimand: the mean change post - pre.",
        "- **Two arms, 16 + 16, baseline / week 6 / week 12**, FSS-like: a person effect "
        "N(0, 0.6) and AR(1) errors (SD 0.6, correlation 0.7 between consecutive visits); the "
        "relaxation arm 0.6 lower at week 6 and 1.0 lower at week 12 (Ghafari 2008: 4.09 vs "
        "5.43). Estimand: the difference of week-12 means, relaxation - control, which is what the "
        "ANCOVA arm coefficient estimates under randomisation (the mixed model's visit x arm "
        "interaction estimates the same number, as the arms' baseline means are equal).",
        f"- **Dropout of the endpoint, {DROPOUT:.0%} on average**: MCAR, each participant "
        "independently with probability 0.2; MAR, with log-odds "
        f"{MAR_A:.3f} + {MAR_SLOPE:g} z, z the standardised score that drives it (one group: the "
        "baseline score; two arms: the week-6 score), so those doing worse leave more often.",
        "- **True values** from 2,000,000 draws of the same model (rounding and clipping "
        "included); **coverage**: the share of 95 % intervals that contain it; **MCSE**: Monte "
        "Carlo standard error; **mean fmi**: the fraction of missing information of MI. "
        "'Full data' is the complete-case analysis of the same data sets before dropout.",
        f"- **Analyses**: `analyze_missing` with its defaults (PMM with 5 donors, Gaussian "
        f"perturbation, two arms imputed separately, seed {run['seed']}) except m = {run['m']} imputations instead of 50 to keep the "
        "run time reasonable (Rubin's rules and the Barnard-Rubin df account for a finite m).",
        "",
        "## Results",
    ]
    for scenario, mechanism, truth, lost, table in sections:
        lines += [
            "",
            f"### {TITLES[scenario]}; {mechanism}",
            "",
            f"True value {truth:+.4f}; endpoints lost per data set: {lost:.1f} of 32 on average"
            + (f" (MAR driven by {DRIVERS[scenario]})." if mechanism == "MAR" else "."),
            "",
            *_table(table),
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
