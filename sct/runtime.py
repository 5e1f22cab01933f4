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
    extra = g.ndim - len(shape)
    if extra > 0:
        g = np.sum(g, axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    return g.reshape(shape) if shape != g.shape else g


def seed_like(seed, value):
    """The adjoint a reverse sweep starts from: ``seed`` with the shape (and container) of ``value``.

    A scalar seed on an array output stands for every entry (the gradient of ``seed`` times the sum of
    the entries); any other seed must have the output's shape. A tuple (or list) output takes a sequence of
    seeds, one per element, or one scalar for all of them.
    """
    if isinstance(value, (tuple, list)):
        if not isinstance(seed, (tuple, list)) and np.ndim(seed) == 0:
            seed = (seed,) * len(value)
        if len(seed) != len(value):
            raise ValueError(f"the seed has {len(seed)} entries but the function returns "
                             f"{len(value)} outputs (pass one seed per output, or a scalar)")
        return tuple(seed_like(s, v) for s, v in zip(seed, value))
    shape = np.shape(value)
    if np.shape(seed) == shape:
        if not shape and not isinstance(seed, np.ndarray):
            return seed
        seed = np.array(seed)  # a copy: the sweep may update an adjoint in place
        return seed if seed.dtype.kind in "fc" else seed.astype(float)
    if np.ndim(seed) != 0:
        raise ValueError(f"the seed has shape {np.shape(seed)} but the output has shape {shape}; pass a seed "
                         f"of the output's shape (or a scalar, for every entry)")
    dtype = np.asarray(value).dtype
    return np.full(shape, seed, dtype=dtype if dtype.kind in "fc" else float)


def broadcast_like(t, z):
    """Give the tangent ``t`` the full shape of the primal value ``z`` it belongs to."""
    shape = np.shape(z)
    if np.shape(t) == shape:
        return t
    return np.broadcast_to(t, shape)


def if_inexact(g, z):
    """The derivative ``g`` carried through a cast to ``z``'s dtype: ``g`` for a float (or complex) ``z``,
    zero for an integer or boolean one (rounding is piecewise constant)."""
    if np.asarray(z).dtype.kind in "fc":
        return g
    return np.zeros(np.shape(g))


def _linspace_weights(z, num, endpoint, axis):
    """Weights ``t`` of ``z = np.linspace(start, stop, num) = start + t * (stop - start)``, shaped to
    broadcast against ``z`` along ``axis``."""
    shape = [1] * np.ndim(z)
    shape[axis] = num
    return np.linspace(0.0, 1.0, num, endpoint=endpoint).reshape(shape)


def linspace_tangent(start_dot, stop_dot, z, num, endpoint=True, axis=0):
    """Tangent of ``z = np.linspace(start, stop, num, endpoint, axis)``: linear in ``start`` and ``stop``."""
    t = _linspace_weights(z, num, endpoint, axis)
    axis = axis % np.ndim(z)
    rest = np.shape(z)[:axis] + np.shape(z)[axis + 1:]
    start_dot = np.expand_dims(np.broadcast_to(start_dot, rest), axis)
    stop_dot = np.expand_dims(np.broadcast_to(stop_dot, rest), axis)
    return start_dot * (1.0 - t) + stop_dot * t


def linspace_adjoint(g, z, num, endpoint=True, axis=0):
    """Adjoints of ``start`` and ``stop`` (broadcast shapes) of ``z = np.linspace(start, stop, num, ...)``."""
    t = _linspace_weights(z, num, endpoint, axis)
    g = np.broadcast_to(g, np.shape(z))
    return np.sum(g * (1.0 - t), axis=axis), np.sum(g * t, axis=axis)


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
    """``d norm(x, ord, axis) / dx``, shaped like ``x``, for every ``ord`` numpy accepts.

    Vector norms: ``x / z`` (2-norm), ``sign(x) |x|**(p-1) / z**(p-1)`` (p-norms), the entries attaining the
    max/min modulus (inf/-inf, ties share), zero (ord 0 counts entries). Matrix norms: ``x / z``
    (Frobenius), ``U V^T`` (nuclear), ``u v^T`` of the largest/smallest singular value (2/-2), the signs of
    the column (1/-1) or row (inf/-inf) attaining the max/min absolute sum. Where the norm is not
    differentiable (at 0, repeated singular values) the result is what these formulas give, NaN at 0 for
    the 2-norm as in autograd.
    """
    x = np.asarray(x)
    if axis is None:
        if ord is None or x.ndim == 1:
            axes = tuple(range(x.ndim))
        else:
            axes = (0, 1)
    else:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    axes = tuple(a % x.ndim for a in axes) if x.ndim else ()
    z = np.asarray(z)
    if axis is not None and not keepdims:
        z = np.expand_dims(z, axes)
    elif axis is None and not keepdims:
        z = np.reshape(z, (1,) * x.ndim)
    if ord is None or (ord == "fro" and len(axes) == 2) or (ord == 2 and len(axes) == 1):
        return x / z
    if len(axes) == 1 or x.ndim == 0:
        return _vector_norm_weights(x, z, ord, axes)
    moved = np.moveaxis(x, axes, (-2, -1))
    return np.moveaxis(_matrix_norm_weights(moved, ord), (-2, -1), axes)


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


def unstack(g, axis=0):
    """Adjoint of ``np.stack(list, axis)``: the list of slices of ``g`` along ``axis``."""
    return list(np.moveaxis(g, axis, 0))


def split_like(g, parts, axis=0):
    """Adjoint of ``np.concatenate(parts, axis)``: pieces of ``g`` shaped like each part."""
    if axis is None:  # the parts were flattened
        pieces = np.split(g, np.cumsum([np.size(p) for p in parts])[:-1])
        return [np.reshape(piece, np.shape(p)) for piece, p in zip(pieces, parts)]
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


def dot_adjoint(g, a, b, position, batch=0):
    """Adjoint of ``np.dot(a, b)`` (neither a scalar) with respect to ``a`` (position 0) or ``b`` (1).

    ``np.dot`` contracts the last axis of ``a`` with the last axis of a vector ``b``, else with its
    second-to-last, the other axes of both following in order (not matmul's batch broadcasting).
    ``batch=1``: ``g`` (and the result) carry a leading axis of several adjoints.
    """
    na, nb = np.ndim(a), np.ndim(b)
    letters = "abcdefghijlmnopqrstuvwxy"
    a_axes = letters[:na - 1] + "k"
    b_axes = "k" if nb == 1 else letters[na - 1:na + nb - 3] + "k" + letters[na + nb - 3]
    out = a_axes[:-1] + b_axes.replace("k", "")
    lead = "z" if batch else ""
    g = np.asarray(g)
    shape = np.shape(a)[:-1] + (np.shape(b)[:-2] + np.shape(b)[-1:] if nb > 1 else ())
    g = np.broadcast_to(g, g.shape[:g.ndim - len(shape)] + shape) if g.ndim - batch < len(shape) else g
    if position == 0:
        return np.einsum(f"{lead}{out},{b_axes}->{lead}{a_axes}", g, b)
    return np.einsum(f"{a_axes},{lead}{out}->{lead}{b_axes}", a, g)


def as_columns(v, z, a):
    """``v`` (shaped like the solution ``z`` of ``np.linalg.solve(a, b)``, or a broadcast part of it) as
    matrices of columns: numpy solves for a stack of vectors when ``b`` is 1-D, so ``z`` then has one
    axis less than ``a`` and gets a trailing axis of length 1."""
    return np.asarray(v)[..., None] if np.ndim(z) == np.ndim(a) - 1 else v


def from_columns(v, z, a):
    """The inverse of ``as_columns``: drop the trailing axis again for a solution made of vectors."""
    return np.asarray(v)[..., 0] if np.ndim(z) == np.ndim(a) - 1 else v


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


def float_input(x, name="x"):
    """A differentiated input as its derivative reads it: integers and booleans become floats (derivatives
    are real), tuples and lists item by item; complex numbers and dicts are refused, naming the argument."""
    if isinstance(x, (tuple, list)):
        return type(x)([float_input(item, name) for item in x])
    if isinstance(x, dict):
        raise TypeError(f"argument '{name}' is a dict: derivatives are taken with respect to numbers, arrays "
                        "and tuples or lists of them; pass the dict's values as separate arguments")
    kind = np.asarray(x).dtype.kind
    if kind == "c":
        raise TypeError(f"argument '{name}' is complex: derivatives of complex inputs are not supported; "
                        "pass the real and imaginary parts as two real arguments")
    if kind in "biu":
        return np.asarray(x, dtype=float) if isinstance(x, np.ndarray) else float(x)
    return x


def owned_input(x):
    """A copy of an input that the derivative writes into, so that the caller's value stays as it was."""
    if isinstance(x, (tuple, list)):
        return type(x)([owned_input(item) for item in x])
    return np.array(x) if isinstance(x, np.ndarray) else x
