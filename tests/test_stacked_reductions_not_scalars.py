"""``np.linalg.det`` and ``np.trace`` of a stack of matrices are arrays, not scalars.

Of a stack (``(2, 2, 2)``) they give one value per matrix. ``analysis/shapes.py`` once counted them as
scalars, so in ``d * s`` (``s`` a real scalar) the adjoint of ``s`` was not summed over the stack:
``sct.grad`` returned half the gradient and ``sct.jacobian(mode="reverse")`` failed. Checked here against
Richardson differences, in every mode where the stack is differentiated.
"""
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct

STACK = np.array([[[2.0, 1.0], [0.5, 3.0]], [[1.0, -1.0], [2.0, 4.0]]])
X = np.array([0.53, -1.37])


def determinants_of_a_stack_times_a_sum(x):
    d = np.linalg.det(STACK)
    s = np.sum(x ** 2)
    return np.sum(d * s)


def traces_of_a_stack_times_a_sum(x):
    t = np.trace(STACK)
    s = np.sum(x ** 2)
    return np.sum(t * s)


def determinants_of_a_differentiated_stack(x):
    d = np.linalg.det(x.reshape(1, 2) * STACK)
    s = np.sum(x)
    return np.sum(s * d)


@pytest.mark.parametrize("f", [determinants_of_a_stack_times_a_sum, traces_of_a_stack_times_a_sum,
                               determinants_of_a_differentiated_stack])
def test_gradient_through_a_stack_of_determinants(f):
    numeric = np.array([richardson_difference(f, (X,), {0: e}) for e in np.eye(X.size)])
    assert relative_error(sct.grad(f)(X), numeric) < 1e-7


def stacked_determinants_times_a_sum(x):
    d = np.linalg.det(x.reshape(2, 1, 1) * STACK)
    s = np.sum(x ** 2)
    return d * s


def stacked_traces_along_axes_times_a_sum(x):
    t = np.trace(x.reshape(2, 1, 1) * STACK, axis1=1, axis2=2)
    s = np.sum(x ** 3)
    return s * t


def summed_sines_of_determinants(x):
    return np.sum(np.sin(stacked_determinants_times_a_sum(x)))


def summed_sines_of_traces(x):
    return np.sum(np.sin(stacked_traces_along_axes_times_a_sum(x)))


@pytest.mark.parametrize("f, g", [(stacked_determinants_times_a_sum, summed_sines_of_determinants),
                                  (stacked_traces_along_axes_times_a_sum, summed_sines_of_traces)])
@pytest.mark.parametrize("x", [X, np.array([-0.8, -2.0])])
def test_stacked_reductions_in_every_mode(f, g, x):
    check_every_mode(f, g, x)


@pytest.mark.parametrize("x", [np.array([0.0, -2.0]), np.array([0.0, 0.0])])
def test_stacked_traces_at_zero_in_every_mode(x):
    check_every_mode(stacked_traces_along_axes_times_a_sum, summed_sines_of_traces, x)
