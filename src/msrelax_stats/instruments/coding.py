"""How an export coded the answers: choice texts, shifted codes, and the check that catches them.

Survey platforms do not always export an instrument's own codes. Qualtrics numbers choices
from 1, so a PSQI answer "Not during the past month" (0) arrives as 1 and every 0-3 item
reads one point too high; a file without a 4 passes every range check. Three rules:

* **Choice texts** (a labels export): an answer equal to the published wording of its item
  (the spec's ``choices``; case and spacing aside) is its code (:func:`recode_choices`).
* **Item coding** (``--item-coding psqi=1-4``, or ``item_coding = {psqi = "1-4"}`` in a
  column map): the codes the export used for the instrument's coded items (the spec's
  :meth:`~msrelax_stats.instruments.spec.InstrumentSpec.coded_items`), lowest to highest. The
  answers are range-checked against them and mapped onto the instrument's codes
  (``answer - 1`` for 1-4 onto 0-3) before scoring; the methods paragraph says so.
  ``psqi=0-3`` confirms the native coding.
* **The check** (:func:`coding_problems`): for an instrument whose lowest code is 0 and whose
  coding was not stated, a file in which none of at least :data:`MIN_ANSWERS` answers to its
  coded items is 0 is an input error naming the instrument, the answers seen and the fix; so
  is an SPSS/Stata file whose value labels of those items start above 0 (user-missing codes
  aside: they are not labels of answers).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from msrelax_stats.data.columns import normalise_name
from msrelax_stats.data.values import _distinct
from msrelax_stats.errors import Problem
from msrelax_stats.instruments.spec import InstrumentSpec

__all__ = [
    "MIN_ANSWERS",
    "coding_problems",
    "coding_text",
    "labels_problem",
    "recode_choices",
    "shift_of",
]

#: Answers needed before "no answer is 0" is taken as a sign of codes numbered from 1.
MIN_ANSWERS = 20


def recode_choices(cells: pd.Series, spec: InstrumentSpec, item: str) -> pd.Series:
    """``cells`` with the answers written as the item's published wording turned into codes.

    Examples
    --------
    >>> from msrelax_stats.instruments.psqi import PSQI
    >>> recode_choices(pd.Series(["Fairly good", " very bad", "2"]), PSQI, "6").tolist()
    [1.0, 3.0, '2']
    """
    wording = spec.choices.get(item)
    if not wording or pd.api.types.is_numeric_dtype(cells.dtype):
        return cells
    low = spec.item_range(item)[0] or 0
    code_of = {normalise_name(text): float(low + k) for k, text in enumerate(wording)}
    positions, distinct = _distinct(cells)  # each distinct answer looked up once, broadcast
    found = np.array([code_of.get(normalise_name(v), np.nan) if isinstance(v, str) else np.nan
                      for v in distinct], dtype="float64")  # fmt: skip
    if np.isnan(found).all():
        return cells
    codes = found[positions]
    return cells.astype(object).where(np.isnan(codes), codes)


def shift_of(spec: InstrumentSpec, coding: tuple[int, int] | None) -> tuple[int, int, float]:
    """(low, high, shift) of the coded items under ``coding``: the answers are checked
    against ``low..high`` and ``shift`` is subtracted (0 without a coding)."""
    if coding is None:
        return int(spec.item_min), int(spec.item_max), 0.0
    return coding[0], coding[1], float(coding[0] - spec.item_min)


def coding_text(spec: InstrumentSpec, coding: tuple[int, int]) -> str:
    """The methods clause of a stated coding, e.g. ``"PSQI items exported as 1-4 were recoded
    to 0-3"``, or ``""`` for the native coding."""
    if coding[0] == spec.item_min:
        return ""
    return (f"{spec.code} items exported as {coding[0]}-{coding[1]} were recoded to "
            f"{spec.item_min:g}-{spec.item_max:g} before scoring")  # fmt: skip


def coding_problems(
    spec: InstrumentSpec,
    table: pd.DataFrame,
    coding: tuple[int, int] | None,
    value_labels: Mapping[str, Mapping[float, str]],
) -> list[Problem]:
    """The item-coding problems of one instrument (module notes), after parsing.

    ``table`` holds the parsed answers (float64, before any shift); ``value_labels`` the
    labels of item columns (canonical name -> code -> label) of an SPSS/Stata file.
    """
    problems: list[Problem] = []
    items = [i for i in spec.coded_items() if spec.column(i) in table.columns]
    if not items:
        return problems
    if coding is not None:
        width, native = coding[1] - coding[0], spec.item_max - spec.item_min
        if width != native:
            problems.append(Problem(
                f"item coding {spec.name}={coding[0]}-{coding[1]} has {width + 1} codes; "
                f"{spec.code} items have {native + 1:g} ({spec.item_min:g}-{spec.item_max:g})"))  # fmt: skip
        return problems
    if spec.item_min != 0 or not spec.check_coding:
        return problems
    fix = (f"if the export numbered the choices from 1, pass --item-coding {spec.name}="
           f"1-{spec.item_max + 1:g} (or item_coding = {{{spec.name} = \"1-{spec.item_max + 1:g}\"}} "
           f"in a column map); --item-coding {spec.name}=0-{spec.item_max:g} confirms the coding")  # fmt: skip
    # column by column, without copies: one (rows x items) array of a registry costs the most
    columns = [table[spec.column(i)].to_numpy(dtype="float64") for i in items]
    size = sum(int(np.count_nonzero(~np.isnan(values))) for values in columns)
    low = min(np.fmin.reduce(values, initial=np.inf) for values in columns)  # NaN ignored
    if size >= MIN_ANSWERS and low > 0:
        high = max(np.fmax.reduce(values, initial=-np.inf) for values in columns)
        problems.append(Problem(
            f"{spec.name}: none of the {size} answers to its items "
            f"{_span(items)} is 0 (answers {low:g}-{high:g}), but "
            f"{spec.code} items are coded {spec.item_min:g}-{spec.item_max:g}; {fix}"))  # fmt: skip
    return problems


def labels_problem(
    spec: InstrumentSpec,
    columns: pd.Index,
    coding: tuple[int, int] | None,
    value_labels: Mapping[str, Mapping[float, str]],
) -> Problem | None:
    """The SPSS/Stata value labels of the coded items start above the lowest code (0), and
    no coding was stated: one problem for the instrument, before its answers are read (the
    answers would otherwise be "outside 0-3" cell by cell). Negative codes are user-missing
    codes, not answers."""
    if coding is not None or spec.item_min != 0 or not spec.check_coding:
        return None
    items = [i for i in spec.coded_items() if spec.column(i) in columns]
    labelled = sorted({code for i in items
                       for code in value_labels.get(spec.column(i), {}) if code >= 0})  # fmt: skip
    if not labelled or labelled[0] <= spec.item_min:
        return None
    high = spec.item_max - spec.item_min + labelled[0]
    return Problem(
        f"{spec.name}: the value labels of its items code the answers "
        f"{labelled[0]:g}-{labelled[-1]:g}, but {spec.code} items are coded "
        f"{spec.item_min:g}-{spec.item_max:g}; pass --item-coding {spec.name}="
        f"{labelled[0]:g}-{high:g} (or item_coding = {{{spec.name} = \"{labelled[0]:g}-{high:g}\"}} "
        "in a column map)")  # fmt: skip


def _span(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{items[0]}-{items[-1]}"
