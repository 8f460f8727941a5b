"""A progress bar for long simulations and bootstraps, silent when stderr is not a terminal."""

from __future__ import annotations

from typing import Any

__all__ = ["progress_bar"]

#: Seconds a loop must run before its bar appears (short runs never show one).
DELAY_SECONDS = 2.0


class _NoBar:
    """Stand-in with tqdm's ``update``/``close`` that does nothing."""

    def update(self, n: int = 1) -> None:
        """Do nothing."""

    def close(self) -> None:
        """Do nothing."""


def progress_bar(total: int, description: str, unit: str, enabled: bool = True) -> Any:
    """A ``tqdm`` bar on stderr, or a no-op object when ``enabled`` is false.

    The bar appears only after :data:`DELAY_SECONDS` and only when stderr is a terminal
    (``disable=None``); it never touches the results, so output is the same with or without it.
    ``tqdm`` is imported here, on first use, to keep start-up light.
    """
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, disable=None, delay=DELAY_SECONDS,
                leave=False, dynamic_ncols=True)  # fmt: skip
