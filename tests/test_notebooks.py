"""The teaching notebooks: they run top to bottom, are committed clean and use the public API.

Each notebook is executed with nbclient in a kernel started with *this* interpreter
(``sys.executable -m ipykernel_launcher``), not through an installed kernelspec, so the kernel
sees exactly the environment the tests run in (the CI venv with the package installed, or a
source tree on ``PYTHONPATH``, which the kernel inherits). The working directory of the
kernel is ``notebooks/``, as when a notebook is opened in Jupyter.

The static checks read the committed ``.ipynb`` files: no outputs or execution counts, no
import of a private name (``_x``) from msrelax_stats, and each notebook equal to what
``notebooks/build_notebooks.py`` builds from its source.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import sys
import time
from pathlib import Path

# nbclient, nbformat and ipykernel come with the "test" extra; a missing one is an error,
# not a skip, so that CI cannot pass without running the notebooks.
import nbclient
import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from traitlets import Dict

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
NAMES = [path.name for path in NOTEBOOKS]
EXPECTED = [
    "01_quickstart.ipynb",
    "02_reproduce_pmr_study.ipynb",
    "03_your_own_data.ipynb",
    "04_controlled_and_followup.ipynb",
]
# Time budget per notebook on a shared 2-core machine (the issue asks for under a minute).
SECONDS_PER_NOTEBOOK = 90
PACKAGE_ALIASES = {"msrelax_stats"}


class ThisInterpreterKernelSpecs(KernelSpecManager):
    """Every kernel name resolves to an IPython kernel run by ``sys.executable``.

    The kernel inherits the environment of the tests (``PYTHONPATH`` made absolute) plus
    ``extra_env`` (the tests point ``TMPDIR`` at pytest's temporary folder, so the notebooks'
    ``tempfile.mkdtemp`` outputs are cleaned up with it).
    """

    extra_env = Dict()

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        env = dict(self.extra_env)
        # A relative PYTHONPATH (PYTHONPATH=src) would not resolve from notebooks/.
        entries = [e for e in os.environ.get("PYTHONPATH", "").split(os.pathsep) if e]
        if entries:
            env["PYTHONPATH"] = os.pathsep.join(str(Path(e).resolve()) for e in entries)
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=f"Python ({sys.executable})",
            language="python",
            env=env,
            metadata={},
        )


def execute(
    path: Path, tmpdir: Path | None = None, timeout: int = 300
) -> tuple[nbformat.NotebookNode, float]:
    """Run a notebook top to bottom in ``notebooks/``; return it with outputs and the seconds."""
    nb = nbformat.read(path, as_version=4)
    specs = ThisInterpreterKernelSpecs(extra_env={"TMPDIR": str(tmpdir)} if tmpdir else {})
    km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=specs)
    client = nbclient.NotebookClient(
        nb, km=km, timeout=timeout, resources={"metadata": {"path": str(NOTEBOOK_DIR)}}
    )
    start = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - start


def test_every_notebook_of_the_issue_exists():
    assert NAMES == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        index
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert dirty == [], f"cells with outputs or execution counts: {dirty}"


def _python(source: str) -> str:
    """A code cell as plain Python (IPython magics such as ``%matplotlib inline`` translated)."""
    return TransformerManager().transform_cell(source)


def _private_uses(source: str, aliases: set[str]) -> list[str]:
    """Private msrelax_stats names imported or reached through the package in ``source``."""
    found = []
    tree = ast.parse(_python(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] in PACKAGE_ALIASES:
                private = [p for p in parts if p.startswith("_")]
                private += [a.name for a in node.names if a.name.startswith("_")]
                found += [f"from {node.module} import ... ({p})" for p in private]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] in PACKAGE_ALIASES and any(p.startswith("_") for p in parts):
                    found.append(f"import {alias.name}")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            if node.attr.startswith("__") and node.attr.endswith("__"):
                continue  # dunders such as __version__ are public
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in aliases:
                found.append(f"{ast.unparse(node)}")
    return found


def _package_aliases(sources: list[str]) -> set[str]:
    """Names the package (or one of its modules) is bound to: ``mrs``, ``msrelax_stats``, ..."""
    aliases = set(PACKAGE_ALIASES)
    for source in sources:
        for node in ast.walk(ast.parse(_python(source))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in PACKAGE_ALIASES:
                        aliases.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module.split(".")[0] in PACKAGE_ALIASES:
                    aliases.update(a.asname or a.name for a in node.names)
    return aliases


def test_private_name_check_catches_private_imports():
    sources = [
        "import msrelax_stats as mrs\nfrom msrelax_stats.figures import _common\n",
        "from msrelax_stats.stats.compare import _wide\nmrs.stats.compare._registry()\n",
        "%matplotlib inline\nimport msrelax_stats.data._x\nx = mrs.__version__\n",
    ]
    aliases = _package_aliases(sources)
    found = [use for source in sources for use in _private_uses(source, aliases)]
    assert len(found) == 4, found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_only_public_api(path):
    nb = nbformat.read(path, as_version=4)
    sources = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    aliases = _package_aliases(sources)
    found = [use for source in sources for use in _private_uses(source, aliases)]
    assert found == []


def _load_builder():
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", NOTEBOOK_DIR / "build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_matches_its_source(path):
    builder = _load_builder()
    source = NOTEBOOK_DIR / "sources" / f"{path.stem}.py"
    assert path.read_text(encoding="utf-8") == builder.notebook_text(source), (
        "run: python notebooks/build_notebooks.py"
    )


def _files(*folders: Path) -> set[Path]:
    return {f for folder in folders for f in folder.rglob("*") if "__pycache__" not in f.parts}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    watched = (NOTEBOOK_DIR, ROOT / "data")
    before = _files(*watched)
    nb, seconds = execute(path, tmp_path)
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
    assert seconds < SECONDS_PER_NOTEBOOK, f"{path.name} took {seconds:.0f} s"
    # Whatever the notebook wrote went to a temporary folder, not next to it or the data.
    assert _files(*watched) - before == set()
