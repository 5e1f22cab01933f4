"""Checkpointed loops: a loop reversed in bounded memory becomes a call of a helper sct emits apart.

After desugaring, a loop chosen for checkpointing (marked with ``sct.checkpointed``, or every outermost
loop of the differentiated function with ``checkpoints=C``) is replaced by one assignment of its state,
``s, e = f_loop1(range(n), s, e, x)``. The loop's *state* is what its body writes and a later iteration,
or the code after the loop, reads (liveness at the end of the body); its *invariants* are the local
variables it only reads. One iteration becomes an ordinary function of the state,
``f_loop1_step(i, s, e, x) -> (s, e[, go_on])``, which reverse mode differentiates like any helper;
:mod:`sct.modes.checkpoint_halves` emits the loop's two halves around it with the schedule driver of
:mod:`sct.runtime.checkpointing`. ``break``, ``continue`` and early ``return`` were flags already
(desugaring): a loop that may stop early returns whether it goes on, and a first pass counts its trips.
"""
from __future__ import annotations

import ast
import dataclasses
from typing import Dict, List, Optional, Set, Tuple

from ..analysis.activity import appended_list, assigned_names, useful_variables, varied_variables
from ..analysis.liveness import live_after
from ..analysis.random_draws import random_draw
from ..frontend.checkpoint_marker import PLAIN, Checkpointing, Marks
from ..frontend.dicts import dict_names
from ..frontend.names import Namer, names_in
from ..frontend.source import Binding, FunctionSource, Resolver
from ..ir.astutil import clone, loaded_names, walk
from ..ir.builders import assign, load


@dataclasses.dataclass
class CheckpointedLoop:
    """What :mod:`sct.modes.checkpoint_halves` needs to emit one checkpointed loop's halves."""

    setting: Checkpointing
    step: FunctionSource  # one iteration: (loop variable, *state, *invariants) -> (*state[, go_on])
    state: List[str]
    invariants: List[str]
    carried: List[str]  # state whose adjoint an iteration passes on (active in the function)
    counted: bool  # a `for` loop: its first parameter is the sequence iterated
    stops: bool  # the step also returns whether the loop goes on (while, break, early return)


class LoopResolver(Resolver):
    """The user's names, and the loop helpers made from the function being transformed."""

    def __init__(self, base: Resolver):
        self.base = base
        self.loops: Dict[str, FunctionSource] = {}

    def binding(self, name: str) -> Optional[Binding]:
        if name in self.loops:
            return Binding("helper", name, lambda: self.loops[name])
        return self.base.binding(name)

    def global_binding(self, name: str) -> Optional[Binding]:
        if name in self.loops:
            return self.binding(name)
        return self.base.global_binding(name)

    def helper_binding(self, name: str) -> Binding:
        return self.base.helper_binding(name)

    def numpy_alias(self) -> Optional[str]:
        return self.base.numpy_alias()

    def __getattr__(self, attribute: str):
        return getattr(self.base, attribute)


def checkpoint_loops(func: ast.FunctionDef, source: FunctionSource, wrt: Tuple[str, ...], module,
                     marks: Marks, mode: str, helper: bool) -> Tuple[ast.FunctionDef, FunctionSource]:
    """Replace the loops to checkpoint in the desugared ``func`` (in place) by calls of loop helpers;
    returns ``func`` and ``source`` with a resolver that knows those helpers (``source`` itself when no
    loop was replaced)."""
    every = None if helper else module.checkpoints
    if mode != "reverse" or module.batch or module.checkpoints == PLAIN or not (marks or every):
        return func, source
    resolver = LoopResolver(source.resolver)
    outlined = dataclasses.replace(source, resolver=resolver)
    varied = varied_variables(func, wrt, resolver)
    outliner = _Outliner(func, outlined, module, marks, every, varied & useful_variables(func, varied))
    func.body = outliner.block(func.body, in_loop=False)
    return func, (outlined if resolver.loops else source)


