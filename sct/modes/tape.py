"""The reverse sweep's record of overwritten values, and the split of a derivative into two halves.

While building the sweeps, the reverse transformation leaves a *save* marker before every assignment that
may overwrite a value and a *restore* marker after that statement's adjoint. Only once the whole adjoint
code exists is it known which values it reads; :class:`TapeMixin` then turns the markers of those
variables into ``_stack.append(v)`` / ``v = _stack.pop()`` and drops the rest.
"""
from __future__ import annotations

import ast
import re
from typing import List, Optional, Set

from ..analysis.activity import assigned_names
from ..analysis.aliasing import storage_at_return
from ..ir import annotations as anno
from ..ir.astutil import clone, statements, walk
from ..ir.blocks import all_statements
from ..ir.builders import call, load, method_call, store
from .reverse_ast import RESTORE, SAVE, reads

_FRESH = (ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Constant)  # values that never alias an input
_VIEWS = (ast.Subscript, ast.Attribute, ast.Name)  # values that may share another name's entries


class TapeMixin:
    """Save/restore placement and helper halves for :class:`sct.modes.reverse.ReverseTransformer`."""

    def split_function(self, name: str) -> List[ast.FunctionDef]:
        """The derivative as two halves for callers: ``<name>_forward(*params) -> (value, tape)`` runs the
        forward sweep once, ``<name>_backward(tape, seed) -> grads`` runs the reverse sweep from its tape,
        so a caller does not evaluate the helper twice."""
        self.shape_seed = False  # a caller passes the adjoint of the helper's result, already shaped
        self.main = False
        whole = self.function(name)
        body = whole.body
        forward, backward = body[:self.split_at], body[self.split_at:]
        returned = backward[-1].value
        defined = set(self.p.params)
        for stmt in forward:
            for node in walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    defined.add(node.id)
        # the backward half returns the gradients only: the value it does not read goes on no tape
        read = set().union(*(reads(s) for s in backward[:-1])) | reads(returned.elts[1])
        tape_names = sorted(read & defined)
        tape = self.p.namer.fresh("tape")
        # a name bound only in a branch or loop that did not run (a loop's index) still goes on the tape
        bound = _bound_first(forward, self.p.params)
        forward[:0] = [ast.Assign(targets=[store(n)], value=ast.Constant(value=None), lineno=0)
                       for n in tape_names if n not in bound]
        # an array made here (no view) and read back only for its shape is kept as a stand-in of its shape
        shaped = _read_for_shape_only(backward[:-1] + [returned.elts[1]], tape_names)
        shaped &= _made_fresh(forward, calls=True)
        pack = ast.Tuple(elts=[call("shape_of", load(n)) if n in shaped else load(n) for n in tape_names],
                         ctx=ast.Load())
        forward.append(ast.Return(value=ast.Tuple(elts=[returned.elts[0], pack], ctx=ast.Load())))
        unpack = ast.Assign(targets=[ast.Tuple(elts=[store(n) for n in tape_names], ctx=ast.Store())],
                            value=load(tape), lineno=0)
        backward = [unpack] + backward[:-1] + [ast.Return(value=returned.elts[1])]
        forward_args = clone(self.p.func.args)
        backward_args = ast.arguments(posonlyargs=[], args=[ast.arg(arg=tape), ast.arg(arg=self.seed_name)],
                                      kwonlyargs=[], kw_defaults=[], defaults=[ast.Constant(value=1.0)])
        made = []
        halves = (("forward", forward_args, forward), ("backward", backward_args, backward))
        for suffix, args, half in halves:
            func = ast.FunctionDef(name=f"{name}_{suffix}", args=args, body=half, decorator_list=[],
                                   returns=None, type_comment=None, type_params=[])
            made.append(ast.copy_location(func, whole))
        return made

    def finalize(self, body: List[ast.stmt], func: ast.FunctionDef, split: Optional[ast.stmt] = None
                 ) -> List[ast.stmt]:
        """Keep saves/restores only for variables the emitted adjoint code reads; add the stack. A value
        the reverse sweep (the statements after ``split``) reads only for its shape is pushed as
        ``shape_of`` of it, which holds no copy of its entries."""
        needed = self._needed_values(body)
        self.shaped = set() if split is None else self._read_as_shape(body[body.index(split) + 1:], needed)
        self.restored: Set[str] = set()
        self.mutated: Set[str] = set()
        self.undefined: Set[str] = set()
        body = self._place_saves(body, needed, set(self.p.params), top=True)
        self._keep_return_value(body)
        if split is not None and self.main:
            body = self._release_shapes(body, body.index(split))
        preamble: List[ast.stmt] = []
        if any(self._on_stack(s) for top in body for s in all_statements(top)):
            preamble.append(ast.Assign(targets=[store(self.stack)], value=ast.List(elts=[], ctx=ast.Load()),
                                       lineno=0))
        for name in sorted(self.undefined):
            preamble.append(ast.Assign(targets=[store(name)], value=ast.Constant(value=None), lineno=0))
        return preamble + body

    @staticmethod
    def _needed_values(body: List[ast.stmt]) -> Set[str]:
        """Every name the reverse sweep reads once it has rolled the name back: adjoint statements, replayed
        branch tests, loop ranges, and the indices of the restores of needed arrays (``x[i] = <saved>``
        reads ``i``). A read before the first statement that restores the name (the seed's ``seed_like(seed,
        y)``) sees the value the forward sweep left: the name needs no record."""
        read_at: List[tuple] = []
        first_restore: dict = {}
        indexed, views = [], []
        for position, top in enumerate(body):
            for node in statements([top]):
                if anno.get(node, "derivative", False):
                    read_at.append((position, reads(node)))
                elif isinstance(node, ast.If) and anno.get(node, "reverse", False):
                    read_at.append((position, reads(node.test)))
                elif isinstance(node, ast.For) and anno.get(node, "reverse", False):
                    read_at.append((position, reads(node.iter)))
                marker = anno.get(node, RESTORE)
                if marker is not None:
                    first_restore.setdefault(marker[0], position)
                if marker is not None and marker[1] is not None:
                    indexed.append((marker[0], reads(marker[1])))
                elif (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                      and not isinstance(node.value, _FRESH)):
                    # any call, attribute or index may be a view (x[i], x.T, np.transpose(x), x.reshape)
                    for base in reads(node.value):
                        views.append((node.targets[0].id, {base}))
        needed: Set[str] = set()
        anywhere: Set[str] = set()
        for position, names in read_at:
            anywhere |= names
            needed |= {n for n in names if first_restore.get(n, -1) <= position}
        # ``t = x[i]`` may be a view of ``x``: where x is written by index, t's value is right only where
        # those writes are undone, wherever t is read
        written = {name for name, _ in indexed}
        viewing = [(view, base) for view, base in views if base <= written]
        needed |= {base for view, bases in viewing if view in anywhere for base in bases}
        indexed += viewing
        grown = True
        while grown:
            grown = False
            for name, more in indexed:
                if name in needed and not more <= needed:
                    needed |= more
                    grown = True
        return needed

    def _read_as_shape(self, reverse: List[ast.stmt], needed: Set[str]) -> Set[str]:
        """Of the ``needed`` names, those ``reverse`` reads only for their shape (and dtype); not one
        written by index (its restore writes into it), nor a container (popped item by item), nor a
        scalar or a view (``x[i]``, ``x.T``): a number costs no more than its stand-in, a view holds no
        entries of its own."""
        markers = [m for node in statements(reverse) for m in (anno.get(node, SAVE), anno.get(node, RESTORE))
                   if m is not None and m[1] is not None]
        indexed = {name for name, _ in markers}  # a restore by index reads its index
        indexed |= set().union(*(reads(index) for _, index in markers))
        views = {node.targets[0].id for node in statements(self.p.func.body) if isinstance(node, ast.Assign)
                 and isinstance(node.targets[0], ast.Name) and isinstance(node.value, _VIEWS)}
        shaped = _read_for_shape_only(reverse, sorted(needed)) - indexed - views
        shaped -= self.lists | self.p.sequences | self.items
        return {name for name in shaped if not self.scalars.is_scalar(load(name))}

    def _release_shapes(self, body: List[ast.stmt], split: int) -> List[ast.stmt]:
        """Once the forward sweep ends (at ``split``), an array it made that the reverse sweep reads only
        for its shape gives way to its stand-in (``_t3 = shape_of(_t3)``): its entries are freed before
        the adjoints take memory. Only sct's own temporaries: the user's names keep their values, so that
        the emitted forward sweep reads as the function does."""
        forward, reverse = body[:split], body[split + 1:]
        made = _bound_first(forward, self.p.params) - set(self.p.params)
        bound = {n for n in made if _TEMPORARY.fullmatch(n)}
        names = sorted(self._read_as_shape(reverse, bound & _made_fresh(forward, calls=True)))
        released = [ast.Assign(targets=[store(n)], value=call("shape_of", load(n)), lineno=0) for n in names]
        return body[:split + 1] + released + reverse

    def _place_saves(self, stmts: List[ast.stmt], needed: Set[str], defined: Set[str], top: bool):
        """Turn save/restore markers of needed variables into stack pushes and pops; drop the others."""
        out: List[ast.stmt] = []
        for stmt in stmts:
            marker = anno.get(stmt, SAVE) or anno.get(stmt, RESTORE)
            if marker is not None:
                name, index = marker
                if name in needed:
                    if index is None and name not in defined:
                        self.undefined.add(name)
                    is_save = anno.has(stmt, SAVE)
                    if not is_save:
                        (self.restored if index is None else self.mutated).add(name)
                    out.append(self._save(name, index) if is_save else self._restore(name, index))
                continue
            if isinstance(stmt, (ast.If, ast.For, ast.While)):
                stmt.body = self._place_saves(stmt.body, needed, defined, top=False) or [ast.Pass()]
                stmt.orelse = self._place_saves(stmt.orelse, needed, defined, top=False)
            if top and isinstance(stmt, ast.Assign):
                defined |= assigned_names(stmt.targets[0])
            out.append(stmt)
        return out

    def _keep_return_value(self, body: List[ast.stmt]) -> None:
        """The reverse sweep rolls variables back; keep (a copy of) the returned value from before it."""
        marker = self.result_marker
        touched = self.restored | self.mutated
        storage = storage_at_return(self.p.func, self.p.resolver) if self.mutated else {}
        restored = frozenset().union(*(storage.get(n, frozenset()) for n in self.mutated))

        def viewed(node: ast.expr) -> bool:  # a view of an array the reverse sweep writes back into
            return isinstance(node, ast.Name) and bool(storage.get(node.id, frozenset()) & restored)

        elements = marker.value.elts if isinstance(marker.value, ast.Tuple) else [marker.value]
        if not reads(marker.value) & touched and not any(viewed(e) for e in elements):
            body.remove(marker)
            return

        def kept(node: ast.expr) -> ast.expr:
            mutated = isinstance(node, ast.Name) and node.id in self.mutated or viewed(node)
            if mutated and isinstance(node, ast.Name) and node.id in self.p.sequences:
                return call("kept_copy", node)  # a tuple (list, dict) of arrays: item by item
            return self.p.np_call("copy", node) if mutated else node

        if isinstance(marker.value, ast.Tuple):
            marker.value.elts = [kept(e) for e in marker.value.elts]
        else:
            marker.value = kept(marker.value)
        body[-1].value.elts[0] = load(marker.targets[0].id)

    def _on_stack(self, stmt: ast.stmt) -> bool:
        """Does ``stmt`` push to or pop from the stack? Only statements of their own do, ``_stack.append(v)``
        and ``v = _stack.pop()`` (the saves and restores, a loop's trip count): no expression walk needed."""
        value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
        return (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and isinstance(value.func.value, ast.Name) and value.func.value.id == self.stack)

    def _save(self, name: str, index: Optional[ast.expr]) -> ast.stmt:
        value: ast.expr = load(name)
        if index is None and name in self.shaped:
            value = call("shape_of", value)
        if index is not None:
            value = ast.Subscript(value=load(name), slice=clone(index), ctx=ast.Load())
            if not (isinstance(index, ast.Slice) and name in self.p.sequences | self.lists):
                value = self.p.np_call("copy", value)  # a list's slice is a new list
        return ast.Expr(value=method_call(self.stack, "append", value))

    def _restore(self, name: str, index: Optional[ast.expr]) -> ast.stmt:
        pop = method_call(self.stack, "pop")
        target: ast.expr = store(name)
        if index is not None:
            target = ast.Subscript(value=load(name), slice=clone(index), ctx=ast.Store())
        return ast.Assign(targets=[target], value=pop, lineno=0)


