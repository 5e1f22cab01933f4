"""EM on a dask array chunked along rows: per-chunk statistics, M-step on the client.

Each iteration is one pass over the chunks. A chunk is centred and turned into
``em.Design`` blocks (small enough for the feature matrix), whose E-step gives the
responsibilities, their :func:`em.moment_sums` and the chunk's share of the
log-likelihood; the sums are tree-reduced and :func:`em.m_step_from_sums` runs on the
client, the same function the numpy fit uses. Where that M-step needs the exact
scatter about the new means (far-off or collapsing components), a second pass sums
:func:`em.scatter_sums` over the chunks. Only (K, m) numbers per chunk travel.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import _em as em
from ._dask_reduce import check_dask_array, row_blocks, tree_reduce
from ._init import _one_hot, initial_responsibilities
from ._validation import check_array, check_is_fitted, check_n_features
from .kmeans import _squared_distances


class FromMixture(NamedTuple):
    """Responsibilities of an E-step under ``mix``, with the log-likelihood of the rows."""

    mix: em.Mixture

    def __call__(self, design: em.Design, rng: np.random.RandomState) -> tuple[np.ndarray, float]:
        log_norm, resp = em.e_step(design, self.mix)
        return resp, float(log_norm.sum())


class FromCenters(NamedTuple):
    """One-hot responsibilities on the nearest of ``centers`` (centred coordinates)."""

    centers: np.ndarray

    def __call__(self, design: em.Design, rng: np.random.RandomState) -> tuple[np.ndarray, float]:
        Xc = design.X
        labels = _squared_distances(Xc, self.centers, np.einsum("nd,nd->n", Xc, Xc)).argmin(axis=1)
        return _one_hot(labels, np.arange(len(Xc)), (len(self.centers), len(Xc))), 0.0


class FromRandom(NamedTuple):
    """Uniform draws normalised over components, from a stream seeded by ``seed`` and the chunk."""

    n_components: int
    seed: int

    def __call__(self, design: em.Design, rng: np.random.RandomState) -> tuple[np.ndarray, float]:
        return initial_responsibilities(design.X, self.n_components, "random", rng), 0.0


def chunk_rows(block: np.ndarray) -> np.ndarray:
    """A chunk as float64, with the same checks (and messages) as numpy input."""
    if len(block) == 0:  # an empty chunk has no values to check
        return np.asarray(block, dtype=np.float64)
    return check_array(block)


# Features are rebuilt from the rows on every pass; in blocks of this size their temporaries are
# recycled by malloc instead of being fresh pages to fault in each time (and features always exist).
DESIGN_BYTES = 2**23


def _designs(block: np.ndarray, center: np.ndarray, covariance_type: str):
    """A chunk as consecutive designs of at most ``DESIGN_BYTES`` of features each."""
    rows = chunk_rows(block)
    per_design = max(1, DESIGN_BYTES // (8 * em.n_feature_rows(rows.shape[1], covariance_type)))
    for start in range(0, len(rows), per_design):
        yield em.make_design(rows[start : start + per_design], covariance_type, center)


def _rng(source: Any, index: int) -> np.random.RandomState:
    return np.random.RandomState([getattr(source, "seed", 0), index])


def _chunk_moments(block, index, center, covariance_type, source):
    rng, sums, loglik = _rng(source, index), 0.0, 0.0
    for design in _designs(block, center, covariance_type):
        resp, part = source(design, rng)
        sums, loglik = sums + em.moment_sums(design, resp), loglik + part
    return sums, loglik


def _chunk_scatter(block, index, center, covariance_type, source, means, components):
    rng, total = _rng(source, index), 0.0
    for design in _designs(block, center, covariance_type):
        total = total + em.scatter_sums(design, source(design, rng)[0], means, components)
    return total


def _chunk_first_moments(block, index):
    rows = chunk_rows(block)
    return rows.sum(axis=0)


def _chunk_square_sums(block, index, center):
    diff = chunk_rows(block) - center
    return np.einsum("nd,nd->d", diff, diff)


def _chunk_labels(block, center, covariance_type, mix):
    labels = [em.weighted_log_prob(d, mix).argmax(axis=0) for d in _designs(block, center, covariance_type)]
    return np.concatenate(labels) if labels else np.empty(0, dtype=np.intp)


class DaskData:
    """Samples in a dask array chunked along rows; the EM operations of ``_em_data.InMemory``.

    Construction runs two passes: the column sums (checking every chunk for NaN and
    infinity) for the centre, then the sums of squares about it for the rounding floor.
    """

    def __init__(self, X: Any, covariance_type: str) -> None:
        self.X = check_dask_array(X, min_samples=2)
        self.shape = X.shape
        self.covariance_type = covariance_type
        self.blocks = row_blocks(X)
        n = X.shape[0]
        self.center = tree_reduce(self.blocks, _chunk_first_moments) / n
        self.square_sums = tree_reduce(self.blocks, _chunk_square_sums, self.center)
        self.variance_floor = em.variance_floor(self.square_sums, n)

    def moments(self, source: Any) -> tuple[np.ndarray, float]:
        """Summed :func:`em.moment_sums` and log-likelihood of the responsibilities ``source`` gives."""
        return tree_reduce(self.blocks, _chunk_moments, self.center, self.covariance_type, source)

    def m_step(self, sums: np.ndarray, source: Any, reg_covar: float) -> em.Mixture:
        """:func:`em.m_step_from_sums`, with a pass for exact scatter when it asks for one."""

        def scatter(means: np.ndarray, components) -> np.ndarray:
            args = (self.center, self.covariance_type, source, means, np.asarray(components))
            return tree_reduce(self.blocks, _chunk_scatter, *args)

        return em.m_step_from_sums(sums, self.covariance_type, self.variance_floor, reg_covar, scatter)

    def initial_estimate(
        self, n_components: int, method: str, rng: np.random.RandomState, reg_covar: float
    ) -> em.Mixture:
        """Initial parameters by ``method``, computed chunk by chunk (see ``_dask_init``)."""
        from ._dask_init import initial_estimate

        return initial_estimate(self, n_components, method, rng, reg_covar)

    def em_step(self, mix: em.Mixture, reg_covar: float) -> tuple[float, em.Mixture]:
        """Mean log-likelihood per sample under ``mix``, and the parameters after one EM step."""
        source = FromMixture(mix)
        sums, loglik = self.moments(source)
        return loglik / self.shape[0], self.m_step(sums, source, reg_covar)

    def labels(self, mix: em.Mixture) -> Any:
        """Most probable component of each sample, as a lazy dask array."""
        return self.X.map_blocks(
            _chunk_labels, self.center, self.covariance_type, mix, drop_axis=1, dtype=np.intp
        )


def _call_method(block: np.ndarray, model: Any, name: str) -> np.ndarray:
    if len(block) == 0:  # an empty chunk: the method would refuse it
        return np.empty((0, len(model.weights_)) if name == "predict_proba" else 0)
    return getattr(model, name)(block)


def map_rows(model: Any, name: str, X: Any, kind: str) -> Any:
    """``model.name`` applied to each chunk of ``X``, lazily; checks shapes before scheduling."""
    check_is_fitted(model, "precisions_cholesky_")
    check_n_features(model, check_dask_array(X).shape[1])
    if kind == "proba":
        n_components = len(model.weights_)
        return X.map_blocks(
            _call_method, model, name, chunks=(X.chunks[0], (n_components,)), dtype=np.float64
        )
    dtype = np.intp if kind == "labels" else np.float64
    return X.map_blocks(_call_method, model, name, drop_axis=1, dtype=dtype)
