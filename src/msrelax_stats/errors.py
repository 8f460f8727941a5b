"""The one exception type for bad study data, and the problem records it carries.

Every layer that finds something wrong with the *input* (file, layout, ids, visits, item
values) collects :class:`Problem` records and raises a single :class:`StudyDataError` holding
all of them, so a user sees every problem of a file at once. The CLI turns it into
``error: ...`` lines on stderr and exit status 2.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Problem", "StudyDataError"]


def _show(value: Any) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    ``message`` says what is wrong in plain words ("is outside 1-7"); the location fields are
    filled when known and ``None`` otherwise.
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
        return f"{head}: {text}" if head else text

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
