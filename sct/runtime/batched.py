"""Numpy helpers that emitted higher-order and vector-mode code calls.

Like :mod:`sct.runtime`, each helper is self-contained (only ``numpy`` as ``np``) so that an emitted module
can carry a copy of the ones it uses. Vector-mode ("batched") values carry one extra leading axis: a batch
of K tangents of ``z`` has shape ``(K,) + np.shape(z)``.
"""
import numpy as np

from .axes import _axes_of, _scan_axis
from .batch_indices import batch_index
from .containers import add_items, dict_set_adjoint


def add_at(target, index, value):
    """``target[index] += value`` in place (repeated fancy indices add up); returns ``target``.

    The functional spelling of ``accumulate_at`` so that a second transformation sees the data flow.
    """
    if isinstance(target, (list, dict)):
        return add_items(target, index, value)
    parts = index if isinstance(index, tuple) else (index,)
    if any(isinstance(p, (list, np.ndarray)) for p in parts):
        np.add.at(target, index, value)
    else:
        target[index] += value
    return target


def added_at(target, index, value):
    """``target`` with ``value`` added at ``index`` (repeated fancy indices add up), as a new value:
    ``target`` stays as it was. Emitted code writes in place (``add_at``) only into a target no other name
    can hold (``sct.optimize.in_place``)."""
    return add_at(target_copy(target), index, value)


def target_copy(t):
    """A copy of the target of an addition by index: a list or dict item by item, an array whole."""
    if isinstance(t, list):
        return list(t)
    if isinstance(t, dict):
        return dict(t)
    return np.array(t)


def batch_zeros(x, k, items=False):
    """A batch of ``k`` zero tangents of ``x``; for a Python list, a list of them, item by item (also for
    an object array: a tape's adjoint, see ``zeros_items``; a dict: key by key). A tuple is one array
    unless ``items`` (a name sct knows holds a sequence: a call's tuple of arrays, a tuple written out, and
    the tuples in it)."""
    if isinstance(x, list) or (items and isinstance(x, tuple)) or \
            (isinstance(x, np.ndarray) and x.dtype.kind == "O" and x.ndim):
        return [batch_zeros(item, k, items) for item in x]
    if isinstance(x, dict):
        return {key: batch_zeros(item, k) for key, item in x.items()}
    try:
        return np.zeros((k,) + np.shape(x))
    except ValueError:  # a tuple whose items do not stack (an index of arrays of several shapes)
        return [batch_zeros(item, k) for item in x]


def lift(t, z):
    """The batch ``t`` (of an operand that broadcasts into ``z``) aligned and broadcast to ``z``'s batch.
    A list ``t`` (the tangent of a list numpy reads as an array) is a list of batches: stacked after the
    batch axis, where the list's axis is."""
    if isinstance(t, (list, tuple)):
        t = np.stack(np.broadcast_arrays(*[np.asarray(item) for item in t]), axis=1)
    t = np.asarray(t)
    shape = t.shape[:1] + np.shape(z)
    if t.shape == shape:
        return t
    extra = len(shape) - t.ndim
    if extra > 0:
        t = t.reshape(t.shape[:1] + (1,) * extra + t.shape[1:])
    return np.array(np.broadcast_to(t, shape))


def batch_axis(x, axis=None):
    """Axis ``axis`` of the value ``x``, as an axis of a batch of such values (None: all but the batch;
    a 0-d ``x`` takes axis 0 or -1 as no axis, as numpy's reductions do)."""
    axes = tuple(a + 1 for a in _axes_of(np.ndim(x), axis))
    return axes[0] if np.ndim(axis) == 0 and axis is not None and axes else axes


def batch_size(t):
    """The number of values in the batch ``t`` (a batched array, or a list/tuple/dict of them, whose first
    batched item tells: a tape's empty stack holds none)."""
    if not isinstance(t, (list, tuple, dict)):
        return np.shape(t)[0]
    for item in t.values() if isinstance(t, dict) else t:
        try:
            return batch_size(item)
        except ValueError:  # an empty container: the next item tells
            continue
    raise ValueError("no batched value in an empty tape")


