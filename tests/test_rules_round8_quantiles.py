"""np.quantile and np.percentile with numpy's default ("linear") method (lowered to order_quantile:
sct/rules/lowering.py, sct/rules/scan_rules.py): values equal to numpy's, every mode against central
differences (tests/every_mode.py) with levels at 0 and 1, several levels, axes, size-1 axes, zero and
negative points; ties shared as np.max shares them; varying levels and other methods refused."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct

LOWERED_HERE = ("numpy.quantile", "numpy.percentile")  # test_lowering.py counts them as tested


def quantile_one(x):
    return np.quantile(x * x - x, 0.3)


def quantile_levels_axis(x):
    return np.quantile(np.sin(x), [0.0, 0.45, 1.0], axis=0)


def quantile_last_axis(x):
    return np.quantile(x, np.array([[0.2], [0.75]]), axis=-1) * 2.0


def percentile_all(x):
    return np.percentile(np.exp(x), [10.0, 50.0, 95.0])


def percentile_axis(x):
    return np.percentile(x, 62.5, axis=-1)


def _total(f):
    def total(x):
        value = f(x)
        return np.sum(value * np.cos(np.arange(np.size(value)).reshape(np.shape(value))))
    return total


CASES = [quantile_one, quantile_levels_axis, quantile_last_axis, percentile_all, percentile_axis]
for _f in CASES:
    globals()[_f.__name__ + "_total"] = _total(_f)
# no two entries equal, and no virtual index at an order statistic's kink
_POINTS = [np.array([0.0, -0.7, 1.1, 0.4, 2.1]), np.array([[0.3, -1.2, 0.9], [-0.4, 0.05, 2.2]]),
           np.array([[0.5, 1.4, -0.3]]), np.array([[0.7], [-1.1]]), np.array([-2.0])]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", _POINTS, ids=("5", "2x3", "1x3", "2x1", "1"))
def test_quantiles_in_every_mode(f, x):
    out, _ = sct.forward(f)(x, np.ones_like(x))
    assert np.array_equal(out, f(x)) and np.shape(out) == np.shape(f(x))
    check_every_mode(f, globals()[f.__name__ + "_total"], x)


def median_of(x):
    return np.quantile(x, 0.5)


def maximum_of(x):
    return np.quantile(x, 1.0)


def minimum_of(x):
    return np.percentile(x, 0)


def np_max(x):
    return np.max(x)


def np_min(x):
    return np.min(x)


@pytest.mark.parametrize("x", [np.array([1.0, 1.0, 0.0]), np.array([2.0, -1.0, 2.0, 2.0]), np.zeros(3)])
def test_ties_share_as_np_max_shares_them(x):
    """At 1 (0) the quantile is the maximum (minimum): its gradient is np.max's (np.min's), ties and all."""
    for mode in ("forward", "reverse"):
        assert np.array_equal(sct.jacobian(maximum_of, mode=mode)(x), sct.grad(np_max)(x))
        assert np.array_equal(sct.jacobian(minimum_of, mode=mode)(x), sct.grad(np_min)(x))


def test_a_tied_median_shares_between_the_equal_entries():
    x = np.array([3.0, 1.0, 1.0, 1.0, 0.0, 5.0])  # sorted 0 1 1 1 3 5: the median is 1 (positions 2 and 3)
    assert np.allclose(sct.grad(median_of)(x), [0.0, 1 / 3, 1 / 3, 1 / 3, 0.0, 0.0], rtol=0, atol=1e-15)
    x = np.array([3.0, 1.0, 2.0, 0.0])  # 0 1 2 3: halfway between 1 and 2
    assert np.array_equal(sct.grad(median_of)(x), [0.0, 0.5, 0.5, 0.0])


def quantile_sum_squares(x):
    return np.sum(np.quantile(x, [0.25, 0.8], axis=1) ** 2)


def test_second_derivative_through_two_order_statistics():
    x = np.array([[0.3, -1.2, 0.9, 2.0], [-0.4, 0.05, 2.2, 1.0]])
    hessian = sct.hessian(quantile_sum_squares)(x).reshape(8, 8)
    weights = np.zeros((4, 8))  # virtual indexes 0.75 and 2.4 in each row of 4
    for row, order in enumerate(np.argsort(x, axis=1)):
        base = 4 * row
        weights[2 * row, base + order[0]], weights[2 * row, base + order[1]] = 0.25, 0.75
        weights[2 * row + 1, base + order[2]], weights[2 * row + 1, base + order[3]] = 0.6, 0.4
    assert np.allclose(hessian, 2.0 * weights.T @ weights, rtol=0, atol=1e-14)


def quantile_nan(x):
    return np.quantile(x, 0.5, axis=1)


def test_a_nan_slice_is_nan_as_numpy_makes_it():
    x = np.array([[1.0, np.nan, 0.0], [2.0, 0.5, -1.0]])
    out, tangent = sct.forward(quantile_nan)(x, np.ones_like(x))
    assert np.array_equal(out, quantile_nan(x), equal_nan=True) and np.isnan(out[0])
    assert tangent[1] == 1.0
    _, x_bar = sct.reverse(quantile_nan)(x, seed=np.array([0.0, 1.0]))
    assert np.array_equal(x_bar[1], [0.0, 1.0, 0.0])


def varying_level(x):
    return np.quantile(x, np.abs(np.tanh(x[0])))


def other_method(x):
    return np.quantile(x, 0.5, method="nearest")


def kept_dims(x):
    return np.quantile(x, 0.5, keepdims=True)


@pytest.mark.parametrize("f, match", [(varying_level, "levels from constants"), (other_method, "linear"),
                                      (kept_dims, "unsupported arguments")])
def test_refused(f, match):
    with pytest.raises(sct.SCTError, match=match):
        sct.grad(f)


def out_of_range(x):
    return np.percentile(x, 120.0)


def test_levels_numpy_refuses_are_refused():
    x = np.ones(3)
    with pytest.raises(ValueError):
        out_of_range(x)
    with pytest.raises(ValueError, match="range"):
        sct.forward(out_of_range)(x, np.ones(3))
