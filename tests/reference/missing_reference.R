# Reference values for msrelax_stats.stats.missing / pooling (issue 18).
#
# Run from this folder:  Rscript missing_reference.R
# Reads the synthetic studies missing_onegroup.csv and missing_arms.csv and the imputations our
# code wrote for them (missing_imputations_*.csv, mice::complete(imp, "long", include = TRUE)
# layout; see make_missing_data.py), and writes missing_reference_values.csv with one number
# per row: analysis, outcome, term, statistic, value.
#   mi_*:       mice::pool() of with(as.mids(long), lm(...)), summary(conf.int = TRUE)
#   complete_*: lm() on the participants with both visits
#   bocf_*:     lm() with a missing endpoint replaced by the baseline score
#   mixed_*:    lme4::lmer(REML) of every observed visit, fixed effect and its SE
#   delta_*:    the imputed endpoints of those who lost it (two arms: in the relaxation arm)
#               shifted by +delta in the long file, then as mi_*
#   pool_scalar: mice::pool.scalar() on small made-up inputs (term = case name)
# Tested with R 4.2.2, mice 3.15.0, lme4 1.1-31 (Debian r-cran-mice, r-cran-lme4). The tests
# read the CSV; they never need R.
suppressPackageStartupMessages({
  library(mice)
  library(lme4)
  library(lmerTest)  # Satterthwaite df and p of the mixed-model contrast
})

out <- list()
put <- function(analysis, outcome, term, statistic, value) {
  out[[length(out) + 1]] <<- data.frame(
    analysis = analysis, outcome = outcome, term = term, statistic = statistic,
    value = sprintf("%.17g", as.numeric(value)), stringsAsFactors = FALSE
  )
}
put_pool <- function(analysis, outcome, fit, term) {
  s <- summary(pool(fit), conf.int = TRUE, conf.level = 0.95)
  p <- pool(fit)$pooled
  s <- s[as.character(s$term) == term, ]
  p <- p[as.character(p$term) == term, ]
  put(analysis, outcome, term, "estimate", s$estimate)
  put(analysis, outcome, term, "se", s$std.error)
  put(analysis, outcome, term, "statistic", s$statistic)
  put(analysis, outcome, term, "df", s$df)
  put(analysis, outcome, term, "p", s$p.value)
  put(analysis, outcome, term, "ci_low", s[["2.5 %"]])
  put(analysis, outcome, term, "ci_high", s[["97.5 %"]])
  for (k in c("m", "ubar", "b", "t", "dfcom", "riv", "lambda", "fmi")) {
    put(analysis, outcome, term, k, p[[k]])
  }
}
put_lm <- function(analysis, outcome, fit, term) {
  co <- summary(fit)$coefficients
  ci <- confint(fit, level = 0.95)
  put(analysis, outcome, term, "estimate", co[term, "Estimate"])
  put(analysis, outcome, term, "se", co[term, "Std. Error"])
  put(analysis, outcome, term, "statistic", co[term, "t value"])
  put(analysis, outcome, term, "p", co[term, "Pr(>|t|)"])
  put(analysis, outcome, term, "ci_low", ci[term, 1])
  put(analysis, outcome, term, "ci_high", ci[term, 2])
  put(analysis, outcome, term, "df", df.residual(fit))
  put(analysis, outcome, term, "n", nobs(fit))
}
put_lmer <- function(analysis, outcome, fit, term) {
  co <- summary(fit)$coefficients
  put(analysis, outcome, term, "estimate", co[term, "Estimate"])
  put(analysis, outcome, term, "se", co[term, "Std. Error"])
  put(analysis, outcome, term, "df", co[term, "df"])
  put(analysis, outcome, term, "p", co[term, "Pr(>|t|)"])
  put(analysis, outcome, term, "n", ngrps(fit)[["id"]])
}
wide <- function(d, oc, visits) {
  w <- data.frame(id = unique(d$id), stringsAsFactors = FALSE)
  for (v in visits) {
    x <- d[d$time == v, c("id", oc)]
    names(x)[2] <- v
    w <- merge(w, x, by = "id", all.x = TRUE, sort = FALSE)
  }
  w
}
# with(imp, lm(<formula>)) with the formula written out, as a user would type it
with_lm <- function(formula_text) {
  eval(parse(text = sprintf("with(imp, lm(%s))", formula_text)))
}
outcomes <- c("fss_mean", "psqi_global")

# ---------------------------------------------------------------- one group, three visits
long <- read.csv("missing_imputations_onegroup.csv", check.names = FALSE,
                 colClasses = c(id = "character"))
