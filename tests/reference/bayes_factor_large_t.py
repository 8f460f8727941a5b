"""A second, independent reference for the large-t Bayes factors: Rouder et al. (2009) eq. 1
integrated with mpmath at 40 significant digits (issue 13).

BayesFactor's quadrature over delta (``bayes_factor_large_t.R``) loses accuracy at large
noncentrality (its ``properror`` column says so for some points, and it stops with an error at
n = 2, t = 10000); this script integrates the g-form of the same Bayes factor with
arbitrary-precision arithmetic, so the tests can tell a numerical error of ours from one of
R's. It does not use msrelax_stats.

Run from the repository root with a Python that has mpmath (not a test dependency):
    python tests/reference/bayes_factor_large_t.py
Reads the (n, t) grid of bayes_factor_large_t.csv and writes bayes_factor_large_t_mpmath.csv:
n, t, log_bf10 (natural log, 17 significant digits).
"""

from __future__ import annotations

import csv
from pathlib import Path

import mpmath as mp

HERE = Path(__file__).resolve().parent
mp.mp.dps = 40
R_SCALE = mp.sqrt(2) / 2  # rscale "medium"


def log_integrand(u, t, n):
    """log of the integrand over u = log g, divided by the null likelihood (Rouder eq. 1)."""
    g = mp.exp(u)
    df = n - 1
    c = n * g * R_SCALE**2
    ratio = (1 + t**2 / ((1 + c) * df)) / (1 + t**2 / df)
    return (u - mp.log(1 + c) / 2 - (df + 1) / 2 * mp.log(ratio) - mp.log(2 * mp.pi) / 2
            - 3 * u / 2 - 1 / (2 * g))  # fmt: skip


def log_bf10(t, n) -> mp.mpf:
    t, n = mp.mpf(t), mp.mpf(n)
    grid = [mp.mpf(i) / 16 for i in range(-16 * 16, 16 * 50)]
    values = [log_integrand(u, t, n) for u in grid]
    best = max(range(len(grid)), key=values.__getitem__)
    mode = mp.findroot(lambda u: mp.diff(lambda v: log_integrand(v, t, n), u), grid[best])
    top = log_integrand(mode, t, n)
    curvature = -mp.diff(lambda v: log_integrand(v, t, n), mode, 2)
    width = 1 / mp.sqrt(curvature)
    steps = [mp.mpf(s) for s in (0.25, 0.5, 1, 2, 3, 5, 8, 12, 20, 40, 80)]
    points = sorted({mode, *[mode - s * width for s in steps], *[mode + s * width for s in steps],
                     *grid[::4]})  # fmt: skip
    points = [p for p in points if grid[0] <= p <= grid[-1]]
    integral = mp.quad(lambda u: mp.exp(log_integrand(u, t, n) - top), points)
    return top + mp.log(integral)


def main() -> None:
    with open(HERE / "bayes_factor_large_t.csv", newline="") as handle:
        grid = [(row["n"], row["t"]) for row in csv.DictReader(handle)]
    with open(HERE / "bayes_factor_large_t_mpmath.csv", "w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["n", "t", "log_bf10"])
        for n, t in grid:
            out.writerow([n, t, mp.nstr(log_bf10(t, int(n)), 17)])


if __name__ == "__main__":
    main()
