"""What a call or operator in the user's code refers to: a rule's qualified name, a helper, or nothing."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import List, Optional

from ..rules import registry
from .source import Resolver

NONDIFF_ATTRIBUTES = {"shape", "ndim", "size", "dtype", "itemsize", "nbytes"}
DIFF_ATTRIBUTES = {"T": "attr.T"}
_OF_ITEMS = {"builtins.max", "builtins.min"}  # of two values, or of the items of one


@dataclass
class Operation:
    """A primal operation in canonical form: ``qualname(*args, **keywords)``.

    kind: ``primitive`` (a rule may exist), ``helper`` (a user function), ``opaque`` (unknown callable),
    ``value`` (a call on a global value we know nothing about).
    """

    kind: str
    qualname: str
    args: List[ast.expr]
    keywords: List[ast.keyword] = field(default_factory=list)
    helper: object = None


def operation_of(node: ast.expr, resolver: Resolver) -> Optional[Operation]:
    """Canonical operation for an operator, call, subscript or ``.T``; None for names and constants."""
    if isinstance(node, ast.BinOp):
        return Operation("primitive", "op." + type(node.op).__name__, [node.left, node.right])
    if isinstance(node, ast.UnaryOp):
        return Operation("primitive", "op." + type(node.op).__name__, [node.operand])
    if isinstance(node, ast.Subscript):
        return Operation("primitive", "op.Subscript", [node.value, node.slice])
    if isinstance(node, ast.Attribute) and node.attr not in NONDIFF_ATTRIBUTES:
        # an attribute of a value: a rule or an error, never a constant
        if resolver.qualname_of(node) is None:
            return Operation("primitive", DIFF_ATTRIBUTES.get(node.attr, "attr." + node.attr), [node.value])
    if isinstance(node, ast.Call):
        found = resolver.qualname_of(node.func)
        if found is not None:
            if found.kind == "function":
                qualname, keywords = registry.variant_of(found.qualname, node.keywords), list(node.keywords)
                if qualname in _OF_ITEMS and len(node.args) == 1:  # max(values): the largest item
                    largest = ast.Constant(qualname == "builtins.max")
                    keywords.append(ast.keyword(arg="largest", value=largest))
                    qualname += ".items"
                return Operation("primitive", qualname, list(node.args), keywords)
            if found.kind == "helper":
                return Operation("helper", found.qualname, list(node.args), list(node.keywords),
                                 found.load_helper)
            return Operation(found.kind, found.qualname or ast.unparse(node.func), list(node.args),
                             list(node.keywords))
        if isinstance(node.func, ast.Attribute):
            return Operation("primitive", "method." + node.func.attr, [node.func.value] + list(node.args),
                             list(node.keywords))
        return Operation("opaque", ast.unparse(node.func), list(node.args), list(node.keywords))
    return None


def is_string_formatting(node: ast.expr) -> bool:
    """``"%f" % x``: a ``%`` whose left operand is a string literal formats (a string, like an f-string)."""
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_string(node.left)


def _is_string(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_string(node.left)
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def is_nondiff_expression(node: ast.expr, resolver: Resolver) -> bool:
    """Expressions whose value never carries a derivative, whatever their inputs."""
    if isinstance(node, (ast.Compare, ast.BoolOp, ast.JoinedStr, ast.Constant)) or is_string_formatting(node):
        return True
    if isinstance(node, ast.Attribute):
        return node.attr in NONDIFF_ATTRIBUTES or resolver.qualname_of(node) is not None
    operation = operation_of(node, resolver)
    return operation is not None and operation.kind == "primitive" and registry.is_nondiff(operation.qualname)
