"""Helpers of emitted code that nested derivatives need: the zero adjoint of a value read item by item."""
import numpy as np


def zeros_items(x):
    """Zero adjoint of a value that the code reads only item by item (a tape, a tuple argument): zeros
    like ``x``; for a tuple or list whose items do not stack (different shapes, nested tapes), an object
    array of each item's zero adjoint, which indexes and adds item by item."""
    if isinstance(x, np.ndarray) and x.dtype == object:  # itself such a zero adjoint
        x = list(x)
    if not isinstance(x, (tuple, list)):
        return np.zeros_like(x, dtype=float)
    try:
        return np.zeros_like(np.asarray(x, dtype=float))
    except (ValueError, TypeError):
        out = np.empty(len(x), dtype=object)
        for i, item in enumerate(x):
            out[i] = zeros_items(item)
        return out
