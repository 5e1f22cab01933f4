"""Rules for ``np.split`` and ``np.array_split`` (``np.hsplit``, ``np.vsplit`` and ``np.dsplit`` are
lowered to ``np.split``, see :mod:`sct.rules.lowering`).

The value is a list of arrays, read by unpacking (``a, b = np.split(x, 2)``), by index or by iteration.
Splitting is linear: the tangents are the tangent split the same way, and the adjoint adds each piece's
adjoint back at the positions it was cut from (``split_adjoint``); a piece the function does not use
has a zero adjoint. The tangent is written with ``np.array_split``, which cuts the same pieces as
``np.split`` whenever ``np.split`` accepts the call.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import numpy as np

from .. import runtime
from ..runtime import split_adjoint  # noqa: F401
from .core import Axes, adjoint, list_valued, primitive
from .linear import linear

SPLIT = primitive("numpy.split", "numpy.array_split", batch=Axes("axis"))
list_valued(*SPLIT)
linear(runtime.split_adjoint, "g", batched="batch_split_adjoint")


@SPLIT.tangent
def _split(z, ary, indices_or_sections, axis=0):
    z_dot = np.array_split(ary_dot, indices_or_sections, axis=axis)


@SPLIT.adjoint
def _split(z, ary, indices_or_sections, axis=0):
    ary_bar = split_adjoint(z_bar, ary, indices_or_sections, axis=axis)


@adjoint("sct.runtime.split_adjoint")  # the two linear maps are each other's adjoint
def _split_adjoint(z, g, x, sections, axis=0):
    g_bar = np.array_split(z_bar, sections, axis=axis)
