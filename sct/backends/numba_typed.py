"""Checks of the code numba typed, for what it computes otherwise than Python would, without an error.

numba computes with int64 where Python's integers are unbounded: ``2 ** -1`` is 0 there (0.5 in Python),
and ``3 ** 40``, ``7 * ... * 7`` and ``k << 62`` wrap around. A power, product or left shift of two
integer scalars is refused, unless both are literals whose exact result int64 holds; the derivative's
result is not returned (see :mod:`sct.backends.numba_jit`). (Integer arrays wrap in numpy as in numba.)
"""
from __future__ import annotations

import operator
from typing import Iterable, Iterator, Tuple

from numba.core import ir, types

_GROWING = {operator.pow: "a power", operator.ipow: "a power", operator.mul: "a product",
            operator.imul: "a product", operator.lshift: "a left shift", operator.ilshift: "a left shift"}
_EXACT = {"a power": operator.pow, "a product": operator.mul, "a left shift": operator.lshift}
_INT64 = (-2 ** 63, 2 ** 63 - 1)


def wrapping_integers(compiled: Iterable) -> Iterator[Tuple[str, int, str]]:
    """(function name, line, what) of each power, product or left shift of two integer scalars in the
    ``compiled`` results (numba's ``CompileResult``) that int64 may not hold."""
    for result in compiled:
        annotation = result.type_annotation
        typemap = annotation.typemap
        for block in annotation.blocks.values():
            for statement in block.body:
                what = _wrapping(statement, typemap)
                if what:
                    yield annotation.func_id.func_name, statement.loc.line, what


def _wrapping(statement, typemap) -> str:
    if not (isinstance(statement, ir.Assign) and isinstance(statement.value, ir.Expr)):
        return ""
    expression = statement.value
    if expression.op not in ("binop", "inplace_binop") or expression.fn not in _GROWING:
        return ""
    left, right = typemap[expression.lhs.name], typemap[expression.rhs.name]
    if not (isinstance(left, types.Integer) and isinstance(right, types.Integer)):
        return ""
    what = _GROWING[expression.fn]
    if isinstance(left, types.IntegerLiteral) and isinstance(right, types.IntegerLiteral):
        a, b = left.literal_value, right.literal_value
        if b >= 0 and (what != "a power" or b <= 64) and (what != "a left shift" or b <= 64):
            if _INT64[0] <= _EXACT[what](a, b) <= _INT64[1]:
                return ""
    return what


_NUMBERS = (types.Integer, types.Float, types.Complex, types.Boolean)
_NARROW = {types.float32: types.float64, types.float16: types.float64, types.complex64: types.complex128}


def widened_floats(compiled: Iterable) -> Iterator[Tuple[str, int, str]]:
    """(function name, line, dtype) of each operation in the ``compiled`` results of a float32 (float16,
    complex64) array or number with numbers only, that numba computes in 64 bits: numba types a Python
    number as a 64-bit one, where numpy keeps the narrow dtype (``x * 0.1`` of float32 ``x`` is float32)."""
    for result in compiled:
        annotation = result.type_annotation
        typemap = annotation.typemap
        for block in annotation.blocks.values():
            for statement in block.body:
                narrow = _widened(statement, typemap)
                if narrow:
                    yield annotation.func_id.func_name, statement.loc.line, narrow


def _widened(statement, typemap) -> str:
    if not (isinstance(statement, ir.Assign) and isinstance(statement.value, ir.Expr)):
        return ""
    expression = statement.value
    if expression.op in ("binop", "inplace_binop"):
        operands = [expression.lhs, expression.rhs]
    elif expression.op == "call":
        operands = list(expression.args)
    elif expression.op == "arrayexpr":  # numba's fusion of elementwise array operations
        operands = list(_leaves(expression.expr))
    else:
        return ""
    given = [types.float64 if isinstance(v, ir.Const) else typemap.get(v.name) for v in operands
             if isinstance(v, (ir.Var, ir.Const))]
    result = typemap.get(statement.target.name)
    dtype = lambda t: t.dtype if isinstance(t, types.Array) else t  # noqa: E731
    narrow = [t for t in given if dtype(t) in _NARROW]
    if not narrow or dtype(result) != _NARROW[dtype(narrow[0])]:
        return ""
    others = [t for t in given if dtype(t) not in _NARROW]
    if others and all(isinstance(t, _NUMBERS) for t in others):
        return str(dtype(narrow[0]))
    return ""


def _leaves(tree) -> Iterator:
    """The variables and constants an ``arrayexpr``'s tree ``(operation, [operands])`` reads."""
    if isinstance(tree, tuple) and len(tree) == 2 and isinstance(tree[1], list):
        for child in tree[1]:
            yield from _leaves(child)
    else:
        yield tree
