"""Vector reverse mode: a batch of K seeds pulled back through one reverse sweep.

``diff_f(*params, seed)`` with ``seed`` of shape ``(K,) + value.shape`` returns ``(value, x_bar)`` with
``x_bar`` of shape ``(K,) + x.shape``: the forward sweep runs once, and every adjoint carries the batch as a
leading axis, so the identity as seed gives a whole Jacobian, one row per output.

The emitted code is that of :mod:`sct.modes.reverse` with batch-aware pieces: the shape helpers become
their batched forms (``unbroadcast`` -> ``batch_unbroadcast``, ``unreduce`` -> ``batch_unreduce``...),
adjoints of indexing keep the batch axis (``x_bar[:, i] += ...``), and the rules where the batch axis
matters (reshapes, transposes, products, solves, einsum) have batched templates (sct/vector_rules.py). A
rule whose declaration says neither how it batches nor gives a batched form makes the transformation fail
with an SCTError, and
``sct.jacobian`` then falls back to one reverse sweep per output (and says so).
"""
from __future__ import annotations

import ast
import copy
from typing import List

import numpy as np  # noqa: F401

from ..ir.builders import call, derivative, load
from ..rules import registry
from ..rules.batched_rules import unbatched_helpers
from ..rules.core import Template
from ..rules.templates import Contribution, instantiate, is_zero
from ..rules.user_sites import checked_adjoints
from .reverse import ReverseTransformer
from .reverse_ast import index_value as _index_value
from .reverse_ast import static_index as _static_index