def batch_dict_set_adjoint(g, key, d):
    """:func:`dict_set_adjoint` for a batch ``g`` of adjoints: the zero at ``key`` carries the batch too."""
    new = dict_set_adjoint(g, key, {})  # copies of the other items
    if key in d:
        new[key] = batch_zeros(d[key], batch_size(g))
    return new


def batch_item(t, index):
    """``value[index]`` for each value of the batch ``t``; lists and tuples of batches are indexed as such."""
    if isinstance(t, (list, tuple, dict)):
        return t[index]
    return t[batch_index(index, np.shape(t)[0])]


def batch_element(t, z):
    """The batch ``t`` of tangents of ``z = x[index]`` (``t`` a view of ``x``'s batch): its own copy where
    ``z`` is a number (numpy gave a copy, which later writes into ``x`` leave as it is), else ``t``."""
    return t if isinstance(z, np.ndarray) else np.array(t)


def batch_setitem(t, index, value):
    """``value[index] = v`` for each value of the batch ``t`` (in place), ``v`` broadcast to the selection;
    a list or dict of batches takes ``v`` as its item."""
    if isinstance(t, (list, dict)):
        if isinstance(index, slice) and isinstance(value, np.ndarray):  # the array's items: its rows
            value = [value[:, k] for k in range(np.shape(value)[1])]
        t[index] = value
        return
    full = batch_index(index, np.shape(t)[0])
    value = np.asarray(value)
    extra = t[full].ndim - value.ndim
    if extra > 0 and value.ndim > 0:
        value = value.reshape(value.shape[:1] + (1,) * extra + value.shape[1:])
    t[full] = value


def batch_written_adjoint(g, index, x=None):
    """``written_adjoint`` for each adjoint of the batch ``g``: ``g[:, index]``, where an element a fancy
    index writes more than once keeps only the write numpy kept; zero where ``x`` holds integers."""
    listed = isinstance(g, (list, tuple))  # a list of batches: its items are indexed as such
    full = index if listed else batch_index(index, np.shape(g)[0])
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
    """``add_at(value, index, v)`` for each value of the batch ``t`` (in place); returns ``t``. A list of
    batches (or a dict of them) adds ``v`` to its item ``index``."""
    if isinstance(t, (list, dict)):
        return add_items(t, index, value)
    full = batch_index(index, np.shape(t)[0])
    value = np.asarray(value)
    extra = t[full].ndim - value.ndim
    if extra > 0 and value.ndim > 0:
        value = value.reshape(value.shape[:1] + (1,) * extra + value.shape[1:])
    if any(isinstance(p, (list, np.ndarray)) for p in full):
        np.add.at(t, full, value)
    else:
        t[full] += value
    return t


def batch_added_at(t, index, value):
    """``batch_add_at`` into a copy of the batch ``t``, which stays as it was (see ``added_at``)."""
    return batch_add_at(target_copy(t), index, value)


def batch_reshape(t, z):
    """A batch ``t`` reshaped to batches of ``z``'s shape."""
    return np.reshape(t, np.shape(t)[:1] + np.shape(z))


def batch_transpose(t, axes=None):
    """``np.transpose`` of each value of the batch ``t`` (also ``.T``)."""
    ndim = np.ndim(t) - 1
    order = range(ndim - 1, -1, -1) if axes is None else _axes_of(ndim, axes)
    return np.transpose(t, (0,) + tuple(a + 1 for a in order))


def batch_untranspose(t, axes=None):
    """The inverse of ``batch_transpose(t, axes)``: adjoints of a transpose, or tangents of its adjoint."""
    ndim = np.ndim(t) - 1
    order = range(ndim - 1, -1, -1) if axes is None else np.argsort(_axes_of(ndim, axes))
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
        g = np.expand_dims(g, tuple(a + 1 for a in _axes_of(len(shape), axis)))
    elif axis is None and not keepdims:
        g = g.reshape(g.shape[:1] + (1,) * len(shape))
    return np.broadcast_to(g, g.shape[:1] + shape)


def batch_sum_adjoint(g, x):
    """A batch of adjoints of the builtin ``sum(x)``: ``g`` for each item of a list, or along an array's
    first axis."""
    if isinstance(x, list):
        return [batch_unbroadcast(g, e) for e in x]
    return batch_unreduce(g, x, 0)


