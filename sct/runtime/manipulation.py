"""Derivatives of numpy's array rearrangements (repeat, tile, roll, rot90, pad, sort...) and of np.diff.

A rearrangement ``f`` picks elements of ``x`` (``np.repeat``, ``np.roll``, ``np.sort``): it is
``gather(x, f(index_map(x)), x)``, so one pair of helpers differentiates them all, and both work on
derivatives with leading batch axes (jacobians, hessians) as they are.
"""
import numpy as np


def index_map(x):
    """The flat position of each element of ``x``, in ``x``'s shape."""
    return np.arange(np.size(x)).reshape(np.shape(x))


def gather(t, index, x):
    """``t`` (shaped like ``x`` behind any leading batch axes) read at the flat positions ``index``;
    a position -1 (padding) reads 0."""
    lead = np.shape(t)[:np.ndim(t) - np.ndim(x)]
    index = np.asarray(index)
    if np.size(x) == 0:
        return np.zeros(lead + index.shape, dtype=np.result_type(t, float))
    values = np.reshape(t, lead + (-1,))[..., np.maximum(index, 0)]
    return np.where(index < 0, 0.0, values) if np.any(index < 0) else values


def gather_adjoint(g, index, x):
    """Adjoint of ``gather``: ``g`` (shaped like ``index`` behind any leading batch axes) added up into
    the positions of ``x`` it was read from."""
    index = np.asarray(index)
    lead = np.shape(g)[:np.ndim(g) - index.ndim]
    if np.size(x) == 0:  # gather read zeros (np.resize of an empty array)
        return np.zeros(lead + np.shape(x), dtype=np.result_type(g, float))
    rows = np.reshape(g, (int(np.prod(lead)), index.size))
    flat = index.ravel()
    kept = flat >= 0
    out = np.zeros((rows.shape[0], np.size(x)), dtype=np.result_type(g, float))
    np.add.at(out, (slice(None), flat[kept]), rows[:, kept])
    return out.reshape(lead + np.shape(x))


def pad_map(x, pad_width, mode="constant"):
    """The index map of ``np.pad(x, pad_width, mode)``, -1 where a constant is written; the modes that
    copy elements of ``x`` only (the others compute new values: sct refuses them)."""
    positions = np.arange(np.size(x)).reshape(np.shape(x))
    if mode == "constant":
        return np.pad(positions, pad_width, mode="constant", constant_values=-1)
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        return np.pad(positions, pad_width, mode=mode)
    raise ValueError(f"sct differentiates np.pad in the modes 'constant', 'edge', 'reflect', 'symmetric' "
                     f"and 'wrap', not {mode!r}")


def pad_fill(t, index, c=0):
    """The tangent of the constant ``np.pad`` writes (one number ``c``, tangent ``t`` behind any leading
    batch axes) at the positions -1 of ``index``."""
    if np.ndim(c) != 0:
        raise ValueError("sct differentiates np.pad in constant_values only when it is one number")
    lead = np.shape(t)
    return np.reshape(t, lead + (1,) * np.ndim(index)) * (np.asarray(index) < 0)


def pad_fill_adjoint(g, index, c=0):
    """Adjoint of ``pad_fill``: ``g`` summed over the padded positions."""
    if np.ndim(c) != 0:
        raise ValueError("sct differentiates np.pad in constant_values only when it is one number")
    axes = tuple(range(np.ndim(g) - np.ndim(index), np.ndim(g)))
    return np.sum(g * (np.asarray(index) < 0), axis=axes)


def sorted_map(x, axis=-1, kth=None):
    """The index map of ``np.sort(x, axis)`` (or ``np.partition(x, kth, axis)``). Where numpy's selection
    places elements otherwise than ``np.argpartition`` does, sct refuses rather than guess."""
    positions = np.arange(np.size(x)).reshape(np.shape(x))
    if axis is None:
        x, positions, axis = np.ravel(x), positions.ravel(), -1
    if kth is None:
        return np.take_along_axis(positions, np.argsort(x, axis=axis), axis=axis)
    order = np.argpartition(x, kth, axis=axis)
    if not np.array_equal(np.take_along_axis(x, order, axis=axis), np.partition(x, kth, axis=axis),
                          equal_nan=True):
        raise ValueError("sct cannot tell which elements np.partition placed where (it does not follow "
                         "np.argpartition here); use np.sort instead")
    return np.take_along_axis(positions, order, axis=axis)


def diff_along(t, x, n=1, axis=-1):
    """``np.diff(t, n, axis)`` for ``t`` shaped like ``x`` behind any leading batch axes."""
    return np.diff(t, n=n, axis=(axis % np.ndim(x)) - np.ndim(x))


def diff_adjoint(g, x, n=1, axis=-1):
    """Adjoint of ``np.diff(x, n, axis)``: the transposed difference applied ``n`` times to ``g`` (which
    may carry leading batch axes)."""
    axis = (axis % np.ndim(x)) - np.ndim(x)  # counted from the end: the same axis behind batch axes
    for _ in range(n):
        g = -np.diff(g, axis=axis, prepend=0.0, append=0.0)
    return g


def interp_slope(x, xp, fp):
    """The derivative of ``np.interp(x, xp, fp)`` in ``x``: the slope of the segment ``x`` falls in, the
    one on its right at a knot, 0 outside ``[xp[0], xp[-1])``."""
    xp, fp = np.asarray(xp, dtype=float), np.asarray(fp, dtype=float)
    if xp.size < 2:
        return np.zeros(np.shape(x))
    slopes = np.diff(fp) / np.diff(xp)
    segment = np.searchsorted(xp, x, side="right") - 1
    inside = (segment >= 0) & (segment < xp.size - 1)
    return np.where(inside, slopes[np.clip(segment, 0, slopes.size - 1)], 0.0)



def cross_padded(t, size):
    """``t`` (an operand of ``np.cross`` with ``size`` components, or its tangent) as 3-vectors: 2-vectors
    get a zero third component. With it, the adjoints of ``np.cross`` are products of 3-vectors."""
    t = np.asarray(t)
    if size != 2:
        return t
    return np.concatenate([t, np.zeros(t.shape[:-1] + (1,), dtype=t.dtype)], axis=-1)


def cross_part(g, size):
    """The first ``size`` components of the 3-vectors ``g``: an operand's adjoint, in its own components
    (the transpose of ``cross_padded``)."""
    return np.asarray(g)[..., :size]


def cross_cotangent(g, a_shape, b_shape):
    """The adjoint ``g`` of ``np.cross(a, b)`` as 3-vectors: where both operands are 2-vectors, numpy gives
    the third component only (a number per pair), which ``g`` then is."""
    g = np.asarray(g)
    if a_shape[-1] != 2 or b_shape[-1] != 2:
        return g
    zeros = np.zeros_like(g)
    return np.stack([zeros, zeros, g], axis=-1)


def cross_cotangent_adjoint(h, a_shape, b_shape):
    """The transpose of ``cross_cotangent``: the third components of ``h`` where both operands are
    2-vectors, else ``h``."""
    h = np.asarray(h)
    return h[..., 2] if a_shape[-1] == 2 and b_shape[-1] == 2 else h
