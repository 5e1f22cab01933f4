"""List comprehensions and generator expressions as explicit loops that append to a list.

``y = np.array([f(x[i]) for i in range(n) if i != k])`` becomes::

    _list1 = []
    for i_1 in range(n):
        if i_1 != k:
            _list1.append(f(x[i_1]))
    y = np.array(_list1)

which the later passes already differentiate (loops, ``list.append``, ``np.array``/``np.stack`` of a
list). Python's semantics are kept: the targets of a comprehension are its own (renamed, so an outer ``i``
is untouched), the first iterable is evaluated in the enclosing scope, several ``for`` clauses nest left
to right and each ``if`` guards what follows it. A comprehension is hoisted before the statement that
holds it, so one that Python would evaluate only sometimes (a branch of ``a if c else b``, the right of
``and``/``or``, a ``while`` test) is refused. A generator expression is accepted as the argument of a
builtin that consumes it at once (``sum``, ``tuple``, ``list``, ``sorted``, ``min``, ``max``, ``any``,
``all``, ``math.fsum``, ``math.prod``), where a list gives the same result.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional

from ..errors import SourceContext
from ..ir.astutil import clone, walk
from ..ir.builders import assign, load, method_call
from .names import Namer
from .source import Resolver

_COMPREHENSIONS = (ast.ListComp, ast.GeneratorExp)
_CONSUMERS = {"builtins.sum", "builtins.tuple", "builtins.list", "builtins.sorted", "builtins.min",
              "builtins.max", "builtins.any", "builtins.all", "math.fsum", "math.prod"}

_RANDOM = ("numpy.random.", "random.")
_GENERATOR_METHODS = {"random", "normal", "standard_normal", "uniform", "integers", "choice", "permutation",
                      "shuffle", "exponential", "gamma", "beta", "binomial", "poisson", "multivariate_normal",
                      "rand", "randn", "randint", "seed", "spawn"}


def _holds_comprehension(node: Optional[ast.AST]) -> bool:
    return node is not None and any(isinstance(sub, _COMPREHENSIONS) for sub in walk(node))


def _stored(target: ast.expr) -> List[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


class _Rename(ast.NodeTransformer):
    """Rename the names of ``mapping`` wherever they occur (loaded or stored)."""

    def __init__(self, mapping: Dict[str, str]):
        self.mapping = mapping

    def visit_Name(self, node: ast.Name):
        if node.id in self.mapping:
            return ast.copy_location(ast.Name(id=self.mapping[node.id], ctx=node.ctx), node)
        return node


class _Hoist(ast.NodeTransformer):
    """Replace each comprehension of an expression by a list name; ``before`` gets the loops building it."""

    def __init__(self, expander: "_Expander"):
        self.expander = expander
        self.before: List[ast.stmt] = []

    def visit_Call(self, node: ast.Call):
        node.func = self.visit(node.func)
        consumer = self.expander.consumer(node.func)
        args = []
        for arg in node.args:
            if isinstance(arg, ast.GeneratorExp) and consumer:
                args.append(self.expander.build(arg, self.before))
            else:
                args.append(self.visit(arg))
        node.args = args
        node.keywords = [self.visit(k) for k in node.keywords]
        return node

    def visit_ListComp(self, node: ast.ListComp):
        return self.expander.build(node, self.before)

    def visit_GeneratorExp(self, node: ast.GeneratorExp):
        raise self.expander.context.error(
            node, "a generator expression is supported only as the argument of sum, tuple, list, sorted, "
                  "min, max, any, all, math.fsum or math.prod", construct="a generator expression",
            hint="write a list comprehension [...] instead, which sct builds as a list")

    def visit_IfExp(self, node: ast.IfExp):
        node.test = self.visit(node.test)
        self.expander.refuse_conditional(node.body, "a branch of `... if ... else ...`")
        self.expander.refuse_conditional(node.orelse, "a branch of `... if ... else ...`")
        return node

    def visit_BoolOp(self, node: ast.BoolOp):
        node.values[0] = self.visit(node.values[0])
        for value in node.values[1:]:
            self.expander.refuse_conditional(value, "the right of `and`/`or`")
        return node


class _Expander:
    def __init__(self, namer: Namer, context: SourceContext, resolver: Optional[Resolver]):
        self.namer = namer
        self.context = context
        self.resolver = resolver

    def consumer(self, func: ast.expr) -> bool:
        binding = self.resolver.qualname_of(func) if self.resolver is not None else None
        return binding is not None and binding.qualname in _CONSUMERS

    def refuse_conditional(self, node: ast.expr, where: str) -> None:
        if _holds_comprehension(node):
            found = next(sub for sub in ast.walk(node) if isinstance(sub, _COMPREHENSIONS))
            raise self.context.error(found, f"a comprehension in {where} is evaluated only sometimes, "
                                     "and sct builds it beforehand", construct="a conditional comprehension",
                                     hint="assign it to a name inside an if statement first")

    def expression(self, node: ast.expr, before: List[ast.stmt]) -> ast.expr:
        if not _holds_comprehension(node):
            return node  # nothing to hoist
        hoist = _Hoist(self)
        node = hoist.visit(node)
        if hoist.before and self.draws(hoist.before) and self.draws([node]):
            raise self.context.error(
                node, "a comprehension that calls a function which may draw random numbers is built before "
                "the rest of its statement, which calls one too: the draws would come in another order",
                construct="a comprehension", hint="assign the comprehension to a name on its own line first")
        before.extend(hoist.before)
        return node

    def draws(self, nodes: List[ast.AST]) -> bool:
        """May evaluating ``nodes`` change state that other calls read (random draws, a helper's effects)?"""
        for node in nodes:
            for sub in ast.walk(node):
                if not isinstance(sub, ast.Call):
                    continue
                found = self.resolver.qualname_of(sub.func) if self.resolver is not None else None
                if found is None:
                    if not isinstance(sub.func, ast.Attribute) or sub.func.attr in _GENERATOR_METHODS:
                        return True
                elif found.kind in ("helper", "opaque") or found.qualname.startswith(_RANDOM):
                    return True
        return False

    def build(self, node: ast.expr, before: List[ast.stmt]) -> ast.Name:
        """Append to ``before`` the loops that build ``node``'s list; return the list's name."""
        generators = node.generators
        if any(gen.is_async for gen in generators):
            raise self.context.error(node, "an async comprehension is not supported by sct",
                                     construct="async comprehension", hint="differentiate synchronous code")
        # the comprehension's own scope: its targets renamed everywhere but in the first iterable
        rename = _Rename({name: self.namer.fresh(name) for gen in generators for name in _stored(gen.target)})
        elt = rename.visit(node.elt)
        levels = [(rename.visit(gen.target), [rename.visit(c) for c in gen.ifs],
                   gen.iter if k == 0 else rename.visit(gen.iter)) for k, gen in enumerate(generators)]
        result = self.namer.temp("_list")
        body: List[ast.stmt] = []
        value = self.expression(elt, body)
        body.append(ast.Expr(value=method_call(result, "append", value)))
        for target, conditions, iterable in reversed(levels):
            for condition in reversed(conditions):
                pre: List[ast.stmt] = []
                test = self.expression(condition, pre)
                body = pre + [ast.If(test=test, body=body, orelse=[])]
            pre = []
            iterable = self.expression(iterable, pre)
            loop = ast.For(target=_store(target), iter=iterable, body=body, orelse=[], type_comment=None)
            body = pre + [loop]
        empty = assign(result, ast.List(elts=[], ctx=ast.Load()))
        before.extend(_located(stmt, node) for stmt in [empty] + body)
        return ast.copy_location(load(result), node)

    def block(self, stmts: List[ast.stmt]) -> List[ast.stmt]:
        out: List[ast.stmt] = []
        for stmt in stmts:
            before: List[ast.stmt] = []
            if isinstance(stmt, ast.While):
                self.refuse_conditional(stmt.test, "a `while` test")
            elif isinstance(stmt, ast.If):
                stmt.test = self.expression(stmt.test, before)
            elif isinstance(stmt, ast.For):
                stmt.iter = self.expression(stmt.iter, before)
            elif _holds_comprehension(stmt):
                stmt = self.expression(stmt, before)
            for field in ("body", "orelse"):
                block = getattr(stmt, field, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    setattr(stmt, field, self.block(block))
            out.extend(before)
            out.append(stmt)
        return out


def _store(target: ast.expr) -> ast.expr:
    target = clone(target)
    for sub in ast.walk(target):
        if hasattr(sub, "ctx"):
            sub.ctx = ast.Store() if isinstance(sub, (ast.Name, ast.Tuple, ast.List)) else ast.Load()
    return target


def _located(stmt: ast.stmt, node: ast.AST) -> ast.stmt:
    for sub in ast.walk(stmt):
        if "lineno" in sub._attributes and getattr(sub, "lineno", None) is None:
            ast.copy_location(sub, node)
    return stmt


def expand_comprehensions(func: ast.FunctionDef, context: SourceContext, namer: Namer,
                          resolver: Optional[Resolver] = None) -> ast.FunctionDef:
    """A copy of ``func`` whose list comprehensions and generator expressions are loops (module docstring);
    ``func`` itself when it has none."""
    if not _holds_comprehension(func):
        return func
    func = clone(func)
    func.body = _Expander(namer, context, resolver).block(func.body)
    return func
