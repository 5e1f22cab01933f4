"""Property test: random programs (expression trees, branches, bounded loops) in both modes.

Each drawn program is rendered to Python source in a temporary module (sct reads source), then forward
mode, reverse mode and central differences must agree. Branch conditions may sit near a threshold where
the function is not differentiable; central differences are only trusted when two step sizes agree.
"""
import importlib.util
import itertools

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from oracle import relative_error

import sct

UNARY = ["np.sin({})", "np.cos({})", "np.tanh({})", "np.log(1.0 + {} ** 2)", "np.sqrt(1.0 + {} ** 2)",
         "np.exp(-({}) ** 2)", "({}) / (1.0 + np.abs({}) ** 2)", "-({})", "np.arctan({})",
         "np.sinh(np.tanh({}))"]
BINARY = ["({} + {})", "({} - {})", "({} * {})", "({} / (1.5 + np.sin({}) ** 2))", "np.maximum({}, {})",
          "np.arctan2({}, 1.0 + {} ** 2)"]
VARIABLES = ["x", "y", "a", "b"]
_counter = itertools.count()


@st.composite
def expressions(draw, names, depth=3):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            return draw(st.sampled_from(names))
        return f"({round(draw(st.floats(-2.0, 2.0)), 3)!r})"
    if draw(st.booleans()):
        template = draw(st.sampled_from(UNARY))
        inner = draw(expressions(names, depth - 1))
        return template.format(*([f"({inner})"] * template.count("{}")))
    template = draw(st.sampled_from(BINARY))
    left = draw(expressions(names, depth - 1))
    right = draw(expressions(names, depth - 1))
    left, right = f"({left})", f"({right})"
    return template.format(left, right, right) if template.count("{}") == 3 else template.format(left, right)


@st.composite
def statements(draw, names, indent, depth):
    kind = draw(st.sampled_from(["assign", "assign", "if", "for"] if depth < 2 else ["assign"]))
    pad = "    " * indent
    target = draw(st.sampled_from(VARIABLES[2:]))
    if kind == "assign":
        return [f"{pad}{target} = {draw(expressions(names))}"]
    body = [line for _ in range(draw(st.integers(1, 2)))
            for line in draw(statements(names, indent + 1, depth + 1))]
    if kind == "if":
        condition = f"{draw(expressions(names, 2))} > {round(draw(st.floats(-1, 1)), 2)}"
        orelse = [line for line in draw(statements(names, indent + 1, depth + 1))]
        return [f"{pad}if {condition}:"] + body + [f"{pad}else:"] + orelse
    trips = draw(st.integers(0, 4))
    update = f"{pad}    {target} = 0.5 * {target} + 0.3 * np.tanh({draw(expressions(names, 2))})"
    return [f"{pad}for i in range({trips}):"] + body + [update]


@st.composite
def programs(draw):
    lines = ["import numpy as np", "", "", "def f(x, y):", "    a = x * 0.5", "    b = y + 1.0"]
    for _ in range(draw(st.integers(1, 4))):
        lines += draw(statements(VARIABLES, 1, 0))
    lines.append(f"    return {draw(expressions(VARIABLES, 2))} + a * b")
    return "\n".join(lines) + "\n"


BRANCH_AT_THRESHOLD = """import numpy as np


def f(x, y):
    a = x * 0.5
    b = y + 1.0
    for i in range(1):
        if np.log(1.0 + (x) ** 2) > 0.0:
            a = (0.0)
        else:
            b = (0.0)
        a = 0.5 * a + 0.3 * np.tanh((0.0))
    return a + a * b
"""


def _load(source: str, directory) -> object:
    path = directory / f"random_program_{next(_counter)}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def _difference(f, x, y, step):
    return (f(x + step, y) - f(x - step, y)) / (2 * step)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(source=programs(), x=st.floats(-1.5, 1.5), y=st.floats(-1.5, 1.5))
@example(source=BRANCH_AT_THRESHOLD, x=0.0, y=0.0)
def test_random_programs_agree(tmp_path_factory, source, x, y):
    f = _load(source, tmp_path_factory.getbasetemp())
    value, tangent = sct.forward(f, wrt="x")(x, y, 1.0)
    assert np.isclose(value, f(x, y), rtol=1e-12, atol=1e-12)
    value2, (x_bar, y_bar) = sct.reverse(f, wrt=("x", "y"))(x, y)
    assert np.isclose(value2, f(x, y), rtol=1e-12, atol=1e-12)
    assert relative_error(x_bar, tangent) < 1e-10, source
    coarse, fine = _difference(f, x, y, 1e-4), _difference(f, x, y, 1e-6)
    right = (f(x + 1e-7, y) - f(x, y)) / 1e-7
    left = (f(x, y) - f(x - 1e-7, y)) / 1e-7
    smooth = abs(right - left) < 1e-4 * max(1.0, abs(fine))
    # At a branch threshold hit exactly (x = 0 in `if log(1 + x**2) > 0`) the branch taken is the
    # measure-zero one: AD follows it, differences see the other. Skip points where the AD tangent jumps.
    beside = [sct.forward(f, wrt="x")(x + h, y, 1.0)[1] for h in (-1e-7, 1e-7)]
    smooth = smooth and all(abs(t - tangent) < 1e-4 * max(1.0, abs(tangent)) for t in beside)
    if smooth and abs(coarse - fine) < 1e-5 * max(1.0, abs(fine)):
        assert relative_error(tangent, fine) < 1e-5, source
    _, y_dot = sct.forward(f, wrt="y")(x, y, 1.0)
    assert relative_error(y_bar, y_dot) < 1e-10, source
