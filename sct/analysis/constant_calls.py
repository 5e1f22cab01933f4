"""Refuse expressions sct would treat as constants although their value moves with an active input.

A non-differentiable call is exact only where the derivative really vanishes. This check runs once the
varied variables are known and refuses, at transform time and in every mode alike: calls declared constant
in some arguments only (``np.arange(start, stop)`` moves with ``start``) when such an argument is varied,
index expressions on module objects (``np.r_[x, y]``, ``np.c_[...]``) built from varied values,
``and``/``or`` whose value may be a varied operand, and constant calls that write into a varied array
(``np.floor(y, out=y)``).
"""
from __future__ import annotations

import ast
from typing import Set

import numpy as np

from ..errors import SourceContext
from ..frontend.calls import operation_of
from ..frontend.source import Resolver
from ..ir.astutil import breadth_first, value_expressions
from ..rules import registry
from .activity import expression_varied


def check_constant_calls(func: ast.FunctionDef, varied: Set[str], resolver: Resolver,
                         context: SourceContext) -> None:
    """Raise SCTError for the first expression treated as constant whose value depends on ``varied``."""
    def moves(index: ast.expr) -> bool:
        parts = [index] + [p for s in breadth_first(index) if isinstance(s, ast.Slice)
                           for p in (s.lower, s.upper, s.step) if p is not None]
        return any(expression_varied(p, varied, resolver) for p in parts)

    for expression in value_expressions(func.body):
        for node in breadth_first(expression):
            if isinstance(node, ast.BoolOp) and any(expression_varied(v, varied, resolver)
                                                    for v in node.values):
                raise context.error(node, f"'{ast.unparse(node)}' takes the value of a differentiated "
                                    "operand: `and`/`or` have no derivative rule", construct="and/or",
                                    hint="write the choice with an `if` statement or np.where")
            if isinstance(node, ast.Subscript) and resolver.qualname_of(node.value) is not None \
                    and not _data(node.value, resolver) and moves(node.slice):
                what = ast.unparse(node.value)
                raise context.error(node, f"'{what}[...]' builds an array from a differentiated value, and "
                                    "sct has no derivative rule for it", construct=what,
                                    hint="join arrays with np.concatenate / np.stack / np.column_stack")
            operation = operation_of(node, resolver) if isinstance(node, ast.Call) else None
            if operation is None or operation.kind != "primitive":
                continue
            keywords = {k.arg: k.value for k in operation.keywords}
            carried, hint = registry.carrying_arguments(operation.qualname, operation.args, keywords)
            for argument in carried:
                if expression_varied(argument, varied, resolver):
                    raise context.error(node, f"'{ast.unparse(node)}' changes with the differentiated "
                                        f"value '{ast.unparse(argument)}', and sct has no derivative rule "
                                        f"for '{operation.qualname}' there", construct=operation.qualname,
                                        hint=hint or "compute that argument from inputs that are not "
                                        "differentiated, or rewrite the call with supported operations")
            if registry.is_nondiff(operation.qualname):
                written = [k.value for k in operation.keywords if k.arg == "out"]
                _check_writes(node, operation.qualname, written + _ufunc_outputs(operation), varied, context)


def _ufunc_outputs(operation) -> list:
    """Positional arguments a numpy ufunc writes into (``np.floor(y, y)``: the second ``y``)."""
    module, _, name = operation.qualname.rpartition(".")
    if module != "numpy":
        return []
    function = getattr(np, name, None)
    return list(operation.args[function.nin:]) if isinstance(function, np.ufunc) else []


def _check_writes(node: ast.Call, qualname: str, written: list, varied: Set[str],
                  context: SourceContext) -> None:
    """A constant call that writes into a varied array (its ``out``) changes a differentiated value behind
    sct's back."""
    for target in written:
        if any(isinstance(n, ast.Name) and n.id in varied for n in breadth_first(target)):
            raise context.error(node, f"'{ast.unparse(node)}' may write into the differentiated array "
                                f"'{ast.unparse(target)}'", construct=qualname,
                                hint="assign the result instead, e.g. `y = np.floor(y)`")


def _data(node: ast.expr, resolver: Resolver) -> bool:
    """A global array, list or number (not an object like ``np.r_`` whose index builds an array): what
    indexing it gives does not move with the index's value (an index taped in a reverse sweep, say)."""
    value = resolver.global_value(node.id) if isinstance(node, ast.Name) else None
    return isinstance(value, (np.ndarray, list, tuple, int, float))
