"""Second derivatives through additions by index: the tangent of ``t = add_at(t, i, v)`` is a new value
(``added_at``), written in place (``add_at``) only where no other name can hold the target's tangent.

A Hessian of ``x[np.argmax(x)] * np.sum(x)`` added into the tangent of the gradient, which was the
read-only broadcast of a sum's adjoint: every second derivative died with a ValueError. The pass alone
(``accumulate_in_place``) is checked on small marked functions, run before and after on the same inputs.
"""
import ast

import numpy as np
from every_mode import check_every_mode
from marked_code import derivative_function

import sct
from sct.optimize.in_place import accumulate_in_place
from sct.runtime.higher import add_at, added_at, batch_add_at, batch_added_at


def largest_times_sum(x):
    return x[np.argmax(x)] * np.sum(x) * x


def largest_times_sum_scalar(x):
    return x[np.argmax(x)] * np.sum(x)


def recurrent(x):
    h = np.zeros((x.shape[0] + 1, 2))
    for t in range(x.shape[0]):
        h[t + 1] = np.tanh(0.5 * h[t] + x[t])
    return h[1:] ** 2


def recurrent_scalar(x):
    return np.sum(recurrent(x) * np.arange(1.0, 2 * x.shape[0] + 1).reshape(-1, 2))


X = np.array([0.3, -1.0, 2.0, 0.5])


def test_an_element_read_of_a_summed_array_in_every_mode():
    check_every_mode(largest_times_sum, largest_times_sum_scalar, X)


def test_element_reads_in_a_loop_in_every_mode():
    check_every_mode(recurrent, recurrent_scalar, np.array([[0.3, -0.2], [1.1, 0.4], [-0.7, 0.9]]))


def test_the_hessian_of_a_loop_adds_in_place():
    hessian = sct.hessian(recurrent_scalar, wrt="x")
    hessian(np.ones((3, 2)))
    source = sct.hvp(recurrent_scalar, wrt="x").stage.sources
    text = "".join(s.module_source for s in source.values())
    assert "added_at" not in text and "add_at(" in text


def _run(func: ast.FunctionDef, *args):
    namespace = {"np": np, "add_at": add_at, "added_at": added_at, "batch_add_at": batch_add_at,
                 "batch_added_at": batch_added_at, "keep": lambda v: v}
    exec(compile(ast.fix_missing_locations(ast.Module(body=[func], type_ignores=[])), "<test>", "exec"),
         namespace)
    return namespace[func.name](*args)


def _rewritten(source: str, *args) -> str:
    """The rewritten text, checked to give exactly the original's results on ``args``, which neither
    changes."""
    kept = [np.copy(a) for a in args]
    before = _run(derivative_function(source), *args)
    func = accumulate_in_place(derivative_function(source))
    after = _run(func, *args)
    for b, a in zip(before, after):
        np.testing.assert_array_equal(a, b)
    for a, k in zip(args, kept):
        np.testing.assert_array_equal(a, k)
    return ast.unparse(func)


G = np.array([1.0, 0.25, -3.0])
INDEX = np.array([0, 0, 2])


def test_an_added_at_into_new_zeros_is_in_place():
    out = _rewritten("""
        def f(x, g, i):
            a = np.zeros_like(x)
            a = added_at(a, i, g)
            b = np.zeros((2,) + x.shape)
            b = batch_added_at(b, i, np.stack([g, g]))
            return a, b
        """, X, G, INDEX)
    assert "a = add_at(a, i, g)" in out and "b = batch_add_at(b, i," in out


def test_an_added_at_into_an_argument_or_a_kept_value_copies():
    out = _rewritten("""
        def f(x, g, i):
            a = added_at(x, i, g)
            b = x * 2.0
            c = keep(b)
            b = added_at(b, i, g)
            return a, b, c
        """, X, G, INDEX)
    assert out.count("added_at") == 2


def test_a_result_moved_back_to_its_target_in_a_loop_is_in_place():
    out = _rewritten("""
        def f(x, g, i):
            a = np.zeros_like(x)
            for k in range(3):
                b = added_at(a, i, g * k)
                a = b
            return a, x
        """, X, G, INDEX)
    assert "b = add_at(a, i, g * k)" in out


def test_a_result_whose_target_is_read_again_copies():
    out = _rewritten("""
        def f(x, g, i):
            a = np.zeros_like(x)
            b = added_at(a, i, g)
            c = a * 2.0
            a = b
            d = b
            e = added_at(d, i, g)
            return a, c, d, e
        """, X, G, INDEX)
    assert out.count("added_at") == 2
