"""The log-likelihood and its sct-generated gradient summed over the row chunks of a dask array.

The ADBench log-likelihood is a sum over rows (its ``n logsumexp(alphas)`` term too, n being the
rows of the block), so each chunk runs the emitted ``diff_gmm_objective_no_prior`` unchanged on its
rows and the values and gradients are tree-reduced.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._dask_em import chunk_rows
from ._dask_reduce import row_blocks, tree_reduce
from ._generated.gmm_objective_grad import diff_gmm_objective_no_prior


def _chunk_gradient(block, index, alphas, means, icf, seed):
    rows = chunk_rows(block)
    if len(rows) == 0:
        return 0.0, (np.zeros_like(alphas), np.zeros_like(means), np.zeros_like(icf))
    value, grads = diff_gmm_objective_no_prior(alphas, means, icf, rows, seed=seed)
    return float(value), tuple(grads)


def summed_objective(X: Any):
    """A function with the signature and result of ``diff_gmm_objective_no_prior``, for dask ``X``."""
    blocks = row_blocks(X)

    def objective(alphas: np.ndarray, means: np.ndarray, icf: np.ndarray, x: Any, seed: float = 1.0):
        return tree_reduce(blocks, _chunk_gradient, alphas, means, icf, seed)

    return objective
