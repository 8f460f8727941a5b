"""Questionnaire scoring: declarative instrument specs, one vectorised engine, PSQI arithmetic.

Public entry points: :func:`score` (re-exported as ``msrelax_stats.score``),
:func:`prepare_items` (parse and range-check answers), :func:`load_instrument` (a custom
instrument from a dict or TOML file), :func:`instrument_spec` (citation, scoring-rule sentence
and licence note of an instrument for the methods paragraph) and the :mod:`.registry`
functions ``outcome_columns``, ``outcome_info`` and ``caseness_columns``.
"""

from msrelax_stats.instruments import registry
from msrelax_stats.instruments.prepare import prepare_items
from msrelax_stats.instruments.registry import (
    OutcomeInfo,
    caseness_columns,
    instrument_spec,
    outcome_columns,
    outcome_info,
)
from msrelax_stats.instruments.scoring import score
from msrelax_stats.instruments.spec import Bands, Cutoff, InstrumentSpec, Score, load_instrument

__all__ = [
    "Bands",
    "Cutoff",
    "InstrumentSpec",
    "OutcomeInfo",
    "Score",
    "caseness_columns",
    "instrument_spec",
    "load_instrument",
    "outcome_columns",
    "outcome_info",
    "prepare_items",
    "registry",
    "score",
]
