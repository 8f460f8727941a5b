"""Writing figures to files with identical bytes on every run."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, PlaceHolderLayoutEngine

from msrelax_stats.figures._common import style_context
from msrelax_stats.parallel import split_map

__all__ = [
    "save_figure",
    "save_figures",
    "render_figure",
    "settle_layout",
    "fix_layout",
    "build_mathtext_parser",
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


def build_mathtext_parser() -> None:
    """Build matplotlib's mathtext parser now (the effect-size labels, ``$d_z$``, use it).

    Matplotlib builds it once per process, on the first label with mathematics in it (about
    0.04 s, more than drawing a small figure). ``analyze`` builds it while it waits for the
    statistics, so that the process drawing the forest plot, and any process forked to share
    the figures, find it built. The figures are the same either way.
    """
    from matplotlib.mathtext import MathTextParser

    MathTextParser("agg").parse("$d_z$", dpi=72)


def settle_layout(figure: Figure, passes: int = 2) -> Figure:
    """Run the figure's layout engine a few times, then fix the layout for good.

    Constrained layout moves the axes by tiny amounts on each draw, so two saves of one
    figure would otherwise differ in bytes. After this call the figure has no layout engine
    (``figure.set_layout_engine("constrained")`` turns it back on); a figure already
    fixed, or without an engine, is left as it is.
    """
    engine = figure.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        return figure
    for _ in range(passes):
        figure.draw_without_rendering()
    return fix_layout(figure)


def fix_layout(figure: Figure) -> Figure:
    """Keep the axes where the last draw put them: remove the layout engine.

    ``savefig`` runs an active layout engine once before it renders; fixing the layout after
    that first render makes every later render (another format, the report) identical,
    without the extra layout passes of :func:`settle_layout`. The engine is removed, not
    replaced by matplotlib's placeholder (``set_layout_engine("none")``): with any engine,
    even the placeholder, ``savefig`` draws the whole figure once without rendering before
    it renders (about a fifth of the time of a figure), and without one it does not.
    """
    engine = figure.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        with rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            figure.set_layout_engine(None)  # None, as rc says no engine: no engine at all
    return figure


def _lay_out_for_png(figure: Figure, dpi: int) -> None:
    """Run the figure's constrained layout once, as a PNG at ``dpi`` measures its text, and
    fix it (:func:`fix_layout`).

    ``savefig`` would run it inside a first draw of the whole figure that renders nothing,
    then draw it again; running the layout alone skips that first pass over every artist
    (about 6 % of the time of a figure) and gives the same bytes.
    """
    engine = figure.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine):
        return
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)  # the canvas (and renderer) the PNG is then drawn with
    screen = figure.dpi
    figure.dpi = dpi
    try:
        engine.execute(figure)
    finally:
        figure.dpi = screen
    fix_layout(figure)


def render_figure(
    fig: Figure | Axes, formats: Sequence[str] = ("png",), dpi: int = 300
) -> dict[str, bytes]:
    """The bytes of ``fig`` in each format, each rendered once; same figure, same bytes.

    The layout engine (constrained layout) runs once, inside the first render (by itself
    when that is a PNG: :func:`_lay_out_for_png`), and is then fixed (:func:`fix_layout`), so
    the formats agree with each other and the same bytes can be written to a file and
    embedded in a report.

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
        if formats and formats[0] == "png":
            _lay_out_for_png(figure, dpi)
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


#: A figure to save: the Figure (or an Axes of it), or a function of no arguments that draws it.
FigureOrMaker = Figure | Axes | Callable[[], Figure | Axes]


def save_figures(
    jobs: Sequence[tuple[FigureOrMaker, str | Path]],
    formats: Sequence[str] = ("png",),
    dpi: int = 300,
    *,
    save: Callable[..., Any] = save_figure,
    workers: int = 1,
    meanwhile: Callable[[], Any] | None = None,
) -> list[Any]:
    """Save many figures (``[(figure or maker, path_stem), ...]``).

    A maker (a function that draws the figure) is called just before its figure is saved, so
    one figure at a time is in memory. With ``workers=2`` a forked process saves figures from
    the front of the list while this one calls ``meanwhile`` and then saves them from the
    back, until none is left (:func:`msrelax_stats.parallel.split_map`); each figure is drawn
    by one process, so the files are the bytes of the sequential save.

    Returns
    -------
    list
        What ``save`` returned for each job (with :func:`save_figure`: the files written), in
        the order of ``jobs``.
    """
    formats = tuple(formats)

    def one(job: tuple[FigureOrMaker, str | Path]) -> Any:
        figure, stem = job
        drawn = figure if isinstance(figure, Figure | Axes) else figure()
        return save(drawn, Path(stem), formats, dpi)

    return split_map(one, jobs, workers=workers, meanwhile=meanwhile)