class _Outliner:
    def __init__(self, func: ast.FunctionDef, source: FunctionSource, module, marks: Marks,
                 every: Optional[Checkpointing], active: Set[str]):
        self.func, self.source, self.module = func, source, module
        self.marks, self.every, self.active = marks, every, active
        self.live = live_after(func)
        self.params = [a.arg for a in func.args.args + func.args.kwonlyargs]
        self.locals = set(self.params) | {n.id for n in walk(func) if isinstance(n, ast.Name)
                                          and isinstance(n.ctx, ast.Store)}
        self.user_names = names_in(source.node)

    def block(self, stmts: List[ast.stmt], in_loop: bool) -> List[ast.stmt]:
        out: List[ast.stmt] = []
        for stmt in stmts:
            if isinstance(stmt, ast.If):
                stmt.body = self.block(stmt.body, in_loop)
                stmt.orelse = self.block(stmt.orelse, in_loop)
            elif isinstance(stmt, (ast.For, ast.While)):
                setting = self.marks.get((stmt.lineno, stmt.col_offset)) or (None if in_loop else self.every)
                if setting is not None:
                    out.extend(self.outline(stmt, setting))
                    continue
                stmt.body = self.block(stmt.body, in_loop=True)
            out.append(stmt)
        return out

    def error(self, node: ast.AST, message: str, hint: str):
        return self.source.context.error(node, message, hint=hint, construct="checkpointed loop")

    def outline(self, loop, setting: Checkpointing) -> List[ast.stmt]:
        """The statements replacing ``loop``: the call of its helper (the loop itself if nothing in it is
        differentiated: there is nothing to keep)."""
        body = list(loop.body)
        flags: List[str] = []
        while body and _flag_break(body[-1]):
            flags.insert(0, body.pop().test.id)
        head, after = self.live.get(id(loop.body[-1]), set()), self.live.get(id(loop), set())
        written = _written(body)
        counted = isinstance(loop, ast.For)
        target = None
        if counted:
            if not isinstance(loop.target, ast.Name):
                raise self.error(loop, "a checkpointed loop needs one loop variable",
                                 hint="loop over an index: `for k in range(len(a)): u, v = a[k]`")
            target = loop.target.id
            if target in after:
                raise self.error(loop, f"the loop variable '{target}' of a checkpointed loop is read "
                                 "after it",
                                 hint="copy it into another variable inside the loop")
        state = sorted((written & head) - {target} - _inner_targets(body, after))
        if not set(state) & self.active:
            loop.body = self.block(loop.body, in_loop=True)
            return [loop]
        for stmt in walk(ast.Module(body=body, type_ignores=[])):
            appended = appended_list(stmt) if isinstance(stmt, ast.stmt) else None
            if appended and appended[0] in state:
                raise self.error(stmt, f"a checkpointed loop appends to '{appended[0]}', which lives across "
                                 "its iterations", hint="keep the loop's state in arrays (preallocate and "
                                 "write by index), or do not checkpoint this loop")
        carried_dicts = sorted(set(state) & dict_names(self.func))
        if carried_dicts:  # its items' writes are not replayed exactly from a snapshot yet
            raise self.error(loop, f"a checkpointed loop carries the dict '{carried_dicts[0]}' from one "
                             "iteration to the next",
                             hint="keep the loop's state in arrays or in names of their own, or do not "
                             "checkpoint this loop")
        draw = random_draw(body, self.source.resolver)
        if draw is not None:
            raise self.error(draw, "a checkpointed loop draws random numbers: its recomputed iterations "
                             "would draw others",
                             hint="draw the numbers before the loop and index them inside")
        before = self._initial_values(loop, state)
        reads = loaded_names(ast.Module(body=body, type_ignores=[]))
        if not counted:
            reads |= loaded_names(loop.test)
        invariants = sorted((reads & self.locals) - written - {target})
        loop_name, step_name = self._names()
        step = self._step(loop, body, flags, state, invariants, target, step_name)
        params = ([self._fresh("items", state + invariants)] if counted else []) + state + invariants
        helper = ast.FunctionDef(name=loop_name, args=_arguments(params),
                                 body=[ast.Return(value=_names(state))], decorator_list=[],
                                 returns=None, type_comment=None, type_params=[])
        carried = [n for n in state if n in self.active]
        extra = {"checkpointed_loop": CheckpointedLoop(setting, step, state, invariants, carried, counted,
                                                        bool(flags) or not counted)}
        self.source.resolver.loops[loop_name] = dataclasses.replace(self.source, name=loop_name,
                                                                    node=ast.fix_missing_locations(
                                                                        ast.copy_location(helper, loop)),
                                                                    extra=extra)
        args = ([loop.iter] if counted else []) + [load(n) for n in state + invariants]
        target_node = _names(state, store=True)
        call = ast.copy_location(assign(target_node, ast.Call(func=load(loop_name), args=args, keywords=[]),
                                        loop), loop)
        if counted:
            return before + [call]
        return before + [ast.copy_location(ast.If(test=loop.test, body=[call], orelse=[]), loop)]

    def _initial_values(self, loop, state: List[str]) -> List[ast.stmt]:
        """State a loop assigns before reading must exist before it: only the result an early ``return``
        made desugaring set (read after the loop only when it was set) starts from 0.0."""
        inside = {id(n) for n in walk(loop)}
        # assigned before the loop (desugaring's flags have no line: they come first)
        before = set(self.params) | {n.id for n in walk(self.func) if isinstance(n, ast.Name)
                                     and isinstance(n.ctx, ast.Store) and id(n) not in inside
                                     and getattr(n, "lineno", 0) < loop.lineno}
        returned = self.func.body[-1].value if isinstance(self.func.body[-1], ast.Return) else None
        made = []
        for name in state:
            if isinstance(returned, ast.Name) and returned.id == name and name not in self.user_names:
                made.append(assign(name, ast.Constant(value=0.0), loop))
                continue
            if name in before:
                continue
            raise self.error(loop, f"'{name}' is first assigned inside a checkpointed loop and read after it "
                             "(or by a later iteration)", hint=f"give '{name}' a value before the loop")
        return made

    def _names(self) -> Tuple[str, str]:
        reserved = self.module.reserved
        count = 1
        while {f"{self.func.name}_loop{count}", f"{self.func.name}_loop{count}_step"} & reserved:
            count += 1
        names = f"{self.func.name}_loop{count}", f"{self.func.name}_loop{count}_step"
        reserved.update(names)
        return names

    def _fresh(self, base: str, taken: List[str]) -> str:
        return Namer(set(taken) | self.user_names).fresh(base)

    def _step(self, loop, body, flags, state, invariants, target, name) -> FunctionSource:
        """One iteration as a function of the state, returning the new state (and whether to go on)."""
        body = clone(body)
        taken = state + invariants + ([target] if target else [])
        trip = target or self._fresh("trip", taken)
        outputs = list(state)
        if flags or not isinstance(loop, ast.For):
            go = self._fresh("go_on", taken)
            stopped = ast.BoolOp(op=ast.Or(), values=[load(f) for f in flags]) if len(flags) > 1 else (
                load(flags[0]) if flags else None)
            if isinstance(loop, ast.For):
                body.append(assign(go, ast.UnaryOp(op=ast.Not(), operand=stopped), loop))
            elif stopped is None:
                body.append(assign(go, clone(loop.test), loop))
            else:
                stop = [assign(go, ast.Constant(False), loop)]
                body.append(ast.copy_location(ast.If(test=stopped, body=stop,
                                                     orelse=[assign(go, clone(loop.test), loop)]), loop))
            outputs.append(go)
        body.append(ast.copy_location(ast.Return(value=_names(outputs)), loop))
        node = ast.FunctionDef(name=name, args=_arguments([trip] + state + invariants), body=body,
                               decorator_list=[], returns=None, type_comment=None, type_params=[])
        node = ast.fix_missing_locations(ast.copy_location(node, loop))
        return dataclasses.replace(self.source, name=name, node=node, extra={"checkpoint_marks": self.marks})


