"""Seconds per EM iteration: numpy in memory against a dask array on a LocalCluster of 1 and 2 workers.

    python benchmarks/em_dask.py [--quick] [--json PATH]

Sizes (n, d, K), "full" covariances:

* (1e6, 10, 8) in memory: numpy on the client, and the same rows as a dask array held by the workers
  (``persist``), in chunks of 125 000 rows;
* (1e7, 10, 8) out of core: 800 MB of rows generated chunk by chunk (200 000 rows each) on the workers,
  which are limited to ``memory_limit`` = 320 MiB each, so the rows do not fit in their memory and every
  pass regenerates them (as it would read them from storage); numpy is not run at this size.

``--quick`` divides the sizes by 10 for a smoke run (its "out of core" rows then fit in memory).
Every fit starts from the same parameters (the generating centres, equal weights, identity precisions)
with ``tol=0``; the time per iteration is ``(t(M iterations) - t(1 iteration)) / (M - 1)``, from medians
of 3 fits in memory and single fits out of core, which leaves out the two set-up passes (centre and
rounding floor) and validation.  Each configuration runs in its own process, BLAS
pinned to one thread in the client and in every worker (1 thread each), so "numpy" uses one core and
"2 workers" two.  Peak memory is the peak resident set size (``ru_maxrss``) of the client process and
of each worker process over the whole configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from typing import Any

import _common
import numpy as np

D, K, SEED = 10, 8, 0
CONFIGURATIONS = (
    # (label, n, rows per chunk (numpy: per generated block), workers, memory_limit MiB, out of core, M)
    ("numpy", 1_000_000, 125_000, 0, 0, False, 6),
    ("dask, 1 worker", 1_000_000, 125_000, 1, 0, False, 6),
    ("dask, 2 workers", 1_000_000, 125_000, 2, 0, False, 6),
    ("dask, 1 worker", 10_000_000, 200_000, 1, 320, True, 3),
    ("dask, 2 workers", 10_000_000, 200_000, 2, 320, True, 3),
)


def centres() -> np.ndarray:
    return 3.0 * np.random.default_rng([SEED, D, K]).standard_normal((K, D))


def make_chunk(index: int, rows: int) -> np.ndarray:
    """Rows of block ``index``: K Gaussian blobs with per-dimension scales in [0.5, 1.5)."""
    scales = np.random.default_rng([SEED, D, K, 1]).uniform(0.5, 1.5, size=(K, D))
    rng = np.random.default_rng([SEED, index])
    labels = rng.integers(K, size=rows)
    return centres()[labels] + scales[labels] * rng.standard_normal((rows, D))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _seconds_per_iteration(X: Any, iterations: int, out_of_core: bool) -> tuple[float, float]:
    """Median fit times of 1 and of M iterations (3 repeats, 1 out of core) -> seconds per iteration."""
    from mixtures import ConvergenceWarning, GaussianMixture

    start = dict(weights_init=np.full(K, 1.0 / K), means_init=centres(),
                 precisions_init=np.broadcast_to(np.eye(D), (K, D, D)).copy())

    def fit_time(max_iter: int) -> tuple[float, float]:
        model = GaussianMixture(K, covariance_type="full", tol=0.0, max_iter=max_iter, **start)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            begin = time.perf_counter()
            model.fit(X)
            return time.perf_counter() - begin, model.lower_bound_

    if not out_of_core:
        fit_time(1)  # warms up imports and caches; out of core, the set-up passes do that
    repeats = 1 if out_of_core else 3
    one = statistics.median(fit_time(1)[0] for _ in range(repeats))
    runs = [fit_time(iterations) for _ in range(repeats)]
    return (statistics.median(t for t, _ in runs) - one) / (iterations - 1), runs[-1][1]


def run_one(label: str, n: int, chunk: int, workers: int, limit_mib: int, out_of_core: bool,
            iterations: int) -> dict[str, Any]:
    """One configuration, in this process; returns its timings and memory peaks."""
    _common.pin_threads(1)
    row = {"label": label, "n": n, "d": D, "k": K, "chunk_rows": chunk, "workers": workers,
           "memory_limit_mib": limit_mib, "out_of_core": out_of_core, "iterations": iterations}
    if workers == 0:
        X = np.vstack([make_chunk(i, min(chunk, n - start)) for i, start in enumerate(range(0, n, chunk))])
        row["seconds_per_iteration"], row["lower_bound"] = _seconds_per_iteration(X, iterations, False)
        row["client_peak_mib"], row["worker_peak_mib"] = _peak_rss_mib(), []
        return row
    import dask
    import dask.array as da
    from distributed import Client, LocalCluster, wait

    limit = f"{limit_mib}MiB" if limit_mib else "auto"
    with LocalCluster(n_workers=workers, threads_per_worker=1, memory_limit=limit, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        blocks = [da.from_delayed(dask.delayed(make_chunk)(i, min(chunk, n - start)),
                                  shape=(min(chunk, n - start), D), dtype=float)
                  for i, start in enumerate(range(0, n, chunk))]
        X = da.concatenate(blocks)
        if not out_of_core:
            X = X.persist()
            client.wait_for_workers(workers)
            wait(X)
        row["seconds_per_iteration"], row["lower_bound"] = _seconds_per_iteration(X, iterations, out_of_core)
        row["worker_peak_mib"] = sorted(client.run(_peak_rss_mib).values())
    row["client_peak_mib"] = _peak_rss_mib()
    return row


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--quick", action="store_true", help="sizes / 10")
    parser.add_argument("--json", help="write the rows and machine facts here")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a configuration, run in a child process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(*json.loads(args.one))))
        return
    rows = []
    print("| n x d, K | fit | s/iteration | client peak MiB | worker peaks MiB | worker memory_limit "
          "| lower bound vs numpy |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for label, n, chunk, workers, limit, out_of_core, iterations in CONFIGURATIONS:
        if args.quick:
            n, chunk = n // 10, max(chunk // 10, 1)
        spec = json.dumps([label, n, chunk, workers, limit, out_of_core, iterations])
        done = subprocess.run([sys.executable, __file__, "--one", spec], capture_output=True, text=True,
                              env={**os.environ, "PYTHONWARNINGS": "ignore"}, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(_format(rows[-1], rows[0]), flush=True)
    facts = _common.machine_facts(1, False)
    print(f"# {facts['cpu']}, {facts['logical_cpus']} logical CPUs, python {facts['python']}, "
          f"numpy {facts['numpy']}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"machine": facts, "rows": rows}, out, indent=1)


def _format(row: dict[str, Any], numpy_row: dict[str, Any]) -> str:
    size = f"{row['n']:.0e} x {row['d']}, K={row['k']}" + (" (out of core)" if row["out_of_core"] else "")
    workers = ", ".join(f"{peak:.0f}" for peak in row["worker_peak_mib"]) or "-"
    limit = f"{row['memory_limit_mib']} MiB" if row["memory_limit_mib"] else "-"
    same_data = not row["out_of_core"] and numpy_row["label"] == "numpy" and row is not numpy_row
    bound = f"{abs(row['lower_bound'] - numpy_row['lower_bound']):.1e}" if same_data else "-"
    return (f"| {size} | {row['label']} | {row['seconds_per_iteration']:.3f} | {row['client_peak_mib']:.0f} "
            f"| {workers} | {limit} | {bound} |")


if __name__ == "__main__":
    main()
