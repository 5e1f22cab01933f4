"""Helpers for derivatives of Python containers: ``list(x)``, ``sorted(v)``, ``max(v)`` over lists and arrays.

The derivative of a list is a list of the items' derivatives; of an array read item by item (``list(x)``),
the rows of the array's derivative. Vector-mode (``batch_``) forms take derivatives that carry a leading
axis of directions: a list of such batches, or one array ``(K,) + shape``.
"""
import numpy as np

from .indexing import add_lists, zeros_list


def batch_items_of(t, x):
    """The derivatives of the items of ``x`` (``list(x)``) from a batch ``t`` of ``x``'s derivatives: item
    ``k`` is ``t[:, k]`` for an array, ``t[k]`` for a list."""
    if isinstance(x, (list, tuple, dict)):
        return list(t)
    return [t[:, k] for k in range(len(x))]


def items_adjoint(g, x):
    """Adjoint of ``list(x)``: the items' adjoints ``g`` in ``x``'s structure (a list, or an array)."""
    if isinstance(x, (list, tuple)):
        return list(g)
    return np.reshape(np.asarray(list(g), dtype=float), np.shape(x))


def batch_items_adjoint(g, x):
    """:func:`items_adjoint` for a batch of adjoints ``g`` (a list of batches, one per item, or one array
    with the items' batches stacked after the batch axis)."""
    if isinstance(x, (list, tuple)):
        if isinstance(g, np.ndarray) and g.dtype.kind != "O" and g.ndim > 1:
            return list(np.moveaxis(g, 1, 0))
        return list(g)
    return np.stack(list(g), axis=1).reshape((-1,) + np.shape(x))


def sort_order(values, key=None, reverse=False):
    """The positions of ``values`` in the order ``sorted(values, key=key, reverse=reverse)`` gives them
    (equal values keep their order, as ``sorted`` keeps them)."""
    items = list(values)
    return sorted(range(len(items)), key=lambda i: items[i] if key is None else key(items[i]),
                  reverse=reverse)


def extremum_index(values, largest, key=None):
    """The position of the item ``max(values)`` (``largest``) or ``min(values)`` returns: the first one."""
    items = list(values)
    pick = max if largest else min
    return pick(range(len(items)), key=lambda i: items[i] if key is None else key(items[i]))


def permute(t, order, x):
    """The derivatives of ``[x[i] for i in order]`` from ``x``'s derivative ``t``."""
    return [t[i] for i in order]


def batch_permute(t, order, x):
    """:func:`permute` for a batch ``t``."""
    items = batch_items_of(t, x)
    return [items[i] for i in order]


def unpermute(g, order, x):
    """Adjoint of ``[x[i] for i in order]``: item ``k`` of ``g`` goes back to position ``order[k]``."""
    items = [None] * len(order)
    for k, i in enumerate(order):
        items[i] = g[k]
    return items_adjoint(items, x)


def batch_unpermute(g, order, x):
    """:func:`unpermute` for a batch of adjoints ``g``."""
    items = [None] * len(order)
    for k, i in enumerate(order):
        items[i] = g[k]
    return batch_items_adjoint(items, x)


def item_adjoint(g, x, index):
    """Adjoint of ``x[index]`` for an item of a list or array ``x``: zeros in ``x``'s structure, ``g`` at
    ``index``."""
    if isinstance(x, (list, tuple)):
        out = [np.zeros_like(item, dtype=float) for item in x]
        out[index] = out[index] + g
        return out
    out = np.zeros(np.shape(x), dtype=np.result_type(g, float))
    out[index] = g
    return out


def batch_item_adjoint(g, x, index):
    """:func:`item_adjoint` for a batch of adjoints ``g``."""
    g = np.asarray(g)
    if isinstance(x, (list, tuple)):
        out = [np.zeros(g.shape[:1] + np.shape(item)) for item in x]
        out[index] = out[index] + g
        return out
    out = np.zeros(g.shape[:1] + np.shape(x), dtype=np.result_type(g, float))
    out[:, index] = g
    return out


def dict_set(d, key, value, like=None):
    """``d[key] = value`` as a new dict (the code sct emits never writes into a dict in place). For a
    tangent, ``like`` is the dict whose zero tangent a number ``d`` stands for."""
    if not isinstance(d, dict):
        d = {k: np.zeros_like(item, dtype=float) for k, item in like.items()}
    new = dict(d)
    new[key] = value
    return new


def batch_dict_set(d, key, value, like):
    """:func:`dict_set` for batches of tangents (a number ``d``: the zero batch of ``like``)."""
    if not isinstance(d, dict):
        count = value
        while isinstance(count, (list, tuple, dict)):
            count = next(iter(count.values())) if isinstance(count, dict) else count[0]
        d = {k: np.zeros(np.shape(count)[:1] + np.shape(item)) for k, item in like.items()}
    return dict_set(d, key, value)


def dict_set_adjoint(g, key, d):
    """The adjoint of ``d`` in ``dict_set(d, key, value)``: ``g`` without ``key`` (the value written there
    came from ``value``), zero at ``key`` where ``d`` held one already, shaped like what ``d`` held there
    (the value written may have another shape: ``d["a"] = np.array([d["a"], 0.0])``)."""
    new = {k: np.array(item, dtype=float) for k, item in g.items() if k != key}  # copies: updated in place
    if key in d:
        new[key] = zeros_list(d[key])
    return new


def dict_keys(d):
    """The keys of the dict ``d``, as a list (in its order)."""
    if not isinstance(d, dict):  # the items of anything else would be its values, not constants
        raise TypeError(f"expected a dict, not {type(d).__name__}")
    return list(d)


def add_items(target, index, value):
    """``target[index] += value`` for a list or dict ``target``, in place; a slice of a list adds item by
    item (``+=`` would extend the list). Returns ``target``."""
    if isinstance(target, list) and isinstance(index, slice):
        positions = range(len(target))[index]
        # an array holds the items' adjoints stacked (zeros_items), as add_lists reads it; a number is a zero
        stacked = isinstance(value, (list, tuple)) or np.ndim(value) > 0
        items = value if stacked else [value] * len(positions)
        for k, item in zip(positions, items):
            target[k] = add_lists(target[k], item)
    else:
        target[index] = add_lists(target[index], value)  # an item may be a list: not joined
    return target


def arithmetic_operands(a, b, operator, where):
    """Raise unless ``a <operator> b`` is arithmetic: reverse mode differentiates ``+`` and ``*`` as numpy's,
    but two lists (tuples) join under ``+`` and one repeats under ``*`` by an integer. ``where`` is the
    location and text of the operation in the user's code."""
    sequences = (list, tuple)
    joined = operator == "+" and isinstance(a, sequences) and isinstance(b, sequences)
    repeated = operator == "*" and any(isinstance(s, sequences) and isinstance(n, (int, np.integer))
                                       and not isinstance(n, bool) for s, n in ((a, b), (b, a)))
    if joined or repeated:
        done = "joins" if joined else "repeats"
        raise TypeError(f"sct: {where} {done} a list or tuple, which reverse mode would differentiate as "
                        "arithmetic; join arrays with np.concatenate (np.tile), or build lists with append")
