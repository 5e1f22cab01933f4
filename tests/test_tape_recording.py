"""A loop records only what its reverse sweep reads as a value after rolling it back; shapes known up to
equality drop ``unbroadcast`` where the adjoint has the operand's shape; a loop body's ``if`` assigns what
both branches assign. Checked on the emitted code (ode pushes its helper tapes and nothing else) and, for
loops whose shapes change between iterations, in every mode against differences."""
import ast
import re

import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct
from gradbench.evals import det, ode
from sct.analysis.same_shape import ShapeInference
from sct.analysis.shape_classes import SCALAR, Shape, differs, same, sliced
from sct.frontend.source import function_source
from sct.runtime.indexing import shape_of

POINT = np.array([0.0, -1.3, 0.7, 2.1, -0.4])  # a zero and negative entries
COLUMN = POINT[:, None]  # a size-1 axis


def _function(source: str, name: str) -> str:
    """The text of the emitted function ``name``."""
    start = source.index(f"def {name}(")
    end = source.find("\ndef ", start + 1)
    return source[start:] if end < 0 else source[start:end]


def _pushed(text: str) -> set:
    return set(re.findall(r"_stack\.append\((\w+)\)", text))


# ------------------------------------------------------------------------------------------------- ode
def ode_fun(x, y):  # gradbench.evals.ode's, here so that sct sees the helper (it follows this module's)
    return np.concatenate([x[:1], x[1:] * y[:-1]])


