"""Axes as numpy's reductions and scans read them, shared by the helpers that take an ``axis``."""
import numpy as np


def _axes_of(ndim, axis=None):
    """The axes ``axis`` names in an ``ndim``-dimensional array, as a tuple of non-negative ints.

    None names every axis; an int or a sequence of ints counts from the end when negative. A 0-d array
    takes axis 0 or -1 (an int) as naming no axis, as numpy's reductions and scans do."""
    if axis is None:
        return tuple(range(ndim))
    if np.ndim(axis) == 0:
        if ndim == 0 and int(axis) in (0, -1):
            return ()
        axis = (axis,)
    axes = tuple(int(a) + ndim if int(a) < 0 else int(a) for a in axis)
    for given, a in zip(axis, axes):
        if not 0 <= a < ndim:
            raise ValueError(f"axis {given} is out of bounds for array of dimension {ndim}")
    return axes


def _scan_axis(ndim, axis=None):
    """The axis ``np.cumsum(x, axis)`` scans along in an ``ndim``-dimensional ``x``, non-negative, or None
    when it scans ``x`` flattened: ``axis=None``, or a 0-d ``x`` with axis 0 or -1, as numpy does."""
    axes = None if axis is None else _axes_of(ndim, axis)
    return axes[0] if axes else None
