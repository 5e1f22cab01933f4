"""GradBench's ``particle``: a charged particle starts at ``(0, 8)`` with velocity ``(0.75, 0)`` in the
field of two unit charges at ``(10, 10 - w)`` and ``(10, 0)``; naive Euler steps (``dt = 0.1``), the
acceleration being minus the gradient of the potential, run until it would cross the x axis, where
it lands by linear interpolation. ``w`` minimising the squared x of the landing point is found by
gradient descent (``solver.py``) from the given ``w``: nested AD in the four combinations of forward
(``f``) and reverse (``r``) mode, outer (the argmin) first.
"""

from __future__ import annotations

from typing import Dict

import numpy as np

from . import Function, number
from .solver import gradient_by, multivariate_argmin


def potential(x, w):
    charges = np.array([[10.0, 10.0 - w], [10.0, 0.0]])
    return np.sum(1.0 / np.sqrt(np.sum((x - charges) ** 2, axis=1)))


def naive_euler(w, potential_gradient):
    x = np.array([0.0, 8.0])
    xdot = np.array([0.75, 0.0])
    delta_t = 1e-1
    while True:
        xddot = -potential_gradient(x, w)
        x_new = x + delta_t * xdot
        if x_new[1] > 0:
            x = x_new
            xdot = xdot + delta_t * xddot
        else:
            break
    delta_t_f = -x[1] / xdot[1]
    x_t_f = x + delta_t_f * xdot
    return x_t_f[0] ** 2


def _particle(outer_mode, inner_mode):
    inner = gradient_by(inner_mode, potential, "x")
    outer = gradient_by(outer_mode, naive_euler, "w")

    def cost(w, _):
        return naive_euler(w[0], inner)

    def cost_gradient(w, _):
        return np.reshape(outer(w[0], inner), (1,))

    def solve(w0):
        return multivariate_argmin(cost, cost_gradient, np.array([w0]), None)[0]

    return solve


def define() -> Dict[str, Function]:
    """``ff``, ``fr``, ``rf`` and ``rr``; the input is the starting ``w``."""
    return {modes: Function(lambda input: (float(input["w"]),), _particle(modes[0], modes[1]), number)
            for modes in ("ff", "fr", "rf", "rr")}
