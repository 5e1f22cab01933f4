"""Numpy helpers that emitted higher-order and vector-mode code calls.

Like :mod:`sct.runtime`, each helper is self-contained (only ``numpy`` as ``np``) so that an emitted module
can carry a copy of the ones it uses. Vector-mode ("batched") values carry one extra leading axis: a batch
of K tangents of ``z`` has shape ``(K,) + np.shape(z)``.
"""
import numpy as np


def add_at(target, index, value):
    """``target[index] += value`` in place (repeated fancy indices add up); returns ``target``.

    The functional spelling of ``accumulate_at`` so that a second transformation sees the data flow.
    """
    parts = index if isinstance(index, tuple) else (index,)
    if any(isinstance(p, (list, np.ndarray)) for p in parts):
        np.add.at(target, index, value)
    else:
        target[index] += value
    return target


def batch_index(index):
    """The index ``index`` of a value, applied to its batch: ``(slice(None),) + index``."""
    return (slice(None),) + (index if isinstance(index, tuple) else (index,))


def batch_zeros(x, k):
    """A batch of ``k`` zero tangents of ``x``."""
    return np.zeros((k,) + np.shape(x))


def lift(t, z):
    """The batch ``t`` (of an operand that broadcasts into ``z``) aligned and broadcast to ``z``'s batch."""
    t = np.asarray(t)
    shape = t.shape[:1] + np.shape(z)
    if t.shape == shape:
        return t
    extra = len(shape) - t.ndim
    if extra > 0:
        t = t.reshape(t.shape[:1] + (1,) * extra + t.shape[1:])
    return np.array(np.broadcast_to(t, shape))


def batch_axis(x, axis=None):
    """Axis ``axis`` of the value ``x``, as an axis of a batch of such values (None: all but the batch)."""
    ndim = np.ndim(x)
    if axis is None:
        return tuple(range(1, ndim + 1))
    if np.ndim(axis) == 0:
        return int(axis) % ndim + 1
    return tuple(int(a) % ndim + 1 for a in axis)


def batch_size(t):
    """The number of values in the batch ``t`` (a batched array, or a list/tuple of them)."""
    while isinstance(t, (list, tuple)):
        t = t[0]
    return np.shape(t)[0]


def batch_item(t, index):
    """``value[index]`` for each value of the batch ``t``; lists and tuples of batches are indexed as such."""
    if isinstance(t, (list, tuple)):
        return t[index]
    return t[(slice(None),) + (index if isinstance(index, tuple) else (index,))]


def batch_setitem(t, index, value):
    """``value[index] = v`` for each value of the batch ``t`` (in place), ``v`` broadcast to the selection."""
    if isinstance(t, list):
        t[index] = value
        return
    full = (slice(None),) + (index if isinstance(index, tuple) else (index,))
    value = np.asarray(value)
    extra = t[full].ndim - value.ndim
    if extra > 0 and value.ndim > 0:
        value = value.reshape(value.shape[:1] + (1,) * extra + value.shape[1:])
    t[full] = value


def batch_written_adjoint(g, index, x=None):
    """``written_adjoint`` for each adjoint of the batch ``g``: ``g[:, index]``, where an element a fancy
    index writes more than once keeps only the write numpy kept; zero where ``x`` holds integers."""
    listed = isinstance(g, (list, tuple))  # a list of batches: its items are indexed as such
    full = index if listed else (slice(None),) + (index if isinstance(index, tuple) else (index,))
    item = np.array(g[full])
    if item.dtype.kind not in "fc":
        item = item.astype(float)
    if not (x is None or isinstance(x, list) or np.issubdtype(np.result_type(x), np.inexact)):
        return np.zeros_like(item)
    if not listed and any(isinstance(p, (list, np.ndarray)) for p in full) and item.size:
        member = np.asarray(g)[0]
        order = np.arange(np.size(member[index])).reshape(np.shape(member[index]))
        kept = np.full_like(member, -1, dtype=np.intp)
        kept[index] = order
        item = np.where(kept[index] == order, item, 0.0)
    return item


