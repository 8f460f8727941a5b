# Reference values for tests/test_pipeline_designs.py: the controlled sample study
# (data/sample/controlled), FSS mean = mean of the nine items (no item is missing there).
# Run from the repository root: Rscript tests/reference/pipeline_designs_reference.R
d <- read.csv("data/sample/controlled/pmr_controlled.csv", stringsAsFactors = FALSE)
d$fss_mean <- rowMeans(d[, paste0("fss_", 1:9)])
w <- reshape(d[, c("id", "group", "time", "fss_mean")], idvar = c("id", "group"),
             timevar = "time", direction = "wide")
w$group <- relevel(factor(w$group), ref = "control")
cc <- w[!is.na(w$fss_mean.week12), ]
fit <- lm(fss_mean.week12 ~ fss_mean.baseline + group, data = cc)
co <- summary(fit)$coefficients["grouprelaxation", ]
ci <- confint(fit)["grouprelaxation", ]
cat(sprintf("ancova_diff %.10f\nancova_ci_low %.10f\nancova_ci_high %.10f\nancova_p %.10g\n",
            co[1], ci[1], ci[2], co[4]))
cc$change <- cc$fss_mean.week12 - cc$fss_mean.baseline
wt <- t.test(change ~ group, data = transform(cc, group = relevel(group, ref = "relaxation")),
             var.equal = FALSE)
cat(sprintf("welch_t %.10f\nwelch_df %.10f\nwelch_p %.10g\n", wt$statistic, wt$parameter, wt$p.value))
complete <- w[complete.cases(w[, c("fss_mean.baseline", "fss_mean.week6", "fss_mean.week12")]), ]
m <- as.matrix(complete[, c("fss_mean.baseline", "fss_mean.week6", "fss_mean.week12")])
ft <- friedman.test(m)
cat(sprintf("friedman_n %d\nfriedman_chisq %.10f\nfriedman_p %.10g\n", nrow(m), ft$statistic, ft$p.value))
library(lme4)
d$time <- factor(d$time, levels = c("baseline", "week6", "week12"))
lmm <- lmer(fss_mean ~ time + (1 | id), data = d, REML = TRUE)
cat(sprintf("lmer_week6 %.10f\nlmer_week12 %.10f\n", fixef(lmm)[2], fixef(lmm)[3]))
diary <- read.csv("data/sample/controlled/pmr_diary.csv", stringsAsFactors = FALSE)
inside <- diary[diary$day >= 1 & diary$day <= 42, ]
s03 <- inside[inside$id == "S03", ]
cat(sprintf("s03_share %.10f\ns03_minutes %.1f\n", sum(s03$practised == "yes") / 42, sum(s03$minutes)))
rel <- cc[cc$group == "relaxation", ]
share <- tapply(inside$practised == "yes", inside$id, sum) / 42
rel$share <- share[rel$id]
sp <- cor.test(rel$share, rel$change, method = "spearman", exact = FALSE)
sl <- coef(summary(lm(change ~ share, data = rel)))["share", ]
cat(sprintf("dose_n %d\nspearman_rho %.10f\nslope %.10f\n", nrow(rel), sp$estimate, sl[1]))
