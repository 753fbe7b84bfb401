"""Baseline for bench/drift-bench.mjs: SciPy ks_2samp + wasserstein_distance + numpy PSI
on the same binary columns. Prints one JSON object: seconds and the statistics per column."""
import json
import sys
import time

import numpy as np
from scipy import stats


def psi(a, b):
    edges = np.quantile(a, np.linspace(0, 1, 11))
    edges[0], edges[-1] = -np.inf, np.inf
    edges = np.unique(edges)
    r = np.maximum(np.histogram(a, edges)[0] / len(a), 1e-4)
    c = np.maximum(np.histogram(b, edges)[0] / len(b), 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))


def main():
    folder, columns, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ref = np.fromfile(f"{folder}/reference.f64", dtype="<f8").reshape(columns, rows)
    cur = np.fromfile(f"{folder}/current.f64", dtype="<f8").reshape(columns, rows)
    start = time.perf_counter()
    out = []
    for k in range(columns):
        a, b = ref[k], cur[k]
        ks = stats.ks_2samp(a, b)
        w = stats.wasserstein_distance(a, b)
        out.append({"ks": float(ks.statistic), "p": float(ks.pvalue), "w": float(w), "wn": float(w / np.std(a)), "psi": psi(a, b)})
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "columns": out}))


main()
