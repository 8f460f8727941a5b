# Reference of the exact-scale Wilcoxon (issue 14): the sample's FSS mean pairs
# (tests/reference/exact_scale_fss_pairs.csv, written from data/sample/pmr_study.csv).
# R 4.2.2: Rscript tests/reference/exact_scale_reference.R > tests/reference/exact_scale_reference.csv
d <- read.csv("tests/reference/exact_scale_fss_pairs.csv")
raw <- wilcox.test(d$post, d$pre, paired = TRUE, exact = FALSE, correct = TRUE)
exact <- wilcox.test((round(9 * d$post) - round(9 * d$pre)) / 9, exact = FALSE, correct = TRUE)
sign <- binom.test(sum(round(9 * d$post) > round(9 * d$pre)),
                   sum(round(9 * d$post) != round(9 * d$pre)))
cat("what,V,p\n")
cat(sprintf("raw,%.10g,%.10g\n", raw$statistic, raw$p.value))
cat(sprintf("exact,%.10g,%.10g\n", exact$statistic, exact$p.value))
cat(sprintf("sign_exact,NA,%.10g\n", sign$p.value))
