"""What a derivative does to its inputs: read them as floats, copy those it writes."""
import numpy as np


def float_input(x, name="x"):
    """A differentiated input as its derivative reads it: integers and booleans become floats (derivatives
    are real), tuples, lists and dicts item by item; complex numbers are refused, naming the argument."""
    if isinstance(x, float):
        return x
    if isinstance(x, (tuple, list)):
        return type(x)([float_input(item, name) for item in x])
    if isinstance(x, dict):
        return {key: float_input(item, f"{name}[{key!r}]") for key, item in x.items()}
    kind = np.asarray(x).dtype.kind
    if kind == "c":
        raise TypeError(f"argument '{name}' is complex: derivatives of complex inputs are not supported; "
                        "pass the real and imaginary parts as two real arguments")
    if kind in "biu":
        return np.asarray(x, dtype=float) if isinstance(x, np.ndarray) else float(x)
    if kind == "O" and callable(x):
        raise TypeError(f"argument '{name}' is a function: sct differentiates with respect to numbers and "
                        "arrays; differentiate with respect to another parameter (a function passed for a "
                        "parameter not differentiated is fine)")
    return x


def stacked_input(x, name="x", needs="reverse mode"):
    """A tuple or list input read as one float array (``needs`` says what reads it so): its items must
    stack, else a TypeError naming the argument."""
    try:
        return np.asarray(x, dtype=float)
    except (ValueError, TypeError):
        raise TypeError(f"argument '{name}' is a {type(x).__name__} whose items have different shapes "
                        f"(or are not numbers): {needs} needs items of one shape; pass them as separate "
                        "arguments") from None


def array_input(x, name="x", why=""):
    """An input that must not be a list or tuple (the derivative would be of another function, or wrong
    item by item): ``x`` itself, or a TypeError naming the argument and saying ``why``."""
    if isinstance(x, (tuple, list)):
        raise TypeError(f"argument '{name}' is a {type(x).__name__}: {why}")
    return x


def owned_input(x):
    """A copy of an input that the derivative writes into, so that the caller's value stays as it was."""
    if isinstance(x, (tuple, list)):
        return type(x)([owned_input(item) for item in x])
    if isinstance(x, dict):
        return {key: owned_input(item) for key, item in x.items()}
    return np.array(x) if isinstance(x, np.ndarray) else x


def refuse_shared_arguments(function: str, arguments: dict, written) -> None:
    """``arguments`` (name -> value) where the function writes into those ``written``: two that may share
    memory (one array passed twice, or a view of another) raise ValueError. Python would see the write
    through both names; the derivative follows each argument as an array of its own."""
    for name in written:
        value = arguments.get(name)
        if not isinstance(value, np.ndarray):
            continue
        for other, given in arguments.items():
            if other != name and isinstance(given, np.ndarray) and np.may_share_memory(value, given):
                raise ValueError(f"{function} writes into its argument '{name}', and '{other}' shares memory "
                                 f"with it (one array passed twice, or a view of it): the derivative follows "
                                 f"each argument as an array of its own; pass a copy, e.g. "
                                 f"{other}=np.copy({other})")
