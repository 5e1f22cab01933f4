"""Adjoints of lists and tuples added up in batched code (vector mode: the directions first)."""
import numpy as np


def batch_add_lists(a, b):
    """``add_lists`` for batches: item by item, a dict key by key. An array beside a list or tuple holds
    the batches of its items stacked after the batch axis (``batch_zeros`` of a tuple whose items stack),
    so item ``i`` is ``b[:, i]``; a batch of numbers (one per direction) adds to every item."""
    containers = (list, tuple, dict)
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):  # beside a list, zeros_items' array
        a, b = (list(v) if isinstance(v, np.ndarray) and v.dtype == object else v for v in (a, b))
    if not isinstance(a, containers) and isinstance(b, containers):
        a, b = b, a
    if isinstance(a, dict):
        return {key: batch_add_lists(item, b[key] if isinstance(b, dict) else b) for key, item in a.items()}
    if isinstance(a, (list, tuple)):
        if isinstance(b, (list, tuple)):
            return [batch_add_lists(x, y) for x, y in zip(a, b)]
        if np.ndim(b) > 1:
            return [batch_add_lists(x, b[:, i]) for i, x in enumerate(a)]
        return [batch_add_lists(x, b) for x in a]
    return a + b
