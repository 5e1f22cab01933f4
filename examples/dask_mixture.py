"""Fit Gaussian mixtures to rows held by a Dask cluster, here a LocalCluster on this machine.

Starts 2 worker processes, has them generate the rows chunk by chunk (no row passes through this
process), fits full-covariance mixtures with 1 to 4 components by EM on the cluster, prints the BIC
of each and the parameters of the one with the lowest BIC, then labels the rows lazily.

Usage: python examples/dask_mixture.py [n_rows]   (default: 200000; needs `pip install -e '.[dask]'`)

On a real cluster, replace the LocalCluster with ``Client("tcp://scheduler:8786")``; the rest is the
same (the workers need numpy and mixtures installed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import dask
import dask.array as da
import numpy as np
from distributed import Client, LocalCluster

try:
    import mixtures
except ImportError:  # running from a source checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import mixtures

CHUNK_ROWS = 50_000
MEANS = np.array([[0.0, 0.0, 0.0], [4.0, 4.0, 0.0], [0.0, 5.0, 5.0]])
SCALES = np.array([1.0, 0.7, 1.3])


def make_chunk(index: int, rows: int) -> np.ndarray:
    """Rows of chunk ``index``: three spherical blobs with weights 0.5, 0.3 and 0.2."""
    rng = np.random.default_rng([2026, index])
    labels = rng.choice(3, size=rows, p=[0.5, 0.3, 0.2])
    return MEANS[labels] + SCALES[labels, np.newaxis] * rng.standard_normal((rows, 3))


def rows_on_the_cluster(n_rows: int) -> da.Array:
    """A dask array of ``n_rows`` rows whose chunks are made by the workers when needed."""
    sizes = [min(CHUNK_ROWS, n_rows - start) for start in range(0, n_rows, CHUNK_ROWS)]
    chunks = [dask.delayed(make_chunk)(i, size) for i, size in enumerate(sizes)]
    return da.concatenate([da.from_delayed(c, shape=(s, 3), dtype=float) for c, s in zip(chunks, sizes)])


def main(n_rows: int) -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        X = rows_on_the_cluster(n_rows)
        print(f"{n_rows} rows x 3 features in {X.numblocks[0]} chunks on {len(client.nthreads())} workers")
        X = X.persist()  # they fit in the workers' memory; without persist every pass regenerates them
        print("\n components |        BIC | iterations")
        models = []
        for k in range(1, 5):
            gm = mixtures.GaussianMixture(k, covariance_type="full", random_state=0).fit(X)
            models.append((gm.bic(X), gm))
            print(f" {k:10d} | {models[-1][0]:10.1f} | {gm.n_iter_:10d}")
        bic, best = min(models, key=lambda pair: pair[0])
        print(f"\nlowest BIC: {best.n_components} components (lower bound {best.lower_bound_:.4f})")
        order = np.argsort(best.means_[:, 0] + best.means_[:, 1])
        np.set_printoptions(precision=3, suppress=True)
        print("weights:", best.weights_[order])
        print("means:\n", best.means_[order])
        print("variances (diagonals of the covariances):\n",
              np.diagonal(best.covariances_, axis1=1, axis2=2)[order])
        labels = best.predict(X)  # lazy: a dask array with X's chunks
        counts = np.bincount(labels.compute(), minlength=best.n_components)[order]
        print("rows per component:", counts)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
