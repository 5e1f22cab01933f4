"""Helpers of emitted code (sct.runtime): their rules differentiate first derivatives again."""
from __future__ import annotations

from typing import Dict, List

from rule_inputs.cases import ARRAY, BINARY, FWD, LSE, PAIR, REDUCED, RT, SCALAR, UNARY, Case

INPUTS: Dict[str, List[Case]] = {}
_TIED = "c = np.array([1.0, 0.5, 1.0, 2.0])"
_TIES = "e = np.array([0.5, -1.0, 0.5, 2.0])"
_UNTIED = "d = np.array([[0.3, -1.0, 0.8], [1.2, -2.0, 0.1]])"
# Helpers of emitted code: their rules differentiate first derivatives again (second order), so they are
# called here the way derivative code calls them. Most have a tangent rule only (forward mode).
_HELPERS = {
    "adjoint_shape": [Case("adjoint_shape(x, np.ones((2, 3)), 'f')", [((2, 3),)], modes=FWD,
                           imports=RT + "adjoint_shape")],
    "tangent_shape": [Case("tangent_shape(x, np.ones((2, 3)), 'f')", [((3,),), ((1, 3),), ((2, 3),)],
                           imports=RT + "tangent_shape")],
    "add_lists": [Case("np.stack(add_lists([x, y], [y, x]))", BINARY[:4], PAIR, modes=FWD,
                       imports=RT + "add_lists", second_order=False)],  # no batched add_lists yet
    "broadcast_like": [Case("broadcast_like(x, np.ones((2, 3)))", [((),), ((3,),), ((1, 3),)], modes=FWD,
                            imports=RT + "broadcast_like")],
    "var_weights": [Case("var_weights(x)", ARRAY, imports=RT + "var_weights"),
                    Case("var_weights(x, axis=0, ddof=1)", [((2, 3),)], imports=RT + "var_weights")],
    "norm_weights": [Case("norm_weights(x, np.linalg.norm(x))", ARRAY, ("nonzero",),
                          imports=RT + "norm_weights"),
                     Case("norm_weights(x, np.linalg.norm(x, axis=1), axis=1)", [((2, 3),)], ("nonzero",),
                          imports=RT + "norm_weights")],
    # its tangent calls a helper of second-order code: walked through the Hessian of a Cholesky factor
    "cholesky_adjoint": [Case("np.sum(np.linalg.cholesky(x) * y)", [((3, 3), (3, 3))], PAIR, matrix="spd")],
    "cumsum_adjoint": [Case("cumsum_adjoint(x, np.ones(3))", [((3,),)], modes=FWD,
                            imports=RT + "cumsum_adjoint"),
                       Case("cumsum_adjoint(x, np.ones((2, 3)), axis=1)", [((2, 3),)], modes=FWD,
                            imports=RT + "cumsum_adjoint")],
    "diagonal_adjoint": [Case("diagonal_adjoint(x, np.ones((3, 3)))", [((3,),)], modes=FWD,
                              imports=RT + "diagonal_adjoint")],
    # linear in their first argument; c has a tie (1.0 twice), d none
    "running_extremum_tangent": [
        Case("running_extremum_tangent(x, c, np.maximum.accumulate(c))", [((4,),)], setup=_TIED,
             imports=RT + "running_extremum_tangent"),
        Case("running_extremum_tangent(x, d, np.minimum.accumulate(d, axis=1), axis=1)", [((2, 3),)],
             setup=_UNTIED, imports=RT + "running_extremum_tangent")],
    "running_extremum_adjoint": [
        Case("running_extremum_adjoint(x, c, np.maximum.accumulate(c))", [((4,),)], setup=_TIED,
             imports=RT + "running_extremum_adjoint"),
        Case("running_extremum_adjoint(x, d, np.maximum.accumulate(d, axis=0), axis=0)", [((2, 3),)],
             setup=_UNTIED, imports=RT + "running_extremum_adjoint")],
    # bilinear, of vectors (np.convolve's operands), windows inside and past the full convolution's ends
    "convolve_along": [
        Case("convolve_along(x, y, 1, 3)", [((4,), (2,)), ((2,), (5,)), ((1,), (3,))], PAIR,
             imports=RT + "convolve_along"),
        Case("convolve_along(x, y, -1, 6)", [((3,), (2,)), ((1,), (1,))], PAIR,
             imports=RT + "convolve_along")],
    # the quantiles' rules and their linear helpers; e has a tie (0.5 twice)
    "order_quantile": [Case("order_quantile(x, 0.3)", ARRAY, imports=RT + "order_quantile"),
                       Case("order_quantile(x, np.array([0.0, 0.6, 1.0]), axis=1)", [((2, 3),)],
                            imports=RT + "order_quantile")],
    "quantile_tangent": [Case("quantile_tangent(x, e, np.array([0.5, 0.8]))", [((4,),)], setup=_TIES,
                              imports=RT + "quantile_tangent"),
                         Case("quantile_tangent(x, d, 0.25, axis=0)", [((2, 3),)], setup=_UNTIED,
                              imports=RT + "quantile_tangent")],
    "quantile_adjoint": [Case("quantile_adjoint(x, e, np.array([0.5, 0.8]))", [((2,),)], setup=_TIES,
                              imports=RT + "quantile_adjoint"),
                         Case("quantile_adjoint(x, d, 0.25, axis=0)", [((3,),)], setup=_UNTIED,
                              imports=RT + "quantile_adjoint")],
    "extremum_adjoint": [Case("extremum_adjoint(y, x, np.max(x, axis=0), axis=0)", [((2, 3), (3,))], PAIR,
                              modes=FWD, imports=RT + "extremum_adjoint")],
    "lse_weights": [Case("lse_weights(x, logsumexp(x))", ARRAY, modes=FWD,
                         imports=LSE + "\n" + RT + "lse_weights")],
    # the user's logsumexp(a, axis=, keepdims=) is computed by it (sct/rules/call_forms.py)
    "logsumexp_real": [Case("logsumexp_real(x)", UNARY, imports=RT + "logsumexp_real"),
                       Case("logsumexp_real(x, axis=0)", REDUCED, imports=RT + "logsumexp_real"),
                       Case("logsumexp_real(x, axis=-1, keepdims=True)", REDUCED,
                            imports=RT + "logsumexp_real")],
    # the user's np.sum(x, axis=k) is computed by it; (2, 40) and (3, 1, 25) sum by x @ ones, (2, 3) by np.sum
    "sum_along": [Case("sum_along(x, axis=-1)", [((2, 40),), ((3, 1, 25),), ((2, 3),)],
                       imports=RT + "sum_along"),
                  Case("sum_along(x, axis=2, keepdims=True) * x", [((3, 1, 25),), ((2, 2, 1),)],
                       imports=RT + "sum_along"),
                  Case("sum_along(x, axis=0)", [((2, 3),)], imports=RT + "sum_along")],
    "matmul_adjoint": [Case("matmul_adjoint(x, y, np.ones(3), 0)", [((2,), (2, 3))], PAIR, modes=FWD,
                            imports=RT + "matmul_adjoint"),
                       Case("matmul_adjoint(x, np.ones((2, 3)), y, 1)", [((2,), (3,))], PAIR, modes=FWD,
                            imports=RT + "matmul_adjoint")],
    "power_term": [Case("power_term(x[..., None], np.arange(9), 0)", ARRAY, imports=RT + "power_term"),
                   Case("power_term(x[..., None], np.arange(3, 11), 2)", ARRAY, imports=RT + "power_term"),
                   Case("power_term(x[..., None], np.arange(4), 1)", ARRAY, imports=RT + "power_term")],
    "zero_where_undefined": [Case("zero_where_undefined(x - x[..., :1], np.sin(x) * (x - x[..., :1]))", ARRAY,
                                  imports=RT + "zero_where_undefined"),
                             Case("zero_where_undefined(np.ones(3), x * 2.0)", [((3,),), ((2, 3),)],
                                  imports=RT + "zero_where_undefined")],
    "prod_partials": [Case("prod_partials(x)", ARRAY, imports=RT + "prod_partials", second_order=False),
                      Case("prod_partials(x, axis=1)", [((2, 3),)], imports=RT + "prod_partials",
                           second_order=False)],  # third derivatives of np.prod are not implemented
    "scatter": [Case("scatter(x, np.ones(4), [0, 2, 2])", [((3,),)], modes=FWD, imports=RT + "scatter")],
    "split_like": [Case("split_like(x, [np.ones(2), np.ones(1)])[0]", [((3,),)], modes=FWD,
                        imports=RT + "split_like")],
    "sum_adjoint": [Case("sum_adjoint(x, np.ones((2, 3)))", [((3,),)], modes=FWD,
                         imports=RT + "sum_adjoint")],
    "transpose_adjoint": [Case("transpose_adjoint(x, (1, 0))", [((2, 3),)], modes=FWD,
                               imports=RT + "transpose_adjoint")],
    "unbroadcast": [Case("unbroadcast(x, np.ones(3))", [((2, 3),), ((3,),)], modes=FWD,
                         imports=RT + "unbroadcast")],
    "unreduce": [Case("unreduce(x, np.ones((2, 3)), axis=0)", [((3,),)], modes=FWD,
                      imports=RT + "unreduce")],
    "unstack": [Case("unstack(x)[1]", [((2, 3),)], modes=FWD, imports=RT + "unstack")],
}
for _name, _cases in _HELPERS.items():
    INPUTS[f"sct.runtime.{_name}"] = _cases
