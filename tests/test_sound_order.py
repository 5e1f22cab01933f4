"""Evaluation order: what the derivative evaluates, and when, must be what the function evaluates.

* Tuple assignment evaluates the whole right side before binding any target (swaps, time steppers,
  nested tuples, subscript targets), in loops, branches and at top level.
* A call with effects (a random generator) runs once per primal call; the derivative goes through the
  same numbers.
* A loop bound or loop variable rebound in the body: the reverse sweep replays the iterations that ran.
* Long expressions and long functions: no recursion limit, and transformation time near linear.
"""
import numpy as np
import pytest
from oracle import central_difference, check_both_modes, parameter_names, relative_error

import sct


def check_all(f, args, wrt_index=0, rtol=1e-6):
    """Forward, reverse (random seed), reverse with the default seed and ``grad`` against central
    differences of ``f`` (the default seed differentiates the sum of the output's entries)."""
    check_both_modes(f, args, wrt_index, rtol=rtol)
    wrt = parameter_names(f)[wrt_index]
    x = np.asarray(args[wrt_index], dtype=float)
    expected = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[k] = 1.0
        expected[k] = np.sum(central_difference(f, args, wrt_index, e if x.ndim else 1.0))
    value, adjoint = sct.reverse(f, wrt=wrt)(*args)
    assert np.allclose(value, f(*args), rtol=1e-12, atol=1e-12)
    assert relative_error(adjoint, expected) < rtol, (adjoint, expected)
    if np.ndim(value) == 0:
        assert relative_error(sct.grad(f, wrt=wrt)(*args), expected) < rtol


# ------------------------------------------------------------------------------------ tuple assignment
def fibonacci_like(x):
    a, b = 1.0, 1.0
    for _ in range(4):
        a, b = b, a + b * x
    return b


def oscillator(x, v):
    dt = 0.1
    for _ in range(6):
        x, v = x + dt * v, v - dt * x
    return x * v


def oscillator_array(x, v):
    dt = 0.05
    for _ in range(5):
        x, v = x + dt * v, v - dt * np.sin(x)
    return np.sum(x * v)


def swap_top_level(a, b):
    a, b = b, a
    return a * 2.0 + b * 3.0 + a * b


def swap_twice_then_update(x):
    a, b = x, 2 * x
    a, b = b, a
    a, b = b + a, a * b
    return a + b


def top_level_step(a, b, x):
    a, b = b, a + b * x
    return a * b


def nested_tuples(a, b):
    (a, b), c = (b, a * b), a
    return a + 2 * b + 3 * c


def swap_list_display(x):
    a, b = 1.0, x
    a, b = [b, a * a]
    return a + b


def branch_swap(x):
    a, b = x[0], x[1]
    if a > 0:
        a, b = b * a, a - b
    else:
        a, b = b, a
    return a * b


def loop_elementwise(x):
    a, b = 0.0, 1.0
    for _ in range(3):
        a, b = np.sin(b), a * x
    return a + b


def subscript_swap(y):
    y = y * 1.0
    for _ in range(3):
        y[0], y[1] = y[1], y[0] * y[2]
    return y


def subscript_then_name(x):
    z = x * 1.0
    w = z
    z[0], b = 5.0, w[0] * 1.0
    return b * z


def subscript_then_view(x):
    z = x * 1.0
    w = z
    z[0], b = 5.0, w[0]  # w[0] of an N-d z is a view: the write would change b too
    return b * z


def index_bound_first(x):
    y = np.zeros(3)
    i = 0
    i, y[i] = 1, x
    return y * np.arange(3.0)


def while_stepper(x, n):
    s, p, k = 0.0, x, 0
    while k < n:
        s, p, k = s + p, p * x, k + 1
    return s


def pair(u):
    return u * 2.0, u * u


def nested_call_reads_rebound(x):
    a = x
    (a, b), c = pair(a), a
    return a + b * c


def list_target_from_call(x):
    [a, b] = pair(x)
    return a * b


def subscript_target_from_call(x):
    y = np.zeros(3)
    i = 0
    y[i], i = pair(x)
    return y[0] * 2.0 + i


