"""Find the msrelax_stats functions each benchmark row times, or say why a row cannot run.

The package is built by several people at once; every lookup raises :class:`NotAvailable` with
a reason (the table then shows ``not available: <reason>``) instead of crashing the suite.
Each function returns ``(run, note)``: ``run(size)`` does the timed work, ``note`` says what
exactly is timed.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np


class NotAvailable(Exception):
    """The code a benchmark row needs does not exist (yet) or does not do what is measured."""


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise NotAvailable(f"{name} cannot be imported ({exc})") from exc


def _function(module: Any, *names: str) -> tuple[str, Callable[..., Any]]:
    for name in names:
        if callable(getattr(module, name, None)):
            return name, getattr(module, name)
    raise NotAvailable(f"{module.__name__} has none of {', '.join(names)}")


# ----------------------------------------------------------------------------- scoring
def scorer(frame: Any) -> tuple[Callable[[Any], Any], str]:
    """``score`` on rows with raw clock strings, or ``read_study`` + ``score`` when needed.

    The canonical long table holds clock times as ``"HH:MM"``; the mixed accepted forms
    (``11pm``, ``2330``, ...) are parsed at the boundary. If ``score`` accepts the raw forms,
    only ``score`` is timed; otherwise the timed call is ``score(read_study(frame))``, the
    public path from such rows to scores (parsing, range checks and scoring).
    """
    package = _module("msrelax_stats")
    try:
        score = package.score
    except (AttributeError, ImportError) as exc:
        raise NotAvailable(f"msrelax_stats.score is missing ({exc})") from exc
    probe = frame.iloc[:12].copy()
    try:
        score(probe)
    except Exception as direct:  # noqa: BLE001 - any failure means: needs read_study first
        try:
            read_study = package.read_study
            score(read_study(probe))
        except Exception as exc:  # noqa: BLE001
            raise NotAvailable(
                f"score fails on the benchmark rows: {type(direct).__name__}: {direct}; "
                f"read_study + score: {type(exc).__name__}: {exc}"[:300]
            ) from exc

        def run(df: Any) -> Any:
            return score(read_study(df))

        return run, "score(read_study(df)): parsing + validation + scoring"
    return score, "score(df)"


# ----------------------------------------------------------------------------- power
def power(n_patients: int) -> tuple[Callable[[int], Any], str]:
    """The vectorised power simulation of ``msrelax_stats.stats.power``."""
    module = _module("msrelax_stats.stats.power")
    name, function = _function(
        module, "simulate_paired_trials", "paired_power_sim", "power_sim", "wilcoxon_power_sim"
    )
    parameters = inspect.signature(function).parameters
    kwargs: dict[str, Any] = {}
    for key in ("n", "n_pairs", "n_patients", "n_participants"):
        if key in parameters:
            kwargs[key] = n_patients
    for key in ("d_z", "effect", "effect_size", "dz"):
        if key in parameters:
            kwargs[key] = 0.5
    for key in ("seed",):
        if key in parameters:
            kwargs[key] = 1
    for key in ("progress",):
        if key in parameters:
            kwargs[key] = False
    trials_key = next(
        (k for k in ("n_sim", "n_sims", "n_trials", "n_simulations", "n_iter") if k in parameters),
        None,
    )
    if trials_key is None:
        raise NotAvailable(f"{module.__name__}.{name}{inspect.signature(function)}: no n_sim")

    def run(n_trials: int) -> Any:
        return function(**kwargs, **{trials_key: n_trials})

    call = f"{module.__name__}.{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())})"
    if name == "wilcoxon_power_sim":
        call += (
            " - Wilcoxon only: msrelax_stats.stats.power has no simulation doing paired t, "
            "Wilcoxon and d_z per trial (paired-t power is analytic there)"
        )
    return run, call


# ----------------------------------------------------------------------------- bootstrap
def bootstrap(pre: np.ndarray, post: np.ndarray) -> tuple[Callable[[int], Any], str]:
    """The BCa bootstrap CI of g_av of the effect-size module."""
    for candidate in ("msrelax_stats.stats.effect_sizes", "msrelax_stats.stats.effects",
                      "msrelax_stats.stats.effect_size", "msrelax_stats.stats.effectsize"):  # fmt: skip
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        break
    else:
        raise NotAvailable("no effect-size module in msrelax_stats.stats yet")
    name, function = _function(module, "g_av_bootstrap_ci", "bootstrap_g_av", "g_av_ci", "g_av")
    parameters = inspect.signature(function).parameters
    boot_key = next((k for k in ("n_boot", "n_resamples") if k in parameters), None)
    if boot_key is None:
        raise NotAvailable(f"{module.__name__}.{name}: no n_boot parameter")
    extra = {"seed": 1} if "seed" in parameters else {}

    def run(n_boot: int) -> Any:
        return function(pre, post, **extra, **{boot_key: n_boot})

    return run, f"{module.__name__}.{name}(pre, post, {boot_key}=N)"
