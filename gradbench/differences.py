"""Richardson-extrapolated divided differences: the derivative references that need no AD tool.

With ``D(h) = (f(x + h e) - f(x - h e)) / 2h``, ``(4 D(h/2) - D(h)) / 3`` has error ``O(h^4)``; the
second difference ``(f(x + h e) - 2 f(x) + f(x - h e)) / h^2`` is extrapolated the same way. The step
is ``h = 1e-3 * max(1, |x_i|)``: small against the curvature of the evals' functions, large enough
that rounding stays far below GradBench's tolerance.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np

Scalar = Callable[[np.ndarray], float]
Vector = Callable[[np.ndarray], np.ndarray]


def coordinates(size: int, limit: Optional[int], seed: int = 0) -> np.ndarray:
    """All ``size`` coordinates, or ``limit`` of them drawn without repetition (sorted)."""
    if limit is None or size <= limit:
        return np.arange(size)
    return np.sort(np.random.default_rng(seed).choice(size, size=limit, replace=False))


def _step(x: np.ndarray, i: int) -> float:
    return 1e-3 * max(1.0, abs(float(x[i])))


def _shifted(x: np.ndarray, i: int, h: float) -> np.ndarray:
    y = x.copy()
    y[i] += h
    return y


def _value(f: Vector, x: np.ndarray) -> np.ndarray:
    return np.asarray(f(x), dtype=np.float64)


def jacobian_columns(f: Vector, x: np.ndarray, which: Sequence[int]) -> np.ndarray:
    """Columns ``which`` of the Jacobian of ``f`` (flat vector in, flat vector out) at flat ``x``."""
    columns = []
    for i in which:
        h = _step(x, i)
        central = [(_value(f, _shifted(x, i, s)) - _value(f, _shifted(x, i, -s))) / (2 * s)
                   for s in (h, h / 2)]
        columns.append((4 * central[1] - central[0]) / 3)
    return np.stack(columns, axis=-1)


def gradient(f: Scalar, x: np.ndarray, which: Sequence[int]) -> np.ndarray:
    """Entries ``which`` of the gradient of the scalar ``f`` at flat ``x``."""
    return jacobian_columns(lambda y: np.atleast_1d(f(y)), x, which)[0]


def second_derivatives(f: Scalar, x: np.ndarray, which: Sequence[int]) -> np.ndarray:
    """Entries ``which`` of the diagonal of the Hessian of the scalar ``f`` at flat ``x``."""
    fx = float(f(x))
    out = []
    for i in which:
        h = _step(x, i)
        second = [(float(f(_shifted(x, i, s))) - 2 * fx + float(f(_shifted(x, i, -s)))) / s ** 2
                  for s in (h, h / 2)]
        out.append((4 * second[1] - second[0]) / 3)
    return np.array(out)
