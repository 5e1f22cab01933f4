"""Helpers of the derivatives of ``scipy.linalg.cho_factor`` and ``cho_solve``.

``cho_factor(a, lower)`` returns ``(c, lower)``: the Cholesky factor in one triangle of ``c`` (lower:
``L`` with ``L L^T = a``; upper: ``U = L^T``), the other triangle as it was in ``a``. ``pair`` below is such
a pair (or its tangent or adjoint, a list ``[matrix, 0.0]``); the flag is read from ``z``, the primal pair.
"""
import numpy as np

from .decompositions import symmetric_part, symmetric_part_adjoint


def cho_lower(pair, z):
    """The lower factor ``L`` held in ``pair[0]``, laid out as ``z``'s (``z[1]``: the lower flag)."""
    c = np.asarray(pair[0])
    return np.tril(c) if z[1] else np.swapaxes(np.triu(c), -1, -2)


def cho_lower_adjoint(g, z):
    """Adjoint of :func:`cho_lower`: ``[g on the factor's triangle, 0.0]`` (no adjoint for the flag)."""
    g = np.asarray(g)
    return [np.tril(g) if z[1] else np.triu(np.swapaxes(g, -1, -2)), 0.0]


def cho_rest(t, z):
    """``[the triangle of t that cho_factor leaves as it was, 0.0]``."""
    t = np.asarray(t)
    return [np.triu(t, 1) if z[1] else np.tril(t, -1), 0.0]


def cho_rest_adjoint(g, z):
    """Adjoint of :func:`cho_rest`."""
    c = np.asarray(g[0])
    return np.triu(c, 1) if z[1] else np.tril(c, -1)


def cho_read(t, z):
    """The symmetric matrix ``cho_factor`` reads from ``t``: its lower or upper triangle, mirrored."""
    return symmetric_part(t, "L" if z[1] else "U")


def cho_read_adjoint(g, z):
    """Adjoint of :func:`cho_read`."""
    return symmetric_part_adjoint(g, "L" if z[1] else "U")