def _flag_break(stmt: ast.stmt) -> bool:
    """``if stop: break``, which desugaring puts at the end of a loop that may stop early."""
    return (isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Name) and not stmt.orelse
            and len(stmt.body) == 1 and isinstance(stmt.body[0], ast.Break))


def _inner_targets(body: List[ast.stmt], after: Set[str]) -> Set[str]:
    """Variables of inner loops not read outside those loops: the liveness analysis keeps them live (it
    does not count a loop header as a write), but each inner loop binds them afresh."""
    found: Set[str] = set()
    for loop in walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(loop, ast.For) and isinstance(loop.target, ast.Name):
            inside = {id(n) for n in walk(loop)}
            name = loop.target.id
            if name not in after and not any(isinstance(n, ast.Name) and n.id == name and id(n) not in inside
                                              for n in walk(ast.Module(body=body, type_ignores=[]))):
                found.add(name)
    return found


def _written(body: List[ast.stmt]) -> Set[str]:
    """Names the statements bind or write into (by index, or by appending)."""
    written: Set[str] = set()
    for node in walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                written |= assigned_names(target)
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    written.add(target.value.id)
        elif isinstance(node, ast.For):
            written |= assigned_names(node.target)
        elif isinstance(node, ast.stmt) and appended_list(node):
            written.add(appended_list(node)[0])
    return written


def _names(names: List[str], store: bool = False) -> ast.expr:
    make = (lambda n: ast.Name(id=n, ctx=ast.Store())) if store else load
    if len(names) == 1:
        return make(names[0])
    return ast.Tuple(elts=[make(n) for n in names], ctx=ast.Store() if store else ast.Load())


def _arguments(names: List[str]) -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[ast.arg(arg=n) for n in names], vararg=None, kwonlyargs=[],
                         kw_defaults=[], kwarg=None, defaults=[])

