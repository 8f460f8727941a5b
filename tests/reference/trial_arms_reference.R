# Reference values for issue 17 phase B: what analyse() adds to the between-arm ANCOVA of
# trial_reference.R at every follow-up visit (the changes compared between arms, and the
# ANCOVA p-values adjusted within the plan's families), and the week6 ANCOVA of the
# controlled sample study (data/sample/controlled, FSS mean = mean of the nine items).
#
# Run from this folder:  Rscript trial_arms_reference.R
# Reads trial_data.csv (synthetic; see make_trial_data.py) and
# ../../data/sample/controlled/pmr_controlled.csv, writes trial_arms_reference_values.csv
# (analysis, outcome, term, statistic, value), as trial_reference.R does.
# Tested with R 4.2.2, effectsize 0.8.3. The tests read the CSV; they never need R.
suppressPackageStartupMessages(library(effectsize))

out <- list()
put <- function(analysis, outcome, term, statistic, value) {
  out[[length(out) + 1]] <<- data.frame(
    analysis = analysis, outcome = outcome, term = term, statistic = statistic,
    value = sprintf("%.17g", as.numeric(value)), stringsAsFactors = FALSE
  )
}
outcomes <- c("fss_mean", "psqi_global")
covariates <- c("age", "sex", "edss")
visit_levels <- c("baseline", "week6", "week12")

d <- read.csv("trial_data.csv", colClasses = c(id = "character"))
d$group <- factor(d$group, levels = c("control", "relaxation"))
base <- d[d$time == "baseline", c("id", covariates)]

# ------------------------------------------- changes compared between arms, per visit and model
# The participants of each ANCOVA (baseline and visit scored; with covariates, every covariate
# known at baseline): their changes visit - baseline, relaxation - control.
p_ancova <- list()
for (oc in outcomes) {
  pre <- d[d$time == "baseline", c("id", "group", oc)]
  names(pre)[3] <- "pre"
  for (v in visit_levels[-1]) {
    post <- d[d$time == v, c("id", oc)]
    names(post)[2] <- "post"
    w <- merge(merge(pre, post, by = "id"), base, by = "id")
    w <- w[complete.cases(w$pre, w$post), ]
    for (model in c("unadjusted", "adjusted")) {
      if (model == "adjusted") w <- w[complete.cases(w[, covariates]), ]
      key <- paste(model, v, sep = ":")
      ch_t <- with(w[w$group == "relaxation", ], post - pre)
      ch_c <- with(w[w$group == "control", ], post - pre)
      wt <- t.test(ch_t, ch_c, var.equal = FALSE)
      put("welch", oc, key, "diff", mean(ch_t) - mean(ch_c))
      put("welch", oc, key, "ci_low", wt$conf.int[1])
      put("welch", oc, key, "ci_high", wt$conf.int[2])
      put("welch", oc, key, "t", wt$statistic)
      put("welch", oc, key, "df", wt$parameter)
      put("welch", oc, key, "p", wt$p.value)
      g <- hedges_g(ch_t, ch_c, ci = 0.95)
      put("hedges_g", oc, key, "g", g$Hedges_g)
      put("hedges_g", oc, key, "ci_low", g$CI_low)
      put("hedges_g", oc, key, "ci_high", g$CI_high)
      # effectsize finds the noncentrality parameters with optim (abstol 1e-9); the same CI
      # with uniroot to 1e-14: t = d / sqrt(1/n1 + 1/n2) ~ noncentral t(n1 + n2 - 2)
      n1 <- length(ch_t); n2 <- length(ch_c); dfp <- n1 + n2 - 2
      sp <- sqrt(((n1 - 1) * var(ch_t) + (n2 - 1) * var(ch_c)) / dfp)
      hn <- sqrt(1 / n1 + 1 / n2)
      tval <- (mean(ch_t) - mean(ch_c)) / sp / hn
      j <- exp(lgamma(dfp / 2) - log(sqrt(dfp / 2)) - lgamma((dfp - 1) / 2))
      ncp_at <- function(prob) {
        uniroot(function(ncp) pt(tval, dfp, ncp) - prob, c(tval - 20, tval + 20),
                tol = 1e-14)$root
      }
      put("hedges_g", oc, key, "ci_low_exact", ncp_at(0.975) * hn * j)
      put("hedges_g", oc, key, "ci_high_exact", ncp_at(0.025) * hn * j)
      if (model == "unadjusted") {
        fit <- lm(post ~ pre + group, data = w)
      } else {
        fit <- lm(post ~ pre + group + age + factor(sex) + edss, data = w)
      }
      p_ancova[[paste(oc, key)]] <- summary(fit)$coefficients["grouprelaxation", "Pr(>|t|)"]
    }
  }
}
# ------------------------------------------- ANCOVA p adjusted by family, within each visit
# Plan: primary = fss_mean and psqi_global, Holm over them, separately at each visit.
for (model in c("unadjusted", "adjusted")) {
  for (v in visit_levels[-1]) {
    key <- paste(model, v, sep = ":")
    p <- sapply(outcomes, function(oc) p_ancova[[paste(oc, key)]])
    adj <- p.adjust(p, method = "holm")
    for (oc in outcomes) {
      put("ancova_family", oc, key, "p", p[[oc]])
      put("ancova_family", oc, key, "p_holm", adj[[oc]])
    }
    # fixed sequence psqi_global then fss_mean: running maximum in plan order
    seq_p <- cummax(p[c("psqi_global", "fss_mean")])
    for (oc in names(seq_p)) put("ancova_fixed_sequence", oc, key, "p_adjusted", seq_p[[oc]])
  }
}

# ------------------------------------------- the controlled sample study: ANCOVA at week6
s <- read.csv("../../data/sample/controlled/pmr_controlled.csv", stringsAsFactors = FALSE)
s$fss_mean <- rowMeans(s[, paste0("fss_", 1:9)])
w <- reshape(s[, c("id", "group", "time", "fss_mean")], idvar = c("id", "group"),
             timevar = "time", direction = "wide")
w$group <- relevel(factor(w$group), ref = "control")
for (v in c("week6", "week12")) {
  f <- as.formula(paste0("fss_mean.", v, " ~ fss_mean.baseline + group"))
  cc <- w[!is.na(w[[paste0("fss_mean.", v)]]), ]
  fit <- lm(f, data = cc)
  co <- summary(fit)$coefficients["grouprelaxation", ]
  ci <- confint(fit)["grouprelaxation", ]
  put("controlled_ancova", "fss_mean", v, "diff", co[1])
  put("controlled_ancova", "fss_mean", v, "ci_low", ci[1])
  put("controlled_ancova", "fss_mean", v, "ci_high", ci[2])
  put("controlled_ancova", "fss_mean", v, "p", co[4])
  put("controlled_ancova", "fss_mean", v, "n", nrow(cc))
}

# Friedman test within each arm (participants of the arm with every visit)
for (arm in c("control", "relaxation")) {
  a <- w[w$group == arm, paste0("fss_mean.", c("baseline", "week6", "week12"))]
  m <- as.matrix(a[complete.cases(a), ])
  ft <- friedman.test(m)
  put("controlled_friedman", "fss_mean", arm, "n", nrow(m))
  put("controlled_friedman", "fss_mean", arm, "statistic", ft$statistic)
  put("controlled_friedman", "fss_mean", arm, "p", ft$p.value)
}

res <- do.call(rbind, out)
write.csv(res, "trial_arms_reference_values.csv", row.names = FALSE, quote = TRUE)
cat("wrote", nrow(res), "values\n")
