"""The numba backend (``backend="numba"``): derivatives equal to the numpy backend's and to Richardson
differences, refusals when the emitted code cannot be compiled as it is, and numba kept optional."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct
from sct import backends

numba = pytest.importorskip("numba")

ROOT = Path(__file__).resolve().parents[1]
NUMERIC = 1e-7
SAME = 1e-12  # numba adds sums in order, numpy pairwise: the two backends agree to rounding


def field(x, y):
    return np.concatenate([x[:1], x[1:] * y[:-1]])


def runge_kutta(x, s):
    h = 2.0 / s
    y = np.zeros_like(x)
    for _ in range(s):
        k1 = field(x, y)
        k2 = field(x, y + h / 2 * k1)
        y = y + h / 2 * (k1 + k2)
    return y


def broadcast(x, w):
    return np.tanh(x * w[:, None]) + x ** 2 / (1.0 + w[:, None] ** 2)


def element_loop(x, w):
    z = 0.0
    for i in range(x.shape[0]):
        z = z + np.exp(-x[i] * w) * x[i]
    return z


def log_sum_exp(x):
    a = np.max(x)
    return a + np.log(np.sum(np.exp(x - a)))


def branching_loop(x, n):
    y = x
    for i in range(n):
        if i % 2 == 0:
            y = np.sin(y) * x
        else:
            y = y * y + 0.5 * x
    return y


def halved(x, k):
    return x * 2 ** -k


def row_maxima(x):
    return np.max(x, axis=0)


SCALE = np.array([1.0, 2.0, 3.0])


def scaled(x):
    return np.sin(x) * SCALE


rng = np.random.default_rng(0)
CASES = [  # (function, arguments, the differentiated argument's index)
    (runge_kutta, (rng.standard_normal(5), 2), 0),
    (broadcast, (rng.standard_normal(4), rng.standard_normal(3)), 0),
    (broadcast, (rng.standard_normal(4), rng.standard_normal(3)), 1),
    (broadcast, (rng.standard_normal(1), rng.standard_normal(3)), 0),  # a size-1 axis broadcast
    (element_loop, (np.array([0.0, -1.5, 2.0, 0.3]), 0.7), 0),  # a zero and a negative point
    (element_loop, (np.array([0.0, -1.5, 2.0, 0.3]), -0.7), 1),
]


@pytest.mark.parametrize("f, args, index", CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_derivatives_equal_the_numpy_backend_and_differences(f, args, index):
    wrt = f.__code__.co_varnames[index]
    direction = np.random.default_rng(1).standard_normal(np.shape(args[index]))
    along = richardson_difference(f, args, {index: direction})

    value, tangent = sct.forward(f, wrt=wrt, backend="numba")(*args, direction)
    expected = sct.forward(f, wrt=wrt)(*args, direction)
    assert relative_error(value, expected[0]) < SAME and relative_error(tangent, expected[1]) < SAME
    assert relative_error(tangent, along) < NUMERIC

    seed = np.random.default_rng(2).standard_normal(np.shape(value))
    value, adjoint = sct.reverse(f, wrt=wrt, backend="numba")(*args, seed=seed)
    expected = sct.reverse(f, wrt=wrt)(*args, seed=seed)
    assert np.shape(adjoint) == np.shape(expected[1])
    assert relative_error(value, expected[0]) < SAME and relative_error(adjoint, expected[1]) < SAME
    lhs, rhs = float(np.sum(adjoint * direction)), float(np.sum(seed * along))
    assert abs(lhs - rhs) <= NUMERIC * max(1.0, abs(rhs))

    default = sct.reverse(f, wrt=wrt, backend="numba")(*args)[1]  # the default seed, 1.0
    assert relative_error(default, sct.reverse(f, wrt=wrt)(*args)[1]) < SAME


def test_gradient_of_a_scalar_function():
    x = np.array([0.0, -2.0, 1.5, 3.0])
    gradient = sct.grad(log_sum_exp, wrt="x", backend="numba")(x)
    assert relative_error(gradient, sct.grad(log_sum_exp, wrt="x")(x)) < SAME
    for i in range(x.size):
        unit = np.eye(x.size)[i]
        assert abs(gradient[i] - float(richardson_difference(log_sum_exp, (x,), {0: unit}))) < NUMERIC


def test_a_seed_of_another_shape_is_refused_when_called():
    with pytest.raises(ValueError, match="seed"):
        sct.reverse(runge_kutta, wrt="x", backend="numba")(np.ones(5), 2, seed=np.ones(4))


def test_a_helper_without_compiled_form_is_refused_when_made():
    with pytest.raises(sct.SCTError, match="extremum_adjoint.*no compiled form") as info:
        sct.reverse(row_maxima, backend="numba")
    assert "numpy backend" in str(info.value)


def test_a_global_holding_data_is_refused_when_made():
    with pytest.raises(sct.SCTError, match="global 'SCALE'.*first call"):
        sct.reverse(scaled, backend="numba")
    assert relative_error(sct.reverse(scaled)(np.ones(3))[1], np.cos(np.ones(3)) * SCALE) < SAME


def test_what_numba_cannot_type_is_refused_at_the_first_call():
    # one tape holds the branch taken (a bool) and arrays: numba's lists hold one type
    derivative = sct.reverse(branching_loop, wrt="x", backend="numba")  # made: nothing to refuse yet
    with pytest.raises(sct.SCTError, match="numba cannot compile diff_branching_loop"):
        derivative(np.ones(3), 3)
    assert np.all(np.isfinite(sct.reverse(branching_loop, wrt="x")(np.ones(3), 3)[1]))


def test_an_integer_power_is_refused_after_the_first_call():
    # numba: 2 ** -1 == 0 in int64; the result computed so is not returned
    derivative = sct.reverse(halved, wrt="x", backend="numba")
    for _ in range(2):  # refused at the call that compiled it, and at the next ones
        with pytest.raises(sct.SCTError, match="a power of two integers"):
            derivative(np.ones(2), 1)
    assert relative_error(sct.reverse(halved, wrt="x")(np.ones(2), 1)[1], np.full(2, 0.5)) < SAME


def grown_by_products(x, k):
    n = 1
    for _ in range(k):
        n = n * 7  # 7 ** 25 needs more than 64 bits
    return x * n


def literal_power(x, k):
    return x * k ** 40


def shifted(x, k):
    return x * (k << 62)


@pytest.mark.parametrize("f, what", [(grown_by_products, "a product"), (literal_power, "a power"),
                                     (shifted, "a left shift")])
def test_integer_arithmetic_that_may_wrap_is_refused(f, what):
    # numba wraps int64 around where Python's integers grow: the result computed so is not returned
    with pytest.raises(sct.SCTError, match=f"{what} of two integers"):
        sct.forward(f, wrt="x", backend="numba")(np.ones(2), 25 if f is grown_by_products else 3, np.ones(2))
    expected = {grown_by_products: 7 ** 25, literal_power: 3 ** 40, shifted: 3 << 62}[f]
    assert relative_error(sct.forward(f, wrt="x")(np.ones(2), 25 if f is grown_by_products else 3,
                                                  np.ones(2))[1], np.full(2, float(expected))) < SAME


def scaled_by(x, c):
    return x * c + 0.5 * np.sin(x)


def test_narrow_floats_with_numbers_are_refused():
    # numpy keeps float32 with a Python number (x * 0.5); numba types the number float64 and widens
    x = np.array([0.5, -1.0], dtype=np.float32)
    assert sct.forward(scaled_by, wrt="x")(x, 0.5, np.ones(2, np.float32))[1].dtype == np.float32
    with pytest.raises(sct.SCTError, match="float32 values and a number"):
        sct.forward(scaled_by, wrt="x", backend="numba")(x, 0.5, np.ones(2, np.float32))


def past_the_end(x):
    return x[3] * x


def test_an_index_out_of_bounds_raises_as_in_python():
    with pytest.raises(IndexError):
        sct.forward(past_the_end, wrt="x")(np.ones(3), np.ones(3))
    with pytest.raises(IndexError):  # compiled without bounds checks, it read past the array
        sct.forward(past_the_end, wrt="x", backend="numba")(np.ones(3), np.ones(3))


def scaled_then_item(x):
    y = x * 2.0
    return y[0] * np.sin(y)  # x's adjoint: owned_adjoint of the sine's term, then x_bar[0] written


def test_an_owned_first_contribution_is_compiled():
    assert "owned_adjoint(" in sct.reverse(scaled_then_item).source
    x, seed = np.array([0.4, -1.3, 2.0]), np.array([1.0, -0.5, 2.0])
    value, adjoint = sct.reverse(scaled_then_item, backend="numba")(x, seed=seed)
    expected = sct.reverse(scaled_then_item)(x, seed=seed)
    assert relative_error(value, expected[0]) < SAME and relative_error(adjoint, expected[1]) < SAME


def test_backends_are_cached_apart_and_checked():
    assert sct.reverse(log_sum_exp, backend="numba") is not sct.reverse(log_sum_exp)
    assert sct.reverse(log_sum_exp, backend="numba") is sct.reverse(log_sum_exp, backend="numba")
    with pytest.raises(ValueError, match="backend must be one of"):
        sct.reverse(log_sum_exp, backend="cython")


def test_the_numba_backend_without_numba_is_refused(monkeypatch):
    monkeypatch.setattr(backends.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(sct.SCTError, match="needs numba"):
        backends.run_by("numba", {"f": log_sum_exp}, "f")


def test_numba_is_imported_only_when_asked_for():
    code = ("import sys, numpy as np, sct\n"
            "from gradbench.evals import lse\n"
            "sct.grad(lse.logsumexp)(np.ones(3))\n"
            "sct.forward(lse.logsumexp)(np.ones(3), np.ones(3))\n"
            "assert 'numba' not in sys.modules, 'numba imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
