"""Adjoints of indexing, item writes, joins and lists."""
import numpy as np

from .axes import _axes_of


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
    if isinstance(x, list) or np.result_type(x).kind == "O" or np.issubdtype(np.result_type(x), np.inexact):
        return t  # an object array holds a tape's adjoints, item by item (see zeros_items)
    return np.zeros_like(t, dtype=float)


def element_copy(value, message):
    """``y[i]`` read before a write into ``y``: a number is a copy, as sct's derivatives assume; an array
    is a view the write would change, refused with ``message``."""
    if isinstance(value, np.ndarray) and value.ndim:
        raise ValueError(message)
    return value


def kept_copy(value):
    """A copy of a value a function returns before its reverse sweep writes into the arrays it holds:
    arrays copied, tuples, lists and dicts item by item (``np.copy`` would stack them into one array)."""
    if isinstance(value, (tuple, list)):
        return type(value)(kept_copy(item) for item in value)
    if isinstance(value, dict):
        return {key: kept_copy(item) for key, item in value.items()}
    return np.copy(value)


def kept_zero_dim(value, like):
    """``value``, the result of ``like op= v`` rewritten ``like = like op v``, as an array where ``like`` is a
    0-d array: numpy's ``+`` of one gives a scalar, which takes no writes by index (``y[()] = ...``)."""
    if isinstance(like, np.ndarray) and like.ndim == 0 and isinstance(value, np.generic):
        return np.array(value)
    return value


def float_copy(t):
    """A tangent of an array that will be written by index: its own copy, of a float type (writes into
    the caller's tangent, a read-only broadcast or an integer array would change it, fail or truncate);
    of a list, a new list of copies."""
    if isinstance(t, (list, tuple)):
        return [float_copy(item) for item in t]
    if isinstance(t, dict):
        return {key: float_copy(item) for key, item in t.items()}
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
    return np.transpose(g, np.argsort(_axes_of(np.ndim(g), axes)))


def diag_adjoint(g, x, k=0):
    """Adjoint of ``np.diag(x, k)``: the k-th diagonal of ``g`` (x a vector), or ``g`` on it (x a matrix)."""
    if np.ndim(x) == 1:
        return np.diagonal(g, k).copy()
    out = np.zeros(np.shape(x), dtype=np.result_type(g, float))
    index = np.arange(np.size(g))
    out[index + max(-k, 0), index + max(k, 0)] = g
    return out


def unstack(g, axis=0):
    """Adjoint of ``np.stack(list, axis)``: the list of slices of ``g`` along ``axis``."""
    return list(np.moveaxis(g, axis, 0))


def unstack_like(g, x):
    """Adjoint of ``np.array(x)``: for a (nested) list ``x``, ``g`` split into ``x``'s structure."""
    if not isinstance(x, list):
        return g
    return [unstack_like(p, e) for p, e in zip(g, x)]


def list_adjoint(g, x):
    """The adjoint of the list ``x`` from a contribution ``g``: ``g`` as it is when it is a container (or a
    number), else the items of the array a rule made of the list (``np.sum(x)``), in ``x``'s structure."""
    if isinstance(g, (list, tuple, dict)) or not isinstance(x, list) or np.ndim(g) == 0 \
            or np.asarray(g).dtype.kind == "O":  # zeros_items: items of their own
        return g
    return unstack_like(g, x)


def split_like(g, parts, axis=0):
    """Adjoint of ``np.concatenate(parts, axis)``: pieces of ``g`` shaped like each part."""
    if axis is None:  # the parts were flattened
        pieces = np.split(g, np.cumsum([np.size(p) for p in parts])[:-1])
        return [np.reshape(piece, np.shape(p)) for piece, p in zip(pieces, parts)]
    # slices (views, as np.split gives) taken directly: np.split's own bookkeeping costs more than the
    # copy-free split itself
    if type(g) is not np.ndarray:
        g = np.asarray(g)
    ndim = g.ndim
    if type(axis) is int and -ndim <= axis < ndim:  # the usual case, without _axes_of's general bookkeeping
        lead = (slice(None),) * (axis % ndim)
    else:
        lead = (slice(None),) * _axes_of(ndim, axis)[0]
    pieces, start = [], 0
    for p in parts:
        stop = start + (p.shape if type(p) is np.ndarray else np.shape(p))[axis]
        pieces.append(g[lead + (slice(start, stop),)] if lead else g[start:stop])
        start = stop
    return pieces


def shape_of(value):
    """What a tape keeps of ``value`` when the reverse sweep reads only its shape (and dtype): an array
    stands in as one zero seen through zero strides (read-only), so the tape holds none of its entries
    (one of 64 entries or fewer as zeros, made faster and hardly larger); a number as a zero of its type;
    a name not bound yet (None) as None. The value is zero: no derivative flows through it."""
    kind = type(value)
    if kind is np.ndarray and value.dtype.kind in "biufc":  # zero bytes are a zero of these
        if value.size <= 64:
            return np.zeros(value.shape, value.dtype)
        return np.ndarray(value.shape, value.dtype, bytes(value.itemsize), strides=(0,) * value.ndim)
    if kind is float or kind is int or kind is complex or isinstance(value, np.generic):
        return kind(0)
    if value is None:
        return None
    return np.zeros_like(value)


def zeros_list(items):
    """Zero adjoint of a Python list, item by item (``np.zeros_like`` would stack the items into one array,
    and the reverse sweep pops each appended item's adjoint off the list); of a dict, key by key; of
    anything else, zeros like it."""
    if isinstance(items, dict):
        return {key: zeros_list(item) for key, item in items.items()}
    if isinstance(items, (list, tuple)):
        return [zeros_list(item) for item in items]
    return np.zeros_like(items, dtype=float)


def add_lists(a, b):
    """Adjoints of a list add item by item (``+`` would concatenate the lists), of a dict key by key; a
    number (the zero derivative of a list, folded) adds to every item, an array's rows to the items."""
    containers = (list, tuple, dict)
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):  # beside a list, zeros_items' array
        a, b = (list(v) if isinstance(v, np.ndarray) and v.dtype == object else v for v in (a, b))
    if not isinstance(a, containers) and isinstance(b, containers):
        a, b = b, a
    if isinstance(a, dict):
        return {key: add_lists(item, b[key] if isinstance(b, dict) else b) for key, item in a.items()}
    if isinstance(a, (list, tuple)):
        # an array beside a list holds its items' adjoints stacked (zeros_items)
        return [add_lists(x, y) for x, y in zip(a, b)] if isinstance(b, (list, tuple)) or np.ndim(b) > 0 \
            else [add_lists(x, b) for x in a]
    return a + b
