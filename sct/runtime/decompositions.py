"""Helpers of the derivatives of matrix decompositions (eigh): which triangle of a matrix is read."""
import numpy as np


def symmetric_part(t, UPLO="L"):
    """The symmetric matrices ``np.linalg.eigh(t, UPLO)`` reads: the lower (``"L"``) or upper triangle of
    each matrix in ``t``, mirrored."""
    t = np.asarray(t)
    if UPLO.upper() != "L":
        t = np.swapaxes(t, -1, -2)
    return np.tril(t) + np.swapaxes(np.tril(t, -1), -1, -2)


def symmetric_part_adjoint(g, UPLO="L"):
    """The adjoint of :func:`symmetric_part`: ``g`` folded onto the triangle that is read."""
    g = np.asarray(g)
    lower = np.tril(g) + np.tril(np.swapaxes(g, -1, -2), -1)
    return lower if UPLO.upper() == "L" else np.swapaxes(lower, -1, -2)
