"""Reading a data file's cells by format, encoding and delimiter (the one file reader).

:func:`load_cells` is shared by :func:`msrelax_stats.data.read.read_table` and the practice
diary. It returns the cells under the header row, untouched (text stays text).

Formats, by file extension
--------------------------
``.csv``, ``.tsv``, ``.txt``
    Delimited text. The delimiter is sniffed among ``,`` ``;`` and tab: the first 50
    non-blank lines are split (respecting quotes) with each candidate, and the candidate
    giving the same number (> 1) of fields on every line wins, preferring more fields; so a
    semicolon file with decimal commas is never split on its commas. All cells are text,
    except in the columns the caller names as numeric (``numeric``; ``read_table`` names the
    instruments' numeric items): such a column whose every cell is a whole number (``6``,
    ``-99``, spaces around it allowed), blank or one of the missing markers of
    :data:`msrelax_stats.data.values.MISSING_MARKERS` is read as numbers (``Int64``, blank
    and marked cells ``<NA>``), as a spreadsheet's numbers are: a registry's million answers
    are read without a text object per cell. A problem shows such a cell as its number
    (``08`` as ``'8'``). Any other cell (``6.5``, ``6,5``, ``30-60``, ``none``) keeps the
    column text, as typed, so a value is never shown otherwise than typed (``2`` as
    ``'2.0'``).
``.xlsx``, ``.xlsm``
    Read with openpyxl (:mod:`msrelax_stats.data.excel`). ``sheet`` names the sheet (name or
    0-based position). Without it the first visible worksheet with a participant id column
    is read (else the first visible one); a note names the sheet read and those ignored.
    Within a budget: at most 512 MiB unpacked, at most 10 million cells from A1 to the last
    used cell. Formulas count with the value Excel saved; one without a saved value is an
    error naming the cell.
``.sav``, ``.dta``
    Read with pyreadstat with ``apply_value_formats=False``: value labels never replace the
    numeric codes; SPSS user-missing values become missing. The value labels of the visit
    column are kept for one purpose: when its codes are not known visits (``time`` coded
    1 = "pre", 2 = "post" read with the default visits), the column is reported once, with
    its codes, their labels and the ``--visits`` value that names them (see
    :func:`msrelax_stats.data.layout.check_keys`).
A ``pandas.DataFrame`` is copied (source ``"<DataFrame>"``, ``sha256`` ``None``).

Encodings of text files
-----------------------
A UTF-8 byte-order mark means UTF-8; a UTF-16 mark means UTF-16 (Excel's "Unicode text").
Otherwise the bytes are decoded as UTF-8 when they are valid UTF-8, else as cp1254 (Turkish
Windows; identical to latin-1/cp1252 for the letters of Western European names such as
``Müller``, and it also decodes ``Ş ş Ğ ğ İ ı``), else as latin-1; a note records a non-UTF-8
decoding. ``encoding=`` forces one. Bytes that no text file holds (NUL and other control
characters) in the first 64 KiB make the file "not a text table"; a NUL anywhere later is an
error naming its line. Cells and header names of any length are read (no field-size limit).

Limits
------
A file over :data:`MAX_FILE_BYTES` (1 GiB) is not read (exit status 2, not a memory error).

"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from msrelax_stats.data.excel import read_sheet
from msrelax_stats.data.values import MISSING_MARKERS
from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["MAX_FILE_BYTES", "SUPPORTED", "load_cells", "sniff_delimiter"]

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SUPPORTED = ".csv .tsv .txt .xlsx .sav .dta"
_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))
#: Largest input file read (larger ones are refused before they are loaded into memory).
MAX_FILE_BYTES = 2**30


def load_cells(
    path: Path,
    name: str,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    has_id: Any = None,
    numeric: Callable[[list[str]], set[int]] | None = None,
) -> tuple[pd.DataFrame, str, list[Problem], dict]:
    """The cells of a data file under its header row, the SHA-256 of the bytes, notes, and
    value labels (column -> code -> label; from ``.sav``/``.dta`` files only, else ``{}``).

    The one reader of files by format, encoding and delimiter (module notes), shared by
    :func:`read_table` and the practice diary (:func:`msrelax_stats.data.diary.read_diary`).
    ``has_id(header_cells) -> bool`` tells which sheet of a workbook holds the data (default:
    a column named ``id``). ``numeric(header_cells)`` gives the positions of the columns of
    a text file that may be read as numbers (module notes); default none.
    """
    if path.is_dir():
        raise StudyDataError(Problem("is a directory, not a data file", file=name))
    if not path.exists():
        raise StudyDataError(Problem("file not found", file=name))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise StudyDataError(
            Problem(f"is {size:,} bytes, more than the {MAX_FILE_BYTES:,} read", file=name)
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise StudyDataError(Problem("file is empty", file=name))
    suffix = path.suffix.lower()
    if sheet is not None and suffix not in EXCEL_SUFFIXES:
        raise StudyDataError(Problem("sheet= applies to .xlsx files only", file=name))
    notes: list[Problem] = []
    value_labels: dict[str, dict] = {}
    if suffix in TEXT_SUFFIXES:
        raw = _read_text(data, name, encoding, notes, numeric)
    elif suffix in EXCEL_SUFFIXES:
        if has_id is None:
            has_id = lambda header: "id" in [str(h).strip().lower() for h in header]  # noqa: E731
        cells, more = read_sheet(data, name, sheet, has_id)
        notes += more
        raw = _header_row(cells).infer_objects()
    elif suffix in (".sav", ".dta"):
        raw, value_labels = _read_stats(path, name, suffix, encoding)
    else:
        raise StudyDataError(
            Problem(f"unsupported file type '{suffix}' (supported: {SUPPORTED})", file=name)
        )
    if raw.empty:
        raise StudyDataError(Problem("has a header row but no data rows", file=name))
    return raw, digest, notes, value_labels


def _decode(data: bytes, name: str, encoding: str | None, notes: list[Problem]) -> tuple[str, str]:
    """The text of ``data`` and the codec that decoded it (module notes)."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise StudyDataError(
                Problem(f"cannot be decoded as {encoding}: {exc}", file=name)
            ) from exc
    marked = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        marked = "utf-16"
    if marked is not None:
        try:
            return data.decode(marked), marked
        except UnicodeDecodeError as exc:
            raise StudyDataError(
                Problem(
                    f"starts with a {marked.upper()[:6].rstrip('-')} byte-order mark but is not valid: {exc}",
                    file=name,
                )
            ) from exc
    if any(byte in _CONTROL for byte in set(data[:65536])):
        raise StudyDataError(
            Problem(f"is not a text table (binary content); supported: {SUPPORTED}", file=name)
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text, used = data.decode("cp1254"), "cp1254"
    except UnicodeDecodeError:  # the 5 bytes cp1254 leaves undefined
        text, used = data.decode("latin-1"), "latin-1"
    notes.append(Problem(f"not UTF-8; decoded as {used}", file=name))
    return text, used


def _check_nul(text: str, name: str) -> None:
    """A NUL character anywhere is an error naming its line (no table cell holds one)."""
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise StudyDataError(
            Problem(f"line {line} holds a NUL byte (\\x00): not a text table", file=name)
        )


def sniff_delimiter(text: str) -> str:
    """The delimiter (``,`` ``;`` or tab) splitting the first lines into equal field counts.

    Examples
    --------
    >>> sniff_delimiter("id;psqi_4\\nP01;6,5\\n")
    ';'
    """
    lines = _first_lines(text, 50)
    best, best_fields = ",", 1
    longest = max((len(line) for line in lines), default=0)
    for delimiter in ("\t", ";", ","):
        with _field_size_limit(longest + 1):  # a cell (or header) may be longer than 128 KiB
            counts = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        if len(counts) == 1 and (fields := counts.pop()) > best_fields:
            best, best_fields = delimiter, fields
    if best_fields == 1 and lines:
        header = lines[0]
        best = max(("\t", ";", ","), key=header.count)
    return best


@contextmanager
def _field_size_limit(size: int) -> Iterator[None]:
    """The csv module's field-size limit raised to ``size`` for the block (default 128 KiB)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, size))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _first_lines(text: str, count: int) -> list[str]:
    """The first ``count`` non-blank lines of ``text.splitlines()``, splitting only its head."""
    size = 1 << 16
    while True:
        lines = [line for line in text[:size].splitlines() if line.strip()]
        if size >= len(text) or len(lines) > count:  # only the last line of a head is cut
            return lines[:count]
        size *= 4


def _read_text(data: bytes, name: str, encoding, notes, numeric=None) -> pd.DataFrame:
    text, codec = _decode(data, name, encoding, notes)
    _check_nul(text, name)
    # pandas reads bytes 3x faster than text: the UTF-8 bytes of the text (the file's own)
    utf8 = data if codec.replace("_", "-").lower() in ("utf-8", "utf8") else text.encode("utf-8")
    sep = sniff_delimiter(text)
    if numeric is not None:
        header = _csv(utf8, name, sep, nrows=1)
        columns = _header_row(header).columns if len(header) else pd.Index([])
        positions = numeric(columns.tolist()) if len(columns) else set()
        if positions:
            cells = _read_numbers(utf8, name, sep, columns, positions)
            if cells is not None:
                return cells
    return _header_row(_csv(utf8, name, sep))


def _csv(utf8: bytes, name: str, sep: str, **options) -> pd.DataFrame:
    """The cells of delimited text as pandas reads them (default: every cell text, as typed)."""
    options = {"header": None, "dtype": object, "na_filter": False, **options}
    try:
        return pd.read_csv(
            io.BytesIO(utf8), sep=sep, skip_blank_lines=True, encoding="utf-8", **options
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        detail = " ".join(str(exc).split())  # pandas' message ends in a newline
        raise StudyDataError(Problem(f"cannot be read as a table: {detail}", file=name)) from exc


def _read_numbers(
    utf8: bytes, name: str, sep: str, columns: pd.Index, positions: set[int]
) -> pd.DataFrame | None:
    """The cells under the header row (named ``columns``), the ``positions`` columns read as
    numbers where every cell is one (module notes); ``None`` when the rows are longer than
    the header (pandas would take the first column as the index: the text reading reports
    the row)."""
    width = len(columns)
    text = [i for i in range(width) if i not in positions]
    with warnings.catch_warnings():  # a column numeric in some chunks only: read again below
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        body = _csv(utf8, name, sep, header=0, names=list(range(width)),
                    dtype=dict.fromkeys(text, object), keep_default_na=False,
                    na_values={i: list(MISSING_MARKERS) for i in positions},
                    na_filter=True, dtype_backend="numpy_nullable")  # fmt: skip
    if not body.index.equals(pd.RangeIndex(len(body))):
        return None
    failed = [i for i in sorted(positions) if i < width and not _is_whole(body[i].dtype)]
    if failed:  # a cell is not a whole number: the column is text, as typed
        again = _csv(utf8, name, sep, usecols=failed).iloc[1:].reset_index(drop=True)
        body[failed] = again[failed]
    body.columns = columns
    return body


def _is_whole(dtype) -> bool:
    return pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _header_row(cells: pd.DataFrame) -> pd.DataFrame:
    body = cells.iloc[1:].reset_index(drop=True).astype(object)
    body.columns = ["" if pd.isna(v) else str(v) for v in cells.iloc[0]]
    return body


def _read_stats(path: Path, name: str, suffix: str, encoding) -> tuple[pd.DataFrame, dict]:
    import pyreadstat

    reader = pyreadstat.read_sav if suffix == ".sav" else pyreadstat.read_dta
    try:
        frame, meta = reader(str(path), apply_value_formats=False, encoding=encoding)
    except pyreadstat.ReadstatError as exc:
        raise StudyDataError(Problem(f"is not a readable {suffix} file: {exc}", file=name)) from exc
    return frame, dict(meta.variable_value_labels)
