"""A fast deep copy of AST nodes (``copy.deepcopy`` spends most of its time on bookkeeping ASTs don't need)."""
from __future__ import annotations

import ast
from typing import TypeVar

T = TypeVar("T")


def clone(node: T) -> T:
    """Deep copy of an AST node, a list of nodes, or a plain value (returned as is).

    Extra attributes that sct sets on nodes (``sct_derivative``...) are copied too. ASTs are trees, so
    unlike ``copy.deepcopy`` no memo of shared objects is kept.
    """
    if isinstance(node, ast.AST):
        new = node.__class__.__new__(node.__class__)
        new.__dict__.update({key: clone(value) for key, value in node.__dict__.items()})
        return new
    if isinstance(node, list):
        return [clone(item) for item in node]
    return node
