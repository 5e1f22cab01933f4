"""Partials of reductions: products, variances, extrema, norms, cumulative sums, logsumexp."""
import numpy as np

from .axes import _axes_of, _scan_axis
from .broadcasting import unreduce


def _linspace_weights(z, num, endpoint, axis):
    """Weights ``t`` of ``z = np.linspace(start, stop, num) = start + t * (stop - start)``, shaped to
    broadcast against ``z`` along ``axis``."""
    shape = [1] * np.ndim(z)
    shape[axis] = num
    return np.linspace(0.0, 1.0, num, endpoint=endpoint).reshape(shape)


def linspace_tangent(start_dot, stop_dot, z, num, endpoint=True, axis=0):
    """Tangent of ``z = np.linspace(start, stop, num, endpoint, axis)``: linear in ``start`` and ``stop``."""
    t = _linspace_weights(z, num, endpoint, axis)
    axis = _axes_of(np.ndim(z), axis)[0]
    rest = np.shape(z)[:axis] + np.shape(z)[axis + 1:]
    start_dot = np.expand_dims(np.broadcast_to(start_dot, rest), axis)
    stop_dot = np.expand_dims(np.broadcast_to(stop_dot, rest), axis)
    return start_dot * (1.0 - t) + stop_dot * t


def linspace_adjoint(g, z, num, endpoint=True, axis=0):
    """Adjoints of ``start`` and ``stop`` (broadcast shapes) of ``z = np.linspace(start, stop, num, ...)``."""
    t = _linspace_weights(z, num, endpoint, axis)
    g = np.broadcast_to(g, np.shape(z))
    return np.sum(g * (1.0 - t), axis=axis), np.sum(g * t, axis=axis)


def prod_partials(x, axis=None):
    """``d prod(x, axis) / dx``: for each element the product of the others it is multiplied with.

    Products from the left and from the right, so a zero factor gives the exact derivative (not 0/0).
    """
    x = np.asarray(x)
    axes = list(_axes_of(x.ndim, axis))
    order = [a for a in range(x.ndim) if a not in axes] + axes
    moved = np.transpose(x, order)
    n = int(np.prod([x.shape[a] for a in axes]))  # written out: -1 is ambiguous when a kept axis is empty
    flat = moved.reshape(moved.shape[:x.ndim - len(axes)] + (n,))
    ones = np.ones(flat.shape[:-1] + (1,), dtype=flat.dtype)
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)[..., :n]  # n = 0: none
    right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1][..., :n]
    return np.transpose((left * right).reshape(moved.shape), np.argsort(order))


def prod_partials_tangent(x, x_dot, axis=None):
    """Tangent of ``prod_partials(x, axis)`` along ``x_dot`` (second derivatives of ``np.prod``).

    For element i: the sum over the other elements j of ``x_dot[j]`` times the product of all but i and j,
    from an (i, j) table whose diagonal is 1 (so zeros stay exact); memory grows with the square of the
    reduced length. ``x_dot`` may carry leading axes of several directions (vector mode).
    """
    x, x_dot = np.asarray(x), np.asarray(x_dot)
    axes = list(_axes_of(x.ndim, axis))
    order = [a for a in range(x.ndim) if a not in axes] + axes
    moved = np.transpose(x, order)
    kept = moved.shape[:x.ndim - len(axes)]
    n = int(np.prod([x.shape[a] for a in axes]))
    flat = moved.reshape(kept + (n,))
    batch = x_dot.shape[:x_dot.ndim - x.ndim]
    dot_order = list(range(len(batch))) + [a + len(batch) for a in order]
    flat_dot = np.transpose(x_dot, dot_order).reshape(batch + kept + (n,))
    eye = np.eye(flat.shape[-1], dtype=bool)
    table = np.where(eye, 1.0, flat[..., None, :])
    ones = np.ones(table.shape[:-1] + (1,), dtype=table.dtype)
    left = np.cumprod(np.concatenate([ones, table[..., :-1]], axis=-1), axis=-1)[..., :n]
    right = np.cumprod(np.concatenate([ones, table[..., :0:-1]], axis=-1), axis=-1)[..., ::-1][..., :n]
    result = np.sum(np.where(eye, 0.0, flat_dot[..., None, :]) * left * right, axis=-1)
    return np.transpose(result.reshape(batch + moved.shape), np.argsort(dot_order))


def var_weights(x, axis=None, ddof=0):
    """``d var(x, axis, ddof) / dx = 2 (x - mean) / (n - ddof)``, shaped like ``x``."""
    x = np.asarray(x)
    axes = _axes_of(x.ndim, axis)
    n = int(np.prod([x.shape[a] for a in axes]))
    return 2.0 * (x - np.mean(x, axis=axis, keepdims=True)) / (n - ddof)


def extremum_mask(x, z, axis=None, keepdims=False):
    """Where ``x`` attains the max/min ``z`` along ``axis``, ties sharing the derivative equally."""
    attained = x == unreduce(z, x, axis, keepdims)
    count = np.sum(attained, axis=axis, keepdims=True)
    mask = attained.astype(float)
    if np.any(count != 1):  # ties share (and no entry, a NaN, gives 0/0 = NaN); else dividing changes nothing
        mask = mask / count
    return mask


def extremum_adjoint(g, x, z, axis=None, keepdims=False):
    """Adjoint of ``z = max(x, axis)`` (or min): ``g`` goes where ``x`` attains ``z``; ties share it."""
    mask = x == unreduce(z, x, axis, keepdims)
    share = unreduce(g, x, axis, keepdims)
    # each slice attains its extremum unless that is NaN: with no NaN, as many entries as slices means
    # one entry each, which one count of the whole mask tells faster than counting slice by slice
    if np.any(z != z) or np.count_nonzero(mask) != np.size(z):
        count = np.sum(mask, axis=axis, keepdims=True)
        if np.any(count > 1):
            share = share / count
    return np.where(mask, share, 0.0)


