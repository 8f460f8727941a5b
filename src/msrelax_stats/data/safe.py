"""Text from the input made safe for each place it is written: the one home of the escapers.

Ids, group labels, column and instrument names come from the user's files and reach every
output. Each format has its own danger and its own helper here:

- **Spreadsheets** (CSV, XLSX): a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets when the
  file is opened (OWASP "CSV injection"). Every table msrelax_stats writes goes through
  :func:`spreadsheet_safe`, which prefixes such text with an apostrophe; numbers, and text that
  reads as a number (``"-2"``, ``"-0,5"``), are left as they are, and so is a negative
  estimate with its interval (``"-0.66 [-0.97, -0.37]"``, :data:`NUMBERS_ONLY`): made of
  numbers, ``", "`` and square brackets only, it holds no name, reference or operator, so a
  spreadsheet can neither run nor recompute it (a positive estimate was never prefixed). An
  ``.xlsx`` cannot hold most control characters at all: :func:`xlsx_safe` writes them as
  visible escapes.
- **The terminal**: :func:`terminal_text` shows control characters, line and paragraph
  separators and bidirectional overrides as escapes (``\\x1b``, ``\\n``, ``\\u202e``), so a
  value can neither forge extra lines on stderr nor send escape sequences to the terminal
  (every :class:`~msrelax_stats.errors.Problem` is printed through it; the function lives in
  :mod:`msrelax_stats.errors`, the lowest layer, and is re-exported here).
- **Markdown** (:func:`markdown_text`): the characters CommonMark/GFM give a meaning
  (``\\ ` * _ [ ] < > | & ~``) are backslash-escaped, so ``<img src=x onerror=...>`` stays
  text in a Markdown viewer; tabs and line breaks become numeric character references and
  other control characters visible escapes (CommonMark cannot carry them).
- **LaTeX** (:func:`latex_escape`): every special character, and control characters as
  visible escapes.
- **HTML**: jinja2's autoescape and :func:`html.escape` (report/html.py, report/tables.py).
- **File names** (:func:`safe_file_name`, :func:`unique_file_names`): no path separators,
  no ``..``, no control or reserved characters, bounded length, collisions resolved.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.data.frames import without_attrs
from msrelax_stats.errors import terminal_text

__all__ = [
    "FORMULA_START",
    "NUMBERS_ONLY",
    "csv_quoting",
    "inert_cell",
    "spreadsheet_safe",
    "xlsx_safe",
    "xml_text",
    "terminal_text",
    "markdown_text",
    "latex_escape",
    "safe_file_name",
    "unique_file_names",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = r"-?(?:\d+(?:[.,]\d+)*|[.,]\d+)"
#: Numbers separated by ``", "``, optionally followed by a list of them in square brackets:
#: every ``-`` is a sign (at the start, after ``"["`` or ``", "``), never a subtraction; no
#: ``+ * / ^ & % ( ) ! | : ;``, quote, letter or space without a comma before it.
NUMBERS_ONLY = re.compile(rf"{_NUMBER}(?:, {_NUMBER})*(?: \[{_NUMBER}(?:, {_NUMBER})*\])?")


def inert_cell(value: Any) -> Any:
    """``value`` with an apostrophe in front when it is text a spreadsheet would run.

    Examples
    --------
    >>> inert_cell('=HYPERLINK("x")'), inert_cell("-2"), inert_cell("P01"), inert_cell(-2.0)
    ('\\'=HYPERLINK("x")', '-2', 'P01', -2.0)
    >>> inert_cell("-0.66 [-0.97, -0.37]"), inert_cell("-2+3"), inert_cell("-1 -2")
    ('-0.66 [-0.97, -0.37]', "'-2+3", "'-1 -2")
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value.replace(",", "."))
        except ValueError:
            if not (value[0] == "-" and NUMBERS_ONLY.fullmatch(value)):
                return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are inert (numbers untouched).

    Only text columns (object, string and categorical dtypes) are looked at, and in each
    only its distinct values: a column without a cell that starts a formula is kept as it is
    (no copy), and in one with such cells only those cells are replaced.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["P01", "=1+1"], "note": ["-2", "@x"], "score": [-1.0, 2.0]})
    >>> spreadsheet_safe(table).values.tolist()
    [['P01', '-2', -1.0], ["'=1+1", "'@x", 2.0]]
    """
    out = frame.copy(deep=False)  # columns are replaced, never written into (copy-on-write)
    plain = without_attrs(frame)
    for position in range(out.shape[1]):
        column = plain.iloc[:, position]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            if not _dangerous(np.asarray(dtype.categories, dtype=object)).any():
                continue  # no category starts a formula
        elif not (pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)):
            continue  # numbers, booleans, dates: nothing a spreadsheet would run
        cells = column.to_numpy(dtype=object)
        codes, distinct = pd.factorize(cells)  # missing cells: code -1
        distinct = np.asarray(distinct, dtype=object)
        dangerous = _dangerous(distinct)
        if not dangerous.any():
            continue
        rows = np.flatnonzero((codes >= 0) & dangerous[np.maximum(codes, 0)])
        cells = cells.copy()
        cells[rows] = [inert_cell(cell) for cell in cells[rows]]
        out.isetitem(position, pd.Series(cells, index=out.index, dtype=object))
    out.columns = [inert_cell(str(c)) for c in out.columns]
    return out


def csv_quoting(frame: pd.DataFrame) -> int:
    """The ``quoting`` for writing ``frame`` as CSV: every field quoted when a text cell holds
    a carriage return, else only where needed.

    Python's csv writer (and pandas') quotes a field holding a line feed, but not one holding
    a lone carriage return when lines end in ``\\n``; Excel and most readers take that CR for
    the end of the row, and the table falls apart. Quoting every field keeps it whole.

    Examples
    --------
    >>> import csv
    >>> csv_quoting(pd.DataFrame({"id": ["P1\\r"]})) == csv.QUOTE_ALL
    True
    """
    plain = without_attrs(frame)
    for column in frame.columns:
        dtype = plain[column].dtype
        if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            continue
        if any(isinstance(v, str) and "\r" in v for v in plain[column].unique()):
            return csv.QUOTE_ALL
    if any("\r" in str(c) for c in frame.columns):
        return csv.QUOTE_ALL
    return csv.QUOTE_MINIMAL


# ---- XLSX ---------------------------------------------------------------------------------------

#: Characters XML 1.0 (and so an .xlsx) cannot hold: openpyxl refuses them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value: Any) -> Any:
    """``value`` with the control characters XML 1.0 cannot hold (an ``.xlsx`` or ``.docx``)
    written as visible escapes; tab, line feed and carriage return kept; non-text unchanged.

    Examples
    --------
    >>> xml_text("P\\x0201")
    'P\\\\x0201'
    """
    if isinstance(value, str):
        return _XML_ILLEGAL.sub(lambda m: terminal_text(m.group()), value)
    return value


def xlsx_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the control characters an ``.xlsx`` cannot hold written as escapes.

    Tabs and line feeds are kept (a cell may hold them); a carriage return is kept too and,
    as in any XML text, read back as a line feed. Apply after :func:`spreadsheet_safe`;
    numbers are untouched.

    Examples
    --------
    >>> xlsx_safe(pd.DataFrame({"id": ["P\\x1b01"]}))["id"].tolist()
    ['P\\\\x1b01']
    """
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
            out[column] = out[column].astype(object).map(xml_text)
    out.columns = [xml_text(c) for c in out.columns]
    return out


