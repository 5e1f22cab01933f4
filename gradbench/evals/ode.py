"""GradBench's ``ode`` (cmpad's ``an_ode``): ``s`` steps of fourth-order Runge-Kutta from ``y(0) = 0``
to ``t = 2`` for ``y_0' = x_0``, ``y_i' = x_i y_{i-1}``; ``gradient`` is the gradient of the last
component of ``y(2)`` with respect to ``x``.
"""

from __future__ import annotations

from typing import Dict

import numpy as np

import sct

from . import Function, array, nested


def ode_fun(x, y):
    return np.concatenate([x[:1], x[1:] * y[:-1]])


def primal(x, s):
    tf = 2.0
    h = tf / s
    y = np.zeros_like(x)
    for _ in range(s):
        k1 = ode_fun(x, y)
        k2 = ode_fun(x, y + h / 2 * k1)
        k3 = ode_fun(x, y + h / 2 * k2)
        k4 = ode_fun(x, y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def prepare(input):
    return array(input["x"]), int(input["s"])


def define() -> Dict[str, Function]:
    """``primal`` and ``gradient``: the reverse sweep seeded with the last unit vector."""
    reverse = sct.reverse(primal, wrt="x")

    def gradient(x, s):
        seed = np.zeros_like(x)
        seed[-1] = 1.0
        return reverse(x, s, seed=seed)[1]

    return {
        "primal": Function(prepare, primal, nested),
        "gradient": Function(prepare, gradient, nested),
    }
