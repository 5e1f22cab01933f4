"""Reverse mode of Python lists (tuples, dicts) beside arrays.

* A slice assignment into a list (``a[1:] = [v]``) may change its length: the forward sweep keeps the whole
  list, the reverse sweep puts it back first and finds the positions ``v`` went to from the list's old
  length (``sct.runtime.list_writes``).
* A rule's adjoint of a list that numpy read as an array (``np.sum(xs)``) is an array: split into items.
* An item of a container may be a container (a helper's ``return v, (a, b)``): its adjoint starts item by
  item and adds with ``add_lists``; ``+`` or ``*`` of one is checked not to join or repeat lists.
"""
from __future__ import annotations

import ast
from typing import List, Set

from ..analysis.containers import container_items
from ..ir.astutil import clone
from ..ir.builders import call, derivative, load, store
from ..rules import registry
from ..rules.templates import Contribution
from .reverse_ast import RESTORE, index_value, marker

RUNTIME = "sct.runtime."


class ListAdjoints:
    """Lists' adjoints for :class:`sct.modes.reverse.ReverseTransformer`."""

    LIST_ADJOINT = "list_adjoint"
    ADD_LISTS = "add_lists"

    def find_items_of_sequences(self, func: ast.FunctionDef, sequences: Set[str]) -> Set[str]:
        """Names bound to an item of a list, tuple or dict (``t = c[k]``), or to an item of such a name,
        and so on: each may be a container itself (``(W, b), c = layers[k]``)."""
        return container_items(func, sequences)

    def may_hold_containers(self, name: str) -> bool:
        """May ``name``'s adjoint be a list or dict, whose ``+`` (``+=``) joins instead of adding?"""
        return name in self.lists or name in self.p.sequences or name in self.items_of_sequences

    def may_be_container(self, value: ast.expr) -> bool:
        """Is ``value`` the adjoint of an item of a sequence that may be a sequence itself?"""
        names = {self.p.bar_name(n) for n in self.items_of_sequences}
        return isinstance(value, ast.Name) and value.id in names

    def list_adjoint(self, value: ast.expr, arg: ast.Name) -> ast.expr:
        """A contribution to the adjoint of the list ``arg`` as a list: a rule's adjoint of an operand that
        numpy reads as an array (``np.sum(xs)``) is an array, split back into items."""
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                and registry.returns_list(RUNTIME + value.func.id):
            return value
        return call(self.LIST_ADJOINT, value, clone(arg))

    def operands_checked(self, stmt: ast.Assign) -> List[ast.stmt]:
        """``z = a + b`` (``a * n``) where an operand is an item of a container, which may be a list: the
        forward sweep checks at run time that it is arithmetic, not a join (a repetition) of lists, whose
        adjoint would be wrong (``d['a'] + d['b']``)."""
        value = stmt.value
        if not (isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Add, ast.Mult))
                and any(self.p.is_active(t) for t in stmt.targets)):
            return []
        operands = (value.left, value.right)
        if not any(isinstance(o, ast.Name) and o.id in self.items_of_sequences for o in operands):
            return []
        context = self.p.context
        line = getattr(stmt, "lineno", 0) + context.line_offset
        where = f"{context.filename}:{line}:{getattr(stmt, 'col_offset', 0) + context.col_offset}"
        operator = ast.Constant("+" if isinstance(value.op, ast.Add) else "*")
        check = call("arithmetic_operands", clone(value.left), clone(value.right), operator,
                     ast.Constant(where))
        return [ast.Expr(value=check)]

    def is_list_slice_write(self, target: ast.Subscript) -> bool:
        """``a[i:j] = v`` into a list: it may change the list's length."""
        base = target.value.id
        return isinstance(target.slice, ast.Slice) and (base in self.lists or base in self.p.sequences)

    def saved_part(self, target: ast.Subscript) -> ast.expr:
        """What the forward sweep keeps before ``x[i] = v``: ``x[i]``, or all of a list written by slice."""
        return ast.Slice() if self.is_list_slice_write(target) else target.slice

    def reverse_list_slice_write(self, stmt: ast.Assign) -> List[ast.stmt]:
        """``a[i:j] = v`` into a list: the list comes back first, then ``v`` takes the adjoint of the
        positions it went to, which are cleared (zeros for the items they replaced)."""
        p = self.p
        target = stmt.targets[0]
        base = target.value.id
        out: List[ast.stmt] = [marker(RESTORE, base, ast.Slice())]
        if base in p.active and base in self.live:
            bar, index = p.bar_name(base), index_value(clone(target.slice))
            if p.is_active(stmt.value):
                item = call("slice_written", load(bar), index, load(base), clone(stmt.value))
                out += self.contribute(Contribution(stmt.value, item))
            cleared = call("slice_cleared", load(bar), clone(index), load(base))
            out.append(derivative(ast.Assign(targets=[store(bar)], value=cleared, lineno=0)))
        return out
