# Reference values for the trial analyses of issue 17: ANCOVA with covariates and emmeans,
# lmerTest mixed models (Satterthwaite), per-arm Friedman tests, p.adjust by family.
#
# Run from this folder:  Rscript trial_reference.R
# Reads trial_data.csv (made once by make_trial_data.py; synthetic) and writes
# trial_reference_values.csv with one number per row: analysis, outcome, term, statistic, value.
# Tested with R 4.2.2, lme4 1.1-31, lmerTest 3.1-3, emmeans 1.8.4-1 (Debian packages
# r-cran-lme4, r-cran-lmertest, r-cran-emmeans). The tests read the CSV; they never need R.
suppressPackageStartupMessages({
  library(lmerTest)   # attaches lme4; lmer() then returns lmerModLmerTest fits
  library(emmeans)
})

out <- list()
put <- function(analysis, outcome, term, statistic, value) {
  out[[length(out) + 1]] <<- data.frame(
    analysis = analysis, outcome = outcome, term = term, statistic = statistic,
    value = sprintf("%.17g", as.numeric(value)), stringsAsFactors = FALSE
  )
}
# R's coefficient names -> the term names of msrelax_stats
our_term <- function(x) {
  x <- gsub("grouprelaxation", "group[relaxation]", x)
  x <- gsub("visit(week6|week12)", "time[\\1]", x)
  x <- gsub("sexM", "sex[M]", x)
  x <- sub("^pre$", "baseline", x)
  x
}
outcomes <- c("fss_mean", "psqi_global")
covariates <- c("age", "sex", "edss")
visit_levels <- c("baseline", "week6", "week12")

d <- read.csv("trial_data.csv", colClasses = c(id = "character"))
d$visit <- factor(d$time, levels = visit_levels)
d$group <- factor(d$group, levels = c("control", "relaxation"))  # control = reference
# baseline covariates: the value on the participant's baseline row
base <- d[d$time == "baseline", c("id", covariates)]
base$sex <- factor(base$sex)  # levels F, M: F = reference

# ---------------------------------------------------------------- ANCOVA at each follow-up
for (oc in outcomes) {
  pre <- d[d$time == "baseline", c("id", "group", oc)]
  names(pre)[3] <- "pre"
  for (v in visit_levels[-1]) {
    post <- d[d$time == v, c("id", oc)]
    names(post)[2] <- "post"
    w <- merge(merge(pre, post, by = "id"), base, by = "id")
    w <- w[complete.cases(w$pre, w$post), ]
    for (model in c("unadjusted", "adjusted")) {
      if (model == "unadjusted") {
        fit <- lm(post ~ pre + group, data = w)
      } else {
        fit <- lm(post ~ pre + group + age + sex + edss, data = w)  # drops NA covariates
      }
      used <- w[rownames(model.frame(fit)), ]
      key <- paste(model, v, sep = ":")
      for (arm in levels(used$group)) {
        a <- used[used$group == arm, ]
        put("ancova_n", oc, key, arm, nrow(a))
        put("ancova_desc", oc, key, paste0("pre_mean_", arm), mean(a$pre))
        put("ancova_desc", oc, key, paste0("pre_sd_", arm), sd(a$pre))
        put("ancova_desc", oc, key, paste0("post_mean_", arm), mean(a$post))
        put("ancova_desc", oc, key, paste0("post_sd_", arm), sd(a$post))
        tt <- t.test(a$post, a$pre, paired = TRUE)
        put("ancova_desc", oc, key, paste0("change_mean_", arm), tt$estimate)
        put("ancova_desc", oc, key, paste0("change_sd_", arm), sd(a$post - a$pre))
        put("ancova_desc", oc, key, paste0("change_ci_low_", arm), tt$conf.int[1])
        put("ancova_desc", oc, key, paste0("change_ci_high_", arm), tt$conf.int[2])
      }
      co <- summary(fit)$coefficients
      ci <- confint(fit, level = 0.95)
      for (term in rownames(co)) {
        tn <- paste(key, our_term(term), sep = "|")
        put("ancova_lm", oc, tn, "estimate", co[term, "Estimate"])
        put("ancova_lm", oc, tn, "se", co[term, "Std. Error"])
        put("ancova_lm", oc, tn, "t", co[term, "t value"])
        put("ancova_lm", oc, tn, "p", co[term, "Pr(>|t|)"])
        put("ancova_lm", oc, tn, "ci_low", ci[term, 1])
        put("ancova_lm", oc, tn, "ci_high", ci[term, 2])
      }
      put("ancova_lm", oc, key, "df_resid", df.residual(fit))
      put("ancova_lm", oc, key, "sigma", sigma(fit))
      # adjusted means: numeric covariates at their mean, equal weights over the sex levels
      emm <- emmeans(fit, "group")
      es <- summary(emm, level = 0.95)
      for (k in seq_len(nrow(es))) {
        tn <- paste(key, as.character(es$group[k]), sep = "|")
        put("ancova_emmeans", oc, tn, "emmean", es$emmean[k])
        put("ancova_emmeans", oc, tn, "se", es$SE[k])
        put("ancova_emmeans", oc, tn, "df", es$df[k])
        put("ancova_emmeans", oc, tn, "ci_low", es$lower.CL[k])
        put("ancova_emmeans", oc, tn, "ci_high", es$upper.CL[k])
      }
      ct <- summary(contrast(emm, "revpairwise"), infer = c(TRUE, TRUE), level = 0.95)
      put("ancova_contrast", oc, key, "estimate", ct$estimate)
      put("ancova_contrast", oc, key, "se", ct$SE)
      put("ancova_contrast", oc, key, "df", ct$df)
      put("ancova_contrast", oc, key, "t", ct$t.ratio)
      put("ancova_contrast", oc, key, "p", ct$p.value)
      put("ancova_contrast", oc, key, "ci_low", ct$lower.CL)
      put("ancova_contrast", oc, key, "ci_high", ct$upper.CL)
      # standardised difference: adjusted difference / residual SD (emmeans::eff_size) ...
      ef <- summary(eff_size(emm, sigma = sigma(fit), edf = df.residual(fit),
                             method = "revpairwise"))
      put("ancova_smd", oc, key, "smd", ef$effect.size)
      # ... with the exact CI: t is noncentral t(df, ncp = delta / sqrt(c)), c = SE^2 / sigma^2
      # (conditional on the design), inverted as effectsize does (uniroot instead of optim)
      tval <- ct$t.ratio
      dfr <- df.residual(fit)
      scale <- ct$SE / sigma(fit)
      ncp_at <- function(prob) {
        uniroot(function(ncp) pt(tval, dfr, ncp) - prob, c(tval - 20, tval + 20),
                tol = 1e-14)$root
      }
      put("ancova_smd", oc, key, "ci_low", ncp_at(0.975) * scale)
      put("ancova_smd", oc, key, "ci_high", ncp_at(0.025) * scale)
    }
  }
}

