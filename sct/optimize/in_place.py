"""Adjoint accumulations into arrays the function owns: ``a_bar = a_bar + g`` as ``accumulate(a_bar, g)``.

``a + g`` allocates a new array each time; ``accumulate`` (``sct.runtime.broadcasting``) adds ``g`` into
``a``'s own memory when the sum has ``a``'s shape and dtype, and is ``a + g`` otherwise. Writing into ``a``'s
array is the same as rebinding ``a`` only when nothing else can see that array, so the rewrite needs
``a`` *unshared* at the statement, on every path to it (a must-analysis over the function's structured
control flow):

* an assignment ``a = e`` makes ``a`` unshared when ``e`` gives a new object — arithmetic, a comparison,
  ``np.zeros_like`` and its kin, ``seed_like`` (which copies the caller's seed), ``contract`` of two
  operands or more, ``unbroadcast`` and ``einsum_fit`` of a new object (which they return, or a new sum,
  or a read-only broadcast ``accumulate`` does not write into) — and shared otherwise;
* a read of ``a`` that may keep its array (bare, as a call argument, put in a tuple or on the tape,
  indexed — a view — or as an attribute like ``.T``) makes it shared from there on; reads that make a new
  object or only look at it (an operand of arithmetic, ``a.shape``, ``np.shape(a)``) keep it unshared.

A loop with ``break`` or ``continue``, and ``try``, ``with`` and nested functions, are not followed: the
names in them become shared and nothing in them is rewritten. Only derivative statements are rewritten.
Code sct reads again (higher derivatives) sees ``accumulate(a, g)`` as ``a + g`` again
(:mod:`sct.frontend.value_spellings`), so a further transformation never differentiates an update in place.
"""
from __future__ import annotations

import ast
from typing import FrozenSet, Set

from ..ir import annotations as anno
from ..ir.astutil import walk

ACCUMULATE = "accumulate"
_NEW = {"zeros_like", "zeros", "ones_like", "ones", "full", "full_like"}  # numpy calls giving new arrays
_NEW_RUNTIME = {"seed_like", "zeros_of", ACCUMULATE}
_FITTING = {"unbroadcast", "einsum_fit"}  # give their first argument, a new sum, or a read-only broadcast
_LOOKS = {"shape", "ndim", "dtype", "size"}  # attributes that keep nothing of the array
_LOOKING_CALLS = {"shape", "ndim", "size"}  # np.shape(a) and its kin
_OPAQUE = (ast.Try, ast.With, ast.AsyncWith, ast.AsyncFor, ast.FunctionDef, ast.AsyncFunctionDef,
           ast.ClassDef, ast.Match) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())

State = FrozenSet[str]


def accumulate_in_place(func: ast.FunctionDef, numpy: str = "np") -> ast.FunctionDef:
    """Rewrite ``func``'s derivative statements ``a = a + g`` (or ``g + a``) whose ``a`` is unshared
    (see the module docstring) into ``a = accumulate(a, g)``, in place; returns ``func``."""
    skipped = (ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.Await, ast.Lambda, ast.NamedExpr)
    if any(isinstance(n, skipped) for n in walk(func)):
        return func
    flow = _Flow(numpy)
    flow.block(func.body, frozenset(), record=True)
    for stmt in walk(func):
        if id(stmt) in flow.chosen:
            name, term = _accumulation(stmt)
            stmt.value = ast.copy_location(
                ast.Call(func=ast.Name(id=ACCUMULATE, ctx=ast.Load()),
                         args=[ast.Name(id=name, ctx=ast.Load()), term], keywords=[]), stmt.value)
    return func


