"""Reading study data: files and DataFrames in, the canonical long table out.

:func:`read_table` (in :mod:`msrelax_stats.data.read`) handles formats and encodings;
:mod:`~msrelax_stats.data.columns` names columns, :mod:`~msrelax_stats.data.layout` handles
long/wide layouts and checks ids and visits, :mod:`~msrelax_stats.data.values` parses cells;
:mod:`~msrelax_stats.data.diary` reads practice diaries.
"""

from msrelax_stats.data.read import read_table

__all__ = ["read_table"]
