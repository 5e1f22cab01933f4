"""Tape markers and index helpers shared by the reverse-mode modules."""
from __future__ import annotations

import ast
from typing import List, Optional, Set, Tuple

from ..analysis.activity import assigned_names
from ..ir import annotations as anno
from ..ir.astutil import loaded_names, walk
from ..ir.builders import call

SAVE, RESTORE = "save", "restore"  # the marks of sct.ir.annotations


def marker(kind: str, name: str, index: Optional[ast.expr] = None) -> ast.Expr:
    node = ast.Expr(value=ast.Constant(value=None))
    anno.mark(node, kind, (name, index))
    return node


def reads(node: ast.AST) -> Set[str]:
    return loaded_names(node)


def static_index(node: ast.expr, int_names: Set[str]) -> bool:
    """An index that never selects the same element twice (no arrays): ``+=`` is safe."""
    parts = node.elts if isinstance(node, ast.Tuple) else [node]
    for part in parts:
        if isinstance(part, ast.Slice):
            continue  # slice bounds are integers: a slice never repeats an element
        elif isinstance(part, ast.Constant) or (isinstance(part, ast.Name) and part.id in int_names):
            continue
        elif isinstance(part, ast.UnaryOp) and isinstance(part.operand, ast.Constant):
            continue
        else:
            return False
    return True


def leads_batch(node: ast.expr, int_names: Set[str]) -> bool:
    """Whether a batch's leading slice put before the index ``node`` keeps the batch axis first: numpy puts
    the axes of index arrays first when a slice, None or ``...`` stands between them and the integers or
    other arrays of the index (``x[0, :, [1, 2]]``); sct.runtime's ``batch_index`` reads those at run time."""
    parts = node.elts if isinstance(node, ast.Tuple) else [node]
    if static_index(node, int_names) or len(parts) == 1:
        return True
    held = [i for i, part in enumerate(parts) if not (isinstance(part, ast.Slice) or (
        isinstance(part, ast.Constant) and (part.value is None or part.value is Ellipsis)))]
    return not held or held[-1] - held[0] + 1 == len(held)


def static_item(node: ast.expr, int_names: Set[str]) -> bool:
    """An index that selects one item of a list (an integer written out, or a loop's integer)."""
    return isinstance(node, ast.Constant) or (isinstance(node, ast.Name) and node.id in int_names) \
        or (isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant))


def index_value(node: ast.expr) -> ast.expr:
    """An index usable as a function argument: slices written as ``slice(a, b, c)``."""
    if isinstance(node, ast.Slice):
        parts = (node.lower, node.upper, node.step)
        return call("slice", *[p if p is not None else ast.Constant(value=None) for p in parts])
    if isinstance(node, ast.Tuple):
        return ast.Tuple(elts=[index_value(e) for e in node.elts], ctx=ast.Load())
    return node


def read_before_assigned(body: List[ast.stmt], assigned: Set[str]) -> Tuple[Set[str], Set[str]]:
    """(names ``body`` may read before assigning them, names assigned whatever path it takes), given the
    names ``assigned`` before it. Both branches of an ``if`` assign what they both assign."""
    exposed: Set[str] = set()
    assigned = set(assigned)
    for stmt in body:
        if isinstance(stmt, ast.Assign):
            exposed |= reads(stmt) - assigned
            if isinstance(stmt.targets[0], (ast.Name, ast.Tuple)):
                assigned |= assigned_names(stmt.targets[0])
        elif isinstance(stmt, ast.If):
            exposed |= reads(stmt.test) - assigned
            body_reads, body_assigned = read_before_assigned(stmt.body, assigned)
            else_reads, else_assigned = read_before_assigned(stmt.orelse, assigned)
            exposed |= body_reads | else_reads
            assigned = body_assigned & else_assigned
        else:
            exposed |= {n.id for n in walk(stmt) if isinstance(n, ast.Name)} - assigned
    return exposed, assigned
