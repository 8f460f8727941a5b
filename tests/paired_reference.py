"""The paired reference datasets and the values R computed for them
(tests/reference/paired_reference.R), shared by the tests of the paired statistics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REF = Path(__file__).parent / "reference"
DATA = pd.read_csv(REF / "paired_data.csv", dtype={"id": str})
EXPECTED = pd.read_csv(REF / "paired_reference.csv")
RTOL = 1e-6
ROWS = [pytest.param(r, id=f"{r.dataset}-{r.ci_level}") for r in EXPECTED.itertuples()]


def pairs(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(pre, post) of one dataset: integer raw scores over their divisor, as R read them."""
    g = DATA[DATA["dataset"] == name]
    div = g["divisor"].to_numpy()
    return g["pre_raw"].to_numpy() / div, g["post_raw"].to_numpy() / div
