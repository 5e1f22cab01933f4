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
from typing import List, Optional, Set, Tuple

from .activity import appended_list, assigned_names
from .astutil import clone, loaded_names, walk
from .program import Program
from .rules.structural_rules import RuleError
from .shapes import ScalarInference
from .splice import Contribution, derivative, fold, instantiate, is_zero

SAVE, RESTORE = "sct_save", "sct_restore"


def _load(name: str) -> ast.Name:
    return ast.Name(id=name, ctx=ast.Load())


def _store(name: str) -> ast.Name:
    return ast.Name(id=name, ctx=ast.Store())


def _assign(target: str, value: ast.expr) -> ast.Assign:
    return derivative(ast.Assign(targets=[_store(target)], value=value, lineno=0))


def _call(func: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=_load(func), args=list(args), keywords=[])


def _marker(kind: str, name: str, index: Optional[ast.expr] = None) -> ast.Expr:
    node = ast.Expr(value=ast.Constant(value=None))
    setattr(node, kind, (name, index))
    return node


def _reads(node: ast.AST) -> Set[str]:
    return loaded_names(node)


def _static_index(node: ast.expr, int_names: Set[str]) -> bool:
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


def _index_value(node: ast.expr) -> ast.expr:
    """An index usable as a function argument: slices written as ``slice(a, b, c)``."""
    if isinstance(node, ast.Slice):
        parts = (node.lower, node.upper, node.step)
        return _call("slice", *[p if p is not None else ast.Constant(value=None) for p in parts])
    if isinstance(node, ast.Tuple):
        return ast.Tuple(elts=[_index_value(e) for e in node.elts], ctx=ast.Load())
    return node


