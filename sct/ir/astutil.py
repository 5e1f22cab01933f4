"""Fast AST utilities: a deep copy and a walk without the generic bookkeeping of ``copy``/``ast``, and a
substitution of names in written-out templates."""
from __future__ import annotations

import ast
import copy
from collections import deque
from typing import Dict, Optional, TypeVar

from .annotations import copy_marks

T = TypeVar("T")


def _leaf_classes(*bases: type) -> frozenset:
    found, pending = set(), list(bases)
    while pending:
        kind = pending.pop()
        found.add(kind)
        pending.extend(kind.__subclasses__())
    return frozenset(found)


# ``Load``, ``Add``, ``Eq``...: fieldless nodes that only say what their parent does (its ``ctx`` or ``op``)
MARKERS = _leaf_classes(ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


def clone(node: T) -> T:
    """Deep copy of an AST node, a list of nodes, or a plain value (returned as is).

    The marks of :mod:`sct.ir.annotations` are copied too (each clone has its own). ASTs are trees, so
    unlike ``copy.deepcopy`` no memo of shared objects is kept; the markers (``Load``, ``Add``: no fields,
    no location) are shared, as ``ast.parse`` shares them. Iterative: any depth of nesting.
    """
    if not isinstance(node, (ast.AST, list)) or node.__class__ in MARKERS:
        return node
    top: dict = {}
    stack = [(node, top, None)]
    markers, copied = MARKERS, (ast.AST, list)
    while stack:
        source, into, key = stack.pop()
        if isinstance(source, ast.AST):
            new = source.__class__.__new__(source.__class__)
            fields = new.__dict__
            for name, value in source.__dict__.items():
                if isinstance(value, copied) and value.__class__ not in markers:
                    stack.append((value, fields, name))
                else:
                    fields[name] = value
            copy_marks(source, new)
        else:
            new = list(source)
            for i, item in enumerate(source):
                if isinstance(item, copied) and item.__class__ not in markers:
                    stack.append((item, new, i))
        into[key] = new
    return top[None]


def walk(node: ast.AST):
    """Every node below ``node`` (itself included) but the markers (``Load``, ``Add``: read them from their
    parent's ``ctx`` or ``op``), each before the nodes below it (in no other particular order); faster than
    ``ast.walk``."""
    stack = [node]
    pop, push, extend, node_type, markers = stack.pop, stack.append, stack.extend, ast.AST, MARKERS
    while stack:
        current = pop()
        yield current
        fields = current.__dict__
        for name in current._fields:  # not the locations and marks
            value = fields.get(name)
            if isinstance(value, node_type):
                if value.__class__ not in markers:
                    push(value)
            elif value.__class__ is list and value:
                if isinstance(value[0], node_type) and None not in value:  # a list of nodes: at once
                    if value[0].__class__ not in markers:  # (``Compare.ops``: markers only)
                        extend(value)
                else:
                    for item in value:
                        if isinstance(item, node_type) and item.__class__ not in markers:
                            push(item)


def breadth_first(node: ast.AST):
    """``ast.walk(node)``: the same nodes (markers too) in the same order, breadth first, for the checks
    that report the first construct they meet; without its generators per node."""
    queue = deque([node])
    pop, push, node_type = queue.popleft, queue.append, ast.AST
    while queue:
        current = pop()
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, node_type):
                push(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        push(item)
        yield current


def loaded_names(node: ast.AST) -> set:
    """Names read (``Load`` context) anywhere in ``node``."""
    found = set()  # walk's loop, inlined: this runs on every statement of several passes
    stack = [node]
    pop, push, extend, add, node_type, name_type, load_type = (stack.pop, stack.append, stack.extend,
                                                               found.add, ast.AST, ast.Name, ast.Load)
    markers = MARKERS
    while stack:
        current = pop()
        if isinstance(current, name_type):
            if isinstance(current.ctx, load_type):
                add(current.id)
            continue
        fields = current.__dict__
        for name in current._fields:
            value = fields.get(name)
            if isinstance(value, node_type):
                if value.__class__ not in markers:
                    push(value)
            elif value.__class__ is list and value:
                if isinstance(value[0], node_type) and None not in value:
                    if value[0].__class__ not in markers:
                        extend(value)
                else:
                    for item in value:
                        if isinstance(item, node_type) and item.__class__ not in markers:
                            push(item)
    return found


def has_call(node) -> bool:
    """Does ``node`` (an expression, or None) call anything?"""
    return node is not None and any(isinstance(n, ast.Call) for n in walk(node))


def name_calls_in_index(index: ast.expr, temp, out: list, reads: Optional[str] = None) -> ast.expr:
    """``index`` with each part that calls something (or reads the name ``reads``: the array an index write
    changes) computed once before, into a name from ``temp()`` (an assignment appended to ``out``): slices
    and tuples part by part, so the index stays static."""
    if index is None:
        return index
    reads_it = reads is not None and any(isinstance(n, ast.Name) and n.id == reads for n in ast.walk(index))
    if not (reads_it or has_call(index)):
        return index
    if isinstance(index, ast.Slice):
        for part in ("lower", "upper", "step"):
            setattr(index, part, name_calls_in_index(getattr(index, part), temp, out, reads))
        return index
    if isinstance(index, ast.Tuple):
        index.elts = [name_calls_in_index(e, temp, out, reads) for e in index.elts]
        return index
    name = temp()
    assign = ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=index)
    out.append(ast.copy_location(assign, index))
    return ast.Name(id=name, ctx=ast.Load())


