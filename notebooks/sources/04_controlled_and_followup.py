# %% [markdown]
# # A control arm, a follow-up visit and a practice diary
#
# Later trials of relaxation in MS improved on the single-group design of notebook 02: a control
# arm (usual care), a third visit some weeks after the practice ended, and a daily diary of
# practice. This notebook analyses such a study with msrelax_stats: arms compared by ANCOVA at
# the endpoint of an analysis plan, three visits by a linear mixed model, and adherence from the
# diary.
#
# **The data are synthetic** (`data/sample/controlled/`, made by
# `msrelax_stats.sample_designs`): 32 participants randomised 16/16 to relaxation or control,
# visits at baseline, week 6 (end of practice) and week 12, FSS and PSQI at each visit, and a
# 42-day diary for the relaxation arm. The levels imitate published trials (Ghafari 2008); the
# numbers are not evidence of anything.

# %% [markdown]
# ## Setup
#
# Imports, the data folder and a temporary output folder. The design analyses live in
# `msrelax_stats.stats.ancova` (between arms), `.visits` and `.diary`; `mrs.analyze` runs them
# all at the end, following the analysis plan.

# %%
%matplotlib inline
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import msrelax_stats as mrs
from msrelax_stats.stats.ancova import between_arms
from msrelax_stats.stats.diary import adherence, dose_response, read_diary
from msrelax_stats.stats.visits import compare_visits

pd.set_option("display.max_columns", 20)
pd.set_option("display.width", 140)
ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "data" / "sample").is_dir())
CONTROLLED = ROOT / "data" / "sample" / "controlled"
OUT = Path(tempfile.mkdtemp(prefix="msrelax_controlled_"))
VISITS = ["baseline", "week6", "week12"]
OUTCOMES = ["fss_mean", "psqi_global"]

# %% [markdown]
# ## 1. Read and score
#
# The visit labels are not `pre`/`post`, so we name them, in order. The `group` column holds the
# arm. We count participants per arm and visit: one control participant missed week 12.

# %%
study = mrs.read_study(CONTROLLED / "pmr_controlled.csv", visits=VISITS)
scored = mrs.score(study)
pd.crosstab(study["group"], study["time"])

# %% [markdown]
# ## 2. Did the arms differ at the end of practice (week 6)?
#
# With a baseline and a follow-up measurement, the recommended analysis (Vickers & Altman 2001)
# is **ANCOVA**: the week-6 score regressed on the baseline score and the arm (R:
# `lm(week6 ~ baseline + group)`). Its arm coefficient is the difference between arms at week
# 6 for people with the same baseline; it is unbiased under randomisation and more precise than
# comparing change scores. Week 6 is the end of the 42-day practice period, so it is the
# **endpoint**; `between_arms` fits the same model at every follow-up visit and marks the
# endpoint. Beside it, the change scores are compared (Welch t-test, Hedges' g and a bootstrap
# CI of the difference of mean changes) as a secondary, familiar view. Negative differences
# favour relaxation (lower is better).

# %%
arms = between_arms(scored, OUTCOMES, VISITS, endpoint="week6", n_boot=2000, seed=1)
arms.table[["outcome", "visit", "endpoint", "n_control", "n_treatment", "ancova_diff",
            "ancova_ci_low", "ancova_ci_high", "ancova_p", "ancova_smd", "welch_diff",
            "welch_diff_bca_ci_low", "welch_diff_bca_ci_high", "hedges_g"]].round(3)

# %% [markdown]
# `ancova_smd` is the adjusted difference in residual SDs of the ANCOVA (its CI is exact);
# `hedges_g` is the raw-scale effect size of the changes, comparable with other studies. The
# two-group estimation plot shows every participant's change in each arm and, on the right, the
# bootstrap distribution of the difference of mean changes with its BCa CI; beside it, the
# ANCOVA-adjusted means at week 6.