def batch_member(t, k):
    """Member ``k`` of the batch ``t`` (through lists and tuples of batches)."""
    if isinstance(t, (list, tuple)):
        return type(t)(batch_member(e, k) for e in t)
    return t[k]


def batch_add_at(t, index, value):
    """``add_at(value, index, v)`` for each value of the batch ``t`` (in place); returns ``t``."""
    full = (slice(None),) + (index if isinstance(index, tuple) else (index,))
    value = np.asarray(value)
    extra = t[full].ndim - value.ndim
    if extra > 0 and value.ndim > 0:
        value = value.reshape(value.shape[:1] + (1,) * extra + value.shape[1:])
    if any(isinstance(p, (list, np.ndarray)) for p in full):
        np.add.at(t, full, value)
    else:
        t[full] += value
    return t


def batch_dot(a, b, batched):
    """``np.dot(a, b)`` where operand ``batched`` (0 or 1) is a batch."""
    a_nd = np.ndim(a) - (batched == 0)
    b_nd = np.ndim(b) - (batched == 1)
    if a_nd == 0 or b_nd == 0:
        t, other = (a, b) if batched == 0 else (b, a)
        t = np.reshape(t, np.shape(t) + (1,) * np.ndim(other))
        return t * other
    r = np.tensordot(a, b, axes=([-1], [-1 if b_nd == 1 else -2]))
    return np.moveaxis(r, a_nd - 1, 0) if batched == 1 else r


def batch_outer(a, b, batched):
    """``np.outer(a, b)`` where operand ``batched`` (0 or 1) is a batch."""
    if batched == 0:
        a = np.reshape(a, (np.shape(a)[0], -1))
        return a[:, :, None] * np.ravel(b)[None, None, :]
    b = np.reshape(b, (np.shape(b)[0], -1))
    return np.ravel(a)[None, :, None] * b[:, None, :]


def batch_reshape(t, z):
    """A batch ``t`` reshaped to batches of ``z``'s shape."""
    return np.reshape(t, np.shape(t)[:1] + np.shape(z))


def batch_transpose(t, axes=None):
    """``np.transpose`` of each value of the batch ``t`` (also ``.T``)."""
    ndim = np.ndim(t) - 1
    order = range(ndim - 1, -1, -1) if axes is None else [int(a) % ndim for a in axes]
    return np.transpose(t, (0,) + tuple(a + 1 for a in order))


def batch_untranspose(t, axes=None):
    """The inverse of ``batch_transpose(t, axes)``: adjoints of a transpose, or tangents of its adjoint."""
    ndim = np.ndim(t) - 1
    order = range(ndim - 1, -1, -1) if axes is None else np.argsort([int(a) % ndim for a in axes])
    return np.transpose(t, (0,) + tuple(int(a) + 1 for a in order))


