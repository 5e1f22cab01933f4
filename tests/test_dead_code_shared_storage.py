"""The dead-code pass and ``a += b`` into shared storage: an unread name's in-place update stays when its
array is a view or another name of an array read later, or storage the caller or the module sees, and goes
when the array is the name's own. Each program runs before and after the pass on the same inputs."""
import ast
import copy
import textwrap

import numpy as np
import pytest
from marked_code import derivative_function as _derivative_function

from sct.analysis.emitted_storage import SharedStorage
from sct.optimize.dead_code import optimize

W = np.array([10.0, 20.0, 30.0])


def _run(func: ast.FunctionDef, *args):
    module = ast.fix_missing_locations(ast.Module(body=[copy.deepcopy(func)], type_ignores=[]))
    namespace = {"np": np, "W": W.copy(), "unbroadcast": lambda g, x: g}
    exec(compile(module, "<test>", "exec"), namespace)
    args = [np.array(a, dtype=float) for a in args]
    result = namespace[func.name](*args)
    return result, args, namespace["W"]


KEPT = {
    "a slice view of an array read later": """
        def f(x, y):
            z = y * 1.0
            v = z[0:2]
            v += x[0:2]
            return z
        """,
    "another name of an array read later": """
        def f(x, y):
            z = y * 1.0
            w = z
            w += x[0]
            return z
        """,
    "a transposed view read later": """
        def f(x, y):
            z = np.outer(y, y)
            t = z.T
            t += x[0]
            return z
        """,
    "a reshaped view, through a runtime helper": """
        def f(x, y):
            z = y * 1.0
            r = unbroadcast(np.reshape(z, (3, 1)), y)
            r += x[0]
            return z
        """,
    "an item of a list read later": """
        def f(x, y):
            z = y * 1.0
            items = []
            items.append(z)
            first = items[0]
            first += x[0]
            return items[0]
        """,
    "a parameter's alias": """
        def f(x, y):
            w = y
            w += x[0]
            return x
        """,
    "a global": """
        def f(x, y):
            w = W
            w += x[0]
            return x
        """,
}


@pytest.mark.parametrize("source", KEPT.values(), ids=list(KEPT))
def test_an_update_of_shared_storage_stays(source):
    func = _derivative_function(source)
    x, y = np.array([0.5, -1.0, 2.0]), np.array([1.5, 2.0, 3.0])
    before = _run(func, x, y)
    optimized = optimize(copy.deepcopy(func), None)
    assert "+=" in ast.unparse(optimized)
    after = _run(optimized, x, y)
    for expected, got in zip(before, after):
        for e, g in zip(expected if isinstance(expected, list) else [expected],
                        got if isinstance(got, list) else [got]):
            assert np.array_equal(e, g)


def test_an_update_of_the_names_own_array_goes():
    func = _derivative_function("""
        def f(x, y):
            a = np.zeros_like(x)
            a += x * y
            b = x * 2.0
            b += y
            return x
        """)
    out = ast.unparse(optimize(func, None))
    assert "+=" not in out and "zeros_like" not in out


def test_shared_storage_follows_views_names_items_and_helpers():
    func = ast.parse(textwrap.dedent(KEPT["an item of a list read later"])).body[0]
    storage = SharedStorage(func)
    assert storage.shared_with("first") >= {"z", "items"} and not storage.outlives_the_function("first")
    func = ast.parse(textwrap.dedent(KEPT["a parameter's alias"])).body[0]
    assert SharedStorage(func).outlives_the_function("w")
    func = ast.parse("def f(g, x):\n    r = unbroadcast(g * 2.0, x)\n    r += g\n").body[0]
    assert not SharedStorage(func).outlives_the_function("r")
