"""Reverse mode over a loop of 10^5 iterations: memory stays proportional to what must be kept."""
import tracemalloc

import numpy as np
from programs.control_flow import long_loop

import sct

N = 100_000


def _reference_gradient(x: float, n: int) -> float:
    s, grad = x, 1.0
    for _ in range(n):
        grad *= 0.999 + 0.001 * np.cos(s)
        s = 0.999 * s + 0.001 * np.sin(s)
    return grad


def test_long_loop_gradient_and_memory():
    derivative = sct.reverse(long_loop, wrt="x")
    derivative(0.3, 10)  # compile outside the measurement
    tracemalloc.start()
    value, grad = derivative(0.3, N)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert value == long_loop(0.3, N)
    assert abs(grad - _reference_gradient(0.3, N)) < 1e-10 * abs(grad)
    # The adjoint of one iteration needs the loop-carried value s (a float) and the sin(s) temporary's
    # input: about two floats per iteration must be kept. A Python float in a list costs ~32 bytes.
    kept = 2 * N * 32
    assert peak < 4 * kept, f"peak {peak / 1e6:.1f} MB for {kept / 1e6:.1f} MB of kept values"