# as second-order code calls it: into an adjoint that is zero or an array of its own
# Imported under another name: a user name spelled like a higher_runtime helper clashes with it (emit.py
# checks runtime helper names only). Into a non-zero target (x), the tangent is a new value (added_at).
_ADD_AT = "from sct.runtime.higher import add_at as add_into, added_at as added_into"
INPUTS["sct.runtime.higher.add_at"] = [Case("add_into(np.zeros(4), [0, 0, 2], y)", [((3,), (3,))], PAIR,
                                            modes=FWD, imports=_ADD_AT)]
INPUTS["sct.runtime.higher.added_at"] = [Case("added_into(x, [0, 0, 2], y)", [((4,), (3,))], PAIR,
                                              modes=FWD, imports=_ADD_AT)]
_RTX = {
    "if_inexact": [Case("if_inexact(x, x)", UNARY), Case("if_inexact(x, np.ones(1, dtype=int)) + x", ARRAY)],
    "as_columns": [Case("as_columns(x, np.ones(3), np.ones((3, 3)))", [((3,),)]),
                   Case("as_columns(x, np.ones((3, 2)), np.ones((3, 3)))", [((3, 2),)])],
    "from_columns": [Case("from_columns(x, np.ones(3), np.ones((3, 3)))", [((3, 1),)]),
                     Case("from_columns(x, np.ones((3, 2)), np.ones((3, 3)))", [((3, 2),)])],
    "dot_adjoint": [Case("dot_adjoint(x, y, np.ones((2, 3, 4)), 0)", [((2, 2, 4), (2, 3))], PAIR,
                         modes=FWD),
                    Case("dot_adjoint(x, np.ones((2, 3)), y, 1)", [((2, 2, 4), (2, 3, 4))], PAIR,
                         modes=FWD)],
    "linspace_tangent": [Case("linspace_tangent(x, y, np.ones(4), 4)", [((), ())], PAIR, modes=FWD)],
    "linspace_adjoint": [Case("linspace_adjoint(x, np.ones((4, 3)), 4)[1]", [((4, 3),)], modes=FWD)],
    "written_adjoint": [Case("written_adjoint(x, [0, 0, 2], np.ones(4))", [((4,),)], modes=FWD),
                        Case("written_adjoint(x, (slice(None), 1), np.ones((2, 3)))", [((2, 3),)],
                             modes=FWD),
                        Case("written_adjoint(x, [1, 1], np.ones(3, dtype=int))", [((3,),)], modes=FWD)],
    "written_tangent": [Case("written_tangent(x, np.ones(3))", UNARY, modes=FWD),
                        Case("written_tangent(x, np.ones(3, dtype=int)) + x", ARRAY, modes=FWD)],
    "float_copy": [Case("float_copy(x)", UNARY)],
    "element_copy": [Case("element_copy(x, 'a row') * x", SCALAR)],
    "kept_copy": [Case("kept_copy(x)", UNARY), Case("kept_copy((x, 2.0 * x))[1] * kept_copy([x])[0]", UNARY),
                  Case("kept_copy({'a': x})['a'] ** 2", UNARY)],
    "seed_like": [Case("seed_like(x, np.ones((2, 3)))", SCALAR, modes=FWD),
                  Case("seed_like(x, np.ones((2, 3)))", [((2, 3),)], modes=FWD)],
}
for _name, _cases in _RTX.items():
    INPUTS[f"sct.runtime.{_name}"] = [Case(c.expr, c.shapes, c.domains, modes=c.modes,
                                           imports=RT + _name) for c in _cases]
