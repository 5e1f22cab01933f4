"""A reverse-mode Jacobian differentiated again (``sct.jacobian(sct.jacobian(f, mode="reverse"))``) was
refused as "not a Python function with source code": only the forward-mode Jacobian had a stand-in. The
Jacobian is the same function of the arguments in either mode, and now has the same stand-in. Every mode of
the outer derivative against differences of the Jacobian."""
import numpy as np
import pytest
from every_mode import check_every_mode
from oracle import relative_error, richardson_difference

import sct


def field(x):
    return np.sin(x) * x[0] + x ** 2 * x[-1]


JACOBIANS = {mode: sct.jacobian(field, wrt="x", mode=mode) for mode in ("forward", "reverse")}


@pytest.mark.parametrize("inner", ["forward", "reverse"])
@pytest.mark.parametrize("x", [np.array([0.5, -1.2, 2.0]), np.array([0.0, -0.4, 0.0]), np.array([0.7])],
                         ids=["x", "zero", "size-1"])
def test_jacobian_of_a_jacobian(inner, x):
    jac = JACOBIANS[inner]

    def jacobian_of_field(x):
        return jac(x)

    def weighted(x):
        j = jac(x)
        return np.sum(j * np.cos(j))

    check_every_mode(jacobian_of_field, weighted, x, second_order=False)
    for outer in ("forward", "reverse"):
        nested = sct.jacobian(jac, wrt="x", mode=outer)(x)
        for k, e in enumerate(np.eye(x.size)):
            along = richardson_difference(jac, (x,), {0: e})
            assert relative_error(nested[..., k], along) < 1e-7, (outer, k)
