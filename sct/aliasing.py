"""Refuse writes through a second name for an array.

``y = x; y[0] = v`` changes ``x`` too; sct follows values by name, so it would differentiate as if ``x``
were untouched and return a wrong derivative. A variable written by index must therefore own its array:
made by an operation that returns a new array, not bound to another variable, a slice of one, or a view
(``.T``, ``reshape``...). Otherwise sct raises an SCTError asking for a ``.copy()``.
"""
from __future__ import annotations

import ast
from typing import Dict, List

from .calls import operation_of
from .errors import SourceContext
from .source import Resolver

_VIEW_FUNCTIONS = {"numpy.reshape", "numpy.ravel", "numpy.transpose", "numpy.swapaxes", "numpy.moveaxis",
                   "numpy.squeeze", "numpy.expand_dims", "numpy.asarray", "numpy.atleast_1d",
                   "numpy.atleast_2d", "numpy.broadcast_to", "numpy.diagonal", "attr.T", "op.Subscript"}
_VIEW_METHODS = {"reshape", "ravel", "transpose", "swapaxes", "squeeze", "view", "diagonal"}


def _may_share_memory(value: ast.expr, resolver: Resolver) -> bool:
    if isinstance(value, ast.Name):
        return True
    operation = operation_of(value, resolver)
    if operation is None:
        return False
    if operation.qualname.startswith("method."):
        return operation.qualname[len("method."):] in _VIEW_METHODS
    return operation.qualname in _VIEW_FUNCTIONS


def check_index_writes(func: ast.FunctionDef, resolver: Resolver, context: SourceContext) -> None:
    """Raise SCTError where a variable written by index may share its array with another variable."""
    bindings: Dict[str, List[ast.Assign]] = {}
    writes: List[ast.Assign] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bindings.setdefault(target.id, []).append(node)
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    writes.append(node)
    for write in writes:
        name = write.targets[0].value.id
        for binding in bindings.get(name, []):
            if _may_share_memory(binding.value, resolver):
                if getattr(binding, "sct_loop_row", False):
                    raise context.error(
                        write, f"'{name}' is a row of the array being looped over, and writing into it "
                        "changes that array, which sct does not follow",
                        construct="index assignment into a loop row",
                        hint=f"loop over indices and write into the array itself, or copy the row: "
                        f"{name} = np.copy({name})")
                source = ast.unparse(binding.value)
                raise context.error(
                    write, f"'{name}' is written by index but may share its array with `{source}` "
                    f"(bound on line {binding.lineno + context.line_offset}): the write would change both, "
                    "which sct does not follow", construct="index assignment through an alias",
                    hint=f"make '{name}' its own array: {name} = np.copy({source})")
