"""The per-outcome columns of STATISTICS.md ("Per outcome"), in its order: the reference the
results table is checked against, and the columns of the hand-written results tables."""

STATISTICS_MD = (
    "outcome n better pre_mean pre_sd post_mean post_sd pre_median post_median diff_mean diff_sd "
    "diff_ci_low diff_ci_high t df p_t w_plus p_wilcoxon wilcoxon_method p_sign hl_shift "
    "hl_ci_low hl_ci_high shapiro_w shapiro_p d_z d_z_ci_low d_z_ci_high d_av g_av g_av_ci_low "
    "g_av_ci_high diff_bca_ci_low diff_bca_ci_high r_pre_post rank_biserial rank_biserial_ci_low rank_biserial_ci_high bf10 "
    "p_holm p_fdr ci_level seed"
).split()
