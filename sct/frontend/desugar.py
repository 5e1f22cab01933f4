"""Reject what sct cannot handle, and rewrite sugar into the small language the transformations know.

After this pass a function body has: assignments (to names, tuples of names, or subscripts), expression
statements (``list.append``), ``if``/``else``, ``for`` over ``range`` or another sequence, ``while``,
and exactly one ``return`` as its last statement. ``break``/``continue``/early ``return`` become flags and
if/else structure; augmented assignment becomes plain assignment (marked as in place, which
:mod:`sct.analysis.aliasing` checks); ``z = z`` is dropped; a tuple assignment of a tuple written out becomes
single assignments (``sct.frontend.unpacking``); ``for row in X`` indexes ``X``.
"""
from __future__ import annotations

import ast
from typing import List, Optional

from ..errors import SourceContext
from ..ir import annotations as anno
from ..ir.astutil import breadth_first, clone, name_calls_in_index, walk
from ..ir.blocks import StatementTransformer, all_statements, block_nodes
from ..ir.builders import assign
from .builtin_calls import BuiltinCalls
from .depth import split_deep_expressions
from .dicts import DictSugar
from .names import Namer
from .supported import check_supported
from .unpacking import SplitTupleAssignments


class _PlainAssignments(StatementTransformer):
    """``y: T = v`` -> ``y = v``; ``y: T`` (no value: it binds nothing) -> ``pass``. Python does not
    evaluate the annotation of a local name, so only the assignment is left to differentiate."""

    def visit_AnnAssign(self, node: ast.AnnAssign):
        if node.value is None:
            return ast.copy_location(ast.Pass(), node)
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)


def drop_annotations(func: ast.FunctionDef) -> ast.FunctionDef:
    """A copy of ``func`` whose annotated assignments are plain ones (the first rewrite of all)."""
    if not any(isinstance(node, ast.AnnAssign) for node in all_statements(func)):
        return func
    return ast.fix_missing_locations(_PlainAssignments().visit(clone(func)))


_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
              ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
              ast.LShift: "<<", ast.RShift: ">>"}


class _AugAssign(StatementTransformer):
    """``x op= v`` -> ``x = x op v``; an index built by a call is computed once, first (as Python does). A
    name also written by index keeps a 0-d array an array (``kept_zero_dim``), as ``+=`` in place does."""

    def __init__(self, namer: Namer, func: ast.FunctionDef):
        self.namer = namer
        self.indexed = {node.value.id for node in walk(func) if isinstance(node, ast.Subscript)
                        and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name)}

    def visit_AugAssign(self, node: ast.AugAssign):
        before: List[ast.stmt] = []
        if isinstance(node.target, ast.Subscript):
            node.target.slice = name_calls_in_index(node.target.slice, lambda: self.namer.temp("_i"), before)
        load = clone(node.target)
        for sub in breadth_first(load):
            if hasattr(sub, "ctx"):
                sub.ctx = ast.Load()
        value = ast.BinOp(left=load, op=node.op, right=node.value)
        if isinstance(node.target, ast.Name) and node.target.id in self.indexed:
            value = ast.Call(func=ast.Name(id="kept_zero_dim", ctx=ast.Load()),
                             args=[value, ast.Name(id=node.target.id, ctx=ast.Load())], keywords=[])
        new = ast.copy_location(ast.Assign(targets=[node.target], value=value), node)
        # in place (for a name, and for a container's element): sct.analysis.aliasing checks it
        anno.mark(new, "augmented", _OPERATORS.get(type(node.op), "?"))
        return before + [new] if before else new


class _ChainedAssign(StatementTransformer):
    """``a = b = v`` -> ``a = v; b = a``: the value once, bound to the targets left to right, so every target
    holds the same object (an array written through one is seen through the others, which
    :mod:`sct.analysis.aliasing` follows). Targets other than names take the value from a temporary; an
    unpacking target (``p, q = r = v``) is refused."""

    def __init__(self, namer: Namer, context: SourceContext):
        self.namer = namer
        self.context = context

    def visit_Assign(self, node: ast.Assign):
        if len(node.targets) == 1:
            return node
        if any(isinstance(t, (ast.Tuple, ast.List, ast.Starred)) for t in node.targets):
            raise self.context.error(node, "a chained assignment that unpacks (p, q = r = v) is not "
                                     "supported",
                                     construct="chained assignment with unpacking",
                                     hint="assign each target on its own line: p, q = v, then r = (p, q)")
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if len(names) == len(node.targets):
            first, rest = [node.targets[0]], node.targets[1:]
            source = names[0]
        else:
            source = self.namer.temp()
            first, rest = [ast.Name(id=source, ctx=ast.Store())], node.targets
        head = ast.copy_location(ast.Assign(targets=first, value=node.value), node)
        split = [head] + [ast.copy_location(assign(target, ast.Name(id=source, ctx=ast.Load())), node)
                          for target in rest]
        text = ast.unparse(node)
        for stmt in split:
            anno.mark(stmt, "chained", text)
        return split


