"""Composite numpy functions (sct/rules/lowering.py) in every mode, at ranks 1 to 3.

Each composite is differentiated as the primitives numpy computes it with; the values must equal numpy's
exactly, and every derivative (forward, reverse, both Jacobians vectorised, Hessian, hvp) must match
central differences (tests/every_mode.py).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def hstack(x):
    return np.hstack([x, np.sin(x)])


def hstack_scalar_first(x):
    return np.hstack((x[0], x * 2.0, np.cos(x[-1])))


def vstack(x):
    return np.vstack([x, x * x])


def row_stack(x):
    return np.row_stack([x, np.exp(x)])


def dstack(x):
    return np.dstack((np.cos(x), x))


def column_stack(x):
    return np.column_stack([x ** 2, x])


def fliplr(x):
    return np.fliplr(x * x)


def flipud(x):
    return np.flipud(np.sin(x))


def deg2rad(x):
    return np.deg2rad(x * x)


def radians(x):
    return np.radians(x) * x


def rad2deg(x):
    return np.rad2deg(np.sin(x))


def degrees(x):
    return np.degrees(x) ** 2


def matrix_transpose(x):
    return np.matrix_transpose(x) * 2.0


def permute_dims(x):
    return np.permute_dims(x * x, (1, 0) if np.ndim(x) == 2 else (2, 0, 1))


def delete(x):
    flat = np.delete(x, [0, 2])
    if np.ndim(x) == 1:
        return flat * np.delete(x, -1)[0]
    return np.delete(np.delete(x, 0, axis=0), 1, axis=-1) * flat[1]


def _scalar(f):
    def total(x):
        return np.sum(f(x) ** 2) * 0.5
    return total


RANKS = [(3,), (2, 3), (2, 3, 2)]
EVERY_RANK = (hstack, vstack, dstack, column_stack, flipud, deg2rad, radians, rad2deg, degrees)
CASES = [(f, shape) for f in EVERY_RANK for shape in RANKS]
CASES += [(delete, shape) for shape in RANKS]
CASES += [(hstack_scalar_first, (3,)), (fliplr, (2, 3)), (fliplr, (2, 3, 2)), (matrix_transpose, (2, 3)),
          (matrix_transpose, (2, 3, 2)), (permute_dims, (2, 3)), (permute_dims, (2, 3, 2))]
for _f in {f for f, _ in CASES}:
    globals()[_f.__name__ + "_total"] = _scalar(_f)


@pytest.mark.parametrize("f,shape", CASES, ids=[f"{f.__name__}-{len(s)}d" for f, s in CASES])
def test_composite_in_every_mode(f, shape):
    x = np.random.default_rng(len(shape)).standard_normal(shape)
    out, _ = sct.forward(f)(x, np.ones(shape))
    assert np.array_equal(out, f(x)) and np.shape(out) == np.shape(f(x))
    check_every_mode(f, globals()[f.__name__ + "_total"], x)


@pytest.mark.parametrize("shape", RANKS)
def test_row_stack_is_vstack(shape):
    x = np.random.default_rng(0).standard_normal(shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # numpy 2 deprecates the name
        expected = row_stack(x)
        out, tangent = sct.forward(row_stack)(x, np.ones(shape))
        _, x_bar = sct.reverse(row_stack)(x)
    assert np.array_equal(out, expected)
    assert np.allclose(tangent, np.vstack([np.ones(shape), np.exp(x)]))
    assert np.allclose(x_bar, 1.0 + np.exp(x))


def test_the_emitted_code_calls_the_primitives():
    source = sct.reverse(hstack).source
    assert "np.concatenate(" in source and "hstack" not in source.split("def diff_hstack")[1]


# ---------------------------------------------------------------------------------------------- refused
def hstack_of_a_list_variable(x):
    parts = [x, x * 2.0]
    return np.hstack(parts)


def hstack_with_dtype(x):
    return np.hstack([x, x], dtype=float)


def fliplr_of_a_vector(x):
    return np.fliplr(x * 2.0)


def test_a_sequence_argument_must_be_written_in_the_call():
    with pytest.raises(sct.SCTError, match="np.hstack needs its arrays as a non-empty list or tuple"):
        sct.reverse(hstack_of_a_list_variable)


def test_arguments_a_lowering_does_not_list_are_refused():
    with pytest.raises(sct.SCTError, match="unsupported arguments to 'np.hstack'"):
        sct.forward(hstack_with_dtype)


def test_inputs_numpy_refuses_are_refused():
    with pytest.raises(ValueError):
        np.fliplr(np.ones(3))
    with pytest.raises(ValueError):
        sct.forward(fliplr_of_a_vector)(np.ones(3), np.ones(3))


def test_every_lowering_is_tested_here():
    from test_everyday_accepted import LOWERED_HERE as LOWERED_ACCEPTED
    from test_everyday_calls import LOWERED_HERE as LOWERED_CALLS
    from test_lowering_everyday import LOWERED_HERE as LOWERED_EVERYDAY
    from test_rules_np13 import LOWERED_HERE
    from test_rules_round2 import LOWERED_HERE as LOWERED_ROUND2
    from test_rules_round8_convolve import LOWERED_HERE as LOWERED_CONVOLVE
    from test_rules_round8_linalg import LOWERED_HERE as LOWERED_ROUND8
    from test_rules_round8_quantiles import LOWERED_HERE as LOWERED_QUANTILES

    from sct.rules.lowering import LOWERINGS

    tested = {"numpy." + f.__name__ for f, _ in CASES} | {"numpy.row_stack"} | set(LOWERED_HERE)
    tested |= set(LOWERED_ROUND2) | set(LOWERED_ROUND8) | set(LOWERED_EVERYDAY) | set(LOWERED_ACCEPTED)
    tested |= set(LOWERED_CALLS) | set(LOWERED_CONVOLVE) | set(LOWERED_QUANTILES)
    tested |= {q for q in LOWERINGS if q.startswith("operator.")}  # in tests/test_constructs_py13.py
    assert sorted(set(LOWERINGS) - tested) == []