def _bound_first(body: List[ast.stmt], params: List[str]) -> Set[str]:
    """Names bound whatever path ``body`` takes: the parameters and the targets of its top-level
    assignments (a name assigned by index is bound before)."""
    bound = set(params)
    for stmt in body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if not isinstance(target, ast.Subscript):
                    bound |= assigned_names(target)
    return bound


# runtime helpers that read only the shape and dtype of the argument at this position
_SHAPE_ARGUMENT = {"unbroadcast": (1, 2), "unbroadcast_product": (2, 3), "unreduce": (1, None),
                   "zeros_of": (0, 1), "zeros_like": (0, None), "empty_like": (0, None),
                   "owned_adjoint": (1, 2)}
_SHAPE_ATTRIBUTES = ("shape", "ndim", "dtype")


_TEMPORARY = re.compile(r"_t\d+")  # the names sct makes for parts of an expression


def _read_for_shape_only(nodes: List[ast.AST], names: List[str]) -> Set[str]:
    """Of ``names``, those ``nodes`` read, and only where a helper takes just the shape (and dtype):
    ``unbroadcast(g, x)``'s ``x`` (``unbroadcast_product(a, b, x)``'s, ``unreduce(g, x, ...)``'s),
    ``zeros_of(x)`` (``np.zeros_like(x)``, ``np.empty_like(x)``), the parts of ``split_like(g, [a, b])``,
    ``np.shape(x)``, ``x.shape``."""
    wanted = set(names)
    shape_reads: Set[int] = set()
    found: List[ast.Name] = []  # the reads and bindings of ``names``: classified once the walk is done
    for node in (n for top in nodes for n in walk(top)):
        if isinstance(node, ast.Name):
            if node.id in wanted:
                found.append(node)
            continue
        if isinstance(node, ast.Attribute) and node.attr in _SHAPE_ATTRIBUTES \
                and isinstance(node.ctx, ast.Load):
            shape_reads.add(id(node.value))
        if not isinstance(node, ast.Call):
            continue
        func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        position, count = _SHAPE_ARGUMENT.get(func, (None, None))
        if position is not None and len(node.args) > position and (count is None or len(node.args) == count):
            shape_reads.add(id(node.args[position]))
        elif func == "split_like" and len(node.args) >= 2 and isinstance(node.args[1], (ast.List, ast.Tuple)):
            shape_reads.update(id(part) for part in node.args[1].elts)
        elif func == "shape" and isinstance(node.func, ast.Attribute) and len(node.args) == 1:
            shape_reads.add(id(node.args[0]))
    shaped, other = set(), set()
    for node in found:
        (shaped if id(node) in shape_reads and isinstance(node.ctx, ast.Load) else other).add(node.id)
    return shaped - other


def _made_fresh(forward: List[ast.stmt], calls: bool = False) -> Set[str]:
    """Names every binding of which in ``forward`` is an arithmetic result (a new array, no view), or
    with ``calls``, also a call's (most make a new array)."""
    bindings: dict = {}
    arithmetic: dict = {}
    for node in (n for top in forward for n in walk(top)):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bindings[node.id] = bindings.get(node.id, 0) + 1
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and isinstance(node.value, (ast.BinOp, ast.UnaryOp) + ((ast.Call,) if calls else ())):
            arithmetic[node.targets[0].id] = arithmetic.get(node.targets[0].id, 0) + 1
    return {name for name, count in arithmetic.items() if bindings.get(name) == count}
