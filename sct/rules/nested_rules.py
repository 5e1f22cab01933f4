"""Rules that nested derivatives need: the runtime helpers of first-order code, differentiated again.

``float_input`` casts an integer input to float and ``owned_input`` copies an input the derivative writes
into (the prologue of a module ``sct transform`` writes): both pass a floating value on unchanged, so its
derivative too. ``matmul_adjoint`` is bilinear in the adjoint and the other operand: its adjoint (reverse
mode over reverse mode) is the product's tangent and the helper with the roles swapped. ``zeros_items``
(the zero adjoint of a tape) reads only shapes.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from __future__ import annotations

import ast

import numpy as np  # noqa: F401

from .. import runtime
from ..ir.builders import call as _call
from ..ir.builders import load as _name
from .core import SAFE, adjoint, batched_adjoint, generator, list_valued, nondiff
from .linear import linear
from .runtime_rules import position_of
from .templates import Contribution

RUNTIME = "sct.runtime."

linear(runtime.float_input, "x", batched=SAFE)
linear(runtime.owned_input, "x", batched=SAFE)
linear(runtime.array_input, "x", batched=SAFE)
nondiff(RUNTIME + "zeros_items")
list_valued(RUNTIME + "zeros_items")  # may be an object array of items: batches index it item by item


@adjoint(RUNTIME + "float_input")
def _float_input(z, x, name="x"):
    x_bar = z_bar


@adjoint(RUNTIME + "owned_input")
def _owned_input(z, x):
    x_bar = z_bar


@adjoint(RUNTIME + "array_input")
def _array_input(z, x, name="x", why=""):
    x_bar = z_bar


def _matmul_adjoint_signature(g, a, b, position):
    pass


@generator(RUNTIME + "matmul_adjoint", mode="adjoint", signature=_matmul_adjoint_signature)
def _matmul_adjoint_adjoint(site) -> list:
    """``out = matmul_adjoint(g, a, b, 0)`` is ``g @ b.T`` summed to ``a``'s shape: ``g_bar = out_bar @ b``,
    ``b_bar = matmul_adjoint(g, out_bar, b, 1)``; position 1 likewise with ``a``."""
    position = position_of(site)
    out_bar = _name(site.bar(site.targets[0]))
    g, a, b = (site.arg(n) for n in ("g", "a", "b"))
    if position == 0:
        g_value = _call(site.np_attr("matmul"), out_bar, b)
        other, other_value = "b", _call("matmul_adjoint", g, out_bar, site.arg("b"), ast.Constant(1))
    else:
        g_value = _call(site.np_attr("matmul"), a, out_bar)
        other, other_value = "a", _call("matmul_adjoint", g, site.arg("a"), _name(site.bar(site.targets[0])),
                                        ast.Constant(0))
    g_value = _call("unbroadcast", g_value, site.arg("g"))
    return [Contribution(site.bound["g"], g_value), Contribution(site.bound[other], other_value)]


# Vector reverse mode over first-order reverse code (the Jacobian of a gradient): adjoints in batches.
@batched_adjoint(RUNTIME + "unbroadcast")
def _unbroadcast(z, g, x):
    g_bar = lift(z_bar, g)


@batched_adjoint(RUNTIME + "unreduce")
def _unreduce(z, g, x, axis=None, keepdims=False):
    g_bar = batch_reshape(np.sum(z_bar, axis=batch_axis(x, axis), keepdims=keepdims), g)
