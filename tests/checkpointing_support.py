"""The point and the oracle shared by the checkpointing tests (tests/test_checkpointing_*.py)."""
import numpy as np

X = np.linspace(0.1, 0.5, 5)


def central(f, x, h=1e-6):
    """Central differences of the scalar ``f`` at ``x``, one entry at a time."""
    grad = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad
