"""The globals that emitted derivative code runs in."""
from __future__ import annotations

import inspect
import sys
from typing import Callable

_LIBRARIES = ("numpy", "scipy", "autograd", "sct")


def _globals_of(func: Callable) -> dict:
    namespace = dict(func.__globals__)
    if func.__closure__:
        for name, cell in zip(func.__code__.co_freevars, func.__closure__):
            try:
                namespace[name] = cell.cell_contents
            except ValueError:
                pass
    return namespace


def emitted_namespace(func: Callable) -> dict:
    """The globals emitted code runs in: ``func``'s, plus the names that the user functions it calls
    (helpers whose derivatives are emitted beside it) use from their own modules."""
    namespace = _globals_of(func)
    seen, pending = {func}, [func]
    while pending:
        current = pending.pop()
        env = _globals_of(current)
        for name in current.__code__.co_names + current.__code__.co_freevars:
            if name not in env:
                continue
            value = env[name]
            namespace.setdefault(name, value)
            module = (getattr(value, "__module__", None) or "").split(".")[0]
            if inspect.isfunction(value) and value not in seen and module not in _LIBRARIES \
                    and module not in getattr(sys, "stdlib_module_names", ()):
                seen.add(value)
                pending.append(value)
    return namespace
