"""Evaluation order: what the derivative evaluates, and when, must be what the function evaluates.

A call with effects (a random generator) runs once per primal call; the derivative goes through the
same numbers, also where a loop's trip count is drawn and where a long expression is cut.
"""
import numpy as np
import pytest
from oracle import central_difference, parameter_names, relative_error
from order_support import module_from_source

import sct


# ------------------------------------------------------------------------------ calls run exactly once
class CountingGenerator:
    """A numpy Generator that counts the draws made through it."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.calls = 0

    def normal(self, size=None):
        self.calls += 1
        return self.rng.normal(size=size)


def noise_scale(mu, sigma):
    z = mu + sigma * np.random.standard_normal(1000)
    return np.sum(z ** 2) / 1000


def dot_with_draw(x, A, rs):
    return np.sum(np.dot(A, rs.randn(2)) * x)


def draw_in_loop(x):
    s = 0.0
    for _ in range(3):
        s = s + x * np.random.rand()
    return s


def generator_argument(x, rng):
    return np.sum(np.sin(x * rng.normal(size=3)))


def generator_in_loop(x, rng):
    s = 0.0
    for _ in range(2):
        s = s + np.sum(x * rng.normal(size=3)) ** 2
    return s


def drawn_index(x):
    return x[np.random.randint(0, 3)] * x[1]


def drawn_index_update(x):
    y = x * 1.0
    y[np.random.randint(0, 3)] += x[0] * 2.0
    return np.sum(y * y)


def drawn_slice_write(x):
    y = x * 1.0
    y[np.random.randint(0, 2):] = np.random.rand() * x[0]
    return np.sum(y * x)


def loop_over_draws(x):
    s = 0.0
    for r in np.random.rand(3):
        s = s + r * x * x
    return s


DRAW_CASES = [
    (noise_scale, lambda: (0.3, 1.7), 0),
    (noise_scale, lambda: (0.3, 1.7), 1),
    (dot_with_draw, lambda: (np.array([0.5, -1.0]), np.array([[1.0, 2.0], [0.5, -1.0]]),
                             np.random.RandomState(4)), 0),
    (draw_in_loop, lambda: (1.3,), 0),
    (generator_argument, lambda: (np.array([0.5, -1.0, 2.0]), CountingGenerator(3)), 0),
    (generator_in_loop, lambda: (np.array([0.5, -1.0, 2.0]), CountingGenerator(3)), 0),
    (drawn_index, lambda: (np.array([0.5, -1.0, 2.0]),), 0),
    (drawn_index_update, lambda: (np.array([0.5, -1.0, 2.0]),), 0),
    (drawn_slice_write, lambda: (np.array([0.5, -1.0, 2.0]),), 0),
    (loop_over_draws, lambda: (1.3,), 0),
]


@pytest.fixture
def draws(monkeypatch):
    """Count the calls to numpy's global random functions."""
    counts = {"n": 0}
    for name in ("standard_normal", "rand", "randint"):
        original = getattr(np.random, name)

        def counted(*args, _original=original, **kwargs):
            counts["n"] += 1
            return _original(*args, **kwargs)
        monkeypatch.setattr(np.random, name, counted)
    return counts


def _fresh(make):
    """Arguments made anew, with numpy's global generator reseeded: every call sees the same draws."""
    np.random.seed(0)
    return list(make())


def _draw_count(args, draws) -> int:
    return draws["n"] + sum(a.calls for a in args if isinstance(a, CountingGenerator))


@pytest.mark.parametrize("f, make, wrt_index", DRAW_CASES, ids=lambda c: getattr(c, "__name__", None))
def test_a_call_runs_once_and_the_derivative_uses_its_result(f, make, wrt_index, draws):
    wrt = parameter_names(f)[wrt_index]

    def fixed(*xs):  # f with the same random numbers on every call
        args = _fresh(make)
        args[wrt_index] = xs[0]
        return f(*args)

    args = _fresh(make)
    x = np.asarray(args[wrt_index], dtype=float)
    before = draws["n"]
    value = f(*args)
    once = _draw_count(args, draws) - before
    direction = np.linspace(0.5, 1.5, x.size).reshape(x.shape)
    numeric = central_difference(fixed, (x,), 0, direction if x.ndim else 1.0)
    gradient = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[k] = 1.0
        gradient[k] = central_difference(fixed, (x,), 0, e if x.ndim else 1.0)
    derivatives = {"forward": sct.forward(f, wrt=wrt), "reverse": sct.reverse(f, wrt=wrt),
                   "grad": sct.grad(f, wrt=wrt)}
    for mode, d in derivatives.items():
        args = _fresh(make)
        before = draws["n"]
        if mode == "forward":
            out, tangent = d(*args, direction if x.ndim else 1.0)
            assert relative_error(tangent, numeric) < 1e-6, (mode, tangent, numeric)
        elif mode == "reverse":
            out, adjoint = d(*args)
            assert relative_error(adjoint, gradient) < 1e-6, (mode, adjoint, gradient)
        else:
            adjoint = d(*args)
            assert relative_error(adjoint, gradient) < 1e-6, (mode, adjoint, gradient)
        assert _draw_count(args, draws) - before == once, (mode, "a call ran again in the derivative")
        if mode != "grad":
            assert np.allclose(out, value, rtol=1e-12), (mode, out, value)


def test_no_call_is_repeated_in_emitted_code():
    """Every call in the primal appears once in the emitted derivative (it is named, then reused)."""
    for f in (noise_scale, dot_with_draw, generator_argument, drawn_index, drawn_slice_write):
        for mode in ("forward", "reverse"):
            source = getattr(sct, mode)(f).source
            for call in ("standard_normal(", "randn(", "normal(", "randint(", "rand("):
                assert source.count("." + call) <= 1, (f.__name__, mode, call, source)


def drawn_trip_count(x):
    s = x
    for _ in range(np.random.randint(2, 6)):
        s = s * x
    return s


def test_a_drawn_trip_count_is_drawn_once(draws):
    np.random.seed(3)
    value = drawn_trip_count(1.2)
    np.random.seed(3)
    before = draws["n"]
    out, adjoint = sct.reverse(drawn_trip_count)(1.2)
    assert draws["n"] - before == 1
    trips = round(np.log(value) / np.log(1.2)) - 1
    assert out == pytest.approx(value) and adjoint == pytest.approx((trips + 1) * 1.2 ** trips)


def test_cutting_a_long_expression_keeps_the_order_of_evaluation(tmp_path, draws):
    """Right-nested: Python draws the outer terms first; the cut pieces must not be drawn before them."""
    body = "np.random.rand() * x + (" * 100 + "x" + ")" * 100
    f = module_from_source(tmp_path, "right_nested", f"def f(x):\n    return {body}\n").f
    np.random.seed(5)
    draws_made = np.random.rand(100)
    np.random.seed(5)
    value = f(2.0)
    for mode in ("forward", "reverse"):
        np.random.seed(5)
        before = draws["n"]
        out, derivative = sct.forward(f)(2.0, 1.0) if mode == "forward" else sct.reverse(f)(2.0)
        assert draws["n"] - before == 100
        assert out == pytest.approx(value, rel=1e-12)
        assert derivative == pytest.approx(1.0 + draws_made.sum(), rel=1e-12)
