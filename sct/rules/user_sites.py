"""Where a user's rule (``sct.primitive``) is spliced, what sct adds around it so that a mistake in the rule
raises instead of giving a wrong derivative, and so that its batched form lines directions up as numpy does.

* each contribution of an adjoint rule is checked, when it runs, to have its argument's shape
  (``adjoint_shape``; batched: ``batch_adjoint_shape``);
* in vector mode (``batch="safe"`` or ``sct.Axes``), each argument's batch of tangents gets unit axes
  after the batch axis up to the rank of all the arguments broadcast together (``batch_align``), and each
  output's batch of tangents is checked to have shape ``(K,) + z.shape`` (``batch_tangent_shape``; in
  forward mode each output's tangent has the output's shape, ``tangent_shape``).
"""
from __future__ import annotations

import ast
from typing import List, Optional

from ..ir.astutil import clone
from ..ir.builders import call, load
from .templates import OMIT, Contribution, is_zero


def checked_adjoints(site, produced: list) -> list:
    """The contributions of a user's adjoint rule, each checked against its argument's shape."""
    if not site.rule.user:
        return produced
    for item in produced:
        if isinstance(item, Contribution) and item.index is None and not is_zero(item.value):
            item.value = call("adjoint_shape", item.value, clone(item.arg), ast.Constant(site.rule.qualname))
    return produced


def align_batched_arguments(site) -> None:
    """In vector mode, make ``site`` read each argument's batch of tangents lined up with the others."""
    if not site.rule.user:
        return
    operands = [v for v in site.bound.values() if not (isinstance(v, ast.Name) and v.id == OMIT)]
    dot = site.dot

    def aligned(node: ast.expr) -> ast.expr:
        tangent = dot(node)
        if is_zero(tangent) or len(operands) < 2:
            return tangent
        return call("batch_align", tangent, *[clone(o) for o in operands])

    site.dot = aligned


def checked_tangents(site, produced: List[ast.stmt], size: Optional[str] = None) -> List[ast.stmt]:
    """The statements of a user's tangent rule, each output's tangent checked to have the output's shape
    (in vector mode, with ``size`` directions: ``(size,) + z.shape``)."""
    if not site.rule.user:
        return produced
    outputs = {site.dot_name(t): t for t in site.targets}
    for stmt in produced:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name) \
                and stmt.targets[0].id in outputs and not is_zero(stmt.value):
            output, name = load(outputs[stmt.targets[0].id]), ast.Constant(site.rule.qualname)
            stmt.value = (call("tangent_shape", stmt.value, output, name) if size is None
                          else call("batch_tangent_shape", stmt.value, output, name, k=load(size)))
    return produced
