"""``sct.runtime.logsumexp_real`` gives scipy.special.logsumexp's values bit for bit (and its dtype and
shape), at shapes with size-1 axes, every axis form, keepdims, and entries that are infinite or NaN; and
sct computes the user's logsumexp (without ``b`` or ``return_sign``) by it, in every mode."""
import numpy as np
import pytest
import scipy.special
from every_mode import check_every_mode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp

import sct
from sct.runtime import logsumexp_real

_SPECIAL = [np.inf, -np.inf, np.nan, 0.0, -0.0, 1e308, -1e308, 700.0, -745.0]


@st.composite
def _case(draw):
    shape = tuple(draw(st.lists(st.sampled_from([1, 2, 3, 5]), min_size=0, max_size=3)))
    size = int(np.prod(shape))
    seed = draw(st.integers(0, 2 ** 16))
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(size) * draw(st.sampled_from([1.0, 30.0, 1e-9]))
    if draw(st.booleans()) and size:  # ties of the maximum
        a = np.round(a)
    for _ in range(draw(st.integers(0, 3)) if size else 0):
        a[rng.integers(size)] = draw(st.sampled_from(_SPECIAL))
    with np.errstate(over="ignore"):  # 1e308 in float32 is inf
        a = a.reshape(shape).astype(draw(st.sampled_from([np.float64, np.float32])))
    forms = [None] + list(range(-len(shape), len(shape)))
    if len(shape) >= 2:
        forms += [(0, 1), (-1, 0), tuple(range(len(shape)))]
    return a, draw(st.sampled_from(forms)), draw(st.booleans())


def _same(x, y):
    assert type(x) is type(y)
    assert np.shape(x) == np.shape(y) and np.result_type(x) == np.result_type(y)
    assert np.array_equal(x, y, equal_nan=True)
    assert np.array_equal(np.signbit(x), np.signbit(y))


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(_case())
def test_values_are_scipys_bit_for_bit(case):
    a, axis, keepdims = case
    with np.errstate(all="ignore"):
        expected = scipy.special.logsumexp(a, axis=axis, keepdims=keepdims)
    _same(logsumexp_real(a, axis=axis, keepdims=keepdims), expected)


@pytest.mark.parametrize("a, axis", [
    ([[-np.inf, -np.inf], [1.0, -np.inf]], 1), ([[np.inf, np.inf, 1.0]], -1), ([np.nan, np.inf], None),
    ([[np.inf, -np.inf]], 0), ([3, 3, 1], 0), ([True, False], None), (2.5, None), (7, 0),
    (np.zeros((0, 3)), 0), (np.zeros((0, 3)), 1), (np.zeros((0, 3)), -1), (np.zeros(0), None),
    (np.array([1.0, 2.0], dtype=np.float16), None), ([[1.0, 1.0], [1.0, 1.0]], (0, 1))])
@pytest.mark.parametrize("keepdims", [False, True])
def test_edge_cases_are_scipys(a, axis, keepdims):
    with np.errstate(all="ignore"):
        expected = scipy.special.logsumexp(a, axis=axis, keepdims=keepdims)
    _same(logsumexp_real(a, axis=axis, keepdims=keepdims), expected)


def test_errors_are_scipys():
    for axis in (None, (0, 1)):  # scipy indexes the shape of an empty array by the axes: IndexError
        with pytest.raises(IndexError):
            scipy.special.logsumexp(np.zeros((0, 3)), axis=axis)
        with pytest.raises(IndexError):
            logsumexp_real(np.zeros((0, 3)), axis=axis)
    with pytest.raises(TypeError):
        logsumexp_real(np.array([1j]))


def _rows(x):
    return scipy.special.logsumexp(x, axis=1) * 2.0


def _rows_g(x):
    return np.sum(np.sin(scipy.special.logsumexp(x, axis=1) * 2.0))


def _all(x):
    return scipy.special.logsumexp(x * x - x)


def _all_g(x):
    return scipy.special.logsumexp(x * x - x) ** 2


def _kept(x):
    return scipy.special.logsumexp(x, axis=-1, keepdims=True) * x


def _kept_g(x):
    return np.sum(np.sin(scipy.special.logsumexp(x, axis=-1, keepdims=True) * x))


def _tuple(x):
    return scipy.special.logsumexp(np.exp(x), axis=(0, -1), keepdims=False)


def _tuple_g(x):
    return np.cos(scipy.special.logsumexp(np.exp(x), axis=(0, -1), keepdims=False))


def _positional(x):
    return logsumexp(x, 0)


def _positional_g(x):
    return np.sum(logsumexp(x, 0) ** 2)


@pytest.mark.parametrize("f, g", [(_rows, _rows_g), (_all, _all_g), (_kept, _kept_g), (_tuple, _tuple_g),
                                  (_positional, _positional_g)])
@pytest.mark.parametrize("shape", [(3, 4), (1, 4), (3, 1), (1, 1)])
def test_every_mode(f, g, shape):
    rng = np.random.default_rng(sum(shape))
    for x in (rng.standard_normal(shape), -np.abs(rng.standard_normal(shape)), np.zeros(shape)):
        check_every_mode(f, g, x)


@pytest.mark.parametrize("f", [_rows_g, _all_g, _kept_g, _tuple_g, _positional_g])
def test_primal_is_scipys_and_emitted_code_calls_the_helper(f):
    source = sct.reverse(f).source
    assert "= logsumexp_real(" in source and "= scipy.special.logsumexp(" not in source
    x = np.random.default_rng(1).standard_normal((4, 5)) * 40
    value, _ = sct.reverse(f)(x)
    assert value == f(x)


def test_weights_and_signs_stay_with_scipy():
    def weighted(x, y):
        return scipy.special.logsumexp(x, b=y)

    def signed(x):
        return scipy.special.logsumexp(x, return_sign=True)[0]

    assert "logsumexp_real" not in sct.reverse(weighted).source
    assert "logsumexp_real" not in sct.reverse(signed).source
