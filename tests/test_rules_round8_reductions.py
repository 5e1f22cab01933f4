"""Running extrema (np.maximum.accumulate, np.minimum.accumulate: sct/rules/scan_rules.py) and the mean
of masked entries (np.mean(where=), with np.sum(where=): sct/rules/keyword_forms.py): values equal to
numpy's, every mode against central differences (tests/every_mode.py) with size-1 axes, zero and negative
points, ties shared as np.max shares them, and the calls sct refuses."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct


# ----------------------------------------------------------------------------------------- running extrema
def running_max(x):
    return np.maximum.accumulate(x * 1.5 - 0.2)


def running_min_last(x):
    return np.minimum.accumulate(np.sin(x), axis=-1)


def running_max_rows(x):
    return np.maximum.accumulate(x, 1) * x


def _total(f):
    def total(x):
        value = f(x)
        return np.sum(value * np.cos(np.arange(np.size(value)).reshape(np.shape(value))))
    return total


running_max_total, running_min_last_total, running_max_rows_total = (
    _total(running_max), _total(running_min_last), _total(running_max_rows))

_POINTS = [np.array([0.0, -0.7, 1.1, 0.4, 2.1]), np.array([[0.3, -1.2, 0.9], [-0.4, 0.0, 2.2]]),
           np.array([[0.5, 1.4, -0.3]]), np.array([[0.7], [-1.1]]), np.array([-2.0])]


@pytest.mark.parametrize("f, g", [(running_max, running_max_total),
                                  (running_min_last, running_min_last_total)])
@pytest.mark.parametrize("x", _POINTS)
def test_running_extrema_in_every_mode(f, g, x):
    out, _ = sct.forward(f)(x, np.ones_like(x))
    assert np.array_equal(out, f(x))
    check_every_mode(f, g, x)


@pytest.mark.parametrize("x", _POINTS[1:4])
def test_running_extremum_along_rows_in_every_mode(x):
    check_every_mode(running_max_rows, running_max_rows_total, x)


def running_max_plain(x):
    return np.maximum.accumulate(x)


def running_min_plain(x):
    return np.minimum.accumulate(x)


def prefix_max(x, i):
    return np.max(x[:i + 1])


def prefix_min(x, i):
    return np.min(x[:i + 1])


@pytest.mark.parametrize("running, prefix", [(running_max_plain, prefix_max),
                                             (running_min_plain, prefix_min)])
@pytest.mark.parametrize("x", [np.array([1.0, 1.0, 0.0, 1.0, 2.0, 2.0, 0.5, 3.0]),
                               np.array([-1.0, -1.0, 0.0, -1.0, -2.0, -2.0, -0.5, -3.0]),
                               np.array([0.0, 0.0, 0.0])])
def test_ties_share_as_the_maximum_of_each_prefix_does(running, prefix, x):
    """Row i of the Jacobian of the running extremum is sct's gradient of the extremum of x[:i + 1]
    (ties share it equally), in both modes and in the Hessian's first-derivative code."""
    expected = np.array([sct.grad(prefix, wrt="x")(x, i) for i in range(x.size)])
    for mode in ("forward", "reverse"):
        assert np.allclose(sct.jacobian(running, mode=mode)(x), expected, rtol=0, atol=1e-15)
    seed = np.cos(np.arange(x.size))
    _, x_bar = sct.reverse(running)(x, seed=seed)
    assert np.allclose(x_bar, seed @ expected, rtol=0, atol=1e-15)
    assert np.allclose(sct.forward(running)(x, seed)[1], expected @ seed, rtol=0, atol=1e-15)


def running_max_squared(x):
    return np.sum(np.maximum.accumulate(x) ** 2)


def test_second_derivative_at_ties():
    x = np.array([1.0, 1.0, 0.0, 2.0])
    hessian = sct.hessian(running_max_squared)(x)
    # z = (x0, m, m, x3) with m shared by x0, x1 (each 1/2): sum z**2 = x0**2 + 2 m**2 + x3**2
    shared = np.array([0.5, 0.5, 0.0, 0.0])
    expected = 2.0 * np.outer([1.0, 0, 0, 0], [1.0, 0, 0, 0]) + 4.0 * np.outer(shared, shared)
    expected[3, 3] = 2.0
    assert np.allclose(hessian, expected, rtol=0, atol=1e-14)


