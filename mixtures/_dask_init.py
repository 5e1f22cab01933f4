"""Initial parameters for EM on a dask array, without gathering the rows.

* ``kmeans``: greedy k-means++ seeds on a uniform sample of at most ``SAMPLE_ROWS`` rows,
  then Lloyd's iterations as map-reduce (each chunk sends its cluster counts and sums,
  and its farthest rows to refill empty clusters), then the M-step of the final hard
  assignment, computed chunk by chunk;
* ``k-means++`` and ``random_from_data``: the M-step of one-hot responsibilities on K
  rows (k-means++ on the sample, or rows drawn uniformly), computed from those rows;
* ``random``: uniform responsibilities drawn chunk by chunk (each chunk its own stream).

With at most ``SAMPLE_ROWS`` rows the sample is all of them, so ``k-means++`` picks the
same rows as for numpy input; ``random_from_data`` does up to ``CHOICE_LIMIT`` rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _em as em
from ._dask_em import DaskData, FromCenters, FromRandom, chunk_rows
from ._dask_reduce import tree_reduce
from .kmeans import _assign, centers_from_sums, cluster_sums, kmeans_plusplus

SAMPLE_ROWS = 20_000
CHOICE_LIMIT = 10**7
LLOYD_MAX_ITER = 300  # as KMeans
LLOYD_TOL = 1e-4  # as KMeans: times the mean per-feature variance


def initial_estimate(
    data: DaskData, n_components: int, method: str, rng: np.random.RandomState, reg_covar: float
) -> em.Mixture:
    """Initial mixture (means relative to ``data.center``) by ``method``."""
    if method == "random":
        source = FromRandom(n_components, int(rng.randint(np.iinfo(np.int32).max)))
        return data.m_step(data.moments(source)[0], source, reg_covar)
    if method == "random_from_data":
        return _from_rows(data, distinct_indices(data.shape[0], n_components, rng), reg_covar)
    sample_index, sample = _sample(data, n_components, rng)
    _, seeds = kmeans_plusplus(sample, n_components, rng)
    if method == "k-means++":
        return _from_rows(data, sample_index[seeds], reg_covar)
    tol = LLOYD_TOL * float(data.square_sums.mean() / data.shape[0])
    source = FromCenters(lloyd(data, sample[seeds], LLOYD_MAX_ITER, tol))
    return data.m_step(data.moments(source)[0], source, reg_covar)


def distinct_indices(n: int, size: int, rng: np.random.RandomState) -> np.ndarray:
    """``size`` distinct row indices drawn uniformly; numpy's own draw up to ``CHOICE_LIMIT`` rows."""
    if n <= CHOICE_LIMIT:
        return rng.choice(n, size=size, replace=False)
    chosen: dict[int, None] = {}  # insertion-ordered set, without numpy's O(n) permutation
    while len(chosen) < size:
        for i in rng.randint(n, size=size):
            if len(chosen) < size:
                chosen.setdefault(int(i))
    return np.fromiter(chosen, dtype=np.intp, count=size)


def _rows(data: DaskData, indices: np.ndarray) -> np.ndarray:
    """Rows ``indices`` of the data, centred, gathered to the client."""
    order = np.argsort(indices)
    rows = np.empty((len(indices), data.shape[1]))
    rows[order] = chunk_rows(data.X[indices[order]].compute())
    return rows - data.center


def _sample(data: DaskData, n_components: int, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of a uniform sample (in row order) and its centred rows."""
    n = data.shape[0]
    size = min(n, max(SAMPLE_ROWS, n_components))
    index = np.arange(n) if size == n else np.sort(distinct_indices(n, size, rng))
    return index, _rows(data, index)


def _from_rows(data: DaskData, indices: np.ndarray, reg_covar: float) -> em.Mixture:
    """M-step of one-hot responsibilities, component k on row ``indices[k]``."""
    design = em.make_design(_rows(data, indices) + data.center, data.covariance_type, data.center)
    return em.m_step(design._replace(variance_floor=data.variance_floor), np.eye(len(indices)), reg_covar)


def _chunk_lloyd(block, index, center, centers):
    Xc = chunk_rows(block) - center
    labels, distances = _assign(Xc, centers, np.einsum("nd,nd->n", Xc, Xc))
    counts, sums = cluster_sums(Xc, labels, len(centers))
    far = np.argsort(distances)[::-1][: len(centers)]
    return counts, sums, distances[far], Xc[far]


def _combine_lloyd(*parts: Any) -> tuple:
    counts = sum(part[0] for part in parts)
    sums = sum(part[1] for part in parts)
    distances = np.concatenate([part[2] for part in parts])
    far = np.argsort(distances)[::-1][: len(counts)]
    return counts, sums, distances[far], np.concatenate([part[3] for part in parts])[far]


def lloyd(data: DaskData, centers: np.ndarray, max_iter: int, tol: float) -> np.ndarray:
    """Lloyd's iterations as map-reduce until the squared centre shift is at most ``tol``."""
    for _ in range(max_iter):
        counts, sums, _, farthest = tree_reduce(
            data.blocks, _chunk_lloyd, data.center, centers, combine=_combine_lloyd
        )
        new_centers = centers_from_sums(counts, sums, farthest)
        shift = float(((new_centers - centers) ** 2).sum())
        centers = new_centers
        if shift <= tol:
            break
    return centers
