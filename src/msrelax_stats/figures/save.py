"""Writing figures to files with identical bytes on every run."""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Sequence
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from msrelax_stats.figures._common import style_context

__all__ = [
    "save_figure",
    "save_figures",
    "start_saving",
    "default_workers",
    "FigureBatch",
    "render_figure",
    "settle_layout",
    "fix_layout",
    "FIGURE_FORMATS",
]

#: Metadata per format that removes timestamps and version strings from the file.
FIGURE_FORMATS: dict[str, dict[str, str | None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": "msrelax_stats"},
    "pdf": {
        "CreationDate": None,
        "ModDate": None,
        "Creator": "msrelax_stats",
        "Producer": "msrelax_stats",
    },  # fmt: skip
}


def settle_layout(figure: Figure, passes: int = 2) -> Figure:
    """Run the figure's layout engine a few times, then fix the layout for good.

    Constrained layout moves the axes by tiny amounts on each draw, so two saves of one
    figure would otherwise differ in bytes. After this call the figure has no active layout
    engine (``figure.set_layout_engine("constrained")`` turns it back on); a figure already
    fixed, or without an engine, is left as it is.
    """
    engine = figure.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        return figure
    for _ in range(passes):
        figure.draw_without_rendering()
    figure.set_layout_engine("none")
    return figure


def fix_layout(figure: Figure) -> Figure:
    """Keep the axes where the last draw put them: turn the layout engine off.

    ``savefig`` runs an active layout engine once before it renders; fixing the layout after
    that first render makes every later render (another format, the report) identical,
    without the extra layout passes of :func:`settle_layout`.
    """
    engine = figure.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        figure.set_layout_engine("none")
    return figure


def render_figure(
    fig: Figure | Axes, formats: Sequence[str] = ("png",), dpi: int = 300
) -> dict[str, bytes]:
    """The bytes of ``fig`` in each format, each rendered once; same figure, same bytes.

    The layout engine (constrained layout) runs once, inside the first render, and is then
    fixed (:func:`fix_layout`), so the formats agree with each other and the same bytes can
    be written to a file and embedded in a report.

    Examples
    --------
    >>> data = render_figure(ax, formats=("png",), dpi=300)  # doctest: +SKIP
    >>> data["png"][:4]  # doctest: +SKIP
    b'\\x89PNG'
    """
    figure = fig.figure if isinstance(fig, Axes) else fig
    unknown = [f for f in formats if f not in FIGURE_FORMATS]
    if unknown:
        raise ValueError(f"unknown figure format(s) {unknown}; use {sorted(FIGURE_FORMATS)}")
    rendered = {}
    with style_context({}):
        for fmt in formats:
            buffer = io.BytesIO()
            # PNG: zlib level 1 (lossless; ~12 % larger files, encoding several times faster)
            extra = {"pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}
            figure.savefig(buffer, format=fmt, dpi=dpi, metadata=FIGURE_FORMATS[fmt], **extra)
            fix_layout(figure)
            rendered[fmt] = buffer.getvalue()
    return rendered


def save_figure(
    fig: Figure | Axes,
    path_stem: str | Path,
    formats: Sequence[str] = ("png",),
    dpi: int = 300,
) -> list[Path]:
    """Write ``fig`` as ``<path_stem>.<format>`` for each format; same figure, same bytes.

    Parameters
    ----------
    fig : Figure or Axes
        What to save (an Axes saves its whole Figure).
    path_stem : str or Path
        File name without extension; parent folders are created.
    formats : sequence of {"png", "svg", "pdf"}
        PNG for screens and most journals, SVG/PDF (vector) on request.
    dpi : int
        Resolution of the PNG (300 dpi is the usual journal minimum for line art with text).

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Notes
    -----
    Determinism: the creation date and software version are left out of the metadata
    (``FIGURE_FORMATS``), SVG element ids use a fixed ``svg.hashsalt``, the layout runs once in
    the first render and is then fixed (:func:`render_figure`), and fonts are the DejaVu fonts
    shipped with matplotlib.

    Examples
    --------
    >>> save_figure(ax, "out/figures/fss_slopes", formats=("png", "svg"))  # doctest: +SKIP
    """
    stem = Path(path_stem)
    rendered = render_figure(fig, formats, dpi)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, data in rendered.items():
        path = stem.with_name(f"{stem.name}.{fmt}")
        path.write_bytes(data)
        written.append(path)
    return written


#: A figure to save: the Figure (or an Axes of it), or a function of no arguments that draws it
#: (called in the worker process that saves it, so drawing is spread over the cores too).
FigureOrMaker = Figure | Axes | Callable[[], Figure | Axes]

#: One figure to save: the save function, the figure or its maker, path stem, formats, dpi.
_Job = tuple[Callable[..., Any], FigureOrMaker, Path, tuple[str, ...], int]

# The jobs of the pool being forked: set just before the fork, read by the children.
_JOBS: list[_Job] = []


def _run_job(save: Callable[..., Any], fig: FigureOrMaker, stem: Path, formats: tuple[str, ...],
             dpi: int) -> Any:  # fmt: skip
    figure = fig if isinstance(fig, Figure | Axes) else fig()
    return save(figure, stem, formats, dpi)


def _save_job(index: int) -> Any:
    return _run_job(*_JOBS[index])


class FigureBatch:
    """Figures being saved, by forked worker processes or (without them) on :meth:`result`.

    Made by :func:`start_saving`; more figures can be added with :meth:`add` while the first
    ones are being saved. Use it as a context manager, so that workers still running when
    the block is left by an exception are stopped.
    """

    def __init__(self, jobs: list[_Job], workers: int) -> None:
        global _JOBS
        self._jobs: list[_Job] = list(jobs)
        self._pending: list[AsyncResult] = []  # one per job with workers; none without
        self._results: list[Any] | None = None
        self._pool = None
        if workers >= 2:
            _JOBS = jobs
            try:  # the children inherit these jobs at the fork: nothing of them is pickled
                self._pool = mp.get_context("fork").Pool(workers)
            finally:
                _JOBS = []
            self._pending = [self._pool.apply_async(_save_job, (i,)) for i in range(len(jobs))]

    def add(self, jobs: Sequence[tuple[FigureOrMaker, str | Path]], formats: Sequence[str] = ("png",),
            dpi: int = 300, *, save: Callable[..., Any] = save_figure) -> None:  # fmt: skip
        """Save more figures with the same workers (already warm: fonts loaded, caches
        filled). These jobs travel to the workers by pickle: a maker must then be a picklable
        function, such as a ``functools.partial`` of a module-level plotting function."""
        if self._results is not None:
            raise RuntimeError("add() after result(): start a new batch")
        prepared = [(save, fig, Path(stem), tuple(formats), dpi) for fig, stem in jobs]
        if self._pool is not None:
            self._pending += [self._pool.apply_async(_run_job, job) for job in prepared]
        self._jobs += prepared

    def result(self) -> list[Any]:
        """What ``save`` returned for each job, in the order of the jobs (waits for them)."""
        if self._results is None:
            try:
                if self._pool is None:
                    self._results = [_run_job(*job) for job in self._jobs]
                else:
                    self._results = [pending.get() for pending in self._pending]
            finally:
                self.close()
        return self._results

    def close(self) -> None:
        """Stop the workers (they are done after :meth:`result`)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> FigureBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Fewer figures than this are saved in this process unless ``workers`` is given.
MIN_FIGURES_FOR_WORKERS = 4


def default_workers() -> int:
    """Worker processes for saving figures: one per core, at most four."""
    return min(os.cpu_count() or 1, 4)


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


def start_saving(
    jobs: Sequence[tuple[FigureOrMaker, str | Path]],
    formats: Sequence[str] = ("png",),
    dpi: int = 300,
    *,
    save: Callable[..., Any] = save_figure,
    workers: int | None = None,
) -> FigureBatch:
    """Start saving many figures (``[(figure or maker, path_stem), ...]``) on every core.

    Rendering a figure is pure CPU work in matplotlib; with several figures and cores the
    figures are split over forked worker processes (POSIX ``fork``: the children inherit the
    figures and the data of the makers, nothing is pickled but what ``save`` returns), and
    this process can go on with other work until :meth:`FigureBatch.result`. Each figure is
    drawn (a maker is called) and saved by ``save`` exactly as it would be in this process,
    so the files are the same bytes either way. Workers are forked on Linux only: on macOS a
    forked child of a process that has used the system's frameworks (numpy's Accelerate BLAS,
    for one) can crash, which is why Python stopped forking there by default; starting fresh
    interpreters instead would cost more than drawing the figures. Elsewhere, with one core,
    or with fewer than ``MIN_FIGURES_FOR_WORKERS`` figures and ``workers=None`` (pass
    ``workers=default_workers()`` when more figures will be added), the figures are saved
    here, one after the other, on :meth:`FigureBatch.result`.
    """
    if workers is None:  # few figures: forking workers would cost more than it saves
        workers = default_workers() if len(jobs) >= MIN_FIGURES_FOR_WORKERS else 1
    if not _can_fork():
        workers = 1
    prepared = [(save, fig, Path(stem), tuple(formats), dpi) for fig, stem in jobs]
    return FigureBatch(prepared, workers)


def save_figures(
    jobs: Sequence[tuple[FigureOrMaker, str | Path]],
    formats: Sequence[str] = ("png",),
    dpi: int = 300,
    *,
    save: Callable[..., Any] = save_figure,
    workers: int | None = None,
) -> list[Any]:
    """Save many figures (``[(figure or maker, path_stem), ...]``), on every core the machine
    has (:func:`start_saving`), and wait for them.

    Returns
    -------
    list
        What ``save`` returned for each job (with :func:`save_figure`: the files written), in
        the order of ``jobs``.
    """
    with start_saving(jobs, formats, dpi, save=save, workers=workers) as batch:
        return batch.result()
