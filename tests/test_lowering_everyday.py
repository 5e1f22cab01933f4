"""Everyday numpy functions lowered to primitives (sct/rules/lowering.py): np.take, np.take_along_axis,
np.average, np.vdot, np.ptp, in every mode against central differences, at shapes with size-1 axes and at
zero and negative points; arguments they do not list are refused, and so is np.nansum of a differentiated
value (a NaN entry's reverse-mode derivative is NaN times zero)."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct

LOWERED_HERE = ["numpy.take", "numpy.take_along_axis", "numpy.average", "numpy.vdot", "numpy.ptp"]


def take(x):
    flat = np.take(x, [0, np.size(x) - 1, 0]) * np.take(x, 0)
    return flat * np.sum(np.take(x, [0, 0], axis=-1) ** 2) + np.sum(np.take(x, 0, axis=0))


def take_along_axis(x):
    order = np.argsort(np.abs(x) + np.arange(np.size(x)).reshape(np.shape(x)) * 1e-3, axis=-1)
    return np.take_along_axis(x, order, axis=-1) * np.take_along_axis(x, order[..., :1], axis=-1)


def take_along_flat(x):
    return np.take_along_axis(np.ravel(x) * 2.0, np.array([0, 0, np.size(x) - 1]), axis=None)


def average(x):
    weights = np.arange(1.0, np.shape(x)[0] + 1.0)
    return np.average(x * x, axis=0, weights=weights) + np.average(np.sin(x)) + np.sum(np.average(x, axis=-1))


def average_full_weights(x):
    return np.average(x, weights=np.cos(x) + 2.0) * np.average(x, axis=0, weights=x * 0.0 + 1.5)


def vdot(x):
    return np.vdot(x, np.sin(x) + 1.0) * x


def ptp(x):
    spread = x * np.arange(1.0, np.size(x) + 1.0).reshape(np.shape(x))  # no ties among the entries
    return np.ptp(spread) + np.ptp(spread, axis=0) * x[0]


def _scalar(f):
    def total(x):
        return np.sum(np.cos(f(x)))
    return total


FUNCTIONS = [take, take_along_axis, take_along_flat, average, average_full_weights, vdot, ptp]
for _f in FUNCTIONS:
    globals()[_f.__name__ + "_total"] = _scalar(_f)

POINTS = {(3,): [0.0, -0.7, 1.6], (1, 3): [[-0.4, 0.0, 0.9]], (2, 1): [[0.5], [-1.3]],
          (2, 3): [[0.3, -1.2, 0.0], [1.1, 0.2, -0.5]]}


@pytest.mark.parametrize("shape", list(POINTS), ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_lowered_in_every_mode(f, shape):
    x = np.array(POINTS[shape])
    out, _ = sct.forward(f)(x, np.ones(shape))
    expected = f(x)
    assert np.shape(out) == np.shape(expected) and np.allclose(out, expected, rtol=1e-14, atol=1e-14)
    check_every_mode(f, globals()[f.__name__ + "_total"], x)


def average_returned(x):
    return np.average(x, returned=True)[0]


def take_with_mode(x):
    return np.take(x, [5], mode="wrap")


def ptp_keepdims(x):
    return np.ptp(x, keepdims=True)


@pytest.mark.parametrize("f, name", [(average_returned, "np.average"), (take_with_mode, "np.take"),
                                     (ptp_keepdims, "np.ptp")])
def test_arguments_not_listed_are_refused(f, name):
    with pytest.raises(sct.SCTError, match=f"unsupported arguments to '{name}'"):
        sct.grad(f)


def nansum_of_residuals(x, data):
    return np.nansum((data - x) ** 2)


def nansum_of_data(x, data):
    return np.sum(x * np.nansum(data))


def test_nansum_of_a_differentiated_value_is_refused():
    with pytest.raises(sct.SCTError, match="np.nansum skips NaN entries") as info:
        sct.grad(nansum_of_residuals, wrt="x")
    assert "np.where(np.isnan(d), 0.0, d)" in str(info.value)


def test_nansum_of_data_is_a_constant():
    data = np.array([1.0, np.nan, 2.5])
    x = np.array([0.5, -1.0, 0.0])
    assert np.allclose(sct.grad(nansum_of_data, wrt="x")(x, data), np.full(3, 3.5))
