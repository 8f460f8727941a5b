"""PSFS (instruments/psfs.py): ranges and the severity-only-with-spasms rule (Penn 1989)."""

import pandas as pd
import pytest

from msrelax_stats.errors import StudyDataError
from msrelax_stats.instruments import outcome_columns, score


def test_frequency_and_severity_kept_and_counted():
    frame = pd.DataFrame({"psfs_frequency": [0, 4, 2], "psfs_severity": [None, 3, 1]})
    out = score(frame)
    assert out["psfs_frequency"].tolist() == [0, 4, 2]
    assert out["psfs_n_answered"].tolist() == [1, 2, 2]
    # Severity is not asked with frequency 0: not a missing answer.
    assert out["psfs_flags"].tolist() == ["", "", ""]
    missing = score(pd.DataFrame({"psfs_frequency": [3], "psfs_severity": [None]}))
    assert missing.loc[0, "psfs_flags"] == "missing:psfs_severity"
    assert outcome_columns(out.columns) == ["psfs_frequency"]


@pytest.mark.parametrize(
    ("frequency", "severity", "message"),
    [
        (0, 1, "is given although psfs_frequency is 0"),
        (5, None, "is outside 0-4"),
        (2, 0, "is outside 1-3"),
        (2, 4, "is outside 1-3"),
    ],
)
def test_input_errors(frequency, severity, message):
    frame = pd.DataFrame(
        {"id": ["p1"], "time": ["pre"], "psfs_frequency": [frequency], "psfs_severity": [severity]}
    )
    with pytest.raises(StudyDataError, match=message) as caught:
        score(frame)
    assert caught.value.problems[0].participant == "p1"
