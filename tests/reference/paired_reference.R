# Reference values for the paired pre/post statistics of msrelax_stats (issue 4).
#
# Run from the repository root (R 4.2.2, effectsize 0.8.3, BayesFactor 0.9.12-4.4 were used):
#     Rscript tests/reference/paired_reference.R
# Inputs (synthetic, made by make_paired_data.py): paired_data.csv, paired_study.csv.
# Outputs (committed, read by the tests so that R is never needed to run them):
#     paired_reference.csv     one row per dataset x confidence level, every column R can produce
#     compare_reference.csv    the compare() table of paired_study.csv (with p.adjust columns)
#     caseness_reference.csv   pre x post tables and exact McNemar (binom.test(b, b + c))
#     responders_reference.csv responders by MCID with the Wilson CI (prop.test(correct = FALSE))
#     power_reference.csv      power.t.test(type = "paired", strict = TRUE) and a simulation
# Numbers are written with 17 significant digits.
suppressPackageStartupMessages({
  library(effectsize)
  library(BayesFactor)
})
here <- "tests/reference"
fmt <- function(df) {
  for (k in names(df)) if (is.double(df[[k]])) df[[k]] <- sprintf("%.17g", df[[k]])
  df
}
write_ref <- function(df, name) {
  write.csv(fmt(df), file.path(here, name), row.names = FALSE, quote = TRUE)
}

# d_z CI by inverting the noncentral t with uniroot at a tight tolerance (MBESS-style):
# lower ncp solves pt(t, df, ncp) = 1 - alpha/2, upper solves pt(t, df, ncp) = alpha/2.
ncp_ci <- function(t, df, level) {
  alpha <- 1 - level
  f <- function(ncp, p) pt(t, df, ncp = ncp) - p
  lo <- uniroot(f, c(t - 40, t + 40), p = 1 - alpha / 2, tol = 1e-13)$root
  hi <- uniroot(f, c(t - 40, t + 40), p = alpha / 2, tol = 1e-13)$root
  c(lo, hi)
}

# scale > 1: the score is a mean of `scale` items; the rank-based statistics take the
# differences on that exact scale, (round(scale * post) - round(scale * pre)) / scale, as
# msrelax_stats.compare does (issue 14): R's own wilcox.test(post, pre, paired = TRUE) would
# rank binary rounding noise of the float means.
paired_row <- function(pre, post, level, scale = 1) {
  d <- post - pre
  n <- length(d)
  rd <- if (scale > 1) (round(scale * post) - round(scale * pre)) / scale else d
  tt <- t.test(post, pre, paired = TRUE, conf.level = level)
  wx <- wilcox.test(rd)                                             # R default: p, V, method
  wci <- suppressWarnings(wilcox.test(rd, conf.int = TRUE, conf.level = level))  # HL + CI
  nz <- rd[rd != 0]
  sg <- binom.test(sum(nz > 0), length(nz), 0.5)
  sw <- shapiro.test(d)
  dz <- cohens_d(post, pre, paired = TRUE, ci = level)              # d_z, ncp CI by optim
  ncp <- ncp_ci(unname(tt$statistic), n - 1, level)
  s_av <- sqrt((sd(pre)^2 + sd(post)^2) / 2)
  J <- exp(lgamma((n - 1) / 2) - log(sqrt((n - 1) / 2)) - lgamma((n - 2) / 2))
  rb <- rank_biserial(rd, ci = level)                               # zeros dropped, nd = non-zero diffs
  rb2 <- suppressWarnings(rank_biserial(pre + rd, pre, paired = TRUE, ci = level))
  bf <- ttestBF(x = post, y = pre, paired = TRUE, rscale = sqrt(2) / 2)
  data.frame(
    n = n, pre_mean = mean(pre), pre_sd = sd(pre), post_mean = mean(post), post_sd = sd(post),
    pre_median = median(pre), post_median = median(post),
    diff_mean = mean(d), diff_sd = sd(d),
    diff_ci_low = tt$conf.int[1], diff_ci_high = tt$conf.int[2],
    t = unname(tt$statistic), df = unname(tt$parameter), p_t = tt$p.value,
    w_plus = unname(wx$statistic), p_wilcoxon = wx$p.value, wilcoxon_method = wx$method,
    p_sign = sg$p.value,
    hl_shift = unname(wci$estimate), hl_ci_low = wci$conf.int[1], hl_ci_high = wci$conf.int[2],
    hl_conf_level = attr(wci$conf.int, "conf.level"),
    shapiro_w = unname(sw$statistic), shapiro_p = sw$p.value,
    d_z = dz$Cohens_d, d_z_ci_low = ncp[1] / sqrt(n), d_z_ci_high = ncp[2] / sqrt(n),
    d_z_ci_low_effectsize = dz$CI_low, d_z_ci_high_effectsize = dz$CI_high,
    d_av = mean(d) / s_av, g_av = J * mean(d) / s_av, hedges_j = J,
    r_pre_post = cor(pre, post),
    rank_biserial = rb$r_rank_biserial,
    rank_biserial_ci_low = rb$CI_low, rank_biserial_ci_high = rb$CI_high,
    rank_biserial_two_arg = rb2$r_rank_biserial,
    rank_biserial_two_arg_ci_low = rb2$CI_low, rank_biserial_two_arg_ci_high = rb2$CI_high,
    bf10 = exp(bf@bayesFactor$bf),
    ci_level = level
  )
}

