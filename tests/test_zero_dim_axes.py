"""numpy's reductions and scans take axis 0 or -1 of a 0-d array as no axis (``np.sum(a, axis=0)`` is ``a``,
``np.cumsum(a, axis=0)`` is ``a`` flattened); sct's helpers normalised the axis with ``% ndim`` and died
with a ZeroDivisionError (or an AxisError) in every mode. Every mode against differences, on 0-d, size-1 and
ordinary shapes; an axis numpy refuses stays refused."""
import numpy as np
import pytest
import scipy.special
from every_mode import check_every_mode

import sct
from sct.runtime import _axes_of, _scan_axis


def sums(x):
    return np.sum(x * x, axis=0) + np.sum(np.sin(x), axis=-1, keepdims=True)


def products(x):
    return np.prod(x * x + 1.0, axis=0) * np.prod(np.cos(x), axis=-1, keepdims=True)


def extrema(x):
    return np.max(x * x, axis=0) - np.min(np.sin(x), axis=-1, keepdims=True) + np.amax(x, axis=-1)


def method_reductions(x):
    return (x * x).sum(axis=0) + (x + 2.0).prod(axis=-1) + (x * 3.0).max(axis=0, keepdims=True)


def scans(x):
    return np.cumsum(x * x, axis=0) + np.cumprod(np.sin(x) + 2.0, axis=-1) + (x * x).cumsum(axis=-1)


def others(x):
    return (scipy.special.logsumexp(x * x, axis=0) + np.ptp(np.sin(x), axis=-1)
            + np.take(x * x, 0, axis=0) + np.max(x * x, axis=-1, initial=-5.0))


def sums_objective(x):
    return np.sum(np.sin(sums(x)))


def products_objective(x):
    return np.sum(np.sin(products(x)))


def extrema_objective(x):
    return np.sum(np.sin(extrema(x)))


def method_reductions_objective(x):
    return np.sum(np.sin(method_reductions(x)))


def scans_objective(x):
    return np.sum(np.sin(scans(x)))


def others_objective(x):
    return np.sum(np.sin(others(x)))


FUNCTIONS = [(sums, sums_objective), (products, products_objective), (extrema, extrema_objective),
             (method_reductions, method_reductions_objective), (scans, scans_objective),
             (others, others_objective)]
POINTS = {"0-d": np.array(0.7), "0-d negative": np.array(-1.3), "0-d zero": np.array(0.0),
          "size-1": np.array([0.4]), "vector": np.array([0.5, -1.1, 2.3]),
          "matrix": np.array([[0.5, -1.1, 2.3], [1.7, 0.2, -0.6], [0.9, -2.1, 1.2]]),
          "size-1 rows": np.array([[0.3, -0.8, 1.9]])}


@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("f, g", FUNCTIONS, ids=lambda f: getattr(f, "__name__", ""))
def test_every_mode(f, g, point):
    check_every_mode(f, g, POINTS[point])


def test_axes_as_numpy_reads_them():
    assert _axes_of(0, 0) == _axes_of(0, -1) == _axes_of(0, None) == ()
    assert _axes_of(3, None) == (0, 1, 2) and _axes_of(3, -1) == (2,) and _axes_of(3, (0, -2)) == (0, 1)
    assert _scan_axis(0, 0) is None and _scan_axis(0, -1) is None and _scan_axis(2, -1) == 1
    assert _scan_axis(2, None) is None
    for ndim, axis in ((0, 1), (0, (0,)), (2, 2), (2, -3)):
        with pytest.raises(ValueError, match="out of bounds"):
            _axes_of(ndim, axis)


def test_axis_numpy_refuses_stays_refused():
    def out_of_bounds(x):
        return np.sum(x * x, axis=1)

    with pytest.raises(ValueError):  # numpy's AxisError
        sct.grad(out_of_bounds)(np.array(0.7))
