"""Functions with defaulted parameters, in every mode (tests/every_mode.py).

A defaulted parameter moves the tangents a forward stage adds to keyword-only parameters; the
reverse-over-forward Hessian-vector product once took the last parameter for the seed and returned the
gradient plus a wrong product, without an error.
"""

import numpy as np
import pytest
from every_mode import check_every_mode


def rosenbrock(x, a=1.0, b=100.0):
    return (a - x[0]) ** 2 + b * (x[1] - x[0] ** 2) ** 2


def residuals(x, a=1.0, b=100.0):
    return np.array([a - x[0], np.sqrt(b) * (x[1] - x[0] ** 2)])


def scaled(x, scale=2.0, steps=3):
    y = x
    for _ in range(steps):
        y = np.sin(y) * scale
    return y


def scaled_total(x, scale=2.0, steps=3):
    return np.sum(scaled(x, scale, steps) ** 2)


@pytest.mark.parametrize("x", [np.array([1.2, 0.8]), np.array([-0.7, 0.0]), np.array([0.0, -1.5])])
def test_rosenbrock_with_its_defaults(x):
    check_every_mode(residuals, rosenbrock, x)


@pytest.mark.parametrize("x", [np.array([0.3, -1.1, 0.0]), np.array([[0.4], [-0.2]])])
def test_a_loop_count_and_a_scale_by_default(x):
    check_every_mode(scaled, scaled_total, x)