# Python constructs (comprehensions and nested lists): the adjoint of np.array of a nested list
INPUTS["sct.runtime.unstack_like"] = [Case("unstack_like(x, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])[1][2]",
                                           [((2, 3),)], modes=FWD, imports=RT + "unstack_like")]

# Nested AD (sct/rules/nested_rules.py): the prologue helpers of an emitted module, differentiated again,
# and the adjoint of matmul_adjoint (reverse mode over reverse-mode code)
INPUTS["sct.runtime.float_input"] = [Case("float_input(x, 'x') * x", UNARY, imports=RT + "float_input")]
INPUTS["sct.runtime.owned_input"] = [Case("owned_input(x) * x", UNARY, imports=RT + "owned_input")]
INPUTS["sct.runtime.array_input"] = [Case("array_input(x, 'x', 'no list') * x", UNARY,
                                          imports=RT + "array_input")]
INPUTS["sct.runtime.matmul_adjoint"] = INPUTS["sct.runtime.matmul_adjoint"] + [
    Case("matmul_adjoint(x, y, np.ones((3, 2)), 0)", [((2,), (3,)), ((4, 2), (4, 3))], PAIR,
         imports=RT + "matmul_adjoint", second_order=False),
    Case("matmul_adjoint(x, np.ones((2, 3)), y, 1)", [((2,), (3,)), ((2, 2), (3, 2))], PAIR,
         imports=RT + "matmul_adjoint", second_order=False)]
