"""Reverse (adjoint) mode: a forward sweep, then adjoint statements in reverse order.

Straight-line code keeps every value by name (normalization made top-level assignments single), so it
needs no stack. Inside loops and branches an assignment overwrites a value the reverse sweep may need: the
forward sweep pushes the old value just before, and the reverse sweep pops it back right after that
statement's adjoint — only for variables the emitted adjoint code actually reads. Loops record their trip
count where it is not known from ``range``; branches are replayed from their (kept) condition.

Adjoint bookkeeping is symbolic: ``live`` holds the variables whose ``_bar`` holds a value at the current
point of the reverse sweep. The first contribution assigns, later ones add; a bar that is never live is
never created. Loops and branches materialize zeros where paths disagree, so every iteration starts alike.
"""
from __future__ import annotations

import ast
import copy
from typing import List, Set, Tuple

from ..analysis.activity import appended_list, assigned_names, returned_sequences
from ..analysis.containers import helper_sequences, item_parameters, read_by_item
from ..analysis.same_shape import ShapeInference
from ..ir import annotations as anno
from ..ir.astutil import clone, walk
from ..ir.blocks import all_statements
from ..ir.builders import call, derivative, load, method_call, store
from ..ir.builders import derivative_assign as assign
from ..rules.registry import returns_list
from ..rules.templates import Contribution, is_zero
from .adjoints import AdjointMixin
from .list_adjoints import ListAdjoints
from .program import Program
from .reverse_ast import RESTORE, SAVE, index_value, marker, read_before_assigned, static_index, static_item
from .tape import TapeMixin


