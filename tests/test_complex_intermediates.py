"""Complex intermediate values made from real inputs are refused at transform time.

Complex arguments are refused at call time, but a real input may still become complex inside the
function (``1j * x``, ``x * (1 + 2j)``). sct then differentiates as if every value were real: ``np.imag``,
``.imag`` and ``np.angle`` are declared to have no derivative (true only of real data), and the rule of
``np.abs`` uses ``z`` where a complex ``z`` needs ``conj(z)``: derivatives of such code would be wrong,
so it is refused.
"""
import numpy as np
import pytest
from oracle import relative_error, richardson_difference

import sct

X = np.array([0.53, -1.37, 2.21])


def imag_of_square(x):          # imag((x + i)^2) = 2x
    return np.sum(np.imag((x + 1j) ** 2))


def angle_of_point(x):          # angle(1 + ix) = arctan(x)
    return np.sum(np.angle(1.0 + 1j * x))


def real_times_imag(x):         # z = x (1 + 2i): re z * im z = 2x^2
    z = x * (1.0 + 2.0j)
    return np.sum(z.real * z.imag)


def squared_modulus(x):         # |x (1 + 2i)|^2 = 5x^2
    z = x * (1.0 + 2.0j)
    return np.sum(np.abs(z) ** 2)


def _numeric_gradient(f, x):
    return np.array([richardson_difference(f, (x,), {0: e}) for e in np.eye(x.size)])


@pytest.mark.parametrize("f", [imag_of_square, angle_of_point, real_times_imag, squared_modulus])
@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")
def test_complex_intermediate_of_a_real_input(f):
    numeric = _numeric_gradient(f, X)
    try:
        gradient = sct.grad(f)(X)
    except sct.SCTError:
        return  # refused at transform time: right too
    assert relative_error(gradient, numeric) < 1e-7
    _, tangent = sct.forward(f)(X, np.ones(3))
    assert abs(float(tangent) - float(np.sum(numeric))) < 1e-7 * max(1.0, abs(float(np.sum(numeric))))


def fortran_order(x):
    return np.sum(np.reshape(x, (2, 2), order="F") * np.arange(1.0, 5.0).reshape(2, 2))


def complex_dtype_code(x):
    return np.sum(x.astype("F").real)


def test_a_string_given_to_another_keyword_is_no_dtype():
    x = np.array([0.5, -1.0, 2.0, 0.0])
    assert np.allclose(sct.grad(fortran_order)(x), np.arange(1.0, 5.0).reshape(2, 2).ravel(order="F"))
    with pytest.raises(sct.SCTError, match="complex"):
        sct.grad(complex_dtype_code)