# ---- Markdown -----------------------------------------------------------------------------------

#: Tab, line feed, form feed, carriage return: carried by numeric character references.
_MARKDOWN_REFERENCE = {"\t": "&#9;", "\n": "&#10;", "\x0c": "&#12;", "\r": "&#13;"}
_MARKDOWN_ANY = re.compile(r"[\\`*_\[\]<>|&~\x00-\x1f\x7f-\x9f]")


def _markdown_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _MARKDOWN_REFERENCE:
        return _MARKDOWN_REFERENCE[char]
    if char < " " or "\x7f" <= char <= "\x9f":  # shown as on the terminal, backslash escaped
        return terminal_text(char).replace("\\", "\\\\")
    return "\\" + char


def markdown_text(value: Any) -> str:
    """``value`` as text that CommonMark/GFM renders as exactly that text (in a table cell).

    Notes
    -----
    ``\\ ` * _ [ ] < > | & ~`` are backslash-escaped (CommonMark 0.31, 2.4: any ASCII
    punctuation may be). Tab, line feed, form feed and carriage return become numeric
    character references (``&#10;``): the cell stays on its line and renders the character.
    Other control characters cannot be carried by CommonMark (a reference to one renders as
    U+FFFD, and NUL is replaced) and are written as visible escapes (``\\x1b``), as on the
    terminal.

    Examples
    --------
    >>> print(markdown_text("<img src=x onerror=alert(1)> | *a_b*"))
    \\<img src=x onerror=alert(1)\\> \\| \\*a\\_b\\*
    """
    return _MARKDOWN_ANY.sub(_markdown_char, str(value))


