"""Helpers of the derivatives of ``np.tensordot``, ``np.cumprod`` and ``np.sinc``."""
import numpy as np

from .axes import _scan_axis


def tensordot_axes(a, b, axes=2, shift_a=0, shift_b=0):
    """The ``axes`` of ``np.tensordot(a, b, axes)`` as two lists of non-negative axes (of ``a``, of ``b``),
    each moved by ``shift_a`` / ``shift_b`` (a leading batch axis)."""
    na, nb = np.ndim(a), np.ndim(b)
    if np.ndim(axes) == 0:
        n = int(axes)
        first, second = list(range(na - n, na)), list(range(n))
    else:
        first = [int(i) % na for i in np.atleast_1d(axes[0])]
        second = [int(i) % nb for i in np.atleast_1d(axes[1])]
    return [i + shift_a for i in first], [i + shift_b for i in second]


def _tensordot_adjoint_plan(a, b, position, axes, batch):
    first, second = tensordot_axes(a, b, axes)
    free_a = [i for i in range(np.ndim(a)) if i not in first]
    free_b = [i for i in range(np.ndim(b)) if i not in second]
    if position == 0:  # tensordot(g, b): batch, free axes of a, then b's contracted axes in b's order
        summed = ([batch + len(free_a) + k for k in range(len(free_b))], free_b)
        axes_of = free_a + [first[second.index(j)] for j in sorted(second)]
        count = np.ndim(a)
    else:  # tensordot(g, a): batch, free axes of b, then a's contracted axes in a's order
        summed = ([batch + k for k in range(len(free_a))], free_a)
        axes_of = free_b + [second[first.index(i)] for i in sorted(first)]
        count = np.ndim(b)
    order = list(range(batch)) + [batch + axes_of.index(i) for i in range(count)]
    return summed, order


def tensordot_adjoint_axes(a, b, position, axes=2, batch=0):
    """The ``axes`` of ``np.tensordot(g, other)`` that give the adjoint of operand ``position`` of
    ``np.tensordot(a, b, axes)`` from the output's adjoint ``g`` (with ``batch`` leading axes)."""
    return _tensordot_adjoint_plan(a, b, position, axes, batch)[0]


def tensordot_adjoint_order(a, b, position, axes=2, batch=0):
    """The transpose that puts the axes of that ``np.tensordot`` in the operand's order."""
    return _tensordot_adjoint_plan(a, b, position, axes, batch)[1]


def along_last(t, axis=None):
    """``t`` with axis ``axis`` moved last (``axis=None``: flattened), as ``np.cumprod`` scans it."""
    axis = _scan_axis(np.ndim(t), axis)
    return np.ravel(t) if axis is None else np.moveaxis(t, axis, -1)


def from_last(t, like, axis=None):
    """Inverse of :func:`along_last`: ``t`` back in the layout of ``like``."""
    axis = _scan_axis(np.ndim(like), axis)
    return np.reshape(t, np.shape(like)) if axis is None else np.moveaxis(t, -1, axis)


def batch_along_last(t, axis=None):
    """:func:`along_last` of each value of the batch ``t``."""
    t = np.asarray(t)
    axis = _scan_axis(t.ndim - 1, axis)
    if axis is None:
        return np.reshape(t, (t.shape[0], -1))
    return np.moveaxis(t, axis + 1, -1)


def batch_from_last(t, like, axis=None):
    """:func:`from_last` of each value of the batch ``t``."""
    t = np.asarray(t)
    axis = _scan_axis(np.ndim(like), axis)
    if axis is None:
        return np.reshape(t, t.shape[:1] + np.shape(like))
    return np.moveaxis(t, -1, axis + 1)


def sinc_derivative(x, n):
    """The ``n``-th derivative of ``np.sinc`` at ``x``, elementwise, exact at and near 0.

    With ``u = pi x`` and ``j(u) = sin(u) / u``: a Taylor series where ``|u| < 1``, elsewhere the recurrence
    ``j^(n)(u) = (sin^(n)(u) - n j^(n-1)(u)) / u`` from the n-th derivative of ``u j(u) = sin(u)``."""
    n = int(n)
    u = np.pi * np.asarray(x, dtype=float)
    small = np.abs(u) < 1.0
    s = np.where(small, 1.0, u)
    value = np.sin(s) / s
    for k in range(1, n + 1):
        value = (np.sin(s + k * np.pi / 2) - k * value) / s
    series = np.zeros_like(u)
    for m in range((n + 1) // 2, (n + 1) // 2 + 14):  # (-1)^m u^(2m) / (2m + 1)!, differentiated n times
        coefficient = (-1.0) ** m * float(np.prod(np.arange(2 * m - n + 1, 2 * m + 1))) \
            / float(np.prod(np.arange(1, 2 * m + 2)))
        series = series + coefficient * np.where(small, u, 0.0) ** (2 * m - n)
    return np.pi ** n * np.where(small, series, value)
