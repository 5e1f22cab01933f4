"""Higher derivatives and whole Jacobians (tests/test_higher_*.py): random programs, where every
method of the Hessian agrees.
"""
import importlib.util

import numpy as np
from higher_cases import close_to
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sct

# ------------------------------------------------------------------------------------ random programs
UNARY = ["np.sin({})", "np.tanh({})", "np.log(1.0 + {} ** 2)", "np.exp(-({}) ** 2)", "-({})"]
BINARY = ["({} + {})", "({} - {})", "({} * {})", "({} / (1.5 + np.sin({}) ** 2))"]


@st.composite
def _expressions(draw, depth=2):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(["a", "b", "c", "v[0]", "v[1]", "1.3", "-0.7"]))
    if draw(st.booleans()):
        inner = f"({draw(_expressions(depth - 1))})"
        return draw(st.sampled_from(UNARY)).format(inner, inner)
    left, right = f"({draw(_expressions(depth - 1))})", f"({draw(_expressions(depth - 1))})"
    return draw(st.sampled_from(BINARY)).format(left, right, right)


@st.composite
def _programs(draw):
    lines = ["import numpy as np", "", "", "def f(v):", "    a = v[0] * 0.5", "    b = v[1] + 1.0",
             "    c = a * b"]
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from("abc"))
        kind = draw(st.sampled_from(["assign", "if", "for"]))
        if kind == "assign":
            lines.append(f"    {target} = {draw(_expressions())}")
        elif kind == "if":
            lines += [f"    if {draw(_expressions(1))} > 0.1:", f"        {target} = {draw(_expressions())}",
                      "    else:", f"        {target} = {draw(_expressions())}"]
        else:
            lines += [f"    for i in range({draw(st.integers(0, 3))}):",
                      f"        {target} = 0.5 * {target} + 0.3 * np.tanh({draw(_expressions())})"]
    lines.append(f"    return {draw(_expressions())} + a * b * c")
    return "\n".join(lines) + "\n"


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(source=_programs(), v=st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=2))
def test_random_programs_hessian_modes_agree(tmp_path_factory, source, v):
    """Vector forward over reverse (hessian), forward over reverse and reverse over forward (hvp) agree."""
    path = tmp_path_factory.getbasetemp() / f"higher_program_{abs(hash(source))}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    v = np.array(v)
    H = sct.hessian(module.f)(v)
    assert np.allclose(H, H.T, rtol=1e-9, atol=1e-9), source
    for direction in np.eye(2):
        by_columns = H @ direction
        assert close_to(sct.hvp(module.f)(v, direction), by_columns, 1e-9), source
        reverse_over_forward = sct.hvp(module.f, method="reverse-over-forward")
        assert close_to(reverse_over_forward(v, direction), by_columns, 1e-9), source
