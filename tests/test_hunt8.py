"""Everyday code that made sct crash, each against differences in every mode.

* Second derivatives through additions by index: the tangent of ``t = add_at(t, i, v)`` is a new value
  (``added_at``), written in place (``add_at``) only where no other name can hold the target's tangent.
  A Hessian of ``x[np.argmax(x)] * np.sum(x)`` added into the tangent of the gradient, which was the
  read-only broadcast of a sum's adjoint: every second derivative died with a ValueError. The pass alone
  (``accumulate_in_place``) is checked on small marked functions, run before and after on the same inputs.
* A rule's own derivative names (``m_dot`` in ``solve_triangular``'s tangent) that only a constant
  argument's tangent reaches are zero: forward mode of ``solve_triangular(L, x)`` or ``lstsq(A, x)`` in
  ``x`` alone died with StopIteration (a NameError in vector mode).
* Higher derivatives with respect to a list of arrays of different shapes are refused with a TypeError
  naming the argument, as reverse mode refuses them (numpy's ValueError came out of the stacking).
* Integer inputs are read as floats: a function that computes otherwise from them (an array made like
  the input holds integers and truncates what is written) is refused with a TypeError; the value and the
  derivative were those of another function.
* Messages: an array method without a rule is named as a method (not a module 'method'); a bound method
  is refused at its ``def``, pointing to the function with the object as its first argument.
"""
import ast

import numpy as np
import pytest
from every_mode import check_every_mode, richardson_grad
from marked_code import derivative_function
from oracle import relative_error, richardson_difference
from scipy.linalg import solve_triangular

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


def test_a_conditional_expression_or_lambda_body_is_not_a_block():
    out = _rewritten("""
        def f(x, g, i):
            a = np.zeros_like(x)
            b = a if g[0] > 0 else x
            h = lambda v: v
            a = added_at(a, i, h(g))
            return a, b
        """, X, G, INDEX)
    assert "added_at" in out  # a is shared with b


L = np.array([[2.0, 0.0, 0.0], [0.3, 1.0, 0.0], [-0.5, 0.7, 1.5]])
A = np.array([[1.0, 2.0], [0.5, -1.0], [0.3, 0.2]])


def triangular_solve(x, L):
    return solve_triangular(L, x, lower=True)


def triangular_solve_scalar(x, L):
    z = solve_triangular(L, x, lower=True)
    return z @ z + np.sum(np.sin(z))


def least_squares(x, A):
    return np.linalg.lstsq(A, x, rcond=None)[0]


def least_squares_scalar(x, A):
    return np.sum(np.cos(np.linalg.lstsq(A, x, rcond=None)[0]))


def gaussian_log_density(x, mean, covariance):
    factor = np.linalg.cholesky(covariance)
    z = solve_triangular(factor, x - mean, lower=True)
    return -0.5 * z @ z - np.sum(np.log(np.diag(factor)))


def _check_values(f, g, x, *rest) -> None:
    """Every mode against differences, as ``check_every_mode`` without asking for vectorised Jacobians
    (``solve_triangular`` has no batched rule: they loop over the directions)."""
    args = (x,) + rest
    v = np.linspace(-1.0, 1.5, np.size(x)).reshape(np.shape(x))
    along = richardson_difference(f, args, {0: v})
    assert relative_error(sct.forward(f, wrt="x")(*args, v)[1], along) < 1e-7, "forward"
    u = np.cos(np.arange(np.size(along))).reshape(np.shape(along))
    x_bar = sct.reverse(f, wrt="x")(*args, seed=u)[1]
    assert abs(np.sum(x_bar * v) - np.sum(u * along)) < 1e-7, "reverse"
    for mode in ("forward", "reverse"):
        product = np.tensordot(sct.jacobian(f, wrt="x", mode=mode)(*args), v, axes=np.ndim(x))
        assert relative_error(product, along) < 1e-7, f"jacobian ({mode})"
    gradient = sct.grad(g, wrt="x")
    assert relative_error(gradient(*args), richardson_grad(g, args)) < 1e-7, "grad"
    numeric = richardson_difference(lambda *a: gradient(*a), args, {0: v})
    for method in ("forward-over-reverse", "reverse-over-forward"):
        assert relative_error(sct.hvp(g, wrt="x", method=method)(*args, v), numeric) < 1e-6, method
    hessian = np.reshape(sct.hessian(g, wrt="x")(*args), (np.size(x), np.size(x)))
    assert relative_error(hessian @ np.ravel(v), np.ravel(numeric)) < 1e-6, "hessian"


