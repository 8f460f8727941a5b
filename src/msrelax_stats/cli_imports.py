"""The modules ``analyze`` imports on every run, imported with the garbage collector off and
frozen (:func:`frozen_imports`): the command line's start-up cost."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from msrelax_stats.interrupts import signals_held

__all__ = [
    "ANALYZE_MODULES",
    "DOCUMENT_MODULES",
    "REPORT_MODULES",
    "STATISTICS_MODULES",
    "frozen_imports",
    "import_modules",
]

# What ``analyze`` imports on every run before it reads (its other modules are imported
# lazily, on first use): no scipy, matplotlib or statsmodels (tests/test_imports.py), so that
# with two workers neither the process forked to compute the statistics nor the command, which
# writes the report, imports what only the other needs.
ANALYZE_MODULES = (
    "msrelax_stats.pipeline",
    "msrelax_stats.stats.analysis",
)

# What computing the statistics imports (scipy.stats, statsmodels' Holm adjustment and the
# computations of the paired analysis; the parts for the designs beyond one group on first
# use): with two workers the process ``analyze`` forks before reading imports them
# (``msrelax_stats.pipeline._import_statistics``) while the command reads and then imports the
# report's.
STATISTICS_MODULES = (
    "statsmodels.stats.multitest",
    "msrelax_stats.stats.paired_row",
    "msrelax_stats.stats.caseness",
)

# What drawing the figures imports (matplotlib, no scipy), and writing the documents
# (python-docx, openpyxl): ``analyze`` imports both after scoring
# (``msrelax_stats.pipeline._import_report``), with two workers while the statistics'
# process computes.
REPORT_MODULES = (
    "msrelax_stats.report.outputs",
    "matplotlib.backends.backend_agg",
    "PIL.PngImagePlugin",
)
DOCUMENT_MODULES = (
    "docx",  # report.docx (python-docx)
    "openpyxl",  # tables.xlsx
)


def import_modules(modules: Sequence[str]) -> None:
    """Import ``modules`` with the cyclic garbage collector off; frozen too when the command
    froze its own imports (:func:`frozen_imports`), so that later collections do not walk
    them."""
    frozen = gc.get_freeze_count() > 0
    enabled = gc.isenabled()
    gc.disable()
    try:
        _import(modules)
    finally:
        if frozen:
            gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def frozen_imports(modules: Sequence[str], *, keep_frozen: bool) -> Iterator[None]:
    """Import ``modules`` with the cyclic garbage collector off and freeze what exists, for
    the duration of the ``with`` block.

    The import of pandas, scipy.stats and matplotlib creates some million long-lived objects;
    every full collection afterwards (statsmodels' Holm adjustment asks for one) walks all of
    them. ``gc.freeze()`` moves them to the collector's permanent generation; the collector
    works as usual on everything the command creates. In a long-lived process
    (``main([...])`` from a notebook or the tests) ``gc.unfreeze()`` at the end hands the frozen objects back to it; when the process
    is the command (``keep_frozen``), they stay frozen, which also spares the interpreter's
    final collection from walking them. Measured on the sample study: about 0.5 s less wall
    time per run (benchmarks/README.md).
    """
    gc.disable()
    try:
        _import(modules)
    finally:
        gc.freeze()
        gc.enable()
    try:
        yield
    finally:
        if not keep_frozen:
            gc.unfreeze()


def _import(modules: Sequence[str]) -> None:
    with signals_held():  # an interrupt waits for the end of the imports
        for name in modules:
            importlib.import_module(name)
