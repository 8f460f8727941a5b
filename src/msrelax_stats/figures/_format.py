"""Numbers as a reader sees them (APA style); shared by figures and the report layer.

Negative signs are always kept (an effect is never shown as its absolute value) and a value
that rounds to zero is shown without a sign ("0.00", not "-0.00").
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = [
    "MINUS",
    "NBSP",
    "fmt_num",
    "fmt_p",
    "fmt_ci",
    "fmt_int",
    "is_missing",
    "keep_statistics_together",
]

MISSING = "n/a"


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas NA."""
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def fmt_num(value: Any, decimals: int = 2) -> str:
    """``value`` rounded to ``decimals`` places, sign kept, ``"n/a"`` when missing.

    Examples
    --------
    >>> fmt_num(-0.8049, 2), fmt_num(-0.004, 2), fmt_num(float("nan"))
    ('-0.80', '0.00', 'n/a')
    """
    if is_missing(value):
        return MISSING
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


def fmt_int(value: Any) -> str:
    """An integer count as text, ``"n/a"`` when missing."""
    return MISSING if is_missing(value) else str(int(round(float(value))))


def fmt_p(p: Any, *, prefix: bool = False) -> str:
    """A p-value in APA style: three decimals, no leading zero, ``"< .001"`` below .001.

    With ``prefix=True`` the result reads ``"p < .001"`` / ``"p = .032"``.

    Notes
    -----
    APA (7th ed., 6.36): report exact p to two or three decimals, p < .001 below that, and no
    zero before the decimal point because p cannot exceed 1. Values that would round to 1
    are shown as ``"> .999"``.

    Examples
    --------
    >>> fmt_p(0.0004), fmt_p(0.0321), fmt_p(0.5), fmt_p(0.04, prefix=True)
    ('< .001', '.032', '.500', 'p = .040')
    """
    if is_missing(p):
        return "p = n/a" if prefix else MISSING
    p = float(p)
    if p < 0.001:
        text, sign = "< .001", "<"
    elif p >= 0.9995:
        text, sign = "> .999", ">"
    else:
        text, sign = f"{p:.3f}".lstrip("0"), "="
    if not prefix:
        return text
    return f"p {text}" if sign != "=" else f"p = {text}"


def fmt_ci(low: Any, high: Any, decimals: int = 2) -> str:
    """``"[-1.10, -0.50]"``."""
    return f"[{fmt_num(low, decimals)}, {fmt_num(high, decimals)}]"


#: The no-break space that holds a statistic on one line ("t(30) = -4.24").
NBSP = "\u00a0"
#: The minus sign of a negative number in a sentence: Word and LibreOffice break a line after
#: a hyphen-minus ("[-0.98, -" above "0.34]"), never after U+2212, the typographic minus.
MINUS = "\u2212"
_SIGN = re.compile(r"(?<![\w.])-(?=\.?\d)")
_KEEP = [
    (re.compile(r"(?<=\S) ([=<>]) (?=\S)"), NBSP + r"\1" + NBSP),  # t(30) = -4.24, p < .001
    (re.compile(r"(?<=[\d)]) (?=\[)"), NBSP),  # -0.80 [-1.10, -0.50]
    (re.compile(r"(?<=\d) % CI\b ?"), f"{NBSP}%{NBSP}CI{NBSP}"),  # 95 % CI [
    (re.compile(r"\bCI (?=\[)"), f"CI{NBSP}"),
    (re.compile(r"\bSD (?=-?\d)"), f"SD{NBSP}"),  # (SD 0.90)
]
_INTERVAL = re.compile(r"\[[^\[\]]*\]")


def keep_statistics_together(text: str) -> str:
    """``text`` with no-break spaces inside its statistics, so that a line never ends inside
    one: around ``=``, ``<``, ``>``; between an estimate and its interval and inside the
    interval; in ``95 % CI [`` and ``SD 0.90``; the sign of a negative number is the minus
    sign (U+2212), after which no word processor breaks a line. Other spaces, and hyphens
    in words and ranges ("MFIS-5", "1-7", "post - pre"), are left as they are.

    Examples
    --------
    >>> keep_statistics_together("t(30) = -4.24, p < .001, d_z = -0.66 [-0.97, -0.37]").split(" ")
    ['t(30)\xa0=\xa0−4.24,', 'p\xa0<\xa0.001,', 'd_z\xa0=\xa0−0.66\xa0[−0.97,\xa0−0.37]']
    """
    for pattern, replacement in _KEEP:
        text = pattern.sub(replacement, text)
    text = _SIGN.sub(MINUS, text)
    return _INTERVAL.sub(lambda m: m.group().replace(" ", NBSP), text)
