"""What a derivative's call does with the values it is given and returns: complex arguments refused,
adjoints shaped like their arguments, and the differentiated tuples and lists whose items do not stack."""
from __future__ import annotations

import inspect
from typing import Iterable, Tuple

import numpy as np


def describe(value) -> str:
    """A short description of an argument, for messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    text = repr(value)
    return text if len(text) < 40 else type(value).__name__


def refuse_complex(value, name: str) -> None:
    """A TypeError naming the argument ``name`` if ``value`` (or an item of it) is complex."""
    if isinstance(value, (tuple, list)):
        for item in value:
            refuse_complex(item, name)
    elif isinstance(value, (complex, np.ndarray, np.generic)) and np.asarray(value).dtype.kind == "c":
        raise TypeError(f"argument '{name}' is complex: sct differentiates real-valued code; pass the real "
                        "and imaginary parts as two real arguments")


def shaped_like(grad, argument):
    """The adjoint of a tuple or list ``argument`` with its container type and each item's shape (of a
    dict, a dict with its keys); ``grad`` is one array of the stacked items, or a list of their adjoints."""
    if isinstance(argument, dict) and isinstance(grad, dict):
        return {key: shaped_like(grad[key], item) for key, item in argument.items()}
    if not isinstance(argument, (tuple, list)):
        scalar = isinstance(argument, (float, int)) and type(grad) is not float and np.ndim(grad) == 0
        return float(grad) if scalar else grad
    items = grad if isinstance(grad, (tuple, list)) else np.asarray(grad)
    return type(argument)(shaped_like(items[i], item) for i, item in enumerate(argument))


def stacks(value) -> bool:
    """Do the items of the tuple or list ``value`` stack into one float array?"""
    try:
        np.asarray(value, dtype=float)
    except (ValueError, TypeError):
        return False
    return True


def ragged(arguments: Iterable[Tuple[str, object]], known: Tuple[str, ...]) -> Tuple[str, ...]:
    """The names, besides ``known``, of the ``(name, value)`` pairs whose value is a tuple or list whose
    items do not stack (arrays of several shapes: a network's ``(W, b)``)."""
    return tuple(name for name, value in arguments
                 if name not in known and isinstance(value, (tuple, list)) and not stacks(value))


def bind_arguments(signature: inspect.Signature, args: tuple, kwargs: dict, derivative: str, original: str,
                   mode: str, seed_param: str) -> inspect.BoundArguments:
    """``args`` and ``kwargs`` bound to the original's ``signature``; a TypeError that says what the
    derivative ``derivative`` of ``original`` takes where they do not bind."""
    described = f"{original}{signature}"
    try:
        return signature.bind(*args, **kwargs)
    except TypeError as exc:
        positional = [p for p in signature.parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(args) > len(positional):
            extra = ", ".join(describe(a) for a in args[len(positional):])
            after = " and the tangents" if mode == "forward" else ""
            raise TypeError(f"{derivative}: too many arguments: {described} takes {len(positional)} "
                            f"positional argument(s){after}; extra: {extra}"
                            + ("" if mode == "forward" else " (pass an output seed as seed=...)")) from None
        own = ""
        if mode == "reverse" and seed_param != "seed" and "seed" in signature.parameters:
            own = (f"; {original} has a parameter named 'seed', so seed= is that argument: "
                   f"pass the output's seed as {seed_param}=...")
        raise TypeError(f"{derivative}: {exc} (it takes the arguments of {described}{own})") from None
