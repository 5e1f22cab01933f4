"""Drop the results of an emitted function that its caller discards, and the work only they needed.

``sct.grad_and_hvp`` and ``sct.hvp`` run forward-over-reverse code that returns
``(value, gradient), (value tangent, H @ v)`` and throw the value's tangent away; the Hessian does the
same with a batch of directions. :func:`drop_unread_results` replaces such returned elements by ``None``
and then removes, by liveness over the emitted statements, each assignment whose name is no longer read.

Only a statement that sets one plain name and does nothing else is removed: ``name = expression`` where
the expression calls only numpy functions (never with ``out=`` nor the ones that write into an argument),
the runtime helpers in :data:`PURE_HELPERS` (``tests/test_unread_results.py`` checks their source writes
into nothing) and methods that make a new value. Augmented assignments (``a += b`` may write into an array
another name shares), writes into items or attributes, unpacking, other calls and every other statement
stay, as do loops and branches (only the reverse sweep's idle ones go, as in :mod:`.dead_code`).
"""
from __future__ import annotations

import ast
from typing import Iterable, Optional, Tuple

from ..ir.astutil import walk
from .dead_code import unread_removed

Path = Tuple[int, ...]

PURE_HELPERS = frozenset({
    "bessel_ie", "where_mask", "convolve_window", "quantile_levels", "order_quantile",
    "adjoint_shape", "along_last", "as_columns", "broadcast_like", "cho_lower", "cho_lower_adjoint",
    "cho_read", "cho_read_adjoint", "cho_rest", "cho_rest_adjoint", "cumsum_adjoint", "diff_adjoint",
    "diff_along", "einsum_adjoint", "einsum_fit", "extremum_adjoint", "extremum_mask", "from_columns",
    "from_last", "gather", "gradient_adjoint", "gradient_along", "if_inexact", "index_map", "interp_slope",
    "lse_weights", "matmul_adjoint", "norm_exponent", "norm_order", "pad_fill", "pad_fill_adjoint",
    "pad_map", "polygamma", "prod_partials", "prod_partials_tangent", "reduced_factor", "reduced_size",
    "select_tangent", "sinc_derivative", "sum_adjoint", "symmetric_part", "symmetric_part_adjoint",
    "tall_factor", "tangent_shape", "tensordot_adjoint_axes", "tensordot_adjoint_order", "tensordot_axes",
    "transpose_adjoint", "triangular_adjoint", "triangular_operator", "triangular_tangent", "unbroadcast",
    "unreduce", "unreduce_like", "unstack", "unstack_like", "var_weights", "written_tangent", "batch_align",
    "batch_along_last", "batch_axis", "batch_size", "batch_zeros", "batch_index", "batch_item",
    "batch_concatenate", "batch_unstack", "batch_split_like", "batch_cumsum", "batch_sum_items",
    "batch_diagonal", "batch_dot", "batch_einsum_fit", "batch_extremum_adjoint", "batch_from_last",
    "batch_matmul", "batch_outer", "batch_reshape", "batch_select_tangent", "batch_sum_adjoint",
    "batch_tangent_shape", "batch_trace", "batch_transpose", "batch_unbroadcast", "batch_unreduce",
    "batch_untranspose", "lift",
})
_NUMPY_WRITERS = frozenset({"copyto", "put", "place", "putmask", "fill_diagonal", "put_along_axis"})
_NEW_VALUE_METHODS = frozenset({"reshape", "astype", "ravel", "copy", "transpose", "conj", "conjugate"})


def drop_unread_results(func: ast.FunctionDef, unread: Iterable[Path], numpy: str = "np") -> bool:
    """Return ``None`` in place of the elements at the paths ``unread`` (indices into nested tuples:
    ``(1, 0)`` is ``b`` in ``return (x, y), (b, c)``) and remove what only they needed. Changes nothing
    and returns False unless every ``return`` of ``func`` is a tuple with those elements."""
    returns = [node for node in walk(func) if isinstance(node, ast.Return)]
    paths = list(unread)
    if not returns or not paths or any(_element(r.value, p) is None for r in returns for p in paths):
        return False
    for node in returns:
        for path in paths:
            parent = _element(node.value, path[:-1])
            parent.elts[path[-1]] = ast.copy_location(ast.Constant(value=None), parent.elts[path[-1]])
    func.body = unread_removed(func.body, set(), lambda stmt: _sets_name_only(stmt, numpy))
    return True


def _element(node: Optional[ast.expr], path: Path) -> Optional[ast.expr]:
    for index in path:
        if not isinstance(node, ast.Tuple) or not -len(node.elts) <= index < len(node.elts):
            return None
        node = node.elts[index]
    return node


def _sets_name_only(stmt: ast.stmt, numpy: str) -> bool:
    """``name = expression`` whose evaluation changes nothing (see the module docstring)."""
    targets = stmt.targets if isinstance(stmt, ast.Assign) else []
    if len(targets) != 1 or not isinstance(targets[0], ast.Name):
        return False
    for part in walk(stmt.value):
        if isinstance(part, (ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)):
            return False
        if isinstance(part, ast.Call) and not _pure_call(part, numpy):
            return False
    return True


def _pure_call(call: ast.Call, numpy: str) -> bool:
    if any(keyword.arg == "out" or keyword.arg is None for keyword in call.keywords):
        return False
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in PURE_HELPERS
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Name) and func.value.id == numpy:
        return func.attr not in _NUMPY_WRITERS
    return func.attr in _NEW_VALUE_METHODS

