"""np.convolve and np.correlate in the modes full, same and valid (lowered to windows of one full
convolution: sct/rules/lowering.py, sct/rules/convolution_rules.py): values equal to numpy's, every mode
against central differences (tests/every_mode.py) with either operand the longer, both active, length-1
operands, zero and negative points, and what numpy refuses refused too."""
from __future__ import annotations

import numpy as np
import pytest
from every_mode import check_every_mode

import sct

LOWERED_HERE = ("numpy.convolve", "numpy.correlate")  # test_lowering.py counts them as tested
_KERNEL = np.array([0.5, -1.0, 0.25])


def _total(f):
    def total(x):
        value = f(x)
        return np.sum(value * np.cos(np.arange(np.size(value)).reshape(np.shape(value))))
    return total


def convolve_kernel_second(x, mode):
    return np.convolve(x * x - 0.5, _KERNEL, mode=mode)


def convolve_kernel_first(x, mode):
    return np.convolve(_KERNEL, np.exp(x), mode)


def convolve_both(x, mode):
    return np.convolve(x, np.sin(x[:2]) + 1.0, mode=mode)


def correlate_kernel_second(x, mode):
    return np.correlate(x * x - 0.5, _KERNEL, mode=mode)


def correlate_kernel_first(x, mode):
    return np.correlate(_KERNEL, np.exp(x), mode)


def correlate_both(x, mode):
    return np.correlate(x, np.sin(x[:2]) + 1.0, mode=mode)


def correlate_default_mode(x, mode):
    return np.correlate(x, np.cos(x[-3:]))


def convolve_literal_same(x, mode):
    return np.convolve(np.sin(x), x[:3], "same")


def _total_of(f):
    def total(x, mode):
        value = f(x, mode)
        return np.sum(value * np.cos(np.arange(np.size(value)).reshape(np.shape(value))))
    return total


CASES = [convolve_kernel_second, convolve_kernel_first, convolve_both, correlate_kernel_second,
         correlate_kernel_first, correlate_both]
for _f in CASES + [correlate_default_mode, convolve_literal_same]:
    globals()[_f.__name__ + "_total"] = _total_of(_f)
_POINTS = [np.array([0.0, -0.7, 1.1, 0.4, 2.1]), np.array([0.3, -1.2]), np.array([-0.5, 0.8, 0.0, 1.3])]


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", _POINTS, ids=("5", "2", "4"))
def test_convolve_and_correlate_in_every_mode(f, x, mode):
    out, _ = sct.forward(f)(x, mode, np.ones_like(x))
    assert np.array_equal(out, f(x, mode)) and np.shape(out) == np.shape(f(x, mode))
    check_every_mode(f, globals()[f.__name__ + "_total"], x, mode)


@pytest.mark.parametrize("f", [correlate_default_mode, convolve_literal_same])
@pytest.mark.parametrize("x", [np.array([0.0, -0.7, 1.1, 0.4, 2.1]), np.array([0.3, -1.2, 0.6])])
def test_modes_written_in_the_call(f, x):
    check_every_mode(f, globals()[f.__name__ + "_total"], x, None)


@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_windows_match_numpy_at_every_pair_of_lengths(name):
    """Every mode and pair of lengths 1 to 7 (numpy's windows differ when the first operand is shorter)."""
    from sct.runtime import convolve_along, convolve_window
    rng = np.random.default_rng(3)
    for n in range(1, 8):
        for m in range(1, 8):
            a, v = rng.standard_normal(n), rng.standard_normal(m)
            for mode in ("full", "same", "valid", 0, 1, 2):
                other = v if name == "convolve" else v[::-1]
                window = convolve_window(a, v, mode, name == "correlate")
                assert np.allclose(convolve_along(a, other, *window), getattr(np, name)(a, v, mode),
                                   rtol=1e-14, atol=1e-14), (n, m, mode)


def convolve_scalar(x):
    return np.convolve(2.0 * x[0], x)


def test_a_number_is_a_vector_of_one_entry():
    x = np.array([0.3, -1.0, 2.0])
    check_every_mode(convolve_scalar, _total(convolve_scalar), x)


def convolve_rows(x):
    return np.convolve(x, x)


def convolve_unknown_mode(x):
    return np.convolve(x, x, mode="wide")


def correlate_empty(x):
    return np.correlate(x, x[:0])


@pytest.mark.parametrize("f, x", [(convolve_rows, np.ones((2, 2))), (convolve_unknown_mode, np.ones(3)),
                                  (correlate_empty, np.ones(3))])
def test_what_numpy_refuses_fails(f, x):
    with pytest.raises(ValueError):
        f(x)
    with pytest.raises(ValueError):
        sct.forward(f)(x, np.ones_like(x))
    with pytest.raises(ValueError):
        sct.reverse(f)(x)
