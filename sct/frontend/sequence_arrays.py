"""A numpy function given a Python list or tuple reads it as an array: make that array explicit.

``np.power(t, 3)`` with ``t = [a, b]`` becomes ``_t1 = np.asarray(t)`` and ``np.power(_t1, 3)``. The
rules of ``np.power``, ``np.square``, ``np.matmul``, ``np.linalg.det``... read their arguments with Python
operators (``3 * t ** 2``) and batched forms index them along axes, which on a list repeat or join it or
fail; ``np.asarray`` is differentiated once, item by item, in every mode. Only arguments a derivative flows
through are converted (an ``axis=`` tuple stays a tuple), and only in code that has a numpy name to call.
"""
from __future__ import annotations

import ast
from typing import Iterable, List, Set

from ..analysis.activity import differentiable_arguments
from ..analysis.containers import bound_to_containers, container_items, helper_sequences
from ..ir.astutil import clone
from ..rules import registry
from ..rules.call_forms import STAND_INS
from .calls import operation_of
from .names import Namer
from .source import Resolver, numpy_name

READ_ITEM_BY_ITEM = {"numpy.select"}  # its rules read the choices as a list (and broadcast them)
_AS_ARRAY = ("numpy.asarray", "numpy.array")
# operators a list or tuple does not define: given one beside an array, numpy's (``+`` and ``*`` join or
# repeat lists, and sct refuses them on one)
_NUMPY_OPERATORS = (ast.Sub, ast.Div, ast.Pow, ast.MatMult)


def reads_as_array(qualname: str) -> bool:
    """Does the rule ``qualname`` read a list argument as numpy does, as one array (not item by item)?"""
    return (qualname.startswith("numpy.") or qualname in STAND_INS) and not registry.takes_lists(qualname) \
        and qualname not in READ_ITEM_BY_ITEM and qualname not in _AS_ARRAY


def sequence_arrays(func: ast.FunctionDef, sequences: Iterable[str], resolver: Resolver,
                    namer: Namer) -> ast.FunctionDef:
    """``func`` (normalized) with each list or tuple a numpy function reads as an array first made one by
    ``np.asarray``: displays, names in ``sequences``, names bound to one on some paths or to one a helper
    built."""
    if not resolver.numpy_alias():
        return func
    operation = lambda node: operation_of(node, resolver)  # noqa: E731
    held = set(sequences) | bound_to_containers(func) | helper_sequences(func, operation)
    held |= container_items(func, held)  # an item of one may be one too
    numpy = numpy_name(resolver, func)
    func.body = _block(func.body, held, resolver, namer, numpy)
    return func


def _block(body: List[ast.stmt], held: Set[str], resolver: Resolver, namer: Namer, numpy: str) -> list:
    out: List[ast.stmt] = []
    for stmt in body:
        for field in ("body", "orelse"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                setattr(stmt, field, _block(inner, held, resolver, namer, numpy))
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.Expr, ast.Return)) else None
        if isinstance(value, (ast.Call, ast.BinOp)):
            out.extend(_converted(value, stmt, held, resolver, namer, numpy))
        out.append(stmt)
    return out


def _converted(call: ast.expr, stmt: ast.stmt, held: Set[str], resolver: Resolver, namer: Namer,
               numpy: str) -> List[ast.stmt]:
    """The ``np.asarray`` statements for the list arguments of ``call`` (a call, or an operator Python
    lists do not define: numpy's, with an array on the other side), replacing them in ``call``."""
    if isinstance(call, ast.BinOp):
        if not isinstance(call.op, _NUMPY_OPERATORS):
            return []
        flowing = {id(call.left), id(call.right)}
    else:
        operation = operation_of(call, resolver)
        if operation is None or operation.kind != "primitive" or not reads_as_array(operation.qualname) \
                or registry.is_nondiff(operation.qualname) or registry.lookup(operation.qualname) is None:
            return []  # np.zeros((k, 1)): a shape, no derivative
        flowing = {id(a) for a in differentiable_arguments(operation)}
    made = []

    def convert(node: ast.expr) -> ast.expr:
        is_list = isinstance(node, (ast.List, ast.Tuple)) or isinstance(node, ast.Name) and node.id in held
        if id(node) not in flowing or not is_list or _constant_display(node):
            return node
        name = namer.temp()
        value = ast.Call(func=ast.Attribute(value=ast.Name(id=numpy, ctx=ast.Load()), attr="asarray",
                                            ctx=ast.Load()), args=[clone(node)], keywords=[])
        made.append(ast.copy_location(ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=value),
                                      stmt))
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)

    if isinstance(call, ast.BinOp):
        call.left, call.right = convert(call.left), convert(call.right)
        return made
    call.args = [convert(a) for a in call.args]
    for keyword in call.keywords:
        keyword.value = convert(keyword.value)
    return made


def _constant_display(node: ast.expr) -> bool:
    """A display of literal numbers: numpy reads it as it reads an array, and it has no derivative."""
    return isinstance(node, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) or isinstance(e, (ast.List, ast.Tuple)) and _constant_display(e)
        for e in node.elts)
