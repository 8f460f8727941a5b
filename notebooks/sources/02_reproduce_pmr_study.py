# %% [markdown]
# # Reproducing a pre/post relaxation study, step by step
#
# This notebook is a methods walk-through of the design msrelax_stats is built around:
# Dayapoglu & Tan (2012) taught 32 people with multiple sclerosis progressive muscle relaxation
# (tense a muscle group, attend to the tension, release), asked them to practise daily for six
# weeks, and measured fatigue and sleep quality before and after. It goes through every choice
# an analysis of such a study makes and shows what msrelax_stats does and why.
#
# **The data are synthetic.** The paper's raw data are not public. `data/sample/pmr_study.csv`
# was generated to resemble published studies of this kind (levels from Jalalmanesh 2015 and MS
# cohorts); nothing below is a finding about relaxation or MS. Only the *methods* carry over.

# %% [markdown]
# ## Setup
#
# Imports, the location of the sample data, and pandas display options. `%matplotlib inline`
# makes the figures appear below the cells.

# %%
%matplotlib inline
import dataclasses
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats as scipy_stats
from statsmodels.stats.power import TTestIndPower

import msrelax_stats as mrs
from msrelax_stats.instruments import instrument_spec, outcome_info
from msrelax_stats.stats.paired import paired_t, shapiro_differences
from msrelax_stats.stats.power import detectable_d_z, n_for_d_z, wilcoxon_power_sim
from msrelax_stats.stats.hodges_lehmann import hodges_lehmann
from msrelax_stats.stats.wilcoxon import wilcoxon_signed_rank

pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 140)
ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "data" / "sample").is_dir())
SAMPLE = ROOT / "data" / "sample"

# %% [markdown]
# ## 1. The design: one group, two visits
#
# We read the study and count who came to each visit. A single-group pre/post design has no
# control arm, so any change mixes the effect of relaxation with regression to the mean,
# placebo and time; the analysis can describe the change precisely, not attribute it.

# %%
study = mrs.read_study(SAMPLE / "pmr_study.csv")
visits = study.groupby("time", observed=True)["id"].nunique().rename("participants")
print(visits.to_string())
has_post = study.loc[study["time"] == "post", "id"]
print("no post visit:", sorted(set(study["id"]) - set(has_post)))

# %% [markdown]
# ## 2. The instruments and their scoring rules
#
# The study used the **Fatigue Severity Scale** (FSS, nine items 1-7) and the **Pittsburgh
# Sleep Quality Index** (PSQI, seven components 0-3). Each built-in instrument is a declarative
# spec that carries its items, rule, references and the clause the methods paragraph uses.

# %%
for name in ("fss", "psqi"):
    spec = instrument_spec(name)
    print(f"{spec.title} ({len(spec.items)} columns, answers {spec.item_min:g}-{spec.item_max:g})")
    print(textwrap.fill(spec.methods_text(), 100), "\n")

# %% [markdown]
# Each reported score also has a direction of improvement and a minimal clinically important
# difference (MCID) with its source; the responder analysis below uses them.

# %%
pd.DataFrame([dataclasses.asdict(outcome_info(name)) for name in ("fss_mean", "psqi_global")])

# %% [markdown]
# We score only the two instruments of the study (the sample file holds more).

# %%
scored = mrs.score(study, instruments=["fss", "psqi"])
scored[["id", "time", "fss_mean", "fss_fatigued", "psqi_global", "psqi_poor"]].head(4)

# %% [markdown]
# ### A PSQI component breakdown for one participant
#
# The PSQI is where scoring goes wrong most often. Its seven components, by the University of
# Pittsburgh rules (`docs/instruments.md` has every bound):
#
# | component | from | rule |
# |---|---|---|
# | C1 subjective quality | Q6 | = Q6 |
# | C2 latency | Q2 minutes, Q5a | minutes binned (<=15, 16-30, 31-60, >60 -> 0-3) plus Q5a, the sum binned 0 / 1-2 / 3-4 / 5-6 |
# | C3 duration | Q4 hours | >=7 -> 0, [6, 7) -> 1, [5, 6) -> 2, <5 -> 3 |
# | C4 efficiency | Q1, Q3, Q4 | hours asleep / time in bed (across midnight) x 100: >=85 -> 0, [75, 85) -> 1, [65, 75) -> 2, <65 -> 3 |
# | C5 disturbances | Q5b-Q5j | sum binned 0 / 1-9 / 10-18 / 19-27 |
# | C6 medication | Q7 | = Q7 |
# | C7 daytime dysfunction | Q8, Q9 | sum binned 0 / 1-2 / 3-4 / 5-6 |
#
# The global score is their sum (0-21) and a **poor sleeper has a global score above 5** (not
# "5 or more"). Here are participant P01's answers and components at both visits.

