"""Dicts updated in a loop, by key or rebuilt whole, in every mode (second order too). Forward over
reverse used to crash where the adjoint dict's tangent started as ``np.zeros_like`` of a dict."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode


def rebuilt(x):
    d = dict(a=x, b=x * 2.0)
    for _ in range(2):
        d = {"a": d["a"] * d["b"], "b": d["b"] - 0.5}
    return d["a"]


def scalar_rebuilt(x):
    return np.sum(np.sin(rebuilt(x)))


def by_key(x):
    d = {"a": x * 1.0, "b": x[0]}
    for _ in range(3):
        d["a"] = d["a"] * np.sin(d["b"]) + x
        d["b"] = d["b"] * 0.5 + x[-1]
    return d["a"] * d["b"]


def scalar_by_key(x):
    return np.sum(by_key(x) ** 2)


def keys_added(x):
    d = {}
    for i in range(3):
        d[i] = x * (i + 1.0)
    return d[1] * d[2] - d[0]


def scalar_keys_added(x):
    return np.sum(np.cos(keys_added(x)))


@pytest.mark.parametrize("f, g", [(rebuilt, scalar_rebuilt), (by_key, scalar_by_key),
                                  (keys_added, scalar_keys_added)], ids=["rebuilt", "by_key", "keys_added"])
@pytest.mark.parametrize("x", [np.array([0.7, -1.2, 0.0]), np.array([-0.4]), np.array([1.3, 0.5])],
                         ids=["three", "one", "two"])
def test_dict_updated_in_a_loop(f, g, x):
    check_every_mode(f, g, x)
