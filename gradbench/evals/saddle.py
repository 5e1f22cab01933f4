"""GradBench's ``saddle``: ``min_x max_y f(x, y)`` with ``f(x, y) = (x_1^2 + x_2^2) - (y_1^2 + y_2^2)``,
both by gradient descent from the same start (``solver.py``): nested AD, the outer gradient taken
through the inner solve, in the four combinations of forward (``f``) and reverse (``r``) mode
(outer first: ``rf`` is a reverse outer gradient over a forward inner one). The answer is the argmin
``x`` followed by the argmax ``y`` at that ``x``, found with the outer mode.
"""

from __future__ import annotations

from typing import Dict

import numpy as np

from . import Function, array, nested
from .solver import gradient_by, multivariate_argmin


def objective(p1, p2):
    return (p1[0] ** 2 + p1[1] ** 2) - (p2[0] ** 2 + p2[1] ** 2)


def negated_objective(p2, p1):
    return -objective(p1, p2)


def max_objective(p1, start, inner_gradient):
    p2 = multivariate_argmin(negated_objective, inner_gradient, start, p1)
    return objective(p1, p2)


def _saddle(outer_mode, inner_mode):
    inner = gradient_by(inner_mode, negated_objective, "p2")
    outer = gradient_by(outer_mode, max_objective, "p1")
    step_two = gradient_by(outer_mode, negated_objective, "p2")

    def solve(start):
        def cost(p1, _):
            return max_objective(p1, start, inner)

        def cost_gradient(p1, _):
            return outer(p1, start, inner)

        x = multivariate_argmin(cost, cost_gradient, start, None)
        y = multivariate_argmin(negated_objective, step_two, start, x)
        return np.concatenate([x, y])

    return solve


def prepare(input):
    return (array(input["start"]),)


def define() -> Dict[str, Function]:
    """``ff``, ``fr``, ``rf`` and ``rr``."""
    return {modes: Function(prepare, _saddle(modes[0], modes[1]), nested)
            for modes in ("ff", "fr", "rf", "rr")}