# ---- low-level datasets ---------------------------------------------------------------
data <- read.csv(file.path(here, "paired_data.csv"), colClasses = c(id = "character"))
rows <- list()
for (name in unique(data$dataset)) {
  g <- data[data$dataset == name, ]
  pre <- g$pre_raw / g$divisor
  post <- g$post_raw / g$divisor
  for (level in c(0.95, 0.90)) {
    rows[[length(rows) + 1]] <- cbind(dataset = name, paired_row(pre, post, level))
  }
}
write_ref(do.call(rbind, rows), "paired_reference.csv")

# ---- compare() on the long study table -----------------------------------------------
study <- read.csv(file.path(here, "paired_study.csv"), colClasses = c(id = "character"))
study$fss_mean <- study$fss_sum / 9
pre <- study[study$time == "pre", ]
post <- study[study$time == "post", ]
both <- merge(pre, post, by = "id", suffixes = c("_pre", "_post"))      # pairs by id
out <- list()
for (outcome in c("fss_mean", "psqi_global")) {
  x <- both[[paste0(outcome, "_pre")]]
  y <- both[[paste0(outcome, "_post")]]
  ok <- complete.cases(x, y)
  scale <- if (outcome == "fss_mean") 9 else 1                        # FSS mean: 9 items
  out[[outcome]] <- cbind(outcome = outcome, paired_row(x[ok], y[ok], 0.95, scale))
}
cmp <- do.call(rbind, out)
cmp$p_holm <- p.adjust(cmp$p_t, method = "holm")
cmp$p_fdr <- p.adjust(cmp$p_t, method = "BH")
write_ref(cmp, "compare_reference.csv")

# ---- caseness: psqi_poor = global > 5, fss_fatigued = mean >= 4 -----------------------
case_rows <- list()
flags <- list(psqi_poor = function(s) s$psqi_global > 5, fss_fatigued = function(s) s$fss_mean >= 4)
for (flag in names(flags)) {
  a <- flags[[flag]](both[, c("psqi_global_pre", "fss_mean_pre")] |>
    setNames(c("psqi_global", "fss_mean")))
  b <- flags[[flag]](both[, c("psqi_global_post", "fss_mean_post")] |>
    setNames(c("psqi_global", "fss_mean")))
  ok <- !is.na(a) & !is.na(b)
  a <- a[ok]; b <- b[ok]
  yes_no <- sum(a & !b); no_yes <- sum(!a & b)
  case_rows[[flag]] <- data.frame(
    outcome = flag, n = length(a), pre_yes = sum(a), post_yes = sum(b),
    pre_yes_post_no = yes_no, pre_no_post_yes = no_yes,
    p_mcnemar = binom.test(yes_no, yes_no + no_yes)$p.value
  )
}
write_ref(do.call(rbind, case_rows), "caseness_reference.csv")

# ---- responders: improvement of at least the MCID (lower is better) --------------------
resp_rows <- list()
mcid <- c(fss_mean = 0.45, psqi_global = 3)
for (outcome in names(mcid)) {
  x <- both[[paste0(outcome, "_pre")]]
  y <- both[[paste0(outcome, "_post")]]
  ok <- complete.cases(x, y)
  k <- sum((y[ok] - x[ok]) <= -mcid[[outcome]])
  nn <- sum(ok)
  w <- prop.test(k, nn, correct = FALSE)$conf.int
  resp_rows[[outcome]] <- data.frame(outcome = outcome, n = nn, mcid = mcid[[outcome]],
                                     responders = k, proportion = k / nn,
                                     ci_low = w[1], ci_high = w[2])
}
write_ref(do.call(rbind, resp_rows), "responders_reference.csv")

# ---- power ------------------------------------------------------------------------------
pw <- list()
for (n in c(5, 10, 32, 67)) {
  r <- power.t.test(n = n, sd = 1, sig.level = 0.05, power = 0.8, type = "paired",
                    strict = TRUE, tol = 1e-12)
  pw[[length(pw) + 1]] <- data.frame(quantity = "detectable_d_z", n = n, d_z = r$delta,
                                     power = 0.8, alpha = 0.05)
}
for (d in c(0.3, 0.5, 0.8)) {
  r <- power.t.test(delta = d, sd = 1, sig.level = 0.05, power = 0.8, type = "paired",
                    strict = TRUE, tol = 1e-12)
  pw[[length(pw) + 1]] <- data.frame(quantity = "n_for_d_z", n = r$n, d_z = d,
                                     power = 0.8, alpha = 0.05)
}
r <- power.t.test(n = 20, sd = 1, sig.level = 0.01, power = 0.9, type = "paired",
                  strict = TRUE, tol = 1e-12)
pw[[length(pw) + 1]] <- data.frame(quantity = "detectable_d_z", n = 20, d_z = r$delta,
                                   power = 0.9, alpha = 0.01)
# Wilcoxon power by simulation (R's default test: exact for n < 50 without ties), 20000 trials
set.seed(1)
sim <- function(d, n, nsim = 20000) {
  mean(replicate(nsim, wilcox.test(rnorm(n, d, 1))$p.value < 0.05))
}
for (cfg in list(c(0.5, 32), c(0.8, 12))) {
  pw[[length(pw) + 1]] <- data.frame(quantity = "wilcoxon_power_sim", n = cfg[2], d_z = cfg[1],
                                     power = sim(cfg[1], cfg[2]), alpha = 0.05)
}
write_ref(do.call(rbind, pw), "power_reference.csv")
cat("done\n")
