"""0-10 NRS ratings (instruments/nrs.py): each nrs_<name> is its own outcome."""

import pandas as pd
import pytest

from msrelax_stats.errors import StudyDataError
from msrelax_stats.instruments import outcome_columns, outcome_info, score


def test_every_nrs_column_is_an_outcome_with_a_percent_mcid():
    frame = pd.DataFrame({"nrs_spasticity": [0, 10, 6.0], "nrs_pain": ["3", None, 10]})
    out = score(frame)
    assert out["nrs_pain"].tolist()[0] == 3
    assert out["nrs_n_answered"].tolist() == [2, 1, 2]
    assert outcome_columns(out.columns) == ["nrs_spasticity", "nrs_pain"]
    info = outcome_info("nrs_pain")
    assert (info.mcid, info.mcid_kind, info.better) == (30.0, "percent", "lower")
    assert info.unit == "points, 0-10"


@pytest.mark.parametrize("value", [-1, 11, 6.5])
def test_out_of_range_or_fractional(value):
    with pytest.raises(StudyDataError, match="nrs_pain"):
        score(pd.DataFrame({"nrs_pain": [value]}))
