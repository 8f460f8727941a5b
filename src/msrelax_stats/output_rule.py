"""The output-folder rule itself: what a folder holds, whose files they are, what may be done.

Used by :mod:`msrelax_stats.output_folder` (which writes) and stated in its docstring and in
docs/data.md ("Where the outputs go").
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from msrelax_stats.errors import Problem, StudyDataError

__all__ = ["MANIFEST", "OS_CLUTTER", "Plan", "check_inputs", "files_under", "input_files",
           "sha256", "write_manifest"]  # fmt: skip

#: The manifest of an output folder: which files this tool wrote there, with their SHA-256.
MANIFEST = ".msrelax-output.json"
#: Files an operating system leaves in folders it shows; never a user's work.
OS_CLUTTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
#: At most this many foreign entries are named in a refusal.
SHOWN = 5


def input_files(*values: Any) -> list[Path]:
    """The existing files among ``values`` (paths, lists of paths; anything else is skipped).

    What the outputs must never overwrite or contain: the study file, the column map, the
    instrument specs and the diary. Built-in instrument names, dicts and DataFrames are not
    files and are skipped.
    """
    found: list[Path] = []
    for value in values:
        if isinstance(value, list | tuple):
            found += input_files(*value)
        elif isinstance(value, str | os.PathLike) and Path(value).is_file():
            found.append(Path(value).resolve())
    return found


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_under(folder: Path, limit: int | None = None) -> list[str]:
    """Every entry below ``folder`` that is not a directory (nor OS clutter), as POSIX paths
    relative to it, in sorted walking order; at most ``limit`` of them (the walk stops there:
    ``--out ~`` is refused at once, without reading the whole home folder)."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):  # links to folders are entries, not walked
        dirs.sort()
        base = Path(root)
        links = [d for d in dirs if (base / d).is_symlink()]
        found += [(base / name).relative_to(folder).as_posix()
                  for name in sorted(files + links) if name not in OS_CLUTTER]  # fmt: skip
        if limit is not None and len(found) >= limit:
            return found[:limit]
    return sorted(found)


def _read_manifest(folder: Path) -> dict[str, str] | None:
    """``relative path -> sha256`` of a valid manifest in ``folder``, else None."""
    try:
        document = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = document.get("files") if isinstance(document, dict) else None
    if document.get("tool") != "msrelax_stats" or not isinstance(files, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return None
    return files


def write_manifest(folder: Path, files: dict[str, str]) -> None:
    from msrelax_stats import __version__

    document = {
        "tool": "msrelax_stats",
        "version": __version__,
        "files": dict(sorted(files.items())),
    }
    text = json.dumps(document, indent=2) + "\n"
    temporary = folder / f"{MANIFEST}.tmp-{os.getpid()}"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def _listing(names: list[str]) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:SHOWN])
    return shown + (" and more" if len(names) > SHOWN else "")


def check_inputs(out: Path, protect: Iterable[Path], option: str) -> None:
    for path in protect:
        if path == out:
            raise StudyDataError(Problem(f"{option} is an input file; choose another {option} "
                                         "(an input is never overwritten)", file=str(out)))  # fmt: skip
        if out in path.parents:
            raise StudyDataError(Problem(
                f"{option} holds the input file '{path}'; choose an output folder that does "
                "not contain your data (an input is never overwritten or deleted)",
                file=str(out)))  # fmt: skip


class Plan:
    """What may be done with an output folder: ``replace`` it, ``merge`` into it, or refuse."""

    def __init__(self, out: Path, force: bool):
        self.out, self.force = out, force
        self.mode, self.manifest, self.foreign = "replace", {}, []
        if out.is_symlink():
            raise StudyDataError(Problem(
                "--out is a symbolic link; name the folder itself", file=str(out)))  # fmt: skip
        if out.exists() and not out.is_dir():
            raise StudyDataError(Problem(
                "--out exists and is a file, not a folder; choose another --out (it was not "
                "changed)", file=str(out)))  # fmt: skip
        if not out.exists():
            return
        manifest = _read_manifest(out)
        # without a manifest nothing here is ours: a few entries tell that (and the message)
        entries = files_under(out, limit=None if manifest is not None else SHOWN + 1)
        ours = manifest or {}
        changed = [e for e in entries if e in ours and sha256(out / e) != ours[e]]
        self.foreign = [e for e in entries if e != MANIFEST and e not in ours]
        self.manifest = ours
        if not self.foreign and not changed and (manifest is not None or not entries):
            return  # empty, or everything in it is our unchanged earlier output
        if force:
            self.mode = "merge"
            return
        if manifest is None:
            what = (f"holds files this tool did not write ({_listing(entries)}) and no "
                    f"{MANIFEST}")  # fmt: skip
        elif self.foreign:
            what = f"holds files this tool did not write: {_listing(self.foreign)}"
        else:
            what = f"holds output files changed since this tool wrote them: {_listing(changed)}"
        raise StudyDataError(Problem(
            f"--out {what}; choose a new or empty --out, or add --force to write beside them "
            "(--force replaces only files named in the folder's manifest, never others)",
            file=str(out)))  # fmt: skip

    def collisions(self, names: Iterable[str]) -> list[str]:
        """Outputs that would overwrite a file the manifest does not name, or cannot be
        written because a file stands where a folder of theirs goes (merge mode)."""
        clash = []
        for name in names:
            target = self.out / name
            blocked = any(p.exists() and not p.is_dir() for p in target.parents
                          if self.out in p.parents)  # fmt: skip
            if blocked or target.is_dir() or (name not in self.manifest and target.exists()):
                clash.append(name)
        return clash

    def refuse_collisions(self, names: Iterable[str]) -> None:
        """Raise when an output would replace a file of the user's (merge mode)."""
        clash = self.collisions(names)
        if clash:
            raise StudyDataError(Problem(
                f"--out holds files of yours with the names of outputs: {_listing(clash)}; "
                "--force never replaces them: choose another --out", file=str(self.out)))  # fmt: skip
