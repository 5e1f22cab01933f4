"""Which variables certainly have the same shape: a fixpoint over a function's assignments.

Every variable gets the :class:`~sct.analysis.shape_classes.Shape` that each of its assignments gives
(elementwise operations of operands of one shape or scalars, ``zeros_like`` and its kin, slices with
constant bounds, ``np.concatenate``, a helper's result, analysed with the caller's shapes for its
parameters); a variable assigned in a loop keeps a shape only if every assignment gives it. The fixpoint
starts optimistic (no assignment seen) and only ever loses shapes: what it keeps is true of every value
the variable holds. Anything else — a value that may change length in place (``append``, a slice
assignment into a list, ``del``), a loop's non-integer target, a call sct cannot see — has no known
shape. Reverse mode drops ``unbroadcast`` where the adjoint provably has the operand's shape already.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set

from ..frontend.calls import operation_of
from ..frontend.source import Resolver
from ..ir.astutil import walk
from ..ir.blocks import all_statements
from ..rules import registry
from .shape_classes import (
    SCALAR,
    TOP,
    Shape,
    arithmetic,
    broadcast,
    concatenated,
    differs,
    join,
    same,
    slice_bounds,
    sliced,
)
from .shapes import ScalarInference

_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.FloorDiv, ast.Mod)
_LIKE = {"numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.copy", "numpy.asarray",
         "numpy.array", "numpy.asanyarray", "numpy.ascontiguousarray", "numpy.negative", "numpy.positive"}
_LIKE_KEYWORDS = {"dtype", "order"}
_BROADCASTING = {"numpy.where", "numpy.add", "numpy.subtract", "numpy.multiply", "numpy.divide",
                 "numpy.true_divide"}
_MUTATORS = {"append", "extend", "insert", "pop", "remove", "clear", "resize", "update", "setdefault",
             "popitem", "__setitem__", "__delitem__", "__iadd__", "__imul__"}
_MAX_DEPTH = 4  # helpers analysed inside helpers


class ShapeInference:
    """The shapes of a function's variables (see the module docstring); ``params`` gives the caller's
    shapes of the parameters (a helper analysed at a call; any other parameter may be a list)."""

    def __init__(self, func: ast.FunctionDef, resolver: Resolver, params: Optional[Dict[str, object]] = None,
                 cache: Optional[dict] = None, depth: int = 0):
        self.func = func
        self.resolver = resolver
        self.prefix = f"{id(func)}:"
        self.cache = {} if cache is None else cache
        self.depth = depth
        self.scalars = ScalarInference(func, resolver, remember=True)
        names = [a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs]
        given = params or {}
        self.params = {n: given.get(n, Shape(self.prefix + "param:" + n, sequence=True))
                       for n in names}
        self.values: Dict[str, List] = {n: [] for n in names}
        self.once: Dict[str, ast.expr] = {}
        self.unknown: Set[str] = set()
        self._collect(func)
        for name in _counts(func):
            if name in self.params and not self.values[name] and name not in given:
                self.params[name] = SCALAR
        self.env: Dict[str, object] = {}
        self._solve()
        self.scalars.forget()

    # ------------------------------------------------------------------------------------------- queries
    def shape_of(self, node: ast.expr):
        """The shape of ``node``'s value, or None when it is not known."""
        found = self._eval(node)
        return None if found is TOP else found

    def same_shape(self, a: ast.expr, b: ast.expr) -> bool:
        return same(self.shape_of(a), self.shape_of(b))

    # ------------------------------------------------------------------------------------------ bindings
    def _collect(self, func: ast.FunctionDef) -> None:
        covered: Set[int] = set()
        assigned: Dict[str, int] = {}

        def bind(target: ast.expr, value, top: bool) -> None:
            if isinstance(target, ast.Name):
                covered.add(id(target))
                self.values.setdefault(target.id, []).append(value)
                assigned[target.id] = assigned.get(target.id, 0) + 1
                if top and isinstance(value, ast.expr):
                    self.once[target.id] = value
            elif isinstance(target, (ast.Tuple, ast.List)):
                elements = target.elts
                if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(elements) \
                        and not any(isinstance(e, ast.Starred) for e in elements + value.elts):
                    for element, item in zip(elements, value.elts):
                        bind(element, item, False)
                    return
                shape = isinstance(value, ast.Attribute) and value.attr == "shape"
                for element in elements:
                    bind(element, SCALAR if shape else None, False)

        def block(stmts: List[ast.stmt], loop: bool) -> None:
            for stmt in stmts:
                if isinstance(stmt, ast.Assign):
                    for target in stmt.targets:
                        bind(target, stmt.value, not loop and len(stmt.targets) == 1)
                elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                    bind(stmt.target, ast.BinOp(left=ast.Name(id=stmt.target.id, ctx=ast.Load()), op=stmt.op,
                                                right=stmt.value), False)
                elif isinstance(stmt, ast.For):
                    counted = isinstance(stmt.iter, ast.Call) and getattr(stmt.iter.func, "id", "") == "range"
                    if isinstance(stmt.target, ast.Name):
                        bind(stmt.target, SCALAR if counted else None, False)
                    block(stmt.body, True)
                    block(stmt.orelse, True)
                elif isinstance(stmt, ast.While):
                    block(stmt.body, True)
                    block(stmt.orelse, True)
                elif isinstance(stmt, ast.If):
                    block(stmt.body, loop)
                    block(stmt.orelse, loop)

        block(func.body, False)
        self.once = {n: v for n, v in self.once.items() if assigned.get(n) == 1 and n not in self.params}
        for node in walk(func):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) \
                    and id(node) not in covered:
                self.unknown.add(node.id)  # bound by a construct not followed here
            else:
                self.unknown |= self._resized(node)

    def _resized(self, node: ast.AST) -> Set[str]:
        """Names whose value ``node`` may change the length of in place."""
        if isinstance(node, ast.Delete):
            return {n.id for n in walk(node) if isinstance(n, ast.Name)}
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            out = set()
            for target in targets:
                for sub in walk(target):
                    if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name):
                        out.add(sub.value.id)  # x.shape = ...
                    elif isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) \
                            and any(isinstance(s, ast.Slice) for s in walk(sub.slice)) \
                            and not self._numpy_valued(sub.value.id):
                        out.add(sub.value.id)  # a list's slice assignment may change its length
            return out
        if not isinstance(node, ast.Call):
            return set()
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in _MUTATORS:
            return {func.value.id}
        operation = operation_of(node, self.resolver)
        if operation is not None and operation.kind == "primitive":
            return set()
        passed = {a.id for a in node.args if isinstance(a, ast.Name)}
        passed |= {k.value.id for k in node.keywords if isinstance(k.value, ast.Name)}
        if operation is not None and operation.kind == "helper" and passed:
            helper = _source_of(operation, self.resolver, self.cache)
            bound = _bound(helper.node, operation)
            mutated = self.cache.setdefault("mutated", {})
            if id(helper.node) not in mutated:
                mutated[id(helper.node)] = _mutated_parameters(helper.node, helper.resolver)
            mutated = mutated[id(helper.node)]
            return {a.id for p, a in bound.items() if isinstance(a, ast.Name) and p in mutated}
        return passed

    def _numpy_valued(self, name: str) -> bool:
        values = self.values.get(name, [])
        return bool(values) and name not in self.params and all(
            isinstance(v, ast.Call) and _qualname(operation_of(v, self.resolver)).startswith("numpy.")
            for v in values)

    def _numeric(self, node: ast.expr) -> bool:
        """Is ``node``'s value certainly no list or tuple (a numpy call, or arithmetic lists do not do)?"""
        if isinstance(node, ast.Call):
            return _qualname(operation_of(node, self.resolver)).startswith("numpy.")
        if isinstance(node, ast.UnaryOp):
            return isinstance(node.op, (ast.USub, ast.UAdd))
        if not isinstance(node, ast.BinOp) or not isinstance(node.op, _ARITHMETIC):
            return False
        if isinstance(node.op, ast.Add):  # a number added to a list raises
            return any(self._eval(side) == SCALAR for side in (node.left, node.right))
        return not isinstance(node.op, ast.Mult)

    # ------------------------------------------------------------------------------------------ fixpoint
    def _solve(self) -> None:
        pinned: Dict[str, Shape] = {}
        for _ in range(2):  # again with values assigned once outside loops as roots of their own
            self.env = {n: TOP for n in self.values}
            self.env.update(pinned)
            for name in self.unknown:
                self.env[name] = None
            if not self._sweep_to_fixpoint(pinned):
                self.env = {n: None for n in self.values}  # not settled: nothing known
                return
            more = {n: Shape(self.prefix + "var:" + n, sequence=not self._numeric(self.once[n]))
                    for n in self.once if self.env.get(n) is None and n not in self.unknown}
            if not more:
                break
            pinned.update(more)
        self.env = {n: (None if s is TOP else s) for n, s in self.env.items()}

    def _sweep_to_fixpoint(self, pinned: Dict[str, Shape]) -> bool:
        """Re-evaluate every variable until none changes; False if that takes more sweeps than a descent
        can (each variable only falls from TOP to a shape, to that shape as a possible list, to None)."""
        for _ in range(3 * len(self.values) + 2):
            changed = False
            for name, values in self.values.items():
                if name in self.unknown or name in pinned:
                    continue
                shapes = [self._eval(v) if isinstance(v, ast.expr) else v for v in values]
                if name in self.params:
                    shapes.append(self.params[name])
                new = join(shapes)
                if differs(self.env[name], new):
                    self.env[name] = new
                    changed = True
            if not changed:
                return True
        return False

    # ---------------------------------------------------------------------------------------- expressions
    def _eval(self, node: ast.expr):
        if self.scalars.is_scalar(node):
            return SCALAR
        if isinstance(node, ast.Constant):
            return SCALAR if isinstance(node.value, (int, float, complex, bool)) else None
        if isinstance(node, ast.Name):
            return self.env.get(node.id) if node.id in self.values else None
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, _ARITHMETIC) or any(
                    isinstance(s, (ast.List, ast.Tuple, ast.ListComp)) for s in (node.left, node.right)):
                return None
            left, right = self._eval(node.left), self._eval(node.right)
            if isinstance(node.op, (ast.Add, ast.Mult)):  # lists join and repeat; no other arithmetic
                return arithmetic(left, right, adds=isinstance(node.op, ast.Add))
            return broadcast([left, right], converts=True)
        if isinstance(node, ast.UnaryOp):
            signed = isinstance(node.op, (ast.USub, ast.UAdd))
            return broadcast([self._eval(node.operand)]) if signed else None
        if isinstance(node, ast.IfExp):
            return join([self._eval(node.body), self._eval(node.orelse)])
        if isinstance(node, ast.Subscript):
            bounds = slice_bounds(node.slice)
            return None if bounds is None else sliced(self._eval(node.value), *bounds)
        if isinstance(node, ast.Call):
            return self._call(node)
        return None

    def _call(self, node: ast.Call):
        operation = self.scalars.operation(node)
        if operation is None:
            return None
        if operation.kind == "helper":
            return self._helper(operation)
        if operation.kind != "primitive" or any(isinstance(a, ast.Starred) for a in operation.args):
            return None
        name, args = operation.qualname, operation.args
        keywords = {k.arg for k in operation.keywords}
        if name in _LIKE or name == "method.copy":
            if len(args) != 1 or not keywords <= _LIKE_KEYWORDS or None in keywords:
                return None
            shape = self._eval(args[0])
            if name == "method.copy" or not isinstance(shape, Shape):
                return shape
            return Shape(shape.root, shape.chains)
        if name == "numpy.full_like":
            if len(args) != 2 or not keywords <= _LIKE_KEYWORDS:
                return None
            return broadcast([self._eval(args[0])], converts=True)
        if name == "numpy.concatenate":
            axis = [k.value for k in operation.keywords if k.arg == "axis"]
            if len(args) != 1 or not isinstance(args[0], (ast.List, ast.Tuple)) or keywords - {"axis"} \
                    or (axis and not (isinstance(axis[0], ast.Constant) and axis[0].value == 0)):
                return None
            if any(isinstance(e, ast.Starred) for e in args[0].elts):
                return None
            return concatenated([self._eval(e) for e in args[0].elts])
        elementwise = name in _BROADCASTING or (registry.is_elementwise(name)
                                                and name.startswith(("numpy.", "scipy.special.")))
        if elementwise and not keywords:
            return broadcast([self._eval(a) for a in args], converts=True)
        return None

    def _helper(self, operation):
        """A helper's result, analysed with the shapes of this call's arguments."""
        helper = _source_of(operation, self.resolver, self.cache)
        node = helper.node
        recursive = id(node) in self.cache.setdefault("active", set())
        if recursive or self.depth >= _MAX_DEPTH or node.args.vararg or node.args.kwarg \
                or any(isinstance(a, ast.Starred) for a in operation.args):
            return None
        bound = _bound(node, operation)
        shapes = {p: self._eval(a) for p, a in bound.items()}
        if any(s is TOP for s in shapes.values()):
            return TOP
        key = (id(node), tuple(sorted(shapes.items(), key=lambda item: item[0])))
        if key in self.cache:
            return self.cache[key]
        self.cache["active"].add(id(node))  # a recursive call: not known
        try:
            inner = ShapeInference(node, helper.resolver, params=shapes, cache=self.cache,
                                   depth=self.depth + 1)
        finally:
            self.cache["active"].discard(id(node))
        returned = [s.value for s in walk(node) if isinstance(s, ast.Return)]
        result = join([inner.shape_of(v) if v is not None else None for v in returned]) if returned else None
        if result is TOP or (isinstance(result, Shape) and result.root.startswith(inner.prefix)):
            result = None
        self.cache[key] = result
        return result


