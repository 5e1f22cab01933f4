"""Derivatives of ``np.gradient`` along one axis: a linear map ``D`` of the sampled values (central
differences inside, one-sided ones of order ``edge_order`` at the ends), so the tangent is ``np.gradient``
of the tangent and the adjoint is ``D^T``, with ``D`` built by ``np.gradient`` of the identity."""
import numpy as np

from .axes import _axes_of


def _one_axis(ndim, axis):
    if axis is None:
        if ndim != 1:
            raise ValueError("sct differentiates np.gradient along one axis at a time (its value is then one "
                             "array): pass axis=k, or write [np.gradient(f, axis=k) for k in range(f.ndim)]")
        return 0
    if np.ndim(axis) != 0:
        if len(axis) != 1:
            raise ValueError("sct differentiates np.gradient along one axis at a time: pass axis=k")
        axis = axis[0]
    return _axes_of(ndim, axis)[0]


def gradient_along(t, spacing=1.0, axis=None, edge_order=1):
    """Tangent of ``np.gradient(f, spacing, axis=axis, edge_order=edge_order)`` (one axis) from ``t``."""
    return np.gradient(t, spacing, axis=_one_axis(np.ndim(t), axis), edge_order=edge_order)


def gradient_adjoint(g, f, spacing=1.0, axis=None, edge_order=1):
    """Adjoint of ``np.gradient(f, spacing, axis=axis, edge_order=edge_order)`` (one axis) from ``g``."""
    axis = _one_axis(np.ndim(f), axis)
    n = np.shape(f)[axis]
    operator = np.gradient(np.eye(n), spacing, axis=0, edge_order=edge_order)  # column j: D e_j
    g = np.broadcast_to(g, np.shape(f))
    return np.moveaxis(np.tensordot(operator, g, axes=([0], [axis])), 0, axis)


def batch_gradient_along(t, spacing=1.0, axis=None, edge_order=1):
    """:func:`gradient_along` of each value of the batch ``t``."""
    t = np.asarray(t)
    return np.gradient(t, spacing, axis=_one_axis(t.ndim - 1, axis) + 1, edge_order=edge_order)


def batch_gradient_adjoint(g, f, spacing=1.0, axis=None, edge_order=1):
    """:func:`gradient_adjoint` of each adjoint of the batch ``g``."""
    axis = _one_axis(np.ndim(f), axis)
    n = np.shape(f)[axis]
    operator = np.gradient(np.eye(n), spacing, axis=0, edge_order=edge_order)
    g = np.asarray(g)
    return np.moveaxis(np.tensordot(operator, g, axes=([0], [axis + 1])), 0, axis + 1)
