"""Where the outputs go: a rule that cannot lose a user's files, and writes that are atomic.

The output-folder rule (docs/data.md "Where the outputs go")
------------------------------------------------------------
``analyze --out`` (and ``sample --out`` for a folder) may name

- a path that does not exist yet (it is created),
- an empty folder, or
- a folder this tool wrote before, recognised by the manifest :data:`MANIFEST`
  (``.msrelax-output.json``) it writes there: every file it wrote with its SHA-256.

Such a folder is replaced as a whole, atomically: the new outputs are written into a staging
folder beside it and swapped in by two renames at the end (interrupts deferred meanwhile), so
the folder is always either the old one or the complete new one. Anything else in the folder
- a file the manifest does not list, a listed file changed since, no manifest at all, or a
file where the folder should be - is refused (exit status 2) with a message naming what is
there. ``force=True`` (``--force``) then writes into the folder anyway, replacing only files
the manifest names and never any other: a file of the user's that has the name of an output
is still refused. Whatever ``force`` says, ``--out`` may never be an input file (study, column
map, instrument spec, diary) nor a folder holding one. OS clutter (``.DS_Store``,
``Thumbs.db``, ``desktop.ini``) does not count as the user's files.

A single output file (``score --out``, ``sample --out x.csv``) is written under a temporary
name and renamed over the target; an existing file is replaced only with ``force=True``, and
an input file never.

Interrupts: staging folders and temporary files are registered while they exist;
:func:`remove_leftovers` deletes them (the command line calls it when SIGINT or SIGTERM
stops a run), so no ``.<name>.tmp-*`` or ``.<name>.old-*`` is left behind.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from msrelax_stats.data.csv_writer import write_csv
from msrelax_stats.data.safe import csv_quoting, spreadsheet_safe, xlsx_safe
from msrelax_stats.errors import Problem, StudyDataError
from msrelax_stats.output_rule import (
    MANIFEST,
    Plan,
    check_inputs,
    files_under,
    input_files,
    sha256,
    write_manifest,
)

__all__ = [
    "MANIFEST",
    "Staging",
    "input_files",
    "jsonable",
    "committed_outputs",
    "remove_leftovers",
    "write_new_file",
    "write_new_folder",
    "write_table",
]

_LIVE: set[Path] = set()  # staging folders and temporary files that exist right now
_COMMITTED: list[Path] = []  # outputs moved into place by this process


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """Write a table as CSV (UTF-8, ``.csv``) or Excel (``.xlsx``), safe against formulas.

    Control characters, which an ``.xlsx`` cannot hold, are written there as visible
    escapes (``\\x1b``) by :func:`msrelax_stats.data.safe.xlsx_safe`.
    """
    path = Path(path)
    safe = spreadsheet_safe(frame)
    if path.suffix.lower() == ".xlsx":
        xlsx_safe(safe).to_excel(path, index=False)
    else:
        quoting = csv_quoting(safe)
        if quoting == csv.QUOTE_MINIMAL:
            write_csv(safe, path)  # pandas' to_csv text, written faster
        else:  # a carriage return in a text cell: every field quoted, by pandas
            safe.to_csv(path, index=False, lineterminator="\n", quoting=quoting)
    return path


def jsonable(value: Any) -> Any:
    """``value`` with DataFrames as lists of records, numpy scalars as Python, NaN/NA as None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Path):
        return str(value)
    return value


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM held back for the ``with`` block (delivered when it ends)."""
    usable = hasattr(signal, "pthread_sigmask")
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held) if usable else None
    try:
        yield
    finally:
        if usable:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _umask() -> int:
    """The process's umask (read by setting it, and set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _missing_parents(path: Path) -> list[Path]:
    """The ancestors of ``path`` that do not exist, innermost first."""
    return [p for p in path.parents if not p.exists()]