def subscript_targets_in_loop(x):
    y = np.zeros(3)
    for k in range(2):
        y[k], y[k + 1] = pair(x * y[k] + 1.0)
    return np.sum(y)


def nested_pair(u):
    return (u * 2.0, u * u), u + 1.0


def nested_unpack_of_a_call(x):
    (a, b), c = nested_pair(x)
    return a + b * c


TUPLE_CASES = [
    (fibonacci_like, (1.3,), 0),
    (oscillator, (1.0, 0.5), 0),
    (oscillator, (1.0, 0.5), 1),
    (oscillator_array, (np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, -0.2])), 0),
    (swap_top_level, (1.0, 2.0), 0),
    (swap_twice_then_update, (1.3,), 0),
    (top_level_step, (1.0, 2.0, 3.0), 0),
    (top_level_step, (1.0, 2.0, 3.0), 2),
    (nested_tuples, (1.5, 2.0), 0),
    (nested_tuples, (1.5, 2.0), 1),
    (swap_list_display, (1.3,), 0),
    (branch_swap, (np.array([1.5, 2.0]),), 0),
    (branch_swap, (np.array([-1.5, 2.0]),), 0),
    (loop_elementwise, (1.3,), 0),
    (subscript_swap, (np.array([1.0, 2.0, 3.0]),), 0),
    (subscript_then_name, (np.array([1.0, 2.0]),), 0),
    (index_bound_first, (1.3,), 0),
    (while_stepper, (1.3, 4), 0),
    (nested_call_reads_rebound, (1.3,), 0),
    (list_target_from_call, (1.3,), 0),
    (subscript_target_from_call, (1.3,), 0),
    (subscript_targets_in_loop, (1.3,), 0),
]


@pytest.mark.parametrize("f, args, wrt_index", TUPLE_CASES, ids=lambda c: getattr(c, "__name__", None))
def test_tuple_assignment_evaluates_the_right_side_first(f, args, wrt_index):
    check_all(f, args, wrt_index)


def test_tuple_assignment_reading_a_number_of_a_written_array_is_exact():
    """``w[0]`` of a 1-d array is a number: a copy, read before the write (tests/test_element_reads.py)."""
    check_all(subscript_then_view, (np.array([1.0, 2.0, 3.0]),), 0)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_tuple_assignment_reading_a_view_of_a_written_array_is_refused(mode):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    args = (x, np.ones_like(x)) if mode == "forward" else (x,)
    with pytest.raises(ValueError, match="reads an array"):
        getattr(sct, mode)(subscript_then_view)(*args)


def test_nested_unpacking_of_a_differentiable_value():
    """``(a, b), c = f(x)``: the inner pair is unpacked by index, its length checked as Python does."""
    check_all(nested_unpack_of_a_call, (1.3,), 0)
    check_all(nested_unpack_of_a_call, (np.array([0.4, -1.1]),), 0)


def test_time_stepper_second_derivatives():
    """The stepper goes through every stage: Jacobians in both modes and Hessian-vector products."""
    x, v = np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, -0.2])
    jf = sct.jacobian(oscillator_array, wrt="x", mode="forward")(x, v)
    jr = sct.jacobian(oscillator_array, wrt="x", mode="reverse")(x, v)
    assert np.allclose(jf, jr)
    hv = sct.hvp(oscillator_array, wrt="x")(x, v, np.ones(3))
    grad = sct.grad(oscillator_array, wrt="x")
    numeric = central_difference(lambda y: grad(y, v), (x,), 0, np.ones(3))
    assert relative_error(hv, numeric) < 1e-6


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


# -------------------------------------------------------------- loop headers the body changes
def bound_rebound(x):
    n = 3
    s = 0.0
    for i in range(n):
        s = s + x * i
        n = 1
    return s


def start_and_bound_rebound(x):
    n = 4
    s = x
    for i in range(1, n):
        s = s * (x + i)
        n = n - 1
    return s


def bound_grows(x, w):
    s = 0.0
    n = 2
    for i in range(n):
        n = n + 1
        s = s + x[i] * w
        w = w * 2.0
    return s


def loop_variable_rebound(x):
    s = 0.0
    for i in range(3):
        i = i * 2
        s = s + x ** i
    return s


