"""``sct.runtime.sum_along`` is ``np.sum`` up to rounding (a zero sum with numpy's sign, NaN and infinities
as numpy has them), and sct computes the user's ``np.sum(x, axis=k)`` by it, in every mode."""
import numpy as np
import pytest
from every_mode import check_every_mode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sct
from sct.runtime import sum_along

_SPECIAL = [np.inf, -np.inf, np.nan, 0.0, -0.0, 1e300]


@st.composite
def _case(draw):
    shape = tuple(draw(st.lists(st.sampled_from([1, 2, 7, 20, 130]), min_size=1, max_size=3)))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
    x = rng.standard_normal(shape)
    if draw(st.booleans()):
        x = np.where(rng.random(shape) < 0.5, -0.0, x)  # rows of negative zeros
    flat = x.reshape(-1)
    for _ in range(draw(st.integers(0, 3))):
        flat[rng.integers(flat.size)] = draw(st.sampled_from(_SPECIAL))
    with np.errstate(over="ignore"):  # 1e300 in float32 is inf
        x = x.astype(draw(st.sampled_from([np.float64, np.float32])))
    if draw(st.booleans()) and x.ndim >= 2:
        x = np.swapaxes(x, 0, -1)  # not contiguous
    return x, draw(st.sampled_from(list(range(-x.ndim, x.ndim)))), draw(st.booleans())


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(_case())
def test_sums_are_numpys_up_to_rounding(case):
    x, axis, keepdims = case
    with np.errstate(all="ignore"):
        expected = np.sum(x, axis=axis, keepdims=keepdims)
        got = sum_along(x, axis=axis, keepdims=keepdims)
        bound = np.sum(np.abs(x), axis=axis, keepdims=keepdims) * 64 * np.finfo(x.dtype).eps
        error = np.abs(got - expected)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    finite = np.isfinite(expected) & np.isfinite(bound)
    assert np.array_equal(got[~finite & ~np.isnan(expected)], expected[~finite & ~np.isnan(expected)])
    assert np.all(error[finite] <= bound[finite])
    zero = expected == 0
    assert np.array_equal(np.signbit(got[zero]), np.signbit(expected[zero]))


def test_a_row_of_negative_zeros_sums_as_numpy_sums_it():
    x = np.ones((40, 5))
    x[3] = -0.0
    assert np.signbit(sum_along(x, axis=1)[3]) == np.signbit(np.sum(x, axis=1)[3])


def test_other_arguments_are_numpys():
    assert sum_along([[1, 2], [3, 4]], axis=1).tolist() == [3, 7]
    assert sum_along(np.arange(200).reshape(20, 10), axis=-1).dtype == np.sum(np.arange(2)).dtype


def _rows(x):
    return np.sum(x * x, axis=-1) * 2.0


def _rows_g(x):
    return np.sum(np.sin(np.sum(x * x, axis=-1)))


def _kept(x):
    return np.sum(x, 1, keepdims=True) * x


def _kept_g(x):
    return np.sum(np.cos(np.sum(x, axis=1, keepdims=True) * x))


@pytest.mark.parametrize("f, g", [(_rows, _rows_g), (_kept, _kept_g)])
@pytest.mark.parametrize("shape", [(2, 40), (40, 1), (1, 70), (3, 5)])
def test_every_mode(f, g, shape):
    rng = np.random.default_rng(sum(shape))
    for x in (rng.standard_normal(shape), -np.abs(rng.standard_normal(shape)), np.zeros(shape)):
        check_every_mode(f, g, x, second_order=x.size <= 40)


def test_emitted_code_calls_the_helper_and_the_primal_is_numpys_to_rounding():
    derivative = sct.reverse(_rows_g)
    assert "sum_along(" in derivative.source
    x = np.random.default_rng(2).standard_normal((30, 12))
    value, _ = derivative(x)
    assert abs(value - _rows_g(x)) <= 1e-12 * np.sum(np.abs(x * x))
