"""Statistics of a pre/post study: paired tests, effect sizes, caseness, power, designs.

Modules (import what you need; nothing is imported here so that the package stays light):

- :mod:`~msrelax_stats.stats.compare` - ``compare()``, the per-outcome table of STATISTICS.md;
- :mod:`~msrelax_stats.stats.paired` - paired t, descriptives, Shapiro-Wilk, Holm/BH;
- :mod:`~msrelax_stats.stats.wilcoxon` - signed-rank test, sign test, Hodges-Lehmann (R's rules);
- :mod:`~msrelax_stats.stats.effect_sizes` - d_z, d_av/g_av, rank-biserial, BF10;
- :mod:`~msrelax_stats.stats.bootstrap` - seeded vectorised BCa over pairs;
- :mod:`~msrelax_stats.stats.caseness` - McNemar tables and responders with Wilson CIs;
- :mod:`~msrelax_stats.stats.power` - sensitivity, sample size, simulated trials (t, Wilcoxon, d_z);
- ``arms``, ``visits``, ``diary`` - designs beyond one group;
- :mod:`~msrelax_stats.stats.missing` - ``analyze_missing()``: multiple imputation, mixed model,
  complete cases, BOCF under missing data; with :mod:`~msrelax_stats.stats.imputation` (seeded
  statsmodels MICE), :mod:`~msrelax_stats.stats.pooling` (Rubin's rules, Barnard-Rubin df) and
  :mod:`~msrelax_stats.stats.tipping` (delta-adjusted tipping point).
"""
