"""Everyday code sct accepts: chained assignment, an array made in a dict or list display and updated in
place, ``order="F"`` written by position, and composites lowered to primitives (np.polyval, np.meshgrid,
math.prod, math.dist), each in every mode against Richardson differences at size-1 axes, zero and negative
points; and what stays refused, with what to write instead.
"""
import math

import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct

LOWERED_HERE = ("numpy.meshgrid", "math.prod", "math.dist")  # test_lowering.py counts them

POINTS = {"scalar": np.array(0.0) - 0.8, "one": np.array([-0.4]), "three": np.array([0.53, 0.0, -1.37]),
          "matrix": np.array([[0.5, -1.2, 0.0], [2.1, 0.3, -0.6]])}


def _scalar(f):
    def total(x):
        return np.sum(np.sin(f(x)))
    return total


# ------------------------------------------------------------------------------------ chained assignment
def chained_names(x):
    a = b = x * 2.0
    return a * b + a


def chained_into_an_element(x):
    y = np.zeros(2)
    y[1] = t = np.sum(np.sin(x))
    return np.sum(y) * t + x


def chained_in_a_loop(x):
    total = 0.0
    for _ in range(2):
        a = b = total + x
        total = a * b
    return total


# ------------------------------------------------------- a display's new array, updated through its element
def dict_display_updated(x):
    y = {"w": np.zeros_like(x), "b": 1.0}
    y["w"] += x * x
    y["w"] *= 2.0
    return y["w"] + y["b"] * x


def list_display_updated(x):
    ys = [np.ones_like(x), x * 3.0]
    ys[0] += x
    ys[1] *= x
    return ys[0] * ys[1]


# ----------------------------------------------------------------------------------- order="F" by position
def reshape_order_keyword(x):
    return x.reshape(2, 3, order="F") * np.arange(6.0).reshape(2, 3)


def reshape_order_positional(x):
    return np.reshape(x, (3, 2), "F") ** 2


def flatten_order_positional(x):
    return x.reshape(2, 3).flatten("F") * np.arange(6.0)


def ravel_order_positional(x):
    return np.ravel(x.reshape(3, 2), "F") * np.arange(6.0)


# ------------------------------------------------------------------------------------------- lowered calls
def polyval_of_constant_coefficients(x):
    return np.polyval([1.5, -2.0, 0.5], x)


def polyval_of_coefficients_and_points(x):
    return np.polyval(x, x * 0.5 - 0.25)


def polyval_of_coefficients(x):
    return np.polyval(x, 0.7)


def meshgrid_ij(x):
    a, b = np.meshgrid(x, np.cos(x), indexing="ij")
    return a * b ** 2 + a


def meshgrid_xy(x):
    a, b = np.meshgrid(x * 2.0, np.sin(x))
    return a ** 2 * b


def meshgrid_kept_whole(x):
    grids = np.meshgrid(x, x * x, indexing="xy")
    return grids[0] - grids[1] * 3.0


def prod_of_entries(x):
    return math.prod([x[0], x[-1] * 2.0, np.sin(x[0])])


def dist_of_entries(x):
    return math.dist([x[0], 0.5], [x[-1] * 2.0, x[0] * x[0] - 1.0])


EVERY_SHAPE = [chained_names, chained_into_an_element, chained_in_a_loop,
               dict_display_updated, list_display_updated, polyval_of_constant_coefficients]
VECTORS = [meshgrid_ij, meshgrid_xy, meshgrid_kept_whole, polyval_of_coefficients,
           polyval_of_coefficients_and_points, prod_of_entries, dist_of_entries]
SIX = [reshape_order_keyword, reshape_order_positional, flatten_order_positional, ravel_order_positional]
CASES = [(f, p) for f in EVERY_SHAPE for p in POINTS] + [(f, p) for f in VECTORS for p in ("one", "three")]


@pytest.mark.parametrize("f,point", CASES, ids=[f"{f.__name__}-{p}" for f, p in CASES])
def test_accepted_in_every_mode(f, point):
    x = POINTS[point]
    out, _ = sct.forward(f)(x, np.ones_like(x))
    assert np.allclose(out, f(x), rtol=1e-13, atol=1e-13) and np.shape(out) == np.shape(f(x))
    check_every_mode(f, _scalar(f), x, second_order=f is not dist_of_entries)


