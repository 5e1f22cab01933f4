"""Checks of the code numba typed, for what it computes otherwise than Python would, without an error.

numba computes with int64 where Python's integers are unbounded: ``2 ** -1`` is 0 there (0.5 in Python)
and ``3 ** 40`` wraps around. A power of two integers, unless its exponent is a literal integer of 0 or
more, is refused; the derivative's result is not returned (see :mod:`sct.backends.numba_jit`).
"""
from __future__ import annotations

import operator
from typing import Iterable, Iterator, Tuple

from numba.core import ir, types

_POWERS = (operator.pow, operator.ipow)


def integer_powers(compiled: Iterable) -> Iterator[Tuple[str, int]]:
    """(function name, line) of each power of two integers in the ``compiled`` results (numba's
    ``CompileResult``) whose exponent is not a literal integer of 0 or more."""
    for result in compiled:
        annotation = result.type_annotation
        typemap = annotation.typemap
        for block in annotation.blocks.values():
            for statement in block.body:
                if _integer_power(statement, typemap):
                    yield annotation.func_id.func_name, statement.loc.line


def _integer_power(statement, typemap) -> bool:
    if not (isinstance(statement, ir.Assign) and isinstance(statement.value, ir.Expr)):
        return False
    expression = statement.value
    if expression.op not in ("binop", "inplace_binop") or expression.fn not in _POWERS:
        return False
    base, exponent = typemap[expression.lhs.name], typemap[expression.rhs.name]
    if not (isinstance(base, types.Integer) and isinstance(exponent, types.Integer)):
        return False
    return not (isinstance(exponent, types.IntegerLiteral) and exponent.literal_value >= 0)
