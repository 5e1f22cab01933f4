"""The API and the emitted module see what the function sees, and change nothing the caller gave
(tests/test_sound_api_*.py).

Adjoints of tuple/list arguments returned as one array; dict arguments, complex ones refused; loops
over ``zip`` that failed when called; loops over other iterators refused.
"""
from __future__ import annotations

import numpy as np
import pytest
from api_support import numeric_gradient
from oracle import check_both_modes, relative_error

import sct


# ------------------------------------------------------------------------------ containers
def pair(p):
    return np.sum(p[0] * p[1]) + np.sum(p[1] ** 3)


def nested(p):
    return np.sum(p[0][0] * p[1][1]) + p[0][1][0] * 2.0


@pytest.mark.parametrize("container", [tuple, list])
def test_container_adjoints_keep_the_container_and_shapes(container):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(3), rng.standard_normal(3)
    p = container([a, b])
    value, (ga, gb) = sct.reverse(pair)(p)
    grads = sct.reverse(pair)(p)[1]
    assert type(grads) is container and [np.shape(g) for g in grads] == [(3,), (3,)]
    assert relative_error(ga, b) < 1e-12 and relative_error(gb, a + 3 * b ** 2) < 1e-12
    assert type(sct.grad(pair)(p)) is container
    _, tangent = sct.forward(pair)(p, container([np.ones(3), np.zeros(3)]))
    assert relative_error(tangent, np.sum(b)) < 1e-12
    scalars = container([0.5, -2.0])
    g = sct.grad(product_of_items)(scalars)
    assert type(g) is container and all(isinstance(item, float) for item in g)
    assert relative_error(np.array(g), [-2.0, 0.5]) < 1e-12


def product_of_items(p):
    return p[0] * p[1]


def test_nested_and_heterogeneous_containers():
    p = ((np.ones(2), np.array([3.0, 4.0])), (np.array([1.0, 2.0]), np.array([5.0, 6.0])))
    grads = sct.grad(nested)(p)
    assert type(grads) is tuple and type(grads[0]) is tuple
    assert relative_error(grads[0][0], [5.0, 6.0]) < 1e-12
    assert relative_error(grads[0][1], [2.0, 0.0]) < 1e-12
    assert relative_error(grads[1][1], [1.0, 1.0]) < 1e-12
    mixed = (np.ones(3), 2.0)
    _, tangent = sct.forward(first_and_second)(mixed, (np.ones(3), 1.0))  # forward mode takes any shapes
    assert relative_error(tangent, 3.0 + 12.0) < 1e-12
    gradient = sct.grad(first_and_second)(mixed)  # reverse mode too: item by item
    assert type(gradient) is tuple and relative_error(gradient[0], np.ones(3)) < 1e-12 and gradient[1] == 12.0
    _, adjoint = sct.reverse(first_and_second)(list(mixed), seed=2.0)
    assert type(adjoint) is list and relative_error(adjoint[0], 2 * np.ones(3)) < 1e-12 and adjoint[1] == 24.0


def first_and_second(p):
    return np.sum(p[0]) + p[1] ** 3


def reads_dict(d):
    return d["a"] * 2.0


def square(x):
    return x * x


def scaled(x, c):
    return x * c


def test_dict_arguments_are_differentiated_and_complex_ones_refused_naming_them():
    assert sct.reverse(reads_dict)({"a": 1.0}) == (2.0, {"a": 2.0})
    assert sct.forward(reads_dict)({"a": 1.0}, {"a": 3.0}) == (2.0, 6.0)
    with pytest.raises(TypeError, match="argument 'x' is complex"):
        sct.grad(square)(1.0 + 1j)
    with pytest.raises(TypeError, match="argument 'x' is complex"):
        sct.forward(square)(np.array([1.0 + 2j]), np.ones(1))
    with pytest.raises(TypeError, match="argument 'c' is complex"):
        sct.grad(scaled)(1.0, 2j)
    with pytest.raises(TypeError, match="x_dot.* is complex"):
        sct.forward(square)(1.0, 1j)
    with pytest.raises(TypeError, match="complex"):
        sct.reverse(square)(1.0, seed=1j)


# ------------------------------------------------------------------------------ loops over zip
def dot_zip(a, b):
    s = 0.0
    for u, v in zip(a, b):
        s = s + u * np.sin(v)
    return s


def weighted_zip(a, b, c):
    s = 0.0
    for i, (u, v, w) in enumerate(zip(a, b, c)):
        s = s + (i + 1.0) * u * v - w ** 2
    return s


@pytest.mark.parametrize("index", [0, 1])
def test_zip_loops_both_modes(index):
    rng = np.random.default_rng(2)
    check_both_modes(dot_zip, (rng.standard_normal(4), rng.standard_normal(4)), index)
    check_both_modes(weighted_zip, (rng.standard_normal(3), rng.standard_normal(3), rng.standard_normal(3)),
                     index)
    a, b = rng.standard_normal(5), rng.standard_normal(3)  # zip stops at the shortest
    grads = sct.grad(dot_zip, wrt="a,b")(a, b)
    assert relative_error(grads[0], numeric_gradient(dot_zip, (a, b), 0)) < 1e-6
    assert relative_error(grads[1], numeric_gradient(dot_zip, (a, b), 1)) < 1e-6


def over_filter(a):
    s = 0.0
    for u in filter(None, a):
        s = s * 2.0 + u
    return s


def over_map(a):
    s = 0.0
    for u in map(np.sin, a):
        s = s + u
    return s


@pytest.mark.parametrize("func", [over_filter, over_map])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_loops_over_other_iterators_are_refused_at_transform_time(func, mode):
    with pytest.raises(sct.SCTError, match="loop over") as info:
        getattr(sct, mode)(func)
    assert info.value.lineno is not None and "range(len" in info.value.hint