def batch_scatter(g, x, index):
    """A batch of adjoints of ``x[index]``: arrays shaped like ``x`` holding ``g`` at ``index``."""
    g = np.asarray(g)
    return batch_add_at(np.zeros(g.shape[:1] + np.shape(x), dtype=np.result_type(g, float)), index, g)



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


def batch_stacked(t):
    """A batch of values that may be lists, as numpy reads them: lists stacked (:func:`batch_array`)."""
    return batch_array(t) if isinstance(t, (list, tuple)) else t


def batch_unstack_like(g, x):
    """A batch of adjoints of ``np.array(x)``: for a (nested) list ``x``, batches in ``x``'s structure."""
    if not isinstance(x, (list, tuple)):
        return g
    return [batch_unstack_like(p, e) for p, e in zip(np.moveaxis(np.asarray(g), 1, 0), x)]


def batch_list_adjoint(g, x):
    """:func:`sct.runtime.indexing.list_adjoint` for a batch ``g`` (a list of batches, or one array): item by
    item for a list or tuple ``x``, whose items' adjoints are read ``g[k]`` (not across the batch axis)."""
    if isinstance(g, (list, tuple, dict)) or not isinstance(x, (list, tuple)) or np.ndim(g) == 0 \
            or np.asarray(g).dtype.kind == "O":  # zeros_items: items of their own
        return g
    return batch_unstack_like(g, x)


def batch_sum_items(t):
    """Python's ``sum(value)`` for a batch: over a list's items, or over an array's first value axis."""
    if isinstance(t, (list, tuple)):
        return sum(t)
    return np.sum(t, axis=1)


def batch_concatenate(ts, axis=0):
    """``np.concatenate`` of batches along the values' ``axis``."""
    ts = [batch_array(t) if isinstance(t, (list, tuple)) else t for t in ts]  # a list value: batch first
    if axis is None:  # the values are flattened
        return np.concatenate([np.reshape(t, (np.shape(t)[0], -1)) for t in ts], axis=1)
    return np.concatenate(ts, axis=_axes_of(np.ndim(ts[0]) - 1, axis)[0] + 1)


def batch_unstack(g, axis=0):
    """A batch of adjoints of ``np.stack(list, axis)``: one batch per stacked value."""
    return list(np.moveaxis(g, _axes_of(np.ndim(g) - 1, axis)[0] + 1, 0))


def batch_split_like(g, parts, axis=0):
    """A batch of adjoints of ``np.concatenate(parts, axis)``: pieces shaped like each part's batch."""
    if axis is None:  # the parts were flattened
        pieces = np.split(g, np.cumsum([np.size(p) for p in parts])[:-1], axis=1)
        return [np.reshape(piece, np.shape(piece)[:1] + np.shape(p)) for piece, p in zip(pieces, parts)]
    sizes = [np.shape(p)[axis] for p in parts]
    return np.split(g, np.cumsum(sizes)[:-1], axis=_axes_of(np.ndim(g) - 1, axis)[0] + 1)


def batch_cumsum(t, axis=None):
    """``np.cumsum`` of each value of the batch ``t``."""
    axis = _scan_axis(np.ndim(t) - 1, axis)
    if axis is None:
        return np.cumsum(np.reshape(t, (np.shape(t)[0], -1)), axis=1)
    return np.cumsum(t, axis=axis + 1)


def batch_extremum_adjoint(g, x, z, axis=None, keepdims=False):
    """A batch of adjoints of ``z = max(x, axis)`` (or min): each goes where ``x`` attains ``z``."""
    mask = x == unreduce_like(z, x, axis, keepdims)
    count = np.sum(mask, axis=axis, keepdims=True)
    share = batch_unreduce(g, x, axis, keepdims) / np.maximum(count, 1)
    return np.where(mask, share, 0.0)


def unreduce_like(z, x, axis=None, keepdims=False):
    """The reduction result ``z`` spread back over ``x``'s shape."""
    if axis is not None and not keepdims:
        z = np.expand_dims(z, _axes_of(np.ndim(x), axis))
    return np.broadcast_to(z, np.shape(x))


