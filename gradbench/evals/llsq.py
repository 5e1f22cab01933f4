"""GradBench's ``llsq``: the linear least-squares objective of cmpad, and its gradient.

``y(x) = 1/2 sum_i (s_i - x_0 - x_1 t_i - x_2 t_i^2 - ...)^2`` with ``t_i = -1 + 2 i / (n - 1)`` and
``s_i = sign(t_i)``, all ``i`` at once as the vectorised reference tools write it.
"""

from __future__ import annotations

from typing import Dict

import numpy as np

import sct

from . import Function, array, nested, number


def llsq(x, n):
    m = x.shape[0]
    t = -1.0 + np.arange(n) * 2.0 / (n - 1.0)
    powers = t[:, None] ** np.arange(m)
    residuals = np.sign(t) - powers @ x
    return np.sum(residuals ** 2) / 2.0


def prepare(input):
    return array(input["x"]), int(input["n"])


def define() -> Dict[str, Function]:
    """``primal`` and ``gradient`` (with respect to ``x``)."""
    gradient = sct.grad(llsq, wrt="x")
    return {
        "primal": Function(prepare, llsq, number),
        "gradient": Function(prepare, gradient, nested),
    }
