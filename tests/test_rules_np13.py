"""Array rearrangements, composites and elementwise functions (sct/rules/manipulation_rules.py and their
entries in sct/rules/lowering.py): values equal to numpy's, every mode against central differences
(tests/every_mode.py), and the calls sct refuses. Each rule is also walked by tests/test_rule_walk.py."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def append_flat(x):
    return np.append(x, x * 2.0)


def append_axis(x):
    return np.append(x, np.sin(x), axis=0)


def append_number(x):
    return np.append(np.cos(x), 1.5)


def inner(x):
    return np.inner(x, np.cos(x))


def inner_scalar(x):
    return np.inner(2.0, x * x)


def trapezoid(x):
    return np.trapezoid(x * x)


def trapezoid_dx(x):
    return np.trapezoid(np.sin(x), dx=0.5, axis=0)


def trapezoid_at(x):
    return np.trapezoid(x * x, np.array([0.0, 0.5, 2.0]), axis=0)


def trapezoid_at_active(x):
    return np.trapezoid(np.cos(x), x[:, 0] if np.ndim(x) == 2 else x)


def cross(x):
    return np.cross(x, np.sin(x))


def rollaxis(x):
    return np.rollaxis(x * x, np.ndim(x) - 1)


def sorted_squares(x):
    return np.sort(x * np.abs(x), axis=-1)


def padded(x):
    return np.pad(np.exp(x), 1, constant_values=-2.0)


def _scalar(f):
    def total(x):
        return np.sum(f(x) ** 2) * 0.5
    return total


LOWERED_HERE = ("numpy.append", "numpy.inner", "numpy.trapezoid")  # test_lowering.py counts them as tested
CASES = [(append_flat, (3,)), (append_flat, (2, 3)), (append_axis, (3,)), (append_axis, (2, 3)),
         (append_number, (3,)), (inner, (3,)), (inner, (2, 3)), (inner, (2, 2, 3)), (inner_scalar, (3,)),
         (trapezoid, (3,)), (trapezoid, (2, 3)), (trapezoid_dx, (3,)), (trapezoid_dx, (3, 2)),
         (trapezoid_at, (3,)), (trapezoid_at, (3, 2)), (trapezoid_at_active, (3,)),
         (cross, (3,)), (cross, (2, 3)), (rollaxis, (2, 3)), (rollaxis, (2, 3, 2)),
         (sorted_squares, (2, 3)), (padded, (2, 3))]
for _f in {f for f, _ in CASES}:
    globals()[_f.__name__ + "_total"] = _scalar(_f)


@pytest.mark.parametrize("f,shape", CASES, ids=[f"{f.__name__}-{len(s)}d" for f, s in CASES])
def test_in_every_mode(f, shape):
    x = np.random.default_rng(len(shape)).standard_normal(shape)
    out, _ = sct.forward(f)(x, np.ones(shape))
    expected = f(x)
    assert np.shape(out) == np.shape(expected) and np.allclose(out, expected, rtol=1e-15, atol=1e-15)
    check_every_mode(f, globals()[f.__name__ + "_total"], x)


def test_constant_tests_are_decided_when_lowering():
    derivative = sct.reverse(append_axis).source.split("def diff_append_axis")[1]
    assert " is None" not in derivative and "if " not in derivative


def test_the_input_is_left_alone():
    x = np.array([0.3, -1.2, 0.7])
    before = x.copy()
    sct.grad(globals()["sorted_squares_total"])(x)
    sct.jacobian(padded, mode="reverse")(x)
    assert np.array_equal(x, before)


def test_a_jacobian_of_a_rearrangement_is_one_sweep():
    x = np.array([[0.3, -1.2, 0.7], [2.0, 0.1, -0.4]])
    for mode in ("forward", "reverse"):
        jacobian = sct.jacobian(sorted_squares, mode=mode)
        jac = jacobian(x)
        assert jacobian.vectorized and jacobian.note == ""
        order = np.argsort(x * np.abs(x), axis=-1)
        expected = np.zeros((2, 3, 2, 3))
        for i in range(2):
            for j in range(3):
                expected[i, j, i, order[i, j]] = 2 * abs(x[i, order[i, j]])
        assert np.allclose(jac, expected)


# ---------------------------------------------------------------------------------------------- refused
def pad_mean(x):
    return np.pad(x, 1, mode="mean")


def pad_pairs(x, c):
    return np.pad(x, 1, constant_values=c)


def trapezoid_at_points(x):
    return np.trapezoid(x, np.ones((2, 3)))


def nan_to_num_nan(x):
    return np.nan_to_num(x, nan=1.0)


def test_pad_modes_that_compute_values_are_refused():
    with pytest.raises(ValueError, match="np.pad in the modes"):
        sct.grad(_scalar(pad_mean))(np.ones(3))


def test_pad_constants_other_than_one_number_are_refused_when_active():
    with pytest.raises(ValueError, match="constant_values only when it is one number"):
        sct.forward(pad_pairs, wrt="c")(np.ones(3), np.array([1.0, 2.0]), np.ones(2))
    out, c_bar = sct.reverse(pad_pairs, wrt="c")(np.ones(3), 2.0)
    assert np.array_equal(out, [2.0, 1, 1, 1, 2.0]) and c_bar == 2.0


def test_arguments_the_rules_do_not_name_are_refused():
    with pytest.raises(sct.SCTError, match="unsupported arguments"):
        sct.reverse(nan_to_num_nan)


def test_sample_points_of_several_axes_are_refused():
    with pytest.raises(ValueError, match="unknown dimension"):
        sct.reverse(trapezoid_at_points)(np.ones((2, 3)))


def interp_in_values(x, fp):
    return np.interp(x, np.array([0.0, 1.0, 2.0]), fp)


def interp_at_knots(x):
    return np.interp(x, [0.0, 1.0, 3.0], [1.0, 3.0, 2.0])


def test_interp_is_differentiated_in_x_only():
    for wrt in ("fp", ("x", "fp")):
        for mode in (sct.forward, sct.reverse):
            with pytest.raises(sct.SCTError, match="np.interp in x only, not in its argument fp"):
                mode(interp_in_values, wrt=wrt)
    # at a knot, the slope on its right; outside the sample points, zero
    x = np.array([0.0, 1.0, 3.0, -1.0, 0.5, 2.0])
    _, x_bar = sct.reverse(interp_at_knots)(x)
    assert np.array_equal(x_bar, [2.0, -0.5, 0.0, 0.0, 2.0, -0.5])
