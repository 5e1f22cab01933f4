"""Differentiated inputs that hold integers: derivatives read them as floats, so the function must compute
the same from them either way (one that writes into an array made like its integer input truncates)."""
from __future__ import annotations

from typing import Callable

import numpy as np

from .analysis.random_draws import random_draw
from .frontend.source import function_source
from .runtime.inputs import owned_input


def holds_integers(x) -> bool:
    """Does the input ``x`` hold integers or booleans (item by item for tuples, lists and dicts)?"""
    if isinstance(x, (tuple, list)):
        return any(holds_integers(item) for item in x)
    if isinstance(x, dict):
        return any(holds_integers(item) for item in x.values())
    if isinstance(x, (np.ndarray, np.generic)):
        return x.dtype.kind in "biu"
    return isinstance(x, int) and np.asarray(x).dtype.kind in "biu"  # not one past int64: an object


def refuse_integer_dependence(func: Callable, given: tuple, read: tuple, name: str) -> None:
    """Derivatives read integer inputs as floats: ``func`` must compute the same from both. ``given`` and
    ``read`` are ``(args, kwargs)`` as passed and as read; a TypeError names the argument ``name`` when
    the values differ (an array made like it holds integers, and truncates what is written into it). Not
    for a function drawing random numbers (two runs differ anyway)."""
    source = function_source(func)
    if random_draw(source.node.body, source.resolver) is not None:
        return
    expected = func(*owned_input(given[0]), **owned_input(given[1]))
    computed = func(*owned_input(read[0]), **owned_input(read[1]))
    if not _same_values(expected, computed):
        raise TypeError(f"argument '{name}' holds integers, and {func.__name__} computes {expected!r:.60} "
                        f"from them but {computed!r:.60} from the same numbers as floats, which sct "
                        f"differentiates: it depends on their dtype (an array made like '{name}' holds "
                        f"integers and truncates what is written into it); pass '{name}' as floats")


def _same_values(a, b) -> bool:
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b) \
            and all(_same_values(p, q) for p, q in zip(a, b))
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return True  # not numbers: nothing differentiated to compare
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-12, atol=0.0, equal_nan=True))