def _accumulation(stmt: ast.stmt):
    """``(a, g)`` for ``a = a + g`` or ``a = g + a`` with ``g`` not reading ``a``; else ``(None, None)``."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.BinOp) and isinstance(stmt.value.op, ast.Add)):
        return None, None
    name, value = stmt.targets[0].id, stmt.value
    for own, term in ((value.left, value.right), (value.right, value.left)):
        if isinstance(own, ast.Name) and own.id == name \
                and not any(isinstance(n, ast.Name) and n.id == name for n in walk(term)):
            return name, term
    return None, None


class _Flow:
    """The must-analysis of unshared names; ``chosen`` collects the ids of the statements to rewrite."""

    def __init__(self, numpy: str):
        self.numpy = numpy
        self.chosen: Set[int] = set()

    def block(self, body, state: State, record: bool) -> State:
        for stmt in body:
            state = self.statement(stmt, state, record)
        return state

    def statement(self, stmt: ast.stmt, state: State, record: bool) -> State:
        if isinstance(stmt, _OPAQUE) or (isinstance(stmt, (ast.For, ast.While)) and _jumps(stmt)):
            return state - _names(stmt)
        if isinstance(stmt, ast.If):
            state = state - self.kept(stmt.test)
            return self.block(stmt.body, state, record) & self.block(stmt.orelse, state, record)
        if isinstance(stmt, (ast.For, ast.While)):
            return self.loop(stmt, state, record)
        if record and anno.get(stmt, "derivative", False):
            name, _ = _accumulation(stmt)
            if name is not None and name in state:
                self.chosen.add(id(stmt))
        state = state - self.kept(stmt)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                state = state - {n.id for n in walk(target)
                                 if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
                if isinstance(target, ast.Name) and len(targets) == 1 and stmt.value is not None \
                        and self.new(stmt.value, anno.get(stmt, "derivative", False)):
                    state = state | {target.id}
        elif isinstance(stmt, ast.Delete):
            state = state - _names(stmt)
        return state

    def loop(self, loop, entry: State, record: bool) -> State:
        header = loop.iter if isinstance(loop, ast.For) else loop.test
        entry = entry - self.kept(header)
        bound = _names(loop.target) if isinstance(loop, ast.For) else set()
        head = entry - bound
        while True:  # the states only shrink: this ends
            end = self.block(loop.body, head, False)
            if isinstance(loop, ast.While):
                end = end - self.kept(loop.test)
            again = head & end
            if again == head:
                break
            head = again
        self.block(loop.body, head, record)
        return self.block(loop.orelse, head, record)

    def new(self, value: ast.expr, made: bool) -> bool:
        """Does evaluating ``value`` give an object no other name holds? Calls count only in statements sct
        ``made`` (where the names are numpy's and the runtime's, not the user's)."""
        if isinstance(value, (ast.BinOp, ast.UnaryOp, ast.Compare)):
            return True
        if not (made and isinstance(value, ast.Call)):
            return False
        func = value.func
        if isinstance(func, ast.Name) and func.id in _FITTING and value.args:
            return self.new(value.args[0], made)  # its argument itself, or a new sum
        if isinstance(func, ast.Name) and func.id == "contract" and len(value.args) >= 3:
            return True  # a product of two operands or more: never a view of one
        if isinstance(func, ast.Name):
            return func.id in _NEW_RUNTIME
        return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id == self.numpy and func.attr in _NEW)

    def kept(self, node: ast.AST) -> Set[str]:
        """Names read in ``node`` in a way that may keep their object (see the module docstring)."""
        harmless: Set[int] = set()
        for part in walk(node):
            if isinstance(part, ast.BinOp):
                harmless.update((id(part.left), id(part.right)))
            elif isinstance(part, ast.UnaryOp):
                harmless.add(id(part.operand))
            elif isinstance(part, ast.Compare):
                harmless.update(id(n) for n in [part.left] + part.comparators)
            elif isinstance(part, ast.Attribute) and part.attr in _LOOKS:
                harmless.add(id(part.value))
            elif isinstance(part, ast.Call) and self.looks(part.func):
                harmless.update(id(a) for a in part.args)
            elif isinstance(part, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = part.targets if isinstance(part, ast.Assign) else [part.target]
                harmless.update(id(t.value) for t in targets if isinstance(t, ast.Subscript))  # a[i] = v
                if isinstance(part, ast.AugAssign):
                    harmless.add(id(part.target))
        return {n.id for n in walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                and id(n) not in harmless}

    def looks(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Name):
            return func.id == "len"
        return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id == self.numpy and func.attr in _LOOKING_CALLS)


def _jumps(loop: ast.stmt) -> bool:
    return any(isinstance(n, (ast.Break, ast.Continue)) for n in walk(loop))


def _names(node: ast.AST) -> Set[str]:
    return {n.id for n in walk(node) if isinstance(n, ast.Name)}
