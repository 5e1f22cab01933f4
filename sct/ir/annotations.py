"""Marks that one pass leaves on AST nodes for a later one: a fixed list of keys, one API.

Every mark lives in one dict per node (the attribute ``_sct_marks``), so that a misspelt key raises
instead of reading as unset. :func:`sct.ir.astutil.clone` and ``copy.deepcopy`` keep a node's marks (the
clone gets its own dict).
"""
from __future__ import annotations

import ast
from typing import Any

_ATTRIBUTE = "_sct_marks"
_UNSET = object()

KEYS = {
    "derivative": "a statement of derivative code (the optimizer may drop it when its target is unused)",
    "origin": "the line of the user's file a derivative statement came from (for `# line N` comments)",
    "source": "the FunctionSource an emitted FunctionDef derives from (its defaults, its namespace)",
    "derivative_names": "on an emitted FunctionDef: the tangent and adjoint names sct made in it",
    "overflowing_divisors": "on an emitted FunctionDef: its divisors >= 0 that may overflow to +inf (which "
                            "a backward half reads from a tape: its next derivative cannot prove it)",
    "carries": "a Name holding a tangent or adjoint: zero folding keeps the call it is an argument of",
    "tape": "the tape name a helper's forward half returns at this call (kept across loop sweeps)",
    "reverse": "an If or For of the reverse sweep, built from a primal one",
    "counter": "a loop's iteration counter, pushed for its reverse sweep",
    "augmented": "the operator (`+`, `*`...) of the augmented assignment a statement was desugared from",
    "chained": "an assignment desugared from a chained one (`a = b = v`): the source text of that statement",
    "loop_row": "the assignment binding a loop's row (`row = X[i]`) made by desugaring `for row in X`",
    "broadcast_operand": "logsumexp's operand broadcast against its b (rules/call_forms.py): rewritten once",
    "save": "a placeholder for pushing `(name, index)` onto the tape",
    "restore": "a placeholder for popping `(name, index)` from the tape",
}


def _check(key: str) -> None:
    if key not in KEYS:
        raise KeyError(f"unknown node mark {key!r}; the marks are: {', '.join(KEYS)}")


def mark(node: ast.AST, key: str, value: Any = True) -> ast.AST:
    """Set the mark ``key`` on ``node`` to ``value``; returns ``node``."""
    _check(key)
    marks = node.__dict__.get(_ATTRIBUTE)
    if marks is None:
        marks = node.__dict__[_ATTRIBUTE] = {}
    marks[key] = value
    return node


def get(node: ast.AST, key: str, default: Any = None) -> Any:
    """The mark ``key`` of ``node``, or ``default`` when it has none."""
    _check(key)
    return node.__dict__.get(_ATTRIBUTE, {}).get(key, default)


def has(node: ast.AST, key: str) -> bool:
    """Does ``node`` carry the mark ``key``?"""
    return get(node, key, _UNSET) is not _UNSET


def copy_marks(source: ast.AST, target: ast.AST) -> ast.AST:
    """Give ``target`` the marks of ``source`` (a copy of them); returns ``target``."""
    marks = source.__dict__.get(_ATTRIBUTE)
    if marks:
        target.__dict__[_ATTRIBUTE] = dict(marks)
    return target

