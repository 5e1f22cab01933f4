"""The optimizer moves a constant factor of a product with a spread adjoint (``unreduce``) onto the reduced
adjoint: ``a = unreduce(g, x, axis=2); b = a * (2 * u)`` -> ``a = unreduce(2 * g, x, axis=2); b = a * u``.
Checked on emitted source, on passes alone, and in every mode against Richardson differences."""
import ast
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from every_mode import check_every_mode
from marked_code import derivative_function

import sct
from sct.optimize.broadcast_scales import scale_before_spreading

ROOT = Path(__file__).resolve().parents[1]


def squared_rows(x):
    return np.sum(x ** 2, axis=-1)


def squared_rows_total(x):
    return np.sum(np.sin(np.sum(x ** 2, axis=-1)))


def scaled_squares(x):
    return np.sum(0.5 * np.sum((3.0 * x) ** 2, axis=(0, 2), keepdims=True) * x)


def scaled_squares_total(x):
    return np.sum(np.cos(scaled_squares(x)))


def _reverse_body(f) -> str:
    source = sct.reverse(f).source
    return source[source.index(f"def diff_{f.__name__}"):]


def test_the_factor_of_two_of_a_square_moves_onto_the_reduced_adjoint():
    body = _reverse_body(squared_rows_total)
    # the reduced adjoint may be written out in place of its name (sct/optimize/forwarding.py)
    assert re.search(r"unreduce\(2 \* (_t2_bar|\(.*\)), _t1, axis=-1\)", body)
    assert "x_bar = _t1_bar * x\n" in body
    assert "(2 * x)" not in body


def test_the_gmm_square_adjoint_is_one_product():
    sys.path.insert(0, str(ROOT))
    from gradbench.evals import gmm
    source = sct.reverse(gmm.gmm_objective, wrt=("alpha", "mu", "q", "l")).source
    assert "Lxcentered_bar = _t5_bar * Lxcentered\n" in source and "2 * Lxcentered" not in source
    assert "unreduce(-unbroadcast(inner_term_bar, _t7), _t5, axis=2)" in source  # -0.5 * 2 multiplied out


@pytest.mark.parametrize("shape", [(3,), (2, 1, 3), (1, 3, 1), (2, 3, 2)])
def test_every_mode_with_size_one_axes(shape):
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal(shape)
    x.flat[0] = 0.0
    x.flat[-1] = -abs(x.flat[-1]) - 0.5
    check_every_mode(squared_rows, squared_rows_total, x)


@pytest.mark.parametrize("shape", [(2, 1, 3), (1, 2, 1), (2, 2, 2)])
def test_every_mode_with_scales_and_kept_axes(shape):
    x = np.linspace(-1.3, 0.7, int(np.prod(shape))).reshape(shape)
    check_every_mode(scaled_squares, scaled_squares_total, x)


# ------------------------------------------------------------- the pass alone, on marked ASTs
def _rewritten(source: str) -> str:
    func = derivative_function(source)
    func.body = scale_before_spreading(func.body)
    return ast.unparse(func)


def test_the_pass_moves_a_negated_scale_either_way_round():
    out = _rewritten("""
        def f(g, x, u):
            a = unreduce(0.5 * g, x, axis=1)
            b = -(4 * u) * a
            return b
    """)
    assert "a = unreduce(-2.0 * g, x, axis=1)" in out and "b = u * a" in out


@pytest.mark.parametrize("between", ["c = a + 1", "g = g + 1", "x[0] = 1.0", "a = 2 * a"])
def test_a_spread_read_twice_or_changed_in_between_keeps_its_scale(between):
    out = _rewritten(f"""
        def f(g, x, u):
            a = unreduce(g, x, axis=1)
            {between}
            b = a * (2 * u)
            return b
    """)
    assert "b = a * (2 * u)" in out and "unreduce(g, x, axis=1)" in out


def test_a_spread_used_outside_a_product_keeps_its_scale():
    out = _rewritten("""
        def f(g, x, u):
            a = unreduce(g, x)
            b = np.sum(a) + 2 * u
            return b
    """)
    assert "unreduce(g, x)" in out and "2 * u" in out
