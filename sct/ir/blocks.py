"""Traversals of a function's blocks alone: the statements, without walking the expressions in them.

No statement is inside an expression (a lambda's body is one), so an analysis or a rewrite that looks only
at statements finds and makes the same from the blocks alone, in a fraction of the nodes.
"""
from __future__ import annotations

import ast
from typing import Iterator

from .transformer import Transformer

# what the lists of a block hold (``match`` cases from Python 3.10)
BLOCK_ITEMS = (ast.stmt, ast.excepthandler) + ((ast.match_case,) if hasattr(ast, "match_case") else ())


def block_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and every statement, handler and case below it, in every block: bodies, ``else`` blocks,
    handlers, cases, nested definitions (a node's blocks are read after it is yielded)."""
    stack = [node]
    pop, extend = stack.pop, stack.extend
    while stack:
        current = pop()
        yield current
        for value in current.__dict__.values():
            if isinstance(value, list) and value and isinstance(value[0], BLOCK_ITEMS):
                extend(value)


def all_statements(node: ast.AST) -> Iterator[ast.stmt]:
    """Every statement below ``node`` (itself included when it is one), in every block."""
    return (current for current in block_nodes(node) if isinstance(current, ast.stmt))


class StatementTransformer(Transformer):
    """An ``ast.NodeTransformer`` whose visitors are all of statements (checked when the class is made):
    it visits the blocks and skips the expressions, which, with no visitor of theirs, it would return
    unchanged."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for klass in cls.__mro__:
            if klass in (Transformer, ast.NodeTransformer, ast.NodeVisitor, object):
                continue
            for name in vars(klass):
                if name.startswith("visit_") and not _is_block_item(name[len("visit_"):]):
                    raise TypeError(f"{cls.__name__}.{name}: a StatementTransformer visits statements only")

    def generic_visit(self, node: ast.AST) -> ast.AST:
        """Visit the statements of ``node``'s blocks, as ``ast.NodeTransformer`` does its lists."""
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], BLOCK_ITEMS):
                self._visit_items(value)
        return node


def _is_block_item(name: str) -> bool:
    kind = getattr(ast, name, None)
    return isinstance(kind, type) and issubclass(kind, BLOCK_ITEMS)
