"""``np.sum`` over the last axis of a float array, by a matrix-vector product.

numpy reduces a contiguous last axis row by row, one call of its inner loop per row: on many short rows
(``(1000, 25, 10)`` summed over the 10) that costs ten times a pass over the array. BLAS's product with a
vector of ones adds each row in one sweep. It adds in another order (as numpy's blocked pairwise sum,
in a few partial sums along a row of at most 128 entries), so the sums are the same up to rounding. The
sign of a zero sum is no rounding (a row of negative zeros sums to ``+0.0`` from a start of ``+0.0``, as
BLAS and numpy 2.4 start, ``-0.0`` from one of ``-0.0``): wherever a sum is zero, numpy sums again.
"""
import numpy as np


def sum_along(x, axis=None, keepdims=False):
    """``np.sum(x, axis=axis, keepdims=keepdims)``; over the last axis of a float array by ``x @ ones``."""
    if type(x) is np.ndarray and type(axis) is int and x.ndim >= 2 and axis in (-1, x.ndim - 1) \
            and x.dtype in (np.float64, np.float32) and 0 < x.shape[-1] <= 128 and x.size >= 64:
        sums = x @ np.ones(x.shape[-1], dtype=x.dtype)
        if not (sums == 0).any():
            return sums[..., None] if keepdims else sums
    return np.sum(x, axis=axis, keepdims=keepdims)