# %%
answers = ["psqi_1", "psqi_2", "psqi_3", "psqi_4", "psqi_5a",
           *[f"psqi_5{letter}" for letter in "bcdefghij"], "psqi_6", "psqi_7", "psqi_8", "psqi_9"]
components = [f"psqi_c{k}" for k in range(1, 8)]
derived = ["psqi_time_in_bed_h", "psqi_efficiency", "psqi_global", "psqi_poor", "psqi_flags"]
p01 = scored[scored["id"] == "P01"].set_index("time")
p01[answers + components + derived].T

# %% [markdown]
# Two components deserve a check by hand, because public scorers get them wrong: time in bed
# must be taken across midnight (bed 23:15, up 06:15 is 7 hours, not 17), and efficiency must
# be compared with 85 % exactly, without rounding first. C5 sums nine items.

# %%
pre = p01.loc["pre"]


def clock_hours(text):
    hours, minutes = text.split(":")
    return int(hours) + int(minutes) / 60


time_in_bed = (clock_hours(pre["psqi_3"]) - clock_hours(pre["psqi_1"])) % 24
efficiency = 100 * pre["psqi_4"] / time_in_bed
c4 = int(np.digitize(-efficiency, [-85, -75, -65], right=True))  # >=85 -> 0, ..., <65 -> 3
disturbance_sum = pre[[f"psqi_5{letter}" for letter in "bcdefghij"]].sum()
c5 = int(np.digitize(disturbance_sum, [1, 10, 19]))  # 0 -> 0, 1-9 -> 1, 10-18 -> 2, 19-27 -> 3
print(f"time in bed: {time_in_bed:.2f} h by hand, {pre['psqi_time_in_bed_h']:.2f} h scored")
print(f"efficiency:  {efficiency:.2f} % by hand, {pre['psqi_efficiency']:.2f} % scored")
print(f"C4: {c4} by hand, {pre['psqi_c4']:g} scored")
print(f"C5: {c5} by hand (Q5b-Q5j sum {disturbance_sum:g}), {pre['psqi_c5']:g} scored")

# %% [markdown]
# (Q5j counts only when its description is filled in, the Pittsburgh rule of 2005. The
# library compares the efficiency with the bounds in exact arithmetic: in binary floating point
# `100 * 5.1 / 6` is 84.999..., which would put an exact 85 % in the wrong bin.)
#
# ### Scoring options change results: say which one you used
#
# Some papers bin sleep duration as "more than 7 hours -> 0" instead of the Pittsburgh
# "7 hours or more -> 0". The option `duration_rule="paper"` scores it that way; here is what it
# changes in this sample.

# %%
paper_rule = mrs.score(study, instruments=["psqi"], psqi={"duration_rule": "paper"})
differs = scored["psqi_c3"].ne(paper_rule["psqi_c3"])
print(differs.sum(), "of", len(scored), "visits get another C3; their hours of sleep (Q4):",
      sorted(scored.loc[differs, "psqi_4"].unique().tolist()))
print("poor-sleeper status changes for",
      scored["psqi_poor"].ne(paper_rule["psqi_poor"]).sum(), "visit(s)")

# %% [markdown]
# ## 3. The paired comparison
#
# The outcomes of the study are the FSS mean and the PSQI global score; the PSQI components are
# secondary. `compare` pairs the visits by id and reports, per outcome, every column of
# `STATISTICS.md`. (`n_boot=2000` keeps this notebook fast; use the default 10,000 for a
# paper.)

# %%
OUTCOMES = ["fss_mean", "psqi_global", *components]
result = mrs.compare(scored, outcomes=OUTCOMES, n_boot=2000, seed=1)
result.table[["outcome", "n", "pre_mean", "pre_sd", "post_mean", "post_sd", "diff_mean",
              "diff_sd", "diff_ci_low", "diff_ci_high"]].round(2)

# %% [markdown]
# ## 4. Paired t-test or Wilcoxon signed-rank test? Both.
#
# The **paired t-test** asks whether the *mean* change is zero; it is exact when the changes are
# normal and robust for moderate n. The **Wilcoxon signed-rank test** asks whether the changes
# are symmetric around zero, using their ranks; it resists outliers but drops zero changes and
# loses information with ties, which matter for the 0-3 PSQI components. Choosing between them
# *after* seeing the data (for instance by a Shapiro-Wilk p-value) changes the error rates of
# the whole procedure, so msrelax_stats always reports both, the analysis plan names the primary
# one (`analyze(..., primary_test="wilcoxon")`), and Shapiro-Wilk is shown as information only.
# The Hodges-Lehmann shift is the estimate that goes with the Wilcoxon test, as the mean change
# goes with the t-test.