class _Batched(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        renamed = registry.batched_helpers()
        if isinstance(node.func, ast.Name) and node.func.id in renamed:
            node.func = ast.Name(id=renamed[node.func.id], ctx=ast.Load())
        return node


def batched(items: list) -> list:
    """Rename the shape helpers in emitted adjoint code to their batched forms."""
    for item in items:
        if isinstance(item, Contribution):
            item.value = _Batched().visit(item.value)
        else:
            _Batched().visit(item)
    return items


class VectorReverseTransformer(ReverseTransformer):
    """Emits ``diff_f(*params, seed)`` whose adjoints carry the leading batch axis of ``seed``."""

    LIST_ADJOINT = "batch_list_adjoint"
    ADD_LISTS = "batch_add_lists"

    def seed_statements(self, ret: ast.Return, seed: str):
        def start():  # the batch of seeds is built by sct.jacobian, already shaped
            return self.seed_contributions(ret.value, ast.Name(id=seed, ctx=ast.Load()))
        size = ast.Assign(targets=[ast.Name(id=self.p.batch, ctx=ast.Store())],
                          value=ast.Call(func=ast.Name(id="batch_size", ctx=ast.Load()),
                                         args=[ast.Name(id=seed, ctx=ast.Load())], keywords=[]), lineno=0)
        return lambda: [size] + start()

    def seed_contributions(self, value: ast.expr, seed: ast.expr) -> List[ast.stmt]:
        """A returned tuple's items take ``batch_item`` of the seeds: a helper's caller may hand it the
        batch of its tuple's adjoints as one array (the directions first), or as a list of batches."""
        if isinstance(value, ast.Tuple):
            out = []
            for i, element in enumerate(value.elts):
                item = ast.Call(func=ast.Name(id="batch_item", ctx=ast.Load()),
                                args=[copy.deepcopy(seed), ast.Constant(i)], keywords=[])
                out += self.contribute(Contribution(element, item))
            return out
        return super().seed_contributions(value, seed)

    def adjoint_of(self, stmt: ast.Assign, targets: List[str]) -> list:
        p = self.p
        operation = p.operation(stmt.value)
        if operation is None and isinstance(stmt.value, (ast.List, ast.Tuple)):  # items of a batch of lists
            z_bar = ast.Name(id=p.bar_name(targets[0]), ctx=ast.Load())
            return [Contribution(e, ast.Call(func=ast.Name(id="batch_item", ctx=ast.Load()),
                                             args=[z_bar, ast.Constant(i)], keywords=[]))
                    for i, e in enumerate(stmt.value.elts)]
        if operation is None and isinstance(stmt.value, ast.Dict):  # a dict of batches: by key
            z_bar = ast.Name(id=p.bar_name(targets[0]), ctx=ast.Load())
            return [Contribution(e, ast.Subscript(value=z_bar, slice=copy.deepcopy(k), ctx=ast.Load()))
                    for k, e in zip(stmt.value.keys, stmt.value.values)]
        if operation is None or operation.kind != "primitive":
            return batched(super().adjoint_of(stmt, targets))
        rule = p.rule_for(operation, stmt.value)
        if rule is None:
            return []
        site = p.call_site(rule, operation, targets, stmt.value)
        qualname = site.rule.qualname
        form = site.rule.batched_form("adjoint")
        if form is not None and site.rule.batched_adjoint is not None:  # written for batches
            return instantiate(form, site, "adjoint") if isinstance(form, Template) else form(site)
        if form is not None:  # derived from the declaration: its helpers still get their batched forms
            produced = batched(checked_adjoints(site, instantiate(form, site, "adjoint")))
        elif site.rule.partials is None and not site.rule.batches_as_written("adjoint"):
            raise p.context.error(stmt, f"no batched adjoint for '{qualname}'",
                                  hint="declare how the rule batches (sct/rules/core.py)")
        else:
            produced = batched(super().adjoint_of(stmt, targets))
        unknown = unbatched_helpers(produced)
        if unknown:
            raise p.context.error(stmt, f"no batched form of the helper '{unknown[0]}' ('{qualname}')",
                                  hint="declare the helper's batched form (sct/rules/runtime_rules.py)")
        return produced

    def _batch_target(self, bar: str, index: ast.expr) -> ast.Subscript:
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        return ast.Subscript(value=ast.Name(id=bar, ctx=ast.Load()),
                             slice=ast.Tuple(elts=[ast.Slice()] + [copy.deepcopy(e) for e in parts],
                                             ctx=ast.Load()), ctx=ast.Load())

    def written_adjoint(self, base: str, index: ast.expr, value: ast.expr) -> ast.expr:
        """As in scalar reverse mode, with the batched helpers."""
        return _Batched().visit(super().written_adjoint(base, index, value))

    def reverse_list_slice_write(self, stmt: ast.Assign) -> List[ast.stmt]:
        """As in scalar reverse mode, with the batched helpers."""
        return batched(super().reverse_list_slice_write(stmt))

    @staticmethod
    def adjoint_item(bar: str, index: ast.expr) -> ast.expr:
        """``x_bar[:, i]`` for the whole batch of adjoints."""
        args = [ast.Name(id=bar, ctx=ast.Load()), _index_value(copy.deepcopy(index))]
        return ast.Call(func=ast.Name(id="batch_item", ctx=ast.Load()), args=args, keywords=[])

    @staticmethod
    def clear_adjoint_item(bar: str, index: ast.expr) -> ast.stmt:
        """``x_bar[:, i] = 0.0`` for the whole batch of adjoints."""
        clear = ast.Call(func=ast.Name(id="batch_setitem", ctx=ast.Load()), keywords=[],
                         args=[ast.Name(id=bar, ctx=ast.Load()), _index_value(copy.deepcopy(index)),
                               ast.Constant(0.0)])
        return ast.Expr(value=clear)

    def zeros(self, name: str) -> ast.expr:
        """A zero batch of adjoints for ``name`` (``batch_zeros`` makes a list of batches for a list; a
        tuple of arrays, from a call or written out, is read as one)."""
        if name in self.lists or name in self.p.sequences:
            return call("batch_zeros", load(name), load(self.p.batch), ast.Constant(True))
        return self.p.zeros_like(name)

    def contribute(self, item: Contribution) -> List[ast.stmt]:
        """As in scalar reverse mode; indexed contributions address the batch (``x_bar[:, i]``), except in
        a list, whose items are batches."""
        if item.index is None or not self.p.is_active(item.arg) or is_zero(item.value) \
                or item.arg.id in self.lists or item.arg.id in self.p.sequences:
            return super().contribute(item)
        p = self.p
        name = item.arg.id
        bar = p.bar_name(name)
        out: List[ast.stmt] = []
        if name in self.in_place:
            if name not in self.live:
                out.append(derivative(ast.Assign(targets=[ast.Name(id=bar, ctx=ast.Store())],
                                                 value=p.zeros_like(name), lineno=0)))
                self.live.add(name)
            # an item of a tuple may be a tuple of batches, or one batch: batch_add_at tells them apart
            # so may a helper's parameter (a list the caller passes): batch_add_at tells them apart too
            static = _static_index(item.index, self.int_names) and name not in self.items_of_sequences \
                and (self.main or name not in self.p.params) and name not in self.items
            if static:
                target = self._batch_target(bar, item.index)
                target.ctx = ast.Store()
                add: ast.stmt = ast.AugAssign(target=target, op=ast.Add(), value=item.value)
            else:
                add = ast.Expr(value=ast.Call(func=ast.Name(id="batch_add_at", ctx=ast.Load()), args=[
                    ast.Name(id=bar, ctx=ast.Load()), _index_value(item.index), item.value], keywords=[]))
            out.append(derivative(add))
            return out
        value: ast.expr = ast.Call(func=ast.Name(id="batch_scatter", ctx=ast.Load()), args=[
            item.value, copy.deepcopy(item.arg), _index_value(item.index)], keywords=[])
        if name in self.live:
            value = ast.BinOp(left=ast.Name(id=bar, ctx=ast.Load()), op=ast.Add(), right=value)
        self.live.add(name)
        out.append(derivative(ast.Assign(targets=[ast.Name(id=bar, ctx=ast.Store())], value=value, lineno=0)))
        return out
