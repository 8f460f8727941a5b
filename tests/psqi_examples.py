"""The worked PSQI examples of INSTRUMENTS.md (one respondent each), shared by the PSQI
scoring tests and the independent PSQI check of the sample study."""

from __future__ import annotations

DISTURBANCES = [f"psqi_5{c}" for c in "bcdefghi"]


def _answers(q1, q2, q3, q4, q5a, disturbances, q5j, q6, q7, q8, q9, **extra):
    return {"psqi_1": q1, "psqi_2": q2, "psqi_3": q3, "psqi_4": q4, "psqi_5a": q5a,
            **dict(zip(DISTURBANCES, disturbances, strict=True)), "psqi_5j": q5j,
            "psqi_6": q6, "psqi_7": q7, "psqi_8": q8, "psqi_9": q9, **extra}  # fmt: skip


# Worked example 1: a good sleeper with a 6-hour night (global 5).
EXAMPLE_1 = _answers("23:30", 20, "06:30", 6, 1, [2, 1, 0, 0, 1, 0, 0, 0], 0, 1, 0, 0, 1)
# Worked example 2: 6.5 h in bed, 7.5 h asleep, efficiency over 100 % (global 8).
EXAMPLE_2 = _answers("00:30", 45, "07:00", 7.5, 2, [3, 2, 0, 1, 0, 1, 0, 2], 0, 2, 1, 1, 2)
# Worked example 3: exactly 85 % efficiency; Q5j = 2 with a blank description (global 4).
EXAMPLE_3 = _answers("22:30", 15, "06:30", 6.8, 0, [3, 1, 1, 0, 1, 1, 0, 1], 2, 1, 0, 1, 1,
                     psqi_5j_text="   ")  # fmt: skip