imp <- as.mids(long)
study <- read.csv("missing_onegroup.csv", colClasses = c(id = "character"))
visits <- c("baseline", "week6", "week12")
for (oc in outcomes) {
  put_pool("mi_onegroup", oc, with_lm(sprintf("I(%s_week12 - %s_baseline) ~ 1", oc, oc)),
           "(Intercept)")
  w <- wide(study, oc, visits)
  cc <- w[!is.na(w$baseline) & !is.na(w$week12), ]
  put_lm("complete_onegroup", oc, lm(I(week12 - baseline) ~ 1, data = cc), "(Intercept)")
  b <- w[!is.na(w$baseline), ]
  b$week12[is.na(b$week12)] <- b$baseline[is.na(b$week12)]
  put_lm("bocf_onegroup", oc, lm(I(week12 - baseline) ~ 1, data = b), "(Intercept)")
  d <- study[!is.na(study[[oc]]), ]
  d$time <- factor(d$time, levels = visits)
  d$y <- d[[oc]]
  put_lmer("mixed_onegroup", oc, lmer(y ~ time + (1 | id), data = d, REML = TRUE), "timeweek12")
}

# ---------------------------------------------------------------- two arms, covariates
long <- read.csv("missing_imputations_arms.csv", check.names = FALSE,
                 colClasses = c(id = "character"))
long$group <- factor(long$group, levels = c("control", "relaxation"))  # control = reference
imp <- as.mids(long)
study <- read.csv("missing_arms.csv", colClasses = c(id = "character"))
study$group <- factor(study$group, levels = c("control", "relaxation"))
for (oc in outcomes) {
  put_pool("mi_arms", oc, with_lm(sprintf("%s_post ~ %s_pre + group + age + sex", oc, oc)),
           "grouprelaxation")
  w <- wide(study, oc, c("pre", "post"))
  covs <- unique(study[, c("id", "group", "age", "sex")])
  w <- merge(w, covs, by = "id", sort = FALSE)
  cc <- w[!is.na(w$pre) & !is.na(w$post), ]
  put_lm("complete_arms", oc, lm(post ~ pre + group + age + sex, data = cc), "grouprelaxation")
  b <- w[!is.na(w$pre), ]
  b$post[is.na(b$post)] <- b$pre[is.na(b$post)]
  put_lm("bocf_arms", oc, lm(post ~ pre + group + age + sex, data = b), "grouprelaxation")
  d <- study[!is.na(study[[oc]]), ]
  d$time <- factor(d$time, levels = c("pre", "post"))
  d$y <- d[[oc]]
  fit <- lmer(y ~ time * group + age + sex + (1 | id), data = d, REML = TRUE)
  put_lmer("mixed_arms", oc, fit, "timepost:grouprelaxation")
}

# ---------------------------------------------------------------- delta adjustment
shifted <- function(long, column, delta, arm = NULL) {
  lost <- long$.id[long$.imp == 0 & is.na(long[[column]])]
  if (!is.null(arm)) lost <- intersect(lost, long$.id[long$.imp == 0 & long$group == arm])
  rows <- long$.imp > 0 & long$.id %in% lost
  long[[column]][rows] <- long[[column]][rows] + delta
  long
}
long <- read.csv("missing_imputations_onegroup.csv", check.names = FALSE,
                 colClasses = c(id = "character"))
imp <- as.mids(shifted(long, "fss_mean_week12", 1.0))
put_pool("delta_onegroup_1", "fss_mean", with_lm("I(fss_mean_week12 - fss_mean_baseline) ~ 1"),
         "(Intercept)")
long <- read.csv("missing_imputations_arms.csv", check.names = FALSE,
                 colClasses = c(id = "character"))
long$group <- factor(long$group, levels = c("control", "relaxation"))
imp <- as.mids(shifted(long, "psqi_global_post", 3.0, "relaxation"))
put_pool("delta_arms_3", "psqi_global",
         with_lm("psqi_global_post ~ psqi_global_pre + group + age + sex"), "grouprelaxation")

# ---------------------------------------------------------------- pool.scalar
cases <- list(
  small = list(Q = c(1, 1.2, 0.9, 1.1, 1), U = c(0.04, 0.05, 0.04, 0.045, 0.05), n = 31, k = 1),
  nothing_missing = list(Q = rep(-0.7, 10), U = rep(0.02, 10), n = 32, k = 1),
  large_sample = list(Q = c(2.1, 1.7, 2.4, 1.9), U = c(0.3, 0.25, 0.35, 0.3), n = Inf, k = 1)
)
for (name in names(cases)) {
  a <- cases[[name]]
  r <- pool.scalar(a$Q, a$U, n = a$n, k = a$k)
  for (k in c("qbar", "ubar", "b", "t", "df", "r", "fmi")) put("pool_scalar", "", name, k, r[[k]])
}

write.csv(do.call(rbind, out), "missing_reference_values.csv", row.names = FALSE)
