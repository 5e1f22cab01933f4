"""Evaluation order: what the derivative evaluates, and when, must be what the function evaluates.

Long expressions and long functions: no recursion limit, and transformation time near linear.
"""
import numpy as np
import pytest
from order_support import check_all, module_from_source

import sct

# ------------------------------------------------------------------- long expressions, long functions


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
    f = module_from_source(tmp_path, name, LONG_SOURCES[name]).f
    args, indices = LONG_ARGS[name]
    for index in indices:
        check_all(f, args, index)
    for mode in ("forward", "reverse"):
        compile(getattr(sct, mode)(f).source, f"<{name} {mode}>", "exec")  # the standalone module


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
