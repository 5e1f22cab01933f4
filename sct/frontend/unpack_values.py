"""``a, b, c = abc`` for a differentiated ``abc`` (an array, a list or a tuple): one index per name.

Python checks the number of items before it binds any name, and raises ``ValueError`` when they differ; the
rewrite keeps that check::

    if len(abc) != 3:
        raise ValueError('expected 3 values to unpack')
    a = abc[0]
    b = abc[1]
    c = abc[2]

A value that is not a name is computed once, into a temporary, first.
"""
from __future__ import annotations

import ast
from typing import List

from ..ir.builders import assign, call, load
from .names import Namer


def unpack_by_index(target: ast.Tuple, value: ast.expr, namer: Namer, like: ast.stmt) -> List[ast.stmt]:
    """The statements that bind the names of ``target`` (a tuple of names) to the items of ``value``."""
    out: List[ast.stmt] = []
    if not isinstance(value, ast.Name):
        temp = namer.temp("_u")
        out.append(assign(temp, value, like))
        value = load(temp)
    count = len(target.elts)
    differs = ast.Compare(left=call("len", load(value.id)), ops=[ast.NotEq()],
                          comparators=[ast.Constant(count)])
    error = ast.Raise(exc=call("ValueError", ast.Constant(f"expected {count} values to unpack")), cause=None)
    out.append(ast.If(test=differs, body=[error], orelse=[]))
    for k, element in enumerate(target.elts):
        item = ast.Subscript(value=load(value.id), slice=ast.Constant(k), ctx=ast.Load())
        out.append(assign(element.id, item, like))
    return [ast.fix_missing_locations(ast.copy_location(stmt, like)) for stmt in out]
