"""A derivative that runs the function more than once (a reverse-mode Jacobian: a primal run for the
output's shape, then its sweep; a Jacobian or Hessian looping over directions) is refused for a function
that draws random numbers (once the Jacobian at the second draw, without an error). One run is right.
"""
import numpy as np
import pytest

import sct


def weighted_squares(x):
    r = np.random.rand(3)
    return x ** 2 * r


def draws_through_a_helper(x):
    return x * noise(3)


def noise(n):
    return np.random.standard_normal(n)


@pytest.mark.parametrize("f", [weighted_squares, draws_through_a_helper])
def test_reverse_jacobian_of_a_random_draw_is_refused(f):
    with pytest.raises(sct.SCTError, match="random numbers anew in each run"):
        sct.jacobian(f, mode="reverse")


def test_forward_jacobian_sees_the_draw_of_the_call():
    x = np.array([0.5, -1.0, 2.0])
    state = np.random.get_state()
    try:
        np.random.seed(1)
        r = np.random.rand(3)
        np.random.seed(1)
        forward = sct.jacobian(weighted_squares, mode="forward")(x)
    finally:
        np.random.set_state(state)
    assert np.allclose(forward, np.diag(2 * x * r))
