"""Which operations return storage shared with their operands (numpy views), which return new storage.

:func:`sharing` classifies one expression for the aliasing analysis (:mod:`sct.analysis.aliasing`): the
operands whose memory its value may share, and whether it may also be newly allocated. Only what is known to
return new storage (arithmetic, ufuncs, reductions, copies, constructors) or nothing mutable (scalars)
counts as unshared; anything else, including every function or method sct does not list, may share
memory with all of its operands.
"""
from __future__ import annotations

import ast
from typing import List, NamedTuple, Optional

import numpy as np

from ..frontend.calls import operation_of
from ..frontend.source import Resolver

# numpy functions and ndarray methods that return a view (or their argument itself) when they can.
VIEW_FUNCTIONS = {
    "numpy.reshape", "numpy.ravel", "numpy.transpose", "numpy.swapaxes", "numpy.moveaxis", "numpy.rollaxis",
    "numpy.squeeze", "numpy.expand_dims", "numpy.asarray", "numpy.asanyarray", "numpy.ascontiguousarray",
    "numpy.asfortranarray", "numpy.atleast_1d", "numpy.atleast_2d", "numpy.atleast_3d",
    "numpy.broadcast_to", "numpy.broadcast_arrays", "numpy.diagonal", "numpy.diag", "numpy.flip",
    "numpy.fliplr", "numpy.flipud", "numpy.rot90", "numpy.real", "numpy.imag", "numpy.split",
    "numpy.array_split", "numpy.hsplit", "numpy.vsplit", "numpy.dsplit", "numpy.einsum",
    "numpy.matrix_transpose", "numpy.permute_dims", "numpy.require", "numpy.trim_zeros",
    "numpy.linalg.matrix_power"}  # matrix_power(a, 1) is a itself
# Results that never share memory with an operand (new arrays, or scalars).
FRESH_FUNCTIONS = {
    "sct.runtime.element_copy",  # a number, or an error
    "numpy.copy", "numpy.array", "numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full", "numpy.zeros_like",
    "numpy.ones_like", "numpy.empty_like", "numpy.full_like", "numpy.arange", "numpy.linspace",
    "numpy.logspace", "numpy.eye", "numpy.identity", "numpy.concatenate", "numpy.stack", "numpy.hstack",
    "numpy.vstack", "numpy.dstack", "numpy.column_stack", "numpy.sum", "numpy.mean", "numpy.prod",
    "numpy.max", "numpy.min", "numpy.amax", "numpy.amin", "numpy.std", "numpy.var", "numpy.median",
    "numpy.cumsum", "numpy.cumprod", "numpy.dot", "numpy.matmul", "numpy.inner", "numpy.outer",
    "numpy.vdot", "numpy.tensordot", "numpy.kron", "numpy.cross", "numpy.where", "numpy.clip", "numpy.sort",
    "numpy.argsort", "numpy.argmax", "numpy.argmin", "numpy.take", "numpy.take_along_axis", "numpy.tile",
    "numpy.repeat", "numpy.pad", "numpy.roll", "numpy.append", "numpy.insert", "numpy.delete",
    "numpy.tril", "numpy.triu", "numpy.trace", "numpy.interp", "numpy.polyval", "numpy.select",
    "numpy.choose", "numpy.compress", "numpy.extract", "numpy.unique", "numpy.nonzero", "numpy.searchsorted",
    "numpy.all", "numpy.any", "numpy.allclose", "numpy.isclose", "numpy.count_nonzero", "numpy.shape",
    "numpy.ndim", "numpy.size", "numpy.average", "numpy.nansum", "numpy.nanmean", "numpy.nanmax",
    "numpy.nanmin", "numpy.ptp", "numpy.percentile", "numpy.quantile", "numpy.histogram", "numpy.bincount",
    "numpy.convolve", "numpy.correlate", "numpy.cov", "numpy.corrcoef", "numpy.meshgrid", "numpy.indices",
    "numpy.tri", "numpy.vander", "numpy.block", "numpy.r_", "numpy.c_",
    "builtins.len", "builtins.float", "builtins.int", "builtins.bool", "builtins.range", "builtins.abs",
    "builtins.round", "builtins.sum", "builtins.print", "builtins.isinstance", "builtins.str",
    "scipy.special.logsumexp", "sct.runtime.logsumexp_real", "sct.runtime.sum_along",
    "sct.runtime.zeros_items"}
FRESH_MODULES = ("math.", "scipy.special.", "numpy.linalg.", "numpy.random.", "numpy.fft.")
VIEW_METHODS = {"reshape", "ravel", "transpose", "swapaxes", "squeeze", "view", "diagonal", "conj",
                "conjugate", "pop", "get"}
FRESH_METHODS = {"copy", "flatten", "sum", "mean", "prod", "max", "min", "std", "var", "cumsum", "cumprod",
                 "dot", "clip", "round", "all", "any", "argmax", "argmin", "argsort", "trace", "item",
                 "tolist", "nonzero", "repeat", "take", "compress", "ptp", "count", "index", "keys"}
# Calls that change one of their arguments (the first) or the object they are called on.
IN_PLACE_METHODS = {"sort", "fill", "resize", "put", "itemset", "partition", "setfield", "byteswap",
                    "setflags", "shuffle", "extend", "insert", "remove", "reverse", "clear", "update",
                    "setdefault", "popitem", "__setitem__", "__iadd__", "__imul__", "__isub__",
                    "__itruediv__"}