# %%
fig = mrs.figures.arm_estimation_plot(scored, "fss_mean", arms)
fig

# %%
ax = mrs.figures.adjusted_means_plot(arms.adjusted_means, "fss_mean",
                                     arms_row=arms.row("fss_mean"), visit="week6")
ax.figure

# %% [markdown]
# Within each arm, the paired pre/post analysis of notebook 02 (`paired_by_arm`) describes the
# change. A within-arm change mixes the intervention with time, attention and regression to the
# mean, which act on the control arm too; that is why the control arm's own change is worth
# looking at, and why only the between-arm comparison above estimates the effect of relaxation.

# %%
within6 = mrs.stats.paired_by_arm(scored, ("control", "relaxation"), OUTCOMES,
                                  ("baseline", "week6"), ci_level=0.95, seed=1, n_boot=2000)
within6.table[["group", "outcome", "n", "diff_mean", "diff_ci_low", "diff_ci_high", "p_t",
               "d_z"]].round(3)

# %%
ax = mrs.figures.arm_slope_plot(scored, "fss_mean", within6, arms=("control", "relaxation"))
ax.figure

# %% [markdown]
# ## 3. Was the effect kept at week 12?
#
# The same ANCOVA at week 12, six weeks after the practice period ended, is in the same result
# (a supportive analysis beside the endpoint). The control participant without a week-12 visit
# cannot enter it; the exclusions say so, with the visit. The forest plot shows every outcome at
# both visits, in residual SDs, with the adjusted difference in the outcome's own units beside.

# %%
print(arms.exclusions.to_string(index=False))
arms.table[["outcome", "visit", "n_control", "n_treatment", "ancova_diff", "ancova_ci_low",
            "ancova_ci_high", "ancova_p"]].round(3)

# %%
ax = mrs.figures.arm_forest_plot(arms.table)
ax.figure

# %% [markdown]
# ## 4. All three visits at once: a linear mixed model
#
# Separate tests per visit do not use all the data at once and do not keep participants with a
# missing visit. A linear mixed model with a random intercept per participant uses every
# observation, so the participant without week 12 stays in (R:
# `lmerTest::lmer(score ~ visit * group + (1 | id))`, REML). With 32 participants the fixed
# effects are tested with t and Satterthwaite's degrees of freedom, as R `lmerTest` does (Wald z
# would be anti-conservative at this size). In the `visit*group` model the terms
# `time[week6]:group[relaxation]` and `time[week12]:group[relaxation]` (the `label` column says
# it in words) are the differences between arms in the change from baseline; the
# likelihood-ratio test of the interaction asks whether the arms' trajectories differ at all.

# %%
visits = compare_visits(scored, OUTCOMES, VISITS)
effects = visits.fixed_effects
effects[effects["model"] == "visit*group"].drop(columns="model").round(3)

# %% [markdown]
# The arm difference at every visit from the same model, and the intraclass correlation (the
# share of the variance that lies between participants):

# %%
print(visits.variance[["outcome", "model", "icc"]].round(3).to_string(index=False), "\n")
visits.arm_differences[["outcome", "label", "estimate", "ci_low", "ci_high", "df", "p"]].round(3)

# %% [markdown]
# The likelihood-ratio test compares `visit + group` with `visit * group`, both fitted by
# maximum likelihood (R: `anova(m0, m1)`), with 2 degrees of freedom for three visits.

# %%
visits.interaction.round(4)

# %% [markdown]
# Within each arm, the Friedman test (complete cases only, hence n = 15 in the control arm) and
# pairwise paired t-tests between visits (Holm-adjusted within each outcome and arm) complete
# the picture; pooling both arms in a test over time would mix the effect of relaxation with
# that of time. The exclusions list who was left out of which analysis.

# %%
print(visits.friedman.round(4).to_string(index=False), "\n")
print(visits.exclusions.to_string(index=False))
visits.pairwise.round(3)

