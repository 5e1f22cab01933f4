"""Every elementwise rule (operators, math, numpy ufuncs) against central differences, the complex step
and the other mode, on tables of ``(function, args)``: analytic, piecewise, in single precision, and the
piecewise constant ones whose derivative is exactly zero."""
from __future__ import annotations

import numpy as np
import pytest
from elementwise_cases import (
    ANALYTIC,
    NONANALYTIC,
    M,
    P,
    X,
    ceil,
    chain,
    clip,
    div,
    exp,
    floor,
    log,
    maximum,
    minimum,
    mul,
    np_abs,
    pow_both,
    round_,
    sign,
    sin,
    sqrt,
    tanh,
    where_compare,
)
from oracle import check_rule

import sct


def _id(case) -> str:
    f, args = case
    return f"{f.__name__}-" + "-".join("x".join(map(str, np.shape(a))) or type(a).__name__ for a in args)


@pytest.mark.parametrize("case", ANALYTIC, ids=_id)
def test_analytic(case):
    f, args = case
    check_rule(f, args, complex_ok=True)


@pytest.mark.parametrize("case", NONANALYTIC, ids=_id)
def test_piecewise(case):
    f, args = case
    check_rule(f, args)


X32, P32 = X.astype(np.float32), P.astype(np.float32)
SINGLE = [(sin, (X32,)), (exp, (X32,)), (log, (P32,)), (tanh, (X32,)), (mul, (X32, P32)), (div, (X32, P32)),
          (pow_both, (P32, X32)), (maximum, (X32, P32 - 1)), (minimum, (X32, P32 - 1)), (clip, (X32,)),
          (where_compare, (X32, P32)), (chain, (X32, P32)), (sqrt, (P32,)), (np_abs, (X32,))]


@pytest.mark.parametrize("case", SINGLE, ids=_id)
def test_single_precision(case):
    """float32 data: central differences with float32's step and tolerances (see ``oracle.tolerances``)."""
    f, args = case
    check_rule(f, args)
    _, tangent = sct.forward(f)(*args, np.ones_like(args[0]))
    assert np.asarray(tangent).dtype == np.float32


ZERO_DERIVATIVE = [(sign, X), (floor, M), (ceil, X), (round_, X)]


@pytest.mark.parametrize("f, x", ZERO_DERIVATIVE, ids=lambda c: getattr(c, "__name__", ""))
def test_zero_derivative(f, x):
    """sign, floor, ceil, round: piecewise constant, so the derivative is exactly zero (not an error)."""
    value, tangent = sct.forward(f)(x, np.ones_like(x))
    np.testing.assert_array_equal(value, f(x))
    np.testing.assert_array_equal(tangent, np.zeros_like(x))
    value, adjoint = sct.reverse(f)(x, seed=np.ones_like(x))
    assert np.shape(adjoint) == np.shape(x)
    np.testing.assert_array_equal(adjoint, np.zeros_like(x))