# %%
result.table[["outcome", "t", "df", "p_t", "w_plus", "p_wilcoxon", "wilcoxon_method", "p_sign",
              "hl_shift", "hl_ci_low", "hl_ci_high", "shapiro_w", "shapiro_p"]].round(3)

# %% [markdown]
# The two tests agree closely for the FSS and the PSQI global score. Tied changes (and, for the
# components, many zero changes) mean that the Wilcoxon p comes from the normal approximation
# with tie correction, as in R; `wilcoxon_method` says which was used. The small Shapiro
# p-values of the components only describe their coarse 0-3 scale, and should not switch the
# test. With ties the Hodges-Lehmann estimate and its CI are found by root finding (as R's
# `wilcox.test(conf.int = TRUE)` does), so they can print as -2.99996 rather than -3.
#
# The same statistics are available one at a time, as small named results, for a single pair of
# columns:

# %%
wide = scored.pivot(index="id", columns="time", values="psqi_global").dropna()
print(paired_t(wide["pre"], wide["post"]))
print(wilcoxon_signed_rank(wide["pre"], wide["post"]))
print(hodges_lehmann(wide["pre"], wide["post"]))
print(shapiro_differences(wide["pre"], wide["post"]))

# %% [markdown]
# Looking at the distribution of the changes is more informative than a normality test. Left:
# the PSQI global score, right: component C5 (most participants did not change at all).

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), layout="constrained")
mrs.figures.change_distribution(scored, "psqi_global", result, ax=axes[0])
mrs.figures.change_distribution(scored, "psqi_c5", result, ax=axes[1])
plt.show()

# %% [markdown]
# Table 2 names the primary test. With `primary="wilcoxon"` the Wilcoxon test is the one shown.

# %%
mrs.report.table2(result.table.head(2), primary="wilcoxon")

# %% [markdown]
# ## 5. Effect sizes: d_z or g_av?
#
# Both divide the mean change by a standard deviation, but not the same one:
#
# - **d_z** = mean change / SD *of the changes*. It says how consistently people changed: a
#   d_z of -0.8 means the average improvement is 0.8 times the spread of individual changes. It
#   is what the power of a paired design depends on (G*Power's convention) and its CI matches the
#   t-test. It grows with the correlation between visits, so it is **not comparable with a
#   between-group Cohen's d**.
# - **g_av** = mean change / average SD *of the scores* (sqrt((SD_pre^2 + SD_post^2)/2)), with
#   Hedges' small-sample correction. It says how large the change is relative to how much
#   patients differ from each other, on the same scale as a two-group d, so it is the one to
#   compare with other trials or pool in a meta-analysis. Its CI is a BCa bootstrap over pairs.
#
# Both keep their sign: negative is an improvement here.

# %%
result.table[["outcome", "r_pre_post", "d_z", "d_z_ci_low", "d_z_ci_high", "d_av", "g_av",
              "g_av_ci_low", "g_av_ci_high"]].round(2)

# %% [markdown]
# When the two SDs are similar, d_z = d_av / sqrt(2 (1 - r)) where r is the pre-post
# correlation: with r above 0.5, d_z is larger than d_av. We check that relation on the table.

# %%
approx = result.table["d_av"] / np.sqrt(2 * (1 - result.table["r_pre_post"]))
pd.DataFrame({"outcome": result.table["outcome"], "r": result.table["r_pre_post"],
              "d_z": result.table["d_z"], "d_av / sqrt(2(1-r))": approx}).round(2).head(2)

# %% [markdown]
# The forest plots show the two effect sizes for every outcome (same data, different yardstick).

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 4), layout="constrained", sharey=True)
mrs.figures.forest_plot(result.table, effect="d_z", ax=axes[0])
mrs.figures.forest_plot(result.table, effect="g_av", ax=axes[1])
plt.show()

# %% [markdown]
# ## 6. Poor sleepers before and after: McNemar
#
# "Poor sleeper" (PSQI global > 5) is a yes/no outcome measured twice on the same people, so the
# right test is McNemar's, which uses only the people who changed category. The exact version
# is a binomial test of the discordant pairs (R: `binom.test(b, b + c)`).

# %%
poor = scored.pivot(index="id", columns="time", values="psqi_poor").dropna()
pd.crosstab(poor["pre"], poor["post"], rownames=["poor sleeper pre"],
            colnames=["poor sleeper post"])

# %% [markdown]
# The caseness table of `compare` holds the discordant counts and the exact p; scipy's binomial
# test on the same counts gives the same p.

# %%
row = result.caseness.set_index("outcome").loc["psqi_poor"]
b, c = int(row["pre_yes_post_no"]), int(row["pre_no_post_yes"])
check = scipy_stats.binomtest(b, b + c).pvalue
print(f"{b} stopped and {c} became poor sleepers; exact McNemar p = {row['p_mcnemar']:.4f} "
      f"(scipy binomtest: {check:.4f})")
result.caseness

