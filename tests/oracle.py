"""Independent oracles for derivative tests: central differences, complex step, and mode agreement."""
from __future__ import annotations

import numpy as np

import sct


def central_difference(f, args, index, direction, step=None):
    """Directional derivative of ``f`` along ``direction`` in argument ``index`` by central differences.

    The step is scaled to the argument and to float64's cube-root epsilon, which balances truncation and
    rounding error for a second-order formula.
    """
    x = np.asarray(args[index], dtype=float)
    if step is None:
        step = np.cbrt(np.finfo(float).eps) * max(1.0, float(np.max(np.abs(x))) if x.size else 1.0)
    plus = list(args)
    minus = list(args)
    plus[index] = x + step * direction
    minus[index] = x - step * direction
    hi = f(*plus)
    lo = f(*minus)
    if isinstance(hi, tuple):
        return tuple((np.asarray(a) - np.asarray(b)) / (2 * step) for a, b in zip(hi, lo))
    return (np.asarray(hi) - np.asarray(lo)) / (2 * step)


def complex_step(f, args, index, direction, h=1e-30):
    """Directional derivative by the complex step: exact to rounding for real-analytic ``f``."""
    z = list(args)
    z[index] = np.asarray(args[index], dtype=complex) + 1j * h * direction
    return np.imag(f(*z)) / h


def relative_error(a, b) -> float:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return float(np.max(np.abs(a - b)) / scale) if a.size else 0.0


def check_both_modes(f, args, wrt_index=0, rtol=1e-6, seed=0, complex_ok=False):
    """Forward, reverse, central differences (and the complex step) must agree on random directions.

    Returns the forward tangent so tests can add their own checks.
    """
    rng = np.random.default_rng(seed)
    names = f.__code__.co_varnames[:f.__code__.co_argcount]
    wrt = names[wrt_index]
    x = np.asarray(args[wrt_index], dtype=float)
    v = rng.standard_normal(x.shape)
    value = f(*args)
    u = rng.standard_normal(np.shape(value))
    df = sct.forward(f, wrt=wrt)
    fwd_args = list(args)
    out, tangent = df(*fwd_args, v if x.ndim else float(v))
    assert np.allclose(out, value, rtol=1e-12, atol=1e-12)
    assert np.shape(tangent) == np.shape(value), (np.shape(tangent), np.shape(value))
    numeric = central_difference(f, args, wrt_index, v)
    assert relative_error(tangent, numeric) < rtol, (tangent, numeric)
    if complex_ok:
        exact = complex_step(f, args, wrt_index, v)
        assert relative_error(tangent, exact) < 1e-9, (tangent, exact)
    bf = sct.reverse(f, wrt=wrt)
    out2, adjoint = bf(*args, seed=u if np.ndim(value) else float(u))
    assert np.allclose(out2, value, rtol=1e-12, atol=1e-12)
    assert np.shape(adjoint) == x.shape, (np.shape(adjoint), x.shape)
    lhs = float(np.sum(np.asarray(adjoint) * v))
    rhs = float(np.sum(u * np.asarray(tangent)))
    assert abs(lhs - rhs) <= 1e-9 * max(1.0, abs(lhs), abs(rhs)), (lhs, rhs)
    return tangent
