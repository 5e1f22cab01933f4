"""Helpers of the derivatives of ``np.linalg.lstsq``, differentiated at full rank."""
import numpy as np


def full_rank(a, rank):
    """``a`` itself, once ``rank`` (lstsq's) is checked to be full: where the rank drops (below ``rcond``),
    the solution jumps, and has no derivative."""
    if int(rank) < min(np.shape(a)[-2:]):
        raise ValueError(f"np.linalg.lstsq: the matrix has rank {int(rank)} < {min(np.shape(a)[-2:])}; sct "
                         "differentiates least squares at full rank only (below it the solution jumps with "
                         "rcond)")
    return a


def lstsq_residuals(v, residuals):
    """``v`` (one value per column of the right-hand side) as lstsq's residuals: empty where they are
    (fewer equations than unknowns, or less than full rank)."""
    return v if np.size(residuals) else np.asarray(v)[..., :0]


def lstsq_residuals_adjoint(g, residuals):
    """Adjoint of :func:`lstsq_residuals`, laid out along the columns of the right-hand side."""
    return np.asarray(g)[..., None, :] if np.size(residuals) else 0.0


def residuals_back(g, v, residuals):
    """Adjoint of :func:`lstsq_residuals` (``g`` its output's adjoint, ``v`` its input)."""
    return g if np.size(residuals) else np.zeros(np.shape(g)[:-1] + np.shape(v)[-1:])
