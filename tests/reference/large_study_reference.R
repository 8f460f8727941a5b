# Reference values for the 20,000-participant study of tests/test_large_numbers.py (issue 13:
# results finite where R's are, BF10 inf beyond the double range, never an error).
#
# Run from the repository root (R 4.2.2, effectsize 0.8.3, BayesFactor 0.9.12-4.4 were used):
#     Rscript tests/reference/large_study_reference.R
# The study is made here by the same integer formula as large_study() in the test (no file):
#   participant i = 0..19999, FSS item k = 1..9:
#   pre  = 3 + (7 i + 3 k) mod 5
#   post = min(7, max(1, pre - 2 + (5 i + k (i mod 7)) mod 3))
#   fss_mean = mean of the nine items at each visit.
# Output: large_study_reference.csv (statistic, value; 17 significant digits; NA where R
# gives no value). The tests read the CSV; they never need R.
suppressPackageStartupMessages({
  library(effectsize)
  library(BayesFactor)
})
n <- 20000
i <- 0:(n - 1)
pre_items <- sapply(1:9, function(k) 3 + (7 * i + 3 * k) %% 5)
post_items <- sapply(1:9, function(k) {
  pmin(7, pmax(1, pre_items[, k] - 2 + (5 * i + k * (i %% 7)) %% 3))
})
pre <- rowMeans(pre_items)
post <- rowMeans(post_items)
d <- post - pre
tt <- t.test(post, pre, paired = TRUE)
wx <- suppressWarnings(wilcox.test(post, pre, paired = TRUE, conf.int = TRUE))
sg <- binom.test(sum(d > 0), sum(d != 0))
dz <- cohens_d(post, pre, paired = TRUE)
rb <- rank_biserial(d)
bf <- ttestBF(x = post, y = pre, paired = TRUE, rscale = "medium")
log_bf <- bf@bayesFactor$bf
sw <- tryCatch(shapiro.test(d)$p.value, error = function(e) NA)  # R: n must be 3..5000
values <- c(
  n = n, pre_mean = mean(pre), pre_sd = sd(pre), post_mean = mean(post), post_sd = sd(post),
  diff_mean = mean(d), diff_sd = sd(d), diff_ci_low = tt$conf.int[1],
  diff_ci_high = tt$conf.int[2], t = unname(tt$statistic), df = unname(tt$parameter),
  p_t = tt$p.value, w_plus = unname(wx$statistic), p_wilcoxon = wx$p.value,
  hl_shift = unname(wx$estimate), hl_ci_low = wx$conf.int[1], hl_ci_high = wx$conf.int[2],
  p_sign = sg$p.value, d_z = dz$Cohens_d, d_z_ci_low = dz$CI_low, d_z_ci_high = dz$CI_high,
  rank_biserial = rb$r_rank_biserial, rank_biserial_ci_low = rb$CI_low,
  rank_biserial_ci_high = rb$CI_high, r_pre_post = cor(pre, post), shapiro_p = sw,
  log_bf10 = log_bf, bf10 = exp(log_bf)
)
out <- data.frame(statistic = names(values), value = sprintf("%.17g", values))
write.csv(out, "tests/reference/large_study_reference.csv", row.names = FALSE, quote = FALSE)

# Power at the extremes (second output, power_extremes.csv: delta, n, from R's
# power.t.test(type = "paired", strict = TRUE)): tiny effects need more than the 1e7 pairs of
# the default uniroot interval (extendInt = "upX" goes beyond), very large ones need fewer
# than 2 pairs (R's root below 2).
power_rows <- lapply(c(1e-6, 1e-4, 1e-3, 50), function(delta) {
  res <- power.t.test(delta = delta, sd = 1, power = 0.8, type = "paired", strict = TRUE)
  data.frame(delta = sprintf("%.17g", delta), n = sprintf("%.17g", res$n))
})
write.csv(do.call(rbind, power_rows), "tests/reference/power_extremes.csv", row.names = FALSE,
          quote = FALSE)
