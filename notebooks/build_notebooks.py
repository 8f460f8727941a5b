"""Build the teaching notebooks from their plain-text sources.

Each notebook is written as a Python file in the "percent" format (the one jupytext and
VS Code read) under ``notebooks/sources/``: a line ``# %%`` starts a code cell, a line
``# %% [markdown]`` starts a markdown cell whose lines are comments (``# `` is removed).
This script turns every source into ``notebooks/<name>.ipynb`` **without outputs** and with
fixed cell ids, so the committed notebooks are small and rebuilding them changes nothing
unless a source changed.

Usage, from the repository root::

    python notebooks/build_notebooks.py          # rewrite the .ipynb files
    python notebooks/build_notebooks.py --check  # exit 1 if a notebook is out of date

Edit the sources, not the notebooks (``tests/test_notebooks.py`` checks that they agree).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
MARKDOWN = "# %% [markdown]"
CODE = "# %%"

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "version": "3.11"}


def _markdown_text(lines: list[str]) -> str:
    out = []
    for line in lines:
        if line.startswith("# "):
            out.append(line[2:])
        elif line.strip() in ("#", ""):
            out.append("")
        else:
            raise ValueError(f"markdown line does not start with '# ': {line!r}")
    return "\n".join(out).strip("\n")


def parse_source(text: str) -> list[tuple[str, str]]:
    """Split a percent-format source into ``(kind, text)`` cells, kind "markdown" or "code"."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.strip() == MARKDOWN:
            cells.append(("markdown", []))
        elif line.strip() == CODE:
            cells.append(("code", []))
        elif cells:
            cells[-1][1].append(line)
        elif line.strip():
            raise ValueError("text before the first '# %%' cell marker")
    parsed = []
    for kind, lines in cells:
        body = _markdown_text(lines) if kind == "markdown" else "\n".join(lines).strip("\n")
        if body:
            parsed.append((kind, body))
    return parsed


def build_notebook(source: Path) -> nbformat.NotebookNode:
    """The notebook of one source file: no outputs, no execution counts, stable cell ids."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    for number, (kind, body) in enumerate(parse_source(source.read_text(encoding="utf-8"))):
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(body)
        else:
            cell = nbformat.v4.new_code_cell(body)
            cell.outputs = []
            cell.execution_count = None
        cell.id = f"{source.stem[:2]}-{number:03d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def notebook_text(source: Path) -> str:
    """The exact text of the ``.ipynb`` file built from ``source``."""
    return nbformat.writes(build_notebook(source)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    args = parser.parse_args(argv)
    stale = []
    for source in sorted(SOURCES.glob("*.py")):
        target = HERE / f"{source.stem}.ipynb"
        text = notebook_text(source)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(target.name)
        if not args.check:
            target.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {target.relative_to(HERE.parent)}")
    if args.check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