class ReverseTransformer(AdjointMixin, TapeMixin, ListAdjoints):
    """Emits ``diff_f(*params, seed=1.0) -> (value, grads)``."""

    def __init__(self, program: Program):
        self.p = program
        self.live: Set[str] = set()
        indexed, self.lists, self.int_names, unpacked = set(), set(), set(), set()
        # bound to a list (tuple, dict) a helper built: its adjoint reads it item by item
        self.built = helper_sequences(program.func, program.operation)
        self.popped = set()  # ... a list or dict, whose adjoint the helper's may pop from
        for node in walk(program.func):
            called = program.operation(node.value) if isinstance(node, ast.Assign) else None  # once
            if called is not None and called.kind == "helper":
                self.popped |= returned_sequences(called.helper().node, node.targets[0], tuples=False)
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
                indexed.add(node.value.id)
            elif isinstance(node, ast.For) and isinstance(node.target, ast.Name):
                self.int_names.add(node.target.id)
            elif isinstance(node, ast.Expr) and appended_list(node):
                self.lists.add(appended_list(node)[0])
            elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                if called is not None and returns_list(called.qualname):  # a list of arrays (np.split)
                    self.lists.add(node.targets[0].id)
            elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
                if called is not None and called.kind == "helper":  # `v, (gx, gc) = helper(x)`: a tuple gc
                    unpacked |= {n.id for n in ast.walk(node.targets[0]) if isinstance(n, ast.Name)}
        self.lists |= program.sequences  # lists, tuples and dicts: their adjoints add item by item
        # a helper's output read item by item may be a tuple of arrays of several shapes: its adjoint is
        # made item by item (zeros_list and add_lists are numpy's zeros and + on an array)
        self.lists |= unpacked & indexed | self.built
        self.items_of_sequences = self.find_items_of_sequences(program.func, self.built | program.sequences)
        # Indexed variables' adjoints are owned arrays, updated in place.
        self.in_place = indexed & program.active
        # In emitted code (differentiated again), names read only item by item are tapes: they may hold
        # items of several shapes; so may a helper's parameter read so (a tuple the caller packs), and its
        # items read so. The main function's parameters are the caller's (the API checks them).
        emitted = program.source.extra.get("emitted", False) or program.source.extra.get("sct_module", False)
        items = read_by_item(program.func) & self.in_place
        self.items = items if emitted else item_parameters(program.func, items)
        # a parameter the caller gives an item of a container (a container, or an array) read by index
        self.items |= set(program.source.extra.get("container items", ())) & self.in_place
        self.main = True
        self.stack = program.namer.fresh("_stack")
        self.shapes = ShapeInference(program.func, program.resolver)
        self.scalars = self.shapes.scalars  # the same function's: made once
        self.counters: List[str] = []
        self.shape_seed = True

    # ----------------------------------------------------------------------------------------- function
    def function(self, name: str) -> ast.FunctionDef:
        p = self.p
        func = p.func
        body, ret = func.body[:-1], func.body[-1]
        seed = p.namer.fresh("seed")
        forward, reverse = self.block(body, depth=0, tail=self.seed_statements(ret, seed))
        grads = [self.gradient(w) for w in p.wrt]
        result = ast.Tuple(elts=[ret.value, grads[0] if len(grads) == 1 else ast.Tuple(elts=grads,
                                                                                        ctx=ast.Load())],
                           ctx=ast.Load())
        self.result_marker = ast.Assign(targets=[store(p.namer.fresh("result"))], value=ret.value, lineno=0)
        split = ast.Pass()
        statements = forward + [self.result_marker, split] + reverse + [ast.Return(value=result)]
        statements = self.finalize(statements, func, split)
        self.split_at = statements.index(split)
        statements.remove(split)
        self.seed_name = seed
        args = clone(func.args)
        args.args.append(ast.arg(arg=seed))
        args.defaults.append(ast.Constant(value=1.0))
        new = ast.FunctionDef(name=name, args=args, body=statements, decorator_list=[], returns=None,
                              type_comment=None, type_params=[])
        return ast.copy_location(new, func)

    def gradient(self, name: str) -> ast.expr:
        if name in self.live:
            return load(self.p.bar_name(name))
        return self.zeros(name)

    def zeros(self, name: str) -> ast.expr:
        """A zero adjoint for ``name``; item by item for a list (built by ``append``, written as a literal,
        or a call's list of arrays)."""
        if name in self.items and name not in self.popped and not (self.main and name in self.p.params):
            return call("zeros_items", load(name))
        return call("zeros_list", load(name)) if self.may_hold_containers(name) else self.p.zeros_like(name)

    def seed_statements(self, ret: ast.Return, seed: str):
        """The reverse sweep starts from the seed: the adjoint of the returned value(s)."""
        def start() -> List[ast.stmt]:
            value = ret.value
            if not self.shape_seed:
                return self.seed_contributions(value, load(seed))
            shaped = call("seed_like", load(seed), clone(value))
            if not isinstance(value, ast.Tuple):
                return self.seed_contributions(value, shaped)
            return [ast.Assign(targets=[store(seed)], value=shaped, lineno=0)] + \
                self.seed_contributions(value, load(seed))
        return start

    def seed_contributions(self, value: ast.expr, seed: ast.expr) -> List[ast.stmt]:
        """The seed (shaped like the returned value) as the adjoint of the returned value(s)."""
        if isinstance(value, ast.Tuple):
            out = []
            for i, element in enumerate(value.elts):
                item = ast.Subscript(value=clone(seed), slice=ast.Constant(value=i), ctx=ast.Load())
                out += self.contribute(Contribution(element, item))
            return out
        return self.contribute(Contribution(value, seed))

    # ---------------------------------------------------------------------------------------- blocks
    def block(self, stmts: List[ast.stmt], depth: int, tail=None) -> Tuple[List[ast.stmt], List[ast.stmt]]:
        """(forward sweep, reverse sweep) of a block; ``tail`` starts the reverse sweep (the seed)."""
        forwards = [self.forward_statement(s, depth) for s in stmts]
        reverse: List[ast.stmt] = tail() if tail else []
        for stmt in reversed(stmts):
            reverse += self.reverse_statement(stmt, depth)
        return [s for f in forwards for s in f], reverse

    def forward_statement(self, stmt: ast.stmt, depth: int) -> List[ast.stmt]:
        if isinstance(stmt, ast.Assign):
            stmt = self.helper_forward(stmt)
            target = stmt.targets[0]
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                return [marker(SAVE, target.value.id, self.saved_part(target)), stmt]
            checks = self.operands_checked(stmt)
            if depth > 0:
                return checks + [marker(SAVE, n) for n in sorted(assigned_names(target))] + [stmt]
            return checks + [stmt]
        if isinstance(stmt, ast.If):
            body = [s for b in stmt.body for s in self.forward_statement(b, depth + 1)]
            orelse = [s for b in stmt.orelse for s in self.forward_statement(b, depth + 1)]
            return [ast.copy_location(ast.If(test=stmt.test, body=body or [ast.Pass()], orelse=orelse), stmt)]
        if isinstance(stmt, (ast.For, ast.While)):
            return self.forward_loop(stmt, depth)
        return [stmt]

    def forward_loop(self, loop, depth: int) -> List[ast.stmt]:
        body = [s for b in loop.body for s in self.forward_statement(b, depth + 1)]
        counted = isinstance(loop, ast.While) or any(isinstance(n, ast.Break) for n in walk(loop))
        before, after = [], []
        if counted:
            counter = self.p.namer.fresh("_trips")
            anno.mark(loop, "counter", counter)
            before = [ast.Assign(targets=[store(counter)], value=ast.Constant(value=0), lineno=0)]
            body = [ast.Assign(targets=[store(counter)], value=ast.BinOp(left=load(counter), op=ast.Add(),
                                                                          right=ast.Constant(value=1)),
                               lineno=0)] + body
            if depth > 0:
                after = [ast.Expr(value=method_call(self.stack, "append", load(counter)))]
        new = copy.copy(loop)
        new.body = body
        return before + [new] + after

    def reverse_statement(self, stmt: ast.stmt, depth: int) -> List[ast.stmt]:
        if isinstance(stmt, ast.Assign):
            return self.reverse_assign(stmt, depth)
        if isinstance(stmt, ast.If):
            return self.reverse_if(stmt, depth)
        if isinstance(stmt, (ast.For, ast.While)):
            return self.reverse_loop(stmt, depth)
        appended = appended_list(stmt)
        if appended and appended[0] in self.p.active and appended[0] in self.live:
            popped = method_call(self.p.bar_name(appended[0]), "pop")
            if self.p.is_active(appended[1]):
                return self.contribute(Contribution(appended[1], popped))
            return [derivative(ast.Expr(value=popped))]
        return []

    # ------------------------------------------------------------------------------------ assignments
    def reverse_assign(self, stmt: ast.Assign, depth: int) -> List[ast.stmt]:
        p = self.p
        target = stmt.targets[0]
        if isinstance(target, ast.Subscript):
            return self.reverse_setitem(stmt)
        names = sorted(assigned_names(target))
        # Pop in the reverse order of forward_statement's pushes, which include a helper call's tape.
        saved = sorted(names + ([anno.get(stmt, "tape")] if anno.get(stmt, "tape") else []))
        restores = [marker(RESTORE, n) for n in reversed(saved)] if depth > 0 else []
        live_targets = [n for n in names if n in p.active and n in self.live]
        if not live_targets or _copies_itself(stmt):  # `y = y` (a branch of `y if c else f(y)`): identity
            return restores
        ordered = [e.id for e in target.elts] if isinstance(target, ast.Tuple) else names  # rule outputs
        out = self._merge_repeated(self.adjoint_of(stmt, ordered))
        for n in names:
            self.live.discard(n)
        produced = []
        for item in out:
            if isinstance(item, Contribution):
                produced += self.contribute(item)
            else:
                produced.append(derivative(item))
        return [self._locate(s, stmt) for s in produced] + restores

    @staticmethod
    def _locate(new: ast.stmt, primal: ast.stmt) -> ast.stmt:
        for node in all_statements(new):
            ast.copy_location(node, primal)
        return new

    def reverse_setitem(self, stmt: ast.Assign) -> List[ast.stmt]:
        """``x[i] = v``: v's adjoint takes x_bar[i], which is then cleared; x[i] gets its old value back."""
        p = self.p
        target = stmt.targets[0]
        base = target.value.id
        out: List[ast.stmt] = []
        if self.is_list_slice_write(target):
            return [self._locate(s, stmt) for s in self.reverse_list_slice_write(stmt)]
        if base in p.active and base in self.live:
            bar = p.bar_name(base)
            if p.is_active(stmt.value):
                item = self.written_adjoint(base, target.slice, stmt.value)
                out += self.contribute(Contribution(stmt.value, item))
            out.append(derivative(self.clear_adjoint_item(bar, target.slice)))
        out.append(marker(RESTORE, base, target.slice))
        return [self._locate(s, stmt) for s in out]

    def written_adjoint(self, base: str, index: ast.expr, value: ast.expr) -> ast.expr:
        """The adjoint of ``value`` in ``base[index] = value``: ``base_bar[index]`` summed back to the value's
        shape (it was broadcast into the selection); an element written twice by a fancy index counts
        once (numpy keeps one write), and nothing flows from a write into an array of integers."""
        bar = self.p.bar_name(base)
        if self.p.holds_floats(base) and static_index(index, self.int_names):
            item = self.p.np_call("copy", self.adjoint_item(bar, index))
        else:
            checked = [] if self.p.holds_floats(base) else [load(base)]
            item = call("written_adjoint", load(bar), index_value(clone(index)), *checked)
        return call("unbroadcast", item, clone(value))

    @staticmethod
    def adjoint_item(bar: str, index: ast.expr) -> ast.expr:
        """``x_bar[i]``: the adjoint of the elements an index assignment overwrote."""
        return ast.Subscript(value=load(bar), slice=clone(index), ctx=ast.Load())

    @staticmethod
    def clear_adjoint_item(bar: str, index: ast.expr) -> ast.stmt:
        """``x_bar[i] = 0.0``: the overwritten elements no longer affect the result."""
        cleared = ast.Subscript(value=load(bar), slice=clone(index), ctx=ast.Store())
        return ast.Assign(targets=[cleared], value=ast.Constant(value=0.0), lineno=0)

    def contribute(self, item: Contribution) -> List[ast.stmt]:
        """Add ``item.value`` to the adjoint of ``item.arg`` (assign when it is the first contribution)."""
        p = self.p
        arg = item.arg
        if not p.is_active(arg) or is_zero(item.value):
            return []
        name = arg.id
        bar = p.bar_name(name)
        out: List[ast.stmt] = []
        listed = self.may_hold_containers(name)
        if item.index is None and listed:
            item = Contribution(arg, self.list_adjoint(item.value, arg))
        if name in self.in_place:
            if name not in self.live:
                out.append(assign(bar, self.zeros(name)))
                self.live.add(name)
            if item.index is None and listed:  # `+=` joins lists
                add = assign(bar, call(self.ADD_LISTS, load(bar), item.value))
            elif item.index is None:
                add = ast.AugAssign(target=store(bar), op=ast.Add(), value=item.value)
            elif name in self.lists and not static_item(item.index, self.int_names):  # a slice, a key
                value = call("add_items", load(bar), index_value(item.index), item.value)
                add = ast.Assign(targets=[store(bar)], value=value, lineno=0)
            elif listed and self.may_be_container(item.value):  # not `+=`: joins
                item_of = ast.Subscript(value=load(bar), slice=clone(item.index), ctx=ast.Load())
                target = ast.Subscript(value=load(bar), slice=clone(item.index), ctx=ast.Store())
                add = ast.Assign(targets=[target], value=call(self.ADD_LISTS, item_of, item.value), lineno=0)
            elif static_index(item.index, self.int_names):
                add = ast.AugAssign(target=ast.Subscript(value=load(bar), slice=item.index, ctx=ast.Store()),
                                    op=ast.Add(), value=item.value)
            else:
                add = ast.Expr(value=call("accumulate_at", load(bar), index_value(item.index), item.value))
            out.append(derivative(add))
            return out
        if item.index is not None:
            value = call("scatter", item.value, clone(arg), index_value(item.index))
        else:
            value = item.value
        if name in self.live and listed:  # + would join the lists
            value = call(self.ADD_LISTS, load(bar), value)
        elif name in self.live:
            value = ast.BinOp(left=load(bar), op=ast.Add(), right=value)
        self.live.add(name)
        out.append(assign(bar, value))
        return out

    # ---------------------------------------------------------------------------------- control flow
    def materialize(self, names: Set[str]) -> List[ast.stmt]:
        """Create zero adjoints for ``names`` (so that both sides of a merge agree)."""
        return [assign(self.p.bar_name(n), self.zeros(n)) for n in sorted(names)]

    def reverse_if(self, stmt: ast.If, depth: int) -> List[ast.stmt]:
        before = set(self.live)
        _, body = self.block(stmt.body, depth + 1)
        live_body = self.live
        self.live = set(before)
        _, orelse = self.block(stmt.orelse, depth + 1)
        live_else = self.live
        merged = live_body | live_else
        body += self.materialize(merged - live_body)
        orelse += self.materialize(merged - live_else)
        self.live = merged
        if not body and not orelse:
            return []
        test = clone(stmt.test)
        if not body:
            node = ast.If(test=ast.UnaryOp(op=ast.Not(), operand=test), body=orelse, orelse=[])
        else:
            node = ast.If(test=test, body=body, orelse=orelse)
        anno.mark(node, "reverse")
        return [node]

    def _exposed_reads(self, body: List[ast.stmt]) -> Set[str]:
        """Variables a loop body may read before assigning them in the same iteration."""
        return read_before_assigned(body, set())[0] & self.p.active

    def reverse_loop(self, loop, depth: int) -> List[ast.stmt]:
        carried = set(self.live) | self._exposed_reads(loop.body)
        for _ in range(2):
            start = set(self.live)
            self.live = set(carried)
            _, body = self.block(loop.body, depth + 1)
            if self.live <= carried:
                break
            carried |= self.live
            self.live = start
        body += self.materialize(carried - self.live)
        pre = self.materialize(carried - start)
        self.live = carried
        if not body:
            return []
        counter = anno.get(loop, "counter")
        restore = []
        if counter and depth > 0:
            pop = method_call(self.stack, "pop")
            restore = [derivative(ast.Assign(targets=[store(counter)], value=pop, lineno=0))]
        if isinstance(loop, ast.While):
            iterator = call("range", load(counter))
            target = store(self.p.namer.fresh("_"))
        else:
            iterable = clone(loop.iter)
            if counter:
                if not (isinstance(iterable, ast.Call) and getattr(iterable.func, "id", "") == "range"):
                    iterable = call("list", iterable)
                taken = ast.Slice(upper=load(counter))
                iterable = ast.Subscript(value=iterable, slice=taken, ctx=ast.Load())
            iterator = call("reversed", iterable)
            target = clone(loop.target)
        loop = ast.For(target=target, iter=iterator, body=body, orelse=[], lineno=0)
        anno.mark(loop, "reverse")
        return pre + restore + [loop]


def _copies_itself(stmt: ast.Assign) -> bool:
    """``y = y``: its adjoint is the target's own, left as it is (zeroed as the target's first, it lost
    what flowed back)."""
    target = stmt.targets[0]
    return isinstance(target, ast.Name) and isinstance(stmt.value, ast.Name) and stmt.value.id == target.id
