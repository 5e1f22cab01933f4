"""Python containers and builtins over differentiated values, in every mode (tests/every_mode.py):
``list``, ``tuple``, ``sorted``, ``max``/``min``, ``sum``, ``zip``, ``reversed``, ``len``; dicts with constant
keys (displays, ``dict(...)``, ``d[k]``, ``d.get``, ``d[k] = v`` in loops, ``.items()``, helpers; a dict
output); calls of a function passed as a default argument."""
from __future__ import annotations

import numpy as np
import pytest
from containers_support import X
from every_mode import check_every_mode
from oracle import relative_error

import sct


def _helper(t):
    return np.sin(t) * t


# --------------------------------------------------------------------------------- lists and builtins
def tuple_of_generator(x):
    t = tuple(x * b for b in [1.0, 2.0, 3.0])
    return np.stack(t) * x


def list_of_array(x):
    xs = list(x)
    a, b, c = tuple(xs)
    return np.array([xs[0] * xs[1], c * b, a])


def sorted_values(x):
    vals = [x[0] * 2, np.sin(x[1]), x[2] + 1]
    s = sorted(vals)
    r = sorted(vals, reverse=True)
    return np.array([s[0], s[1] * 3, s[2] * r[0], r[2]])


def sorted_array_with_key(x):
    s = sorted(x * x - 0.2, key=abs)
    return np.array(s) * np.array([1.0, 2.0, 3.0])


def extrema(x):
    vals = [x[0] * 2, x[1], x[2] + 1]
    return np.array([max(x[0], x[1]), min(x[1], x[2]), max(vals), min(vals) * max(x), min(vals, key=abs)])


def sorted_arrays_with_key(x):
    arrays = [x * 2, x ** 2, np.sin(x)]
    s = sorted(arrays, key=np.sum)
    total = x * 0
    for a in sorted(arrays, key=np.max, reverse=True):
        total = total * 2 + a
    return s[0] * 3 + s[2] + total


def more_values_and_reversed(x):
    a = [x[0], x[1] * 2]
    r = list(reversed(a))
    return np.array([max(x[0], x[1] * 2, x[2]), min(x[0], x[1], x[2], key=abs), r[0], r[1] * 3,
                     sum(reversed(a))]) + np.array(list(reversed(x))) @ np.arange(3.0)


def sum_of_list_twice(x):
    vals = [x[0] * 2, x[1], x[2] + 1]
    both = np.stack(vals) + np.stack(vals)
    return np.array([sum(vals), sum(vals) * 2, both[1]])


def zip_and_reversed(x):
    a = [x[0], x[1] * 2, x[2]]
    b = [np.sin(x[2]), x[0], x[1]]
    out = []
    for u, v in zip(a, reversed(b)):
        out.append(u * v)
    for k, u in enumerate(reversed(a)):
        out.append(u * (k + 1) + out[-1])
    return np.array(out) * len(out)


def list_slices(x):
    a = [x[0], x[1] * 2, x[2]]
    b = a[1:]
    c = a[::-1]
    return np.stack(b) * a[0] + np.stack(c[:2]) * sum(c)


def growing_list(x):
    rows = []
    for i in range(3):
        if rows:
            rows.append(rows[-1] * x[i])
        else:
            rows.append(x[i] + 1.0)
    return np.array(sorted(rows)) + max(rows)


# ------------------------------------------------------------------------------------------- dicts
def dict_display(x):
    d = {"a": x * 2, "b": x[0]}
    e = dict(a=np.sin(x), c=x[1])
    return d["a"] * d["b"] + e["a"] * e["c"]


def dict_get_and_set(x):
    d = {"a": x * 2}
    d["c"] = d["a"] * x
    return d.get("a", x) + d.get("z", x * x) + d["c"]


def dict_updated_in_loop(x):
    d = {"s": x * 0, "p": x * 1.0}
    for i in range(3):
        d["s"] = d["s"] + d["p"] * x[i]
        d["p"] = np.sin(d["p"])
        if i == 1:
            d["q"] = d["s"] * 2
    return d["s"] * d["p"] + d["q"]


def dict_items(x):
    d = {"a": x * 2, "b": np.sin(x)}
    total = x * 0
    for k, v in d.items():
        total = total + v * (2.0 if k == "a" else 1.0)
    for v in d.values():
        total = total * v
    for k in d:
        total = total + d[k]
    return total


def dict_keys_read_by_builtins(x):
    d = {"b": x * 2, "a": np.sin(x)}
    total = x * 0
    for k in sorted(d):
        total = total * 2 + d[k]
    keys = list(d)
    return total + d[keys[0]] + d[max(d)] * len(d)


def _reads(d):
    return d["a"] * d.get("b", 2.0)


def _makes(x):
    return {"u": x * 2, "v": np.cos(x)}


