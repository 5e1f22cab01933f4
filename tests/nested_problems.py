"""Nested optimisation problems (GradBench's ``saddle`` and ``particle``), written the natural way.

An inner gradient-based computation takes a gradient with sct; an outer one differentiates it again with
sct. Each problem comes in the four combinations of modes named as GradBench does: the first letter is the
mode of the outer derivative, the second that of the inner one (``"rf"``: reverse over forward).

* saddle: ``min_x max_y f(x, y)``. The inner ``max`` is a fixed number of gradient-ascent steps in ``y``;
  the outer gradient descent in ``x`` differentiates through them. With the quadratic ``saddle_f`` below,
  the ascent converges to ``y*(x) = (x0 / 2, x1 / 4)`` and ``max_y f = 1.25 x0**2 + 2.125 x1**2``.
* particle: a charged particle leaves ``(0, 8)`` with velocity ``(0.75, 0)``, pushed by the field of two
  charges at ``(10, 10 - w)`` and ``(10, 0)`` (Euler steps, the force ``-grad_x p(x; w)`` taken by sct),
  until it crosses the x axis; the outer descent chooses ``w`` so that it crosses at the origin.
"""
from __future__ import annotations

import numpy as np

import sct

MODES = ("ff", "fr", "rf", "rr")
ASCENT_STEPS = 30
ASCENT_RATE = 0.25
EYE2 = np.eye(2)
E0, E1 = EYE2[0], EYE2[1]


# ----------------------------------------------------------------------------------------------- saddle
def saddle_f(x, y):
    """A saddle: convex in ``x``, concave in ``y``."""
    return x[0] ** 2 + 2.0 * x[1] ** 2 - y[0] ** 2 - 2.0 * y[1] ** 2 + x[0] * y[0] + x[1] * y[1]


grad_y_reverse = sct.grad(saddle_f, wrt="y")
tangent_y_forward = sct.forward(saddle_f, wrt="y")


def grad_y_forward(x, y):
    """The gradient in ``y`` by forward mode, one direction per entry."""
    _, g0 = tangent_y_forward(x, y, E0)
    _, g1 = tangent_y_forward(x, y, E1)
    return g0 * E0 + g1 * E1


def make_max_y(gradient):
    """``x, y0 -> max_y saddle_f(x, y)`` by gradient ascent from ``y0``, with ``gradient`` in ``y``."""
    def max_y(x, y0):
        y = y0
        for _ in range(ASCENT_STEPS):
            y = y + ASCENT_RATE * gradient(x, y)
        return saddle_f(x, y)
    return max_y


max_y_reverse = make_max_y(grad_y_reverse)
max_y_forward = make_max_y(grad_y_forward)
INNER = {"r": max_y_reverse, "f": max_y_forward}


def saddle_outer_gradient(mode: str):
    """``x, y0 -> d/dx max_y f(x, y)``: the outer derivative in ``mode[0]`` over the inner in ``mode[1]``."""
    inner = INNER[mode[1]]
    if mode[0] == "r":
        return sct.grad(inner, wrt="x")
    tangent = sct.forward(inner, wrt="x")

    def gradient(x, y0):
        return np.array([tangent(x, y0, e)[1] for e in EYE2])
    return gradient


def saddle(start, mode: str, steps: int = 60, rate: float = 0.2):
    """GradBench's saddle: ``(x, y)`` concatenated, from ``start`` for both searches (fixed steps)."""
    start = np.asarray(start, dtype=float)
    outer = saddle_outer_gradient(mode)
    inner = grad_y_reverse if mode[1] == "r" else grad_y_forward
    x = start
    for _ in range(steps):
        x = x - rate * outer(x, start)
    y = start
    for _ in range(ASCENT_STEPS):
        y = y + ASCENT_RATE * inner(x, y)
    return np.concatenate([x, y])


# --------------------------------------------------------------------------------------------- particle
DT = 0.1
MAX_STEPS = 400


def potential(x, w):
    """The potential of the two fixed unit charges at ``x``."""
    a = x - np.array([10.0, 10.0 - w])
    b = x - np.array([10.0, 0.0])
    return 1.0 / np.sqrt(np.sum(a * a)) + 1.0 / np.sqrt(np.sum(b * b))


grad_x_reverse = sct.grad(potential, wrt="x")
tangent_x_forward = sct.forward(potential, wrt="x")


def force_forward(x, w):
    """``-grad_x p`` by forward mode, one direction per entry."""
    _, d0 = tangent_x_forward(x, w, E0)
    _, d1 = tangent_x_forward(x, w, E1)
    return -(d0 * E0 + d1 * E1)


def force_reverse(x, w):
    """``-grad_x p`` by reverse mode."""
    return -grad_x_reverse(x, w)


def make_landing(force):
    """``w -> x_f**2``, where the particle crosses the x axis at ``(x_f, 0)``, with ``force(x, w)``."""
    def landing(w):
        x = np.array([0.0, 8.0])
        v = np.array([0.75, 0.0])
        for _ in range(MAX_STEPS):
            a = force(x, w)
            moved = x + DT * v
            if moved[1] <= 0.0:
                break
            x = moved
            v = v + DT * a
        t = -x[1] / v[1]  # linear interpolation to the x axis
        return (x[0] + t * v[0]) ** 2
    return landing


landing_reverse = make_landing(force_reverse)
landing_forward = make_landing(force_forward)
LANDING = {"r": landing_reverse, "f": landing_forward}


def landing_derivative(mode: str):
    """``w -> d landing / dw``: the outer derivative in ``mode[0]`` over the inner in ``mode[1]``."""
    inner = LANDING[mode[1]]
    if mode[0] == "r":
        return sct.grad(inner)
    tangent = sct.forward(inner)
    return lambda w: tangent(w, 1.0)[1]


def particle(w0: float, mode: str, steps: int = 30) -> float:
    """GradBench's particle: the ``w`` that makes the particle cross the x axis at the origin. Newton steps
    on the signed crossing point ``s(w)``: with the objective ``L = s**2``, ``s / s' = 2 L / L'``."""
    derivative = landing_derivative(mode)
    inner = LANDING[mode[1]]
    w = float(w0)
    for _ in range(steps):
        slope = derivative(w)
        if slope == 0.0:
            break
        w = w - 2.0 * inner(w) / slope
    return w
