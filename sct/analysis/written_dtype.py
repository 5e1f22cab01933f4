"""Is an array written by index known to hold floats?

Writing a float into an integer array truncates it (``y = np.zeros(3, dtype=int); y[0] = x``): the value
written then carries no derivative. Where every binding of the written name visibly makes floats, the
derivative of a write is the plain one; where a binding visibly makes integers sct refuses the write; where
it cannot tell (an argument that is not differentiated, a copy of one), the emitted code checks the dtype
when it runs.
"""
from __future__ import annotations

import ast
from typing import Callable, Dict, Optional, Set

from ..errors import SourceContext
from ..frontend.calls import operation_of
from ..frontend.source import Resolver
from ..ir.astutil import breadth_first, walk

FLOAT, INTEGER, UNKNOWN = "float", "integer", "unknown"

_FLOAT_MAKERS = {"numpy.zeros", "numpy.ones", "numpy.empty", "numpy.eye", "numpy.identity", "numpy.linspace"}
_LIKE_MAKERS = {"numpy.zeros_like", "numpy.ones_like", "numpy.empty_like"}
# where numpy takes the dtype positionally (a method's value is its first argument here)
_DTYPE_POSITION = {"numpy.zeros": 1, "numpy.ones": 1, "numpy.empty": 1, "numpy.zeros_like": 1,
                   "numpy.ones_like": 1, "numpy.empty_like": 1, "numpy.full": 2, "numpy.full_like": 2,
                   "numpy.array": 1, "numpy.asarray": 1, "numpy.asanyarray": 1, "numpy.ascontiguousarray": 1,
                   "numpy.eye": 3, "numpy.identity": 1, "numpy.arange": 3, "method.astype": 1}
_FLOAT_NAMES = {"float", "float64", "float32", "float16", "double", "longdouble", "inexact", "floating"}
_INTEGER_NAMES = {"int", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                  "intp", "uintp", "bool_", "integer"}


def _dtype_kind(node: ast.expr) -> str:
    """FLOAT, INTEGER or UNKNOWN for a ``dtype=`` argument written in the source."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        name = node.value
    elif isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.Attribute):
        name = node.attr
    else:
        return UNKNOWN
    if name in _FLOAT_NAMES or name in ("f8", "f4", "d"):
        return FLOAT
    if name in _INTEGER_NAMES or name in ("i8", "i4", "?"):
        return INTEGER
    return UNKNOWN


def _constants_kind(node: ast.expr) -> str:
    """The dtype numpy gives a literal (nested lists of numbers)."""
    values = [n.value for n in breadth_first(node) if isinstance(n, ast.Constant)]
    literal = (ast.Constant, ast.List, ast.Tuple, ast.Load, ast.UnaryOp, ast.USub, ast.UAdd)
    others = [n for n in breadth_first(node) if not isinstance(n, literal)]
    if others or not values or any(isinstance(v, (str, complex)) for v in values):
        return UNKNOWN
    return FLOAT if any(isinstance(v, float) for v in values) else INTEGER


def binding_kind(value: ast.expr, resolver: Resolver, is_varied: Callable[[ast.expr], bool]) -> str:
    """What one assigned value holds: floats, integers, or sct cannot tell."""
    dtype = _given_dtype(value, resolver)
    if dtype is not None:
        return _dtype_kind(dtype)  # first: `x.astype(int)` depends on the inputs but holds integers
    if is_varied(value):
        return FLOAT  # a value that depends on the (float) inputs through a differentiable operation
    if isinstance(value, ast.List):
        return FLOAT  # a Python list stores what is written into it as it is
    if isinstance(value, ast.Constant):
        return _constants_kind(value)
    operation = operation_of(value, resolver)
    if operation is None or not isinstance(value, ast.Call):
        return UNKNOWN
    if operation.qualname in ("list", "zeros_list", "sct.runtime.zeros_list", "sct.runtime.zeros_items"):
        return FLOAT
    if operation.qualname in _FLOAT_MAKERS:
        return FLOAT
    if operation.qualname in _LIKE_MAKERS and operation.args and is_varied(operation.args[0]):
        return FLOAT  # shaped and typed like a value computed from the (float) inputs
    if operation.qualname in ("numpy.array", "numpy.asarray") and operation.args:
        return _constants_kind(operation.args[0])
    if operation.qualname == "numpy.arange" and operation.args:
        return _constants_kind(ast.List(elts=list(operation.args), ctx=ast.Load()))
    if operation.qualname == "numpy.full" and len(operation.args) > 1:
        return _constants_kind(operation.args[1])
    return UNKNOWN


def _given_dtype(value: ast.expr, resolver: Resolver) -> Optional[ast.expr]:
    """The dtype a call that makes an array is given, by keyword or in numpy's position for it."""
    if not isinstance(value, ast.Call):
        return None
    operation = operation_of(value, resolver)
    if operation is None:
        return None
    keyword = next((k.value for k in operation.keywords if k.arg == "dtype"), None)
    if keyword is not None:
        return keyword
    position = _DTYPE_POSITION.get(operation.qualname)
    return operation.args[position] if position is not None and len(operation.args) > position else None


def written_kinds(func: ast.FunctionDef, wrt: Set[str], resolver: Resolver,
                  is_varied: Callable[[ast.expr], bool]) -> Dict[str, str]:
    """For every name written by index in ``func``: FLOAT, INTEGER or UNKNOWN (see the module docstring)."""
    written = {t.value.id for node in walk(func) if isinstance(node, ast.Assign)
               for t in node.targets if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)}
    params = {a.arg for a in func.args.args + func.args.kwonlyargs}
    kinds: Dict[str, Set[str]] = {name: set() for name in written}
    for name in written & params:
        kinds[name].add(FLOAT if name in wrt else UNKNOWN)
    for node in walk(func):
        first = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(first, ast.Name) and first.id in kinds:
            if isinstance(node.value, ast.Constant) and node.value.value is None:
                continue  # a placeholder (sct's own `y = None` before a loop): no array to write into
            kinds[first.id].add(binding_kind(node.value, resolver, is_varied))
        elif isinstance(node, (ast.Assign, ast.For)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript):
                    continue
                for element in walk(target):  # unpacked or a loop variable: not followed here
                    stored = isinstance(element, ast.Name) and isinstance(element.ctx, ast.Store)
                    if stored and element.id in kinds:
                        kinds[element.id].add(UNKNOWN)
    result = {}
    for name, found in kinds.items():
        result[name] = INTEGER if INTEGER in found else FLOAT if found == {FLOAT} else UNKNOWN
    return result


def check_integer_writes(func: ast.FunctionDef, kinds: Dict[str, str], is_active: Callable[[ast.expr], bool],
                         context: SourceContext) -> None:
    """Refuse writing a differentiable value into an array known to hold integers (it would be truncated)."""
    for node in breadth_first(func):
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript)):
            continue
        base = node.targets[0].value
        if isinstance(base, ast.Name) and kinds.get(base.id) == INTEGER and is_active(node.value):
            raise context.error(node, f"'{base.id}' holds integers: writing a differentiable value into it "
                                "truncates the value, which has no useful derivative",
                                construct="index assignment into an integer array",
                                hint=f"make '{base.id}' a float array (e.g. np.zeros(n) or "
                                f"np.asarray(..., dtype=float)), or round the value explicitly")