def test_a_triangular_solve_in_its_right_hand_side_alone_in_every_mode():
    _check_values(triangular_solve, triangular_solve_scalar, np.array([0.5, -1.0, 2.0]), L)


def test_least_squares_in_its_right_hand_side_alone_in_every_mode():
    check_every_mode(least_squares, least_squares_scalar, np.array([0.5, -1.0, 2.0]), A)


def test_a_gaussian_log_density_in_its_point():
    covariance = np.array([[2.0, 0.3], [0.3, 1.0]])
    _check_values(gaussian_log_density, gaussian_log_density, np.array([0.4, -1.2]), np.zeros(2), covariance)


def weighted_norms(x):
    return x[0] ** 2 + np.sum(x[1] ** 2)


@pytest.mark.parametrize("make", [sct.hessian, sct.jacobian, sct.hvp])
def test_a_higher_derivative_in_a_ragged_list_is_refused(make):
    arguments = ([np.ones(2), np.ones(3)],) + ((np.ones(2),) if make is sct.hvp else ())
    with pytest.raises(TypeError, match="argument 'x' is a list whose items have different shapes"):
        make(weighted_norms, wrt="x")(*arguments)


def item_of(x):
    return x[0].item() * x[1]


def test_an_array_method_without_a_rule_is_named_as_a_method():
    with pytest.raises(sct.SCTError, match=r"test_hunt8.py:\d+:\d+: sct has no derivative rule for the "
                       r"method '\.item'"):
        sct.grad(item_of)(np.array([1.0, 2.0]))


def halved_first(x):
    y = x.copy()
    y[0] = y[0] * 0.5
    return np.sum(y ** 2)


def sines_into_empty(x):
    h = np.empty_like(x)
    for i in range(x.shape[0]):
        h[i] = np.sin(x[i])
    return np.sum(h)


def floor_halves(x):
    return np.sum((x // 2) * x)


_DERIVATIVES = [(sct.forward, True), (sct.reverse, False), (sct.grad, False), (sct.hessian, False),
                (sct.jacobian, False), (sct.hvp, True)]


@pytest.mark.parametrize("f", [halved_first, sines_into_empty])
@pytest.mark.parametrize("make, along", _DERIVATIVES)
def test_an_integer_input_that_an_array_made_like_it_truncates_is_refused(f, make, along):
    x = np.array([3, 4])
    with pytest.raises(TypeError, match="argument 'x' holds integers, and .* the same numbers as floats"):
        make(f)(x, *((np.ones(2),) if along else ()))
    assert relative_error(sct.grad(f)(x.astype(float)), richardson_grad(f, (x.astype(float),))) < 1e-7


def test_an_integer_input_computed_alike_as_floats_is_differentiated():
    x = np.array([3, 4])
    assert relative_error(sct.grad(floor_halves)(x), [1.0, 2.0]) < 1e-12
    assert relative_error(sct.hessian(floor_halves)(x), np.zeros((2, 2))) < 1e-12


class Regression:
    def __init__(self, w):
        self.w = w

    def loss(self, x):
        return np.sum((x - self.w) ** 2)


def test_a_bound_method_is_refused_at_its_def_pointing_to_its_function():
    model = Regression(np.array([1.0, 2.0]))
    with pytest.raises(sct.SCTError, match=r"test_hunt8.py:\d+:1: cannot differentiate 'loss': it is a "
                       r"method bound to an object(.|\n)*sct.grad\(Regression.loss"):
        sct.grad(model.loss, wrt="x")
    x = np.array([0.5, -0.5])
    assert relative_error(sct.grad(Regression.loss, wrt="x")(model, x), 2 * (x - model.w)) < 1e-12
