"""Rules for ``np.select``: the derivative of the choice made where it is made (the first condition that
holds), the default's where none does. The conditions are constant (sct refuses active ones); the
choices are read as one list (``np.select(conds, [a, b], c)``), like any list of differentiated values.
"""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
from .. import runtime
from ..runtime import select_adjoint, select_default_adjoint, select_tangent  # noqa: F401
from .core import SAFE, adjoint, helper, nondiff, primitive
from .linear import linear

SELECT = primitive("numpy.select", batch=SAFE, constant=("condlist",), selects=("choicelist", "default"))
linear(runtime.select_tangent, "choices", "default", batched="batch_select_tangent")
linear(runtime.select_adjoint, "g", batched="batch_select_adjoint", returns_list=True)
linear(runtime.select_default_adjoint, "g", batched="batch_select_default_adjoint")
helper("select_masks")
primitive("sct.runtime.select_tangent", selects=("choices", "default"))  # in a higher derivative's input
primitive("sct.runtime.select_adjoint", "sct.runtime.select_default_adjoint", selects=("g",))
nondiff("sct.runtime.select_masks")


@SELECT.tangent
def _select(z, condlist, choicelist, default=0):
    z_dot = select_tangent(condlist, choicelist_dot, default_dot, z)


@SELECT.batched_tangent
def _select(z, condlist, choicelist, default=0):
    z_dot = batch_select_tangent(condlist, choicelist_dot, default_dot, z)


@SELECT.adjoint
def _select(z, condlist, choicelist, default=0):
    choicelist_bar = select_adjoint(z_bar, condlist, choicelist)
    default_bar = select_default_adjoint(z_bar, condlist, default)


@adjoint("sct.runtime.select_tangent")
def _select_tangent(out, condlist, choices, default, z):
    choices_bar = select_adjoint(out_bar, condlist, choices)
    default_bar = select_default_adjoint(out_bar, condlist, default)
