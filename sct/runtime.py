"""Small numpy helpers that emitted derivative code calls.

Emitted modules carry a copy of the helpers they use (see ``emit.py``), so they never import sct.
Each helper is self-contained: it may use only ``numpy`` imported as ``np``.
"""
import numpy as np


def unbroadcast(g, x):
    """Sum the adjoint ``g`` over the axes along which ``x`` was broadcast, giving ``x``'s shape."""
    shape = np.shape(x)
    if np.shape(g) == shape:
        return g
    g = np.asarray(g)
    if g.ndim < len(shape):  # a scalar seed on an array output: the adjoint of every entry
        g = np.broadcast_to(g, np.broadcast_shapes(g.shape, shape))
    extra = g.ndim - len(shape)
    if extra > 0:
        g = np.sum(g, axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    return g.reshape(shape) if shape != g.shape else g


def broadcast_like(t, z):
    """Give the tangent ``t`` the full shape of the primal value ``z`` it belongs to."""
    shape = np.shape(z)
    if np.shape(t) == shape:
        return t
    return np.broadcast_to(t, shape)


def unreduce(g, x, axis=None, keepdims=False):
    """Spread the adjoint of a reduction ``f(x, axis, keepdims)`` back over ``x``'s shape."""
    shape = np.shape(x)
    g = np.asarray(g)
    if axis is not None and not keepdims:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        axes = tuple(a % len(shape) for a in axes)
        g = np.expand_dims(g, axes)
    return np.broadcast_to(g, shape)


def prod_partials(x, axis=None):
    """``d prod(x, axis) / dx``: for each element the product of the others it is multiplied with.

    Products from the left and from the right, so a zero factor gives the exact derivative (not 0/0).
    """
    x = np.asarray(x)
    axes = range(x.ndim) if axis is None else ((axis,) if np.ndim(axis) == 0 else axis)
    axes = [a % x.ndim for a in axes]
    order = [a for a in range(x.ndim) if a not in axes] + axes
    moved = np.transpose(x, order)
    flat = moved.reshape(moved.shape[:x.ndim - len(axes)] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), dtype=flat.dtype)
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.transpose((left * right).reshape(moved.shape), np.argsort(order))