# %% [markdown]
# The trajectory plot shows each arm's mean and CI at every visit over the individual lines.

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
for ax, outcome in zip(axes, OUTCOMES, strict=True):
    mrs.figures.trajectory_plot(scored, outcome, visits.trajectories, ax=ax,
                                arms=("control", "relaxation"))
plt.show()

# %% [markdown]
# ## 5. The practice diary
#
# The relaxation arm kept a diary: one row per participant per day, whether they practised, for
# how many minutes, and how many spasms they had the night before. `read_diary` validates it
# like a study file; `adherence` summarises it over the 42-day practice period. Rows outside the
# period (a training session on day 0, a late entry on day 43) are excluded with a note, not
# silently.

# %%
diary = read_diary(CONTROLLED / "pmr_diary.csv")
practice = adherence(diary, study_days=42)
print(practice.notes)
print(practice.excluded.to_string(index=False), "\n")
practice.table.describe().round(2)

# %% [markdown]
# ## 6. Dose and response
#
# Did those who practised more improve more? `dose_response` relates each relaxation
# participant's change (baseline to week 6) to their share of days practised: Spearman's rho and
# an OLS slope. This is an observational question inside one arm: people who practise more may
# differ in other ways, and 16 participants give a wide interval, as the table shows.

# %%
relaxation = scored[scored["group"] == "relaxation"]
dose = dose_response(relaxation, practice, OUTCOMES, visits=("baseline", "week6"))
dose.table[["outcome", "n", "spearman_rho", "spearman_p", "slope", "slope_ci_low",
            "slope_ci_high"]].round(3)

# %% [markdown]
# The plot shows each participant's change against their adherence, with the OLS line and its
# confidence band.

# %%
ax = mrs.figures.dose_response_plot(dose, "fss_mean")
ax.figure

# %% [markdown]
# ## 7. Everything in one call, following an analysis plan
#
# A trial fixes before the analysis what it tests: the primary and secondary outcomes, the
# endpoint, the covariates and the multiplicity rule of each family (ICH E9). The plan of this
# example is committed beside the data, `pmr_controlled_plan.toml` (endpoint week 6; primary:
# FSS mean and PSQI global, Holm over the two; the PSQI components exploratory, unadjusted).
# `python -m msrelax_stats plan DATA` writes the default plan of a file as a starting point.

# %%
print((CONTROLLED / "pmr_controlled_plan.toml").read_text(encoding="utf-8"))

# %% [markdown]
# `analyze` recognises the design from the data: a `group` column with two arms, more than two
# visits, and a diary given with `diary=`. With `plan=` it compares the arms at the plan's
# endpoint (`arms.csv`, with each outcome's `family` and its adjusted p), writes the paired
# tables within each arm, the mixed models, the diary summaries, the figures and a report whose
# results, Table 2 and methods lead with the between-arm comparison.

# %%
analysis = mrs.analyze(CONTROLLED / "pmr_controlled.csv", out=OUT / "report", visits=VISITS,
                       diary=CONTROLLED / "pmr_diary.csv", plan=CONTROLLED / "pmr_controlled_plan.toml",
                       n_boot=2000)
print(analysis.summary())
sorted(path.name for path in (OUT / "report").iterdir())

# %%
pd.read_csv(OUT / "report" / "table2.csv")

# %% [markdown]
# From a terminal:
#
# ```bash
# python -m msrelax_stats analyze data/sample/controlled/pmr_controlled.csv \
#     --visits baseline,week6,week12 --diary data/sample/controlled/pmr_diary.csv \
#     --plan data/sample/controlled/pmr_controlled_plan.toml --out results
# ```
#
# **References.** Vickers AJ, Altman DG. Analysing controlled trials with baseline and follow up
# measurements. BMJ 2001;323:1123-1124. Kuznetsova A, Brockhoff PB, Christensen RHB. lmerTest
# package: tests in linear mixed effects models. J Stat Softw 2017;82(13).
