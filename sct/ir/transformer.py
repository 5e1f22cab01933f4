"""``ast.NodeTransformer`` without its per-node bookkeeping: the same rewrite, in fewer steps.

``Transformer`` finds each node class's visitor once per transformer class (not by building its name at
every node), iterates a node's fields without a generator, and does not visit a leaf (``Load``, ``Add``:
a node without fields) that has no visitor of its own, which would return it unchanged. Subclasses write
``visit_<Class>`` methods and call ``generic_visit`` exactly as with ``ast.NodeTransformer``.
"""
from __future__ import annotations

import ast
from typing import Dict, Optional


class Transformer(ast.NodeTransformer):
    """A faster ``ast.NodeTransformer`` that makes the same tree (see the module docstring)."""

    _visitors: Dict[type, Optional[str]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._visitors = {}  # node class -> the name of this class's visitor of it, or None

    def _visitor(self, kind: type) -> Optional[str]:
        visitors = type(self)._visitors
        if kind not in visitors:
            name = "visit_" + kind.__name__
            visitors[kind] = name if hasattr(type(self), name) else None
        return visitors[kind]

    def visit(self, node: ast.AST):
        """Visit a node: its class's visitor, or :meth:`generic_visit`."""
        name = self._visitor(node.__class__)
        return self.generic_visit(node) if name is None else getattr(self, name)(node)

    def _visit_items(self, values: list) -> None:
        """Visit the nodes of a field's list in place: a visit returning None drops the node, a list
        splices its items in, as ``ast.NodeTransformer`` does."""
        new_values = []
        for value in values:
            if isinstance(value, ast.AST):
                value = self.visit(value)
                if value is None:
                    continue
                if not isinstance(value, ast.AST):
                    new_values.extend(value)
                    continue
            new_values.append(value)
        values[:] = new_values

    def generic_visit(self, node: ast.AST) -> ast.AST:
        """Visit the children of ``node`` and put back what the visits return, as
        ``ast.NodeTransformer.generic_visit`` does."""
        for field in node._fields:
            try:
                old_value = getattr(node, field)
            except AttributeError:
                continue
            if isinstance(old_value, list):
                self._visit_items(old_value)
            elif isinstance(old_value, ast.AST):
                if not old_value._fields and self._visitor(old_value.__class__) is None:
                    continue  # a leaf no visitor changes
                new_node = self.visit(old_value)
                if new_node is None:
                    delattr(node, field)
                else:
                    setattr(node, field, new_node)
        return node
