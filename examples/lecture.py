"""The lecture's example: f(x1, x2) = x1*x2 + sin(x1), differentiated by source transformation.

Prints the code sct emits for f in forward mode (the "dual program": a tangent statement beside each
primal statement) and in reverse mode (the primal sweep, then the adjoints in reverse order), then the
derivatives at a point, checked against the analytic ones: df/dx1 = x2 + cos(x1), df/dx2 = x1.

    python examples/lecture.py
"""
from __future__ import annotations

import math
import sys

from numpy import sin

import sct


def f(x1, x2):
    w3 = x1 * x2
    w4 = sin(x1)
    w5 = w3 + w4
    return w5


def analytic_gradient(x1: float, x2: float) -> tuple[float, float]:
    """The derivative worked out by hand."""
    return x2 + math.cos(x1), x1


def main(x1: float = 1.5, x2: float = 0.5) -> int:
    """Print the emitted sources and the derivatives at (x1, x2); 0 if they match the analytic ones."""
    forward = sct.forward(f, wrt=("x1", "x2"))
    reverse = sct.reverse(f, wrt=("x1", "x2"))
    for title, derivative in (("Forward mode (tangents)", forward), ("Reverse mode (adjoints)", reverse)):
        source = derivative.source  # the whole module; diff_f comes last, after any runtime helpers
        print(f"# {title}")
        print(source[source.index("def diff_f"):])
    value, dx1 = forward(x1, x2, 1.0, 0.0)
    _, dx2 = forward(x1, x2, 0.0, 1.0)
    _, (bar1, bar2) = reverse(x1, x2)
    exact = analytic_gradient(x1, x2)
    print(f"f({x1}, {x2}) = {value:.15g}")
    print(f"{'':8}{'forward':>20}{'reverse':>20}{'analytic':>20}")
    rows = (("df/dx1", dx1, bar1, exact[0]), ("df/dx2", dx2, bar2, exact[1]))
    for name, tangent, adjoint, truth in rows:
        print(f"{name:8}{tangent:20.15g}{adjoint:20.15g}{truth:20.15g}")
    agree = all(math.isclose(t, e, rel_tol=1e-14) and math.isclose(a, e, rel_tol=1e-14)
                for _, t, a, e in rows)
    print("forward, reverse and analytic derivatives agree" if agree else "MISMATCH")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main(*map(float, sys.argv[1:3])))
