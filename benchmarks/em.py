"""Seconds per EM iteration: ``mixtures.GaussianMixture`` against scikit-learn's, same data, same start.

    python benchmarks/em.py [--quick] [--iterations M] [--repeats R] [--threads T] [--json PATH]

Sizes (n, d, K): (1e4, 2, 3), (1e5, 10, 8), (2e4, 64, 16); ``--quick`` runs the first only.  For each
size, data are drawn from a random K-component mixture (``numpy.random.default_rng([seed, n, d, K])``),
and one k-means start (k-means++ seeding, 20 Lloyd steps) is computed once and handed to both
estimators as ``weights_init``, ``means_init`` and ``precisions_init``, for "full" and "diag"
covariances.  Both run with ``tol=0`` so that they do exactly ``max_iter`` iterations; the time per
iteration is ``(t(M iterations) - t(1 iteration)) / (M - 1)``, which leaves out set-up and
validation, and each fit time is the median of ``--repeats`` fits.  The last column is the difference
of the final lower bounds (mean log-likelihood per sample) after M iterations.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from typing import Any

import _common
import numpy as np

SIZES = ((10_000, 2, 3), (100_000, 10, 8), (20_000, 64, 16))
COVARIANCE_TYPES = ("full", "diag")
REG_COVAR = 1e-6


def make_data(n: int, d: int, k: int, seed: int = 0) -> np.ndarray:
    """n points from K Gaussian blobs with centres ~ N(0, 3^2) and per-dimension scales ~ U[0.5, 1.5)."""
    rng = np.random.default_rng([seed, n, d, k])
    centres = 3.0 * rng.standard_normal((k, d))
    scales = rng.uniform(0.5, 1.5, size=(k, d))
    labels = rng.integers(k, size=n)
    return centres[labels] + scales[labels] * rng.standard_normal((n, d))


def kmeans_start(x: np.ndarray, k: int, seed: int = 0, steps: int = 20) -> np.ndarray:
    """Hard labels from k-means++ seeding followed by ``steps`` Lloyd iterations."""
    rng = np.random.default_rng(seed)
    sq_norms = np.einsum("ij,ij->i", x, x)
    centres = x[[rng.integers(len(x))]]
    while len(centres) < k:
        dist = np.min(sq_norms[:, None] - 2 * x @ centres.T + np.einsum("ij,ij->i", centres, centres), axis=1)
        probs = np.maximum(dist, 0.0)
        centres = np.vstack([centres, x[rng.choice(len(x), p=probs / probs.sum())]])
    for _ in range(steps):
        labels = np.argmin(-2 * x @ centres.T + np.einsum("ij,ij->i", centres, centres), axis=1)
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, x)
        centres = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], centres)
    return labels


def initial_parameters(x: np.ndarray, labels: np.ndarray, k: int, covariance_type: str) -> dict[str, Any]:
    """weights_init, means_init, precisions_init of the hard clustering, with the estimators' reg_covar."""
    n, d = x.shape
    resp = np.zeros((n, k))
    resp[np.arange(n), labels] = 1.0
    counts = resp.sum(axis=0) + 10 * np.finfo(float).eps
    means = resp.T @ x / counts[:, None]
    if covariance_type == "diag":
        variances = (resp.T @ x**2) / counts[:, None] - means**2 + REG_COVAR
        precisions = 1.0 / variances
    else:
        centred = x[:, None, :] - means[None]  # (n, K, d); fine for these sizes
        weighted = np.einsum("ik,ika,ikb->kab", resp, centred, centred, optimize=True)
        covariances = weighted / counts[:, None, None]
        precisions = np.linalg.inv(covariances + REG_COVAR * np.eye(d))
    return {"weights_init": counts / n, "means_init": means, "precisions_init": precisions}


def fit_seconds(cls: type, x: np.ndarray, k: int, covariance_type: str, init: dict, iterations: int,
                repeats: int) -> tuple[float, float]:
    """Median seconds of a fit with ``iterations`` EM steps, and its final lower bound."""
    times, bound = [], float("nan")
    for _ in range(repeats):
        model = cls(n_components=k, covariance_type=covariance_type, tol=0.0, max_iter=iterations,
                    reg_covar=REG_COVAR, random_state=0, **init)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # not converging within max_iter is the point here
            start = time.perf_counter()
            model.fit(x)
            times.append(time.perf_counter() - start)
        if model.n_iter_ != iterations:
            raise RuntimeError(f"{cls.__module__} ran {model.n_iter_} iterations, not {iterations}")
        bound = float(model.lower_bound_)
    return float(np.median(times)), bound


def per_iteration(cls: type, x, k, covariance_type, init, iterations, repeats) -> tuple[float, float]:
    long_s, bound = fit_seconds(cls, x, k, covariance_type, init, iterations, repeats)
    short_s, _ = fit_seconds(cls, x, k, covariance_type, init, 1, repeats)
    return (long_s - short_s) / (iterations - 1), bound


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smallest size only")
    parser.add_argument("--iterations", type=int, default=11, help="EM iterations per timed fit (>= 2)")
    parser.add_argument("--repeats", type=int, default=3, help="fits per measurement (median)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    _common.pin_threads(args.threads)
    malloc_tuned = _common.keep_freed_memory()

    from sklearn.mixture import GaussianMixture as SklearnGM

    from mixtures import GaussianMixture

    facts = _common.machine_facts(args.threads, malloc_tuned)
    print(f"# {facts['cpu']}, {facts['logical_cpus']} logical CPUs, {args.threads} BLAS thread(s); "
          f"{args.iterations} iterations per fit, median of {args.repeats} fits")
    print(f"{'n':>7} {'d':>3} {'K':>3} {'cov':>5} {'mixtures ms/it':>15} {'sklearn ms/it':>14} "
          f"{'ratio':>6} {'|lower bound diff|':>19}", flush=True)
    rows = []
    for n, d, k in SIZES[:1] if args.quick else SIZES:
        x = make_data(n, d, k, args.seed)
        labels = kmeans_start(x, k, args.seed)
        for covariance_type in COVARIANCE_TYPES:
            init = initial_parameters(x, labels, k, covariance_type)
            ours, our_bound = per_iteration(GaussianMixture, x, k, covariance_type, init, args.iterations,
                                            args.repeats)
            theirs, their_bound = per_iteration(SklearnGM, x, k, covariance_type, init, args.iterations,
                                                args.repeats)
            row = {"n": n, "d": d, "k": k, "covariance_type": covariance_type, "mixtures_s": ours,
                   "sklearn_s": theirs, "ratio": ours / theirs,
                   "lower_bound_diff": abs(our_bound - their_bound)}
            rows.append(row)
            print(f"{n:>7} {d:>3} {k:>3} {covariance_type:>5} {ours * 1e3:>15.3f} {theirs * 1e3:>14.3f} "
                  f"{row['ratio']:>6.2f} {row['lower_bound_diff']:>19.2e}", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"machine": facts, "settings": vars(args), "results": rows}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
