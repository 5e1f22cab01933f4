"""A list or dict parameter the function writes into (``xs[0] = ...``, ``xs[0] *= 2``, ``xs.append(...)``,
``d["a"] += 1``): derivatives are exact and never change what the caller passed, values or tangents, or
refused. Jacobians and Hessians take a list as one array and the reverse sweep holds a list argument's
adjoint as one array: an element written with another shape (``xs[0] = xs[0][0]``) would be broadcast
into a whole row, so they refuse a list whose elements the function writes (Jacobians and Hessians also
one whose methods it calls: an array has no ``append``); forward mode follows the list item by item.
A dict's adjoint is kept key by key, also where a value written has another shape.
"""
import copy

import numpy as np
import pytest
from every_mode import check_every_mode, richardson_grad
from oracle import relative_error, richardson_difference

import sct


def element_rebound(xs):
    xs[0] = xs[0] * 2
    return np.sum(xs[0] * xs[1])


def element_scaled_in_place(xs):
    xs[0] *= 2
    return np.sum(xs[0] * xs[1] ** 2)


def appended(xs):
    xs.append(xs[0] * 3.0)
    return np.sum(xs[0] * xs[2] * xs[1])


def key_incremented(d):
    d["a"] += 1
    return np.sum(d["a"] * d["b"])


def key_added(d):
    d["c"] = d["a"] * 2
    return np.sum(d["c"] * d["b"] ** 2)


def key_reshaped(d):
    d["a"] = np.array([d["a"], 2 * d["a"]])
    d["b"] = np.array([d["b"], 0.0])
    return np.sum(d["a"] * d["b"] ** 2)


def element_made_a_scalar(xs):
    xs[0] = xs[0][0] * 1.0
    return np.sum(xs[0]) * np.sum(xs[1])


def element_of_a_copy_written(xs):
    ys = list(xs)
    ys[0] = ys[0][0] * 1.0
    return np.sum(ys[0]) * np.sum(ys[1])


def _as_list(x):
    return [x[0], x[1]]


def _as_dict(x):
    return {"a": x[0], "b": x[1]}


def _as_arrays(value):
    return np.asarray(list(value.values()) if isinstance(value, dict) else value, dtype=float)


LISTS = [element_rebound, element_scaled_in_place, appended]
DICTS = [key_incremented, key_added, key_reshaped]
WRITTEN_ELEMENTS = [element_rebound, element_scaled_in_place]
POINTS = {"floats": np.array([1.5, -2.0]), "size-one rows": np.array([[0.7], [-1.2]]),
          "rows with a zero": np.array([[0.0, -0.4, 1.1], [2.0, 0.0, -0.3]])}


def _cases():
    for f in LISTS + DICTS:
        for name, point in POINTS.items():
            if f is key_reshaped and point.ndim > 1:  # np.array([row, 0.0]) is ragged
                continue
            yield pytest.param(f, _as_dict if f in DICTS else _as_list, point, id=f"{f.__name__}-{name}")


def _given(build, point):
    """The container the caller passes: its items are the caller's own objects, kept to compare."""
    return build(np.array(point, dtype=float)) if point.ndim > 1 else build(list(map(float, point)))


@pytest.mark.parametrize("f, build, point", _cases())
def test_first_derivatives_are_exact_and_leave_the_argument_alone(f, build, point):
    def on_array(x):
        x = np.array(x, dtype=float)  # its rows are the items: f may write into them
        return f(build(x) if x.ndim > 1 else build(list(x)))

    rng = np.random.default_rng(3)
    v = rng.standard_normal(point.shape)
    along = richardson_difference(on_array, (point,), {0: v})
    xs, tangent = _given(build, point), build(v) if point.ndim > 1 else build(list(v))
    kept, kept_tangent = copy.deepcopy(xs), copy.deepcopy(tangent)

    out, dot = sct.forward(f)(xs, tangent)
    assert relative_error(dot, along) < 1e-7, f"forward: {dot} vs {along}"
    assert relative_error(out, on_array(point)) < 1e-12
    if f in WRITTEN_ELEMENTS:
        for call in (sct.grad(f), sct.reverse(f)):
            with pytest.raises(TypeError, match="the reverse sweep holds the adjoint of a list"):
                call(xs)
    else:
        gradient = sct.grad(f)(xs)
        assert relative_error(_as_arrays(gradient), richardson_grad(on_array, (point,))) < 1e-7, "grad"
        assert np.shape(_as_arrays(gradient)) == point.shape
        for seed in (1.0, -0.7):
            _, x_bar = sct.reverse(f)(xs, seed=seed)
            assert relative_error(_as_arrays(x_bar), seed * _as_arrays(gradient)) < 1e-12, "reverse"

    for given, before in ((xs, kept), (tangent, kept_tangent)):
        assert type(given) is type(before) and len(given) == len(before)
        for key in (given if isinstance(given, dict) else range(len(given))):
            assert np.array_equal(given[key], before[key]), "the caller's container changed"


