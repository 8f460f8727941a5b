"""The versions of Python and of the packages that produce the numbers (``results.json``, the
report's methods paragraph); imports nothing heavy."""

from __future__ import annotations

import platform
from importlib import metadata

__all__ = ["package_versions"]

_VERSIONED = ("msrelax-stats", "pandas", "numpy", "scipy", "statsmodels", "matplotlib")


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages that produced the numbers."""
    versions = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            if name == "msrelax-stats":  # running from a source tree (PYTHONPATH=src)
                from msrelax_stats import __version__

                versions[name] = f"{__version__} (source tree)"
            else:
                versions[name] = "not installed"
    return versions
