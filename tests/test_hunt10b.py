"""Everyday scientific code that made sct crash or give a wrong derivative, against differences in every mode.

* A helper taking ``*args`` (or ``**kwargs``, or positional-only parameters) got no derivative in reverse
  mode: its active arguments bind to no named parameter, so the call was taken as constant and the
  gradient was zero (forward mode refused it). Every mode now refuses it at the helper's definition.
* ``math.factorial`` (``comb``, ``perm``, ``gcd``, ``lcm``, ``isqrt``) of a loop counter: second derivatives
  refused the emitted code, where a counter kept on the tape reads as differentiated. They take integers
  only, so they carry no derivative.
* A helper taking and returning a tuple (``state = step(state, h)``, an ODE step) in a loop: the batched
  reverse sweep (reverse-mode Jacobian) indexed the tuple's seeds on the batch axis (an IndexError, or wrong
  rows), and the Hessian added the batch of the tuple's adjoints, one array with the directions first, to a
  list of items row by row (a wrong Hessian from two iterations on). Items are read with ``batch_item`` and
  added with ``batch_add_lists``; a rule's template still adds lists of batches with ``add_lists`` as it is
  (``cho_factor``'s tangent stays vectorised).
* ``for k in d: ... d[k]`` over a dict a helper returns was read as a loop over a sequence by position (a
  KeyError); over a name sct cannot tell a dict from a sequence (a parameter), it is refused, naming
  ``d.keys()``.
"""
import math

import numpy as np
import pytest
from every_mode import check_every_mode, richardson_grad
from oracle import relative_error, richardson_difference
from scipy.linalg import cho_factor, cho_solve

import sct
from sct.errors import SCTError


# ------------------------------------------------------------------------- helpers with *args, / and **
def squares(*xs):
    s = 0.0
    for v in xs:
        s = s + v ** 2
    return s


def square_of(a, /):
    return a * a


def doubled(**kw):
    return kw["x"] * 2.0


def through_varargs(x):
    return squares(x[0], x[1], x[2] * x[0])


def through_positional_only(x):
    return np.sum(square_of(x))


def through_keywords(x):
    return np.sum(doubled(x=x))


X3 = np.array([0.3, -1.7, 4.2])


@pytest.mark.parametrize("f", [through_varargs, through_positional_only, through_keywords])
@pytest.mark.parametrize("make", [sct.forward, sct.reverse, sct.grad,
                                  lambda f: sct.jacobian(f, mode="reverse"), sct.hessian])
def test_a_helper_with_unnamed_parameters_is_refused_in_every_mode(f, make):
    with pytest.raises(SCTError, match=r"test_hunt10b\.py:\d+:\d+: \*args, \*\*kwargs and positional-only"):
        derivative = make(f)
        derivative(X3, np.ones(3)) if make is sct.forward else derivative(X3)


# ------------------------------------------------------------------- integer functions of a loop counter
def exp_series_sum(x):
    s = 0.0
    k = 0
    while True:
        s = s + np.sum(x ** k) / math.factorial(k) + math.comb(k + 2, 2) * x[0] * 1e-3
        k += 1
        if k > 8:
            break
    return s


def exp_series(x):
    return exp_series_sum(x) * x


def test_factorial_of_a_while_counter_in_every_mode():
    check_every_mode(exp_series, exp_series_sum, np.array([0.5, -1.5, 0.2]))


# --------------------------------------------------------------------- a tuple state through a helper
def pendulum_step(state, h):
    theta, omega = state
    return (theta + h * omega, omega - h * np.sin(theta))


def pendulum(x):
    state = (x[0], x[1])
    for _ in range(3):
        state = pendulum_step(state, 0.1)
    return np.stack([state[0], state[1] * state[0]])


def pendulum_energy(x):
    state = (x[0], x[1])
    for _ in range(3):
        state = pendulum_step(state, 0.1)
    return state[0] * state[1]


@pytest.mark.parametrize("s0", [np.array([0.5, 0.1]), np.array([-1.2, 0.0])])
def test_a_tuple_state_through_a_helper_in_a_loop_in_every_mode(s0):
    check_every_mode(pendulum, pendulum_energy, s0)


def leapfrog_step(state, h):
    q, p = state
    return (q + h * p, p - h * q ** 3)


def leapfrog(x):
    state = (x[:2], x[2:])
    for _ in range(3):
        state = leapfrog_step(state, 0.1)
    return state[0] * state[1]


def leapfrog_sum(x):
    return np.sum(leapfrog(x))


