"""Figures of a pre/post study: one function per figure.

Every function takes ``ax=None`` (or builds its own one-column, pyplot-free Figure), returns
the Axes or Figure it drew, and never changes global matplotlib state. Colours are the
Okabe-Ito colour-blind-safe palette; axis labels name the instrument and its unit.
"""

from msrelax_stats.figures._common import COLUMN_WIDTH_IN, OKABE_ITO
from msrelax_stats.figures.designs import (
    adjusted_means_plot,
    arm_slope_plot,
    dose_response_plot,
    trajectory_plot,
)
from msrelax_stats.figures.paired import change_distribution, estimation_plot, slope_plot
from msrelax_stats.figures.save import save_figure
from msrelax_stats.figures.summary import caseness_plot, forest_plot, psqi_profile

__all__ = [
    "COLUMN_WIDTH_IN",
    "OKABE_ITO",
    "adjusted_means_plot",
    "arm_slope_plot",
    "caseness_plot",
    "change_distribution",
    "dose_response_plot",
    "estimation_plot",
    "forest_plot",
    "psqi_profile",
    "save_figure",
    "slope_plot",
    "trajectory_plot",
]
