"""The modules ``analyze`` imports on every run, imported with the garbage collector off and
frozen (:func:`frozen_imports`): the command line's start-up cost."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

__all__ = ["ANALYZE_MODULES", "frozen_imports"]

# What ``analyze`` imports on every run (its other modules are imported lazily, on first use).
ANALYZE_MODULES = (
    "msrelax_stats.pipeline",
    "msrelax_stats.stats.analysis",
    "msrelax_stats.report",
    "statsmodels.stats.multitest",
    "matplotlib.backends.backend_agg",
    "PIL.PngImagePlugin",
    "docx",  # report.docx (python-docx)
    "openpyxl",  # tables.xlsx
)


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
        for name in modules:
            importlib.import_module(name)
    finally:
        gc.freeze()
        gc.enable()
    try:
        yield
    finally:
        if not keep_frozen:
            gc.unfreeze()