def running_max_nan(x):
    return np.maximum.accumulate(x)


def test_a_nan_leaves_the_entries_before_it_alone():
    x = np.array([0.5, 2.0, np.nan, 1.0])
    _, x_bar = sct.reverse(running_max_nan)(x, seed=np.array([1.0, 1.0, 0.0, 0.0]))
    assert np.array_equal(x_bar, [1.0, 1.0, 0.0, 0.0])
    _, tangent = sct.forward(running_max_nan)(x, np.ones(4))
    assert np.array_equal(tangent[:2], [1.0, 1.0]) and np.all(np.isnan(tangent[2:]))


def running_max_dtype(x):
    return np.maximum.accumulate(x, dtype=float)


def test_accumulate_keywords_it_has_no_rule_for_are_refused():
    with pytest.raises(sct.SCTError):
        sct.grad(running_max_dtype)


# ------------------------------------------------------------------------------------------ masked means
def mean_where(x):
    return np.mean(x * x, axis=0, where=x > 0.1)


def mean_where_all(x):
    return np.mean(np.exp(x), where=np.abs(x) < 1.0) * x


def mean_where_method(x):
    return x.mean(axis=-1, keepdims=True, where=np.abs(x) < 1.5) + x


def mean_where_literal(x):
    return np.mean(np.sin(x), axis=-1, where=np.array([True, False, True]))


mean_where_total, mean_where_all_total, mean_where_method_total, mean_where_literal_total = (
    _total(mean_where), _total(mean_where_all), _total(mean_where_method), _total(mean_where_literal))


@pytest.mark.parametrize("f, g, x", [
    (mean_where, mean_where_total, np.array([[0.5, -1.0, 2.0], [0.3, 0.2, -0.4]])),
    (mean_where, mean_where_total, np.array([[0.5, 1.0, 2.0]])),
    (mean_where_all, mean_where_all_total, np.array([0.0, -0.7, 1.3, 0.4])),
    (mean_where_all, mean_where_all_total, np.array([[0.2], [-0.5]])),
    (mean_where_method, mean_where_method_total, np.array([[0.4, -1.0, 2.0], [0.3, 0.0, -0.4]])),
    (mean_where_method, mean_where_method_total, np.array([[0.7, 1.2]])),
    (mean_where_literal, mean_where_literal_total, np.array([[0.4, -1.0, 2.0], [0.3, 0.0, -0.4]])),
    (mean_where_literal, mean_where_literal_total, np.array([0.0, -1.0, 2.0])),
])
def test_masked_means_in_every_mode(f, g, x):
    out, _ = sct.forward(f)(x, np.ones_like(x))
    assert np.array_equal(out, f(x))
    check_every_mode(f, g, x)


def mean_where_none(x):
    return np.mean(x, axis=1, where=np.array([[False, False], [True, True]]))


def test_a_slice_with_nothing_kept_is_nan_as_numpy_makes_it():
    x = np.array([[1.0, 2.0], [3.0, 5.0]])
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning):
        expected = mean_where_none(x)
    with np.errstate(invalid="ignore"):
        out, tangent = sct.forward(mean_where_none)(x, np.ones_like(x))
        _, x_bar = sct.reverse(mean_where_none)(x, seed=np.array([0.0, 1.0]))
    assert np.array_equal(out, expected, equal_nan=True) and np.isnan(tangent[0]) and tangent[1] == 1.0
    assert np.array_equal(x_bar, [[0.0, 0.0], [0.5, 0.5]])


def mean_where_active(x):
    return np.mean(x, where=x)


def sum_where_active(x):
    return np.sum(x * 2.0, where=np.sin(x))


@pytest.mark.parametrize("f", [mean_where_active, sum_where_active])
def test_a_mask_that_varies_is_refused(f):
    with pytest.raises(sct.SCTError, match="where_mask") as info:
        sct.grad(f)
    assert "comparison" in str(info.value)


def mean_where_float(x, w):
    return np.mean(x, where=w)


def test_a_float_mask_numpy_refuses_is_refused_too():
    x, w = np.ones(3), np.array([1.0, 0.0, 1.0])
    with pytest.raises(TypeError):
        mean_where_float(x, w)
    with pytest.raises(TypeError):
        sct.grad(mean_where_float)(x, w)
