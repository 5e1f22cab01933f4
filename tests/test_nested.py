"""Nested AD: derivatives of sct's own derivatives, through the API, through emitted modules, and GradBench's
saddle and particle problems in the four combinations of modes (checked against Richardson differences
and closed forms)."""
from __future__ import annotations

import importlib.util

import nested_problems as problems
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct
from sct.cli.module import transform_file
from sct.errors import SCTError

C = np.array([0.5, -1.5, 2.0])


def scale(x, c):
    return np.tanh(c * x)


def bowl(x, c):
    """A scalar with a helper inside."""
    return np.sum(scale(x, c) ** 2 + np.sin(x) * x[0]) + x[1] * x[2]


grad_bowl = sct.grad(bowl)
forward_bowl = sct.forward(bowl)
reverse_bowl = sct.reverse(bowl)


@sct.differentiate(mode="reverse", wrt="x")
def decorated(x, c):
    return np.sum(np.exp(0.3 * x) * c)


def calls_grad(x, c):
    """A derivative called inside a function that is differentiated again (its gradient, reverse mode)."""
    return np.sum(grad_bowl(x, c) ** 2) + np.sum(x)


def calls_forward(x, c):
    """... its tangent along ``c``, forward mode."""
    value, tangent = forward_bowl(x, c, c)
    return value * tangent


def calls_reverse(x, c):
    value, x_bar = reverse_bowl(x, c, seed=2.0)
    return value + np.sum(np.cos(x_bar))


def grad_times(x, c):
    """Vector-valued: the gradient made by the inner call, scaled."""
    return grad_bowl(x, c) * c


X = np.array([0.3, -0.7, 1.1])


@pytest.mark.parametrize("f, g", [(grad_bowl, calls_grad), (grad_times, calls_forward),
                                  (grad_times, calls_reverse)], ids=["grad", "forward", "reverse"])
def test_composition_in_every_mode(f, g):
    check_every_mode(f, g, X, C)


def test_four_combinations_scalar():
    def s(x):
        return np.sin(x) * x ** 2

    x = 0.7
    first = 2 * x * np.sin(x) + x ** 2 * np.cos(x)
    second = 2 * np.sin(x) + 4 * x * np.cos(x) - x ** 2 * np.sin(x)
    assert relative_error(sct.grad(sct.grad(s))(x), second) < 1e-12
    (_, d1), (d1_again, d2) = sct.forward(sct.forward(s))(x, 1.0, 1.0)
    assert relative_error([d1, d1_again, d2], [first, first, second]) < 1e-12
    _, (_, d2) = sct.forward(sct.reverse(s))(x, 1.0, 1.0)
    assert relative_error(d2, second) < 1e-12
    for made in (sct.reverse(sct.forward(s)), sct.reverse(sct.reverse(s))):
        seed = "seed" if made.original.__code__.co_varnames[1] != "seed" else "seed_1"
        _, total = made(x, 1.0, **{seed: (0.0, 1.0)})
        assert relative_error(total, second) < 1e-12


def test_third_order_and_decorated():
    def cube(x):
        return np.sum(x ** 4)

    x = np.array([0.5, -1.0])
    assert relative_error(sct.grad(sct.grad(lambda_free_cube))(1.3), 12 * 1.3 ** 2) < 1e-12
    hessian_of_grad = sct.jacobian(sct.grad(cube))(x)
    assert relative_error(hessian_of_grad, np.diag(12 * x ** 2)) < 1e-12
    assert relative_error(sct.hessian(sct.grad(lambda_free_cube))(1.3), 24 * 1.3) < 1e-12
    numeric = [richardson_difference(lambda x: decorated(x, C)[1], (X,), {0: e}) for e in np.eye(3)]
    for i, e in enumerate(np.eye(3)):
        _, (_, column) = sct.forward(decorated)(X, C, e)
        assert relative_error(column, numeric[i]) < 1e-7


def lambda_free_cube(x):
    return x ** 4


def test_higher_objects_are_not_composed():
    hessian = sct.hessian(bowl)

    def calls_hessian(x, c):
        return np.sum(hessian(x, c))

    with pytest.raises(SCTError, match="cannot"):
        sct.grad(calls_hessian)(X, C)


# ------------------------------------------------------------------------------- through emitted modules
SOURCE = '''import numpy as np


def energy(a, x, c):
    return c * np.sum(np.tanh(a @ x))


def f(x, a):
    return energy(a, x, np.sum(x ** 2)) + x[0] * np.sum(a)
'''


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _problem():
    a = np.arange(6.0).reshape(3, 2) / 7
    x = np.array([0.4, -0.3])
    return x, a


