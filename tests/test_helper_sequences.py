"""A helper that returns a list (or tuple, or dict) it built, read item by item by its caller: the caller
starts the result's adjoint item by item, in every mode (it was an array, and the helper's adjoint popped
from it)."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode


def appended(x):
    out = [x]
    out.append(x * 2.0)
    return out


def appended_in_branch(x, flag):
    out = []
    for i in range(2):
        if flag > 0:
            out.append(np.sin(x) * i)
        else:
            out.append(x * 3.0)
    return out


def shortened(x):
    out = [x * x]
    if x[0] > 0:
        out.append(np.cos(x))
    else:
        out.append(x * 3.0)
    return out


def built_tuple(x):
    pair = (x * 2.0, np.sin(x))
    return pair


def built_dict(x):
    return {"a": x * x, "b": np.exp(x)}


def ragged(x):
    out = [x]
    out.append(np.sum(x * x))
    return out


def uses_appended(x):
    parts = appended(x)
    return parts[0] * parts[1] - x


def uses_branch(x):
    parts = appended_in_branch(x, 1.0)
    other = appended_in_branch(x, -1.0)
    return parts[0] + parts[1] * x + other[1]


def uses_shortened(x):
    parts = shortened(x)
    return parts[0] * parts[1]


def uses_tuple(x):
    pair = built_tuple(x)
    return pair[0] * pair[1]


def uses_dict(x):
    d = built_dict(x)
    return d["a"] + d["b"] * x


def uses_ragged(x):
    parts = ragged(x)
    return parts[0] * parts[1]


def scalar_appended(x):
    return np.sum(uses_appended(x) ** 2)


def scalar_branch(x):
    return np.sum(uses_branch(x) ** 2)


def scalar_shortened(x):
    return np.sum(uses_shortened(x) ** 2)


def scalar_tuple(x):
    return np.sum(uses_tuple(x) ** 2)


def scalar_dict(x):
    return np.sum(uses_dict(x) ** 2)


def scalar_ragged(x):
    return np.sum(uses_ragged(x) ** 2)


PAIRS = [(uses_appended, scalar_appended), (uses_branch, scalar_branch), (uses_shortened, scalar_shortened),
         (uses_tuple, scalar_tuple), (uses_dict, scalar_dict), (uses_ragged, scalar_ragged)]


@pytest.mark.parametrize("f, g", PAIRS, ids=lambda f: getattr(f, "__name__", ""))
@pytest.mark.parametrize("x", [np.array([0.7, -1.2, 0.0]), np.array([-0.4]), np.array([1.3, 0.5])],
                         ids=["three", "one", "two"])
def test_helper_returning_a_built_sequence(f, g, x):
    check_every_mode(f, g, x)