def cumsum_adjoint(g, x, axis=None):
    """Adjoint of ``np.cumsum(x, axis)``: the reversed cumulative sum of ``g``, shaped like ``x``."""
    g = np.asarray(g)  # shaped like np.cumsum(x, axis): 1-d when x is scanned flattened
    along = _scan_axis(np.ndim(x), axis)
    along = 0 if along is None else along
    reversed_sum = np.flip(np.cumsum(np.flip(g, along), along), along)
    return reversed_sum.reshape(np.shape(x))


def norm_weights(x, z, ord=None, axis=None, keepdims=False):
    """``d norm(x, ord, axis) / dx``, shaped like ``x``, for every ``ord`` numpy accepts.

    Vector norms: ``x / z`` (2-norm), ``sign(x) |x|**(p-1) / z**(p-1)`` (p-norms), the entries attaining the
    max/min modulus (inf/-inf, ties share), zero (ord 0 counts entries). Matrix norms: ``x / z``
    (Frobenius), ``U V^T`` (nuclear), ``u v^T`` of the largest/smallest singular value (2/-2), the signs of
    the column (1/-1) or row (inf/-inf) attaining the max/min absolute sum. At a vector (or a Frobenius
    norm's matrix) of zeros every weight is 0, as ``np.abs``'s ``sign(0)``: the norm there is ``|t| norm(v)``
    along each line ``t v``, and 0 is the mean of its slopes on either side, as for the other orders. Where
    else the norm is not differentiable (repeated singular values) the result is what these formulas give.
    """
    x = np.asarray(x)
    if axis is None:
        if ord is None or x.ndim == 1:
            axes = tuple(range(x.ndim))
        else:
            axes = (0, 1)
    else:
        axes = _axes_of(x.ndim, axis)
    z = np.asarray(z)
    nonzero = bool(z) if z.ndim == 0 else z.all()  # the common case, checked first: a norm of zeros is rare
    zero = False if nonzero else zero_norms(x, z, ord, axis, keepdims)
    if axis is not None and not keepdims:
        z = np.expand_dims(z, axes)
    elif axis is None and not keepdims:
        z = np.reshape(z, (1,) * x.ndim)
    if zero is not False:
        z = np.where(zero, 1.0, z)  # no 0 / 0: the weights there are 0
    if ord is None or (ord == "fro" and len(axes) == 2) or (ord == 2 and len(axes) == 1):
        weights = x / z
    elif len(axes) == 1 or x.ndim == 0:
        weights = _vector_norm_weights(x, z, ord, axes)
    else:
        moved = np.moveaxis(x, axes, (-2, -1))
        return np.moveaxis(_matrix_norm_weights(moved, ord), (-2, -1), axes)
    return weights if zero is False else np.where(zero, 0.0, weights)


def zero_norms(x, z, ord=None, axis=None, keepdims=False):
    """Where ``z = np.linalg.norm(x, ord, axis, keepdims)`` is the norm of zeros alone: a mask with ``x``'s
    dimensions, of length 1 along the reduced axes (False, a scalar, where no norm is 0). A norm that rounds
    to 0 (``1e-200`` squared) is not one."""
    z = np.asarray(z)
    if np.all(z != 0):
        return False
    x = np.asarray(x)
    if axis is None:
        axes = tuple(range(x.ndim)) if ord is None or x.ndim == 1 else (0, 1)
    else:
        axes = _axes_of(x.ndim, axis)
    return np.sum(np.abs(x), axis=axes, keepdims=True) == 0


def _vector_norm_weights(x, z, ord, axes):
    if ord == 0:
        return np.zeros(x.shape)
    if np.isinf(ord):
        modulus = np.abs(x)
        mask = (modulus == z).astype(float)
        return np.sign(x) * mask / np.sum(mask, axis=axes, keepdims=True)
    return np.sign(x) * (np.abs(x) / z) ** (ord - 1)


def _matrix_norm_weights(x, ord):
    """Weights of a matrix norm over the last two axes of ``x``."""
    if ord in ("nuc", 2, -2):
        u, _, vh = np.linalg.svd(x, full_matrices=False)
        if ord == "nuc":
            return u @ vh
        kept = slice(0, 1) if ord == 2 else slice(-1, None)
        return u[..., :, kept] @ vh[..., kept, :]
    if ord in (1, -1, np.inf, -np.inf):
        along = -2 if ord in (1, -1) else -1  # column sums (1) or row sums (inf)
        sums = np.sum(np.abs(x), axis=along)
        best = np.max(sums, axis=-1, keepdims=True) if ord > 0 else np.min(sums, axis=-1, keepdims=True)
        mask = (sums == best).astype(float)
        mask = mask / np.sum(mask, axis=-1, keepdims=True)
        return np.sign(x) * np.expand_dims(mask, along)
    raise ValueError(f"invalid norm order {ord!r} for matrices")


def lse_weights(a, z, b=None, axis=None, keepdims=False):
    """``b * exp(a - logsumexp(a, b))``: the derivative of logsumexp with respect to ``a``."""
    w = np.exp(a - unreduce(z, a, axis, keepdims))
    return w if b is None else w * b



def where_mask(where, a):
    """The ``where=`` mask of a reduction of ``a``: ``where`` as booleans broadcast to ``a``'s shape. numpy
    refuses a mask it cannot cast to bool safely (floats) or broadcast to ``a``, and so does this."""
    return np.broadcast_to(np.asarray(where).astype(bool, casting="safe", copy=False), np.shape(a))
