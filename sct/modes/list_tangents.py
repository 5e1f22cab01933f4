"""A numpy function given a Python list reads it as an array; the list's tangent (a list, one tangent per
item) is made that array before a rule uses it. Otherwise ``list_dot * partial`` is numpy's product at run
time but a list's repetition to a second derivative, and in vector mode numpy would take the list's axis
for the batch axis (``np.sum(xs_dot, axis=1)`` summing the wrong axis)."""
from __future__ import annotations

import ast
from typing import Callable, Set

from ..frontend.sequence_arrays import READ_ITEM_BY_ITEM
from ..rules import registry
from ..rules.call_forms import STAND_INS
from ..rules.core import RUNTIME
from ..rules.templates import is_zero

# runtime helpers of adjoints that read a numpy function's own argument as numpy does (a list as an array):
# in code differentiated again that argument may be the user's list
_ARRAY_READERS = {RUNTIME + "prod_partials", RUNTIME + "along_last"}


def read_as_arrays(site, sequences: Set[str], as_array: Callable[[ast.expr], ast.expr]) -> None:
    """Make ``site`` read the tangent of each argument in ``sequences`` (names holding lists) through
    ``as_array``, where the rule is a numpy function (or a runtime helper standing for one, such as
    ``sum_along`` for ``np.sum(x, axis=0)``) that does not read lists item by item (scipy's cho_solve reads
    its (factor, lower) pair so)."""
    qualname = site.rule.qualname
    numpy_like = qualname.startswith("numpy.") or qualname in STAND_INS or qualname in _ARRAY_READERS
    if not numpy_like or registry.takes_lists(qualname) \
            or qualname in READ_ITEM_BY_ITEM:
        return
    dot = site.dot

    def stacked(node: ast.expr) -> ast.expr:
        tangent = dot(node)
        if is_zero(tangent) or not (isinstance(node, ast.Name) and node.id in sequences):
            return tangent
        return as_array(tangent)

    site.dot = stacked