IN_PLACE_FUNCTIONS = {"numpy.copyto", "numpy.fill_diagonal", "numpy.put", "numpy.place", "numpy.putmask",
                      "numpy.put_along_axis", "numpy.random.shuffle", "numpy.ndarray.sort",
                      "numpy.ndarray.fill"}


class Sharing(NamedTuple):
    """The operands an expression's value may share memory with, and whether it may be new storage."""

    operands: List[ast.expr]
    fresh: bool


_NOTHING = Sharing([], False)


def _numpy_object(qualname: str):
    obj = np
    for part in qualname.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _is_ufunc(qualname: str) -> bool:
    return qualname.startswith("numpy.") and isinstance(_numpy_object(qualname), np.ufunc)


def in_place_call(node: ast.Call, resolver: Resolver) -> Optional[str]:
    """What a call changes in place (a description), or None when it changes none of its operands."""
    if any(k.arg == "out" for k in node.keywords):
        return "a call with out="
    if isinstance(node.func, ast.Attribute) and node.func.attr == "at":
        owner = resolver.qualname_of(node.func.value)
        if owner is not None and _is_ufunc(owner.qualname):
            return f"`{ast.unparse(node.func)}` (in place)"
    operation = operation_of(node, resolver)
    if operation is None:
        return None
    if operation.qualname in IN_PLACE_FUNCTIONS:
        return f"`{operation.qualname.replace('numpy.', 'np.')}` (in place)"
    if operation.qualname.startswith("method.") and operation.qualname[7:] in IN_PLACE_METHODS:
        return f"the in-place method `.{operation.qualname[7:]}()`"
    return None


def sharing(node: ast.expr, resolver: Resolver) -> Sharing:
    """How the value of ``node`` relates to the storage of its operands (see the module docstring)."""
    if isinstance(node, (ast.Constant, ast.JoinedStr, ast.Compare)):
        return Sharing([], isinstance(node, ast.Compare))
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        operands = [node.left, node.right] if isinstance(node, ast.BinOp) else [node.operand]
        # `list + list` and `[x] * n` hold the operands' items: they share what the items share
        return Sharing([o for o in operands if isinstance(o, (ast.List, ast.Tuple))], True)
    if isinstance(node, ast.BoolOp):
        return Sharing(list(node.values), False)
    if isinstance(node, ast.IfExp):
        return Sharing([node.body, node.orelse], False)
    if isinstance(node, (ast.Tuple, ast.List)):
        return Sharing(list(node.elts), isinstance(node, ast.List))
    if isinstance(node, ast.Dict):
        return Sharing(list(node.values), True)
    if isinstance(node, ast.Subscript):
        kind = _index_kind(node.slice)
        return Sharing([] if kind == "copy" else [node.value], kind != "view")
    if isinstance(node, ast.Attribute):
        if node.attr in ("shape", "ndim", "size", "dtype", "itemsize", "nbytes") \
                or resolver.qualname_of(node) is not None:
            return _NOTHING
        return Sharing([node.value], False)  # .T, .real, .imag, .flat: views
    if isinstance(node, ast.Call):
        return _call_sharing(node, resolver)
    return Sharing([], True)


def _index_kind(index: ast.expr) -> str:
    """``x[index]``: a ``view`` (basic indexing), a ``copy`` (a list or a mask), or ``unknown`` (a name:
    an integer gives a view, an index array a copy)."""
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    if any(isinstance(p, (ast.List, ast.Compare)) for p in parts):
        return "copy"
    if all(isinstance(p, (ast.Slice, ast.Constant, ast.UnaryOp)) for p in parts):
        return "view"
    return "unknown"


def _call_sharing(node: ast.Call, resolver: Resolver) -> Sharing:
    operation = operation_of(node, resolver)
    everything = list(node.args) + [k.value for k in node.keywords]
    if isinstance(node.func, ast.Attribute) and resolver.qualname_of(node.func) is None:
        everything.insert(0, node.func.value)
    if operation is None or operation.kind != "primitive":
        return Sharing(everything, True)
    name = operation.qualname
    keywords = {k.arg: k.value for k in operation.keywords}
    copy = keywords.get("copy")
    if isinstance(copy, ast.Constant) and copy.value is not True and name in ("numpy.array", "method.astype"):
        return Sharing(everything, True)
    if name.startswith("method."):
        method = name[len("method."):]
        if method in FRESH_METHODS or method == "astype":
            return Sharing([], True)
        if method in VIEW_METHODS:
            return Sharing([operation.args[0]], False)
        return Sharing(everything, True)
    if name in ("builtins.list", "builtins.tuple", "builtins.zip", "builtins.enumerate", "builtins.reversed",
                "builtins.sorted", "builtins.max", "builtins.min"):
        return Sharing(everything, True)  # containers of the operands' items, or one of the operands
    if name not in VIEW_FUNCTIONS and (name in FRESH_FUNCTIONS or name.startswith(FRESH_MODULES)
                                       or _is_ufunc(name)):
        return Sharing([], True)
    return Sharing(everything, True)  # numpy views (VIEW_FUNCTIONS) and anything unknown