def nested_loop_variables_rebound(x):
    s = 0.0
    for i in range(3):
        for j in range(i):
            j = j + 1
            s = s + x * j
        i = 5
    return s


def bound_from_active_shape(x):
    s = 0.0
    for _ in range(x.shape[0] - 1):
        s = s + x[0] * x[1]
        x = x[1:] * 1.5
    return s


def bound_from_length_rebound(x):
    s = x
    y = x * 1.0
    for i in range(len(y)):
        y = np.concatenate([y, y])
        s = s * 1.1 + y[i]
    return np.sum(s)


def loop_variable_read_before(x):
    i = 2
    y = x[i] * x
    s = 0.0
    for i in range(3):
        s = s + x[i]
    return np.sum(y) + s


def same_variable_nested(x):
    s = 0.0
    for i in range(2):
        for i in range(3):
            s = s + x[i] * s
        s = s + x[i] * 2.0
    return s


def loop_variable_read_after(x):
    s = 0.0
    for i in range(3):
        s = s + x[i] * x[0]
    return s * x[i]


def break_with_rebound_bound(x):
    n = 5
    s = x
    for _i in range(n):
        n = 2
        s = s * x
        if s > 4.0:
            break
    return s


def while_condition_rebound(x):
    k = 0
    s = x
    while k < 3:
        s = s * x
        k = k + 2
        if s > 100.0:
            k = k - 1
    return s


def rebound_in_outer_loop(x):
    n = 1
    s = x
    for _ in range(3):
        for _ in range(n):
            s = s * x
        n = n + 1
    return s


LOOP_CASES = [
    (bound_rebound, (1.5,), 0),
    (start_and_bound_rebound, (1.5,), 0),
    (bound_grows, (np.array([1.0, 2.0, 3.0]), 1.3), 0),
    (bound_grows, (np.array([1.0, 2.0, 3.0]), 1.3), 1),
    (loop_variable_rebound, (1.5,), 0),
    (nested_loop_variables_rebound, (1.5,), 0),
    (bound_from_active_shape, (np.array([1.0, -2.0, 3.0, 0.5]),), 0),
    (bound_from_length_rebound, (np.array([1.0, 2.0]),), 0),
    (loop_variable_read_before, (np.array([1.0, 2.0, 3.0]),), 0),
    (same_variable_nested, (np.array([1.0, 2.0, 3.0]),), 0),
    (loop_variable_read_after, (np.array([1.0, 2.0, 3.0]),), 0),
    (break_with_rebound_bound, (1.5,), 0),
    (break_with_rebound_bound, (2.5,), 0),
    (while_condition_rebound, (1.5,), 0),
    (while_condition_rebound, (5.0,), 0),
    (rebound_in_outer_loop, (1.1,), 0),
]


@pytest.mark.parametrize("f, args, wrt_index", LOOP_CASES, ids=lambda c: getattr(c, "__name__", None))
def test_reverse_sweep_replays_the_iterations_that_ran(f, args, wrt_index):
    check_all(f, args, wrt_index)


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


