"""User variables, parameters and globals named like sct's derivatives (``x_bar``, ``y_dot``).

sct knows its tangent and adjoint names by what it records when it makes them (the ``carries`` and
``derivative_names`` marks of ``sct.ir.annotations``), never by their suffix: such user names are plain values
in forward and reverse mode, in Jacobians, and in the second derivatives that transform emitted code again.
Oracles: central differences and the complex step (first order), autograd running the same code (second
order and Jacobians).
"""
import ast
import copy
import re
import types

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from oracle import check_both_modes

import sct
from sct.ir import annotations as anno
from sct.ir.astutil import clone

w_bar = np.array([0.5, -1.0, 2.0])  # a global named like an adjoint


def suffixed_locals(a, b):
    b_bar = np.sin(b) * 2.0
    x_dot = np.where(a > 0, a, 0.5 * a)
    return np.dot(x_dot, b_bar) + np.sum(np.where(b > 0, b_bar, a) * np.sin(a))


def suffixed_params(x_bar, y_dot):
    z_bar = np.sin(x_bar) * y_dot
    return np.sum(z_bar * x_bar) + np.sum(np.exp(0.5 * y_dot) * x_bar)


def reads_global_bar(x):
    y_dot = np.tanh(x) * w_bar
    return np.sum(y_dot * x)


def suffixed_vector(x_dot):
    y_bar = np.sin(x_dot) * w_bar
    return np.cumsum(y_bar * x_dot)


CASES = [(suffixed_locals, 0), (suffixed_locals, 1), (suffixed_params, 0), (suffixed_params, 1),
         (reads_global_bar, 0)]
IDS = [f"{f.__name__}-{i}" for f, i in CASES]
ARGS = (np.array([0.4, -0.3, 0.8]), np.array([1.2, -0.5, 0.7]))


def _args(f):
    return ARGS[:f.__code__.co_argcount]


def _autograd(f):
    """``f`` running on autograd's numpy."""
    return types.FunctionType(f.__code__, dict(f.__globals__, np=anp), f.__name__)


def _wrt(f, index):
    return f.__code__.co_varnames[index]


@pytest.mark.parametrize("f, index", CASES, ids=IDS)
def test_first_order_both_modes(f, index):
    check_both_modes(f, _args(f), wrt_index=index)


@pytest.mark.parametrize("f, index", CASES, ids=IDS)
def test_hessian_and_hvp(f, index):
    args = _args(f)
    expected = autograd.hessian(_autograd(f), index)(*args)
    H = sct.hessian(f, wrt=_wrt(f, index))(*args)
    np.testing.assert_allclose(H, expected, rtol=1e-10, atol=1e-12)
    v = np.array([0.3, -1.1, 0.6])
    for method in ("forward-over-reverse", "reverse-over-forward"):
        product = sct.hvp(f, wrt=_wrt(f, index), method=method)(*args, v)
        np.testing.assert_allclose(product, expected @ v, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_jacobian(mode):
    x = ARGS[0]
    expected = autograd.jacobian(_autograd(suffixed_vector))(x)
    np.testing.assert_allclose(sct.jacobian(suffixed_vector, mode=mode)(x), expected, rtol=1e-12, atol=1e-12)


def test_emitted_names_stay_what_users_read():
    """The user's ``b_bar`` keeps its name and gets the adjoint ``b_bar_bar``; ``b``'s adjoint, its usual
    name taken, is ``b_bar_1``."""
    source = sct.reverse(suffixed_locals, wrt=("a", "b")).source
    assert re.search(r"^    b_bar = ", source, re.M) and "b_bar_bar = " in source
    assert "return _t8, (a_bar, b_bar_1)" in source


def test_second_stage_renames_only_sct_names():
    """Before the second transformation sct's adjoints are spelt ``abar``; the user's ``b_bar`` is not
    renamed (nor the global ``w_bar``, which the second stage still reads)."""
    first = sct.hvp(suffixed_locals, wrt="a").first_source
    assert "abar" in first and "a_bar" not in first
    assert "b_bar = np.sin(b) * 2.0" in first and "bbar" not in first
    assert "w_bar" in sct.hvp(reads_global_bar).first_source


def test_marks_have_fixed_keys():
    node = ast.parse("y = x").body[0]
    with pytest.raises(KeyError, match="unknown node mark 'derivativ'"):
        anno.mark(node, "derivativ")
    with pytest.raises(KeyError):
        anno.get(node, "sct_tape")
    assert not anno.has(node, "tape") and anno.get(node, "tape", "none") == "none"
    anno.mark(node, "tape", "_tape1")
    assert anno.has(node, "tape") and anno.get(node, "tape") == "_tape1"


@pytest.mark.parametrize("copier", [clone, copy.deepcopy], ids=["clone", "deepcopy"])
def test_copies_keep_marks_of_their_own(copier):
    node = ast.parse("y = x_dot").body[0]
    anno.mark(node, "derivative")
    anno.mark(node.value, "carries")
    copied = copier(node)
    assert anno.get(copied, "derivative") and anno.get(copied.value, "carries")
    anno.mark(copied, "origin", 7)
    assert not anno.has(node, "origin")
    target = anno.copy_marks(node, ast.Pass())
    assert anno.get(target, "derivative") and not anno.has(target, "origin")