def batch_unbroadcast(g, x):
    """A batch of adjoints ``g`` summed over the axes along which ``x`` was broadcast."""
    shape = np.shape(x)
    g = np.asarray(g)
    if g.shape[1:] == shape:
        return g
    extra = g.ndim - 1 - len(shape)
    if extra > 0:
        g = np.sum(g, axis=tuple(range(1, extra + 1)))
    axes = tuple(i + 1 for i, n in enumerate(shape) if n == 1 and g.shape[i + 1] != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    return g.reshape(g.shape[:1] + shape)


def batch_unreduce(g, x, axis=None, keepdims=False):
    """A batch of adjoints of a reduction over ``axis``, spread back over ``x``'s shape."""
    shape = np.shape(x)
    g = np.asarray(g)
    if axis is not None and not keepdims:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        g = np.expand_dims(g, tuple(a % len(shape) + 1 for a in axes))
    elif axis is None and not keepdims:
        g = g.reshape(g.shape[:1] + (1,) * len(shape))
    return np.broadcast_to(g, g.shape[:1] + shape)


def batch_scatter(g, x, index):
    """A batch of adjoints of ``x[index]``: arrays shaped like ``x`` holding ``g`` at ``index``."""
    g = np.asarray(g)
    return batch_add_at(np.zeros(g.shape[:1] + np.shape(x), dtype=np.result_type(g, float)), index, g)


def batch_matmul(a, b, batched):
    """``a @ b`` where operand ``batched`` (0 or 1) is a batch of values: the batch axis stays first."""
    a_nd = np.ndim(a) - (batched == 0)
    b_nd = np.ndim(b) - (batched == 1)
    a2 = np.expand_dims(a, -2) if a_nd == 1 else np.asarray(a)
    b2 = np.expand_dims(b, -1) if b_nd == 1 else np.asarray(b)
    out_nd = max(a_nd, b_nd, 2)
    if batched == 0:
        a2 = a2.reshape(a2.shape[:1] + (1,) * (out_nd - max(a_nd, 2)) + a2.shape[1:])
    else:
        b2 = b2.reshape(b2.shape[:1] + (1,) * (out_nd - max(b_nd, 2)) + b2.shape[1:])
    r = a2 @ b2
    if b_nd == 1:
        r = r[..., 0]
    if a_nd == 1:
        r = r[..., 0] if b_nd == 1 else r[..., 0, :]
    return r


def batch_matmul_adjoint(g, a, b, position, batched):
    """``matmul_adjoint(g, a, b, position)`` where argument ``batched`` (0: g, 1: a, 2: b) is a batch."""
    values = [np.asarray(g), np.asarray(a), np.asarray(b)]
    k = values[batched].shape[0]
    if batched == 1 + position:
        values[batched] = values[batched][0]
        one = batch_matmul_adjoint(values[0][None], values[1], values[2], position, 0)
        return np.broadcast_to(one, (k,) + one.shape[1:])
    data = [v.shape[1:] if i == batched else v.shape for i, v in enumerate(values)]
    a_nd, b_nd = len(data[1]), len(data[2])
    g2, a2, b2 = values
    if a_nd == 1:
        a2 = np.expand_dims(a2, -2)
        g2 = np.expand_dims(g2, -2 if b_nd != 1 else -1)
    if b_nd == 1:
        b2 = np.expand_dims(b2, -1)
        g2 = np.expand_dims(g2, -1)
    values = [g2, a2, b2]
    promoted = [len(data[0]) + (a_nd == 1) + (b_nd == 1), max(a_nd, 2), max(b_nd, 2)]
    t = values[batched]
    values[batched] = t.reshape((k,) + (1,) * (max(promoted) - promoted[batched]) + t.shape[1:])
    g2, a2, b2 = values
    if position == 0:
        r = g2 @ np.swapaxes(b2, -1, -2)
        like = (1,) + data[1] if a_nd == 1 else data[1]
    else:
        r = np.swapaxes(a2, -1, -2) @ g2
        like = data[2] + (1,) if b_nd == 1 else data[2]
    r = batch_unbroadcast(r, np.broadcast_to(0.0, like))
    return r.reshape((k,) + data[1 + position])


def batch_solve(a, rhs, z):
    """``np.linalg.solve(a, rhs)`` for a batch ``rhs`` of right-hand sides shaped like the solution ``z``."""
    if np.ndim(z) == np.ndim(a) - 1:
        return np.linalg.solve(a, np.asarray(rhs)[..., None])[..., 0]
    return np.linalg.solve(a, rhs)


def batch_stack(ts, axis=0):
    """``np.stack`` of batches, stacking values along ``axis``."""
    ts = [batch_array(t) if isinstance(t, (list, tuple)) else t for t in ts]  # nested lists: batch first
    ndim = np.ndim(ts[0])
    return np.stack(ts, axis=axis + 1 if axis >= 0 else axis + ndim + 1 if axis + ndim + 1 > 0 else axis)


def batch_array(t):
    """``np.array(value)`` for a batch: a list or tuple of batches is stacked after the batch axis."""
    if isinstance(t, (list, tuple)):
        return np.stack([batch_array(e) for e in t], axis=1)
    return np.array(t, dtype=float)


def batch_unstack_like(g, x):
    """A batch of adjoints of ``np.array(x)``: for a (nested) list ``x``, batches in ``x``'s structure."""
    if not isinstance(x, (list, tuple)):
        return g
    return [batch_unstack_like(p, e) for p, e in zip(np.moveaxis(np.asarray(g), 1, 0), x)]


def batch_sum_items(t):
    """Python's ``sum(value)`` for a batch: over a list's items, or over an array's first value axis."""
    if isinstance(t, (list, tuple)):
        return sum(t)
    return np.sum(t, axis=1)


def batch_concatenate(ts, axis=0):
    """``np.concatenate`` of batches along the values' ``axis``."""
    if axis is None:  # the values are flattened
        return np.concatenate([np.reshape(t, (np.shape(t)[0], -1)) for t in ts], axis=1)
    ndim = np.ndim(ts[0]) - 1
    return np.concatenate(ts, axis=axis % ndim + 1)


def batch_unstack(g, axis=0):
    """A batch of adjoints of ``np.stack(list, axis)``: one batch per stacked value."""
    ndim = np.ndim(g) - 1
    return list(np.moveaxis(g, axis % ndim + 1, 0))


def batch_split_like(g, parts, axis=0):
    """A batch of adjoints of ``np.concatenate(parts, axis)``: pieces shaped like each part's batch."""
    if axis is None:  # the parts were flattened
        pieces = np.split(g, np.cumsum([np.size(p) for p in parts])[:-1], axis=1)
        return [np.reshape(piece, np.shape(piece)[:1] + np.shape(p)) for piece, p in zip(pieces, parts)]
    sizes = [np.shape(p)[axis] for p in parts]
    ndim = np.ndim(g) - 1
    return np.split(g, np.cumsum(sizes)[:-1], axis=axis % ndim + 1)


def batch_cumsum(t, axis=None):
    """``np.cumsum`` of each value of the batch ``t``."""
    if axis is None:
        return np.cumsum(np.reshape(t, (np.shape(t)[0], -1)), axis=1)
    return np.cumsum(t, axis=int(axis) % (np.ndim(t) - 1) + 1)


def batch_extremum_adjoint(g, x, z, axis=None, keepdims=False):
    """A batch of adjoints of ``z = max(x, axis)`` (or min): each goes where ``x`` attains ``z``."""
    mask = x == unreduce_like(z, x, axis, keepdims)
    count = np.sum(mask, axis=axis, keepdims=True)
    share = batch_unreduce(g, x, axis, keepdims) / np.maximum(count, 1)
    return np.where(mask, share, 0.0)


def unreduce_like(z, x, axis=None, keepdims=False):
    """The reduction result ``z`` spread back over ``x``'s shape."""
    if axis is not None and not keepdims:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        z = np.expand_dims(z, tuple(a % np.ndim(x) for a in axes))
    return np.broadcast_to(z, np.shape(x))


def batch_cumsum_adjoint(g, x, axis=None):
    """A batch of adjoints of ``np.cumsum(x, axis)``: reversed cumulative sums, shaped like ``x``."""
    g = np.asarray(g)
    along = 1 if axis is None else int(axis) % max(np.ndim(x), 1) + 1
    reversed_sum = np.flip(np.cumsum(np.flip(g, along), along), along)
    return reversed_sum.reshape(g.shape[:1] + np.shape(x))


def batch_diagonal_adjoint(g, x, offset=0, axis1=0, axis2=1):
    """A batch of adjoints of ``np.diagonal(x, offset, axis1, axis2)``: ``g`` placed on that diagonal."""
    g = np.asarray(g)
    ndim = np.ndim(x)
    out = np.zeros(g.shape[:1] + np.shape(x), dtype=np.result_type(g, float))
    moved = np.moveaxis(out, (axis1 % ndim + 1, axis2 % ndim + 1), (-2, -1))
    i = np.arange(g.shape[-1])
    moved[..., i + max(-offset, 0), i + max(offset, 0)] = g
    return out


def batch_diagonal(t, offset=0, axis1=0, axis2=1):
    """``np.diagonal`` of each value of the batch ``t``."""
    ndim = np.ndim(t) - 1
    return np.diagonal(t, offset=offset, axis1=axis1 % ndim + 1, axis2=axis2 % ndim + 1)


def batch_trace(t, offset=0, axis1=0, axis2=1):
    """``np.trace`` of each value of the batch ``t``."""
    ndim = np.ndim(t) - 1
    return np.trace(t, offset=offset, axis1=axis1 % ndim + 1, axis2=axis2 % ndim + 1)


def cholesky_adjoint_tangent(L, L_bar, L_dot, L_bar_dot):
    """Tangent of ``cholesky_adjoint(L, L_bar)`` along ``(L_dot, L_bar_dot)`` (None: a zero tangent).

    With ``Phi = tril(L^T L_bar) - diag/2`` and ``S = L^-T Phi^T L^-1`` the adjoint is ``(S + S^T) / 2``;
    ``dS = L^-T dPhi^T L^-1 - L^-T dL^T S - S dL L^-1``. Leading batch axes broadcast.
    """
    n = np.shape(L)[-1]
    lt = np.swapaxes(L, -1, -2)
    phi = np.tril(lt @ L_bar) - 0.5 * np.eye(n) * (lt @ L_bar)
    s = np.linalg.solve(lt, np.swapaxes(np.linalg.solve(lt, phi), -1, -2))
    dp = 0.0
    if L_dot is not None:
        dp = dp + np.swapaxes(L_dot, -1, -2) @ L_bar
    if L_bar_dot is not None:
        dp = dp + lt @ L_bar_dot
    dphi = np.tril(dp) - 0.5 * np.eye(n) * dp
    ds = np.linalg.solve(lt, np.swapaxes(np.linalg.solve(lt, dphi), -1, -2))
    if L_dot is not None:
        ds = ds - np.linalg.solve(lt, np.swapaxes(L_dot, -1, -2) @ s)
        ds = ds - np.swapaxes(np.linalg.solve(lt, np.swapaxes(s @ L_dot, -1, -2)), -1, -2)
    return 0.5 * (ds + np.swapaxes(ds, -1, -2))


def batch_prod_partials_tangent(x, t, axis=None):
    """Tangent of ``prod_partials(x, axis)`` along ``t`` (which may carry leading batch axes).

    ``prod_partials`` is ``left * right`` with ``left_k`` (``right_k``) the product of the factors before
    (after) factor k; both and their tangents follow the recurrences, so zero factors stay exact.
    """
    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    lead = t.ndim - x.ndim
    axes = range(x.ndim) if axis is None else ((axis,) if np.ndim(axis) == 0 else axis)
    axes = [a % x.ndim for a in axes]
    order = [a for a in range(x.ndim) if a not in axes] + axes
    moved = np.transpose(x, order)
    flat = moved.reshape(moved.shape[:x.ndim - len(axes)] + (-1,))
    t_moved = np.transpose(t, list(range(lead)) + [a + lead for a in order])
    t_flat = t_moved.reshape(t_moved.shape[:lead] + flat.shape)
    n = flat.shape[-1]
    left, right = np.ones(flat.shape), np.ones(flat.shape)
    d_left, d_right = np.zeros(t_flat.shape), np.zeros(t_flat.shape)
    for k in range(1, n):
        left[..., k] = left[..., k - 1] * flat[..., k - 1]
        d_left[..., k] = d_left[..., k - 1] * flat[..., k - 1] + left[..., k - 1] * t_flat[..., k - 1]
        j = n - 1 - k
        right[..., j] = right[..., j + 1] * flat[..., j + 1]
        d_right[..., j] = d_right[..., j + 1] * flat[..., j + 1] + right[..., j + 1] * t_flat[..., j + 1]
    d = (d_left * right + left * d_right).reshape(t_moved.shape)
    inverse = np.argsort(order)
    return np.transpose(d, list(range(lead)) + [int(a) + lead for a in inverse])
