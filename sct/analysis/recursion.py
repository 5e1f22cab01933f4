"""Recursion whose depth follows the differentiated values, refused.

A helper that calls itself (directly or through others) is differentiated call by call, each activation
with its own derivative call (and, in reverse mode, its own tape), which is exact whatever decides the
depth. sct accepts recursion whose depth follows shapes and integer bookkeeping (``len(rows) == 1``,
``n - 1``), and refuses a recursive call that a test on a value depending on the differentiated inputs
guards: the number of activations would then change with the inputs, which a derivative cannot see.

:func:`check_recursion` runs on the user's functions as written (before desugaring turns early returns
into flags), with a conservative flow-insensitive dependence on the ``wrt`` parameters that also follows
non-differentiable operations (``int(x[0])``, ``x > 1``) but not shapes (``x.shape``, ``len(x)``), and
follows it into the helpers called (an integer computed from ``x`` and passed down counts too).
"""
from __future__ import annotations

import ast
from typing import Dict, Iterable, List, Optional, Set, Tuple

from ..errors import SCTError
from ..frontend.calls import NONDIFF_ATTRIBUTES
from ..frontend.source import FunctionSource, Resolver
from ..ir.astutil import walk

_SHAPE_CALLS = {"len", "builtins.len", "numpy.shape", "numpy.ndim", "numpy.size", "builtins.isinstance"}
_EXITS = (ast.Return, ast.Break, ast.Continue, ast.Raise)


def check_recursion(source: FunctionSource, wrt: Iterable[str], cycles: Dict[str, Set[str]]) -> None:
    """Raise SCTError at a recursive call, in ``source`` or a function it reaches, that a test on a value
    depending on ``wrt`` decides. ``cycles`` maps each recursive function's name to the functions it
    calls recursively (itself included)."""
    for function, params in dependent_parameters(source, wrt).values():
        if function.name in cycles:
            _Guards(function, params, cycles[function.name]).block(function.node.body, None)


def dependent_parameters(source: FunctionSource, wrt: Iterable[str]) -> Dict[tuple, Tuple[FunctionSource,
                                                                                            Set[str]]]:
    """For ``source`` and every helper it reaches: the parameters whose argument may depend on ``wrt``
    (through any operation), as a fixpoint over the calls. Keyed by (file, function name)."""
    found: Dict[tuple, Tuple[FunctionSource, Set[str]]] = {_key(source): (source, set(wrt))}
    pending = [_key(source)]
    while pending:
        function, params = found[pending.pop()]
        dependent = _dependent_names(function.node, params, function.resolver)
        for call in walk(function.node):
            callee = _helper_called(call, function.resolver)
            if callee is None:
                continue
            passed = _dependent_arguments(call, callee, dependent, function.resolver)
            key = _key(callee)
            if key not in found:
                found[key] = (callee, set())
            if not passed <= found[key][1]:
                found[key][1].update(passed)
                pending.append(key)
    return found


def _key(source: FunctionSource) -> tuple:
    return source.context.filename, source.name


def _helper_called(node: ast.AST, resolver: Resolver) -> Optional[FunctionSource]:
    if not isinstance(node, ast.Call):
        return None
    binding = resolver.qualname_of(node.func)
    if binding is None or binding.kind != "helper" or binding.load_helper is None:
        return None
    try:
        return binding.load_helper()
    except SCTError:  # its source is not readable: the transformation says so where it matters
        return None


def _dependent_arguments(call: ast.Call, callee: FunctionSource, dependent: Set[str],
                         resolver: Resolver) -> Set[str]:
    params = [a.arg for a in callee.node.args.args]
    bound = dict(zip(params, call.args))
    bound.update({k.arg: k.value for k in call.keywords if k.arg})
    return {param for param, arg in bound.items() if _value_reads(arg, resolver) & dependent}


