"""GradBench's gradient-descent solver for ``saddle`` and ``particle`` (its ``gd.hpp``): steps of size
``eta`` along the negative gradient, doubled after ten successful steps and halved after a failed one,
until the gradient or the step falls to ``1e-5``.

``f(x, data)`` is the objective and ``gradient(x, data)`` its gradient in ``x``; ``data`` carries what
the objective also depends on (the outer point, in a nested solve).
"""

import numpy as np

import sct


def gradient_by(mode, func, wrt):
    """sct's gradient of the scalar ``func`` in ``wrt``: reverse mode (``"r"``) or forward (``"f"``)."""
    if mode == "r":
        return sct.grad(func, wrt=wrt)
    return sct.jacobian(func, wrt=wrt, mode="forward")


def multivariate_argmin(f, gradient, x, data):
    fx = f(x, data)
    gx = gradient(x, data)
    i = 0
    eta = 1e-5
    while True:
        if np.sqrt(np.sum(gx ** 2)) <= 1e-5:
            return x
        if i == 10:
            eta = eta * 2
            i = 0
        else:
            x_prime = x - eta * gx
            if np.sqrt(np.sum((x - x_prime) ** 2)) <= 1e-5:
                return x
            fx_prime = f(x_prime, data)
            if fx_prime < fx:
                x = x_prime
                fx = fx_prime
                gx = gradient(x, data)
                i = i + 1
            else:
                eta = eta / 2
                i = 0
