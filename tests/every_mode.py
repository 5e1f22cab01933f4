"""One function, every mode, against Richardson-extrapolated central differences (tests/oracle.py).

``check_every_mode(f, g, x, *rest)``: ``f(x, *rest)`` is an array-valued function of ``x``, ``g`` a scalar
one; forward and reverse mode, grad, both Jacobians (asserted vectorised: one sweep, no per-direction
loop or fallback), the Hessian (vectorised too) and both Hessian-vector products are compared with
differences of ``f`` and of the gradient of ``g``, and so is ``sct.grad_and_hvp`` (also against ``sct.grad``
and ``sct.hvp``); ``second_order=False`` stops at the gradient.
"""
from __future__ import annotations

import numpy as np
from oracle import relative_error, richardson_difference

import sct
from sct.runtime import owned_input

NUMERIC = 1e-7


def _direction(rng, shape):
    return rng.standard_normal(shape)


def check_every_mode(f, g, x, *rest, seed: int = 0, second_order: bool = True) -> None:
    rng = np.random.default_rng(seed)
    args = (x,) + rest
    value = f(*owned_input(args))  # copies: f may write into its arguments
    v = _direction(rng, np.shape(x))
    along = richardson_difference(f, args, {0: v})

    out, tangent = sct.forward(f, wrt="x")(*args, v)
    assert relative_error(out, value) < 1e-12 and np.shape(tangent) == np.shape(value)
    assert relative_error(tangent, along) < NUMERIC, f"forward: {tangent} vs {along}"

    u = _direction(rng, np.shape(value))
    out, x_bar = sct.reverse(f, wrt="x")(*args, seed=u)
    assert np.shape(x_bar) == np.shape(x)
    lhs, rhs = float(np.sum(x_bar * v)), float(np.sum(u * along))
    assert abs(lhs - rhs) <= NUMERIC * max(1.0, abs(rhs)), f"reverse: {lhs} vs {rhs}"

    for mode in ("forward", "reverse"):
        jacobian = sct.jacobian(f, wrt="x", mode=mode)
        jac = jacobian(*args)
        assert jacobian.vectorized and jacobian.note == "", f"jacobian ({mode}): {jacobian.note}"
        product = np.tensordot(jac, v, axes=np.ndim(x))
        assert relative_error(product, along) < NUMERIC, f"jacobian ({mode}): {product} vs {along}"

    gradient = sct.grad(g, wrt="x")
    numeric = richardson_difference(lambda *a: gradient(*a), args, {0: v})
    assert relative_error(gradient(*args), richardson_grad(g, args)) < NUMERIC, "grad"
    if not second_order:
        return
    for method in ("forward-over-reverse", "reverse-over-forward"):
        product = sct.hvp(g, wrt="x", method=method)(*args, v)
        assert relative_error(product, numeric) < 1e-6, f"hvp ({method}): {product} vs {numeric}"
    check_grad_and_hvp(g, args, v, numeric, richardson_grad(g, args))
    hessian = sct.hessian(g, wrt="x")
    hess = hessian(*args)
    assert hessian.vectorized and hessian.note == "", f"hessian: {hessian.note}"
    n = np.size(x)
    product = np.asarray(hess).reshape(n, n) @ np.ravel(v)
    assert relative_error(product, np.ravel(numeric)) < 1e-6, f"hessian: {product} vs {numeric}"


def check_grad_and_hvp(g, args, v, numeric, numeric_gradient, wrt: str = "x", index: int = 0) -> None:
    """``sct.grad_and_hvp`` of the scalar ``g`` at ``args`` along ``v`` (``args[index]`` is ``wrt``): its
    gradient against ``numeric_gradient`` and ``sct.grad``, its product against ``numeric`` (differences of
    the gradient along ``v``) and ``sct.hvp``, both shaped like the argument."""
    gradient, product = sct.grad_and_hvp(g, wrt=wrt)(*args, v)
    shape = np.shape(args[index])
    assert np.shape(gradient) == shape and np.shape(product) == shape, "grad_and_hvp: shapes"
    assert relative_error(gradient, numeric_gradient) < NUMERIC, f"grad_and_hvp: {gradient} vs differences"
    assert relative_error(gradient, sct.grad(g, wrt=wrt)(*args)) < 1e-12, "grad_and_hvp: gradient vs grad"
    assert relative_error(product, numeric) < 1e-6, f"grad_and_hvp: {product} vs {numeric}"
    assert relative_error(product, sct.hvp(g, wrt=wrt)(*args, v)) < 1e-12, "grad_and_hvp: product vs hvp"


def richardson_grad(g, args) -> np.ndarray:
    """The gradient of the scalar ``g`` in its first argument, one difference per entry."""
    x = np.asarray(args[0], dtype=float)
    rows = [richardson_difference(g, args, {0: e.reshape(x.shape)}) for e in np.eye(x.size)]
    return np.reshape(rows, x.shape)
