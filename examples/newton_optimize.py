"""Newton's method for minimisation with sct's gradient and Hessian: the Rosenbrock valley.

f(x) = sum(100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2) has its minimum 0 at x = (1, ..., 1) at the end of a
long curved valley, where gradient descent crawls. Newton's method solves H(x) p = -g(x) each step, with
g from sct's reverse mode and H from sct's vector forward mode over that reverse-mode code (one sweep
for the whole Hessian). A backtracking line search keeps the steps downhill far from the minimum, and a
shift keeps H positive definite where the valley curves the wrong way; near the minimum the full Newton
step is taken and convergence is quadratic (the gradient norm roughly squares each step).

    python examples/newton_optimize.py [n] [--source]

``n`` is the dimension (default 2, starting from the classic (-1.2, 1, 0, ..., 0)); from 4 dimensions on
the function also has a local minimum near (-1, 1, ..., 1), which Newton's method may find instead.
``--source`` prints the emitted second-order code.
"""
from __future__ import annotations

import sys

import numpy as np

import sct


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def newton(f, x0, tol: float = 1e-10, max_steps: int = 100):
    """Minimise ``f`` from ``x0`` by damped Newton steps; returns the iterates as (x, f, |g|, step)."""
    grad = sct.grad(f)
    hessian = sct.hessian(f)
    x = np.asarray(x0, dtype=float)
    history = []
    for _ in range(max_steps):
        value, g = f(x), grad(x)
        history.append((x.copy(), value, float(np.linalg.norm(g)), 0.0))
        if np.linalg.norm(g) <= tol:
            break
        H = hessian(x)
        shift = 0.0
        while True:  # smallest shift of the spectrum (0 if none) that makes the Cholesky factor exist
            try:
                L = np.linalg.cholesky(H + shift * np.eye(x.size))
                break
            except np.linalg.LinAlgError:
                shift = max(2 * shift, 1e-3 * max(1.0, np.abs(H).max()))
        p = -np.linalg.solve(L.T, np.linalg.solve(L, g))
        t = 1.0
        while f(x + t * p) > value + 1e-4 * t * (g @ p) and t > 1e-12:
            t *= 0.5
        x = x + t * p
        history[-1] = history[-1][:3] + (t,)
    return history


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv and argv[0].isdigit() else 2
    x0 = np.array([-1.2, 1.0] + [0.0] * (n - 2)) if n >= 2 else np.array([-1.2])
    print(f"Newton's method on the {n}-dimensional Rosenbrock function from {x0}")
    print(f"{'k':>3}  {'f(x)':>12}  {'|grad f(x)|':>12}  {'step':>7}  x")
    history = newton(rosenbrock, x0)
    for k, (x, value, gnorm, step) in enumerate(history):
        shown = np.array2string(x, precision=6, floatmode="fixed", max_line_width=200)
        taken = f"{step:7.4f}" if k < len(history) - 1 else f"{'-':>7}"
        print(f"{k:3d}  {value:12.4e}  {gnorm:12.4e}  {taken}  {shown}")
    x, value, gnorm, _ = history[-1]
    hessian = sct.hessian(rosenbrock)
    eigenvalues = np.linalg.eigvalsh(hessian(x))
    at_one = np.allclose(x, 1.0, atol=1e-8)
    where = "the global minimum (1, ..., 1)" if at_one else f"a local minimum, f = {value:.4f}"
    print(f"{where} at {np.array2string(x, precision=10)} after {len(history) - 1} Newton steps")
    v = np.linspace(1.0, 2.0, n)
    agree = np.allclose(sct.hvp(rosenbrock)(x, v), hessian(x) @ v)
    print(f"Hessian there: eigenvalues {np.array2string(eigenvalues, precision=4)} (all positive: "
          f"{bool(np.all(eigenvalues > 0))}); hvp agrees with H @ v: {agree}; one vectorised sweep: "
          f"{hessian.vectorized}")
    if "--source" in argv:
        print(hessian.source)
    return 0 if gnorm <= 1e-10 and np.all(eigenvalues > 0) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
