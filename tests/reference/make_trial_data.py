"""Generate the synthetic trial dataset behind tests/reference/trial_reference.R (run once).

Run from the repository root::

    python tests/reference/make_trial_data.py

It writes ``trial_data.csv``: a scored long table of a two-arm (``control``, ``relaxation``),
three-visit (``baseline``, ``week6``, ``week12``) trial of 30 participants (16 relaxation, 14
control) with baseline covariates ``age`` (years), ``sex`` (``F``/``M``) and ``edss`` (0-6.5 in
steps of 0.5), repeated on every visit row as a wide file read into the long layout would be,
and the scores ``fss_mean`` (two decimals) and ``psqi_global`` (whole numbers). Every value
is synthetic; none is study data. Built in so the tests can check how each one is handled:

- ``t05`` (control) has no ``week12`` visit; ``t22`` (relaxation) has no ``week6`` visit;
- ``t09`` (relaxation) has ``edss`` blank at the baseline visit (but filled at the later visits): with
  covariates, it leaves every covariate-adjusted model ("edss missing at baseline");
- ``t17`` (control) has ``psqi_global`` missing at ``week6`` (an unscored PSQI);
- ``t26`` (control) has ``age`` missing at every visit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
VISITS = ("baseline", "week6", "week12")


def make() -> pd.DataFrame:
    rng = np.random.default_rng(20170613)
    n_relax, n_control = 16, 14
    n = n_relax + n_control
    ids = [f"t{i + 1:02d}" for i in range(n)]
    group = np.where(rng.permutation(n) < n_relax, "relaxation", "control")
    age = rng.integers(24, 66, n).astype(float)
    sex = np.where(rng.random(n) < 0.7, "F", "M")
    edss = np.clip(np.round(rng.gamma(3.0, 0.9, n) * 2) / 2, 0, 6.5)
    trait = rng.normal(0, 1, n)
    relax = group == "relaxation"
    progress = np.array([0.0, 1.0, 0.8])
    rows = []
    for v, visit in enumerate(VISITS):
        fss = 5.2 + 0.6 * trait + 0.12 * (edss - 2.5) + 0.01 * (age - 45) + rng.normal(0, 0.45, n)
        fss -= progress[v] * np.where(relax, 1.0, 0.15)
        psqi = 9 + 2.0 * trait + 0.5 * (sex == "F") + rng.normal(0, 1.6, n)
        psqi -= progress[v] * np.where(relax, 3.0, 0.5)
        rows.append(
            pd.DataFrame(
                {
                    "id": ids,
                    "time": visit,
                    "group": group,
                    "age": age,
                    "sex": sex,
                    "edss": edss,
                    "fss_mean": np.round(np.clip(fss, 1, 7), 2),
                    "psqi_global": np.clip(np.round(psqi), 0, 21),
                }
            )
        )
    data = pd.concat(rows, ignore_index=True)
    data["time"] = pd.Categorical(data["time"], VISITS, ordered=True)
    data = data.sort_values(["id", "time"], kind="stable").reset_index(drop=True)
    drop = ((data.id == "t05") & (data.time == "week12")) | (
        (data.id == "t22") & (data.time == "week6")
    )
    data = data[~drop].reset_index(drop=True)
    data.loc[(data.id == "t09") & (data.time == "baseline"), "edss"] = np.nan
    data.loc[(data.id == "t17") & (data.time == "week6"), "psqi_global"] = np.nan
    data.loc[data.id == "t26", "age"] = np.nan
    return data


def main() -> None:
    data = make()
    data.to_csv(HERE / "trial_data.csv", index=False, float_format="%.10g")
    print(f"wrote {len(data)} rows")


if __name__ == "__main__":
    main()
