"""FSMC (instruments/fsmc.py), hand-worked from INSTRUMENTS.md (Penner 2009)."""

import numpy as np
import pandas as pd
import pytest

from msrelax_stats.instruments import score

COGNITIVE = [1, 4, 7, 8, 11, 13, 15, 17, 18, 20]
MOTOR = [2, 3, 5, 6, 9, 10, 12, 14, 16, 19]


def subscale(items, total):
    """Answers 1-5 on ``items`` summing to ``total`` (10-50)."""
    extra = total - len(items)
    return {f"fsmc_{i}": 1 + min(4, max(0, extra - 4 * k)) for k, i in enumerate(items)}


def fsmc(cognitive, motor):
    return {**subscale(COGNITIVE, cognitive), **subscale(MOTOR, motor)}


def test_minimum_maximum_and_mixed():
    out = score(pd.DataFrame([fsmc(10, 10), fsmc(50, 50), fsmc(30, 21)]))
    assert out["fsmc_total"].tolist() == [20, 100, 51]
    assert out["fsmc_cognitive"].tolist() == [10, 50, 30]
    assert out["fsmc_motor"].tolist() == [10, 50, 21]
    assert out["fsmc_total_grade"].tolist() == ["none", "severe", "mild"]
    assert out["fsmc_cognitive_grade"].tolist() == ["none", "severe", "moderate"]
    assert out["fsmc_motor_grade"].tolist() == ["none", "severe", "none"]


def test_subscales_take_exactly_their_items():
    # Cognitive items 5, motor items 1: cognitive 50, motor 10.
    row = {**{f"fsmc_{i}": 5 for i in COGNITIVE}, **{f"fsmc_{i}": 1 for i in MOTOR}}
    out = score(pd.DataFrame([row]))
    assert (out.loc[0, "fsmc_cognitive"], out.loc[0, "fsmc_motor"]) == (50, 10)


@pytest.mark.parametrize(
    ("total", "grade"),
    [(42, "none"), (43, "mild"), (52, "mild"), (53, "moderate"), (62, "moderate"),
     (63, "severe")],
)  # fmt: skip
def test_total_grade_edges(total, grade):
    out = score(pd.DataFrame([fsmc(total // 2, total - total // 2)]))
    assert out.loc[0, "fsmc_total"] == total
    assert out.loc[0, "fsmc_total_grade"] == grade


@pytest.mark.parametrize(
    ("value", "cognitive", "motor"),
    [(21, "none", "none"), (22, "mild", "mild"), (27, "mild", "moderate"),
     (28, "moderate", "moderate"), (31, "moderate", "moderate"), (32, "moderate", "severe"),
     (33, "moderate", "severe"), (34, "severe", "severe")],
)  # fmt: skip
def test_subscale_grade_edges(value, cognitive, motor):
    out = score(pd.DataFrame([fsmc(value, value)]))
    assert out.loc[0, "fsmc_cognitive_grade"] == cognitive
    assert out.loc[0, "fsmc_motor_grade"] == motor


def test_missing_item_is_strict():
    row = {**fsmc(30, 30), "fsmc_2": None}
    out = score(pd.DataFrame([row]))
    assert np.isnan(out.loc[0, "fsmc_motor"]) and np.isnan(out.loc[0, "fsmc_total"])
    assert out.loc[0, "fsmc_cognitive"] == 30