def statements(body: list):
    """The statements of ``body`` and of the blocks nested in them, in source order."""
    for stmt in body:
        yield stmt
        for field in ("body", "orelse"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                yield from statements(inner)


def value_expressions(body: list):
    """The expressions of ``body`` (and of the blocks nested in it) whose value flows into variables or
    the result, the iterables of ``for`` loops, and calls made as statements; not the conditions of
    branches and ``while`` loops, nor the targets written."""
    for stmt in statements(body):
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Expr)):
            if stmt.value is not None:
                yield stmt.value
        if isinstance(stmt, ast.For):
            yield stmt.iter


_LOCATION = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def fill_locations(node: ast.AST) -> ast.AST:
    """Give nodes without a source location their parent's (what ``compile`` needs), like
    ``ast.fix_missing_locations`` without its recursion."""
    stack = [(node, (1, 0, 1, 0))]
    pop, push, node_type, markers = stack.pop, stack.append, ast.AST, MARKERS
    while stack:
        current, parent = pop()
        fields = current.__dict__  # a missing location reads as None, as getattr(node, name, None) does
        if "lineno" in current._attributes:
            lineno, col = fields.get("lineno"), fields.get("col_offset")
            if lineno is None or col is None:
                here = parent
                current.lineno, current.col_offset, current.end_lineno, current.end_col_offset = parent
            else:
                end, end_col = fields.get("end_lineno"), fields.get("end_col_offset")
                here = (lineno, col, end or lineno, end_col if end_col is not None else col)
                current.end_lineno, current.end_col_offset = here[2], here[3]
        else:
            here = parent
        for name in current._fields:  # the markers have no location
            value = fields.get(name)
            if isinstance(value, node_type):
                if value.__class__ not in markers:
                    push((value, here))
            elif value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type) and item.__class__ not in markers:
                        push((item, here))
    return node


class Substitute(ast.NodeTransformer):
    """Replace each name in ``values`` by a copy of its expression, and ``np`` by ``numpy`` (the alias of
    the code the expression goes into): how a template written with ``np`` and parameter names is spliced."""

    def __init__(self, values: Dict[str, ast.expr], numpy: str):
        self.values = dict(values)
        self.numpy = numpy

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in self.values:
            return copy.deepcopy(self.values[node.id])
        if node.id == "np":
            return ast.Name(id=self.numpy, ctx=ast.Load())
        return node

    def visit_GeneratorExp(self, node: ast.expr) -> ast.expr:
        """A name the comprehension binds is its own, not a parameter: it is renamed where it would
        capture a name of the substituted expressions (``i`` bound in the template, ``i`` the caller's)."""
        bound = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        inserted = {self.numpy} | {n.id for value in self.values.values() for n in ast.walk(value)
                                   if isinstance(n, ast.Name)}
        taken = inserted | {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        inner = {name: value for name, value in self.values.items() if name not in bound}
        for name in sorted(bound & inserted):
            fresh, count = name, 0
            while fresh in taken:
                count += 1
                fresh = f"{name}_{count}"
            taken.add(fresh)
            inner[name] = ast.Name(id=fresh, ctx=ast.Load())
        first = node.generators[0]
        first.iter = self.visit(first.iter)  # evaluated outside the comprehension's scope
        scope = type(self)(inner, self.numpy)
        for generator in node.generators:
            generator.target = _store(scope.visit(generator.target))
            if generator is not first:
                generator.iter = scope.visit(generator.iter)
            generator.ifs = [scope.visit(test) for test in generator.ifs]
        for field in ("elt", "key", "value"):
            if hasattr(node, field):
                setattr(node, field, scope.visit(getattr(node, field)))
        return node

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp


def _store(target: ast.expr) -> ast.expr:
    """``target`` with its names in store context (a renamed name comes back as a load)."""
    for sub in ast.walk(target):
        if isinstance(sub, (ast.Name, ast.Tuple, ast.List, ast.Starred)):
            sub.ctx = ast.Store()
    return target


_LITERAL_ARITHMETIC = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                       ast.Mult: lambda a, b: a * b}


def literal_number(node: ast.AST) -> Optional[float]:
    """The value of a literal int or float (not a bool), or of literals joined by unary ``-``/``+`` and
    binary ``+``, ``-``, ``*`` (``-3 - 1``, as a spliced rule leaves it); None for anything else."""
    if isinstance(node, ast.Constant):
        return node.value if type(node.value) in (int, float) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = literal_number(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and type(node.op) in _LITERAL_ARITHMETIC:
        left, right = literal_number(node.left), literal_number(node.right)
        if left is not None and right is not None:
            return _LITERAL_ARITHMETIC[type(node.op)](left, right)
    return None
