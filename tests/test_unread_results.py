"""sct.optimize.unread_results: results the caller discards are not computed, and nothing else changes.

The pass keeps every statement with an effect; the runtime helpers it may drop calls to write into
nothing (checked on their source); and on random programs (tests/programs_gen2.py) and the every-mode
functions the gradient, H @ v and the Hessian agree to rounding with and without the pass (both are also
checked against Richardson differences by tests/test_grad_and_hvp.py and tests/every_mode.py).
"""
from __future__ import annotations

import ast
import importlib.util
import inspect
import itertools
import textwrap

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from programs_gen2 import programs

import sct
from gradbench.evals.kmeans import cost
from sct.errors import SCTError
from sct.higher import derivatives, stages
from sct.higher.gradient_hvp import GradientAndHvp
from sct.optimize.unread_results import PURE_HELPERS, drop_unread_results
from sct.runtime.names import helper_function

_counter = itertools.count()
_NEW_VALUE_METHODS = {"reshape", "astype", "ravel", "copy", "transpose", "sum", "items", "values", "keys",
                      "join", "replace", "split", "upper", "index", "count", "get", "union"}
_PURE_BUILTINS = {"len", "range", "tuple", "isinstance", "int", "float", "abs", "list", "zip", "enumerate",
                  "sum", "max", "min", "all", "any", "slice", "dict", "set", "sorted", "reversed", "type",
                  "getattr", "hasattr", "bool", "str", "repr", "iter", "next", "map", "frozenset",
                  "ValueError", "TypeError", "IndexError", "KeyError", "AssertionError"}


def _writes_or_calls(name: str):
    """(does the helper's source write into anything, the other helpers it calls)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(helper_function(name))))
    calls = set()
    made = _made_here(tree.body[0])
    for node in ast.walk(tree):
        if isinstance(node, (ast.AugAssign, ast.Global, ast.Nonlocal)):
            return True, calls
        if isinstance(node, ast.Assign) and _read_only_flag(node, made):
            continue
        if isinstance(node, ast.Assign) and any(isinstance(part, (ast.Subscript, ast.Attribute))
                                                for target in node.targets for part in ast.walk(target)):
            return True, calls
        if isinstance(node, ast.keyword) and node.arg == "out":
            return True, calls
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "np":
                if func.attr in ("copyto", "put", "place", "putmask", "fill_diagonal", "put_along_axis"):
                    return True, calls
            elif isinstance(func, ast.Attribute) and func.attr in _NEW_VALUE_METHODS:
                pass
            elif isinstance(func, ast.Name) and func.id in _PURE_BUILTINS:
                pass
            elif isinstance(func, ast.Name):
                calls.add(func.id)
            else:
                return True, calls
    return False, calls


def _made_here(func: ast.FunctionDef) -> set:
    """Names the helper binds to a value a call makes, and to nothing else (never a parameter)."""
    params = {a.arg for a in func.args.args + func.args.kwonlyargs}
    made, other = set(), set(params)
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    (made if isinstance(node.value, ast.Call) else other).add(target.id)
    return made - other


def _read_only_flag(node: ast.Assign, made: set) -> bool:
    """``view.flags.writeable = False`` on a value the helper made: no data, and nothing of the caller's."""
    target = node.targets[0]
    return (len(node.targets) == 1 and isinstance(target, ast.Attribute) and target.attr == "writeable"
            and isinstance(target.value, ast.Attribute) and target.value.attr == "flags"
            and isinstance(target.value.value, ast.Name) and target.value.value.id in made
            and isinstance(node.value, ast.Constant) and node.value.value is False)