def runge_kutta(x, s):
    h = 2.0 / s
    y = np.zeros_like(x)
    for _ in range(s):
        k1 = ode_fun(x, y)
        k2 = ode_fun(x, y + h / 2 * k1)
        k3 = ode_fun(x, y + h / 2 * k2)
        k4 = ode_fun(x, y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def runge_kutta_last(x, s):
    return np.sum(runge_kutta(x, s)[-1])


def test_the_ode_loop_records_the_helper_tapes_and_nothing_else():
    """k1..k4 and the temporaries are read by no adjoint as values (their shapes are x's): not pushed, and
    no unbroadcast is left in the reverse sweep of the main function."""
    source = sct.reverse(ode.primal, wrt="x").source
    main = _function(source, "diff_primal")
    assert _pushed(main) == {"_tape1", "_tape2", "_tape3", "_tape4"}, main
    assert "unbroadcast(" not in main, main
    forward = _function(source, "diff_ode_fun_forward")
    returned = ast.parse(forward).body[0].body[-1].value
    tape = {n.id for n in ast.walk(returned.elts[1]) if isinstance(n, ast.Name)}
    result = returned.elts[0]  # the helper's result (or its expression): its backward does not read it
    assert not (isinstance(result, ast.Name) and result.id in tape), forward


@pytest.mark.parametrize("x", [POINT, COLUMN, np.array([0.8])], ids=["vector", "column", "one"])
def test_ode_in_every_mode(x):
    check_every_mode(runge_kutta, runge_kutta_last, x, 3)


# -------------------------------------------------------------------------------- shapes that change
def shrinks(x):
    y = x * 1.0
    for _ in range(2):
        y = y[1:] * y[:-1] + y[:1]
    return y


def grows(x):
    y = x * 1.0
    for i in range(2):
        y = np.concatenate([y, y[:1] * x[i + 1]])
    return y * 2.0


def appends(x):
    y = np.sin(x)
    for i in range(3):
        y = np.append(y, y[-1] * x[i])
    return y


def drops_its_head(x):
    total = np.zeros_like(x[:1])
    for _ in range(3):
        total = total + np.sin(x[:1]) * np.cos(x[-1:])
        x = x[1:]
    return total * np.sin(x[:1])


def list_grows(x):
    rows = [x]
    for i in range(2):
        rows.append(rows[-1] * x[i] + 1.0)
    return np.stack(rows) * 0.5


def broadcasts_up(x):
    y = x * 1.0
    for _ in range(2):
        y = y * x[:, None] + 1.0
    return y


def shrinks_sum(x):
    return np.sum(shrinks(x) ** 2)


def grows_sum(x):
    return np.sum(grows(x) ** 2)


def appends_sum(x):
    return np.sum(appends(x) ** 2)


def drops_its_head_sum(x):
    return np.sum(drops_its_head(x) ** 2)


def list_grows_sum(x):
    return np.sum(list_grows(x) ** 2)


def broadcasts_up_sum(x):
    return np.sum(broadcasts_up(x) ** 2)


CHANGING = [(shrinks, shrinks_sum, [POINT, COLUMN]), (grows, grows_sum, [POINT, COLUMN]),
            (appends, appends_sum, [POINT]), (drops_its_head, drops_its_head_sum, [POINT, COLUMN]),
            (list_grows, list_grows_sum, [POINT, COLUMN]), (broadcasts_up, broadcasts_up_sum, [POINT])]


@pytest.mark.parametrize("f, g, x", [(f, g, x) for f, g, points in CHANGING for x in points],
                         ids=[f"{f.__name__}-{x.ndim}d" for f, _, points in CHANGING for x in points])
def test_a_loop_whose_shapes_change_is_exact_in_every_mode(f, g, x):
    check_every_mode(f, g, x)


def test_a_loop_whose_shape_changes_keeps_its_unbroadcast():
    """``y`` changes length every iteration: its class is unknown, so unbroadcast stays."""
    assert "unbroadcast(" in _function(sct.reverse(shrinks).source, "diff_shrinks")


# ------------------------------------------------------------------------------- operands of one root
def head_times(x):
    return x[:1] * x + x[1:2]


def halves(x):
    return x[1:] * x[:-1] + np.sin(x[:-1])


def head_times_sum(x):
    return np.sum(head_times(x) ** 2)


def halves_sum(x):
    return np.sum(halves(x) ** 2)


SQUARED = {head_times: head_times_sum, halves: halves_sum}


@pytest.mark.parametrize("f", [head_times, halves])
@pytest.mark.parametrize("x", [POINT, COLUMN, np.array([0.3, -0.9])], ids=["vector", "column", "two"])
def test_slices_of_one_root_are_exact_in_every_mode(f, x):
    """``x[:1] * x`` broadcasts (the lengths agree only when x has one row): its unbroadcast stays."""
    check_every_mode(f, SQUARED[f], x)


def test_a_slice_broadcast_against_its_root_keeps_its_unbroadcast():
    assert "unbroadcast(" in _function(sct.reverse(head_times).source, "diff_head_times")


# ------------------------------------------------------------------------- a fixpoint that settles
def reslices(x):
    a = np.sin(x)
    for _ in range(3):
        x = a[:]
        a = np.sin(x) * 2.0 + x
    return a


def reslices_sum(x):
    return np.sum(reslices(x) ** 2)


def _inference(func) -> ShapeInference:
    source = function_source(func)
    return ShapeInference(source.node, source.resolver)


def test_a_shape_rewritten_in_an_equal_form_settles():
    """``x = a[:]`` with ``a`` of x's shape gave x[:], x[:][:], ... for ever; now x keeps x's shape."""
    shapes = _inference(reslices)
    x = ast.Name(id="x", ctx=ast.Load())
    a = ast.Name(id="a", ctx=ast.Load())
    assert shapes.shape_of(x) is not None and shapes.same_shape(x, a)
    check_every_mode(reslices, reslices_sum, POINT)


def test_equal_shapes_written_differently_are_one_fact():
    whole = Shape("x")
    assert sliced(whole, None, None) == whole
    assert not differs(whole, Shape("x", (((None, None), (0, None)),)))
    assert differs(whole, sliced(whole, 1, None))
    assert differs(whole, None) and not differs(None, None)
    assert not same(sliced(whole, None, 1), whole) and same(SCALAR, SCALAR)


# ------------------------------------------------------------------------------ branches in a loop
def branches_in_loop(x):
    y = x * 1.0
    for _ in range(3):
        if x[0] > 0.0:
            t = y * 2.0
        else:
            t = np.cos(y) * -0.5
        y = np.sin(t) + y
    return y


def branches_in_loop_sum(x):
    return np.sum(branches_in_loop(x) ** 2)


@pytest.mark.parametrize("x", [POINT + 0.5, POINT - 0.5, COLUMN + 0.5], ids=["then", "else", "column"])
def test_an_if_assigning_in_both_branches_is_exact_in_every_mode(x):
    check_every_mode(branches_in_loop, branches_in_loop_sum, x)
    main = _function(sct.reverse(branches_in_loop).source, "diff_branches_in_loop")
    assert "zeros_like(t)" not in main, main  # t is assigned before it is read: no adjoint carried


# ------------------------------------------------------------------------------------- recursion
@pytest.mark.parametrize("n", [1, 2, 3])
def test_det_by_minors_gradient(n):
    A = np.random.default_rng(n).standard_normal((n, n))
    A[-1, 0] = 0.0 if n > 1 else A[-1, 0]
    gradient = sct.grad(det.det_of_minor, wrt="A")(A)
    expected = np.linalg.det(A) * np.linalg.inv(A).T
    assert relative_error(gradient, expected) < 1e-10


# ------------------------------------------------------------------------------- lists as parameters
def joins_a_list(xs, w):
    ys = xs + xs
    a = np.asarray(ys)
    b = np.asarray(xs)
    return np.sum(a * b * w)


def test_a_parameter_that_may_be_a_list_keeps_its_unbroadcast():
    """``xs + xs`` joins a list: ``a`` is twice as long as ``b``, which broadcasts into ``a * b`` when xs
    has one item. A parameter may be a list, so the shapes are not known to agree."""
    main = _function(sct.reverse(joins_a_list, wrt="xs").source, "diff_joins_a_list")
    assert "b_bar = unbroadcast" in main and "a_bar = unbroadcast" in main, main  # or unbroadcast_product


def test_slices_with_large_bounds_are_not_compared_length_by_length():
    big = Shape("x", (((None, 10 ** 9),),))
    assert same(big, big) and not same(big, Shape("x"))  # as long as x below 10**9: not proved


# ------------------------------------------------------------------------- values read for their shape
def test_a_large_value_read_only_for_its_shape_is_taped_as_a_stand_in():
    """``x[1:] * y[:-1]`` is read back only by ``split_like`` (its length): the helper's tape keeps
    ``shape_of`` of it, an array of its shape and dtype that holds one number, when it is large."""
    forward = _function(sct.reverse(ode.primal, wrt="x").source, "diff_ode_fun_forward")
    assert "shape_of(" in forward, forward
    large, small = np.ones((3, 2000)), np.ones(10)
    stand_in = shape_of(large)
    assert stand_in.shape == large.shape and stand_in.dtype == large.dtype and stand_in.strides == (0, 0)
    assert shape_of(small).shape == small.shape and not shape_of(small).any()
    assert np.shape(shape_of(2.5)) == ()


@pytest.mark.parametrize("n", [4100, 1])
def test_ode_with_stand_ins_against_differences(n):
    """Large enough for the stand-ins: forward and reverse mode (random seed) against differences."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal(n)
    x[0] = 0.0
    v, u = rng.standard_normal(n), rng.standard_normal(n)
    along = richardson_difference(runge_kutta, (x, 3), {0: v})
    _, tangent = sct.forward(runge_kutta, wrt="x")(x, 3, v)
    assert relative_error(tangent, along) < 1e-7
    _, x_bar = sct.reverse(runge_kutta, wrt="x")(x, 3, seed=u)
    assert abs(float(x_bar @ v) - float(u @ along)) <= 1e-7 * max(1.0, abs(float(u @ along)))
    gradient = sct.grad(runge_kutta_last, wrt="x")(x, 3)
    seed = np.zeros(n)
    seed[-1] = 1.0
    assert relative_error(gradient, sct.reverse(runge_kutta, wrt="x")(x, 3, seed=seed)[1]) < 1e-12
