"""What a derivative does to its inputs: read them as floats, copy those it writes."""
import numpy as np


def float_input(x, name="x"):
    """A differentiated input as its derivative reads it: integers and booleans become floats (derivatives
    are real), tuples and lists item by item; complex numbers and dicts are refused, naming the argument."""
    if isinstance(x, (tuple, list)):
        return type(x)([float_input(item, name) for item in x])
    if isinstance(x, dict):
        raise TypeError(f"argument '{name}' is a dict: derivatives are taken with respect to numbers, arrays "
                        "and tuples or lists of them; pass the dict's values as separate arguments")
    kind = np.asarray(x).dtype.kind
    if kind == "c":
        raise TypeError(f"argument '{name}' is complex: derivatives of complex inputs are not supported; "
                        "pass the real and imaginary parts as two real arguments")
    if kind in "biu":
        return np.asarray(x, dtype=float) if isinstance(x, np.ndarray) else float(x)
    return x


def owned_input(x):
    """A copy of an input that the derivative writes into, so that the caller's value stays as it was."""
    if isinstance(x, (tuple, list)):
        return type(x)([owned_input(item) for item in x])
    return np.array(x) if isinstance(x, np.ndarray) else x

