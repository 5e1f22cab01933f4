"""Everyday numpy and math calls sct lowers to primitives or rewrites: np.median, numpy 2's names
(np.pow, np.acos, np.atan2, np.concat...), math.degrees/radians/exp2/cbrt, np.clip and x.clip with the
bounds as keywords or one bound only; each in every mode against Richardson differences at size-1 axes,
zero and negative points.
"""
import math

import numpy as np
import pytest
from every_mode import check_every_mode

import sct

LOWERED_HERE = ("numpy.median", "numpy.pow", "numpy.acos", "numpy.asin", "numpy.atan", "numpy.acosh",
                "numpy.asinh", "numpy.atanh", "numpy.atan2", "numpy.concat", "math.degrees", "math.radians",
                "math.exp2", "math.cbrt")


def _scalar(f):
    def total(x):
        return np.sum(np.sin(f(x)))
    return total


def median_of_all(x):
    return np.median(x * x - x) * x


def median_along_rows(x):
    return np.median(np.reshape(x, (2, -1)), axis=1) ** 2


def median_along_columns(x):
    return np.median(np.reshape(x, (2, -1)) * 3.0, axis=0) * np.reshape(x, (2, -1))


def numpy2_names(x):
    s = np.tanh(x) * 0.5
    return (np.pow(x * x + 1.0, 1.5) + np.acos(s) + np.asin(s) + np.atan(x) + np.acosh(x * x + 1.5)
            + np.asinh(x) + np.atanh(s) + np.atan2(x, 1.0 + x * x))


def numpy2_concat(x):
    return np.concat([x, np.sin(x)]) * np.concat((x, x), axis=0)


def math_conversions(x):
    t = x[0]
    return math.degrees(t) + math.radians(t) * math.exp2(t) + math.cbrt(t * t + 1.0) + x


def clip_keywords(x):
    return np.clip(x, min=-0.5, max=0.5) * x + x.clip(min=0.1) + x.clip(max=0.25) + x.clip(-0.3)


def clip_one_bound_numpy(x):
    return np.clip(x, None, 0.25) * np.clip(x, -0.25, None) + np.clip(x, max=0.4) * x + x.clip(None, 0.3)


SHAPES = {"one": np.array([-0.4, 0.0]), "three": np.array([0.53, 0.0, -1.37, 0.2, -0.6, 1.1])}
CASES = [(f, p) for f in (median_of_all, median_along_rows, median_along_columns, numpy2_names, numpy2_concat,
                          math_conversions, clip_keywords, clip_one_bound_numpy) for p in SHAPES]


@pytest.mark.parametrize("f,point", CASES, ids=[f"{f.__name__}-{p}" for f, p in CASES])
def test_call_in_every_mode(f, point):
    x = SHAPES[point]
    out, _ = sct.forward(f)(x, np.ones_like(x))
    assert np.allclose(out, f(x), rtol=1e-13, atol=1e-13)
    check_every_mode(f, _scalar(f), x)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_median_is_numpys(n):
    x = np.random.default_rng(n).standard_normal(n)
    out, _ = sct.forward(median_of_all)(x, np.ones(n))
    assert np.array_equal(out, median_of_all(x))


def median_of_the_argument(x):
    return np.median(x, axis=0)


def test_median_with_a_nan_is_nan_as_numpys():
    x = np.array([[1.0, np.nan], [2.0, 3.0], [0.5, 0.1]])
    out, _ = sct.forward(median_of_the_argument)(x, np.ones_like(x))
    expected = np.median(x, axis=0)
    assert np.isnan(out[1]) and np.isnan(expected[1]) and out[0] == expected[0]


def median_keeping_dims(x):
    return np.median(x, axis=0, keepdims=True)


def clip_with_one_bound_by_position(x):
    return np.clip(x, 0.0)  # numpy raises TypeError: a_max is missing


def clip_mixing_names(x):
    return np.clip(x, 0.1, max=0.4)  # numpy raises TypeError too


@pytest.mark.parametrize("f", [median_keeping_dims, clip_with_one_bound_by_position, clip_mixing_names])
def test_keywords_not_rewritten_are_refused(f):
    with pytest.raises(sct.SCTError, match="unsupported arguments"):
        sct.reverse(f)(np.ones(3))
