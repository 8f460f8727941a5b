"""Generate the synthetic studies behind the missing-data references (run once, committed).

Run from the repository root::

    python tests/reference/make_missing_data.py

It writes

- ``missing_onegroup.csv``: one group, n = 30, visits baseline/week6/week12, FSS-like
  ``fss_mean`` and PSQI-like ``psqi_global``: four participants without the week12 visit, one
  without week6, one whose baseline PSQI is unscored, one with no scored FSS at all;
- ``missing_arms.csv``: two arms (relaxation / control, 16 + 16), visits pre/post, covariates
  ``age`` (numeric) and ``sex`` (text): five post visits missing, one post PSQI unscored, one
  baseline FSS unscored, one participant without ``age``;
- ``missing_imputations_onegroup.csv`` and ``missing_imputations_arms.csv``: the long
  imputations of ``msrelax_stats.stats.missing.analyze_missing`` (m = 20, seed 1) on them, the
  files ``missing_reference.R`` re-pools with ``mice``.

Every value is synthetic; none is study data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from msrelax_stats.stats.missing import MissingDataOptions, analyze_missing

HERE = Path(__file__).parent
OPTIONS = MissingDataOptions(m=20, seed=1, analyses=("mi",))
ONEGROUP_VISITS = ["baseline", "week6", "week12"]
ARMS_COVARIATES = ["age", "sex"]


def onegroup() -> pd.DataFrame:
    rng = np.random.default_rng(2018)
    n = 30
    person = rng.normal(0, 0.8, n)
    fss = np.column_stack(
        [5.2 + person + rng.normal(0, 0.5, n) - shift for shift in (0.0, 0.7, 0.8)]
    )
    fss = np.clip(np.round(fss * 9) / 9, 1, 7)  # means of 9 items
    psqi = np.column_stack(
        [9 + 2 * person + rng.normal(0, 1.5, n) - shift for shift in (0.0, 2.5, 3.0)]
    )
    psqi = np.clip(np.round(psqi), 0, 21)
    rows = []
    for i in range(n):
        for j, visit in enumerate(ONEGROUP_VISITS):
            rows.append(
                {
                    "id": f"G{i + 1:02d}",
                    "time": visit,
                    "fss_mean": fss[i, j],
                    "psqi_global": psqi[i, j],
                }
            )
    df = pd.DataFrame(rows)
    drop = {("G03", "week12"), ("G08", "week12"), ("G14", "week12"), ("G21", "week12"),
            ("G11", "week6")}  # fmt: skip
    df = df[[(i, t) not in drop for i, t in zip(df["id"], df["time"], strict=True)]]
    df.loc[(df["id"] == "G17") & (df["time"] == "baseline"), "psqi_global"] = np.nan
    df.loc[df["id"] == "G26", "fss_mean"] = np.nan  # no scored FSS at any visit
    return df.reset_index(drop=True)


def arms() -> pd.DataFrame:
    rng = np.random.default_rng(1999)
    n = 32
    group = np.array(["relaxation"] * 16 + ["control"] * 16)
    treated = group == "relaxation"
    age = np.round(rng.normal(38, 9, n))
    sex = rng.choice(["F", "M"], n, p=[0.7, 0.3])
    fss_pre = np.clip(np.round(rng.normal(5.3, 0.9, n) * 9) / 9, 1, 7)
    fss_post = np.clip(
        np.round((fss_pre - 0.8 * treated - 0.1 + 0.01 * (age - 38) + rng.normal(0, 0.6, n)) * 9)
        / 9,
        1,
        7,
    )
    psqi_pre = np.clip(np.round(rng.normal(9.5, 3, n)), 0, 21)
    psqi_post = np.clip(np.round(psqi_pre - 3 * treated - 0.5 + rng.normal(0, 2, n)), 0, 21)
    rows = []
    for i in range(n):
        base = {"id": f"A{i + 1:02d}", "group": group[i], "age": age[i], "sex": sex[i]}
        rows.append({**base, "time": "pre", "fss_mean": fss_pre[i], "psqi_global": psqi_pre[i]})
        rows.append({**base, "time": "post", "fss_mean": fss_post[i], "psqi_global": psqi_post[i]})
    df = pd.DataFrame(rows)
    gone = {"A02", "A07", "A12", "A20", "A29"}
    df = df[~((df["time"] == "post") & df["id"].isin(gone))]
    df.loc[(df["id"] == "A05") & (df["time"] == "post"), "psqi_global"] = np.nan
    df.loc[(df["id"] == "A24") & (df["time"] == "pre"), "fss_mean"] = np.nan
    df.loc[df["id"] == "A31", "age"] = np.nan
    return df.reset_index(drop=True)


def read(name: str, visits: list[str]) -> pd.DataFrame:
    """A committed study as the tests read it (text ids, ordered visits)."""
    df = pd.read_csv(HERE / name, dtype={"id": str})
    df["time"] = pd.Categorical(df["time"], visits, ordered=True)
    return df


def main() -> None:
    onegroup().to_csv(HERE / "missing_onegroup.csv", index=False)
    arms().to_csv(HERE / "missing_arms.csv", index=False)
    one = analyze_missing(
        read("missing_onegroup.csv", ONEGROUP_VISITS),
        ["fss_mean", "psqi_global"],
        ONEGROUP_VISITS,
        options=OPTIONS,
    )
    one.imputations.to_csv(HERE / "missing_imputations_onegroup.csv", index=False, na_rep="NA")
    two = analyze_missing(
        read("missing_arms.csv", ["pre", "post"]),
        ["fss_mean", "psqi_global"],
        ["pre", "post"],
        covariates=ARMS_COVARIATES,
        options=OPTIONS,
    )
    two.imputations.to_csv(HERE / "missing_imputations_arms.csv", index=False, na_rep="NA")


if __name__ == "__main__":
    main()