class _Guards:
    """The check of one function, whose parameters ``params`` may depend on the differentiated inputs."""

    def __init__(self, function: FunctionSource, params: Set[str], cycle: Set[str]):
        self.resolver = function.resolver
        self.cycle = cycle
        self.context = function.context
        self.dependent = _dependent_names(function.node, params, function.resolver)

    # ------------------------------------------------------------------------------------------- tests
    def depends(self, node: Optional[ast.AST]) -> bool:
        """Does ``node``'s value follow the differentiated inputs (not only their shapes)?"""
        return node is not None and bool(_value_reads(node, self.resolver) & self.dependent)

    def recursive_calls(self, node: ast.AST) -> List[ast.Call]:
        found = []
        for child in walk(node):
            if isinstance(child, ast.Call):
                binding = self.resolver.qualname_of(child.func)
                if binding is not None and binding.kind == "helper" \
                        and binding.qualname.rsplit(".", 1)[-1] in self.cycle:
                    found.append(child)
        return found

    # ---------------------------------------------------------------------------------------- statements
    def block(self, stmts: List[ast.stmt], guard: Optional[ast.expr]) -> Optional[ast.expr]:
        """Check ``stmts``, which run only as ``guard`` (a dependent test, or None) decides; returns the
        guard of what follows (a dependent test whose branch may leave the block)."""
        for stmt in stmts:
            if isinstance(stmt, ast.If):
                inner = guard or (stmt.test if self.depends(stmt.test) else None)
                self.expression(stmt.test, guard)
                self.block(stmt.body, inner)
                self.block(stmt.orelse, inner)
                if inner is not None and any(isinstance(n, _EXITS) for n in walk(stmt)):
                    guard = inner
            elif isinstance(stmt, (ast.For, ast.While)):
                head = stmt.test if isinstance(stmt, ast.While) else _range_bounds(stmt.iter)
                inner = guard or (head if self.depends(head) else None)
                self.expression(stmt.test if isinstance(stmt, ast.While) else stmt.iter, guard)
                # a dependent test in the body that leaves the loop or the function decides the calls of
                # every iteration after it
                exits = [n.test for n in walk(stmt) if isinstance(n, ast.If) and self.depends(n.test)
                         and any(isinstance(e, _EXITS) for e in walk(n))]
                inner = inner or (exits[0] if exits else None)
                self.block(stmt.body, inner)
                self.block(stmt.orelse, inner)
            elif isinstance(stmt, (ast.With, ast.Try)):
                self.block(stmt.body, guard)
            else:
                self.expression(stmt, guard)
        return guard

    def expression(self, node: ast.AST, guard: Optional[ast.expr]) -> None:
        """Calls in ``node`` itself, where a conditional expression or ``and``/``or`` may guard them too."""
        for child in walk(node):
            if isinstance(child, ast.IfExp) and self.depends(child.test):
                self.refuse(self.recursive_calls(child.body) + self.recursive_calls(child.orelse), child.test)
            elif isinstance(child, ast.BoolOp):
                for i, value in enumerate(child.values[:-1]):
                    if self.depends(value):
                        self.refuse([c for v in child.values[i + 1:] for c in self.recursive_calls(v)], value)
        if guard is not None:
            self.refuse(self.recursive_calls(node), guard)

    def refuse(self, calls: List[ast.Call], test: ast.expr) -> None:
        if not calls:
            return
        name, condition = ast.unparse(calls[0].func), ast.unparse(test)
        raise self.context.error(calls[0], f"the recursive call to '{name}' depends on `{condition}`, "
                                 "a value that changes with the differentiated input: the depth of the "
                                 "recursion would follow the input", construct="recursion",
                                 hint="let the depth follow shapes or integer arguments (len(rows) == 1, "
                                 "n - 1), or write the repetition as a while loop")


def _range_bounds(node: ast.expr) -> Optional[ast.expr]:
    """What decides a for loop's trip count: ``range``'s bounds; iterating over a sequence, its length."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        return ast.Tuple(elts=list(node.args), ctx=ast.Load())
    return None


def _value_reads(node: ast.AST, resolver: Resolver) -> Set[str]:
    """Names whose value (not only shape) ``node`` reads."""
    names: Set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Attribute) and current.attr in NONDIFF_ATTRIBUTES:
            continue
        if isinstance(current, ast.Call):
            binding = resolver.qualname_of(current.func)
            if binding is not None and binding.qualname in _SHAPE_CALLS:
                continue
        if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Load):
            names.add(current.id)
        stack.extend(ast.iter_child_nodes(current))
    return names


def _dependent_names(func: ast.FunctionDef, wrt: Set[str], resolver: Resolver) -> Set[str]:
    """Variables whose value may follow the ``wrt`` parameters by any operation (a fixpoint)."""
    dependent = set(wrt)
    flows = []  # (names written, the expression they are written from)
    for node in walk(func):
        if isinstance(node, ast.Assign):
            flows += [(_written(t), node.value) for t in node.targets]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            flows.append((_written(node.target), node.value))
        elif isinstance(node, (ast.For, ast.comprehension)):
            flows.append((_written(node.target), node.iter))
        elif isinstance(node, ast.NamedExpr):
            flows.append((_written(node.target), node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name):  # L.append(v), L.extend(v)
            flows.append(({node.func.value.id}, ast.Tuple(elts=list(node.args), ctx=ast.Load())))
    changed = True
    while changed:
        changed = False
        for targets, value in flows:
            if not targets <= dependent and _value_reads(value, resolver) & dependent:
                dependent |= targets
                changed = True
    return dependent


def _written(target: ast.expr) -> Set[str]:
    """The variables an assignment to ``target`` changes (``x[i] = v`` changes ``x``, not ``i``)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_written(e) for e in target.elts))
    if isinstance(target, (ast.Subscript, ast.Starred, ast.Attribute)):
        return _written(target.value)
    return set()
