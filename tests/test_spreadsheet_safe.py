"""Tests of msrelax_stats.data.safe.spreadsheet_safe on whole tables.

The rule (OWASP "CSV Injection"): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return that does not read as a number gets an apostrophe in front. Checked here:
the rule reaches every such cell however often a value repeats, and nothing else changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from msrelax_stats.data.safe import inert_cell, spreadsheet_safe


def test_every_repeat_of_a_formula_is_made_inert_and_nothing_else_changes():
    ids = np.array(["P1", "=HYPERLINK(1)", "-7", "@x", None, "\tt"], dtype=object)[
        np.arange(600) % 6
    ]
    frame = pd.DataFrame(
        {
            "id": ids,
            "score": np.linspace(-3, 3, 600),
            "flag": pd.array([True, False, None] * 200, dtype="boolean"),
            "time": pd.Categorical(["pre", "post"] * 300, ["pre", "post"], ordered=True),
            "text": pd.Series(["-2,5", "+x"] * 300, dtype="str"),
        }
    )
    safe = spreadsheet_safe(frame)
    expected = [inert_cell(v) for v in ids]  # the one-cell rule, cell by cell
    assert [None if pd.isna(v) else v for v in safe["id"]] == expected
    assert safe["text"].tolist() == ["-2,5", "'+x"] * 300  # "-2,5" reads as a number
    pd.testing.assert_series_equal(safe["score"], frame["score"])
    pd.testing.assert_series_equal(safe["flag"], frame["flag"])
    pd.testing.assert_series_equal(safe["time"], frame["time"])  # no category runs a formula
    assert frame["id"].tolist()[1] == "=HYPERLINK(1)"  # the input is not changed


def test_a_category_that_starts_a_formula_is_made_inert():
    frame = pd.DataFrame({"group": pd.Categorical(["=cmd", "control", "=cmd"])})
    assert spreadsheet_safe(frame)["group"].tolist() == ["'=cmd", "control", "'=cmd"]


def test_column_names_are_made_inert():
    frame = pd.DataFrame({"@sum": [1], "-2": [2], "fss_mean": [3.0]})
    assert list(spreadsheet_safe(frame).columns) == ["'@sum", "-2", "fss_mean"]
