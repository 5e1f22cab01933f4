"""``np.quantile`` and ``np.percentile`` with numpy's default ("linear") method: the interpolation of two
order statistics, with weights that depend on ``q`` only. An order statistic's derivative is shared
equally by the entries equal to it, as ``np.max``'s is by its ties. The derivatives may carry leading
batch axes (``a`` does not)."""
import numpy as np

from .axes import _axes_of


def quantile_levels(q, scale=1.0):
    """``q / scale`` as numpy's quantile reads it, refused (ValueError) outside ``[0, 1]``."""
    levels = np.true_divide(q, scale) if scale != 1.0 else np.asanyarray(q)
    if not (np.all(0 <= levels) and np.all(levels <= 1)):
        raise ValueError("Percentiles must be in the range [0, 100]" if scale != 1.0 else
                         "Quantiles must be in the range [0, 1]")
    return levels


def order_quantile(a, q, axis=None):
    """``np.quantile(a, q, axis)`` (its "linear" method): the function sct differentiates."""
    return np.quantile(a, q, axis=axis)


def _quantile_weights(a, q, axis=None):
    """``(weights, moved)``: ``a`` with the reduced axes last, merged into one (``moved``, of shape
    ``R + (n,)``), and the weight of each of its entries in each quantile (shape ``R + (n, q.size)``):
    ``1 - g`` for the order statistic below the quantile's virtual index ``(n - 1) q``, ``g`` for the one
    above, each shared by the entries equal to it."""
    a, q = np.asarray(a), np.asarray(q, dtype=float)
    axes = _axes_of(np.ndim(a), axis)
    moved = np.moveaxis(a, axes, tuple(range(a.ndim - len(axes), a.ndim)))
    moved = moved.reshape(moved.shape[:a.ndim - len(axes)] + (-1,))
    n = moved.shape[-1]
    virtual = (n - 1) * q.ravel()
    below = np.floor(virtual)
    gamma = virtual - below
    below = np.minimum(below, n - 1).astype(np.intp)
    above = np.minimum(below + 1, n - 1)
    ordered = np.sort(moved, axis=-1)
    weights = 0.0
    with np.errstate(invalid="ignore"):  # a slice with a NaN: no entry equals it, 0 / 0
        for index, share in ((below, 1.0 - gamma), (above, gamma)):
            equal = moved[..., :, None] == ordered[..., None, index]
            weights = weights + share * equal / np.sum(equal, axis=-2, keepdims=True)
    return weights, moved


def quantile_tangent(v, a, q, axis=None):
    """Tangent of ``np.quantile(a, q, axis)`` along ``v``, shaped as numpy shapes the quantiles:
    ``q``'s axes, then ``a``'s that are not reduced."""
    weights, moved = _quantile_weights(a, q, axis)
    axes = _axes_of(np.ndim(a), axis)
    lead = np.ndim(v) - np.ndim(a)
    v = np.moveaxis(np.asarray(v), tuple(lead + i for i in axes),
                    tuple(range(np.ndim(v) - len(axes), np.ndim(v))))
    v = v.reshape(v.shape[:np.ndim(v) - len(axes)] + (-1,))
    out = np.einsum("...n,...nq->...q", v, weights)
    out = out.reshape(out.shape[:-1] + np.shape(q))
    return np.moveaxis(out, tuple(range(out.ndim - np.ndim(q), out.ndim)),
                       tuple(range(lead, lead + np.ndim(q))))


def quantile_adjoint(g, a, q, axis=None):
    """Adjoint of ``np.quantile(a, q, axis)``, the transpose of :func:`quantile_tangent`."""
    weights, moved = _quantile_weights(a, q, axis)
    axes = _axes_of(np.ndim(a), axis)
    g = np.asarray(g)
    lead = np.ndim(g) - np.ndim(q) - (np.ndim(a) - len(axes))
    g = np.moveaxis(g, tuple(range(lead, lead + np.ndim(q))), tuple(range(g.ndim - np.ndim(q), g.ndim)))
    g = g.reshape(g.shape[:g.ndim - np.ndim(q)] + (-1,))
    out = np.einsum("...q,...nq->...n", g, weights)
    kept = tuple(i for i in range(np.ndim(a)) if i not in axes)
    shape = tuple(np.shape(a)[i] for i in kept) + tuple(np.shape(a)[i] for i in axes)
    out = out.reshape(out.shape[:lead] + shape)
    return np.moveaxis(out, tuple(range(out.ndim - len(axes), out.ndim)), tuple(lead + i for i in axes))