class _SelfAssign(StatementTransformer):
    """``z = z`` changes nothing: drop it (sct would otherwise treat it as a new value of ``z``)."""

    def visit_Assign(self, node: ast.Assign):
        target = node.targets[0]
        same = (len(node.targets) == 1 and isinstance(target, ast.Name) and isinstance(node.value, ast.Name)
                and node.value.id == target.id and not anno.get(node, "augmented"))
        return ast.Pass() if same else node


def _is_range(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range"


_ITERATORS = {"zip", "enumerate", "map", "filter", "reversed", "iter"}  # sorted(...) is a list


def _call_to(node: ast.expr, name: str) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
            and not node.keywords)


class _ForOverSequence(StatementTransformer):
    """``for row in X`` -> ``for k in range(len(X)): row = X[k]`` so that reading a row is an index.

    ``for i, row in enumerate(X)`` takes ``i`` as the index; ``for a, b in zip(A, B)`` reads ``A[k]`` and
    ``B[k]`` for ``k`` up to the shortest length; ``reversed(A)`` (alone or in ``zip``/``enumerate``) reads
    ``A[len(A) - 1 - k]``. Other iterators are refused (they have no length and
    cannot be indexed).
    """

    def __init__(self, namer: Namer, context: SourceContext):
        self.namer = namer
        self.context = context

    def visit_For(self, node: ast.For):
        self.generic_visit(node)
        iterable = node.iter
        if _is_range(iterable):
            return node
        index_target: Optional[ast.expr] = None
        target = node.target
        if (_call_to(iterable, "enumerate") and len(iterable.args) == 1
                and isinstance(target, ast.Tuple) and len(target.elts) == 2):
            index_target, target = target.elts
            iterable = iterable.args[0]
        if (_call_to(iterable, "zip") and iterable.args and isinstance(target, ast.Tuple)
                and len(target.elts) == len(iterable.args)):
            sequences, targets = list(iterable.args), list(target.elts)
        elif _call_to(iterable, "reversed") and len(iterable.args) == 1:
            sequences, targets = [iterable], [target]
        elif isinstance(iterable, ast.Call) and (
                (isinstance(iterable.func, ast.Name) and iterable.func.id in _ITERATORS)
                or (isinstance(iterable.func, ast.Attribute) and iterable.func.attr in ("items", "keys",
                                                                                         "values"))):
            what = ast.unparse(iterable.func)
            raise self.context.error(node, f"a loop over `{what}(...)` is not supported in this form",
                                     construct=f"for ... in {what}(...)",
                                     hint="loop over an index: `for k in range(len(a)): u = a[k]` "
                                          "(`for u, v in zip(a, b)`, `for i, u in enumerate(a)` and "
                                          "`for u in reversed(a)` work too)")
        else:
            sequences, targets = [iterable], [target]
        if index_target is None:
            index_target = ast.Name(id=self.namer.temp("_k"), ctx=ast.Store())
        if not isinstance(index_target, ast.Name):
            return node
        index = ast.Name(id=index_target.id, ctx=ast.Load())
        before: List[ast.stmt] = []
        rebound = _rebound(node.body)
        backwards = [_call_to(seq, "reversed") and len(seq.args) == 1 for seq in sequences]
        sequences = [seq.args[0] if back else seq for seq, back in zip(sequences, backwards)]
        for k, sequence in enumerate(sequences):
            if not isinstance(sequence, ast.Name) or sequence.id in rebound:
                # Python evaluates the iterable once, and iterates over it even if the body rebinds its name
                name = self.namer.temp("_seq")
                before.append(ast.copy_location(ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())],
                                                           value=sequence), node))
                sequences[k] = ast.Name(id=name, ctx=ast.Load())
        lengths = [ast.Call(func=ast.Name(id="len", ctx=ast.Load()), args=[seq], keywords=[])
                   for seq in sequences]
        length = lengths[0] if len(lengths) == 1 else ast.Call(func=ast.Name(id="min", ctx=ast.Load()),
                                                                args=lengths, keywords=[])
        rows = []
        for sequence, element, back in zip(sequences, targets, backwards):
            position = clone(index)
            if back:  # reversed(a): a[len(a) - 1 - k]
                length = ast.Call(func=ast.Name(id="len", ctx=ast.Load()), args=[clone(sequence)],
                                  keywords=[])
                last = ast.BinOp(left=length, op=ast.Sub(), right=ast.Constant(1))
                position = ast.BinOp(left=last, op=ast.Sub(), right=position)
            row = ast.Assign(targets=[element], value=ast.Subscript(value=clone(sequence), slice=position,
                                                                    ctx=ast.Load()))
            ast.copy_location(row, node)
            anno.mark(row, "loop_row")
            rows.append(row)
        loop = ast.For(target=index_target, iter=ast.Call(func=ast.Name(id="range", ctx=ast.Load()),
                                                          args=[length], keywords=[]),
                       body=rows + node.body, orelse=node.orelse, type_comment=None)
        return before + [ast.copy_location(loop, node)]


