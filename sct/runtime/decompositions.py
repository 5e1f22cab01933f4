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


def _transposes(trans):
    if trans not in (0, 1, 2, "N", "T", "C"):
        raise ValueError(f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', not {trans!r}")
    return trans in (1, 2, "T", "C")


def triangular_operator(a, trans=0, lower=False, unit_diagonal=False):
    """The matrix ``m`` with ``scipy.linalg.solve_triangular(a, b, trans, lower, unit_diagonal)`` equal to
    ``np.linalg.solve(m, b)`` (real ``a``): the triangle of ``a`` that is read, with ones on its diagonal
    for ``unit_diagonal``, transposed for ``trans``."""
    a = np.asarray(a)
    part = np.tril(a, -int(bool(unit_diagonal))) if lower else np.triu(a, int(bool(unit_diagonal)))
    if unit_diagonal:
        part = part + np.eye(a.shape[-1], dtype=part.dtype)
    return np.swapaxes(part, -1, -2) if _transposes(trans) else part


def triangular_tangent(t, trans=0, lower=False, unit_diagonal=False):
    """The tangent of :func:`triangular_operator` along ``t`` (it is affine in ``a``)."""
    t = np.asarray(t)
    part = np.tril(t, -int(bool(unit_diagonal))) if lower else np.triu(t, int(bool(unit_diagonal)))
    return np.swapaxes(part, -1, -2) if _transposes(trans) else part


def triangular_adjoint(g, trans=0, lower=False, unit_diagonal=False):
    """The adjoint of :func:`triangular_tangent`."""
    g = np.asarray(g)
    g = np.swapaxes(g, -1, -2) if _transposes(trans) else g
    return np.tril(g, -int(bool(unit_diagonal))) if lower else np.triu(g, int(bool(unit_diagonal)))
