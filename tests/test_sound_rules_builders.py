"""Rule semantics (tests/test_sound_rules_*.py): calls that were constants (array builders, ``np.linspace``,
``copysign``) carry the derivative of their values; values built by constant calls are refused in every mode.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from oracle import central_difference, check_rule
from sound_rules_support import V3, check_default_seed

import sct

# ------------------------------------------------------------------ rules for calls that were constants


def full_scalar(x):
    return np.full(3, x) * np.arange(1.0, 4.0)


def full_vector(v):
    return np.full((2, 3), v) ** 2


def full_int(x, v):
    return np.full(3, x, dtype=int) * v


def full_like_fill(x):
    return np.full_like(np.ones((2, 2)), x) * np.array([1.0, 2.0])


def full_like_int(x, v):
    return np.full_like(np.ones(3, dtype=int), x) * v


def linspace_ends(a, b):
    return np.linspace(a, b, 5) ** 2


def linspace_open(a, b):
    return np.sin(np.linspace(a, b, 4, endpoint=False))


def linspace_arrays(a, b):
    return np.linspace(a, b, 3, axis=1) * np.array([1.0, 2.0, 3.0])


def linspace_one(a, b):
    return np.linspace(a, b, 1) * 3.0


def copysign_math(x, y):
    return math.copysign(x, y) * x


def copysign_numpy(x, y):
    return np.copysign(x, y) * 2.0


@pytest.mark.parametrize("f, args", [
    (full_scalar, (0.7,)), (full_vector, (V3,)), (full_int, (1.3, V3)), (full_like_fill, (0.7,)),
    (full_like_int, (2.6, V3)), (linspace_ends, (0.3, 2.1)), (linspace_ends, (V3, 2.1)),
    (linspace_open, (V3, V3 * 2 + 1)), (linspace_arrays, (V3[:2], 1.5)), (linspace_one, (0.4, 1.2)),
    (copysign_math, (1.3, -0.5)), (copysign_math, (-1.3, 0.5)), (copysign_numpy, (V3, -V3[::-1])),
], ids=lambda v: getattr(v, "__name__", ""))
def test_array_builders_carry_the_derivative_of_their_values(f, args):
    check_rule(f, args)
    check_default_seed(f, args)


def r_join(x):
    return np.sum(np.r_[x, x] ** 2)


def c_join(x):
    return np.sum(np.c_[x, 2 * x])


def r_constant_join(x):
    return np.sum(np.r_[1.0, x[0]] * 3)


def arange_start(x):
    return np.sum(np.arange(x, 5.0))


def arange_step(x):
    return np.sum(np.arange(0.0, 3.0, x))


def or_value(x):
    return (x or 2.0) * 3.0


def and_value(x):
    y = x > 0 and x
    return y * 3.0


def zip_items(x):
    s = 0.0
    for a, b in zip(x, x * 2):
        s = s + a * b
    return s


def floor_into_itself(x):
    y = x * 1.0
    np.floor(y, y)
    return np.sum(y * x)


def floor_out_keyword(x):
    y = x * 1.0
    z = np.sign(y, out=y)
    return np.sum(z * x)


@pytest.mark.parametrize("f, construct", [
    (floor_into_itself, "a call statement"), (floor_out_keyword, "a call with out="),
    (r_join, "np.r_"), (c_join, "np.c_"), (r_constant_join, "np.r_"), (arange_start, "numpy.arange"),
    (arange_step, "numpy.arange"), (or_value, "and/or"), (and_value, "and/or"),
], ids=lambda v: getattr(v, "__name__", v))
def test_values_built_by_constant_calls_are_refused_in_every_mode(f, construct):
    for mode in (sct.forward, sct.reverse):
        with pytest.raises(sct.SCTError) as info:
            mode(f)
        assert info.value.construct == construct and info.value.lineno is not None
        assert info.value.hint


def test_a_loop_over_zip_of_differentiated_arrays_reads_them_by_index():
    x = np.array([0.3, -1.2, 2.0])
    expected = central_difference(zip_items, (x,), 0, np.eye(3)[1])
    assert np.isclose(sct.forward(zip_items)(x, np.eye(3)[1])[1], expected, rtol=1e-6)
    assert np.allclose(sct.grad(zip_items)(x), 4 * x, rtol=1e-12)


def arange_stop(x):
    return np.sum(np.arange(0.5, x) * x)


def arange_lone(x):
    return np.sum(np.arange(x) * x)


@pytest.mark.parametrize("f", [arange_stop, arange_lone])
def test_arange_is_constant_in_its_stop(f):
    check_rule(f, (3.7,))