class Staging:
    """An output folder written under a temporary name and moved into place at the end.

    Parameters
    ----------
    out : Path
        The output folder; checked against the rule of this module when the staging starts
        and again at :meth:`commit`.
    protect : iterable of Path
        Input files ``out`` may be neither equal to nor hold (:func:`input_files`).
    force : bool
        Write into a folder holding other files, replacing only those its manifest names.
    option : str
        How the output is named in messages (``"--out"``).

    Raises
    ------
    StudyDataError
        When the rule refuses ``out`` (nothing is created then).
    """

    def __init__(self, out: Path, *, protect: Iterable[Path] = (), force: bool = False,
                 option: str = "--out") -> None:  # fmt: skip
        self.out = Path(os.path.abspath(out))
        check_inputs(self.out.resolve(), list(protect), option)
        self.force = force
        self.plan = Plan(self.out, force)
        self._created = _missing_parents(self.out)
        with _signals_deferred():
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.tmp-", dir=self.out.parent))
            _LIVE.add(self.tmp)
        self.tmp.chmod(0o777 & ~_umask())  # as a folder made by mkdir (mkdtemp gives 0700)

    def commit(self) -> None:
        """Move the staged files into place (the rule is checked once more first)."""
        plan = Plan(self.out, self.force)  # the folder may have changed since the start
        files = {name: sha256(self.tmp / name) for name in files_under(self.tmp)}
        if plan.mode == "merge":
            plan.refuse_collisions(files)
        with _signals_deferred():
            if plan.mode == "merge":
                self._merge(plan, files)
            else:
                write_manifest(self.tmp, files)
                self._swap()
            _LIVE.discard(self.tmp)
            _COMMITTED.append(self.out)

    def _swap(self) -> None:
        if self.out.exists():
            old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
            self.out.rename(old)
            self.tmp.rename(self.out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            self.tmp.rename(self.out)

    def _merge(self, plan: Plan, files: dict[str, str]) -> None:
        for name in files:
            target = self.out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.tmp / name, target)
        for name, digest in plan.manifest.items():  # earlier outputs not written again
            stale = self.out / name
            if name not in files and stale.is_file() and sha256(stale) == digest:
                stale.unlink()
        write_manifest(self.out, files)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def abort(self) -> None:
        """Remove the staging folder (and the parent folders the staging created)."""
        with _signals_deferred():
            shutil.rmtree(self.tmp, ignore_errors=True)
            _LIVE.discard(self.tmp)
            _remove_empty(self._created)


def _remove_empty(folders: Iterable[Path]) -> None:
    for folder in folders:  # innermost first
        try:
            folder.rmdir()
        except OSError:
            return


def write_new_file(out: Path, write: Callable[[Path], Any], *, protect: Iterable[Path] = (),
                   force: bool = False, option: str = "--out") -> Path:  # fmt: skip
    """Write one output file through ``write(temporary_path)`` and rename it over ``out``.

    ``out`` may not be an input file nor a folder; an existing file is replaced only with
    ``force``. The temporary file has the same suffix (writers choose the format by it).
    """
    out = Path(os.path.abspath(out))
    check_inputs(out.resolve(), list(protect), option)
    if out.is_dir():
        raise StudyDataError(Problem(f"{option} is a folder; name a file", file=str(out)))
    if out.exists() and not force:
        raise StudyDataError(Problem(
            f"{option} exists; add --force to replace it, or choose another {option}",
            file=str(out)))  # fmt: skip
    created = _missing_parents(out)
    with _signals_deferred():
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{out.stem}.tmp-", suffix=out.suffix,
                                        dir=out.parent)  # fmt: skip
        os.close(handle)
        temporary = Path(name)
        _LIVE.add(temporary)
    temporary.chmod(0o666 & ~_umask())  # as a file made by open() (mkstemp gives 0600)
    try:
        write(temporary)
        with _signals_deferred():
            os.replace(temporary, out)
            _LIVE.discard(temporary)
            _COMMITTED.append(out)
    except BaseException:
        with _signals_deferred():
            temporary.unlink(missing_ok=True)
            _LIVE.discard(temporary)
            _remove_empty(created)
        raise
    return out


def write_new_folder(out: Path, write: Callable[[Path], Iterable[Path]], *,
                     protect: Iterable[Path] = (), force: bool = False) -> list[Path]:  # fmt: skip
    """Write a folder through ``write(staging_folder)`` under the rule of this module and move
    it into place (:class:`Staging`); returns the paths of the files ``write`` reported."""
    staging = Staging(out, protect=protect, force=force)
    try:
        names = [Path(path).relative_to(staging.tmp) for path in write(staging.tmp)]
        staging.commit()
    except BaseException:
        staging.abort()
        raise
    return [Path(out) / name for name in names]


def remove_leftovers() -> None:
    """Delete every staging folder and temporary file of this process that still exists."""
    with _signals_deferred():
        for path in list(_LIVE):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            _LIVE.discard(path)


def committed_outputs() -> list[Path]:
    """Every output this process moved into place, in order (for the message after an
    interrupt: which outputs are complete)."""
    return list(_COMMITTED)