class ReverseTransformer:
    """Emits ``diff_f(*params, seed=1.0) -> (value, grads)``."""

    def __init__(self, program: Program):
        self.p = program
        self.live: Set[str] = set()
        self.in_place = self._in_place_variables()
        self.lists = {found[0] for found in map(appended_list, walk(program.func)) if found}
        self.int_names = {n.target.id for n in walk(program.func)
                          if isinstance(n, ast.For) and isinstance(n.target, ast.Name)}
        self.stack = program.namer.fresh("_stack")
        self.scalars = ScalarInference(program.func, program.resolver)
        self.counters: List[str] = []

    def _in_place_variables(self) -> Set[str]:
        """Variables indexed (read or written): their adjoints are owned arrays updated in place."""
        found = set()
        for node in walk(self.p.func):
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
                found.add(node.value.id)
        return found & self.p.active

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
        self.result_marker = ast.Assign(targets=[_store(p.namer.fresh("result"))], value=ret.value, lineno=0)
        split = ast.Pass()
        statements = forward + [self.result_marker, split] + reverse + [ast.Return(value=result)]
        statements = self.finalize(statements, func)
        self.split_at = statements.index(split)
        statements.remove(split)
        self.seed_name = seed
        args = clone(func.args)
        args.args.append(ast.arg(arg=seed))
        args.defaults.append(ast.Constant(value=1.0))
        new = ast.FunctionDef(name=name, args=args, body=statements, decorator_list=[], returns=None,
                              type_comment=None, type_params=[])
        return ast.copy_location(new, func)

    def split_function(self, name: str) -> List[ast.FunctionDef]:
        """The derivative as two halves for callers: ``<name>_forward(*params) -> (value, tape)`` runs the
        forward sweep once, ``<name>_backward(tape, seed) -> grads`` runs the reverse sweep from its tape,
        so a caller does not evaluate the helper twice."""
        whole = self.function(name)
        body = whole.body
        forward, backward = body[:self.split_at], body[self.split_at:]
        returned = backward[-1].value
        defined = set(self.p.params)
        for stmt in forward:
            for node in walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    defined.add(node.id)
        tape_names = sorted(set().union(*(_reads(s) for s in backward)) & defined)
        tape = self.p.namer.fresh("tape")
        pack = ast.Tuple(elts=[_load(n) for n in tape_names], ctx=ast.Load())
        forward.append(ast.Return(value=ast.Tuple(elts=[returned.elts[0], pack], ctx=ast.Load())))
        unpack = ast.Assign(targets=[ast.Tuple(elts=[_store(n) for n in tape_names], ctx=ast.Store())],
                            value=_load(tape), lineno=0)
        backward = [unpack] + backward[:-1] + [ast.Return(value=returned.elts[1])]
        forward_args = clone(self.p.func.args)
        backward_args = ast.arguments(posonlyargs=[], args=[ast.arg(arg=tape), ast.arg(arg=self.seed_name)],
                                      kwonlyargs=[], kw_defaults=[], defaults=[ast.Constant(value=1.0)])
        made = []
        halves = (("forward", forward_args, forward), ("backward", backward_args, backward))
        for suffix, args, statements in halves:
            func = ast.FunctionDef(name=f"{name}_{suffix}", args=args, body=statements, decorator_list=[],
                                   returns=None, type_comment=None, type_params=[])
            made.append(ast.copy_location(func, whole))
        return made

    def gradient(self, name: str) -> ast.expr:
        if name in self.live:
            return _load(self.p.bar_name(name))
        return self.p.zeros_like(name)

    def seed_statements(self, ret: ast.Return, seed: str):
        """The reverse sweep starts from the seed: the adjoint of the returned value(s)."""
        def start() -> List[ast.stmt]:
            value = ret.value
            if isinstance(value, ast.Tuple):
                out = []
                for i, element in enumerate(value.elts):
                    item = ast.Subscript(value=_load(seed), slice=ast.Constant(value=i), ctx=ast.Load())
                    out += self.contribute(Contribution(element, item))
                return out
            return self.contribute(Contribution(value, _load(seed)))
        return start

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
                return [_marker(SAVE, target.value.id, target.slice), stmt]
            if depth > 0:
                return [_marker(SAVE, n) for n in sorted(assigned_names(target))] + [stmt]
            return [stmt]
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
            loop.sct_counter = counter
            before = [ast.Assign(targets=[_store(counter)], value=ast.Constant(value=0), lineno=0)]
            body = [ast.Assign(targets=[_store(counter)], value=ast.BinOp(left=_load(counter), op=ast.Add(),
                                                                          right=ast.Constant(value=1)),
                               lineno=0)] + body
            if depth > 0:
                push = ast.Attribute(value=_load(self.stack), attr="append", ctx=ast.Load())
                after = [ast.Expr(value=ast.Call(func=push, args=[_load(counter)], keywords=[]))]
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
            popped = ast.Call(func=ast.Attribute(value=_load(self.p.bar_name(appended[0])), attr="pop",
                                                 ctx=ast.Load()), args=[], keywords=[])
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
        restores = [_marker(RESTORE, n) for n in names] if depth > 0 else []
        live_targets = [n for n in names if n in p.active and n in self.live]
        if not live_targets:
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
        for node in walk(new):
            if isinstance(node, ast.stmt):
                ast.copy_location(node, primal)
        return new

    def adjoint_of(self, stmt: ast.Assign, targets: List[str]) -> list:
        """Contributions (and local statements) of one assignment's adjoint."""
        p = self.p
        value = stmt.value
        z_bar = _load(p.bar_name(targets[0]))
        if isinstance(value, ast.Name):
            return [Contribution(value, z_bar)]
        if isinstance(value, ast.Constant):
            return []
        operation = p.operation(value)
        if operation is None:
            if isinstance(value, (ast.List, ast.Tuple)):
                return [Contribution(e, ast.Subscript(value=z_bar, slice=ast.Constant(i), ctx=ast.Load()))
                        for i, e in enumerate(value.elts)]
            return []
        if operation.kind == "helper":
            return self.helper_adjoint(stmt, operation, targets)
        rule = p.rule_for(operation, value)
        if rule is None:
            return []
        site = p.call_site(rule, operation, targets, value)
        try:
            if site.rule.adjoint_generator is not None:
                return site.rule.adjoint_generator(site)
            if site.rule.adjoint is not None:
                unset = {t for t in targets if t not in self.live} if len(targets) > 1 else set()
                return self.materialize(unset) + self._same_shape(site, instantiate(site.rule.adjoint, site,
                                                                                      "adjoint"))
            if site.rule.partials is not None:
                return self._same_shape(site, self.elementwise(site))
        except RuleError as exc:
            raise p.rule_error(exc, stmt) from None
        raise p.context.error(stmt, f"sct has no reverse-mode rule for '{operation.qualname}'",
                              hint="use forward mode, or add an adjoint rule in sct/rules")

    def _same_shape(self, site, produced: list) -> list:
        """Drop ``unbroadcast`` into an argument when every other argument is a scalar: nothing was broadcast
        into it. (Keyword-only parameters such as ``axis`` are not operands.)"""
        for item in produced:
            if not isinstance(item, Contribution):
                continue
            negated = isinstance(item.value, ast.UnaryOp) and isinstance(item.value.op, ast.USub)
            call = item.value.operand if negated else item.value
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "unbroadcast"):
                continue
            others = [a for a in site.bound.values() if a is not item.arg]
            if all(self.scalars.is_scalar(a) for a in others):
                inner = call.args[0]
                item.value = ast.UnaryOp(op=ast.USub(), operand=inner) if negated else inner
        return produced

    @staticmethod
    def _merge_repeated(items: list) -> list:
        """``f(x, x)`` gives the same contribution twice (``einsum('ij,ij->i', z, z)``): add it once, doubled.

        An einsum is linear in each operand, so the factor goes on the adjoint operand, usually the
        smallest array, instead of on the result."""
        merged: list = []
        seen = {}
        for item in items:
            if isinstance(item, Contribution) and item.index is None and isinstance(item.arg, ast.Name):
                key = (item.arg.id, ast.dump(item.value))
                if key in seen:
                    seen[key][1] += 1
                    continue
                seen[key] = [item, 1]
            merged.append(item)
        for item, count in seen.values():
            if count == 1:
                continue
            value = item.value
            einsum = isinstance(value, ast.Call) and getattr(value.func, "attr", "") == "einsum"
            if einsum and len(value.args) > 1:
                value.args[1] = ast.BinOp(left=ast.Constant(count), op=ast.Mult(), right=value.args[1])
            else:
                item.value = ast.BinOp(left=ast.Constant(count), op=ast.Mult(), right=value)
        return merged

    def elementwise(self, site) -> list:
        partials = instantiate(site.rule.partials, site, "adjoint")[0].value
        partials = partials.elts if isinstance(partials, ast.Tuple) else [partials]
        z_bar = _load(self.p.bar_name(site.targets[0]))
        result = []
        for param, partial in zip(site.rule.signature.parameters, partials):
            arg = site.bound.get(param)
            if arg is None or not self.p.is_active(arg):
                continue
            product = fold(ast.BinOp(left=clone(z_bar), op=ast.Mult(), right=partial))
            result.append(Contribution(arg, _call("unbroadcast", product, clone(arg))))
        return result

    def helper_forward(self, stmt: ast.Assign) -> ast.Assign:
        """``z = helper(a)`` with active arguments becomes ``z, tape = diff_helper_forward(a)``."""
        p = self.p
        operation = p.operation(stmt.value)
        targets = assigned_names(stmt.targets[0])
        if operation is None or operation.kind != "helper" or not targets & p.active:
            return stmt
        helper, wrt, _ = p.helper_binding(operation, stmt)
        if not wrt:
            return stmt
        callee, _ = p.module.derivative_of_helper(helper, wrt, "reverse", stmt, p)
        tape = p.namer.temp("_tape")
        call = ast.Call(func=_load(f"{callee}_forward"), args=list(operation.args),
                        keywords=list(operation.keywords))
        pair = ast.Tuple(elts=[stmt.targets[0], _store(tape)], ctx=ast.Store())
        new = ast.Assign(targets=[pair], value=call)
        stmt.sct_tape = tape
        return ast.copy_location(new, stmt)

    def helper_adjoint(self, stmt: ast.Assign, operation, targets: List[str]) -> list:
        p = self.p
        helper, wrt, bound = p.helper_binding(operation, stmt)
        if not wrt:
            return []
        callee, _ = p.module.derivative_of_helper(helper, wrt, "reverse", stmt, p)
        if isinstance(stmt.targets[0], ast.Tuple):
            seeds = [_load(p.bar_name(t)) if t in self.live else p.zeros_like(t) for t in targets]
            seed: ast.expr = ast.Tuple(elts=seeds, ctx=ast.Load())
        else:
            seed = _load(p.bar_name(targets[0]))
        call = ast.Call(func=_load(f"{callee}_backward"), args=[_load(stmt.sct_tape), seed], keywords=[])
        grads = p.namer.temp("_g")
        result: list = [ast.Assign(targets=[_store(grads)], value=call, lineno=0)]
        for i, name in enumerate(wrt):
            value: ast.expr = _load(grads)
            if len(wrt) > 1:
                value = ast.Subscript(value=_load(grads), slice=ast.Constant(i), ctx=ast.Load())
            result.append(Contribution(bound[name], value))
        return result

    def reverse_setitem(self, stmt: ast.Assign) -> List[ast.stmt]:
        """``x[i] = v``: v's adjoint takes x_bar[i], which is then cleared; x[i] gets its old value back."""
        p = self.p
        target = stmt.targets[0]
        base = target.value.id
        out: List[ast.stmt] = []
        if base in p.active and base in self.live:
            bar = p.bar_name(base)
            item = ast.Subscript(value=_load(bar), slice=clone(target.slice), ctx=ast.Load())
            if p.is_active(stmt.value):
                out += self.contribute(Contribution(stmt.value, p.np_call("copy", item)))
            cleared = ast.Subscript(value=_load(bar), slice=clone(target.slice), ctx=ast.Store())
            out.append(derivative(ast.Assign(targets=[cleared], value=ast.Constant(value=0.0), lineno=0)))
        out.append(_marker(RESTORE, base, target.slice))
        return [self._locate(s, stmt) for s in out]

    def contribute(self, item: Contribution) -> List[ast.stmt]:
        """Add ``item.value`` to the adjoint of ``item.arg`` (assign when it is the first contribution)."""
        p = self.p
        arg = item.arg
        if not p.is_active(arg) or is_zero(item.value):
            return []
        name = arg.id
        bar = p.bar_name(name)
        out: List[ast.stmt] = []
        if name in self.in_place:
            if name not in self.live:
                out.append(_assign(bar, p.zeros_like(name)))
                self.live.add(name)
            if item.index is None:
                add = ast.AugAssign(target=_store(bar), op=ast.Add(), value=item.value)
            elif _static_index(item.index, self.int_names):
                add = ast.AugAssign(target=ast.Subscript(value=_load(bar), slice=item.index, ctx=ast.Store()),
                                    op=ast.Add(), value=item.value)
            else:
                add = ast.Expr(value=_call("accumulate_at", _load(bar), _index_value(item.index), item.value))
            out.append(derivative(add))
            return out
        if item.index is not None:
            value = _call("scatter", item.value, clone(arg), _index_value(item.index))
        else:
            value = item.value
        if name in self.live and name in self.lists:
            value = _call("add_lists", _load(bar), value)
        elif name in self.live:
            value = ast.BinOp(left=_load(bar), op=ast.Add(), right=value)
        self.live.add(name)
        out.append(_assign(bar, value))
        return out

    # ---------------------------------------------------------------------------------- control flow
    def materialize(self, names: Set[str]) -> List[ast.stmt]:
        """Create zero adjoints for ``names`` (so that both sides of a merge agree)."""
        return [_assign(self.p.bar_name(n), self.p.zeros_like(n)) for n in sorted(names)]

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
        node.sct_reverse = True
        return [node]

    def _exposed_reads(self, body: List[ast.stmt]) -> Set[str]:
        """Variables a loop body may read before assigning them in the same iteration."""
        assigned: Set[str] = set()
        exposed: Set[str] = set()
        for stmt in body:
            exposed |= _reads(stmt) - assigned
            if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], (ast.Name, ast.Tuple)):
                assigned |= assigned_names(stmt.targets[0])
            elif not isinstance(stmt, ast.Assign):
                exposed |= {n.id for n in walk(stmt) if isinstance(n, ast.Name)} - assigned
        return exposed & self.p.active

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
        counter = getattr(loop, "sct_counter", None)
        restore = []
        if counter and depth > 0:
            pop = ast.Call(func=ast.Attribute(value=_load(self.stack), attr="pop", ctx=ast.Load()), args=[],
                           keywords=[])
            restore = [derivative(ast.Assign(targets=[_store(counter)], value=pop, lineno=0))]
        if isinstance(loop, ast.While):
            iterator = _call("range", _load(counter))
            target = _store(self.p.namer.fresh("_"))
        else:
            iterable = clone(loop.iter)
            if counter:
                if not (isinstance(iterable, ast.Call) and getattr(iterable.func, "id", "") == "range"):
                    iterable = _call("list", iterable)
                taken = ast.Slice(upper=_load(counter))
                iterable = ast.Subscript(value=iterable, slice=taken, ctx=ast.Load())
            iterator = _call("reversed", iterable)
            target = clone(loop.target)
        loop = ast.For(target=target, iter=iterator, body=body, orelse=[], lineno=0)
        loop.sct_reverse = True
        return pre + restore + [loop]

    # -------------------------------------------------------------------------------------- finalize
    def finalize(self, body: List[ast.stmt], func: ast.FunctionDef) -> List[ast.stmt]:
        """Keep saves/restores only for variables the emitted adjoint code reads; add the stack."""
        needed = self._needed_values(body)
        self.restored: Set[str] = set()
        self.mutated: Set[str] = set()
        self.undefined: Set[str] = set()
        body = self._place_saves(body, needed, set(self.p.params), top=True)
        self._keep_return_value(body)
        preamble: List[ast.stmt] = []
        if any(self.stack in _reads(s) for s in body):
            preamble.append(ast.Assign(targets=[_store(self.stack)], value=ast.List(elts=[], ctx=ast.Load()),
                                       lineno=0))
        for name in sorted(self.undefined):
            preamble.append(ast.Assign(targets=[_store(name)], value=ast.Constant(value=None), lineno=0))
        return preamble + body

    @staticmethod
    def _needed_values(body: List[ast.stmt]) -> Set[str]:
        """Every name the reverse sweep reads: adjoint statements, replayed branch tests, loop ranges."""
        needed: Set[str] = set()
        for node in walk(ast.Module(body=body, type_ignores=[])):
            if getattr(node, "sct_derivative", False):
                needed |= _reads(node)
            elif isinstance(node, ast.If) and getattr(node, "sct_reverse", False):
                needed |= _reads(node.test)
            elif isinstance(node, ast.For) and getattr(node, "sct_reverse", False):
                needed |= _reads(node.iter)
        return needed

    def _place_saves(self, stmts: List[ast.stmt], needed: Set[str], defined: Set[str], top: bool):
        """Turn save/restore markers of needed variables into stack pushes and pops; drop the others."""
        out: List[ast.stmt] = []
        for stmt in stmts:
            marker = getattr(stmt, SAVE, None) or getattr(stmt, RESTORE, None)
            if marker is not None:
                name, index = marker
                if name in needed:
                    if index is None and name not in defined:
                        self.undefined.add(name)
                    is_save = getattr(stmt, SAVE, None) is not None
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
        if not _reads(marker.value) & touched:
            body.remove(marker)
            return

        def kept(node: ast.expr) -> ast.expr:
            mutated = isinstance(node, ast.Name) and node.id in self.mutated
            return self.p.np_call("copy", node) if mutated else node

        if isinstance(marker.value, ast.Tuple):
            marker.value.elts = [kept(e) for e in marker.value.elts]
        else:
            marker.value = kept(marker.value)
        body[-1].value.elts[0] = _load(marker.targets[0].id)

    def _save(self, name: str, index: Optional[ast.expr]) -> ast.stmt:
        value: ast.expr = _load(name)
        if index is not None:
            value = self.p.np_call("copy", ast.Subscript(value=_load(name), slice=clone(index),
                                                         ctx=ast.Load()))
        push = ast.Attribute(value=_load(self.stack), attr="append", ctx=ast.Load())
        return ast.Expr(value=ast.Call(func=push, args=[value], keywords=[]))

    def _restore(self, name: str, index: Optional[ast.expr]) -> ast.stmt:
        pop = ast.Call(func=ast.Attribute(value=_load(self.stack), attr="pop", ctx=ast.Load()), args=[],
                       keywords=[])
        target: ast.expr = _store(name)
        if index is not None:
            target = ast.Subscript(value=_load(name), slice=clone(index), ctx=ast.Store())
        return ast.Assign(targets=[target], value=pop, lineno=0)
