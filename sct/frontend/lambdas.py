"""Inline a lambda bound to a local name that is only called: ``f = lambda v: v * np.tanh(v)`` then
``f(x)`` is ``x * np.tanh(x)``.

A lambda's body reads its free names when it is called, as the inlined body does where the call was, so
the value is the same. Inlined only when nothing else can tell the two apart: the name is bound once, at
the top level of the function, and every later use of it calls it with as many positional arguments as it
has plain parameters; the body calls no other lambda and holds no lambda, comprehension or ``:=`` (their
scopes), no enclosing comprehension rebinds a name the body reads, and an argument that calls anything is
read exactly once by a body that calls nothing (so calls, random draws among them, happen once and in
Python's order). Any other lambda is left for :func:`sct.frontend.supported.check_supported` to refuse.
"""
from __future__ import annotations

import ast
import copy
from typing import Dict, List, Optional, Set

_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.NamedExpr)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def inline_local_lambdas(func: ast.FunctionDef) -> ast.FunctionDef:
    """A copy of ``func`` with each lambda that can be inlined (see the module docstring) inlined."""
    candidates = {}
    for index, stmt in enumerate(func.body):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and isinstance(stmt.value, ast.Lambda) and _plain(stmt.value):
            candidates[stmt.targets[0].id] = (index, stmt.value)
    if not candidates:
        return func
    func = copy.deepcopy(func)
    for name, (index, lam) in list(candidates.items()):
        if not _inlinable(func, name, index) or _free_names(lam) & set(candidates):  # calls another lambda
            del candidates[name]
    if not candidates:
        return func
    lambdas = {name: func.body[index].value for name, (index, _) in candidates.items()}
    dropped = {index for index, _ in candidates.values()}
    func.body = [_Inline(lambdas).visit(s) if i not in dropped else s for i, s in enumerate(func.body)]
    func.body = [s for i, s in enumerate(func.body) if i not in dropped]
    return ast.fix_missing_locations(func)


def _plain(node: ast.Lambda) -> bool:
    args = node.args
    return not (args.vararg or args.kwarg or args.kwonlyargs or args.defaults or args.posonlyargs) \
        and not any(isinstance(n, _SCOPES) for n in ast.walk(node.body))


def _inlinable(func: ast.FunctionDef, name: str, index: int) -> bool:
    params = {a.arg for a in func.args.args + func.args.kwonlyargs + func.args.posonlyargs}
    if name in params:
        return False
    lam = func.body[index].value
    named = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == name]
    if sum(isinstance(n.ctx, ast.Store) for n in named) != 1:
        return False
    calls = _calls_of(func, name)
    if not calls or len(calls) != sum(isinstance(n.ctx, ast.Load) for n in named):  # passed, returned...
        return False
    earlier = {id(n) for stmt in func.body[:index + 1] for n in ast.walk(stmt)}
    free = _free_names(lam)
    for call, enclosing in calls:
        if id(call) in earlier or call.keywords or len(call.args) != len(lam.args.args) \
                or any(isinstance(a, ast.Starred) for a in call.args) or free & enclosing:
            return False
        for param, arg in zip(lam.args.args, call.args):
            reads = sum(isinstance(n, ast.Name) and n.id == param.arg for n in ast.walk(lam.body))
            if _calls_anything(arg) and (reads != 1 or _calls_anything(lam.body)):
                return False
    return True


def _calls_of(func: ast.FunctionDef, name: str) -> List[tuple]:
    """(call, names bound by the comprehensions around it) for every call of ``name``."""
    found = []

    def walk(node: ast.AST, bound: Set[str]) -> None:
        if isinstance(node, _COMPREHENSIONS):
            bound = bound | {n.id for g in node.generators for n in ast.walk(g.target)
                             if isinstance(n, ast.Name)}
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
            found.append((node, bound))
        for child in ast.iter_child_nodes(node):
            walk(child, bound)

    walk(func, set())
    return found


def _free_names(lam: ast.Lambda) -> Set[str]:
    params = {a.arg for a in lam.args.args}
    return {n.id for n in ast.walk(lam.body) if isinstance(n, ast.Name)} - params


def _calls_anything(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) for n in ast.walk(node))


class _Inline(ast.NodeTransformer):
    def __init__(self, lambdas: Dict[str, ast.Lambda]):
        self.lambdas = lambdas

    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        lam: Optional[ast.Lambda] = None
        if isinstance(node.func, ast.Name):
            lam = self.lambdas.get(node.func.id)
        if lam is None:
            return node
        values = {a.arg: v for a, v in zip(lam.args.args, node.args)}
        body = _Substitute(values).visit(copy.deepcopy(lam.body))
        for sub in ast.walk(body):  # errors point at the call
            if hasattr(sub, "lineno"):
                ast.copy_location(sub, node)
        return body


class _Substitute(ast.NodeTransformer):
    def __init__(self, values: Dict[str, ast.expr]):
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.expr:
        value = self.values.get(node.id)
        return copy.deepcopy(value) if value is not None else node
