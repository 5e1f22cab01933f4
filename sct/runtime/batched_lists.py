"""Adjoints of lists and tuples in vector reverse mode (a batch of adjoints per item)."""
import numpy as np


def batch_add_lists(a, b):
    """``add_lists`` for batches of adjoints: an array beside a list holds the batch of its items' adjoints
    with the items after the batch axis (``batch_zeros`` of a tuple, ``batch_array``), not before it."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        pair = []
        for v in (a, b):
            if isinstance(v, np.ndarray) and v.dtype == object:  # zeros_items: items of their own
                v = list(v)
            elif isinstance(v, np.ndarray) and v.ndim > 1:
                v = list(np.moveaxis(v, 1, 0))
            pair.append(v)
        a, b = pair
    if not isinstance(a, (list, tuple, dict)) and isinstance(b, (list, tuple, dict)):
        a, b = b, a
    if isinstance(a, dict):
        return {key: batch_add_lists(item, b[key] if isinstance(b, dict) else b) for key, item in a.items()}
    if isinstance(a, (list, tuple)):
        return [batch_add_lists(x, y) for x, y in zip(a, b)] if isinstance(b, (list, tuple)) \
            else [batch_add_lists(x, b) for x in a]
    return a + b
