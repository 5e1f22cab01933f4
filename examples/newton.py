"""Newton's method for f(x) = 0 with the derivative from sct's forward mode.

Newton's own example, f(x) = x**3 - 2x - 5, from x0 = 3: each step x <- x - f(x)/f'(x) takes f and f'
from one call of the emitted forward derivative (value and tangent together). Convergence is quadratic:
the error roughly squares each step, and |e_k| / |e_{k-1}|**2 tends to |f''(r) / 2 f'(r)|.

    python examples/newton.py [x0]
"""
from __future__ import annotations

import sys
from decimal import Decimal, getcontext

import numpy as np

import sct

EPS = np.finfo(float).eps


def f(x):
    return x**3 - 2 * x - 5


def newton(x0: float, max_steps: int = 20) -> list[float]:
    """The Newton iterates from ``x0`` until f(x) is zero up to the rounding error of evaluating it."""
    df = sct.forward(f)
    iterates = [x0]
    for _ in range(max_steps):
        x = iterates[-1]
        value, slope = df(x, 1.0)
        if abs(value) <= 4 * EPS * (abs(x) ** 3 + 2 * abs(x) + 5):
            break
        iterates.append(x - value / slope)
    return iterates


def exact_root() -> float:
    """The real root by Cardano's formula, in 30-digit decimal arithmetic."""
    getcontext().prec = 30
    q = (Decimal(25) / 4 - Decimal(8) / 27).sqrt()
    third = Decimal(1) / 3
    return float((Decimal(5) / 2 + q) ** third + (Decimal(5) / 2 - q) ** third)


def main(x0: float = 3.0) -> int:
    """Print the iterations and the quadratic-convergence ratio; 0 if Newton converged to the real root."""
    root = exact_root()
    limit = abs(6 * root / (2 * (3 * root**2 - 2)))  # |f''(r) / 2 f'(r)|
    iterates = newton(x0)
    print(f"Newton's method for f(x) = x**3 - 2x - 5 from x0 = {x0}, f' by sct forward mode")
    print(f"{'k':>2}  {'x_k':>22}  {'f(x_k)':>10}  {'|e_k|':>9}  {'|e_k|/|e_k-1|^2':>15}")
    previous = None
    for k, x in enumerate(iterates):
        error = abs(x - root)
        ratio = f"{error / previous**2:15.4f}" if previous and error > 1e-12 else ""
        print(f"{k:2d}  {x:22.17f}  {f(x):10.2e}  {error:9.2e}  {ratio}".rstrip())
        previous = error
    print(f"root r = {root:.17f}; |f''(r) / 2 f'(r)| = {limit:.4f}, the limit of the ratio")
    converged = abs(iterates[-1] - root) <= 4 * EPS * abs(root)
    print(f"converged in {len(iterates) - 1} steps" if converged else "did not converge")
    return 0 if converged else 1


if __name__ == "__main__":
    sys.exit(main(*map(float, sys.argv[1:2])))