def batch_cumsum_adjoint(g, x, axis=None):
    """A batch of adjoints of ``np.cumsum(x, axis)``: reversed cumulative sums, shaped like ``x``."""
    g = np.asarray(g)
    along = _scan_axis(np.ndim(x), axis)
    along = 1 if along is None else along + 1  # g is (K, size) when x is scanned flattened
    reversed_sum = np.flip(np.cumsum(np.flip(g, along), along), along)
    return reversed_sum.reshape(g.shape[:1] + np.shape(x))


def batch_diagonal_adjoint(g, x, offset=0, axis1=0, axis2=1):
    """A batch of adjoints of ``np.diagonal(x, offset, axis1, axis2)``: ``g`` placed on that diagonal."""
    g = np.asarray(g)
    out = np.zeros(g.shape[:1] + np.shape(x), dtype=np.result_type(g, float))
    moved = np.moveaxis(out, tuple(a + 1 for a in _axes_of(np.ndim(x), (axis1, axis2))), (-2, -1))
    i = np.arange(g.shape[-1])
    moved[..., i + max(-offset, 0), i + max(offset, 0)] = g
    return out


def batch_diagonal(t, offset=0, axis1=0, axis2=1):
    """``np.diagonal`` of each value of the batch ``t``."""
    first, second = _axes_of(np.ndim(t) - 1, (axis1, axis2))
    return np.diagonal(t, offset=offset, axis1=first + 1, axis2=second + 1)


def batch_trace(t, offset=0, axis1=0, axis2=1):
    """``np.trace`` of each value of the batch ``t``."""
    first, second = _axes_of(np.ndim(t) - 1, (axis1, axis2))
    return np.trace(t, offset=offset, axis1=first + 1, axis2=second + 1)



def batch_adjoint_shape(g, x, rule):
    """:func:`sct.runtime.adjoint_shape` of a batch: ``g`` must have shape ``(K,) + np.shape(x)``."""
    if np.shape(g)[1:] != np.shape(x):
        raise ValueError(f"the adjoint rule of {rule} gives adjoints of shape {np.shape(g)[1:]} for an "
                         f"argument of shape {np.shape(x)} (batched: {np.shape(g)}): sum them over the "
                         "broadcast axes, unbroadcast(..., argument)")
    return g


def batch_align(t, *operands):
    """The batch ``t`` of an argument's tangents with unit axes after the batch axis, as many as the
    operands' broadcast shape has more dimensions than the argument: lined up as numpy broadcasting lines
    up the argument itself, so that a rule written for one direction reads a batch of them."""
    t = np.asarray(t)
    extra = max(np.ndim(o) for o in operands) + 1 - t.ndim
    return t.reshape(t.shape[:1] + (1,) * extra + t.shape[1:]) if extra > 0 else t


def batch_tangent_shape(t, z, rule, k=None):
    """The batch of tangents ``t`` a user's rule gives for ``k`` directions (default: as many as ``t`` has)
    of ``z``, checked to have shape ``(k,) + np.shape(z)`` (broadcast to it when the rule gives tangents
    constant along some axes)."""
    if k is None:  # the batched tangent of tangent_shape: a batch of its argument's tangents, lined up
        t = np.asarray(t)
        k, extra = t.shape[0], np.ndim(z) + 1 - t.ndim
        t = t.reshape(t.shape[:1] + (1,) * extra + t.shape[1:]) if extra > 0 else t
    shape = (k,) + np.shape(z)
    if np.shape(t) == shape:
        return t
    if np.ndim(t) == len(shape) and np.shape(t)[0] == k \
            and all(n in (1, m) for n, m in zip(np.shape(t), shape)):
        return np.array(np.broadcast_to(t, shape))
    raise ValueError(f"the tangent rule of {rule}, applied to {k} directions at once (batch='safe'), gives "
                     f"tangents of shape {np.shape(t)} for an output of shape {np.shape(z)}: its rule does "
                     "not work unchanged on a leading axis of directions; declare the primitive without "
                     "batch= (one direction at a time), or with sct.Axes")
