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

