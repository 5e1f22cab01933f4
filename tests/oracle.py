"""Independent oracles for derivative tests: central differences, complex step, and mode agreement.

``check_both_modes`` checks one argument; ``check_rule`` checks every differentiable (float) argument of a
call one at a time and then all of them at once, so a test table only lists ``(function, args)``.
"""
from __future__ import annotations

import numpy as np

import sct


def is_differentiable(value) -> bool:
    """Float (or complex) data gets derivatives; integers and booleans never do."""
    return np.asarray(value).dtype.kind in "fc"


def step_for(dtype) -> float:
    """Central-difference step for data of ``dtype``: the cube root of its epsilon (float64 for integers)."""
    dtype = np.dtype(dtype)
    return float(np.cbrt(np.finfo(dtype if dtype.kind == "f" else float).eps))


def central_difference(f, args, index, direction, step=None):
    """Directional derivative of ``f`` along ``direction`` in argument ``index`` by central differences.

    The step is scaled to the argument and to its dtype's cube-root epsilon, which balances truncation and
    rounding error for a second-order formula.
    """
    original = np.asarray(args[index])
    dtype = original.dtype if original.dtype.kind == "f" else np.dtype(float)
    x = original.astype(dtype)
    if step is None:
        step = step_for(dtype) * max(1.0, float(np.max(np.abs(x))) if x.size else 1.0)
    plus = list(args)
    minus = list(args)
    plus[index] = (x + step * direction).astype(dtype)
    minus[index] = (x - step * direction).astype(dtype)
    hi = f(*plus)
    lo = f(*minus)
    if isinstance(hi, tuple):
        return tuple((np.asarray(a) - np.asarray(b)) / (2 * step) for a, b in zip(hi, lo))
    return (np.asarray(hi, dtype=float) - np.asarray(lo, dtype=float)) / (2 * step)


def complex_step(f, args, index, direction, h=1e-30):
    """Directional derivative by the complex step: exact to rounding for real-analytic ``f``."""
    z = list(args)
    z[index] = np.asarray(args[index], dtype=complex) + 1j * h * direction
    return np.imag(f(*z)) / h


def tolerances(dtype) -> tuple:
    """(central-difference rtol, mode-agreement rtol) for data of ``dtype``.

    Central differences with the cube-root step are good to about ``eps ** (2/3)``; forward and reverse mode
    compute the same sums in different orders, so they agree to a few hundred ``eps``.
    """
    eps = np.finfo(np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(float)).eps
    return max(1e-6, 50 * eps ** (2 / 3)), max(1e-9, 1e3 * eps)


def relative_error(a, b) -> float:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return float(np.max(np.abs(a - b)) / scale) if a.size else 0.0


def parameter_names(f) -> tuple:
    return f.__code__.co_varnames[:f.__code__.co_argcount]


def _tangent_like(x, v):
    """A tangent for argument ``x``: a Python float for a Python scalar, else an array of its shape."""
    if np.ndim(x) == 0 and not isinstance(x, np.ndarray):
        return float(v)
    return np.asarray(v).reshape(np.shape(x))


def check_both_modes(f, args, wrt_index=0, rtol=None, seed=0, complex_ok=False):
    """Forward, reverse, central differences (and the complex step) must agree on random directions.

    ``rtol`` (for central differences) and the agreement of the modes default to the argument's dtype
    (see ``tolerances``). Returns the forward tangent so tests can add their own checks.
    """
    numeric_rtol, agreement = tolerances(np.asarray(args[wrt_index]).dtype)
    rtol = numeric_rtol if rtol is None else rtol
    rng = np.random.default_rng(seed)
    wrt = parameter_names(f)[wrt_index]
    x = np.asarray(args[wrt_index], dtype=float)
    v = rng.standard_normal(x.shape)
    value = f(*args)
    u = rng.standard_normal(np.shape(value))
    df = sct.forward(f, wrt=wrt)
    out, tangent = df(*args, _tangent_like(args[wrt_index], v))
    assert np.allclose(out, value, rtol=1e-12, atol=1e-12, equal_nan=True)
    assert np.shape(tangent) == np.shape(value), (np.shape(tangent), np.shape(value))
    numeric = central_difference(f, args, wrt_index, v)
    assert relative_error(tangent, numeric) < rtol, (tangent, numeric)
    if complex_ok:
        exact = complex_step(f, args, wrt_index, v)
        assert relative_error(tangent, exact) < 1e-9, (tangent, exact)
    bf = sct.reverse(f, wrt=wrt)
    out2, adjoint = bf(*args, seed=u if np.ndim(value) else float(u))
    assert np.allclose(out2, value, rtol=1e-12, atol=1e-12, equal_nan=True)
    assert np.shape(adjoint) == x.shape, (np.shape(adjoint), x.shape)
    assert np.all(np.isfinite(adjoint)), adjoint
    lhs = float(np.sum(np.asarray(adjoint) * v))
    rhs = float(np.sum(u * np.asarray(tangent)))
    assert abs(lhs - rhs) <= agreement * max(1.0, abs(lhs), abs(rhs)), (lhs, rhs)
    return tangent