def dicts_through_helpers(x):
    d = _makes(x)
    return _reads({"a": x, "b": x * x}) + _reads({"a": np.sin(x)}) + d["u"] * d["v"]


# ------------------------------------------------------------------------------ function defaults
def default_numpy(x, act=np.tanh):
    return act(x) * x


def default_helper(x, act=_helper, scale=2.0):
    return act(x) * scale


def dict_written_twice(x):
    # two writes in a row: each makes a new version of the dict (the second once reused the first's name)
    d = {"a": x[0], "b": x[1]}
    d["a"] = d["a"] + 0.2 * d["b"] * x[2]
    d["b"] = d["b"] - 0.1 * d["a"] ** 2
    d["a"] = d["a"] * d["b"]
    return np.array([d["a"], d["b"]])


CONSTRUCTS = [dict_written_twice, tuple_of_generator, list_of_array, sorted_values, sorted_array_with_key,
              sorted_arrays_with_key,
              extrema, more_values_and_reversed, sum_of_list_twice, zip_and_reversed, list_slices,
              growing_list, dict_display, dict_get_and_set, dict_updated_in_loop, dict_items,
              dict_keys_read_by_builtins, dicts_through_helpers, default_numpy, default_helper]


# Scalar functions of each construct, for grad, the Hessian and Hessian-vector products.
def g_tuple_of_generator(x):
    return np.sum(np.sin(tuple_of_generator(x)))


def g_list_of_array(x):
    return np.sum(np.sin(list_of_array(x)))


def g_sorted_values(x):
    return np.sum(np.sin(sorted_values(x)))


def g_sorted_array_with_key(x):
    return np.sum(np.sin(sorted_array_with_key(x)))


def g_extrema(x):
    return np.sum(np.sin(extrema(x)))


def g_sorted_arrays_with_key(x):
    return np.sum(np.sin(sorted_arrays_with_key(x)))


def g_more_values_and_reversed(x):
    return np.sum(np.sin(more_values_and_reversed(x)))


def g_dict_keys_read_by_builtins(x):
    return np.sum(np.sin(dict_keys_read_by_builtins(x)))


def g_sum_of_list_twice(x):
    return np.sum(np.sin(sum_of_list_twice(x)))


def g_zip_and_reversed(x):
    return np.sum(np.sin(zip_and_reversed(x)))


def g_list_slices(x):
    return np.sum(np.sin(list_slices(x)))


def g_growing_list(x):
    return np.sum(np.sin(growing_list(x)))


def g_dict_display(x):
    return np.sum(np.sin(dict_display(x)))


def g_dict_get_and_set(x):
    return np.sum(np.sin(dict_get_and_set(x)))


def g_dict_updated_in_loop(x):
    return np.sum(np.sin(dict_updated_in_loop(x)))


def g_dict_items(x):
    return np.sum(np.sin(dict_items(x)))


def g_dicts_through_helpers(x):
    return np.sum(np.sin(dicts_through_helpers(x)))


def g_default_numpy(x):
    return np.sum(np.sin(default_numpy(x)))


def g_dict_written_twice(x):
    return np.sum(np.sin(dict_written_twice(x)))


def g_default_helper(x):
    return np.sum(np.sin(default_helper(x)))


@pytest.mark.parametrize("f", CONSTRUCTS, ids=lambda f: f.__name__)
def test_construct_in_every_mode(f):
    check_every_mode(f, globals()[f"g_{f.__name__}"], X)


def test_sorted_at_a_tie_follows_the_order_sorted_keeps():
    """At equal values the permutation is the one ``sorted`` uses (stable): a one-sided derivative."""
    def ties(x):
        return np.array(sorted([x[0], x[1]]))
    tie = np.array([0.5, 0.5])
    _, jac = sct.forward(ties)(tie, np.array([1.0, 0.0]))
    assert np.array_equal(jac, [1.0, 0.0])  # x[0] stays first, as sorted keeps it
    _, bar = sct.reverse(ties)(tie, seed=np.array([1.0, 0.0]))
    assert np.array_equal(bar, [1.0, 0.0])


def test_a_dict_output_takes_a_dict_of_seeds():
    value, bar = sct.reverse(_makes)(X, seed={"u": np.ones(3), "v": 2 * np.ones(3)})
    assert set(value) == {"u", "v"}
    assert relative_error(bar, 2.0 - 2 * np.sin(X)) < 1e-12
    _, tangent = sct.forward(_makes)(X, np.ones(3))
    assert relative_error(tangent["v"], -np.sin(X)) < 1e-12


def test_a_default_called_with_another_function_raises():
    with pytest.raises(TypeError, match="pass act=np.tanh or leave it out"):
        sct.reverse(default_numpy)(X, act=np.sin)
    _, bar = sct.reverse(default_numpy)(X, act=np.tanh)
    assert relative_error(bar, 1 / np.cosh(X) ** 2 * X + np.tanh(X)) < 1e-12
