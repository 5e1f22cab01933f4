"""Argument forms numpy accepts that sct differentiates as other calls, rewritten before normalization:

* ``np.sum(x, dtype=d)`` (also ``mean``, ``prod``, ``cumsum``, ``cumprod`` and their methods) is
  ``np.sum(np.asarray(x, dtype=d))``: numpy casts each element to ``d`` and reduces in ``d``, and so
  does the rewritten call. An integer ``d`` truncates: the derivative is then 0 (that of ``np.asarray``).
* ``np.einsum(a, [0, 1], b, [1, 2], [0, 2])`` (the sublist form) is ``np.einsum('ab,bc->ac', a, b)``.
* ``np.einsum('ij,jk->ik', a, b)`` (``optimize=`` aside) is ``contract('ij,jk->ik', a, b)``, the runtime
  helper that computes it by BLAS products (sct/runtime/contraction.py) and has einsum's rules.
* ``np.reshape(x, shape, order="F")`` (and ``x.reshape(..., order="F")``) is the C-order reshape of the
  reversed axes, ``np.transpose(np.reshape(np.transpose(x), shape[::-1]))``; ``np.ravel(x, order="F")``
  and ``x.ravel(order="F")``, ``x.flatten(order="F")`` are ``np.ravel(np.transpose(x))``. Only the
  literal orders ``"C"`` and ``"F"``: ``"A"`` and ``"K"`` depend on the memory layout and are refused.
* ``scipy.special.logsumexp(a, axis, b=b, ...)`` reads ``a`` broadcast against ``b``, as scipy does:
  ``logsumexp(np.broadcast_to(a, np.broadcast_shapes(np.shape(a), np.shape(b))), axis, b=b, ...)``, so that
  ``axis`` and the result's shape are the broadcast's and the rules see an ``a`` of the full shape.
* ``scipy.special.logsumexp(a, axis=..., keepdims=...)`` (no ``b``, no ``return_sign``) is
  ``logsumexp_real(a, ...)``, the runtime helper that computes scipy's values in fewer passes
  (sct/runtime/logsumexp.py) and has logsumexp's rules.
* ``np.sum(x, axis=k)`` (``k`` a literal integer; ``keepdims=`` aside) is ``sum_along(x, axis=k)``, the
  runtime helper that sums a short last axis by a matrix-vector product (sct/runtime/row_sums.py) and has
  ``np.sum``'s rules.
* ``np.sum(where=)``, ``np.max(initial=)``, ``np.diff(prepend=, append=)``: see keyword_forms.py.
"""
from __future__ import annotations

import ast
import copy
from typing import Callable, List, Optional

from ..ir import annotations as anno
from ..ir.builders import attribute, call
from .core import RuleError
from .keyword_forms import rewrite_keywords

CONTRACT = "sct.runtime.contract"
LOGSUMEXP_REAL = "sct.runtime.logsumexp_real"
SUM_ALONG = "sct.runtime.sum_along"
# runtime helpers a user's call is rewritten into: they read lists as the functions they stand for do
STAND_INS = {CONTRACT, LOGSUMEXP_REAL, SUM_ALONG}
_LOGSUMEXP = {"scipy.special.logsumexp", "scipy.special._logsumexp.logsumexp"}
DTYPE_OPERAND = {"sum", "mean", "prod", "cumsum", "cumprod"}
ORDERED = {"reshape", "ravel", "flatten"}