def check_rule(f, args, rtol=None, complex_ok=False, seed=0, wrt=None):
    """Check every float argument of ``f(*args)`` alone (see ``check_both_modes``), then all together.

    Together: forward mode with one tangent per argument is the sum of the single-argument tangents, and
    reverse mode returns one adjoint per argument in that argument's shape, passing the dot-product test.
    Integer and boolean arguments are never differentiated.
    """
    names = parameter_names(f)
    indices = list(wrt) if wrt is not None else [i for i, a in enumerate(args) if is_differentiable(a)]
    assert indices, "nothing to differentiate"
    for index in indices:
        check_both_modes(f, args, index, rtol=rtol, seed=seed + index, complex_ok=complex_ok)
    if len(indices) < 2:
        return
    dtype = np.result_type(*[np.asarray(args[i]).dtype for i in indices])
    numeric_rtol, agreement = tolerances(dtype)
    rtol = numeric_rtol if rtol is None else rtol
    rng = np.random.default_rng(seed + 100)
    value = f(*args)
    directions = [rng.standard_normal(np.shape(args[i])) for i in indices]
    tangents = [_tangent_like(args[i], v) for i, v in zip(indices, directions)]
    wrt_names = tuple(names[i] for i in indices)
    _, tangent = sct.forward(f, wrt=wrt_names)(*args, *tangents)
    expected = sum(np.asarray(central_difference(f, args, i, v)) for i, v in zip(indices, directions))
    assert relative_error(tangent, expected) < rtol, (tangent, expected)
    u = rng.standard_normal(np.shape(value))
    out, adjoints = sct.reverse(f, wrt=wrt_names)(*args, seed=u if np.ndim(value) else float(u))
    assert np.allclose(out, value, rtol=1e-12, atol=1e-12, equal_nan=True)
    assert len(adjoints) == len(indices)
    for i, adjoint in zip(indices, adjoints):
        assert np.shape(adjoint) == np.shape(args[i]), (names[i], np.shape(adjoint), np.shape(args[i]))
    lhs = sum(float(np.sum(np.asarray(a) * v)) for a, v in zip(adjoints, directions))
    rhs = float(np.sum(u * np.asarray(tangent)))
    assert abs(lhs - rhs) <= agreement * max(1.0, abs(lhs), abs(rhs)), (lhs, rhs)


def richardson_difference(f, args, directions, step=1e-3, levels=2):
    """Directional derivative of ``f(*args)`` along ``directions`` ({argument index: direction}), moving
    those arguments together, by central differences with Richardson extrapolation.

    Central differences at steps ``step / 2**k`` (k = 0..levels) have errors in even powers of the step;
    each extrapolation level removes the leading one, so two levels leave an ``O(step**6)`` error and the
    step can stay large enough for rounding not to matter (about ``eps / step``). ``step`` is scaled to
    the largest perturbed argument. Tuple outputs give a tuple of derivatives.
    """
    scale = max([1.0] + [float(np.max(np.abs(args[i]))) for i in directions if np.size(args[i])])

    def difference(h):
        plus, minus = list(args), list(args)
        for i, v in directions.items():
            x = np.asarray(args[i], dtype=float)
            plus[i] = _like(args[i], x + h * v)
            minus[i] = _like(args[i], x - h * v)
        hi, lo = f(*plus), f(*minus)
        if isinstance(hi, tuple):
            return tuple((np.asarray(a, dtype=float) - np.asarray(b, dtype=float)) / (2 * h)
                         for a, b in zip(hi, lo))
        return (np.asarray(hi, dtype=float) - np.asarray(lo, dtype=float)) / (2 * h)

    table = [difference(step * scale / 2 ** k) for k in range(levels + 1)]
    for level in range(1, levels + 1):
        factor = 4.0 ** level
        table = [_combine(fine, coarse, factor) for coarse, fine in zip(table, table[1:])]
    return table[0]


def _combine(fine, coarse, factor):
    if isinstance(fine, tuple):
        return tuple(_combine(a, b, factor) for a, b in zip(fine, coarse))
    return (factor * fine - coarse) / (factor - 1.0)


def _like(original, value):
    """``value`` in the container of ``original``: a Python float stays a float."""
    if isinstance(original, float):
        return float(value)
    return np.asarray(value).reshape(np.shape(original))
