# Reference values for msrelax_stats.stats.reliability (issue 19).
#
# Run from the repository root (R 4.2.2, psych 2.2.9, GPArotation were used):
#     Rscript tests/reference/reliability_reference.R
# Inputs: data/sample/pmr_study.csv (synthetic sample study); reliability_psqi_components.csv
# (the PSQI components C1-C7 of that sample, written by msrelax_stats.score: PSQI's scale is
# its seven components, whose scoring is tested against the worked examples elsewhere); and
# R's built-in `attitude` data set (written to reliability_attitude.csv so that the tests
# need no R).
# Output (committed, read by tests/test_reliability.py):
#     reliability_reference.csv  one row per data set x scale x visit
# Every scale is analysed on its complete cases (participants with every item answered at
# that visit: na.omit), which is what msrelax_stats does.
#   raw_alpha         psych::alpha(x)$total$raw_alpha
#   feldt95_*, feldt90_*  psych::alpha.ci(alpha, n.obs, n.var, p.val) (Feldt 1987, F distribution)
#   omega_tot         psych::omega(x, nfactors = 1)$omega.tot (one minres factor; psych's
#                     omega total: (sum(R) - sum(u2)) / sum(R), R the item correlations)
#   omega_tot_tight   the same formula with the minres loadings polished by BFGS at
#                     reltol = 1e-16 (psych's L-BFGS-B stops near 1e-7 in the loadings);
#                     items with a negative loading reversed first, as psych's flip = TRUE
#   minres_loading_*  the tight minres loadings (the largest and the smallest)
#   floor_pct, ceiling_pct  100 * share of the complete cases whose score (sum or mean of
#                     the items, reverse-keyed items recoded) is the minimum / maximum possible
# Numbers are written with 17 significant digits.
suppressPackageStartupMessages({
  library(psych)
  library(GPArotation)
})
here <- "tests/reference"
fmt <- function(df) {
  for (k in names(df)) if (is.double(df[[k]])) df[[k]] <- sprintf("%.17g", df[[k]])
  df
}

tight_minres <- function(x) {
  R <- cor(x)
  start <- fa(x, 1, fm = "minres")$loadings[, 1]
  obj <- function(l) {
    M <- R - tcrossprod(l)
    sum(M[lower.tri(M)]^2)
  }
  o <- optim(start, obj, method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))
  o <- optim(o$par, obj, method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))
  l <- o$par
  if (sum(l) < 0) l <- -l
  # as psych::omega(flip = TRUE): items with a negative loading are reversed (key = sign)
  key <- ifelse(l < 0, -1, 1)
  Rk <- diag(key) %*% R %*% diag(key)
  list(loadings = l, omega = (sum(Rk) - sum(1 - l^2)) / sum(Rk))
}

one_scale <- function(dataset, scale, visit, x, score_min = NA, score_max = NA,
                      method = "sum") {
  x <- na.omit(as.data.frame(x))
  n <- nrow(x)
  k <- ncol(x)
  a <- psych::alpha(x, warnings = FALSE)$total$raw_alpha
  c95 <- psych::alpha.ci(a, n.obs = n, n.var = k, p.val = 0.05)
  c90 <- psych::alpha.ci(a, n.obs = n, n.var = k, p.val = 0.10)
  om <- NA
  tight <- list(loadings = c(NA, NA), omega = NA)
  if (k >= 3) {
    om <- suppressMessages(suppressWarnings(
      psych::omega(x, nfactors = 1, plot = FALSE)))$omega.tot
    tight <- tight_minres(x)
  }
  score <- if (method == "mean") rowMeans(x) else rowSums(x)
  data.frame(
    dataset = dataset, scale = scale, visit = visit, n_items = k, n_complete = n,
    raw_alpha = a,
    feldt95_low = c95$lower.ci, feldt95_high = c95$upper.ci,
    feldt90_low = c90$lower.ci, feldt90_high = c90$upper.ci,
    omega_tot = om, omega_tot_tight = tight$omega,
    minres_loading_max = max(tight$loadings), minres_loading_min = min(tight$loadings),
    floor_pct = if (is.na(score_min)) NA else 100 * mean(abs(score - score_min) < 1e-9),
    ceiling_pct = if (is.na(score_max)) NA else 100 * mean(abs(score - score_max) < 1e-9),
    stringsAsFactors = FALSE
  )
}

d <- read.csv("data/sample/pmr_study.csv", stringsAsFactors = FALSE)
items <- function(prefix, numbers) paste0(prefix, "_", numbers)
scales <- list(
  list("fss_mean", items("fss", 1:9), 1, 7, "mean"),
  list("mfis_total", items("mfis", 1:21), 0, 84, "sum"),
  list("mfis_physical", items("mfis", c(4, 6, 7, 10, 13, 14, 17, 20, 21)), 0, 36, "sum"),
  list("mfis_cognitive", items("mfis", c(1, 2, 3, 5, 11, 12, 15, 16, 18, 19)), 0, 40, "sum"),
  list("mfis_psychosocial", items("mfis", c(8, 9)), 0, 8, "sum"),
  list("ess_total", items("ess", 1:8), 0, 24, "sum"),
  list("isi_total", items("isi", 1:7), 0, 28, "sum")
)
rows <- list()
for (visit in c("pre", "post")) {
  at <- d[d$time == visit, ]
  for (s in scales) {
    rows[[length(rows) + 1]] <- one_scale("pmr_study", s[[1]], visit, at[, s[[2]]],
                                          s[[3]], s[[4]], s[[5]])
  }
}
pc <- read.csv(file.path(here, "reliability_psqi_components.csv"), stringsAsFactors = FALSE)
for (visit in c("pre", "post")) {
  rows[[length(rows) + 1]] <- one_scale("pmr_study", "psqi_global", visit,
                                        pc[pc$time == visit, paste0("psqi_c", 1:7)], 0, 21)
}
# a published data set: R's `attitude` (Chatterjee and Price 1977), 30 departments x 7 ratings
write.csv(attitude, file.path(here, "reliability_attitude.csv"), row.names = FALSE)
rows[[length(rows) + 1]] <- one_scale("attitude", "attitude", "", attitude)
out <- do.call(rbind, rows)
write.csv(fmt(out), file.path(here, "reliability_reference.csv"), row.names = FALSE, quote = TRUE)
print(out[, c("dataset", "scale", "visit", "n_complete", "raw_alpha", "omega_tot",
              "omega_tot_tight", "floor_pct", "ceiling_pct")])

# fewer participants (6) than items (9): a singular correlation matrix whose inverse has a zero
# on its diagonal; tests/test_reliability.py::test_singular_correlation_matrix holds the value
# printed here (0.8418062)
few <- matrix(c(1, 3, 4, 5, 4, 2, 2, 5, 6, 5, 2, 6, 6, 7, 6, 2, 3, 5, 3, 1, 3, 1, 7, 5, 5, 2, 4,
                1, 5, 5, 4, 7, 7, 2, 5, 5, 6, 6, 5, 1, 5, 2, 6, 7, 4, 3, 7, 4, 3, 2, 2, 5, 6, 3),
              ncol = 9, byrow = TRUE)
cat(sprintf("6 x 9 omega.tot = %.7f\n",
            suppressWarnings(psych::omega(few, nfactors = 1, plot = FALSE))$omega.tot))
