"""Rules for the runtime helpers that only the prologue of an emitted module calls, so that a module
``sct transform`` wrote can be transformed again (nested AD through emitted code).

``float_input`` casts an integer input to float and ``owned_input`` copies an input the derivative writes
into: both pass a floating value on unchanged, so its derivative too.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from __future__ import annotations

from .. import runtime
from .core import SAFE, adjoint, linear

linear(runtime.float_input, "x", batched=SAFE)
linear(runtime.owned_input, "x", batched=SAFE)


@adjoint("sct.runtime.float_input")
def _float_input(z, x, name="x"):
    x_bar = z_bar


@adjoint("sct.runtime.owned_input")
def _owned_input(z, x):
    x_bar = z_bar