# ---------------------------------------------------------------- mixed models (lmerTest)
long <- merge(d[, c("id", "visit", "group", outcomes)], base, by = "id")
for (oc in outcomes) {
  m <- long[!is.na(long[[oc]]), ]
  m$score <- m[[oc]]
  fits <- list(
    visit = lmer(score ~ visit + (1 | id), data = m, REML = TRUE),
    "visit*group" = lmer(score ~ visit * group + (1 | id), data = m, REML = TRUE),
    "visit+covariates" = lmer(score ~ visit + age + sex + edss + (1 | id), data = m,
                              REML = TRUE),
    "visit*group+covariates" = lmer(score ~ visit * group + age + sex + edss + (1 | id),
                                    data = m, REML = TRUE)
  )
  for (model in names(fits)) {
    fit <- fits[[model]]
    co <- summary(fit, ddf = "Satterthwaite")$coefficients
    for (k in seq_len(nrow(co))) {
      tn <- paste(model, our_term(rownames(co)[k]), sep = "|")
      L <- numeric(nrow(co))
      L[k] <- 1
      c1 <- contest1D(fit, L, ddf = "Satterthwaite", confint = TRUE, level = 0.95)
      put("lmer", oc, tn, "estimate", co[k, "Estimate"])
      put("lmer", oc, tn, "se", co[k, "Std. Error"])
      put("lmer", oc, tn, "df", co[k, "df"])
      put("lmer", oc, tn, "t", co[k, "t value"])
      put("lmer", oc, tn, "p", co[k, "Pr(>|t|)"])
      put("lmer", oc, tn, "ci_low", c1$lower)
      put("lmer", oc, tn, "ci_high", c1$upper)
    }
    vc <- as.data.frame(VarCorr(fit))
    tau2 <- vc$vcov[vc$grp == "id"]
    sigma2 <- vc$vcov[vc$grp == "Residual"]
    put("lmer", oc, model, "intercept_var", tau2)
    put("lmer", oc, model, "residual_var", sigma2)
    put("lmer", oc, model, "icc", tau2 / (tau2 + sigma2))
    put("lmer", oc, model, "n_obs", nobs(fit))
    put("lmer", oc, model, "n_participants", length(unique(model.frame(fit)$id)))
    if (grepl("group", model)) {
      # between-arm difference at each visit, Satterthwaite df (emmeans via lmerTest)
      emm <- emmeans(fit, ~ group | visit, lmer.df = "satterthwaite")
      ct <- summary(contrast(emm, "revpairwise"), infer = c(TRUE, TRUE), level = 0.95)
      for (k in seq_len(nrow(ct))) {
        tn <- paste(model, as.character(ct$visit[k]), sep = "|")
        put("lmer_arms", oc, tn, "estimate", ct$estimate[k])
        put("lmer_arms", oc, tn, "se", ct$SE[k])
        put("lmer_arms", oc, tn, "df", ct$df[k])
        put("lmer_arms", oc, tn, "t", ct$t.ratio[k])
        put("lmer_arms", oc, tn, "p", ct$p.value[k])
        put("lmer_arms", oc, tn, "ci_low", ct$lower.CL[k])
        put("lmer_arms", oc, tn, "ci_high", ct$upper.CL[k])
      }
    }
  }
}