def test_second_derivatives_of_dist():  # np.linalg.norm's second derivative takes one direction at a time
    x, v = POINTS["three"], np.array([0.3, -1.1, 0.7])
    g = _scalar(dist_of_entries)
    numeric = richardson_difference(sct.grad(g), (x,), {0: v})
    for method in ("forward-over-reverse", "reverse-over-forward"):
        assert relative_error(sct.hvp(g, method=method)(x, v), numeric) < 1e-6
    assert relative_error(np.reshape(sct.hessian(g)(x), (3, 3)) @ v, numeric) < 1e-6


@pytest.mark.parametrize("f", SIX)
@pytest.mark.parametrize("x", [np.array([0.3, -0.7, 0.0, 1.1, -2.0, 0.45]),
                               np.array([[0.3, -0.7, 0.0], [1.1, -2.0, 0.45]]).T.copy()])
def test_fortran_order_in_every_mode(f, x):
    x = x.reshape(6)
    assert np.array_equal(sct.forward(f)(x, np.ones(6))[0], f(x))
    check_every_mode(f, _scalar(f), x)


def test_meshgrid_emits_primitives():
    body = sct.reverse(meshgrid_ij).source.split("def diff_")[1].split("\n", 1)[1]
    assert "np.broadcast_to(" in body and "meshgrid" not in body


# ------------------------------------------------------------------------------------------------ refused
def chained_then_written(x):
    a = b = np.zeros(3)
    a[0] = x[0]
    return b * x


def repeated_list_updated(x):
    ys = [np.zeros_like(x)] * 2
    ys[0] += x
    return ys[1] * x


def display_seen_by_another_name(x):
    d = {"w": np.zeros_like(x)}
    e = d
    d["w"] += x
    return e["w"] * x


def display_element_read_first(x):
    d = {"w": np.zeros_like(x)}
    v = d["w"]
    d["w"] += x
    return v * x


def meshgrid_indexing_variable(x, how):
    a, b = np.meshgrid(x, x, indexing=how)
    return a * b


def meshgrid_of_three(x):
    a, b, c = np.meshgrid(x, x, x, indexing="ij")
    return a * b * c


def chained_unpacking(x):
    p, q = r = (x * 2.0, x + 1.0)
    return p * q + r[0]


def test_a_chained_assignment_that_unpacks_is_refused():
    with pytest.raises(sct.SCTError, match="chained assignment that unpacks"):
        sct.reverse(chained_unpacking)(np.ones(3))


def test_a_write_through_one_of_two_chained_names_is_refused_with_the_fix():
    with pytest.raises(sct.SCTError) as caught:
        sct.grad(chained_then_written)(np.ones(3))
    message = str(caught.value)
    assert f"{__file__}:{chained_then_written.__code__.co_firstlineno + 2}:5" in message
    assert "`a = b = np.zeros(3)` binds one array to both names" in message and "b = np.copy(a)" in message


@pytest.mark.parametrize("f", [repeated_list_updated, display_seen_by_another_name,
                               display_element_read_first])
def test_a_display_element_another_holder_sees_is_still_refused(f):
    with pytest.raises(sct.SCTError, match="container in place|may share its array"):
        sct.reverse(f)(np.ones(3))


def test_meshgrid_outside_what_it_is_lowered_for_is_refused():
    with pytest.raises(sct.SCTError, match="indexing written in the call as one of 'xy', 'ij'"):
        sct.reverse(meshgrid_indexing_variable, wrt="x")(np.ones(3), "ij")
    with pytest.raises(sct.SCTError, match="unsupported arguments to 'np.meshgrid'"):
        sct.reverse(meshgrid_of_three)(np.ones(3))


# ------------------------------------------------------------------------------- eigvalsh, run-time refusal
def top_eigenvalue(x):
    return np.linalg.eigvalsh(x)[-1]


@pytest.mark.parametrize("mode", ["forward", "reverse", "hessian"])
def test_eigvalsh_at_repeated_eigenvalues_raises(mode):
    a = np.eye(3)
    call = {"forward": lambda: sct.forward(top_eigenvalue)(a, np.ones((3, 3))),
            "reverse": lambda: sct.grad(top_eigenvalue)(a),
            "hessian": lambda: sct.hessian(top_eigenvalue)(a)}[mode]
    with pytest.raises(ValueError, match="repeated eigenvalues"):
        call()


def test_eigvalsh_at_distinct_eigenvalues_is_the_eigh_eigenvalue():
    a = np.array([[2.0, 0.3, 0.0], [0.3, -1.0, 0.5], [0.0, 0.5, 0.0]])
    check_every_mode(weighted_eigenvalues, top_eigenvalue, a)


def weighted_eigenvalues(x):
    return np.linalg.eigvalsh(x @ x.T) * np.arange(1.0, 4.0)
