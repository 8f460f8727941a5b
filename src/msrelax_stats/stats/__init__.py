"""Statistics of a pre/post study: paired tests, effect sizes, caseness, power, designs.

``analyse`` (every analysis a scored study calls for, :mod:`.analysis`), ``AnalysisOptions``,
``StudyAnalysis`` and ``paired_by_arm`` are imported on first use. Modules (nothing is
imported here so that the package stays light):

- :mod:`~msrelax_stats.stats.analysis` - ``analyse()``: the study's analyses in one result;
- :mod:`~msrelax_stats.stats.compare` - ``compare()``, the per-outcome table of STATISTICS.md;
- :mod:`~msrelax_stats.stats.paired` - paired t, descriptives, Shapiro-Wilk, Holm/BH;
- :mod:`~msrelax_stats.stats.wilcoxon` - signed-rank test, sign test, Hodges-Lehmann (R's rules);
- :mod:`~msrelax_stats.stats.effect_sizes` - d_z, d_av/g_av, rank-biserial, BF10;
- :mod:`~msrelax_stats.stats.bootstrap` - seeded vectorised BCa over pairs;
- :mod:`~msrelax_stats.stats.caseness` - McNemar tables and responders with Wilson CIs;
- :mod:`~msrelax_stats.stats.power` - sensitivity, sample size, simulated trials (t, Wilcoxon, d_z);
- ``arms``, ``visits``, ``diary`` - designs beyond one group;
- :mod:`~msrelax_stats.stats.ancova` - the between-arm ANCOVA of a trial at every visit;
- :mod:`~msrelax_stats.stats.plan`, :mod:`~msrelax_stats.stats.multiplicity` - the analysis
  plan and p-values adjusted by its families (docs/trial-analysis.md).
- :mod:`~msrelax_stats.stats.missing` - ``analyze_missing()``: multiple imputation, mixed model,
  complete cases, BOCF under missing data; with :mod:`~msrelax_stats.stats.imputation` (seeded
  statsmodels MICE), :mod:`~msrelax_stats.stats.pooling` (Rubin's rules, Barnard-Rubin df) and
  :mod:`~msrelax_stats.stats.tipping` (delta-adjusted tipping point).
"""

from typing import Any

_API = {
    "analyse": "msrelax_stats.stats.analysis",
    "StudyAnalysis": "msrelax_stats.stats.analysis",
    "AnalysisOptions": "msrelax_stats.stats.options",
    "paired_by_arm": "msrelax_stats.stats.design",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    """``analyse``, ``StudyAnalysis``, ``AnalysisOptions`` and ``paired_by_arm``, imported on
    first use."""
    if name not in _API:
        raise AttributeError(f"module 'msrelax_stats.stats' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_API[name]), name)