# likelihood-ratio tests of the interaction with covariates (anova() refits both by ML)
for (oc in outcomes) {
  m <- long[!is.na(long[[oc]]) & complete.cases(long[, covariates]), ]
  m$score <- m[[oc]]
  m0 <- lmer(score ~ visit + group + age + sex + edss + (1 | id), data = m, REML = TRUE)
  m1 <- lmer(score ~ visit * group + age + sex + edss + (1 | id), data = m, REML = TRUE)
  lr <- anova(m0, m1)
  put("lmer_interaction", oc, "covariates", "chisq", lr$Chisq[2])
  put("lmer_interaction", oc, "covariates", "df", lr$Df[2])
  put("lmer_interaction", oc, "covariates", "p", lr$`Pr(>Chisq)`[2])
}

# ---------------------------------------------------------------- Friedman and pairwise per arm
for (oc in outcomes) {
  for (arm in levels(d$group)) {
    a <- d[d$group == arm, c("id", "time", oc)]
    names(a)[3] <- "score"
    wide <- reshape(a, idvar = "id", timevar = "time", direction = "wide")
    cols <- paste0("score.", visit_levels)
    mat <- as.matrix(wide[, cols])
    full <- mat[complete.cases(mat), ]
    fr <- friedman.test(full)
    put("friedman_arm", oc, arm, "n", nrow(full))
    put("friedman_arm", oc, arm, "statistic", fr$statistic)
    put("friedman_arm", oc, arm, "df", fr$parameter)
    put("friedman_arm", oc, arm, "p", fr$p.value)
    pairs <- combn(visit_levels, 2)
    ps <- numeric(0)
    for (k in seq_len(ncol(pairs))) {
      va <- paste0("score.", pairs[1, k])
      vb <- paste0("score.", pairs[2, k])
      ok <- complete.cases(wide[, c(va, vb)])
      tt <- t.test(wide[ok, vb], wide[ok, va], paired = TRUE)  # later - earlier
      tn <- paste(arm, paste0(pairs[2, k], "-", pairs[1, k]), sep = "|")
      put("pairwise_arm", oc, tn, "n", sum(ok))
      put("pairwise_arm", oc, tn, "mean_diff", tt$estimate)
      put("pairwise_arm", oc, tn, "t", tt$statistic)
      put("pairwise_arm", oc, tn, "df", tt$parameter)
      put("pairwise_arm", oc, tn, "p", tt$p.value)
      put("pairwise_arm", oc, tn, "ci_low", tt$conf.int[1])
      put("pairwise_arm", oc, tn, "ci_high", tt$conf.int[2])
      ps[tn] <- tt$p.value
    }
    ph <- p.adjust(ps, method = "holm")  # Holm over the three pairs of this arm
    for (tn in names(ph)) put("pairwise_arm", oc, tn, "p_holm", ph[tn])
  }
}

# ---------------------------------------------------------------- p-values adjusted by family
# A results table of nine outcomes in three families (p-values typed in; NA = not testable).
fam <- data.frame(
  family = c("primary", "primary", "secondary", "secondary", "secondary", "secondary",
             "exploratory", "exploratory", "exploratory"),
  outcome = c("fss_mean", "psqi_global", "mfis_total", "ess_total", "isi_total",
              "hads_anxiety", "psqi_c1", "psqi_c2", "mfis_physical"),
  p = c(0.0123, 0.0311, 0.0041, 0.2, NA, 0.019, 0.04, 0.5, 0.001)
)
for (k in seq_len(nrow(fam))) put("family_input", fam$outcome[k], fam$family[k], "p", fam$p[k])
# rule holm: p.adjust within each family (NA p-values are left out of the count, as R does)
for (f in c("primary", "secondary")) {
  i <- fam$family == f
  adj <- p.adjust(fam$p[i], method = "holm")
  for (k in which(i)) put("family_holm", fam$outcome[k], f, "p_adjusted", adj[which(which(i) == k)])
}
# rule fixed-sequence over the secondary family in its listed order: adjusted p = running
# maximum (Westfall & Krishen 2001); a missing p stops the sequence (later ones get 1)
i <- which(fam$family == "secondary")
p <- fam$p[i]
stopped <- cumsum(is.na(p)) > 0
adj <- cummax(ifelse(is.na(p), 1, p))
adj[is.na(p)] <- NA
adj[stopped & !is.na(p)] <- 1
for (k in seq_along(i)) put("family_fixed_sequence", fam$outcome[i[k]], "secondary",
                            "p_adjusted", adj[k])
# same with the primary family as a fixed sequence, no missing value
p <- fam$p[fam$family == "primary"]
adj <- cummax(p)
for (k in seq_along(p)) put("family_fixed_sequence", fam$outcome[k], "primary", "p_adjusted",
                            adj[k])

res <- do.call(rbind, out)
write.csv(res, "trial_reference_values.csv", row.names = FALSE, quote = TRUE)
cat("wrote", nrow(res), "values\n")
