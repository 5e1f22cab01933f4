"""Rule semantics (tests/test_sound_rules_*.py): casts round: a cast to an integer has derivative zero,
one to float32 passes it, one to a dtype known only at run time is decided then.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from oracle import check_rule
from sound_rules_support import V3, check_default_seed

import sct


# ---------------------------------------------------------------------------------------- casts round
def astype_int(x):
    return np.sum(x.astype(int) * x)


def astype_float32(x):
    return np.sum(x.astype(np.float32) * 2.0)


def astype_variable(x, kind):
    return np.sum(x.astype(kind) * x)


def asarray_int(x):
    return np.sum(np.asarray(x, dtype=int) * x)


def array_int(x):
    return np.sum(np.array(x, dtype=int) + x ** 2)


def array_float(x):
    return np.sum(np.array(x, dtype=float) ** 2)


def int64_of(x):
    return np.int64(x) * x


def float64_of(x):
    return np.float64(x) ** 2


def builtin_casts(x):
    return int(x) * x + round(x) * x ** 2 + math.floor(x) + float(x)


def floor_divisions(x):
    return np.sum((x // 0.7) * x + np.floor_divide(x, 0.3) * x ** 2)


@pytest.mark.parametrize("f, args", [
    (astype_int, (V3,)), (asarray_int, (V3,)), (array_int, (V3,)),
    (array_float, (V3,)), (int64_of, (2.6,)), (float64_of, (2.6,)), (builtin_casts, (2.6,)),
    (builtin_casts, (-1.2,)), (floor_divisions, (V3,)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_casts_to_integers_have_derivative_zero(f, args):
    check_rule(f, args, rtol=1e-5)
    check_default_seed(f, args)


def test_cast_to_float32_passes_the_derivative():
    assert np.allclose(sct.grad(astype_float32)(V3), 2.0)
    assert np.isclose(sct.forward(astype_float32)(V3, np.ones(3))[1], 6.0)


def test_cast_to_a_dtype_known_only_at_run_time():
    for kind, expected in ((int, V3.astype(int)), (float, 2 * V3)):
        out, g = sct.reverse(astype_variable, wrt="x")(V3, kind)
        assert np.allclose(g, expected)
        _, t = sct.forward(astype_variable, wrt="x")(V3, kind, np.ones(3))
        assert np.isclose(t, np.sum(expected))
