"""One benchmark case in a fresh process of the system Python: ``python _worker.py CASE JSON``.

Imports and input preparation happen before the timed region; the case runs once untimed on a
small input (warm-up: lazy imports, caches), then ``repeats`` times timed with
``time.perf_counter``; then once more under :mod:`tracemalloc` for the peak of the memory the
call allocates (numpy and pandas buffers included). Before the timed runs, one run measures
the resident set during the call (:func:`_memory.call_rss`). The last line of stdout is a JSON
object: ``seconds`` (list), ``tracemalloc_peak`` (bytes), ``call_rss`` (``before``, ``peak``,
``added`` bytes), ``maxrss`` (this process's own peak resident set, ``VmHWM``), ``note`` and,
on failure, ``error``.
"""

from __future__ import annotations

import json
import math
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _ours  # noqa: E402
from _memory import call_rss, status_bytes  # noqa: E402

N_PATIENTS = 32


# ----------------------------------------------------------------------------- inputs
def _frame(path: str, columns: list[str] | None = None):
    import pandas as pd

    arrays = np.load(path)
    n = len(arrays["psqi_1"])
    names = [k for k in arrays.files if k not in ("bed_minutes", "wake_minutes")]
    if columns is not None:
        names = [k for k in names if k in columns]
    frame = {
        "id": pd.Series(np.arange(n) // 2).astype(str).astype(object),
        "time": pd.Categorical.from_codes(np.arange(n) % 2, ["pre", "post"], ordered=True),
    }
    for name in names:
        values = arrays[name]
        frame[name] = values.astype(object) if values.dtype.kind == "U" else values
    df = pd.DataFrame(frame)
    for text in ("psqi_1", "psqi_3", "psqi_5j_text"):
        if text in df:
            df[text] = df[text].where(df[text] != "", np.nan)
    return df


def _paired_samples(n_trials: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(n_trials, 32) pre and post; correlation 0.6, true d_z about 0.5 (same model both sides)."""
    rng = np.random.default_rng(seed)
    pre = rng.normal(0.0, 1.0, (n_trials, N_PATIENTS))
    post = 0.6 * pre + 0.8 * rng.normal(0.0, 1.0, (n_trials, N_PATIENTS)) - 0.45
    return pre, post


# ----------------------------------------------------------------------------- cases
def case_score(params: dict[str, Any]) -> tuple[Callable[[Any], Any], Any, Any, str]:
    columns = params.get("columns")
    big = _frame(params["path"], columns)
    small = big.iloc[:1000].copy()
    run, note = _ours.scorer(big)
    size = big.memory_usage(deep=True).sum() / 2**20
    return run, big, small, f"{note}; input frame {size:.0f} MiB ({len(big):,} rows)"


def case_power_ours(params: dict[str, Any]):
    run, note = _ours.power(N_PATIENTS)
    return run, params["trials"], 200, note


def case_power_scipy(params: dict[str, Any]):
    from scipy import stats

    if params.get("wilcoxon_only"):

        def run_wilcoxon(n_trials: int) -> float:
            pre, post = _paired_samples(n_trials, 1)
            return (stats.wilcoxon(post, pre, axis=1).pvalue < 0.05).mean()

        return (
            run_wilcoxon,
            params["trials"],
            200,
            "wilcoxon(axis=1) only, data generation included",
        )

    def run(n_trials: int) -> tuple[float, float, float]:
        pre, post = _paired_samples(n_trials, 1)
        t = stats.ttest_rel(post, pre, axis=1)
        w = stats.wilcoxon(post, pre, axis=1)
        diff = post - pre
        d_z = diff.mean(axis=1) / diff.std(axis=1, ddof=1)
        return (t.pvalue < 0.05).mean(), (w.pvalue < 0.05).mean(), d_z.mean()

    note = "ttest_rel(axis=1) + wilcoxon(axis=1) + numpy d_z, data generation included"
    return run, params["trials"], 200, note


def case_power_pingouin(params: dict[str, Any]):
    import pingouin as pg

    def run(n_trials: int) -> tuple[float, float, float]:
        pre, post = _paired_samples(n_trials, 1)
        hits_t = hits_w = 0
        d_z = np.empty(n_trials)
        for i in range(n_trials):  # the per-trial loop being benchmarked
            hits_t += pg.ttest(post[i], pre[i], paired=True)["p_val"].iloc[0] < 0.05
            hits_w += pg.wilcoxon(post[i], pre[i])["p_val"].iloc[0] < 0.05
            diff = post[i] - pre[i]
            d_z[i] = diff.mean() / diff.std(ddof=1)
        return hits_t / n_trials, hits_w / n_trials, d_z.mean()

    return run, params["trials"], 5, "loop over pingouin.ttest(paired=True) + pingouin.wilcoxon"


def _g_av(pre: np.ndarray, post: np.ndarray, axis: int = -1) -> np.ndarray:
    """g_av = J(n-1) (mean(post - pre)) / sqrt((sd_pre^2 + sd_post^2) / 2), exact gamma J."""
    from scipy.special import gammaln

    n = pre.shape[axis]
    df = n - 1
    j = math.exp(gammaln(df / 2) - gammaln((df - 1) / 2)) / math.sqrt(df / 2)
    diff = np.mean(post - pre, axis=axis)
    sd_av = np.sqrt((np.var(pre, axis=axis, ddof=1) + np.var(post, axis=axis, ddof=1)) / 2)
    return j * diff / sd_av


def case_boot_scipy(params: dict[str, Any]):
    from scipy import stats

    pre, post = _paired_samples(1, 7)
    pre, post = pre[0], post[0]

    def run(n_resamples: int):
        res = stats.bootstrap(
            (pre, post),
            _g_av,
            paired=True,
            vectorized=True,
            method="BCa",
            n_resamples=n_resamples,
            confidence_level=0.95,
            rng=np.random.default_rng(1),
        )
        return float(res.confidence_interval.low), float(res.confidence_interval.high)

    note = "scipy.stats.bootstrap((pre, post), g_av, paired=True, vectorized=True, method='BCa')"
    return run, params["resamples"], 200, note


def case_boot_ours(params: dict[str, Any]):
    pre, post = _paired_samples(1, 7)
    run, note = _ours.bootstrap(pre[0], post[0])
    return run, params["resamples"], 200, note


CASES = {
    "score": case_score,
    "power_ours": case_power_ours,
    "power_scipy": case_power_scipy,
    "power_pingouin": case_power_pingouin,
    "boot_ours": case_boot_ours,
    "boot_scipy": case_boot_scipy,
}


def measure(
    run: Callable[[Any], Any], big: Any, small: Any, repeats: int, trace: bool = True
) -> dict[str, Any]:
    run(small)  # warm-up, untimed
    rss = call_rss(run, big) if trace else None  # first, before the timed runs' leftovers
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run(big)
        seconds.append(time.perf_counter() - start)
        last = result
        del result
    shown = _interval(last)
    if not trace:
        return {"seconds": seconds, "tracemalloc_peak": None, "interval": shown, "call_rss": rss}
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = run(big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return {"seconds": seconds, "tracemalloc_peak": peak, "interval": shown, "call_rss": rss}


def _interval(result: Any) -> list[float] | None:
    """(low, high) of a bootstrap result, ours (an object with ci_low/ci_high) or scipy's."""
    if isinstance(result, tuple) and len(result) == 2 and hasattr(result[1], "ci_low"):
        result = result[1]
    if hasattr(result, "ci_low"):
        return [float(result.ci_low), float(result.ci_high)]
    if isinstance(result, tuple) and len(result) == 2 and all(isinstance(v, float) for v in result):
        return list(result)
    return None


def main() -> None:
    case, params = sys.argv[1], json.loads(sys.argv[2])
    out: dict[str, Any] = {}
    try:
        run, big, small, note = CASES[case](params)
        repeats = int(params.get("repeats", 3))
        out = measure(run, big, small, repeats, bool(params.get("trace", True)))
        out["note"] = note
    except _ours.NotAvailable as missing:
        out = {"error": str(missing)}
    except Exception as exc:  # report any failure of the measured code as a table cell
        traceback.print_exc(file=sys.stderr)
        out = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    out["maxrss"] = status_bytes("VmHWM")  # own peak (ru_maxrss includes the parent's)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
