"""Which expressions of emitted code give an object no other name holds: writing into it later changes
no other value (:mod:`sct.optimize.in_place`, :mod:`sct.optimize.first_contributions`).

Arithmetic, comparisons and their unary kin always make a new object. So do, in statements sct made
(where names are numpy's and the runtime's, not the user's), ``np.zeros_like`` and its kin, ``seed_like``
(which copies the caller's seed), ``zeros_of``, ``scatter`` and ``added_at``; ``accumulate`` and
``owned_adjoint`` give a new sum or the array of their first argument, which emitted code passes only
when no other name holds it; and ``contract`` of two operands or more (a product: never a view of one).
``unbroadcast`` and ``einsum_fit`` of a new object give it back, or a new sum, or a read-only broadcast of
either, which nothing writes into (the run-time helpers that would, ``accumulate`` and ``owned_adjoint``,
copy it).
"""
from __future__ import annotations

import ast

NEW_NUMPY = frozenset({"zeros_like", "zeros", "ones_like", "ones", "full", "full_like"})
NEW_RUNTIME = frozenset({"seed_like", "zeros_of", "accumulate", "owned_adjoint", "scatter", "batch_scatter",
                         "added_at", "batch_added_at"})
FITTING = frozenset({"unbroadcast", "einsum_fit"})  # their argument, a new sum, or a read-only broadcast


def gives_new_object(value: ast.expr, numpy: str, made: bool = True) -> bool:
    """Does evaluating ``value`` give an object no other name holds? Calls count only in statements sct
    ``made``; ``numpy`` is the name the code calls numpy by."""
    if isinstance(value, (ast.BinOp, ast.UnaryOp, ast.Compare)):
        return True
    if not (made and isinstance(value, ast.Call)):
        return False
    func = value.func
    if isinstance(func, ast.Name) and func.id in FITTING and value.args:
        return gives_new_object(value.args[0], numpy, made)
    if isinstance(func, ast.Name) and func.id == "contract" and len(value.args) >= 3:
        return True
    if isinstance(func, ast.Name):
        return func.id in NEW_RUNTIME
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and func.value.id == numpy and func.attr in NEW_NUMPY)
