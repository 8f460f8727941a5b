# %% [markdown]
# # A control arm, a follow-up visit and a practice diary
#
# Later trials of relaxation in MS improved on the single-group design of notebook 02: a control
# arm (usual care), a third visit some weeks after the practice ended, and a daily diary of
# practice. This notebook analyses such a study with msrelax_stats: arms compared by ANCOVA,
# three visits by a linear mixed model, and adherence from the diary.
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
# `msrelax_stats.stats.arms`, `.visits` and `.diary`; `mrs.analyze` runs them all at the end.

# %%
%matplotlib inline
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import msrelax_stats as mrs
from msrelax_stats.stats.arms import compare_arms
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
# comparing change scores. The change scores are still compared (Welch t-test, Hedges' g) as a
# secondary, familiar view. Negative differences favour relaxation (lower is better).

# %%
week6 = compare_arms(scored, OUTCOMES, visits=("baseline", "week6"), n_boot=2000, seed=1)
week6.table[["outcome", "n_control", "n_treatment", "change_mean_control",
             "change_mean_treatment", "ancova_diff", "ancova_ci_low", "ancova_ci_high",
             "ancova_p", "partial_eta_sq", "welch_diff", "welch_p", "hedges_g"]].round(3)

# %% [markdown]
# The adjusted means are what the ANCOVA predicts for each arm at the common mean baseline; the
# plot shows them with their CIs. Beside it, every participant's baseline-to-week-6 line,
# coloured by arm.

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
mrs.figures.adjusted_means_plot(week6.adjusted_means, "fss_mean", ax=axes[0],
                                arms_row=week6.table.iloc[0], visit="week6")
within6 = mrs.stats.paired_by_arm(scored, ("control", "relaxation"), OUTCOMES,
                                  ("baseline", "week6"), ci_level=0.95, seed=1, n_boot=2000)
mrs.figures.arm_slope_plot(scored, "fss_mean", within6, ax=axes[1],
                           arms=("control", "relaxation"))
plt.show()

# %% [markdown]
# `compare_arms` also runs the paired pre/post analysis of notebook 02 within each arm
# (`within=True`, the default). A within-arm change mixes the intervention with time,
# attention and regression to the mean, which act on the control arm too; that is why the
# control arm's own change is worth looking at, and why only the between-arm comparison above
# estimates the effect of relaxation.

# %%
week6.within[["group", "outcome", "n", "diff_mean", "diff_ci_low", "diff_ci_high", "p_t",
              "d_z"]].round(3)

# %% [markdown]
# ## 3. Was the effect kept at week 12?
#
# The same ANCOVA at week 12 (baseline-adjusted), six weeks after the practice period ended. The
# control participant without a week-12 visit cannot enter it; the exclusions say so.

# %%
week12 = compare_arms(scored, OUTCOMES, visits=("baseline", "week12"), n_boot=2000, seed=1)
both = pd.concat([week6.table.assign(visit="week6"), week12.table.assign(visit="week12")])
print(week12.exclusions.to_string(index=False))
both[["visit", "outcome", "n_control", "n_treatment", "ancova_diff", "ancova_ci_low",
      "ancova_ci_high", "ancova_p"]].round(3)

# %% [markdown]
# ## 4. All three visits at once: a linear mixed model
#
# Separate tests per visit do not use all the data at once and do not keep participants with a
# missing visit. A linear mixed model with a random intercept per participant uses every
# observation, so the participant without week 12 stays in (R:
# `lmer(score ~ visit * group + (1 | id))`, REML). In the `visit*group` model the terms
# `time[week6]:group[relaxation]` and `time[week12]:group[relaxation]` are the differences
# between arms in the change from baseline; the likelihood-ratio test of the interaction asks
# whether the arms' trajectories differ at all.

# %%
visits = compare_visits(scored, OUTCOMES, VISITS)
effects = visits.fixed_effects
effects[effects["model"] == "visit*group"].drop(columns="model").round(3)

# %% [markdown]
# The likelihood-ratio test compares `visit + group` with `visit * group`, both fitted by
# maximum likelihood (R: `anova(m0, m1)`), with 2 degrees of freedom for three visits.

# %%
visits.interaction.round(4)

# %% [markdown]
# For the trajectories over both arms the Friedman test (complete cases only, hence n = 31) and
# pairwise paired t-tests between visits (Holm-adjusted within each outcome) complete the
# picture; the exclusions list who was left out of which analysis.

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
# ## 7. Everything in one call
#
# `analyze` recognises the design from the data: a `group` column with two arms, more than two
# visits, and a diary given with `diary=`. It writes the paired tables within each arm, the
# ANCOVA of the last visit against the first (`arms.csv`), the mixed models, the diary
# summaries, the figures and a report with a methods paragraph covering all of it.

# %%
analysis = mrs.analyze(CONTROLLED / "pmr_controlled.csv", out=OUT / "report", visits=VISITS,
                       diary=CONTROLLED / "pmr_diary.csv", outcomes=OUTCOMES, n_boot=2000)
print(analysis.summary())
sorted(path.name for path in (OUT / "report").iterdir())

# %% [markdown]
# From a terminal:
#
# ```bash
# python -m msrelax_stats analyze data/sample/controlled/pmr_controlled.csv \
#     --visits baseline,week6,week12 --diary data/sample/controlled/pmr_diary.csv --out results
# ```
#
# **Reference.** Vickers AJ, Altman DG. Analysing controlled trials with baseline and follow up
# measurements. BMJ 2001;323:1123-1124.