# ------------------------------------------------------------------- long expressions, long functions
def _module(tmp_path, name, source):
    """Import ``source`` as a module from a file (sct reads a function's source from its file)."""
    import importlib.util

    path = tmp_path / f"{name}.py"
    path.write_text("import numpy as np\n\n\n" + source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _negated_and_augmented(n):
    update = " + ".join(f"x[{i % 3}] * {i / n:.3f}" for i in range(n))
    negated = " - ".join(f"x[{i % 3}]" for i in range(n))
    stacked = ", ".join(f"x[{i % 3}] * x[1]" for i in range(n))
    return (f"def f(x):\n    y = x * 1.0\n    y[0] += {update}\n    s = -({negated})\n"
            f"    return np.sum(y * y) + s * np.sum(np.stack([{stacked}])) / {n}\n")


LONG_SOURCES = {
    "sum_400": "def f(x):\n    return " + " + ".join(f"x[{i}]" for i in range(400)) + "\n",
    "products_400": "def f(a, b, c, d):\n    return " + " + ".join(["a * b", "c * d"] * 200) + "\n",
    "calls_200": "def f(x):\n    return " + " - ".join(f"np.sin(x[{i % 5}]) * x[{(i + 1) % 5}]"
                                                    for i in range(200)) + "\n",
    "nested_calls_120": "def f(x):\n    return " + "np.sin(" * 120 + "x" + ")" * 120 + "\n",
    "negated_and_augmented": _negated_and_augmented(120),
}
LONG_ARGS = {"sum_400": ((np.linspace(-1.0, 1.0, 400),), [0]),
             "products_400": ((1.0, 2.0, -3.0, 0.5), [0, 3]),
             "calls_200": ((np.array([0.3, -0.7, 1.1, 0.4, 2.0]),), [0]), "nested_calls_120": ((0.7,), [0]),
             "negated_and_augmented": ((np.array([0.3, -0.7, 1.1]),), [0])}


@pytest.mark.parametrize("name", list(LONG_SOURCES))
def test_long_expressions_transform_and_compile(tmp_path, name):
    f = _module(tmp_path, name, LONG_SOURCES[name]).f
    args, indices = LONG_ARGS[name]
    for index in indices:
        check_all(f, args, index)
    for mode in ("forward", "reverse"):
        compile(getattr(sct, mode)(f).source, f"<{name} {mode}>", "exec")  # the standalone module


def test_cutting_a_long_expression_keeps_the_order_of_evaluation(tmp_path, draws):
    """Right-nested: Python draws the outer terms first; the cut pieces must not be drawn before them."""
    body = "np.random.rand() * x + (" * 100 + "x" + ")" * 100
    f = _module(tmp_path, "right_nested", f"def f(x):\n    return {body}\n").f
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


def _timed(call) -> float:
    import time

    start = time.process_time()
    call()
    return time.process_time() - start


def test_usefulness_is_linear_in_the_length_of_straight_line_code():
    """The result depends on every statement of a long chain (a fixpoint sweeping the statements in order
    needs one sweep per statement here: quadratic). Four times the statements take about four times the
    time, not sixteen; the smaller chain is the baseline measured in the same run."""
    import ast

    from sct.analysis.activity import useful_variables

    def chain(n: int):
        lines = ["def f(y0):"] + [f"    y{i + 1} = y{i} * 2.0" for i in range(n)] + [f"    return y{n}"]
        return ast.parse("\n".join(lines)).body[0], {f"y{i}" for i in range(n + 1)}

    found = []
    times = []
    for n in (1500, 6000):
        func, names = chain(n)
        run = lambda f=func, v=names: found.append(useful_variables(f, v))  # noqa: E731
        times.append(min(_timed(run) for _ in range(3)))
        assert found[-1] == names
    assert times[1] < 8 * max(times[0], 1e-3)


def test_versioning_is_linear_in_the_number_of_names():
    """12000 names, each re-assigned once at top level: every re-assignment gets a new version."""
    import ast

    from sct.frontend.names import Namer
    from sct.frontend.normalize import Normalizer

    n = 12000
    lines = ["def f(x):"] + [f"    v{i} = x * 1.0" for i in range(n)]
    lines += [f"    v{i} = v{i} * 2.0" for i in range(n)]
    func = ast.parse("\n".join(lines + ["    return v0"])).body[0]
    names = {f"v{i}" for i in range(n)} | {"x"}
    normalizer = Normalizer(None, set(names), Namer(names), None, atomic_tests=False)
    assert _timed(lambda: normalizer.function(func)) < 2.5
    assert func.body[-1].value.id == "v0_1"


def test_loop_variable_renaming_is_linear_in_the_number_of_loops():
    """2000 loops over one variable that is read after them: every loop gets its own loop variable."""
    import ast

    from sct.frontend.loops import freeze_loop_headers
    from sct.frontend.names import Namer, names_in

    lines = ["def f(x):", "    s = x"] + ["    for i in range(2):\n        s = s + x * i"] * 2000
    func = ast.parse("\n".join(lines + ["    return s * i"])).body[0]
    assert _timed(lambda: freeze_loop_headers(func, None, Namer(names_in(func)))) < 2.0
    targets = [loop.target.id for loop in func.body if isinstance(loop, ast.For)]
    assert len(set(targets)) == 2000 and "i" not in targets
