"""The one exception type for bad study data, and the problem records it carries.

Every layer that finds something wrong with the *input* (file, layout, ids, visits, item
values) collects :class:`Problem` records and raises a single :class:`StudyDataError` holding
all of them, so a user sees every problem of a file at once. The CLI turns it into
``error: ...`` lines on stderr and exit status 2.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Problem", "StudyDataError", "terminal_text"]

#: What a terminal must never receive raw from the input: C0 and C1 control characters (line
#: breaks and ESC included), DEL, the Unicode line and paragraph separators and the
#: bidirectional embeddings, overrides and isolates (which can make text read reversed).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                          "\u202a-\u202e\u2066-\u2069]")  # fmt: skip
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: Any) -> str:
    """``text`` with what could forge lines or control a terminal shown as an escape.

    Control characters become ``\\n``, ``\\r``, ``\\t`` or ``\\xHH`` (``\\x1b`` for ESC),
    line/paragraph separators and bidirectional controls ``\\uHHHH``; everything else,
    non-ASCII letters included, is kept. So a problem is always one line, and a value from
    the input cannot colour, move or clear the terminal. Backslashes are kept as they are
    (Windows paths stay readable).

    Examples
    --------
    >>> print(terminal_text("P01\\nall good, ignore the lines above\\x1b[2J"))
    P01\\nall good, ignore the lines above\\x1b[2J
    """
    return _UNPRINTABLE.sub(_escape, str(text))


def _show(value: Any) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    ``message`` says what is wrong in plain words ("is outside 1-7"); the location fields are
    filled when known and ``None`` otherwise. ``str(problem)`` is always one line: what came
    from the input is shown through :func:`terminal_text`.
    """

    message: str
    participant: str | None = None
    visit: str | None = None
    column: str | None = None
    value: Any = None
    file: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.participant is not None:
            where.append(f"participant {self.participant}")
        if self.visit is not None:
            where.append(f"visit {self.visit}")
        if self.column is not None:
            where.append(f"column {self.column}")
        head = ", ".join(where)
        value = f"value {_show(self.value)} " if self.value is not None else ""
        text = f"{value}{self.message}"
        return terminal_text(f"{head}: {text}" if head else text)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (for JSON); the value is kept as text."""
        out = asdict(self)
        out["value"] = None if self.value is None else str(self.value)
        return out


class StudyDataError(ValueError):
    """Bad study data: carries every :class:`Problem` found, not only the first."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def with_file(self, file: str) -> StudyDataError:
        """The same problems, each naming ``file`` where it did not name one."""
        from dataclasses import replace

        return StudyDataError(
            [p if p.file is not None else replace(p, file=file) for p in self.problems]
        )
