"""Adjoints of a slice assignment into a Python list, ``items[index] = value``.

A slice of a list may be replaced by a value of another length (``a[1:] = [v]`` shortens ``a``), so the
adjoint ``g`` of the list after the write is read at the positions the value went to, computed from the
list as it was before (``items``): ``index`` is read against the old length, as Python reads it.
"""
import numpy as np

from .batched import batch_size, batch_zeros
from .indexing import zeros_list


def _written_span(g, index, items):
    """(start, count, old) for ``items[index] = value`` with a step of one: the value's items are
    ``g[start:start + count]``, and they replaced ``items[start:start + old]``."""
    start, stop, _ = index.indices(len(items))
    old = max(stop - start, 0)
    return start, len(g) - len(items) + old, old


def slice_written(g, index, items, value):
    """The adjoint of ``value`` in ``items[index] = value``, from ``g``, the list's adjoint after the write
    (``items`` is the list before it): a list, or an array shaped like an array ``value``."""
    if index.indices(len(items))[2] != 1:  # an extended slice is replaced by as many items
        written = list(g[index])
    else:
        start, count, _ = _written_span(g, index, items)
        written = list(g[start:start + count])
    if isinstance(value, np.ndarray):
        return np.reshape(np.asarray(written, dtype=float), np.shape(value))
    return written


def slice_cleared(g, index, items, zeros=None):
    """The adjoint of the list before ``items[index] = value`` from ``g``, its adjoint after: the written
    positions removed and ``zeros`` of the items they replaced (``items`` is the list before the write)."""
    zeros = zeros_list if zeros is None else zeros
    if index.indices(len(items))[2] != 1:
        cleared = list(g)
        cleared[index] = zeros(list(items[index]))
        return cleared
    start, count, old = _written_span(g, index, items)
    return list(g[:start]) + zeros(list(items[start:start + old])) + list(g[start + count:])


def batch_slice_cleared(g, index, items):
    """:func:`slice_cleared` for a batch of adjoints ``g`` (a list of batches, one per item)."""
    if not len(g):
        raise ValueError("sct: the adjoint of a list emptied by a slice assignment has no batch size; "
                         "compute one direction at a time (sct.grad, or sct.hvp)")
    size = batch_size(g)
    return slice_cleared(g, index, items, lambda old: batch_zeros(old, size))


def batch_slice_written(g, index, items, value):
    """:func:`slice_written` for a batch of adjoints ``g`` (a list of batches, one per item)."""
    written = slice_written(g, index, items, None)
    if isinstance(value, np.ndarray):
        return np.stack(written, axis=1).reshape((-1,) + np.shape(value))
    return written