def rewrite(qualname: str, args: List[ast.expr], keywords: List[ast.keyword], numpy: Optional[str],
            flatten: Callable[[ast.expr], ast.expr], func: Optional[ast.expr] = None) -> Optional[ast.expr]:
    """The call ``qualname(*args, **keywords)`` in a form sct differentiates, or None when it is one
    already (``args[0]`` of a ``method.`` call is the object it is called on; ``flatten`` names an
    argument the new form reads twice; ``func`` is the called expression, for a form that calls it again)."""
    if qualname.partition(":")[0] in _LOGSUMEXP:
        broadcast = _logsumexp_broadcast(args, keywords, numpy, flatten, func)
        if broadcast is not None or qualname not in _LOGSUMEXP:
            return broadcast
        return _logsumexp_real(args, keywords)
    library, _, name = qualname.partition(".")
    if library not in ("numpy", "method") or "." in name or not args:
        return None
    named = {k.arg: k.value for k in keywords}
    keyword_form = rewrite_keywords(library, name, args, keywords, numpy, flatten)
    if keyword_form is not None:
        return keyword_form
    subscripts = isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)
    sublists = not subscripts and len(args) > 1 and isinstance(args[1], (ast.List, ast.Tuple))
    if qualname == "numpy.einsum" and sublists:
        return _einsum_subscripts(args, keywords, numpy)
    if qualname == "numpy.einsum" and subscripts \
            and set(named) <= {"optimize"} and not any(isinstance(a, ast.Starred) for a in args):
        return call(CONTRACT.rpartition(".")[2], *args)
    if name in DTYPE_OPERAND and "dtype" in named:
        return _with_dtype_operand(library, name, args, keywords, named["dtype"], numpy)
    if name in ORDERED and _fortran(library, name, args, named):
        return _in_fortran_order(library, name, args, named, numpy, flatten)
    if qualname == "numpy.sum":
        return _sum_along(args, keywords)
    return None


def _logsumexp_broadcast(args, keywords, numpy, flatten, func) -> Optional[ast.expr]:
    """``logsumexp(a, axis, b, ...)`` with ``a`` broadcast to the shape of ``a`` and ``b`` together; None
    without ``b`` (or once rewritten: the broadcast operand is marked)."""
    named = {k.arg: k.value for k in keywords}
    b = named.get("b", args[2] if len(args) > 2 else None)
    if b is None or func is None or not args or any(isinstance(a, ast.Starred) for a in args) \
            or anno.has(args[0], "broadcast_operand"):
        return None
    np_name = _numpy(numpy, "logsumexp")
    a, b = flatten(args[0]), flatten(b)
    shape = call(attribute(np_name, "broadcast_shapes"), call(attribute(np_name, "shape"), a),
                 call(attribute(np_name, "shape"), copy.deepcopy(b)))
    operand = call(attribute(np_name, "broadcast_to"), copy.deepcopy(a), shape)
    anno.mark(operand, "broadcast_operand")
    if len(args) > 2:
        rest = list(args[1:2]) + [b] + list(args[3:])
        kept = list(keywords)
    else:
        rest = list(args[1:])
        kept = [ast.keyword(arg=k.arg, value=b if k.arg == "b" else k.value) for k in keywords]
    return ast.Call(func=copy.deepcopy(func), args=[operand] + rest, keywords=kept)


def _logsumexp_real(args, keywords) -> Optional[ast.expr]:
    """``logsumexp(a[, axis], axis=, keepdims=)`` as ``logsumexp_real(...)``; None for any other form."""
    if not 1 <= len(args) <= 2 or any(isinstance(a, ast.Starred) for a in args) \
            or any(k.arg not in ("axis", "keepdims") for k in keywords):
        return None
    return ast.Call(func=ast.Name(id=LOGSUMEXP_REAL.rpartition(".")[2], ctx=ast.Load()), args=list(args),
                    keywords=list(keywords))


def _sum_along(args, keywords) -> Optional[ast.expr]:
    """``np.sum(x, k)``, ``np.sum(x, axis=k, keepdims=...)`` (``k`` a literal integer) as
    ``sum_along(x, axis=k, ...)``; None for any other form."""
    named = {k.arg: k.value for k in keywords}
    if len(args) == 2 and "axis" not in named:
        named["axis"] = args[1]
    elif len(args) != 1:
        return None
    axis = named.get("axis")
    if isinstance(axis, ast.UnaryOp) and isinstance(axis.op, ast.USub):
        axis = axis.operand
    if set(named) - {"axis", "keepdims"} or not (isinstance(axis, ast.Constant) and type(axis.value) is int) \
            or isinstance(args[0], ast.Starred):
        return None
    return ast.Call(func=ast.Name(id=SUM_ALONG.rpartition(".")[2], ctx=ast.Load()), args=[args[0]],
                    keywords=[ast.keyword(arg=k, value=v) for k, v in named.items()])