def swapped(x):
    state = (x[0], x[1])
    for i in range(4):
        if i % 2 == 0:
            state = leapfrog_step(state, 0.1)
        else:
            state = (state[1], state[0])
    return np.stack([state[0], state[1] ** 2])


def swapped_product(x):
    return np.prod(swapped(x))


@pytest.mark.parametrize("f, g, x", [(leapfrog, leapfrog_sum, np.array([0.5, 0.1, -0.3, 0.2])),
                                     (swapped, swapped_product, np.array([0.5, 0.1]))])
def test_a_tuple_of_arrays_through_a_helper_in_a_loop_in_every_mode(f, g, x):
    check_every_mode(f, g, x)


def lstm_step(carry, u, W):
    h, c = carry
    z = W @ np.concatenate([u, h])
    i, f, g = 1 / (1 + np.exp(-z[0:2])), 1 / (1 + np.exp(-z[2:4])), np.tanh(z[4:6])
    c = f * c + i * g
    return (np.tanh(c), c)


def lstm(x, us):
    carry = (np.zeros(2), np.zeros(2))
    for t in range(3):
        carry = lstm_step(carry, us[t], x)
    return np.concatenate([carry[0], carry[1] ** 2])


def lstm_loss(x, us):
    return np.sum(lstm(x, us))


def test_an_lstm_carry_through_a_helper_in_every_mode():
    rng = np.random.default_rng(11)
    check_every_mode(lstm, lstm_loss, rng.standard_normal((6, 4)) * 0.3, rng.standard_normal((3, 2)))


def test_a_tuple_state_hessian_with_more_directions_than_items():
    def energy(s):
        state = (s[0], s[1] * s[2])
        for _ in range(2):
            state = pendulum_step(state, 0.2)
        return state[0] * state[1] + s[2] ** 2
    s = np.array([0.4, 0.3, -0.7])
    hessian = sct.hessian(energy)(s)
    columns = [sct.hvp(energy)(s, e) for e in np.eye(3)]
    np.testing.assert_allclose(hessian, np.array(columns).T, rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- loops over a dict's keys
def loss_parts(w, X, y):
    r = X @ w - y
    return {"mse": np.mean(r ** 2), "l2": np.sum(w ** 2)}


def total_loss(x, X, y):
    parts = loss_parts(x, X, y)
    total = 0.0
    for k in parts:
        total = total + parts[k]
    return total


def weighted_losses(x, X, y):
    parts = loss_parts(x, X, y) if x[0] > -10 else {"mse": x[0], "l2": x[1]}
    return np.stack([parts[k] * (i + 1.0) for i, k in enumerate(list(parts))]) * np.sum(x)


RNG = np.random.default_rng(10)
XS, YS = RNG.standard_normal((5, 3)), RNG.standard_normal(5)


def test_a_loop_over_a_dict_a_helper_returns_in_every_mode():
    check_every_mode(weighted_losses, total_loss, np.array([0.3, -0.2, 0.5]), XS, YS)


def summed(w, parts):
    total = 0.0
    for k in parts:
        total = total + parts[k] * w
    return total


def test_a_loop_over_a_parameter_read_by_its_items_is_refused():
    where = r"test_hunt10b\.py:\d+:\d+: `for k in parts` reads parts\[k\]"
    with pytest.raises(SCTError, match=where) as error:
        sct.grad(summed)(1.5, {"a": 1.0, "b": 2.0})
    assert "parts.keys()" in str(error.value)


# ------------------------------------------- cho_factor's pair in batched code, beside batch_add_lists
def gp_evidence(theta, t, y):
    ell, sn = np.exp(theta[0]), np.exp(theta[1])
    K = np.exp(-0.5 * (t[:, None] - t[None, :]) ** 2 / ell ** 2) + sn ** 2 * np.eye(len(t))
    c = cho_factor(K, lower=True)
    return -0.5 * y @ cho_solve(c, y) - np.sum(np.log(np.diag(c[0])))


def test_cho_factor_in_jacobians_and_hessians():
    theta, t = np.array([0.1, -1.0]), np.linspace(-1.0, 1.0, 5)
    args = (theta, t, np.sin(3 * t))
    gradient = richardson_grad(gp_evidence, args)
    for mode in ("forward", "reverse"):
        assert relative_error(sct.jacobian(gp_evidence, mode=mode)(*args), gradient) < 1e-7
    columns = [richardson_difference(sct.grad(gp_evidence), args, {0: e}) for e in np.eye(2)]
    assert relative_error(sct.hessian(gp_evidence)(*args), np.array(columns).T) < 1e-6