def prod_partials_tangent(x, x_dot, axis=None):
    """Tangent of ``prod_partials(x, axis)`` along ``x_dot`` (second derivatives of ``np.prod``).

    For element i: the sum over the other elements j of ``x_dot[j]`` times the product of all but i and j,
    from an (i, j) table whose diagonal is 1 (so zeros stay exact); memory grows with the square of the
    reduced length. ``x_dot`` may carry leading axes of several directions (vector mode).
    """
    x, x_dot = np.asarray(x), np.asarray(x_dot)
    axes = range(x.ndim) if axis is None else ((axis,) if np.ndim(axis) == 0 else axis)
    axes = [a % x.ndim for a in axes]
    order = [a for a in range(x.ndim) if a not in axes] + axes
    moved = np.transpose(x, order)
    kept = moved.shape[:x.ndim - len(axes)]
    flat = moved.reshape(kept + (-1,))
    batch = x_dot.shape[:x_dot.ndim - x.ndim]
    dot_order = list(range(len(batch))) + [a + len(batch) for a in order]
    flat_dot = np.transpose(x_dot, dot_order).reshape(batch + kept + (-1,))
    eye = np.eye(flat.shape[-1], dtype=bool)
    table = np.where(eye, 1.0, flat[..., None, :])
    ones = np.ones(table.shape[:-1] + (1,), dtype=table.dtype)
    left = np.cumprod(np.concatenate([ones, table[..., :-1]], axis=-1), axis=-1)
    right = np.cumprod(np.concatenate([ones, table[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    result = np.sum(np.where(eye, 0.0, flat_dot[..., None, :]) * left * right, axis=-1)
    return np.transpose(result.reshape(batch + moved.shape), np.argsort(dot_order))


def var_weights(x, axis=None, ddof=0):
    """``d var(x, axis, ddof) / dx = 2 (x - mean) / (n - ddof)``, shaped like ``x``."""
    x = np.asarray(x)
    axes = range(x.ndim) if axis is None else ((axis,) if np.ndim(axis) == 0 else axis)
    n = int(np.prod([x.shape[a] for a in axes]))
    return 2.0 * (x - np.mean(x, axis=axis, keepdims=True)) / (n - ddof)


def reduced_size(x, axis=None):
    """Number of elements that a reduction over ``axis`` combines into one."""
    shape = np.shape(x)
    if axis is None:
        return int(np.prod(shape))
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    return int(np.prod([shape[a] for a in axes]))


def extremum_mask(x, z, axis=None, keepdims=False):
    """Where ``x`` attains the max/min ``z`` along ``axis``, ties sharing the derivative equally."""
    full = unreduce(z, x, axis, keepdims)
    mask = (x == full).astype(float)
    count = np.sum(mask, axis=axis, keepdims=True)
    return mask / count


def extremum_adjoint(g, x, z, axis=None, keepdims=False):
    """Adjoint of ``z = max(x, axis)`` (or min): ``g`` goes where ``x`` attains ``z``; ties share it."""
    mask = x == unreduce(z, x, axis, keepdims)
    share = unreduce(g, x, axis, keepdims)
    count = np.sum(mask, axis=axis, keepdims=True)
    if np.any(count > 1):
        share = share / count
    return np.where(mask, share, 0.0)


def accumulate_at(target, index, value):
    """``target[index] += value`` that also adds up repeated fancy indices (in place)."""
    flat_integers = isinstance(index, np.ndarray) and index.dtype.kind in "iu" and target.ndim == 1
    if flat_integers and np.isrealobj(value):
        target += np.bincount(index.ravel(), weights=np.broadcast_to(value, index.shape).ravel(),
                              minlength=target.size)
    elif _is_fancy(index):
        np.add.at(target, index, value)
    else:
        target[index] += value


def _is_fancy(index):
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, (list, np.ndarray)) for p in parts)


def written_adjoint(g, index, x=None):
    """Adjoint of the value written by ``x[index] = v``, before it is summed back to ``v``'s shape: a copy of
    ``g[index]``, where an element a fancy index writes more than once keeps only the write numpy kept (the
    others were overwritten). Writes into an integer ``x`` truncate, so they carry no derivative."""
    item = np.array(g[index])
    if item.dtype.kind not in "fc":
        item = item.astype(float)
    if not (x is None or isinstance(x, list) or np.issubdtype(np.result_type(x), np.inexact)):
        return np.zeros_like(item)
    if not isinstance(g, list) and _may_repeat(index) and item.size:
        order = np.arange(item.size).reshape(item.shape)
        kept = np.full_like(g, -1, dtype=np.intp)  # the layout of the written array
        kept[index] = order
        item = np.where(kept[index] == order, item, 0.0)
    return item


def _may_repeat(index):
    """Can ``index`` select an element twice? Only integer arrays (and lists) can; masks cannot."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, list) or (isinstance(p, np.ndarray) and p.dtype.kind != "b") for p in parts)


def written_tangent(t, x):
    """Tangent of the value written by ``x[index] = v``: zero where ``x`` holds integers (the write
    truncates)."""
    if isinstance(x, list) or np.issubdtype(np.result_type(x), np.inexact):
        return t
    return np.zeros_like(t, dtype=float)


def float_copy(t):
    """A tangent of an array that will be written by index: its own copy, of a float type (writes into
    the caller's tangent, a read-only broadcast or an integer array would change it, fail or truncate)."""
    return np.array(t, dtype=np.result_type(t, float))


def scatter(g, x, index):
    """Adjoint of ``x[index]``: an array shaped like ``x`` holding ``g`` at ``index``."""
    out = np.zeros(np.shape(x), dtype=np.result_type(g, float))
    accumulate_at(out, index, g)
    return out


def diagonal_adjoint(g, x, offset=0, axis1=0, axis2=1):
    """Adjoint of ``np.diagonal(x, offset, axis1, axis2)``: ``g`` on that diagonal of zeros like ``x``."""
    out = np.zeros(np.shape(x), dtype=np.result_type(g, float))
    view = np.moveaxis(out, (axis1, axis2), (-2, -1))
    rows, cols = view.shape[-2:]
    length = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    start_row, start_col = (0, offset) if offset >= 0 else (-offset, 0)
    index = np.arange(length)
    view[..., start_row + index, start_col + index] = g
    return out


def transpose_adjoint(g, axes=None):
    """Adjoint of ``np.transpose(x, axes)``: the inverse permutation (negative axes allowed)."""
    if axes is None:
        return np.transpose(g)
    return np.transpose(g, np.argsort(np.asarray(axes) % np.ndim(g)))


def diag_adjoint(g, x, k=0):
    """Adjoint of ``np.diag(x, k)``: the k-th diagonal of ``g`` (x a vector), or ``g`` on it (x a matrix)."""
    if np.ndim(x) == 1:
        return np.diagonal(g, k).copy()
    out = np.zeros(np.shape(x), dtype=np.result_type(g, float))
    index = np.arange(np.size(g))
    out[index + max(-k, 0), index + max(k, 0)] = g
    return out


def cumsum_adjoint(g, x, axis=None):
    """Adjoint of ``np.cumsum(x, axis)``: the reversed cumulative sum of ``g``, shaped like ``x``."""
    g = np.asarray(g)
    along = 0 if axis is None else axis
    reversed_sum = np.flip(np.cumsum(np.flip(g, along), along), along)
    return reversed_sum.reshape(np.shape(x))


def norm_weights(x, z, ord=None, axis=None, keepdims=False):
    """``x / norm(x)``, the derivative of the 2-norm (vectors) or Frobenius norm (matrices) ``z``."""
    x = np.asarray(x)
    vector = (axis is None and x.ndim == 1) or (axis is not None and np.ndim(axis) == 0)
    if not (ord is None or (ord == 2 and vector) or (ord == "fro" and not vector)):
        raise NotImplementedError("sct differentiates np.linalg.norm for the 2-norm of vectors and the "
                                  f"Frobenius norm of matrices, not ord={ord!r}")
    z = np.asarray(z)
    if axis is not None and not keepdims:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        z = np.expand_dims(z, tuple(a % x.ndim for a in axes))
    return x / z


def unstack(g, axis=0):
    """Adjoint of ``np.stack(list, axis)``: the list of slices of ``g`` along ``axis``."""
    return list(np.moveaxis(g, axis, 0))


def split_like(g, parts, axis=0):
    """Adjoint of ``np.concatenate(parts, axis)``: pieces of ``g`` shaped like each part."""
    sizes = [np.shape(p)[axis] for p in parts]
    return np.split(g, np.cumsum(sizes)[:-1], axis=axis)


def einsum_adjoint(subscripts, g, operands, position):
    """Adjoint of ``np.einsum(subscripts, *operands)`` with respect to operand ``position``.

    Indices of that operand that appear in no other operand nor the output were summed away, so the
    adjoint is constant along them and is broadcast back.
    """
    inputs, output = subscripts.replace(" ", "").split("->")
    terms = inputs.split(",")
    target = terms[position]
    others = [t for i, t in enumerate(terms) if i != position]
    other_ops = [op for i, op in enumerate(operands) if i != position]
    present = set(output).union(*others)
    kept = "".join(c for c in target if c in present)
    spec = ",".join([output] + others) + "->" + kept
    result = np.einsum(spec, g, *other_ops, optimize=bool(other_ops))
    if kept == target:
        return result
    missing_axes = tuple(i for i, c in enumerate(target) if c not in present)
    return np.broadcast_to(np.expand_dims(result, missing_axes), np.shape(operands[position]))


def matmul_adjoint(g, a, b, position):
    """Adjoint of ``a @ b`` with respect to ``a`` (position 0) or ``b`` (position 1).

    Vectors are promoted to matrices as ``np.matmul`` does; batch axes broadcast back by summing.
    """
    a2 = np.asarray(a)[None, :] if np.ndim(a) == 1 else np.asarray(a)
    b2 = np.asarray(b)[:, None] if np.ndim(b) == 1 else np.asarray(b)
    g2 = np.asarray(g)
    if np.ndim(a) == 1:
        g2 = np.expand_dims(g2, -2 if np.ndim(b) != 1 else 0)
    if np.ndim(b) == 1:
        g2 = np.expand_dims(g2, -1)
    if position == 0:
        return unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2).reshape(np.shape(a))
    return unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2).reshape(np.shape(b))


def lse_weights(a, z, b=None, axis=None, keepdims=False):
    """``b * exp(a - logsumexp(a, b))``: the derivative of logsumexp with respect to ``a``."""
    w = np.exp(a - unreduce(z, a, axis, keepdims))
    return w if b is None else w * b


def cholesky_tangent(L, a_dot):
    """Tangent of ``L = cholesky(a)``: ``L @ Phi(L^-1 a_dot L^-T)``, Phi = lower part, half diagonal."""
    inner = np.linalg.solve(L, np.swapaxes(np.linalg.solve(L, a_dot), -1, -2))
    phi = np.tril(inner) - 0.5 * np.eye(np.shape(L)[-1]) * inner
    return L @ phi


def cholesky_adjoint(L, L_bar):
    """Adjoint of ``L = cholesky(a)`` with respect to the symmetric matrix ``a``."""
    P = np.swapaxes(L, -1, -2) @ L_bar
    P = np.tril(P) - 0.5 * np.eye(np.shape(L)[-1]) * P
    Lt = np.swapaxes(L, -1, -2)
    S = np.linalg.solve(Lt, np.swapaxes(np.linalg.solve(Lt, P), -1, -2))
    return 0.5 * (S + np.swapaxes(S, -1, -2))


def sum_adjoint(g, x):
    """Adjoint of the builtin ``sum(x)``: ``g`` for each item of a list, or along an array's first axis."""
    if isinstance(x, list):
        return list(map(unbroadcast, [g] * len(x), x))
    return unreduce(g, x, 0)


def zeros_list(items):
    """Zero adjoint of a Python list, item by item (``np.zeros_like`` would stack the items into one array,
    and the reverse sweep pops each appended item's adjoint off the list)."""
    return [np.zeros_like(item, dtype=float) for item in items]


def add_lists(a, b):
    """Adjoints of a list add item by item (``+`` would concatenate the lists)."""
    return list(map(np.add, a, b))