def test_transform_output_transforms_again(tmp_path):
    source = tmp_path / "energy_model.py"
    source.write_text(SOURCE)
    first = tmp_path / "energy_grad.py"
    first.write_text(transform_file(source, ["f"], "reverse", ["x"]).text)
    x, a = _problem()
    original = _load(source, "energy_model")
    expected = sct.hessian(original.f)(x, a)
    for mode in ("reverse", "forward"):
        second = tmp_path / f"energy_{mode}_of_grad.py"
        text = transform_file(first, ["diff_f"], mode, ["x"]).text
        assert "def unbroadcast" in text and "sct_" not in text  # the copies are sct's helpers again
        second.write_text(text)
        module = _load(second, f"energy_{mode}_of_grad")
        for i, e in enumerate(np.eye(2)):
            if mode == "reverse":
                (_, gradient), row = module.diff_diff_f(x, a, 1.0, (0.0, e))
            else:
                (_, gradient), (_, row) = module.diff_diff_f(x, a, 1.0, x_dot=e)
            assert relative_error(row, expected[i]) < 1e-12
        assert relative_error(gradient, sct.grad(original.f)(x, a)) < 1e-12
        # and the API differentiates the imported emitted function as well
        assert relative_error(sct.jacobian(sct.grad(original.f))(x, a), expected) < 1e-12


def energy(a, x, c):
    return c * np.sum(np.tanh(a @ x))


def tape_of_shapes(x, a):
    """The helper's tape holds a matrix, vectors and a scalar: its zero adjoint goes item by item."""
    return energy(a, x, np.sum(x ** 2)) + x[0]


def test_reverse_over_reverse_through_a_helper_tape():
    x, a = _problem()
    twice = sct.reverse(sct.reverse(tape_of_shapes))
    numeric = [richardson_difference(lambda x: sct.grad(tape_of_shapes)(x, a), (x,), {0: e})
               for e in np.eye(2)]
    for i, e in enumerate(np.eye(2)):
        (_, gradient), row = twice(x, a, seed_1=(0.0, e))
        assert relative_error(row, numeric[i]) < 1e-7
    assert relative_error(sct.hessian(tape_of_shapes)(x, a), np.array(numeric)) < 1e-7


# ------------------------------------------------------------------------------- GradBench saddle/particle
@pytest.mark.parametrize("mode", problems.MODES)
def test_saddle(mode):
    x, y0 = np.array([0.7, -0.4]), np.array([0.3, 0.2])
    gradient = problems.saddle_outer_gradient(mode)(x, y0)
    numeric = [richardson_difference(problems.INNER[mode[1]], (x, y0), {0: e}) for e in np.eye(2)]
    assert relative_error(gradient, numeric) < 1e-9
    closed = np.array([2.5 * x[0], 4.25 * x[1]])  # d/dx of max_y f = 1.25 x0^2 + 2.125 x1^2
    assert relative_error(gradient, closed) < 1e-8
    point = problems.saddle([1.0, -0.5], mode, steps=40)
    assert np.max(np.abs(point)) < 1e-6  # the saddle point is the origin


@pytest.mark.parametrize("mode", problems.MODES)
def test_particle(mode):
    derivative = problems.landing_derivative(mode)(0.0)
    numeric = richardson_difference(problems.LANDING[mode[1]], (0.0,), {0: 1.0})
    assert relative_error(derivative, numeric) < 1e-8
    w = problems.particle(0.0, mode, steps=6)
    assert problems.landing_reverse(w) < 1e-20  # it crosses the x axis at the origin
    assert abs(w - 0.20719946012625) < 1e-10


def shape_of_bump(x):
    return np.sin(x)


def bump(x):
    return np.sum(shape_of_bump(x) ** 2)


grad_bump = sct.grad(bump)


def calls_grad_bump(x):
    return np.sum(grad_bump(x))


def test_a_composition_follows_a_redefined_helper(monkeypatch):
    x = np.array([0.3, -0.8])
    twice = sct.jacobian(sct.grad(bump))
    inside = sct.grad(calls_grad_bump)
    assert relative_error(np.diag(twice(x)), 2 * np.cos(2 * x)) < 1e-12
    assert relative_error(inside(x), 2 * np.cos(2 * x)) < 1e-12

    def cubed(x):
        return x ** 3
    monkeypatch.setitem(globals(), "shape_of_bump", cubed)  # bump is now sum(x**6)
    assert relative_error(np.diag(twice(x)), 30 * x ** 4) < 1e-12
    assert relative_error(inside(x), 30 * x ** 4) < 1e-12
