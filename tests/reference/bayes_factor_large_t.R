# Reference values for msrelax_stats.stats.effect_sizes.log_bf10_paired / bayes_factor_paired
# at large n and large t (issue 13: the Bayes factor computed in logs).
#
# Run from the repository root (R 4.2.2, BayesFactor 0.9.12-4.4 were used):
#     Rscript tests/reference/bayes_factor_large_t.R
# Output (committed, read by tests/test_effect_sizes.py; the tests never need R):
#     bayes_factor_large_t.csv  n, t, log_bf10 (ttest.tstat(t, n, rscale = "medium")$bf, the
#                               natural log), properror (R's own relative error estimate),
#                               bf10 (exp of it: Inf beyond the double range, as
#                               ttestBF(...) / extractBF() gives)
# BayesFactor prints "t is large; approximation invoked." for |t| > 15; for the two-sided test
# it then still integrates the noncentral-t likelihood over delta, whose accuracy drops at
# large noncentrality (see properror and the mpmath column of bayes_factor_large_t.py).
suppressPackageStartupMessages(library(BayesFactor))
grid <- expand.grid(
  t = c(0, 0.5, 2, 5, 10, 15, 20, 38, 40, -40, 100, 1000, 10000),
  n = c(2, 5, 30, 200, 1000, 20000, 200000)
)
rows <- lapply(seq_len(nrow(grid)), function(i) {
  t <- grid$t[i]
  n <- grid$n[i]
  res <- suppressMessages(ttest.tstat(t, n, rscale = "medium"))
  data.frame(n = sprintf("%d", n), t = sprintf("%.17g", t), log_bf10 = sprintf("%.17g", res$bf),
             properror = sprintf("%.3g", res$properror),
             bf10 = sprintf("%.17g", exp(res$bf)))
})
out <- do.call(rbind, rows)
write.csv(out, "tests/reference/bayes_factor_large_t.csv", row.names = FALSE, quote = FALSE)
