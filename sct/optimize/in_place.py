"""Adjoint accumulations into arrays the function owns: ``a_bar = a_bar + g`` as ``accumulate(a_bar, g)``,
and ``a = added_at(a, i, g)`` (a copy of ``a`` with ``g`` added at ``i``) as ``a = add_at(a, i, g)``.

``a + g`` allocates a new array each time; ``accumulate`` (``sct.runtime.broadcasting``) adds ``g`` into
``a``'s own memory when the sum has ``a``'s shape and dtype, and is ``a + g`` otherwise (``add_at`` writes
into ``a``, as ``added_at`` writes into its copy; their batched forms alike). Writing into ``a``'s
array is the same as rebinding ``a`` only when nothing else can see that array, so the rewrite needs
``a`` *unshared* at the statement, on every path to it (a must-analysis over the function's structured
control flow):

* an assignment ``a = e`` makes ``a`` unshared when ``e`` gives a new object (:mod:`sct.optimize.new_objects`:
  arithmetic, ``np.zeros_like``, ``seed_like``, ``contract`` of two operands, ``unbroadcast`` of a new
  object, ...) or is an unshared name read nowhere else (``a = b``: the array passes to ``a``) — and
  shared otherwise;
* a read of ``a`` that may keep its array (bare, as a call argument, put in a tuple or on the tape,
  indexed — a view — or as an attribute like ``.T``) makes it shared from there on; reads that make a new
  object or only look at it (an operand of arithmetic, ``a.shape``, ``np.shape(a)``, ``written_adjoint``,
  which copies) keep it unshared.

``b = added_at(a, i, g)`` just before ``a = b`` is written into ``a`` too: ``a``'s old value is read no more.

A loop with ``break`` or ``continue``, and ``try``, ``with`` and nested functions, are not followed: the
names in them become shared and nothing in them is rewritten. Only derivative statements are rewritten.
Code sct reads again (higher derivatives) sees ``accumulate(a, g)`` as ``a + g`` again
(:mod:`sct.frontend.value_spellings`), so a further transformation never differentiates an update in place.
"""
from __future__ import annotations

import ast
from collections import Counter
from typing import Dict, FrozenSet, Optional, Set

from ..ir import annotations as anno
from ..ir.astutil import walk
from .new_objects import gives_new_object

ACCUMULATE = "accumulate"
_IN_PLACE = {"added_at": "add_at", "batch_added_at": "batch_add_at"}  # a copy's update, and in place
_COPYING = {"written_adjoint"}  # runtime calls that copy what they read of their arguments
_LOOKS = {"shape", "ndim", "dtype", "size"}  # attributes that keep nothing of the array
_LOOKING_CALLS = {"shape", "ndim", "size"}  # np.shape(a) and its kin
_OPAQUE = (ast.Try, ast.With, ast.AsyncWith, ast.AsyncFor, ast.FunctionDef, ast.AsyncFunctionDef,
           ast.ClassDef, ast.Match) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())

_BLOCKS = ("body", "orelse", "finalbody")
State = FrozenSet[str]


def accumulate_in_place(func: ast.FunctionDef, numpy: str = "np") -> ast.FunctionDef:
    """Rewrite ``func``'s derivative statements ``a = a + g`` (or ``g + a``) whose ``a`` is unshared
    (see the module docstring) into ``a = accumulate(a, g)``, in place; returns ``func``."""
    skipped = (ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.Await, ast.Lambda, ast.NamedExpr)
    reads: Counter = Counter()
    blocks = []  # the statement lists of the function, for _moved_results
    for node in walk(func):  # once, for all that the analysis reads of the whole function
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                reads[node.id] += 1
        elif isinstance(node, skipped):
            return func
        else:
            blocks.extend(block for block in (getattr(node, field, None) for field in _BLOCKS)
                          if isinstance(block, list))  # not a lambda's or a conditional expression's body
    flow = _Flow(numpy, _moved_results(blocks), reads)
    flow.block(func.body, frozenset(), record=True)
    for stmt in flow.chosen.values():
        if _added_at(stmt, flow.moved) is not None:
            stmt.value.func.id = _IN_PLACE[stmt.value.func.id]
        else:
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


def _added_at(stmt: ast.stmt, moved: Set[int]) -> Optional[str]:
    """``a`` for ``a = added_at(a, i, g)`` (or ``batch_added_at``), or ``b = added_at(a, i, g)`` just before
    ``a = b`` (``moved``), with ``i`` and ``g`` not reading ``a``: ``a``'s old value is read no more."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Name)
            and stmt.value.func.id in _IN_PLACE and len(stmt.value.args) == 3 and not stmt.value.keywords):
        return None
    target, *rest = stmt.value.args
    if not isinstance(target, ast.Name) or not (target.id == stmt.targets[0].id or id(stmt) in moved) \
            or any(isinstance(n, ast.Name) and n.id == target.id for part in rest for n in walk(part)):
        return None
    return target.id


def _moved_results(blocks) -> Set[int]:
    """The ids of the statements ``b = added_at(a, ...)`` (any call) followed in their block (one of
    ``blocks``) by ``a = b``."""
    moved = set()
    for block in blocks:
        for stmt, following in zip(block, block[1:]):
            result = _single_name(stmt)
            if result is not None and isinstance(stmt.value, ast.Call) and stmt.value.args \
                    and isinstance(stmt.value.args[0], ast.Name) \
                    and _copy_of_name(following) == (stmt.value.args[0].id, result):
                moved.add(id(stmt))
    return moved


def _single_name(stmt: ast.stmt) -> Optional[str]:
    """``a`` for an assignment ``a = ...`` to one name; else ``None``."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id
    return None