def _einsum_subscripts(args, keywords, numpy) -> ast.expr:
    """``np.einsum(a, [0, 1], b, [1, 2], [0, 2])`` as ``np.einsum('ab,bc->ac', a, b)``."""
    count = len(args) // 2
    operands = list(args[0:2 * count:2])
    terms = [_sublist(node) for node in args[1:2 * count:2]]
    text = ",".join(terms) + ("->" + _sublist(args[-1]) if len(args) % 2 else "")
    func = attribute(_numpy(numpy, "einsum"), "einsum")
    return ast.Call(func=func, args=[ast.Constant(value=text)] + operands, keywords=list(keywords))


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _sublist(node: ast.expr) -> str:
    """The subscripts of one sublist (axes 0-51 as numpy's letters, ``...`` or ``Ellipsis`` as an
    ellipsis)."""
    items = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [None]
    letters = []
    for item in items:
        if isinstance(item, ast.Constant) and item.value is Ellipsis or (
                isinstance(item, ast.Name) and item.id == "Ellipsis"):
            letters.append("...")
        elif isinstance(item, ast.Constant) and type(item.value) is int and 0 <= item.value < len(_LETTERS):
            letters.append(_LETTERS[item.value])
        else:
            raise RuleError("np.einsum in the sublist form needs each list of axes written in the call, as "
                            "integers from 0 to 51 or ...",
                            hint="write np.einsum(a, [0, 1], b, [1, 2], [0, 2])")
    return "".join(letters)


def _numpy(numpy: Optional[str], name: str) -> str:
    if numpy is None:
        raise RuleError(f"sct differentiates this form of {name} as numpy calls, made through numpy imported "
                        "as a module", hint="write `import numpy as np`")
    return numpy


def _with_dtype_operand(library, name, args, keywords, dtype, numpy) -> ast.expr:
    np_name = _numpy(numpy, name)
    operand = call(attribute(np_name, "asarray"), args[0], dtype=dtype)
    rest = [k for k in keywords if k.arg != "dtype"]
    if library == "method":
        return ast.Call(func=attribute(operand, name), args=list(args[1:]), keywords=rest)
    return ast.Call(func=attribute(np_name, name), args=[operand] + list(args[1:]), keywords=rest)


_ORDER_POSITION = {"numpy.reshape": 2, "numpy.ravel": 1, "method.ravel": 1, "method.flatten": 1}


def _fortran(library, name, args, named) -> bool:
    """Does the call ask for Fortran order? (C order, the default, needs no rewrite.)"""
    order = named.get("order")
    position = _ORDER_POSITION.get(f"{library}.{name}")
    if order is None and position is not None and len(args) > position:
        order = args[position]
    if order is None or (isinstance(order, ast.Constant) and order.value == "C"):
        return False
    if not (isinstance(order, ast.Constant) and order.value == "F"):
        raise RuleError(f"sct differentiates {name} in order 'C' or 'F' written as a literal",
                        hint="'A' and 'K' depend on how the array is laid out in memory: write 'C' or 'F'")
    return True


def _in_fortran_order(library, name, args, named, numpy, flatten) -> ast.expr:
    np_name = _numpy(numpy, name)
    x = flatten(args[0])
    transposed = call(attribute(np_name, "transpose"), x)
    if name != "reshape":
        return call(attribute(np_name, "ravel"), transposed)
    if library == "method":
        shape = args[1] if len(args) == 2 else ast.Tuple(elts=list(args[1:]), ctx=ast.Load())
        shape = named.get("shape") if len(args) == 1 else shape
    else:
        shape = args[1] if len(args) > 1 else named.get("shape", named.get("newshape"))
    if shape is None:
        raise RuleError("np.reshape needs its new shape", hint="write np.reshape(x, shape, order='F')")
    resolved = call(attribute(np_name, "shape"), call(attribute(np_name, "reshape"), copy.deepcopy(x), shape))
    backwards = ast.Subscript(value=resolved, slice=ast.Slice(step=ast.Constant(value=-1)), ctx=ast.Load())
    return call(attribute(np_name, "transpose"), call(attribute(np_name, "reshape"), transposed, backwards))
