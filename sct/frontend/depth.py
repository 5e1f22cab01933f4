"""Deeply nested expressions (a sum of hundreds of terms) cut into statements, in evaluation order.

sct's passes walk expressions recursively, which Python's recursion limit stops at a few hundred levels
of nesting. So before any other pass, an expression nested deeper than ``LIMIT`` levels is cut: every
``CHUNK`` levels of operators or calls, the value computed so far goes to a temporary
(``_t1 = x[0] + ... + x[15]``, then ``_t2 = _t1 + x[16] + ...``). Python's order of evaluation is kept:
when a piece is cut out of an operand, the operands evaluated before it that are not plain names or
constants are computed into temporaries first. This pass itself uses an explicit stack, not recursion.
"""
from __future__ import annotations

import ast
from typing import Callable, Iterator, List, Tuple

from ..ir.astutil import clone, name_calls_in_index
from ..ir.builders import assign

LIMIT = 48
CHUNK = 16
_CUT = (ast.BinOp, ast.UnaryOp, ast.Call)


def split_deep_expressions(body: List[ast.stmt], temp: Callable[[], str]) -> List[ast.stmt]:
    """``body`` with every expression deeper than ``LIMIT`` cut into statements (see the module docstring)."""
    out: List[ast.stmt] = []
    for stmt in body:
        for field in ("body", "orelse"):
            block = getattr(stmt, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                setattr(stmt, field, split_deep_expressions(block, temp))
        out += _split_statement(stmt, temp)
    return out


def height(node: ast.AST) -> int:
    """Levels of nesting below ``node``, counted without recursion."""
    best = 0
    stack = [(node, 1)]
    pop, push, node_type = stack.pop, stack.append, ast.AST
    while stack:
        current, level = pop()
        if level > best:
            best = level
        for value in current.__dict__.values():  # the children, as ast.iter_child_nodes gives them
            if isinstance(value, node_type):
                push((value, level + 1))
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        push((item, level + 1))
    return best


def _split_statement(stmt: ast.stmt, temp: Callable[[], str]) -> List[ast.stmt]:
    fields = {ast.Assign: "value", ast.AugAssign: "value", ast.Return: "value", ast.Expr: "value",
              ast.If: "test", ast.For: "iter"}  # not a while test: it runs again on every iteration
    field = fields.get(type(stmt))
    value = getattr(stmt, field, None) if field else None
    if value is None or height(value) <= LIMIT:
        return [stmt]
    before: List[ast.stmt] = []
    if isinstance(stmt, ast.AugAssign) and not isinstance(stmt.target, ast.Name):
        # `y[i] += <deep>` reads y[i] before the right side: write it out as `y[i] = y[i] + <deep>`
        target = stmt.target
        if isinstance(target, ast.Subscript):
            target.slice = name_calls_in_index(target.slice, temp, before)
        read = _as_load(target)
        stmt = ast.copy_location(ast.Assign(targets=[target], value=ast.BinOp(left=read, op=stmt.op,
                                                                              right=stmt.value)), stmt)
        field = "value"
    setattr(stmt, field, _run(_lift(getattr(stmt, field), temp, before))[0])
    return [ast.copy_location(s, stmt) for s in before] + [stmt]


def _as_load(target: ast.expr) -> ast.expr:
    load = clone(target)
    for node in ast.walk(load):
        if hasattr(node, "ctx"):
            node.ctx = ast.Load()
    return load


def _slots(node: ast.expr) -> List[Tuple[object, object]]:
    """(container, key) of the operands of ``node`` that are evaluated eagerly, in evaluation order."""
    if isinstance(node, ast.BinOp):
        return [(node, "left"), (node, "right")]
    if isinstance(node, ast.UnaryOp):
        return [(node, "operand")]
    if isinstance(node, ast.Call):
        return [(node.args, i) for i in range(len(node.args))] + [(k, "value") for k in node.keywords]
    if isinstance(node, (ast.Subscript, ast.Attribute)):
        return [(node, "value")] + ([(node, "slice")] if isinstance(node, ast.Subscript) else [])
    if isinstance(node, (ast.Tuple, ast.List)):
        return [(node.elts, i) for i in range(len(node.elts))]
    if isinstance(node, ast.Slice):
        return [(node, part) for part in ("lower", "upper", "step") if getattr(node, part) is not None]
    return []  # lazily evaluated (and/or, if-else, comparisons) or a leaf: left whole


def _get(container, key):
    return container[key] if isinstance(container, list) else getattr(container, key)


def _set(container, key, value) -> None:
    if isinstance(container, list):
        container[key] = value
    else:
        setattr(container, key, value)


def _lift(node: ast.expr, temp: Callable[[], str], out: List[ast.stmt]) -> Iterator:
    """Yield the operands' own lifts; return ``(expression, height)`` once statements for the cut pieces
    are in ``out``."""
    slots = _slots(node)
    tallest = 0
    for i, (container, key) in enumerate(slots):
        mark = len(out)
        value, level = yield _lift(_get(container, key), temp, out)
        _set(container, key, value)
        tallest = max(tallest, level)
        if len(out) > mark:  # a piece of this operand was cut: the operands before it are computed first
            for earlier, earlier_key in slots[:i]:
                piece = _get(earlier, earlier_key)
                if not isinstance(piece, (ast.Name, ast.Constant)):
                    name = temp()
                    out.insert(mark, assign(name, piece))
                    mark += 1
                    _set(earlier, earlier_key, ast.Name(id=name, ctx=ast.Load()))
    level = tallest + 1
    if isinstance(node, _CUT) and level >= CHUNK:
        name = temp()
        out.append(assign(name, node))
        return ast.Name(id=name, ctx=ast.Load()), 1
    return node, level if slots else height(node)


def _run(generator: Iterator):
    """Drive nested generators with an explicit stack: each yields a child generator and is sent back
    the child's return value."""
    stack = [generator]
    value = None
    while True:
        try:
            child = stack[-1].send(value)
        except StopIteration as stop:
            stack.pop()
            if not stack:
                return stop.value
            value = stop.value
            continue
        stack.append(child)
        value = None