# %% [markdown]
# The caseness plot shows the proportion of poor sleepers at each visit, with the McNemar result
# in its title.

# %%
ax = mrs.figures.caseness_plot(result.caseness, "psqi_poor")
ax.figure

# %% [markdown]
# ## 7. Responders by the MCID
#
# A mean change says nothing about how many people improved enough to notice. A responder is a
# participant whose change reaches the MCID in the better direction (FSS 0.45 points, Rooney
# 2019 in MS; PSQI 3 points, a commonly used value that is not MS-specific). The proportion
# carries a Wilson CI.

# %%
result.responders[["outcome", "n", "mcid", "responders", "proportion", "ci_low", "ci_high",
                   "source"]].round(3)

# %% [markdown]
# The change distributions with the MCID drawn as a dashed line: every point on it or below it
# (lower is better) is a responder.

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), layout="constrained")
for ax, name in zip(axes, ["fss_mean", "psqi_global"], strict=True):
    mrs.figures.change_distribution(scored, name, result, mcid=outcome_info(name).mcid, ax=ax)
plt.show()

# %% [markdown]
# ## 8. Planning a follow-up trial
#
# Power belongs to the planning of the *next* study. "Observed power" computed from this study's
# own effect adds nothing to its p-value, and msrelax_stats does not offer it.
#
# **Sensitivity.** With the n of this study, which d_z could a paired t-test detect with 80 %
# power at alpha = 0.05?

# %%
fss = result.table.set_index("outcome").loc["fss_mean"]
n_pairs = int(fss["n"])
print(f"n = {n_pairs} pairs: smallest detectable |d_z| = {detectable_d_z(n_pairs):.2f}")

# %% [markdown]
# **A single-group replication.** The observed d_z of a small study is an optimistic target
# (only studies with large estimates get noticed). A safer target is the smallest change that
# matters: the FSS MCID of 0.45 points divided by the SD of the changes seen here. Then
# `n_for_d_z` gives the number of pairs for the t-test, and a simulation checks the Wilcoxon
# test at that n.

# %%
target_d_z = outcome_info("fss_mean").mcid / fss["diff_sd"]
plan = n_for_d_z(target_d_z, power=0.8, alpha=0.05)
wilcoxon_power = wilcoxon_power_sim(target_d_z, plan.n, n_sim=4000, seed=1)
print(f"target d_z = 0.45 / {fss['diff_sd']:.2f} = {target_d_z:.2f}")
print(f"pairs needed for 80 % power (paired t): {plan.n} (exact {plan.n_exact:.1f})")
print(f"Wilcoxon power at n = {plan.n} (simulated, normal changes): {wilcoxon_power:.2f}")

# %% [markdown]
# **A two-arm trial.** A controlled follow-up compares arms, and the effect is the difference
# between arms at week 6, on the scale of the *scores'* SD (the g_av yardstick, not d_z). For a
# difference of one MCID with the post-intervention SD seen here, a two-sample t-test needs the n
# per arm below; analysing post scores adjusted for baseline (ANCOVA, as notebook 04 does) needs
# about (1 - r^2) times as many, r being the pre-post correlation (Borm et al. 2007).

# %%
d_between = outcome_info("fss_mean").mcid / fss["post_sd"]
n_t = TTestIndPower().solve_power(effect_size=d_between, power=0.8, alpha=0.05)
r = fss["r_pre_post"]
print(f"between-arm d = 0.45 / {fss['post_sd']:.2f} = {d_between:.2f}")
print(f"per arm, t-test on post scores: {int(np.ceil(n_t))}")
print(f"per arm, ANCOVA with r = {r:.2f}: about {int(np.ceil(n_t * (1 - r**2)))}")

# %% [markdown]
# Inflate these numbers for the expected drop-out (here 1 of 32 had no post visit).
#
# ## 9. Writing it up
#
# The report writes a result sentence per outcome and a methods paragraph that names every
# choice made above (scoring rules, pairing, tests, effect sizes, MCIDs and software versions).

# %%
for _, row in result.table.head(2).iterrows():
    print(textwrap.fill(mrs.report.result_sentence(row), 100), "\n")

# %% [markdown]
# The methods paragraph is built from the analysis itself (its options, outcomes and MCIDs)
# and from the instruments as they were scored (cut-offs and options used), so it cannot drift
# from what was computed. `mrs.stats.analyse` runs every analysis the design calls for (here,
# one group and two visits: the paired comparison above).

# %%
study_analysis = mrs.stats.analyse(scored, mrs.stats.AnalysisOptions(outcomes=OUTCOMES,
                                                                     n_boot=2000))
methods = mrs.report.methods_paragraph(
    study_analysis, mrs.instruments.registry.registry_of(scored), mrs.report.software_versions()
)
print(textwrap.fill(methods, 100))
