"""Elementwise rules at every pair of shapes numpy broadcasts (0-d arrays and Python floats included),
and integer or boolean inputs, which get no adjoint."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from elementwise_cases import (
    M,
    X,
    add,
    arctan2,
    div,
    hypot,
    logaddexp,
    maximum,
    mul,
    pow_both,
    pow_int_param,
    sub,
    where_compare,
    where_scalar_branch,
)
from oracle import check_both_modes, check_rule, parameter_names

import sct

# ---------------------------------------------------------------------------------------- broadcasting
SHAPES = ["float", (), (1,), (3,), (2, 1), (2, 3), (4, 1, 3)]
BROADCASTING = [add, sub, mul, div, pow_both, maximum, arctan2, hypot, logaddexp]


def _data(shape, seed: int):
    rng = np.random.default_rng(seed)
    if shape == "float":
        return float(rng.uniform(0.5, 2.0))
    return rng.uniform(0.5, 2.0, size=shape)


@pytest.mark.parametrize("f", BROADCASTING, ids=lambda f: f.__name__)
@pytest.mark.parametrize("a, b", list(itertools.product(SHAPES, SHAPES)), ids=str)
def test_broadcasting(f, a, b):
    """Adjoints are summed back to each input's own shape: 0-d arrays and Python floats included."""
    x, y = _data(a, 1), _data(b, 2)
    check_rule(f, (x, y), complex_ok=f in (add, sub, mul, div, pow_both))
    _, (x_bar, y_bar) = sct.reverse(f, wrt=parameter_names(f))(x, y, seed=np.ones(np.shape(f(x, y))))
    assert np.shape(x_bar) == np.shape(x) and np.shape(y_bar) == np.shape(y)


def test_where_broadcasts_inactive_branch():
    check_rule(where_scalar_branch, (M,))
    check_both_modes(where_compare, (M, 1.5), 0)


# ------------------------------------------------------------------------------------ no adjoints for data
def scale_by_int(x, k):
    return x * k


def masked_sum(x, mask):
    return np.sum(np.where(mask, np.exp(x), 0.0))


@pytest.mark.parametrize("f, args", [
    (pow_int_param, (X, 2)), (scale_by_int, (X, np.array([1, 2, 3]))),
    (masked_sum, (X, np.array([True, False, True]))),
], ids=lambda c: getattr(c, "__name__", ""))
def test_integer_and_boolean_inputs_get_no_adjoint(f, args):
    check_rule(f, args)
    name = f.__code__.co_varnames[1]
    for mode in (sct.forward, sct.reverse):
        derivative = mode(f)
        assert derivative.wrt == ("x",)
        assert f"{name}_bar" not in derivative.source and f"{name}_dot" not in derivative.source
