# Reference values for msrelax_stats.stats.arms / visits / diary (issue 6).
#
# Run from this folder:  Rscript designs_reference.R
# Reads designs_arms.csv, designs_visits.csv, designs_diary.csv (small synthetic datasets made
# once for these tests) and writes designs_reference_values.csv with one number per row:
#   analysis, outcome, term, statistic, value
# Tested with R 4.2.2, effectsize 0.8.3, lme4 1.1-31 (Debian packages r-cran-effectsize,
# r-cran-lme4). The tests read the CSV; they never need R.
suppressPackageStartupMessages({
  library(effectsize)
  library(lme4)
})

out <- list()
put <- function(analysis, outcome, term, statistic, value) {
  out[[length(out) + 1]] <<- data.frame(
    analysis = analysis, outcome = outcome, term = term, statistic = statistic,
    value = sprintf("%.17g", as.numeric(value)), stringsAsFactors = FALSE
  )
}
outcomes <- c("fss_mean", "psqi_global")

# ---------------------------------------------------------------- two arms (pre/post)
arms <- read.csv("designs_arms.csv", colClasses = c(id = "character"))
for (oc in outcomes) {
  pre <- arms[arms$time == "pre", c("id", "group", oc)]
  post <- arms[arms$time == "post", c("id", oc)]
  names(pre)[3] <- "pre"
  names(post)[2] <- "post"
  w <- merge(pre, post, by = "id")
  w <- w[complete.cases(w$pre, w$post), ]
  w$group <- factor(w$group, levels = c("control", "relaxation"))  # control = reference
  put("arms", oc, "", "n_control", sum(w$group == "control"))
  put("arms", oc, "", "n_treatment", sum(w$group == "relaxation"))

  fit <- lm(post ~ pre + group, data = w)
  co <- summary(fit)$coefficients
  ci <- confint(fit, level = 0.95)
  for (term in rownames(co)) {
    put("arms_lm", oc, term, "estimate", co[term, "Estimate"])
    put("arms_lm", oc, term, "se", co[term, "Std. Error"])
    put("arms_lm", oc, term, "t", co[term, "t value"])
    put("arms_lm", oc, term, "p", co[term, "Pr(>|t|)"])
    put("arms_lm", oc, term, "ci_low", ci[term, 1])
    put("arms_lm", oc, term, "ci_high", ci[term, 2])
  }
  put("arms_lm", oc, "", "df_resid", df.residual(fit))
  # effectsize::eta_squared(fit, partial = TRUE): type I SS, group entered after pre
  es <- eta_squared(fit, partial = TRUE, ci = 0.95)
  put("arms_lm", oc, "group", "partial_eta_sq", es$Eta2_partial[es$Parameter == "group"])
  # adjusted means: predictions at the mean pre of the analysed participants
  nd <- data.frame(pre = mean(w$pre), group = factor(c("control", "relaxation"),
                                                     levels = levels(w$group)))
  pr <- predict(fit, newdata = nd, interval = "confidence", level = 0.95)
  for (k in 1:2) {
    put("arms_adjusted", oc, as.character(nd$group[k]), "adjusted_mean", pr[k, "fit"])
    put("arms_adjusted", oc, as.character(nd$group[k]), "ci_low", pr[k, "lwr"])
    put("arms_adjusted", oc, as.character(nd$group[k]), "ci_high", pr[k, "upr"])
  }

  # change scores: relaxation - control
  w$change <- w$post - w$pre
  w$arm <- factor(as.character(w$group), levels = c("relaxation", "control"))
  tt <- t.test(change ~ arm, data = w, var.equal = FALSE)
  put("arms_welch", oc, "", "t", tt$statistic)
  put("arms_welch", oc, "", "df", tt$parameter)
  put("arms_welch", oc, "", "p", tt$p.value)
  put("arms_welch", oc, "", "mean_diff", tt$estimate[1] - tt$estimate[2])
  put("arms_welch", oc, "", "ci_low", tt$conf.int[1])
  put("arms_welch", oc, "", "ci_high", tt$conf.int[2])
  g <- hedges_g(change ~ arm, data = w, ci = 0.95)  # pooled SD, noncentral-t CI
  put("arms_hedges", oc, "", "g", g$Hedges_g)
  put("arms_hedges", oc, "", "ci_low", g$CI_low)
  put("arms_hedges", oc, "", "ci_high", g$CI_high)
}