# helpers of list code: a 0-d array kept an array, the adjoint of a list, writes of list slices (the
# adjoint helpers have tangents only: reverse mode over them is refused)
INPUTS["sct.runtime.kept_zero_dim"] = [Case("kept_zero_dim(x * 2.0, x) * x", UNARY,
                                            imports=RT + "kept_zero_dim"),
                                       Case("kept_zero_dim(np.sum(x) + 1.0, np.array(0.0)) * x", ARRAY,
                                            imports=RT + "kept_zero_dim")]
INPUTS["sct.runtime.list_adjoint"] = [
    Case("list_adjoint(x, [1.0, 2.0, 3.0])[2] * x", [((3,),), ((3, 2),)], modes=FWD,
         imports=RT + "list_adjoint"),
    Case("list_adjoint([x, 2 * x], [1.0, 2.0])[1] * x", ARRAY, modes=FWD, imports=RT + "list_adjoint")]
INPUTS["sct.runtime.slice_written"] = [
    Case("slice_written([x, 2 * x, x * x], slice(0, 2), [1.0, 2.0, 3.0], [0.0, 0.0])[1] * x", ARRAY,
         modes=FWD, imports=RT + "slice_written"),
    Case("slice_written([x[0], x[1] * x[0], x[2]], slice(1, 3), [1.0, 2.0, 3.0], np.zeros(2))", [((3,),)],
         modes=FWD, imports=RT + "slice_written")]
INPUTS["sct.runtime.slice_cleared"] = [
    Case("slice_cleared([x, 2 * x, x * x, 3 * x], slice(1, 2), [1.0, 2.0, 3.0])[2] * x", ARRAY,
         modes=FWD, imports=RT + "slice_cleared"),
    Case("slice_cleared([x, x * x, 3 * x], slice(0, 3, 2), [1.0, 2.0, 3.0])[1]", ARRAY,
         modes=FWD, imports=RT + "slice_cleared")]