def _rebound(stmts: List[ast.stmt]) -> set:
    """Names that ``stmts`` bind (assignment or loop targets, at any depth)."""
    module = ast.Module(body=stmts, type_ignores=[])
    return {n.id for n in breadth_first(module) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _contains(stmts: List[ast.stmt], kinds: tuple, into_loops: bool) -> bool:
    for stmt in stmts:
        if isinstance(stmt, kinds):
            return True
        if isinstance(stmt, ast.If) and (_contains(stmt.body, kinds, into_loops)
                                         or _contains(stmt.orelse, kinds, into_loops)):
            return True
        if into_loops and isinstance(stmt, (ast.For, ast.While)) and _contains(stmt.body, kinds, into_loops):
            return True
    return False


def _ends(stmts: List[ast.stmt], kinds: tuple) -> bool:
    """Does every path through ``stmts`` end in one of ``kinds``?"""
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, kinds):
        return True
    return isinstance(last, ast.If) and _ends(last.body, kinds) and _ends(last.orelse, kinds)


def _lift(stmts: List[ast.stmt], kinds: tuple) -> List[ast.stmt]:
    """Move the statements after an ``if`` that may jump into its branches, so jumps end paths."""
    for i, stmt in enumerate(stmts):
        if isinstance(stmt, kinds):
            return stmts[:i + 1]
        if isinstance(stmt, ast.If) and _contains([stmt], kinds, into_loops=False):
            rest = stmts[i + 1:]
            body = _lift(stmt.body + ([] if _ends(stmt.body, kinds) else clone(rest)), kinds)
            orelse = _lift(stmt.orelse + ([] if _ends(stmt.orelse, kinds) else clone(rest)), kinds)
            new = ast.copy_location(ast.If(test=stmt.test, body=body or [ast.Pass()], orelse=orelse), stmt)
            return stmts[:i] + [new]
    return stmts


