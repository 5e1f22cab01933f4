"""Map-reduce over the row chunks of a dask array, and the checks made before scheduling.

Every pass of the dask fits is one :func:`tree_reduce`: a function runs on each chunk
(a numpy array) and returns small sums, which are added up in a tree, ``split_every``
at a time, so only the statistics (never rows) travel to the client. It computes with
dask's current scheduler: a ``distributed.Client``, if one is active, runs it on that
cluster.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import dask
import numpy as np

SPLIT_EVERY = 8


def check_dask_array(X: Any, *, name: str = "X", min_samples: int = 1) -> Any:
    """Check what dask knows without computing: dimensions, dtype, chunking and size.

    The values themselves (NaN, infinity) are checked on each chunk when it is computed.
    """
    if X.ndim != 2:
        raise ValueError(f"Expected a 2-D array for {name}, got a {X.ndim}-D dask array instead.")
    if X.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a numeric array; got a dask array of dtype {X.dtype}.")
    if any(math.isnan(size) for size in X.chunks[0]):
        raise ValueError(
            f"{name} has unknown chunk sizes along rows; call {name}.compute_chunk_sizes() first."
        )
    if X.numblocks[1] != 1:
        raise ValueError(
            f"{name} is split into {X.numblocks[1]} chunks along features; every chunk must hold whole "
            f"rows: use {name}.rechunk({{1: -1}})."
        )
    n_samples, n_features = X.shape
    if n_samples == 0 or n_features == 0:
        raise ValueError(f"{name} is empty: got shape {X.shape}, need at least 1 sample and 1 feature.")
    if n_samples < min_samples:
        raise ValueError(f"{name} has {n_samples} sample(s), but at least {min_samples} are required.")
    return X


def row_blocks(X: Any) -> list:
    """The chunks of ``X`` as one delayed object each, in row order."""
    return list(X.to_delayed().ravel())


def add(*parts: Any) -> Any:
    """Sum of ``parts``; tuples are added entry by entry (each entry a number or an array)."""
    if isinstance(parts[0], tuple):
        return tuple(add(*entries) for entries in zip(*parts))
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def tree_reduce(blocks: list, chunk_fn: Callable, *args: Any, combine: Callable = add) -> Any:
    """``combine`` of ``chunk_fn(block, index, *args)`` over all blocks, reduced as a tree; computed."""
    shared = dask.delayed(args, traverse=False) if args else None
    parts = [
        dask.delayed(_apply, pure=False)(chunk_fn, block, index, shared) for index, block in enumerate(blocks)
    ]
    while len(parts) > 1:
        parts = [
            dask.delayed(combine, pure=False)(*parts[i : i + SPLIT_EVERY])
            for i in range(0, len(parts), SPLIT_EVERY)
        ]
    return dask.compute(parts[0])[0]


def _apply(chunk_fn: Callable, block: np.ndarray, index: int, shared: tuple | None) -> Any:
    return chunk_fn(block, index, *(shared or ()))
