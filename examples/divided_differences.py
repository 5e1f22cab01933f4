"""Divided differences against the exact derivative: why step size matters, and why AD has none.

For f(x) = x**3 at x = 1, sct's forward mode gives f'(1) = 3 exactly. The forward difference
(f(x+h) - f(x)) / h has truncation error ~ 3h and rounding error ~ eps/h, so its error is smallest near
h ~ sqrt(eps) ~ 1e-8; the central difference (f(x+h) - f(x-h)) / 2h has truncation error ~ h**2, best
near h ~ eps**(1/3) ~ 1e-5. Below h ~ 1e-16, x + h rounds to x and both differences collapse to 0.
Prints the errors for h = 1e-1 ... 1e-16 and plots them (log-log) to a PNG when matplotlib is available,
with the error of sct's derivative: zero at x = 1, and never above the rounding level eps * |f'(x)|.

    python examples/divided_differences.py [plot.png]     # default: divided_differences.png
"""
from __future__ import annotations

import sys

import numpy as np

import sct


def f(x):
    return x**3


def errors(x: float, steps: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """(exact derivative from sct, forward-difference errors, central-difference errors) at ``x``."""
    _, exact = sct.forward(f)(x, 1.0)
    forward = np.array([abs((f(x + h) - f(x)) / h - exact) for h in steps])
    central = np.array([abs((f(x + h) - f(x - h)) / (2 * h) - exact) for h in steps])
    return float(exact), forward, central


def plot(steps: np.ndarray, forward: np.ndarray, central: np.ndarray, exact: float, path: str) -> bool:
    """Save the log-log error plot to ``path``; False when matplotlib is not installed."""
    try:
        import plotting

        plt = plotting.pyplot()
    except ImportError:
        return False
    eps = np.finfo(float).eps
    floor = eps * abs(exact) / 10  # an exact zero error is drawn here, below the rounding level
    fig, ax = plt.subplots(figsize=(7, 5.2))
    ax.loglog(steps, np.maximum(forward, floor), "o-", label="forward difference (f(x+h) - f(x)) / h")
    ax.loglog(steps, np.maximum(central, floor), "s-", label="central difference (f(x+h) - f(x-h)) / 2h")
    sct_error = abs(exact - 3.0)
    ax.axhline(eps * abs(exact), color="black", ls="--", lw=1, label="rounding level eps \u00b7 |f'(x)|")
    ax.axhline(max(sct_error, floor), color="green", lw=2.5,
               label=f"sct forward mode: error {sct_error:.1g} at every h (no step)")
    ax.set_xlabel("step h")
    ax.set_ylabel("|error| against f'(1) = 3")
    ax.set_title("Divided differences against AD: f(x) = x\u00b3 at x = 1")
    ax.invert_xaxis()
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2)
    fig.tight_layout()
    plotting.save(fig, path, dpi=80)
    return True


def main(path: str = "divided_differences.png") -> int:
    """Print the error table, save the plot; 0 if the best steps are where theory puts them."""
    steps = 10.0 ** -np.arange(1, 17)
    exact, forward, central = errors(1.0, steps)
    print(f"f(x) = x**3, x = 1: sct forward mode gives f'(1) = {exact!r}")
    print(f"{'h':>8}  {'forward error':>14}  {'central error':>14}")
    for h, fe, ce in zip(steps, forward, central):
        print(f"{h:8.0e}  {fe:14.3e}  {ce:14.3e}")
    best_forward, best_central = steps[np.argmin(forward)], steps[np.argmin(central)]
    eps = np.finfo(float).eps
    print(f"smallest error: forward at h = {best_forward:.0e} (sqrt(eps) = {np.sqrt(eps):.1e}), "
          f"central at h = {best_central:.0e} (eps**(1/3) = {np.cbrt(eps):.1e})")
    plotted = plot(steps, forward, central, exact, path)
    print(f"saved {path}" if plotted else "matplotlib not installed: no plot")
    expected = exact == 3.0 and 1e-10 <= best_forward <= 1e-6 and 1e-7 <= best_central <= 1e-3
    return 0 if expected else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