def _copy_of_name(stmt: ast.stmt):
    """``(a, b)`` for ``a = b`` (both names); else ``None``."""
    if _single_name(stmt) is not None and isinstance(stmt.value, ast.Name):
        return stmt.targets[0].id, stmt.value.id
    return None


class _Flow:
    """The must-analysis of unshared names; ``chosen`` collects the ids of the statements to rewrite."""

    def __init__(self, numpy: str, moved: Set[int], reads: Counter):
        self.numpy = numpy
        self.moved = moved  # see _moved_results
        self.reads = reads  # how often each name is read in the function
        self.chosen: Dict[int, ast.stmt] = {}  # the statements to rewrite, by id
        # what kept, _names and _jumps find of a node (the tree does not change while the flow runs;
        # loops are gone through until their states settle), by id
        self._kept: Dict[tuple, Set[str]] = {}
        self._names: Dict[int, Set[str]] = {}
        self._jumps: Dict[int, bool] = {}
        self._stored: Dict[int, Set[str]] = {}

    def block(self, body, state: State, record: bool) -> State:
        for stmt in body:
            state = self.statement(stmt, state, record)
        return state

    def statement(self, stmt: ast.stmt, state: State, record: bool) -> State:
        if isinstance(stmt, _OPAQUE) or (isinstance(stmt, (ast.For, ast.While)) and self.jumps(stmt)):
            return state - self.names(stmt)
        if isinstance(stmt, ast.If):
            state = state - self.kept(stmt.test)
            return self.block(stmt.body, state, record) & self.block(stmt.orelse, state, record)
        if isinstance(stmt, (ast.For, ast.While)):
            return self.loop(stmt, state, record)
        if record and anno.get(stmt, "derivative", False):
            name = _accumulation(stmt)[0] or _added_at(stmt, self.moved)
            if name is not None and name in state:
                self.chosen[id(stmt)] = stmt
        before, state = state, state - self.kept(stmt, anno.get(stmt, "derivative", False))
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                state = state - self.stored(target)
                if isinstance(target, ast.Name) and len(targets) == 1 and stmt.value is not None \
                        and (self.new(stmt.value, anno.get(stmt, "derivative", False))
                             or self.moves(stmt.value, before)):
                    state = state | {target.id}
        elif isinstance(stmt, ast.Delete):
            state = state - self.names(stmt)
        return state

    def names(self, node: ast.AST) -> Set[str]:
        found = self._names.get(id(node))
        if found is None:
            found = self._names[id(node)] = _names(node)
        return found

    def jumps(self, loop: ast.stmt) -> bool:
        found = self._jumps.get(id(loop))
        if found is None:
            found = self._jumps[id(loop)] = _jumps(loop)
        return found

    def stored(self, target: ast.expr) -> Set[str]:
        found = self._stored.get(id(target))
        if found is None:
            found = self._stored[id(target)] = {n.id for n in walk(target) if isinstance(n, ast.Name)
                                                and isinstance(n.ctx, ast.Store)}
        return found

    def loop(self, loop, entry: State, record: bool) -> State:
        header = loop.iter if isinstance(loop, ast.For) else loop.test
        entry = entry - self.kept(header)
        bound = self.names(loop.target) if isinstance(loop, ast.For) else set()
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
        """Does evaluating ``value`` give an object no other name holds (:mod:`sct.optimize.new_objects`)?"""
        return gives_new_object(value, self.numpy, made)

    def moves(self, value: ast.expr, state: State) -> bool:
        """Is ``value`` an unshared name read nowhere else, so that its array passes to the assigned name?"""
        return isinstance(value, ast.Name) and value.id in state and self.reads[value.id] == 1

    def kept(self, node: ast.AST, made: bool = False) -> Set[str]:
        """Names read in ``node`` in a way that may keep their object (see the module docstring); in a
        statement sct ``made``, the runtime's copying calls keep nothing of their arguments."""
        key = (id(node), made)
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = self._kept_in(node, made)
        return found

    def _kept_in(self, node: ast.AST, made: bool) -> Set[str]:
        harmless: Set[int] = set()
        found: Set[str] = set()
        for part in walk(node):  # a node comes before the nodes below it: harmless is known in time
            if isinstance(part, ast.Name):
                if isinstance(part.ctx, ast.Load) and id(part) not in harmless:
                    found.add(part.id)
            elif isinstance(part, ast.BinOp):
                harmless.update((id(part.left), id(part.right)))
            elif isinstance(part, ast.UnaryOp):
                harmless.add(id(part.operand))
            elif isinstance(part, ast.Compare):
                harmless.update(id(n) for n in [part.left] + part.comparators)
            elif isinstance(part, ast.Attribute) and part.attr in _LOOKS:
                harmless.add(id(part.value))
            elif isinstance(part, ast.Call) and (self.looks(part.func) or made and self.copies(part.func)):
                harmless.update(id(a) for a in part.args)
            elif isinstance(part, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = part.targets if isinstance(part, ast.Assign) else [part.target]
                harmless.update(id(t.value) for t in targets if isinstance(t, ast.Subscript))  # a[i] = v
                if isinstance(part, ast.AugAssign):
                    harmless.add(id(part.target))
        return found

    @staticmethod
    def copies(func: ast.expr) -> bool:
        return isinstance(func, ast.Name) and func.id in _COPYING

    def looks(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Name):
            return func.id == "len"
        return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id == self.numpy and func.attr in _LOOKING_CALLS)


def _jumps(loop: ast.stmt) -> bool:
    return any(isinstance(n, (ast.Break, ast.Continue)) for n in walk(loop))


def _names(node: ast.AST) -> Set[str]:
    return {n.id for n in walk(node) if isinstance(n, ast.Name)}
