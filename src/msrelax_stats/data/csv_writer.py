"""CSV text of a table, as pandas writes it, at a fraction of the cost.

``frame.to_csv(path, index=False, lineterminator="\\n")`` formats every cell of a float column
with numpy's float-to-text conversion and passes every row through :mod:`csv`: about 19 s
for the 1,000,000 x 34 table that ``score`` writes for a million PSQI answers. A scored
table has few distinct values per column (item answers, components, flags), so
:func:`write_csv` formats each distinct value of a block of rows once, with the same
conversion pandas uses, and joins the rows with :meth:`str.join`. The bytes are pandas'
bytes (tests/test_csv_writer.py compares the two on generated tables): floats as numpy's
shortest round-trip text (``6.0``, ``1e-07``, ``-0.0``, ``inf``), missing values empty,
booleans ``True``/``False``, text quoted only when it holds a comma, a double quote or a line
feed (quotes doubled), as :data:`csv.QUOTE_MINIMAL` does with ``lineterminator="\\n"``.

Columns of other kinds (dates, nullable integers, objects that are not text, a table of a
single column, where :mod:`csv` quotes an empty field) are written by pandas itself.

pyarrow's CSV writer was measured too (2.5 s on the same table, against about 3 s here),
but it writes other text: ``6`` for ``6.0``, ``1e-7``, ``true``, and every text quoted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from msrelax_stats.data.frames import without_attrs

__all__ = ["write_csv"]

#: Rows formatted and joined at a time (memory stays bounded for any table).
CHUNK_ROWS = 65_536


def _quote_triggers() -> tuple[str, ...]:
    """The characters that make :mod:`csv` (QUOTE_MINIMAL, ``lineterminator="\\n"``) quote a
    field, asked of the running Python's own writer (3.11 leaves ``\\r`` unquoted)."""
    found = []
    for char in (",", '"', "\n", "\r"):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(["a" + char, "b"])
        if buffer.getvalue().startswith('"'):
            found.append(char)
    return tuple(found)


_NEEDS_QUOTES = _quote_triggers()


def _quoted(texts) -> np.ndarray:
    """Each text as a CSV field (QUOTE_MINIMAL): quoted when it holds ``,`` ``"`` or ``\\n``."""
    return np.array(
        [
            '"' + text.replace('"', '""') + '"' if any(c in text for c in _NEEDS_QUOTES) else text
            for text in texts
        ]
        + [""],  # the last entry is the text of a missing cell (code -1)
        dtype=object,
    )


def _float_text(block: np.ndarray) -> np.ndarray:
    codes, distinct = pd.factorize(block)  # NaN: code -1
    text = np.append(distinct.astype(str).astype(object), "")[codes]
    zero = block == 0  # factorize puts -0.0 and 0.0 in one entry
    if zero.any():
        text[zero] = np.where(np.signbit(block[zero]), "-0.0", "0.0")
    return text


def _int_text(block: np.ndarray) -> np.ndarray:
    codes, distinct = pd.factorize(block)
    return distinct.astype(str).astype(object)[codes]


def _text_text(block: np.ndarray) -> np.ndarray:
    codes, distinct = pd.factorize(block)  # missing (None, NaN, NA): code -1
    return _quoted(distinct)[codes]


_BOOL = np.array(["False", "True", ""], dtype=object)


def _formatter(column: pd.Series) -> Callable[[int, int], np.ndarray] | None:
    """A function of (start, stop) giving the CSV fields of those rows, or ``None``."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories = np.asarray(dtype.categories, dtype=object)
        if categories.size and pd.api.types.infer_dtype(categories) != "string":
            return None
        text, codes = _quoted(categories), column.cat.codes.to_numpy()
        return lambda start, stop: text[codes[start:stop]]
    if isinstance(dtype, pd.BooleanDtype):
        data = column.array
        state = np.where(data.isna(), 2, data.to_numpy(dtype=bool, na_value=False))
        return lambda start, stop: _BOOL[state[start:stop]]
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        values = column.to_numpy()
        if dtype.kind == "b":
            return lambda start, stop: _BOOL[values[start:stop].astype(np.intp)]
        if dtype == np.float64:
            return lambda start, stop: _float_text(values[start:stop])
        if dtype.kind in "iu":
            return lambda start, stop: _int_text(values[start:stop])
        return None
    if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype):
        values = column.to_numpy(dtype=object)
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
            return None
        return lambda start, stop: _text_text(values[start:stop])
    return None


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as ``frame.to_csv(path, index=False, lineterminator="\\n")`` would.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table; columns of float64, integer, bool, nullable boolean, text or categorical
        text take the fast path, others make pandas write the whole table.
    path : str or Path
        Output file, written as UTF-8.

    Returns
    -------
    Path

    Notes
    -----
    Rows are written in blocks of :data:`CHUNK_ROWS`; within a block, each distinct value of
    a column is formatted once (``numpy.ndarray.astype(str)`` for numbers, as pandas does)
    and broadcast to its rows, so a million-row table takes seconds and memory proportional
    to one block.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> frame = pd.DataFrame({"id": ["P01", "a,b"], "fss_mean": [4.5, float("nan")]})
    >>> path = write_csv(frame, pathlib.Path(tempfile.mkdtemp()) / "scored.csv")
    >>> path.read_text() == frame.to_csv(index=False, lineterminator="\\n")
    True
    """
    path = Path(path)
    columns = without_attrs(frame)
    formatters = [_formatter(columns.iloc[:, i]) for i in range(columns.shape[1])]
    plain = frame.shape[1] > 1 and not isinstance(frame.columns, pd.MultiIndex)
    if not plain or any(f is None for f in formatters):
        frame.to_csv(path, index=False, lineterminator="\n")
        return path
    header = _quoted([str(name) for name in frame.columns])[:-1]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        for start in range(0, len(frame), CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, len(frame))
            fields = [f(start, stop).tolist() for f in formatters]
            handle.write("\n".join(map(",".join, zip(*fields, strict=True))) + "\n")
    return path
