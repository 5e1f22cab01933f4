"""The API and the emitted module see what the function sees, and change nothing the caller gave
(tests/test_sound_api_*.py).

Tangents, seeds and arguments not written into; unhelpful messages for a missing tangent or an extra
argument; a parameter named seed, complex inputs at higher order, keyword-only parameters.
"""
from __future__ import annotations

import numpy as np
import pytest
from oracle import relative_error

import sct


# ------------------------------------------------------------------------------ inputs left alone
def negate_first(v):
    v[0] = -v[0]
    return np.sum(v * v)


def negate_first_vector(v):
    v[0] = -v[0]
    return v * 2.0


def test_tangents_seeds_and_arguments_are_not_written_into():
    v = np.array([1.0, 0.0, 0.0])
    x = np.array([1.0, 2.0, 3.0])
    value, tangent = sct.forward(negate_first)(x, v)
    assert v.tolist() == [1.0, 0.0, 0.0] and x.tolist() == [1.0, 2.0, 3.0]
    assert value == 14.0 and tangent == 2.0
    seed = np.array([1.0, 0.5, 0.0])
    _, adjoint = sct.reverse(negate_first_vector)(x, seed=seed)
    assert seed.tolist() == [1.0, 0.5, 0.0] and x.tolist() == [1.0, 2.0, 3.0]
    assert adjoint.tolist() == [-2.0, 1.0, 0.0]
    assert sct.grad(negate_first)(x).tolist() == [2.0, 4.0, 6.0] and x.tolist() == [1.0, 2.0, 3.0]


def calls_negate_first(v, w):
    return negate_first(v) * np.sum(w)


def test_inputs_written_by_a_helper_are_copied_too():
    x, w = np.array([1.0, 2.0]), np.array([0.5, 0.5])
    t = np.array([1.0, 0.0])
    value, tangent = sct.forward(calls_negate_first)(x, w, t)
    assert t.tolist() == [1.0, 0.0] and x.tolist() == [1.0, 2.0]
    assert value == 5.0 and tangent == 2.0
    grads = sct.grad(calls_negate_first, wrt="v,w")(x, w)
    assert x.tolist() == [1.0, 2.0]
    assert relative_error(grads[0], [2.0, 4.0]) < 1e-12 and relative_error(grads[1], [5.0, 5.0]) < 1e-12


def test_error_messages_name_the_missing_tangent_or_extra_argument():
    def two(x, lam):
        return x * lam

    with pytest.raises(TypeError, match="tangent x_dot is missing"):
        sct.forward(two)(1.0, 2.0)
    with pytest.raises(TypeError, match="tangent lam_dot is missing"):
        sct.forward(two, wrt="x,lam")(1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match="tangent x_dot, lam_dot are missing"):
        sct.forward(two, wrt="x,lam")(1.0, 2.0)
    with pytest.raises(TypeError, match="extra: 3.0"):
        sct.grad(two)(1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match=r"extra: an array of shape \(2,\)"):
        sct.reverse(two)(1.0, 2.0, np.ones(2))
    assert sct.forward(two)(1.0, 2.0, x_dot=1.0) == (2.0, 2.0)
    assert sct.forward(two)(1.0, lam=2.0, x_dot=1.0) == (2.0, 2.0)


def with_seed_parameter(x, seed):
    return x * seed


def test_a_parameter_named_seed_keeps_its_name():
    assert sct.grad(with_seed_parameter)(2.0, seed=3.0) == 3.0
    assert sct.reverse(with_seed_parameter)(2.0, 3.0, seed_1=2.0) == (6.0, 6.0)


@pytest.mark.parametrize("make", [sct.hessian, sct.jacobian, sct.hvp])
def test_higher_derivatives_refuse_complex_inputs(make):
    extra = (np.ones(2),) if make is sct.hvp else ()
    with pytest.raises(TypeError, match="argument 'x' is complex"):
        make(square_sum)(np.array([1.0 + 1j, 2.0]), *extra)


def square_sum(x):
    return np.sum(x * x)


def keyword_only(x, *, k=2.0):
    return np.sum(x ** 2 * k)


def test_keyword_only_parameters_and_the_seed():
    x = np.array([1.0, -2.0])
    assert sct.reverse(keyword_only)(x, seed=2.0)[1].tolist() == [8.0, -16.0]
    assert sct.grad(keyword_only)(x, k=3.0).tolist() == [6.0, -12.0]
    assert sct.forward(keyword_only)(x, np.ones(2), k=3.0)[1] == -6.0
    assert sct.grad(keyword_only, wrt="k")(x) == 5.0