# ---- LaTeX --------------------------------------------------------------------------------------

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "\u00a0": "~",  # a no-break space ("(n = 32)" in Table 1's headers) is LaTeX's tie
}
_LATEX_RE = re.compile("[" + re.escape("".join(_LATEX_SPECIAL)) + "\x00-\x1f\x7f-\x9f]")


def _latex_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _LATEX_SPECIAL:
        return _LATEX_SPECIAL[char]
    if char == "\t":
        return " "
    # a line break would end the row (or, doubled, the paragraph): shown as an escape
    return terminal_text(char).replace("\\", r"\textbackslash{}")


def latex_escape(text: Any) -> str:
    """Escape LaTeX specials in one pass; a minus sign before a number becomes ``$-$``.

    Notes
    -----
    ``& % $ # _ { } ~ ^ \\ < > |`` become their text-mode commands (``|`` is another glyph
    in the OT1 font encoding otherwise); a tab becomes a space; other control
    characters, line breaks included, are shown as escapes (``\\textbackslash{}x1b``), since
    in a tabular cell a line break could end the row.

    Examples
    --------
    >>> print(latex_escape("50 % & d_z < -0.5"))
    50 \\% \\& d\\_z \\textless{} $-$0.5
    """
    escaped = _LATEX_RE.sub(_latex_char, str(text))
    return re.sub(r"(?<![\w.])-(?=\.?\d)", "$-$", escaped)


# ---- file names ---------------------------------------------------------------------------------

#: Longest file name made from input text (characters); room is left for a suffix.
MAX_NAME = 80
_NOT_IN_NAMES = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u2028\u2029\u202a-\u202e\u2066-\u2069]')
_DOTS = re.compile(r"\.{2,}")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)


def safe_file_name(name: Any, max_length: int = MAX_NAME) -> str:
    """A file name (without folder) made from input text, safe on every file system.

    Notes
    -----
    Path separators, control characters, the characters Windows forbids (``: * ? " < > |``)
    and bidirectional overrides become ``_``, as does every run of dots (no ``..``); leading
    and trailing dots and spaces are dropped (no ``.hidden``); Windows device names (``CON``, ``NUL``,
    ``COM1``...) get a trailing ``_``; an empty result is ``_``. A name longer than
    ``max_length`` is cut and ends in 8 hex digits of the SHA-256 of the original, so two
    long names stay apart. The name is NFC-normalised (macOS stores names decomposed).

    Examples
    --------
    >>> safe_file_name("../../etc/passwd"), safe_file_name("fss_mean"), safe_file_name("CON")
    ('____etc_passwd', 'fss_mean', 'CON_')
    """
    text = unicodedata.normalize("NFC", str(name))
    text = _DOTS.sub("_", _NOT_IN_NAMES.sub("_", text)).strip(" .") or "_"
    if _RESERVED.fullmatch(text):
        text += "_"
    if len(text) > max_length:
        digest = hashlib.sha256(str(name).encode("utf-8", "surrogatepass")).hexdigest()[:8]
        text = text[: max_length - 9].rstrip(" .") + "-" + digest
    return text


def unique_file_names(names: Iterable[Any], taken: set[str] | None = None) -> list[str]:
    """:func:`safe_file_name` of each name, made unique (ignoring case, as macOS and Windows
    do) by ``-2``, ``-3``, ...; ``taken`` (lower-cased names already used) is updated.

    Examples
    --------
    >>> unique_file_names(["a/b", "a_b", "A_B", "c"])
    ['a_b', 'a_b-2', 'A_B-3', 'c']
    """
    used = set() if taken is None else taken
    out = []
    for name in names:
        base = safe_file_name(name)
        candidate, k = base, 1
        while candidate.casefold() in used:
            k += 1
            candidate = f"{base}-{k}"
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def _dangerous(values: np.ndarray) -> np.ndarray:
    """Mask of the values :func:`inert_cell` would change (text that a spreadsheet runs)."""
    return np.array([inert_cell(v) is not v for v in values], dtype=bool)
