"""The pandas I/O floors of the command-line rows 6 and 7 (``_cli_rows.py``).

``python _floor.py validate DATA``: import pandas, ``read_csv(DATA)``.
``python _floor.py score DATA TABLE.pkl OUT.csv``: import pandas, ``read_csv(DATA)``, load the
table ``score`` writes from the pickle (untimed: reported as ``excluded_seconds`` and
subtracted by the caller), ``to_csv(OUT, index=False)`` with pandas' defaults otherwise.
``python _floor.py prepare DATA TABLE.pkl``: make that table with msrelax_stats
(``spreadsheet_safe(score(read_study(DATA)))``, exactly what ``score --out x.csv`` writes).

The last line of stdout is JSON: ``excluded_seconds`` and ``own_peak_rss`` (``VmHWM``).
"""

from __future__ import annotations

import json
import sys
import time

from _memory import status_bytes


def main() -> None:
    mode, data, *rest = sys.argv[1:]
    excluded = 0.0
    import pandas as pd

    if mode == "prepare":
        from msrelax_stats import read_study, score
        from msrelax_stats.data.safe import spreadsheet_safe

        spreadsheet_safe(score(read_study(data))).to_pickle(rest[0])
    else:
        pd.read_csv(data)
        if mode == "score":
            start = time.perf_counter()
            table = pd.read_pickle(rest[0])
            excluded = time.perf_counter() - start
            table.to_csv(rest[1], index=False)
    print(json.dumps({"excluded_seconds": excluded, "own_peak_rss": status_bytes("VmHWM")}))


if __name__ == "__main__":
    main()