@pytest.mark.parametrize("name", sorted(PURE_HELPERS))
def test_pure_helpers_write_into_nothing(name):
    seen, pending = set(), [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        writes, calls = _writes_or_calls(current)
        assert not writes, f"{name} (through {current}) may write into an argument"
        pending.extend(calls)


def _pass(source: str, unread):
    func = ast.parse(textwrap.dedent(source)).body[0]
    changed = drop_unread_results(func, unread)
    return changed, ast.unparse(func)


def test_statements_with_effects_stay():
    changed, out = _pass("""
    def f(x, buf, items, t, i):
        dead = np.sin(x)
        a = x * 2.0
        a += x
        buf[0] = np.cos(x)
        items.append(x)
        u = helper(buf)
        w = np.add(x, x, out=buf)
        t = add_at(t, i, x)
        s = t.fill(0.0)
        r = np.exp(x)
        return (r, dead), (a, w)
    """, [(0, 1), (1,)])
    assert changed
    assert "dead" not in out and "np.sin" not in out
    for kept in ("a += x", "buf[0] = np.cos(x)", "items.append(x)", "u = helper(buf)",
                 "np.add(x, x, out=buf)", "t = add_at(t, i, x)", "s = t.fill(0.0)", "r = np.exp(x)"):
        assert kept in out, kept
    assert "return ((r, None), None)" in out


def test_loops_keep_what_a_later_iteration_reads():
    changed, out = _pass("""
    def f(x, n):
        s = x
        d = x
        for k in range(n):
            d = np.sin(s) + d
            s = np.cos(s)
        return s, d
    """, [(1,)])
    assert changed and "s = np.cos(s)" in out and "d = np.sin(s) + d" in out  # conservative in loops


def test_a_return_of_another_shape_changes_nothing():
    source = """
    def f(x):
        y = np.sin(x)
        if x > 0:
            return y, x
        return y
    """
    changed, out = _pass(source, [(1,)])
    assert not changed and "y = np.sin(x)" in out


def test_the_value_tangent_is_not_computed():
    text = sct.grad_and_hvp(cost, wrt="centroids").source
    assert "dists_dot" not in text and "min_dist_dot" not in text
    assert "dists_dot" not in sct.hessian(cost, wrt="centroids").source


def _load(source: str, directory):
    path = directory / f"unread_program_{next(_counter)}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def _second_order(f, x, y, monkeypatch, with_pass: bool):
    with monkeypatch.context() as patch:
        patch.setattr(derivatives, "_CACHE", {})
        if not with_pass:
            patch.setattr(stages, "drop_unread_results", lambda *args: False)
        v = np.linspace(-1.0, 0.7, np.size(x)).reshape(np.shape(x))
        both = GradientAndHvp(f, "x")
        gradient, product = both(x, y, v)
        hessian = derivatives.Hessian(f, "x")(x, y)
    return gradient, product, hessian


def _agree(f, x, y, monkeypatch):
    try:
        plain = _second_order(f, x, y, monkeypatch, False)
    except SCTError:
        return
    except ValueError as refused:  # a read of a row a later write changes, refused when it runs
        if "sct follows each array by its name" in str(refused):
            return
        raise
    for a, b in zip(plain, _second_order(f, x, y, monkeypatch, True)):
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("family", ["plain", "inplace", "control", "fancy_write", "masked_write"])
def test_random_programs_agree_with_and_without(family, tmp_path_factory, monkeypatch):
    directory = tmp_path_factory.mktemp(family)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    @given(programs(family))
    def check(program):
        if program.takes_rng or "np.sum(z" not in program.source.splitlines()[-1]:
            return
        f = _load(program.source, directory)
        rng = np.random.default_rng(0)
        x = rng.standard_normal(program.x_shape) if program.x_shape else -0.7
        y = rng.standard_normal(program.y_shape) if program.y_shape else 0.0
        _agree(f, np.asarray(x, dtype=float), np.asarray(y, dtype=float), monkeypatch)

    check()


def quartic(x, y):
    return np.sum(x ** 4 - 3.0 * x ** 2 * np.sin(x) * y)


def extremes(x, y):
    return np.max(np.tanh(x) * y) + np.sum(np.min(x * x, axis=0, keepdims=True))


@pytest.mark.parametrize("f", [quartic, extremes])
@pytest.mark.parametrize("shape", [(1,), (3, 1), (2, 3)])
def test_every_mode_functions_agree_with_and_without(f, shape, monkeypatch):
    rng = np.random.default_rng(1)
    x = -np.abs(rng.standard_normal(shape))
    _agree(f, x, np.float64(0.0) + 1.3, monkeypatch)
    _agree(f, np.zeros(shape) + 0.25, np.float64(-2.0), monkeypatch)