# ---------------------------------------------------------------- three visits
vis <- read.csv("designs_visits.csv", colClasses = c(id = "character"))
visit_levels <- c("baseline", "week6", "week12")
vis$visit <- factor(vis$time, levels = visit_levels)
vis$group <- factor(vis$group, levels = c("waitlist", "relaxation"))  # control = reference
rename_term <- function(x) {
  x <- sub("^visit", "time[", x)
  x <- sub("^(time\\[[^:]*)", "\\1]", x)
  x <- sub("grouprelaxation", "group[relaxation]", x)
  x
}
for (oc in outcomes) {
  d <- vis[!is.na(vis[[oc]]), ]
  d$score <- d[[oc]]
  m <- lmer(score ~ visit + (1 | id), data = d, REML = TRUE)
  fe <- fixef(m)
  se <- sqrt(diag(as.matrix(vcov(m))))
  for (k in seq_along(fe)) {
    term <- rename_term(names(fe)[k])
    put("visits_lmer", oc, term, "estimate", fe[k])
    put("visits_lmer", oc, term, "se", se[k])
  }
  vc <- as.data.frame(VarCorr(m))
  put("visits_lmer", oc, "", "intercept_var", vc$vcov[vc$grp == "id"])
  put("visits_lmer", oc, "", "residual_var", vc$vcov[vc$grp == "Residual"])
  put("visits_lmer", oc, "", "n_obs", nrow(d))
  put("visits_lmer", oc, "", "n_participants", length(unique(d$id)))

  mi <- lmer(score ~ visit * group + (1 | id), data = d, REML = TRUE)
  fe <- fixef(mi)
  se <- sqrt(diag(as.matrix(vcov(mi))))
  for (k in seq_along(fe)) {
    term <- rename_term(names(fe)[k])
    put("visits_lmer_group", oc, term, "estimate", fe[k])
    put("visits_lmer_group", oc, term, "se", se[k])
  }
  vc <- as.data.frame(VarCorr(mi))
  put("visits_lmer_group", oc, "", "intercept_var", vc$vcov[vc$grp == "id"])
  put("visits_lmer_group", oc, "", "residual_var", vc$vcov[vc$grp == "Residual"])
  # likelihood-ratio test of the interaction; anova() refits both models by ML
  ma <- lmer(score ~ visit + group + (1 | id), data = d, REML = TRUE)
  lr <- anova(ma, mi)
  put("visits_interaction", oc, "", "chisq", lr$Chisq[2])
  put("visits_interaction", oc, "", "df", lr$Df[2])
  put("visits_interaction", oc, "", "p", lr$`Pr(>Chisq)`[2])

  wide <- reshape(d[, c("id", "time", "score")], idvar = "id", timevar = "time",
                  direction = "wide")
  mat <- as.matrix(wide[, paste0("score.", visit_levels)])
  mat <- mat[complete.cases(mat), ]
  fr <- friedman.test(mat)
  put("visits_friedman", oc, "", "n", nrow(mat))
  put("visits_friedman", oc, "", "statistic", fr$statistic)
  put("visits_friedman", oc, "", "df", fr$parameter)
  put("visits_friedman", oc, "", "p", fr$p.value)

  pairs <- combn(visit_levels, 2)
  ps <- numeric(0)
  for (k in seq_len(ncol(pairs))) {
    a <- paste0("score.", pairs[1, k])
    b <- paste0("score.", pairs[2, k])
    ok <- complete.cases(wide[, c(a, b)])
    tt <- t.test(wide[ok, b], wide[ok, a], paired = TRUE)  # later - earlier
    term <- paste0(pairs[2, k], "-", pairs[1, k])
    put("visits_pairwise", oc, term, "n", sum(ok))
    put("visits_pairwise", oc, term, "mean_diff", tt$estimate)
    put("visits_pairwise", oc, term, "t", tt$statistic)
    put("visits_pairwise", oc, term, "df", tt$parameter)
    put("visits_pairwise", oc, term, "p", tt$p.value)
    put("visits_pairwise", oc, term, "ci_low", tt$conf.int[1])
    put("visits_pairwise", oc, term, "ci_high", tt$conf.int[2])
    ps[term] <- tt$p.value
  }
  ph <- p.adjust(ps, method = "holm")
  for (term in names(ph)) put("visits_pairwise", oc, term, "p_holm", ph[term])
}

# ---------------------------------------------------------------- diary and dose-response
di <- read.csv("designs_diary.csv", colClasses = c(id = "character"))
study_days <- 14
di <- di[di$day >= 1 & di$day <= study_days, ]
adh <- data.frame(
  id = sort(unique(di$id)),
  share_practised = as.numeric(tapply(di$practised == "yes", di$id, sum)[sort(unique(di$id))]) /
    study_days,
  total_minutes = as.numeric(tapply(di$minutes, di$id, sum)[sort(unique(di$id))]),
  mean_spasms = as.numeric(tapply(di$spasms, di$id, mean)[sort(unique(di$id))])
)
for (k in seq_len(nrow(adh))) {
  put("diary_adherence", "", adh$id[k], "share_practised", adh$share_practised[k])
  put("diary_adherence", "", adh$id[k], "total_minutes", adh$total_minutes[k])
  put("diary_adherence", "", adh$id[k], "mean_spasms", adh$mean_spasms[k])
}
for (oc in outcomes) {
  pre <- arms[arms$time == "pre", c("id", oc)]
  post <- arms[arms$time == "post", c("id", oc)]
  names(pre)[2] <- "pre"
  names(post)[2] <- "post"
  ch <- merge(pre, post, by = "id")
  ch$change <- ch$post - ch$pre
  dd <- merge(ch, adh, by = "id")
  dd <- dd[complete.cases(dd$change, dd$share_practised), ]
  ct <- suppressWarnings(cor.test(dd$change, dd$share_practised, method = "spearman",
                                  exact = FALSE))
  put("dose_response", oc, "", "n", nrow(dd))
  put("dose_response", oc, "", "spearman_rho", ct$estimate)
  put("dose_response", oc, "", "spearman_p", ct$p.value)
  fit <- lm(change ~ share_practised, data = dd)
  co <- summary(fit)$coefficients
  ci <- confint(fit, level = 0.95)
  put("dose_response", oc, "", "slope", co["share_practised", "Estimate"])
  put("dose_response", oc, "", "slope_se", co["share_practised", "Std. Error"])
  put("dose_response", oc, "", "slope_p", co["share_practised", "Pr(>|t|)"])
  put("dose_response", oc, "", "slope_ci_low", ci["share_practised", 1])
  put("dose_response", oc, "", "slope_ci_high", ci["share_practised", 2])
  put("dose_response", oc, "", "intercept", co["(Intercept)", "Estimate"])
}

res <- do.call(rbind, out)
write.csv(res, "designs_reference_values.csv", row.names = FALSE, quote = TRUE)
cat("wrote", nrow(res), "values\n")