def _counts(func: ast.FunctionDef) -> Set[str]:
    """Names given to ``range`` by a loop of the function's body that certainly runs its header: they are
    integers there (``range`` takes no array of more than 0 dimensions)."""
    found: Set[str] = set()
    for stmt in func.body:
        if any(isinstance(n, ast.Return) for n in all_statements(stmt)) and not isinstance(stmt, ast.Return):
            break
        if isinstance(stmt, ast.For) and isinstance(stmt.iter, ast.Call) and not stmt.iter.keywords \
                and getattr(stmt.iter.func, "id", "") == "range":
            found |= {a.id for a in stmt.iter.args if isinstance(a, ast.Name)}
    return found


def _qualname(operation) -> str:
    return operation.qualname if operation is not None else ""


def _source_of(operation, resolver: Resolver, cache: dict):
    """The helper's source, loaded once per name in the calling module."""
    sources = cache.setdefault("sources", {})
    key = id(resolver), operation.qualname
    if key not in sources:
        sources[key] = operation.helper()
    return sources[key]


def _bound(node: ast.FunctionDef, operation) -> Dict[str, ast.expr]:
    params = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
    bound = dict(zip(params, operation.args))
    bound.update({k.arg: k.value for k in operation.keywords if k.arg})
    return bound


def _mutated_parameters(node: ast.FunctionDef, resolver: Resolver) -> Set[str]:
    """Parameters of a helper whose length it may change (directly, or through the calls it passes them
    to)."""
    params = {a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs}
    probe = ShapeInference.__new__(ShapeInference)
    probe.resolver, probe.params, probe.values = resolver, {p: None for p in params}, {}
    found: Set[str] = set()
    for sub in walk(node):
        if isinstance(sub, ast.Call):
            operation = operation_of(sub, resolver)
            if operation is not None and operation.kind == "helper":  # followed no further: assume so
                found |= {a.id for a in sub.args if isinstance(a, ast.Name)}
                found |= {k.value.id for k in sub.keywords if isinstance(k.value, ast.Name)}
                continue
        found |= probe._resized(sub)
    return found & params