class _Jumps:
    """Turn early returns, ``break`` and ``continue`` into flags and structured if/else."""

    def __init__(self, namer: Namer, context: SourceContext):
        self.namer = namer
        self.context = context
        self.result = None
        self.done = None

    def function(self, func: ast.FunctionDef) -> None:
        body = func.body
        returns = [n for n in breadth_first(func) if isinstance(n, ast.Return)]
        if not returns:
            raise self.context.error(func, f"function '{func.name}' has no return statement",
                                     hint="return the value to differentiate")
        for node in returns:
            if node.value is None:
                raise self.context.error(node, "a bare `return` returns nothing to differentiate",
                                         hint="return a value")
        simple = len(returns) == 1 and isinstance(body[-1], ast.Return)
        if not simple:
            self.result = self.namer.fresh("result")
            self.done = self.namer.fresh("returned")
            if _contains(body, (ast.Return,), into_loops=True) and self._returns_in_loops(body):
                body = [assign(self.done, ast.Constant(value=False))] + body
            body = self._block(_lift(body, (ast.Return,)), in_loop=False)
            body.append(ast.Return(value=ast.Name(id=self.result, ctx=ast.Load())))
        else:
            body = self._block(body, in_loop=False)
        func.body = body

    def _returns_in_loops(self, stmts: List[ast.stmt]) -> bool:
        return any(isinstance(s, (ast.For, ast.While)) and _contains(s.body, (ast.Return,), True)
                   for s in breadth_first(ast.Module(body=stmts, type_ignores=[])))

    def _block(self, stmts: List[ast.stmt], in_loop: bool) -> List[ast.stmt]:
        out: List[ast.stmt] = []
        for i, stmt in enumerate(stmts):
            if isinstance(stmt, ast.Return) and self.result is not None:
                out.append(assign(self.result, stmt.value, stmt))
                if in_loop:
                    out.append(assign(self.done, ast.Constant(value=True)))
            elif isinstance(stmt, ast.If):
                stmt.body = self._block(stmt.body, in_loop) or [ast.Pass()]
                stmt.orelse = self._block(stmt.orelse, in_loop)
                out.append(stmt)
            elif isinstance(stmt, (ast.For, ast.While)):
                returns_inside = _contains(stmt.body, (ast.Return,), True)
                out.extend(self._loop(stmt, stmts[i + 1:]))
                if self.done is not None and returns_inside:
                    rest = self._block(_lift(stmts[i + 1:], (ast.Return,)), in_loop)
                    if rest:
                        guard = ast.UnaryOp(op=ast.Not(), operand=ast.Name(id=self.done, ctx=ast.Load()))
                        out.append(ast.If(test=guard, body=rest, orelse=[]))
                    return out
            else:
                out.append(stmt)
        return out

    def _loop(self, loop: ast.stmt, rest: List[ast.stmt]) -> List[ast.stmt]:
        if loop.orelse:
            raise self.context.error(loop, "a loop with an `else:` clause is not supported",
                                     hint="use a flag variable set before `break`")
        kinds = (ast.Break, ast.Continue, ast.Return)
        stop = None
        body = loop.body
        nested_returns = self._returns_in_loops(body)  # before the inner loops rewrite their returns
        if _contains(body, (ast.Break, ast.Return), into_loops=False):
            stop = self.namer.fresh("stop")
        body = _lift(body, kinds)
        body = self._loop_body(body, stop)
        body = self._block(body, in_loop=True)
        if stop is not None:
            body.append(ast.If(test=ast.Name(id=stop, ctx=ast.Load()), body=[ast.Break()], orelse=[]))
        if self.done is not None and nested_returns:
            body.append(ast.If(test=ast.Name(id=self.done, ctx=ast.Load()), body=[ast.Break()], orelse=[]))
        loop.body = body or [ast.Pass()]
        before = [assign(stop, ast.Constant(value=False))] if stop else []
        return before + [loop]

    def _loop_body(self, stmts: List[ast.stmt], stop) -> List[ast.stmt]:
        out = []
        for stmt in stmts:
            if isinstance(stmt, ast.Break):
                out.append(assign(stop, ast.Constant(value=True)))
            elif isinstance(stmt, ast.Continue):
                continue
            elif isinstance(stmt, ast.Return):
                out.append(stmt)
                out.append(assign(stop, ast.Constant(value=True)))
            elif isinstance(stmt, ast.If):
                stmt.body = self._loop_body(stmt.body, stop) or [ast.Pass()]
                stmt.orelse = self._loop_body(stmt.orelse, stop)
                out.append(stmt)
            else:
                out.append(stmt)
        return out


def desugar(func: ast.FunctionDef, context: SourceContext, namer: Namer, resolver=None) -> ast.FunctionDef:
    """Apply every rewrite of this module to a copy of ``func`` (``resolver``: finds the helpers that
    return a dict, whose keys a loop over the result reads)."""
    check_supported(func, context)
    func = _ChainedAssign(namer, context).visit(clone(drop_annotations(func)))
    func.body = split_deep_expressions(func.body, namer.temp)
    func = _AugAssign(namer, func).visit(func)
    func = _SelfAssign().visit(func)
    func = SplitTupleAssignments(namer).visit(func)
    func = BuiltinCalls().visit(DictSugar(namer, context, resolver).visit(func))
    func = _ForOverSequence(namer, context).visit(func)
    _Jumps(namer, context).function(func)
    _drop_pass(func)
    return func


def _drop_pass(func: ast.FunctionDef) -> None:
    for node in block_nodes(func):
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                kept = [s for s in block if not isinstance(s, (ast.Pass, ast.Expr)) or _is_call_stmt(s)]
                if field == "body" and not kept and not isinstance(node, ast.Module):
                    kept = [ast.Pass()]
                setattr(node, field, kept)


def _is_call_stmt(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