def element_reshaped(xs):
    xs[0] = np.array([xs[0], 2 * xs[0]])
    xs[1] = np.array([xs[1], 0.0])
    return np.sum(xs[0] * xs[1])


def element_reshaped_and_back(xs):
    xs[0] = np.sum(xs[0])
    y = xs[0] * 3.0
    xs[0] = np.ones(2) * y
    return np.sum(xs[0] * xs[1])


def written_by_a_helper(a, b):
    return element_reshaped_and_back([a, b])


def items_copied_then_reshaped(xs):
    ys = list(xs)
    ys[0] = np.sum(ys[0])
    y = ys[0] * 3.0
    ys[0] = np.ones(2) * y
    return np.sum(ys[0] * ys[1])


def test_reshaping_writes_into_a_list_were_wrong_gradients_and_are_refused():
    """The reverse sweep's adjoint of ``xs`` was made with the shape of the list's last items: the
    gradient of ``xs[0] = np.array([xs[0], 2 * xs[0]])`` came back as rows, of the scalar written back
    into a row twice what it is. Given a list, they are refused; copied into a local list, exact."""
    with pytest.raises(TypeError, match="reverse sweep"):
        sct.grad(element_reshaped)([1.5, 2.0])
    rows = [np.array([1.0, 2.0]), np.array([0.5, -1.0])]
    with pytest.raises(TypeError, match="reverse sweep"):
        sct.grad(element_reshaped_and_back)(rows)
    with pytest.raises(sct.SCTError, match="writes an element of its parameter 'xs'"):
        sct.grad(written_by_a_helper, wrt="a")
    gradient = sct.grad(items_copied_then_reshaped)(rows)
    assert np.allclose(gradient[0], 3 * np.sum(rows[1])) and np.allclose(gradient[1], 3 * np.sum(rows[0]))
    _, tangent = sct.forward(element_reshaped_and_back)(rows, [np.ones(2), np.zeros(2)])
    assert np.isclose(tangent, 2 * 3 * np.sum(rows[1]))


REFUSING = {
    "jacobian": lambda f, x: sct.jacobian(f)(x),
    "jacobian forward": lambda f, x: sct.jacobian(f, mode="forward")(x),
    "hessian": lambda f, x: sct.hessian(f)(x),
    "hvp": lambda f, x: sct.hvp(f)(x, np.ones(np.shape(x))),
    "grad_and_hvp": lambda f, x: sct.grad_and_hvp(f)(x, np.ones(np.shape(x))),
}


@pytest.mark.parametrize("call", REFUSING.values(), ids=list(REFUSING))
@pytest.mark.parametrize("f", LISTS + [element_made_a_scalar])
def test_a_list_written_into_is_refused_where_it_would_be_one_array(call, f):
    xs = [np.array([1.5, 2.0]), np.array([0.5, -1.0])]
    with pytest.raises(TypeError, match="writes an element of 'xs' or calls a method of it"):
        call(f, xs)


def test_the_scalar_written_into_a_row_was_a_wrong_jacobian():
    """``xs[0] = xs[0][0]`` rebinds a list's element but broadcasts into an array's row; written into a
    list of the items (as the refusal says), the Jacobian and Hessian are those of the list."""
    xs = [np.array([1.5, 2.0]), np.array([0.5, -1.0])]
    expected = np.array([[np.sum(xs[1]), 0.0], [xs[0][0], xs[0][0]]])
    assert np.allclose(sct.jacobian(element_of_a_copy_written)(xs), expected)
    assert np.allclose(sct.hessian(element_of_a_copy_written)(xs)[0, 0], [[0.0, 0.0], [1.0, 1.0]])


def row_rebound(x):
    x[0] = x[0] * 2
    return np.sum(x[0] * x[1])


def row_scaled_in_place(x):
    x[0] *= 2
    return np.sum(x[0] * x[1] ** 2)


@pytest.mark.parametrize("point", [np.array([[0.53, -1.37], [2.21, 0.77]]), np.array([[-0.4], [0.0]])],
                         ids=["two-by-two", "size-one rows"])
@pytest.mark.parametrize("f", [row_rebound, row_scaled_in_place])
def test_the_same_functions_given_an_array_in_every_mode(f, point):
    check_every_mode(f, f, point)
