"""Valid inputs for every derivative rule in the registry, for the rule-walking test (test_rule_walk.py).

``INPUTS`` maps a rule's qualified name to the calls that exercise it. A :class:`Case` is an expression in
the float arguments ``x`` (and ``y``, ``z``), the shapes to call it at, and each argument's domain: where
the function is defined and smooth, with zero and negative points wherever the function allows them.
A rule registered without an entry here fails the walk, so every new rule comes with its inputs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np

Shapes = Tuple[tuple, ...]

# Points per domain, cycled to fill an argument; each argument starts at a different offset.
DOMAINS = {
    "real": (0.0, -0.7, 1.1, -1.6, 0.4, 2.1, -0.25, 1.45),
    "nonzero": (-0.7, 1.1, -1.6, 0.6, 2.1, -1.2, 0.35, 1.7),
    "positive": (0.6, 1.3, 0.9, 2.2, 0.45, 1.7, 1.05, 2.6),
    "unit": (0.0, -0.5, 0.3, 0.6, -0.2, 0.45, -0.65, 0.15),
    "above1": (1.5, 2.3, 1.2, 3.1, 1.8, 2.7, 1.35, 2.05),
    "wide": (2.6, 3.3, 2.9, 3.7, 2.75, 3.5, 3.05, 3.9),  # divisors for mod: far from the numerators
}

UNARY: List[Shapes] = [((),), ((1,),), ((3,),), ((2, 3),)]
ARRAY: List[Shapes] = [((1,),), ((3,),), ((2, 3),)]
SCALAR: List[Shapes] = [((),)]
BINARY: List[Shapes] = [((), ()), ((1,), (1,)), ((3,), (3,)), ((2, 3), (2, 3)), ((), (3,)), ((3,), ()),
                        ((2, 3), (1, 3)), ((1, 3), (2, 3)), ((2, 3), ())]
SQUARE: List[Shapes] = [((2, 2),), ((3, 3),), ((2, 3, 3),)]


@dataclass(frozen=True)
class Case:
    """``expr`` evaluated at each entry of ``shapes``; ``domains`` names each argument's points.

    ``matrix`` builds square arguments instead: "spd" (symmetric positive definite, perturbed only
    symmetrically) or "general" (well conditioned, positive determinant). ``analytic`` adds the
    complex-step check; ``second_order=False`` (a kink at one of the points) skips the second-order modes.
    ``setup`` is a statement run before ``expr`` (to unpack a call returning several values).
    ``modes=("forward",)`` for a rule with a tangent only (helpers of emitted code): forward mode and the
    forward-mode Jacobian.
    """

    expr: str
    shapes: Sequence[Shapes] = tuple(UNARY)
    domains: Tuple[str, ...] = ("real",)
    analytic: bool = False
    matrix: str = ""
    imports: str = ""
    second_order: bool = True
    setup: str = ""
    modes: Tuple[str, ...] = ("forward", "reverse")

    @property
    def params(self) -> Tuple[str, ...]:
        return ("x", "y", "z")[:len(self.domains)]


def _points(domain: str, shape: tuple, offset: int):
    values = DOMAINS[domain]
    n = int(np.prod(shape))
    data = np.array([values[(offset + i) % len(values)] for i in range(n)], dtype=float)
    if shape == ():
        return float(data[0])
    return data.reshape(shape)


def _matrix(kind: str, shape: tuple, offset: int) -> np.ndarray:
    n = shape[-1]
    base = _points("real", shape, offset) * 0.3
    if kind == "spd":
        return np.swapaxes(base, -1, -2) @ base + n * np.eye(n)
    return base + n * np.eye(n)


def arguments(case: Case, shapes: Shapes) -> tuple:
    """The float arguments of ``case`` at ``shapes``."""
    if case.matrix:
        first = _matrix(case.matrix, shapes[0], 0)
        rest = tuple(_points(d, s, 3 * (i + 1)) for i, (d, s) in enumerate(zip(case.domains[1:], shapes[1:])))
        return (first,) + rest
    return tuple(_points(d, s, 3 * i) for i, (d, s) in enumerate(zip(case.domains, shapes)))


def _unary(names: Sequence[str], prefix: str, domain: str = "real", analytic: bool = True,
           shapes=UNARY) -> Dict[str, List[Case]]:
    return {f"{prefix}.{n}": [Case(f"{'np' if prefix == 'numpy' else prefix}.{n}(x)", shapes, (domain,),
                                   analytic=analytic)] for n in names}


def _binary(expr: str, domains=("real", "real"), analytic=True, shapes=BINARY) -> List[Case]:
    return [Case(expr, shapes, domains, analytic=analytic)]


INPUTS: Dict[str, object] = {}
INPUTS.update(_unary(["sin", "cos", "sinh", "cosh", "tanh", "exp", "exp2", "expm1", "arctan", "arcsinh",
                      "negative", "square"], "numpy"))
INPUTS.update(_unary(["tan", "arcsin", "arccos", "arctanh"], "numpy", "unit"))
INPUTS.update(_unary(["log", "log10", "log2", "log1p", "sqrt"], "numpy", "positive"))
INPUTS.update(_unary(["arccosh"], "numpy", "above1"))
INPUTS.update(_unary(["reciprocal"], "numpy", "nonzero"))
INPUTS.update(_unary(["cbrt"], "numpy", "nonzero", analytic=False))
INPUTS.update(_unary(["real"], "numpy", analytic=False))
for _name in ("abs", "absolute", "fabs"):  # at 0 too: both one-sided slopes average to the rule's sign(0) = 0
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x)", second_order=False),
                                Case(f"np.{_name}(x)", domains=("nonzero",))]
INPUTS.update(_unary(["sin", "cos", "sinh", "cosh", "tanh", "exp", "expm1", "atan", "asinh"], "math",
                     analytic=False, shapes=SCALAR))
INPUTS.update(_unary(["tan", "asin", "acos", "atanh"], "math", "unit", analytic=False, shapes=SCALAR))
INPUTS.update(_unary(["log", "log10", "log2", "log1p", "sqrt"], "math", "positive", analytic=False,
                     shapes=SCALAR))
INPUTS.update(_unary(["acosh"], "math", "above1", analytic=False, shapes=SCALAR))
INPUTS.update(_unary(["fabs"], "math", "nonzero", analytic=False, shapes=SCALAR))
INPUTS["numpy.positive"] = [Case("np.positive(x)", analytic=True)]
INPUTS["numpy.copy"] = [Case("np.copy(x)")]
INPUTS["numpy.array"] = [Case("np.array(x)"), Case("np.array([x, y])", BINARY[:4], ("real", "real"))]
INPUTS["numpy.asarray"] = [Case("np.asarray(x)")]
INPUTS["numpy.ascontiguousarray"] = [Case("np.ascontiguousarray(x)")]
for _name in ("add", "subtract", "multiply"):
    INPUTS[f"numpy.{_name}"] = _binary(f"np.{_name}(x, y)")
INPUTS["numpy.logaddexp"] = _binary("np.logaddexp(x, y)", analytic=False)
for _name in ("divide", "true_divide"):
    INPUTS[f"numpy.{_name}"] = _binary(f"np.{_name}(x, y)", ("real", "nonzero"))
for _name in ("maximum", "minimum", "fmax", "fmin"):
    INPUTS[f"numpy.{_name}"] = _binary(f"np.{_name}(x, y)", ("real", "nonzero"), analytic=False)
for _name in ("fmod", "mod", "remainder"):
    INPUTS[f"numpy.{_name}"] = _binary(f"np.{_name}(x, y)", ("nonzero", "wide"), analytic=False)
INPUTS["numpy.power"] = _binary("np.power(x, y)", ("positive", "real")) + [Case("np.power(x, 3)")]
INPUTS["numpy.arctan2"] = _binary("np.arctan2(x, y)", ("real", "positive"), analytic=False)
INPUTS["numpy.hypot"] = _binary("np.hypot(x, y)", ("nonzero", "nonzero"), analytic=False)
INPUTS["numpy.where"] = _binary("np.where(x > 0, x, y)", ("nonzero", "real"), analytic=False)
INPUTS["numpy.clip"] = [Case("np.clip(x, -0.5, 0.5)")]
INPUTS["op.Add"] = _binary("x + y")
INPUTS["op.Sub"] = _binary("x - y")
INPUTS["op.Mult"] = _binary("x * y")
INPUTS["op.Div"] = _binary("x / y", ("real", "nonzero"))
INPUTS["op.Mod"] = _binary("x % y", ("nonzero", "wide"), analytic=False)
INPUTS["op.Pow"] = _binary("x ** y", ("positive", "real")) + [Case("x ** 2", analytic=True),
                                                             Case("x ** 3", analytic=True)]
INPUTS["op.USub"] = [Case("-x", analytic=True)]
INPUTS["op.UAdd"] = [Case("+x", analytic=True)]
INPUTS["op.Subscript"] = [Case("x[0]", ARRAY), Case("x[1:]", ARRAY[1:]), Case("x[::-1]", ARRAY),
                          Case("x[[0, 0, 2]]", [((3,),)]), Case("x[:, 0]", [((2, 3),)]),
                          Case("x[1, 1:]", [((2, 3),)]), Case("x[x > 0]", ARRAY, ("nonzero",))]
INPUTS["op.MatMult"] = [Case("x @ y", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 2)),
                                       ((2, 2, 3), (3, 2))], ("real", "real"))]
INPUTS["numpy.matmul"] = [Case("np.matmul(x, y)", [((2, 3), (3,)), ((2, 3), (3, 2))], ("real", "real"))]
INPUTS["numpy.dot"] = [Case("np.dot(x, y)", [((), (3,)), ((3,), (3,)), ((2, 3), (3,)), ((2, 3), (3, 2))],
                            ("real", "real"))]
INPUTS["method.dot"] = [Case("x.dot(y)", [((3,), (3,)), ((2, 3), (3, 2))], ("real", "real"))]
INPUTS["numpy.outer"] = [Case("np.outer(x, y)", [((3,), (2,)), ((1,), (3,))], ("real", "real"))]
INPUTS["numpy.einsum"] = [Case("np.einsum('ij,j->i', x, y)", [((2, 3), (3,))], ("real", "real")),
                          Case("np.einsum('ij->', x)", [((2, 3),)]),
                          Case("np.einsum('ij,kj->ik', x, y)", [((2, 3), (1, 3))], ("real", "real"))]

_REDUCED = [((1,),), ((3,),), ((2, 3),)]
for _name in ("sum", "mean", "prod", "max", "min", "amax", "amin"):
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x)", UNARY), Case(f"np.{_name}(x, axis=0)", _REDUCED),
                                Case(f"np.{_name}(x, axis=-1, keepdims=True)", _REDUCED)]
for _name in ("sum", "mean", "prod", "max", "min"):
    INPUTS[f"method.{_name}"] = [Case(f"x.{_name}()", ARRAY), Case(f"x.{_name}(axis=0)", _REDUCED)]
for _name in ("std", "var"):
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x)", [((3,),), ((2, 3),)]),
                                Case(f"np.{_name}(x, axis=0, ddof=1)", [((2, 3),)])]
    INPUTS[f"method.{_name}"] = [Case(f"x.{_name}(axis=1)", [((2, 3),)])]
INPUTS["numpy.cumsum"] = [Case("np.cumsum(x)", ARRAY), Case("np.cumsum(x, axis=1)", [((2, 3),)])]
INPUTS["method.cumsum"] = [Case("x.cumsum(axis=0)", _REDUCED)]

INPUTS["numpy.reshape"] = [Case("np.reshape(x, (-1,))", ARRAY), Case("np.reshape(x, (3, 2))", [((2, 3),)])]
INPUTS["method.reshape"] = [Case("x.reshape(-1)", ARRAY), Case("x.reshape(3, 2)", [((2, 3),)])]
INPUTS["numpy.ravel"] = [Case("np.ravel(x)", UNARY)]
INPUTS["method.ravel"] = [Case("x.ravel()", ARRAY)]
INPUTS["method.flatten"] = [Case("x.flatten()", ARRAY)]
INPUTS["numpy.squeeze"] = [Case("np.squeeze(x)", [((1,),), ((1, 3),)])]
INPUTS["method.squeeze"] = [Case("x.squeeze()", [((1, 3),)])]
INPUTS["numpy.expand_dims"] = [Case("np.expand_dims(x, 0)", ARRAY), Case("np.expand_dims(x, -1)", ARRAY)]
INPUTS["numpy.atleast_1d"] = [Case("np.atleast_1d(x)", UNARY)]
INPUTS["numpy.atleast_2d"] = [Case("np.atleast_2d(x)", UNARY)]
INPUTS["numpy.atleast_3d"] = [Case("np.atleast_3d(x)", UNARY)]
INPUTS["numpy.broadcast_to"] = [Case("np.broadcast_to(x, (2, 3))", [((),), ((3,),), ((1, 3),)])]
INPUTS["numpy.transpose"] = [Case("np.transpose(x)", ARRAY), Case("np.transpose(x, (1, 0))", [((2, 3),)])]
INPUTS["method.transpose"] = [Case("x.transpose()", [((2, 3),)])]
INPUTS["attr.T"] = [Case("x.T", ARRAY)]
INPUTS["attr.mT"] = [Case("x.mT", [((2, 3),), ((2, 2, 3),)])]
INPUTS["attr.real"] = [Case("x.real", UNARY[1:])]
INPUTS["numpy.swapaxes"] = [Case("np.swapaxes(x, 0, 1)", [((2, 3),)])]
INPUTS["method.swapaxes"] = [Case("x.swapaxes(0, 1)", [((2, 3),)])]
INPUTS["numpy.moveaxis"] = [Case("np.moveaxis(x, 0, -1)", [((2, 3),), ((2, 1, 3),)])]
INPUTS["numpy.flip"] = [Case("np.flip(x)", ARRAY), Case("np.flip(x, 1)", [((2, 3),)])]
INPUTS["numpy.concatenate"] = [Case("np.concatenate([x, y])", [((1,), (3,)), ((2, 3), (1, 3))],
                                    ("real", "real")),
                               Case("np.concatenate((x, y), axis=1)", [((2, 3), (2, 1))], ("real", "real"))]
INPUTS["numpy.stack"] = [Case("np.stack([x, y])", BINARY[:4], ("real", "real")),
                         Case("np.stack([x, y], axis=-1)", [((2, 3), (2, 3))], ("real", "real"))]
INPUTS["numpy.diag"] = [Case("np.diag(x)", [((3,),), ((2, 2),), ((2, 3),)]),
                        Case("np.diag(x, 1)", [((3,),), ((3, 3),)])]
INPUTS["numpy.diagonal"] = [Case("np.diagonal(x)", [((2, 3),), ((3, 3),)])]
INPUTS["method.diagonal"] = [Case("x.diagonal()", [((2, 3),)])]
INPUTS["numpy.trace"] = [Case("np.trace(x)", [((2, 3),), ((3, 3),), ((2, 3, 3),)]),
                        Case("np.trace(x, 1)", [((3, 3),)]),
                        Case("np.trace(x, axis1=1, axis2=2)", [((2, 3, 3),)])]
INPUTS["method.trace"] = [Case("x.trace()", [((3, 3),)])]
INPUTS["numpy.tril"] = [Case("np.tril(x)", [((2, 3),), ((3, 3),)]), Case("np.tril(x, -1)", [((3, 3),)])]
INPUTS["numpy.triu"] = [Case("np.triu(x)", [((2, 3),), ((3, 3),)]), Case("np.triu(x, 1)", [((3, 3),)])]
INPUTS["method.copy"] = [Case("x.copy()", ARRAY)]
INPUTS["method.astype"] = [Case("x.astype(float)", ARRAY)]

INPUTS["numpy.linalg.cholesky"] = [Case("np.linalg.cholesky(x)", SQUARE, matrix="spd")]
INPUTS["numpy.linalg.det"] = [Case("np.linalg.det(x)", SQUARE, matrix="general")]
INPUTS["numpy.linalg.inv"] = [Case("np.linalg.inv(x)", SQUARE, matrix="general")]
_SLOGDET = "sign, logdet = np.linalg.slogdet(x)"
INPUTS["numpy.linalg.slogdet"] = [Case("logdet", SQUARE, matrix="general", setup=_SLOGDET),
                                  Case("sign * logdet", SQUARE[:1], matrix="general", setup=_SLOGDET)]
INPUTS["numpy.linalg.solve"] = [Case("np.linalg.solve(x, y)", [((3, 3), (3,)), ((3, 3), (3, 2))],
                                     ("real", "real"), matrix="general")]
INPUTS["numpy.linalg.norm"] = [Case("np.linalg.norm(x)", ARRAY, ("nonzero",)),
                               Case("np.linalg.norm(x, axis=0)", [((2, 3),)], ("nonzero",))]
_PAIR = ("real", "real")
_LSE = "from scipy.special import logsumexp"
INPUTS["scipy.special.logsumexp"] = [Case("logsumexp(x)", UNARY, imports=_LSE),
                                     Case("logsumexp(x, axis=0)", _REDUCED, imports=_LSE)]
INPUTS["scipy.special._logsumexp.logsumexp"] = [
    Case("logsumexp(x, axis=-1, keepdims=True)", _REDUCED,
         imports="from scipy.special._logsumexp import logsumexp")]

INPUTS["builtins.abs"] = [Case("abs(x)", SCALAR, ("nonzero",)), Case("abs(x)", ARRAY, second_order=False)]
INPUTS["builtins.float"] = [Case("float(x)", SCALAR)]
_SCALARS = [((), ())]
INPUTS["builtins.max"] = _binary("max(x, y)", ("real", "nonzero"), analytic=False, shapes=_SCALARS)
INPUTS["builtins.min"] = _binary("min(x, y)", ("real", "nonzero"), analytic=False, shapes=_SCALARS)
INPUTS["builtins.pow"] = _binary("pow(x, y)", ("positive", "real"), analytic=False, shapes=_SCALARS)
INPUTS["builtins.sum"] = [Case("sum(x)", ARRAY), Case("sum([x, y, x])", BINARY[:3], ("real", "real"))]
INPUTS["math.atan2"] = _binary("math.atan2(x, y)", ("real", "positive"), analytic=False, shapes=_SCALARS)
INPUTS["math.hypot"] = _binary("math.hypot(x, y)", ("nonzero", "nonzero"), analytic=False, shapes=_SCALARS)
INPUTS["math.pow"] = _binary("math.pow(x, y)", ("positive", "real"), analytic=False, shapes=_SCALARS)
INPUTS["math.fmod"] = _binary("math.fmod(x, y)", ("nonzero", "wide"), analytic=False, shapes=_SCALARS)

# Helpers of emitted code: their rules differentiate first derivatives again (second order), so they are
# called here the way derivative code calls them. Most have a tangent rule only (forward mode).
_RT = "from sct.runtime import "
_FWD = ("forward",)
_HELPERS = {
    "adjoint_shape": [Case("adjoint_shape(x, np.ones((2, 3)), 'f')", [((2, 3),)], modes=_FWD,
                           imports=_RT + "adjoint_shape")],
    "tangent_shape": [Case("tangent_shape(x, np.ones((2, 3)), 'f')", [((3,),), ((1, 3),), ((2, 3),)],
                           imports=_RT + "tangent_shape")],
    "add_lists": [Case("np.stack(add_lists([x, y], [y, x]))", BINARY[:4], _PAIR, modes=_FWD,
                       imports=_RT + "add_lists", second_order=False)],  # no batched add_lists yet
    "broadcast_like": [Case("broadcast_like(x, np.ones((2, 3)))", [((),), ((3,),), ((1, 3),)], modes=_FWD,
                            imports=_RT + "broadcast_like")],
    "var_weights": [Case("var_weights(x)", ARRAY, imports=_RT + "var_weights"),
                    Case("var_weights(x, axis=0, ddof=1)", [((2, 3),)], imports=_RT + "var_weights")],
    "norm_weights": [Case("norm_weights(x, np.linalg.norm(x))", ARRAY, ("nonzero",),
                          imports=_RT + "norm_weights"),
                     Case("norm_weights(x, np.linalg.norm(x, axis=1), axis=1)", [((2, 3),)], ("nonzero",),
                          imports=_RT + "norm_weights")],
    # its tangent calls a helper of second-order code: walked through the Hessian of a Cholesky factor
    "cholesky_adjoint": [Case("np.sum(np.linalg.cholesky(x) * y)", [((3, 3), (3, 3))], _PAIR, matrix="spd")],
    "cumsum_adjoint": [Case("cumsum_adjoint(x, np.ones(3))", [((3,),)], modes=_FWD,
                            imports=_RT + "cumsum_adjoint"),
                       Case("cumsum_adjoint(x, np.ones((2, 3)), axis=1)", [((2, 3),)], modes=_FWD,
                            imports=_RT + "cumsum_adjoint")],
    "diagonal_adjoint": [Case("diagonal_adjoint(x, np.ones((3, 3)))", [((3,),)], modes=_FWD,
                              imports=_RT + "diagonal_adjoint")],
    "extremum_adjoint": [Case("extremum_adjoint(y, x, np.max(x, axis=0), axis=0)", [((2, 3), (3,))], _PAIR,
                              modes=_FWD, imports=_RT + "extremum_adjoint")],
    "lse_weights": [Case("lse_weights(x, logsumexp(x))", ARRAY, modes=_FWD,
                         imports=_LSE + "\n" + _RT + "lse_weights")],
    # the user's logsumexp(a, axis=, keepdims=) is computed by it (sct/rules/call_forms.py)
    "logsumexp_real": [Case("logsumexp_real(x)", UNARY, imports=_RT + "logsumexp_real"),
                       Case("logsumexp_real(x, axis=0)", _REDUCED, imports=_RT + "logsumexp_real"),
                       Case("logsumexp_real(x, axis=-1, keepdims=True)", _REDUCED,
                            imports=_RT + "logsumexp_real")],
    # the user's np.sum(x, axis=k) is computed by it; (2, 40) and (3, 1, 25) sum by x @ ones, (2, 3) by np.sum
    "sum_along": [Case("sum_along(x, axis=-1)", [((2, 40),), ((3, 1, 25),), ((2, 3),)],
                       imports=_RT + "sum_along"),
                  Case("sum_along(x, axis=2, keepdims=True) * x", [((3, 1, 25),), ((2, 2, 1),)],
                       imports=_RT + "sum_along"),
                  Case("sum_along(x, axis=0)", [((2, 3),)], imports=_RT + "sum_along")],
    "matmul_adjoint": [Case("matmul_adjoint(x, y, np.ones(3), 0)", [((2,), (2, 3))], _PAIR, modes=_FWD,
                            imports=_RT + "matmul_adjoint"),
                       Case("matmul_adjoint(x, np.ones((2, 3)), y, 1)", [((2,), (3,))], _PAIR, modes=_FWD,
                            imports=_RT + "matmul_adjoint")],
    "power_term": [Case("power_term(x[..., None], np.arange(9), 0)", ARRAY, imports=_RT + "power_term"),
                   Case("power_term(x[..., None], np.arange(3, 11), 2)", ARRAY, imports=_RT + "power_term"),
                   Case("power_term(x[..., None], np.arange(4), 1)", ARRAY, imports=_RT + "power_term")],
    "zero_where_undefined": [Case("zero_where_undefined(x - x[..., :1], np.sin(x) * (x - x[..., :1]))", ARRAY,
                                  imports=_RT + "zero_where_undefined"),
                             Case("zero_where_undefined(np.ones(3), x * 2.0)", [((3,),), ((2, 3),)],
                                  imports=_RT + "zero_where_undefined")],
    "prod_partials": [Case("prod_partials(x)", ARRAY, imports=_RT + "prod_partials", second_order=False),
                      Case("prod_partials(x, axis=1)", [((2, 3),)], imports=_RT + "prod_partials",
                           second_order=False)],  # third derivatives of np.prod are not implemented
    "scatter": [Case("scatter(x, np.ones(4), [0, 2, 2])", [((3,),)], modes=_FWD, imports=_RT + "scatter")],
    "split_like": [Case("split_like(x, [np.ones(2), np.ones(1)])[0]", [((3,),)], modes=_FWD,
                        imports=_RT + "split_like")],
    "sum_adjoint": [Case("sum_adjoint(x, np.ones((2, 3)))", [((3,),)], modes=_FWD,
                         imports=_RT + "sum_adjoint")],
    "transpose_adjoint": [Case("transpose_adjoint(x, (1, 0))", [((2, 3),)], modes=_FWD,
                               imports=_RT + "transpose_adjoint")],
    "unbroadcast": [Case("unbroadcast(x, np.ones(3))", [((2, 3),), ((3,),)], modes=_FWD,
                         imports=_RT + "unbroadcast")],
    "unreduce": [Case("unreduce(x, np.ones((2, 3)), axis=0)", [((3,),)], modes=_FWD,
                      imports=_RT + "unreduce")],
    "unstack": [Case("unstack(x)[1]", [((2, 3),)], modes=_FWD, imports=_RT + "unstack")],
}
for _name, _cases in _HELPERS.items():
    INPUTS[f"sct.runtime.{_name}"] = _cases
# as second-order code calls it: into an adjoint that is zero or an array of its own
# Imported under another name: a user name spelled like a higher_runtime helper clashes with it (emit.py
# checks runtime helper names only), and the tangent of add_at into a non-zero target, which calls add_at
# itself, then finds no add_at where it runs; that second case is left to the name-capture code.
_ADD_AT = "from sct.runtime.higher import add_at as added_at"
INPUTS["sct.runtime.higher.add_at"] = [Case("added_at(np.zeros(4), [0, 0, 2], y)", [((3,), (3,))], _PAIR,
                                            modes=_FWD, imports=_ADD_AT)]

# More arguments, axes and shapes per rule: N-d batches, tuples of axes, keyword spellings.
_MORE: Dict[str, List[Case]] = {
    "numpy.dot": [Case("np.dot(x, y)", [((2, 3), ())], _PAIR)],
    "op.MatMult": [Case("x @ y", [((3,), (2, 3, 2)), ((2, 2, 3), (1, 3, 2))], _PAIR)],
    "op.Subscript": [Case("x[-1]", ARRAY), Case("x[..., 0]", [((2, 3),)]), Case("x[None, :]", [((3,),)]),
                     Case("x[:, [0, 2]]", [((2, 3),)]), Case("x[[0, 1], [1, 2]]", [((2, 3),)]),
                     # views of every element: the adjoint is z_bar reshaped, summed first where broadcast
                     Case("x[None, ...]", ARRAY), Case("x[None]", ARRAY), Case("x[...]", [((2, 1),)]),
                     Case("x[:, None]", ARRAY), Case("x[None, :, None]", ARRAY), Case("x[:, :]", [((2, 3),)]),
                     Case("x[:, None] * y", [((3,), (3, 2)), ((1,), (2, 3)), ((2, 1), (2, 4, 1))], _PAIR),
                     Case("x[None, ...] - y[:, None]", [((3,), (2, 3)), ((1, 3), (1, 1))], _PAIR),
                     Case("x[None] + x[:, None] + x[0]", [((3,),), ((1,),)]),
                     Case("v[None, :] * x[0]", [((3,),)], setup="v = x * 1.0; v[1] = x[2] ** 2")],
    "numpy.where": [Case("np.where(x > 0, x, y)", [((2, 3), (3,)), ((3,), ())], ("nonzero", "real")),
                    Case("np.where(y > 0, x, 2.0)", [((3,), (3,))], ("real", "nonzero"))],
    "numpy.concatenate": [Case("np.concatenate([x, y], axis=None)", [((2, 3), (3,))], _PAIR),
                          Case("np.concatenate([x, y, x], axis=-1)", [((2, 3), (2, 1))], _PAIR)],
    "numpy.stack": [Case("np.stack([x, y, x], axis=1)", [((3,), (3,)), ((2, 3), (2, 3))], _PAIR)],
    "numpy.linalg.norm": [Case("np.linalg.norm(x, 'fro')", [((2, 3),)], ("nonzero",)),
                          Case("np.linalg.norm(x, axis=1, keepdims=True)", [((2, 3),)], ("nonzero",)),
                          Case("np.linalg.norm(x, ord=2)", [((3,),)], ("nonzero",)),
                          Case("np.linalg.norm(x, axis=(0, 1))", [((2, 3),)], ("nonzero",))],
    "scipy.special.logsumexp": [Case("logsumexp(x, b=y)", [((3,), (3,)), ((2, 3), (3,))],
                                     ("real", "positive"), imports=_LSE),
                                Case("logsumexp(x, axis=(0, 1))", [((2, 3),)], imports=_LSE)],
    "numpy.einsum": [Case("np.einsum('ij,ij->', x, y)", [((2, 3), (2, 3))], _PAIR),
                     Case("np.einsum('i,j->ij', x, y)", [((3,), (2,))], _PAIR)],
    "numpy.cumsum": [Case("np.cumsum(x)", [((2, 3),)]), Case("np.cumsum(x, axis=-1)", [((2, 3),)])],
    "numpy.clip": [Case("np.clip(x, y, 0.5)", [((3,), (3,)), ((3,), ())], ("real", "nonzero")),
                   Case("np.clip(x, y, y)", [((3,), (3,)), ((1, 3), (3, 1))], ("real", "nonzero")),
                   Case("np.clip(x, y + 0.5, y)", [((3,), (3,)), ((3,), ())], ("real", "nonzero")),
                   Case("np.clip(x, None, y)", [((3,), (3,))], ("real", "nonzero"))],
    "numpy.fmax": [Case("np.fmax(x, np.where(y > 0, np.nan, y))", [((3,), (3,)), ((1, 3), (3, 1))],
                        ("real", "nonzero")),
                   Case("np.fmax(np.where(y > 0, np.nan, y), x)", [((3,), (3,))], ("real", "nonzero"))],
    "numpy.fmin": [Case("np.fmin(x, np.where(y > 0, np.nan, y))", [((3,), (3,)), ((1, 3), (3, 1))],
                        ("real", "nonzero"))],
    "numpy.std": [Case("np.std(x, axis=(0, 1))", [((2, 3),)]),
                  Case("np.std(x, axis=1, keepdims=True)", [((2, 3),)])],
    "numpy.var": [Case("np.var(x, axis=-1, keepdims=True)", [((2, 3),)])],
    "numpy.sum": [Case("np.sum(x, axis=(0, 1))", [((2, 3),)]),
                  Case("np.sum(x, axis=(0,), keepdims=True)", [((2, 3),)])],
    "numpy.mean": [Case("np.mean(x, axis=(0, 1), keepdims=True)", [((2, 3),)])],
    "numpy.prod": [Case("np.prod(x, axis=(0, 1))", [((2, 3),)]),
                   Case("np.prod(x, axis=1)", [((2, 3),)], ("nonzero",))],
    "numpy.max": [Case("np.max(x, axis=(0, 1))", [((2, 3),)]),
                  Case("np.max(x, axis=1, keepdims=True)", [((2, 3),)])],
    "numpy.transpose": [Case("np.transpose(x, (2, 0, 1))", [((2, 1, 3),)]),
                        Case("np.transpose(x, axes=[1, 0])", [((2, 3),)])],
    "numpy.moveaxis": [Case("np.moveaxis(x, [0, 1], [1, 0])", [((2, 3),)])],
    "numpy.diag": [Case("np.diag(x, -1)", [((3,),), ((3, 3),)]), Case("np.diag(x)", [((1,),)])],
    "numpy.tril": [Case("np.tril(x)", [((2, 3, 3),)])],
    "numpy.triu": [Case("np.triu(x, -1)", [((2, 3, 3),)])],
    "builtins.sum": [Case("sum(x, 1.0)", ARRAY), Case("sum([x, y], x)", BINARY[:4], _PAIR)],
    "numpy.atleast_2d": [Case("np.atleast_2d(x)", [((2, 3),)])],
    "numpy.broadcast_to": [Case("np.broadcast_to(x, (2, 2, 3))", [((1, 3),), ((2, 1, 3),)])],
    "numpy.expand_dims": [Case("np.expand_dims(x, (0, 2))", [((3,),)])],
    "numpy.squeeze": [Case("np.squeeze(x, axis=0)", [((1, 3),)])],
    "numpy.reshape": [Case("np.reshape(x, (3, -1))", [((2, 3),)]), Case("np.reshape(x, ())", [((1,),)])],
    "method.reshape": [Case("x.reshape((1, 3))", [((3,),)])],
    "numpy.flip": [Case("np.flip(x, (0, 1))", [((2, 3),)])],
    "numpy.diagonal": [Case("np.diagonal(x, 1)", [((3, 3),)]),
                       Case("np.diagonal(x, axis1=1, axis2=2)", [((2, 3, 3),)])],
    "numpy.outer": [Case("np.outer(x, y)", [((2, 3), (2,))], _PAIR)],
    "numpy.linalg.solve": [Case("np.linalg.solve(x, y)", [((2, 3, 3), (2, 3, 1))], _PAIR, matrix="general")],
    "numpy.linalg.inv": [Case("np.linalg.inv(x) @ y", [((3, 3), (3,))], _PAIR, matrix="general")],
    "numpy.power": [Case("np.power(x, y)", [((2, 3), (1, 3))], ("positive", "real"))],
    "op.Pow": [Case("x ** 2.5", UNARY, ("positive",)), Case("x ** -1", UNARY, ("nonzero",)),
               Case("2.0 ** x", UNARY), Case("x ** 0.5", UNARY, ("positive",))],
    "numpy.array": [Case("np.array([[x, y], [y, x]])", BINARY[:3], _PAIR)],
    "method.sum": [Case("x.sum(axis=1, keepdims=True)", [((2, 3),)])],
    "method.mean": [Case("x.mean(axis=(0, 1))", [((2, 3),)])],
    "method.max": [Case("x.max(axis=1)", [((2, 3),)])],
    "method.transpose": [Case("x.transpose(1, 0)", [((2, 3),)]), Case("x.transpose((1, 0))", [((2, 3),)])],
    "method.diagonal": [Case("x.diagonal(1)", [((3, 3),)])],
    "method.astype": [Case("x.astype(np.float64)", ARRAY)],
    "attr.T": [Case("x.T", [((2, 1, 3),)])],
}
for _qualname, _cases in _MORE.items():
    INPUTS[_qualname] = INPUTS[_qualname] + _cases

# Casts, values built from arguments, and their helpers.
for _name in ("float64", "double", "longdouble"):
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x) * 2.0", UNARY)]
for _name in ("float32", "single", "float16", "half"):  # rounded: differences of the cast are noise
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x) * np.zeros(np.shape(x)) + x", UNARY)]
INPUTS["numpy.full"] = [Case("np.full((2, 3), x)", [((),), ((3,),), ((1, 3),)]),
                        Case("np.full(3, x, dtype=float)", SCALAR)]
INPUTS["numpy.full_like"] = [Case("np.full_like(y, x)", [((), (2, 3)), ((3,), (2, 3))], _PAIR),
                             Case("np.full_like(np.ones(3), x)", SCALAR)]
INPUTS["numpy.linspace"] = [Case("np.linspace(x, y, 4)", [((), ()), ((3,), ()), ((2, 3), (3,))], _PAIR),
                            Case("np.linspace(x, y, 3, endpoint=False, axis=-1)", [((3,), (3,))], _PAIR)]
INPUTS["math.copysign"] = _binary("math.copysign(x, y)", ("nonzero", "nonzero"), analytic=False,
                                  shapes=_SCALARS)
INPUTS["numpy.copysign"] = _binary("np.copysign(x, y)", ("nonzero", "nonzero"), analytic=False)
INPUTS["numpy.dot"] = INPUTS["numpy.dot"] + [Case("np.dot(x, y)", [((2, 3), (2, 3, 4)), ((3,), (2, 3, 2)),
                                                                   ((2, 2, 3), (3,))], _PAIR)]
INPUTS["method.dot"] = INPUTS["method.dot"] + [Case("x.dot(y)", [((2, 3), (2, 3, 4))], _PAIR)]
_RTX = {
    "if_inexact": [Case("if_inexact(x, x)", UNARY), Case("if_inexact(x, np.ones(1, dtype=int)) + x", ARRAY)],
    "as_columns": [Case("as_columns(x, np.ones(3), np.ones((3, 3)))", [((3,),)]),
                   Case("as_columns(x, np.ones((3, 2)), np.ones((3, 3)))", [((3, 2),)])],
    "from_columns": [Case("from_columns(x, np.ones(3), np.ones((3, 3)))", [((3, 1),)]),
                     Case("from_columns(x, np.ones((3, 2)), np.ones((3, 3)))", [((3, 2),)])],
    "dot_adjoint": [Case("dot_adjoint(x, y, np.ones((2, 3, 4)), 0)", [((2, 2, 4), (2, 3))], _PAIR,
                         modes=_FWD),
                    Case("dot_adjoint(x, np.ones((2, 3)), y, 1)", [((2, 2, 4), (2, 3, 4))], _PAIR,
                         modes=_FWD)],
    "linspace_tangent": [Case("linspace_tangent(x, y, np.ones(4), 4)", [((), ())], _PAIR, modes=_FWD)],
    "linspace_adjoint": [Case("linspace_adjoint(x, np.ones((4, 3)), 4)[1]", [((4, 3),)], modes=_FWD)],
    "written_adjoint": [Case("written_adjoint(x, [0, 0, 2], np.ones(4))", [((4,),)], modes=_FWD),
                        Case("written_adjoint(x, (slice(None), 1), np.ones((2, 3)))", [((2, 3),)],
                             modes=_FWD),
                        Case("written_adjoint(x, [1, 1], np.ones(3, dtype=int))", [((3,),)], modes=_FWD)],
    "written_tangent": [Case("written_tangent(x, np.ones(3))", UNARY, modes=_FWD),
                        Case("written_tangent(x, np.ones(3, dtype=int)) + x", ARRAY, modes=_FWD)],
    "float_copy": [Case("float_copy(x)", UNARY)],
    "element_copy": [Case("element_copy(x, 'a row') * x", SCALAR)],
    "kept_copy": [Case("kept_copy(x)", UNARY), Case("kept_copy((x, 2.0 * x))[1] * kept_copy([x])[0]", UNARY),
                  Case("kept_copy({'a': x})['a'] ** 2", UNARY)],
    "seed_like": [Case("seed_like(x, np.ones((2, 3)))", SCALAR, modes=_FWD),
                  Case("seed_like(x, np.ones((2, 3)))", [((2, 3),)], modes=_FWD)],
}
for _name, _cases in _RTX.items():
    INPUTS[f"sct.runtime.{_name}"] = [Case(c.expr, c.shapes, c.domains, modes=c.modes,
                                           imports=_RT + _name) for c in _cases]

# Rearrangements, np.diff and elementwise functions (sct/rules/manipulation_rules.py). Sorts are walked at
# distinct values: at ties their derivative is one of the one-sided ones.
_M = "from sct.runtime import "
_MANIPULATION = {
    "numpy.repeat": [Case("np.repeat(x, 2)", UNARY), Case("np.repeat(x, [1, 0, 2], axis=1)", [((2, 3),)]),
                     Case("np.repeat(x, 2, axis=-2)", [((2, 3),)])],
    "method.repeat": [Case("x.repeat(3)", ARRAY), Case("x.repeat(2, axis=0)", [((2, 3),)])],
    "numpy.tile": [Case("np.tile(x, 2)", UNARY), Case("np.tile(x, (2, 1, 2))", [((3,),), ((2, 3),)])],
    "numpy.roll": [Case("np.roll(x, 1)", ARRAY), Case("np.roll(x, -1, axis=1)", [((2, 3),)]),
                   Case("np.roll(x, (1, 2), axis=(0, 1))", [((2, 3),)])],
    "numpy.rot90": [Case("np.rot90(x)", [((2, 3),)]), Case("np.rot90(x, 3, axes=(1, 2))", [((2, 1, 3),)]),
                    Case("np.rot90(x, k=2)", [((2, 3),)])],
    "numpy.pad": [Case("np.pad(x, 1)", ARRAY), Case("np.pad(x, ((0, 1), (2, 0)), constant_values=1.5)",
                                                    [((2, 3),)]),
                  Case("np.pad(x, 2, constant_values=y)", [((3,), ()), ((2, 3), ())], _PAIR),
                  Case("np.pad(x, (1, 2), mode='edge')", ARRAY),
                  Case("np.pad(x, 1, mode='reflect')", [((3,),), ((2, 3),)]),
                  Case("np.pad(x, (2, 1), 'symmetric')", [((3,),)]),
                  Case("np.pad(x, 2, mode='wrap')", [((2, 3),)])],
    "numpy.sort": [Case("np.sort(x)", ARRAY), Case("np.sort(x, axis=0)", [((2, 3),)]),
                   Case("np.sort(x, axis=None)", [((2, 3),)])],
    "numpy.partition": [Case("np.partition(x, 1)", [((3,),), ((2, 3),)]),
                        Case("np.partition(x, 0, axis=0)", [((2, 3),)])],
    "numpy.diff": [Case("np.diff(x)", ARRAY), Case("np.diff(x, axis=0)", [((2, 3),)]),
                   Case("np.diff(x, n=2)", [((3,),), ((2, 3),)])],
    "numpy.conj": [Case("np.conj(x)", UNARY)],
    "numpy.conjugate": [Case("np.conjugate(x)", UNARY)],
    "method.conj": [Case("x.conj()", ARRAY)],
    "method.conjugate": [Case("x.conjugate()", ARRAY)],
    "numpy.real_if_close": [Case("np.real_if_close(x)", UNARY)],
    "numpy.logaddexp2": _binary("np.logaddexp2(x, y)", analytic=False),
    "numpy.nan_to_num": [Case("np.nan_to_num(x)", UNARY)],
    "sct.runtime.gather": [Case("gather(x, np.array([[2, 0], [-1, 2]]), np.ones(3))", [((3,),)],
                                imports=_M + "gather")],
    "sct.runtime.gather_adjoint": [Case("gather_adjoint(x, np.array([2, 0, -1, 2]), np.ones((1, 3)))",
                                        [((4,),)], imports=_M + "gather_adjoint")],
    "sct.runtime.pad_fill": [Case("pad_fill(x, np.array([-1, 0, -1]))", SCALAR, imports=_M + "pad_fill")],
    "sct.runtime.pad_fill_adjoint": [Case("pad_fill_adjoint(x, np.array([[-1, 0, -1]]))", [((1, 3),)],
                                          imports=_M + "pad_fill_adjoint")],
    "sct.runtime.diff_along": [Case("diff_along(x, np.ones((2, 3)), n=2)", [((2, 3),)],
                                    imports=_M + "diff_along")],
    "sct.runtime.diff_adjoint": [Case("diff_adjoint(x, np.ones((2, 3)), axis=0)", [((1, 3),)],
                                      imports=_M + "diff_adjoint")],
}
INPUTS.update(_MANIPULATION)
INPUTS["numpy.rollaxis"] = [Case("np.rollaxis(x, 1)", [((2, 3),)]),
                            Case("np.rollaxis(x, 2, start=1)", [((2, 1, 3),)]),
                            Case("np.rollaxis(x, 0, 3)", [((2, 1, 3),)])]
INPUTS["numpy.cross"] = [Case("np.cross(x, y)", [((3,), (3,)), ((2, 3), (3,)), ((3,), (2, 3))], _PAIR)]
_KNOTS = "np.array([-2.0, -0.5, 0.3, 1.0, 2.5]), np.array([1.0, 2.0, -1.0, 0.5, 0.0])"
INPUTS["numpy.interp"] = [Case(f"np.interp(x, {_KNOTS})", UNARY),  # no point at a knot: a kink there
                          Case("np.interp(x, [-1.0, 1.0], [2.0, -1.0], left=0.5, right=3.0)", UNARY)]

# scipy.special (special_rules.py)
_SP = "from scipy import special\nfrom scipy.special import _logsumexp"
_SPECIAL_CASES = {
    "erf": [Case("special.erf(x)", UNARY, analytic=True)],
    "erfc": [Case("special.erfc(x)", UNARY, analytic=True)],
    "expit": [Case("special.expit(x)", UNARY)],
    "logit": [Case("special.logit(0.4 * x + 0.5)", UNARY, ("unit",))],
    "xlogy": [Case("special.xlogy(x, y)", BINARY, ("real", "positive"))],
    "xlog1py": [Case("special.xlog1py(x, y)", BINARY, ("real", "positive"))],
    "gammaln": [Case("special.gammaln(x)", UNARY, ("positive",)),
                Case("special.gammaln(x - 2.55)", [((3,),)], ("unit",))],
    "digamma": [Case("special.digamma(x)", UNARY, ("positive",))],
    "psi": [Case("special.psi(x - 2.55)", UNARY, ("unit",))],
    "polygamma": [Case("special.polygamma(2, x)", UNARY, ("positive",))],
    "softmax": [Case("special.softmax(x)", ARRAY), Case("special.softmax(x, axis=1)", [((2, 3),)])],
    "_logsumexp.softmax": [Case("_logsumexp.softmax(x, axis=0)", [((2, 3),)])],
    "log_softmax": [Case("special.log_softmax(x)", ARRAY),
                    Case("special.log_softmax(x, axis=-1)", [((2, 3),)])],
    "_logsumexp.log_softmax": [Case("_logsumexp.log_softmax(x, axis=0)", [((2, 3),)])],
}
for _name, _cases in _SPECIAL_CASES.items():
    INPUTS["scipy.special." + _name] = [Case(c.expr, c.shapes, c.domains, c.analytic, imports=_SP)
                                        for c in _cases]
INPUTS["sct.runtime.polygamma"] = [Case("polygamma(1, x)", UNARY, ("positive",), imports=_RT + "polygamma")]
# numpy.linalg and scipy.linalg decompositions (decomposition_rules.py): at generic points (distinct
# eigenvalues and singular values), where the derivatives are defined
_EIGH = "lam, vec = np.linalg.eigh(x)"
INPUTS["numpy.linalg.eigh"] = [Case("lam", SQUARE, matrix="spd", setup=_EIGH),
                               Case("vec * vec[..., :1, :]", SQUARE, matrix="spd", setup=_EIGH),
                               Case("lam[-1] + vec * vec[:1, :]", [((3, 3),)], matrix="general", setup=_EIGH),
                               Case("lam[0] * vec * vec[-1:, :]", [((3, 3),)], matrix="general",
                                    setup="lam, vec = np.linalg.eigh(x, UPLO='U')")]
INPUTS["sct.runtime.symmetric_part"] = [
    Case("symmetric_part(x)", [((3, 3),), ((2, 3, 3),)], imports=_RT + "symmetric_part"),
    Case("symmetric_part(x, UPLO='U')", [((3, 3),)], imports=_RT + "symmetric_part")]
INPUTS["sct.runtime.symmetric_part_adjoint"] = [
    Case("symmetric_part_adjoint(x)", [((3, 3),), ((2, 3, 3),)], imports=_RT + "symmetric_part_adjoint"),
    Case("symmetric_part_adjoint(x, UPLO='U')", [((3, 3),)], imports=_RT + "symmetric_part_adjoint")]
_SLA = "from scipy import linalg"
INPUTS["scipy.linalg.solve_triangular"] = [
    Case("linalg.solve_triangular(x, y)", [((3, 3), (3,)), ((3, 3), (3, 2))], _PAIR, matrix="general",
         imports=_SLA),
    Case("linalg.solve_triangular(x, y, lower=True, trans='T')", [((3, 3), (3,))], _PAIR, matrix="general",
         imports=_SLA),
    Case("linalg.solve_triangular(x, y, trans=1, unit_diagonal=True)", [((3, 3), (3, 2))], _PAIR,
         matrix="general", imports=_SLA)]
INPUTS["scipy.linalg._basic.solve_triangular"] = [
    Case("solve_triangular(x, y, lower=True)", [((3, 3), (3,))], _PAIR, matrix="general",
         imports="from scipy.linalg._basic import solve_triangular")]
_TRI = "from sct.runtime import triangular_operator, triangular_tangent, triangular_adjoint"
INPUTS["sct.runtime.triangular_operator"] = [
    Case("triangular_operator(x, unit_diagonal=True)", [((3, 3),)], imports=_TRI),
    Case("triangular_operator(x, trans='T', lower=True)", [((3, 3),)], imports=_TRI)]
INPUTS["sct.runtime.triangular_tangent"] = [Case("triangular_tangent(x, trans=1, lower=True)", [((3, 3),)],
                                                 imports=_TRI)]
INPUTS["sct.runtime.triangular_adjoint"] = [Case("triangular_adjoint(x, trans=2, unit_diagonal=True)",
                                                 [((3, 3),)], imports=_TRI)]
INPUTS["numpy.linalg.matrix_power"] = [Case("np.linalg.matrix_power(x, 3)", SQUARE, matrix="general"),
                                       Case("np.linalg.matrix_power(x, -2)", SQUARE[1:], matrix="general"),
                                       Case("np.linalg.matrix_power(x, 1) + np.linalg.matrix_power(x, 0)",
                                            [((3, 3),)], matrix="general")]
INPUTS["scipy.linalg.expm"] = [Case("linalg.expm(0.5 * x)", SQUARE, matrix="general", imports=_SLA)]
INPUTS["scipy.linalg._matfuncs.expm"] = [Case("expm(x)", [((3, 3),)], matrix="general",
                                              imports="from scipy.linalg._matfuncs import expm")]
_BLK = "from sct.runtime import block_pair, upper_block, matrix_exp"
INPUTS["sct.runtime.matrix_exp"] = [Case("matrix_exp(x)", SQUARE, imports=_BLK)]
INPUTS["sct.runtime.block_pair"] = [Case("block_pair(x, y)", [((3, 3), (3, 3)), ((2, 3, 3), (3, 3))], _PAIR,
                                         imports=_BLK)]
INPUTS["sct.runtime.upper_block"] = [Case("upper_block(x)", [((4, 4),), ((2, 4, 4),)], imports=_BLK)]
_SVD = "u, s, vt = np.linalg.svd(x, full_matrices=False)"
INPUTS["numpy.linalg.svd"] = [
    Case("s", [((3, 3),), ((2, 3),), ((3, 2),), ((2, 3, 3),)], setup=_SVD),
    Case("u * u[..., :1, :]", [((3, 3),), ((2, 3),), ((3, 2),)], setup=_SVD),
    Case("vt * vt[..., :, :1]", [((3, 3),), ((2, 3),), ((3, 2),)], setup=_SVD),
    Case("u[..., :, :1] * vt[..., :1, :] + s[..., -1:, None]", [((2, 3, 3),), ((3, 2),)], setup=_SVD),
    Case("s[0] * u * vt.T", [((3, 3),)], setup="u, s, vt = np.linalg.svd(x)")]
INPUTS["sct.runtime.reduced_factor"] = [Case("reduced_factor(x, np.ones((3, 2)), False)", [((3, 2),)],
                                             imports=_RT + "reduced_factor")]
INPUTS["numpy.linalg.pinv"] = [Case("np.linalg.pinv(x)", [((3, 3),), ((2, 3),), ((3, 2),), ((2, 3, 2),)]),
                               Case("np.linalg.pinv(x, hermitian=False)", [((2, 3),)])]
_QR = "q, r = np.linalg.qr(x)"
INPUTS["numpy.linalg.qr"] = [Case("r", SQUARE, matrix="general", setup=_QR),
                             Case("q", SQUARE, matrix="general", setup=_QR),
                             Case("q * np.diagonal(r, axis1=-2, axis2=-1)[..., None, :]",
                                  [((3, 2),), ((2, 3, 2),)],
                                  setup=_QR),
                             Case("r * r[..., :, :1]", [((3, 2),)],
                                  setup="q, r = np.linalg.qr(x, mode='reduced')")]
INPUTS["sct.runtime.tall_factor"] = [Case("tall_factor(x, np.ones((3, 2)))", [((3, 2),)],
                                          imports=_RT + "tall_factor")]
_EIG = "lam, vec = np.linalg.eig(0.1 * x + np.diag(np.arange(1.0, np.shape(x)[-1] + 1)))"  # real, distinct
INPUTS["numpy.linalg.eig"] = [Case("lam", SQUARE, setup=_EIG),
                              Case("vec * vec[..., :1, :]", SQUARE, setup=_EIG),
                              Case("lam[..., :1, None] * vec * vec[..., -1:, :]", [((2, 3, 3),)], setup=_EIG)]
INPUTS["sct.runtime.real_eigenvectors"] = [Case("real_eigenvectors(x, np.ones(3))", [((3, 3),)],
                                                imports=_RT + "real_eigenvectors")]
INPUTS["numpy.einsum"] = INPUTS["numpy.einsum"] + [  # implicit output, repeated indices, a leading ellipsis
    Case("np.einsum('ii->i', x)", [((3, 3),)]),
    Case("np.einsum('ii', x)", [((3, 3),)]),
    Case("np.einsum('ij,jk', x, y)", [((2, 3), (3, 2))], _PAIR),
    Case("np.einsum('iij->j', x)", [((2, 2, 3),)]),
    Case("np.einsum('ij,jj->i', x, y)", [((2, 3), (3, 3))], _PAIR),
    Case("np.einsum('...ij,...j->...i', x, y)", [((2, 3, 3), (2, 3)), ((2, 3, 3), (3,)), ((3, 3), (2, 1, 3))],
         _PAIR),
    Case("np.einsum('...ii->...i', x)", [((2, 3, 3),)]),
    Case("np.einsum('...ii->...', x)[..., None] + np.einsum('...ij->...i', x)", [((2, 3, 3),), ((3, 3),)]),
    Case("np.einsum('...i,i', x, y)", [((2, 3), (3,))], _PAIR),
    Case("np.einsum('...j,ij->...i', x, y)", [((2, 2, 3), (2, 3))], _PAIR)]
_SV_ORDS = ("'nuc'", "2", "-2")  # matrix norms of singular values: second derivatives refused when run
INPUTS["numpy.linalg.norm"] = INPUTS["numpy.linalg.norm"] + [  # every ord, at points where it is smooth
    Case(f"np.linalg.norm(x, {o})", [((3, 3),), ((2, 3),)], ("nonzero",), second_order=o not in _SV_ORDS)
    for o in ("'nuc'", "2", "-2", "1", "-1", "np.inf", "-np.inf")] + [
    Case(f"np.linalg.norm(x, {o})", [((3,),), ((4,),)], ("nonzero",)) for o in ("1", "3", "np.inf", "-np.inf",
                                                                                  "-1", "0.5")]

# Python constructs (comprehensions and nested lists): the adjoint of np.array of a nested list
INPUTS["sct.runtime.unstack_like"] = [Case("unstack_like(x, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])[1][2]",
                                           [((2, 3),)], modes=_FWD, imports=_RT + "unstack_like")]

# Nested AD (sct/rules/nested_rules.py): the prologue helpers of an emitted module, differentiated again,
# and the adjoint of matmul_adjoint (reverse mode over reverse-mode code)
INPUTS["sct.runtime.float_input"] = [Case("float_input(x, 'x') * x", UNARY, imports=_RT + "float_input")]
INPUTS["sct.runtime.owned_input"] = [Case("owned_input(x) * x", UNARY, imports=_RT + "owned_input")]
INPUTS["sct.runtime.array_input"] = [Case("array_input(x, 'x', 'no list') * x", UNARY,
                                          imports=_RT + "array_input")]
INPUTS["sct.runtime.matmul_adjoint"] = INPUTS["sct.runtime.matmul_adjoint"] + [
    Case("matmul_adjoint(x, y, np.ones((3, 2)), 0)", [((2,), (3,)), ((4, 2), (4, 3))], _PAIR,
         imports=_RT + "matmul_adjoint", second_order=False),
    Case("matmul_adjoint(x, np.ones((2, 3)), y, 1)", [((2,), (3,)), ((2, 2), (3, 2))], _PAIR,
         imports=_RT + "matmul_adjoint", second_order=False)]
# Round two of numpy and scipy (sct/rules/splitting_rules.py, products_rules.py, ...): every output used,
# some only, by unpacking, by index and by iteration; size-1 axes; unsorted (overlapping) split points
_SPLIT = "a, b = np.split(x, 2)"
INPUTS["numpy.split"] = [
    Case("a * b[::-1] + a", [((2,),), ((4,),), ((2, 3),), ((2, 1),)], setup=_SPLIT),
    Case("np.sin(b)", [((4,),), ((2, 3),)], setup=_SPLIT),
    Case("a * c[..., :1]", [((1, 4),), ((3, 4),)], setup="a, b, c = np.split(x, [1, 3], axis=-1)"),
    Case("a ** 2 + c[:3]", [((5,),), ((5, 2),)], setup="a, b, c = np.split(x, [3, 1])"),
    Case("np.split(x, 3, axis=1)[2] * np.split(x, 3, axis=1)[0]", [((2, 3),), ((1, 6),)])]
INPUTS["numpy.array_split"] = [
    Case("a * c[:1] + b[-1] ** 2", [((5,),), ((4, 2),), ((3,),)], setup="a, b, c = np.array_split(x, 3)"),
    Case("r * x", [((4,),), ((2, 3),)],
         setup="r = sum(np.sum(p ** 2) for p in np.array_split(x, 3, axis=-1))"),
    Case("np.cos(np.array_split(x, 2, axis=0)[1])", [((3, 2),), ((1, 2),)])]
INPUTS["sct.runtime.split_adjoint"] = [
    Case("split_adjoint([x, y], np.ones((5, 2)), [2])", [((2, 2), (3, 2))], _PAIR,
         imports=_RT + "split_adjoint"),
    Case("split_adjoint([x, y], np.ones((2, 3)), [1], axis=1)", [((2, 1), (2, 2))], _PAIR,
         imports=_RT + "split_adjoint")]
INPUTS["numpy.tensordot"] = [
    Case("np.tensordot(x, y)", [((2, 3), (2, 3)), ((1, 2, 3), (2, 3, 2))], _PAIR),
    Case("np.tensordot(x, y, 1)", [((3,), (3,)), ((2, 3), (3, 1)), ((3,), (3, 2))], _PAIR),
    Case("np.tensordot(x, y, axes=0)", [((), (2,)), ((2,), (3,))], _PAIR),
    Case("np.tensordot(x, y, axes=([1, 0], [0, 2]))", [((3, 2), (2, 1, 3)), ((3, 2, 2), (2, 2, 3))], _PAIR),
    Case("np.tensordot(x, y, axes=(-1, 0))", [((2, 3), (3, 2))], _PAIR)]
INPUTS["numpy.cumprod"] = [
    Case("np.cumprod(x)", UNARY + [((2, 1, 2),)]),
    Case("np.cumprod(x, axis=1)", [((2, 3),), ((1, 4),), ((2, 1),)]),
    Case("np.cumprod(x, -2)", [((3, 2),), ((2, 3, 2),)], ("positive",)),
    Case("np.cumprod(x * (x > 0.5), axis=-1)", [((6,),), ((2, 4),)])]  # zeros inside the scan
INPUTS["method.cumprod"] = [Case("x.cumprod(axis=0)", [((3,),), ((3, 2),)])]
_PR = _RT + "along_last, from_last"
INPUTS["sct.runtime.along_last"] = [Case("along_last(x, 0)", [((2, 3),)], imports=_PR),
                                    Case("along_last(x)", [((2, 3),)], imports=_PR)]
INPUTS["sct.runtime.from_last"] = [Case("from_last(x, np.ones((3, 2)), 0)", [((2, 3),)], imports=_PR),
                                   Case("from_last(x, np.ones((3, 2)))", [((6,),)], imports=_PR)]
INPUTS["numpy.sinc"] = [Case("np.sinc(x)"),
                        Case("np.sinc(x * 1e-9) + np.sinc(x * 0.3)", [((3,),), ((2, 3),)])]
INPUTS["sct.runtime.sinc_derivative"] = [Case("sinc_derivative(x, 2)", imports=_RT + "sinc_derivative"),
                                         Case("sinc_derivative(x * 1e-8, 1)", [((3,),)],
                                              imports=_RT + "sinc_derivative")]
INPUTS["numpy.select"] = [
    Case("np.select([x > 0.5, x < -1.0], [x * 2.0, np.sin(x)], default=x ** 2)"),
    Case("np.select([x > 0.1], [y], x)", [((), ()), ((3,), (3,)), ((2, 3), (1, 3)), ((1, 3), (2, 1))], _PAIR),
    Case("np.select([x > 0.5, x > 0.1], [x, 3.0])", ARRAY),
    Case("np.select([y > 0.5, y < -1.0], [1.0, x], x * y)", [((3,), (3,)), ((), (2, 3))], _PAIR)]
_SEL = _RT + "select_tangent, select_adjoint, select_default_adjoint"
INPUTS["sct.runtime.select_tangent"] = [
    Case("select_tangent([x > 0.1, x < -1.0], [x, y], x * y, x)", [((3,), (3,)), ((2, 3), (1, 3))], _PAIR,
         imports=_SEL),
    Case("select_tangent([x > 0.1], 0.0, y, x)", [((3,), (3,))], _PAIR, imports=_SEL)]
INPUTS["sct.runtime.select_adjoint"] = [Case("select_adjoint(x, [x > 0.1, x < -1.0], [np.ones(3), 1.0])[1]",
                                             [((3,),), ((2, 3),)], modes=_FWD, imports=_SEL)]
INPUTS["sct.runtime.select_default_adjoint"] = [Case("select_default_adjoint(x, [x > 0.1], np.ones(3))",
                                                     [((3,),), ((2, 3),)], modes=_FWD, imports=_SEL)]
INPUTS["numpy.gradient"] = [
    Case("np.gradient(x)", [((2,),), ((3,),), ((5,),)]),
    Case("np.gradient(x, 0.5, edge_order=2)", [((3,),), ((5,),)]),
    Case("np.gradient(x, axis=1)", [((2, 3),), ((1, 4),)]),
    Case("np.gradient(x, np.array([0.0, 0.5, 1.5, 1.75]), axis=0, edge_order=2)", [((4,),), ((4, 2),)]),
    Case("np.gradient(x, -0.3, axis=-1, edge_order=1) * x", [((3, 3),)]),
    Case("gy", [((3, 2),), ((3, 3),)], setup="gx, gy = [np.gradient(x, 0.5, axis=k) for k in range(2)]")]
_GR = _RT + "gradient_along, gradient_adjoint"
INPUTS["sct.runtime.gradient_along"] = [Case("gradient_along(x, 0.2, axis=0, edge_order=2)", [((4, 2),)],
                                             imports=_GR)]
INPUTS["sct.runtime.gradient_adjoint"] = [Case("gradient_adjoint(x, np.ones((3, 4)), axis=1)", [((3, 4),)],
                                               imports=_GR)]
_SIGNED = "v, s = logsumexp(x, b=y, return_sign=True)"
INPUTS["scipy.special.logsumexp:signed"] = [
    Case("v", [((3,), (3,)), ((2, 3), (2, 3)), ((1,), (1,))], ("real", "nonzero"), setup=_SIGNED,
         imports=_LSE),
    Case("v * s + x", [((2, 3), (3,)), ((2, 1), (2, 3))], ("real", "nonzero"), imports=_LSE,
         setup="v, s = logsumexp(x, axis=-1, b=y, keepdims=True, return_sign=True)"),
    Case("logsumexp(x, axis=0, return_sign=True)[0]", [((3,),), ((2, 3),)], imports=_LSE)]
INPUTS["scipy.special.logsumexp"] = INPUTS["scipy.special.logsumexp"] + [  # a broadcast against b
    Case("logsumexp(x, axis=-1, b=y)", [((2, 1), (2, 3))], ("real", "positive"), imports=_LSE)]
INPUTS["scipy.special._logsumexp.logsumexp:signed"] = [
    Case("logsumexp(x, b=-1.0, return_sign=True)[0]", [((3,),)],
         imports="from scipy.special._logsumexp import logsumexp")]
INPUTS["numpy.linalg.svd:values"] = [
    Case("np.linalg.svd(x, compute_uv=False)", [((3, 3),), ((2, 3),), ((3, 2),), ((2, 3, 2),), ((1, 3),)]),
    Case("np.linalg.svd(x, full_matrices=False, compute_uv=False) ** 2", [((3, 3),)])]
_CHO = "from scipy.linalg import cho_factor, cho_solve"
INPUTS["scipy.linalg.cho_factor"] = [
    Case("c", [((3, 3),), ((1, 1),)], matrix="spd", imports=_CHO, setup="c, low = cho_factor(x)"),
    Case("c * 2.0", [((3, 3),)], matrix="spd", imports=_CHO, setup="c, low = cho_factor(x, lower=True)"),
    Case("f[0]", [((2, 2),)], matrix="spd", imports=_CHO, setup="f = cho_factor(x)")]
INPUTS["scipy.linalg.cho_solve"] = [
    Case("cho_solve(cho_factor(x), y)", [((3, 3), (3,)), ((3, 3), (3, 2)), ((1, 1), (1,))], _PAIR,
         matrix="spd", imports=_CHO),
    Case("cho_solve((c, low), y) * c[0, 0]", [((3, 3), (3,)), ((2, 2), (2, 1))], _PAIR, matrix="spd",
         imports=_CHO, setup="c, low = cho_factor(x, lower=True)"),
    Case("cho_solve(f, y) + cho_solve(f, y * y)", [((3, 3), (3, 2))], _PAIR, matrix="spd", imports=_CHO,
         setup="f = cho_factor(x, lower=False)")]
INPUTS["scipy.linalg._decomp_cholesky.cho_factor"] = [
    Case("f[0]", [((2, 2),)], matrix="spd", setup="f = cho_factor(x)",
         imports="from scipy.linalg._decomp_cholesky import cho_factor")]
INPUTS["scipy.linalg._decomp_cholesky.cho_solve"] = [
    Case("cho_solve((x, False), y)", [((2, 2), (2,))], _PAIR, matrix="spd",
         imports="from scipy.linalg._decomp_cholesky import cho_solve")]
_CHR = _RT + "cho_lower, cho_lower_adjoint, cho_rest, cho_rest_adjoint, cho_read, cho_read_adjoint"
INPUTS["sct.runtime.cho_lower"] = [Case("cho_lower([x, 0.0], (x, True)) + cho_lower([x], (x, False))",
                                        [((3, 3),)], imports=_CHR)]
INPUTS["sct.runtime.cho_lower_adjoint"] = [Case("cho_lower_adjoint(x, (x, False))[0]", [((3, 3),)],
                                                imports=_CHR)]
INPUTS["sct.runtime.cho_rest"] = [Case("cho_rest(x, (x, True))[0] * 2.0", [((3, 3),)], imports=_CHR)]
INPUTS["sct.runtime.cho_rest_adjoint"] = [Case("cho_rest_adjoint([x, 0.0], (x, False))", [((3, 3),)],
                                               imports=_CHR)]
INPUTS["sct.runtime.cho_read"] = [Case("cho_read(x, (x, False))", [((3, 3),)], imports=_CHR)]
INPUTS["sct.runtime.cho_read_adjoint"] = [Case("cho_read_adjoint(x, (x, True))", [((3, 3),)], imports=_CHR)]
_LSTSQ = "sol, res, rank, sv = np.linalg.lstsq(x, y, rcond=None)"
INPUTS["numpy.linalg.lstsq"] = [
    Case("sol", [((4, 2), (4,)), ((3, 3), (3, 2)), ((2, 3), (2,)), ((3, 1), (3, 2))], _PAIR, setup=_LSTSQ),
    Case("sol * 2.0", [((1, 1), (1,)), ((2, 2), (2, 3))], _PAIR, matrix="general", setup=_LSTSQ),
    Case("res", [((4, 2), (4,)), ((3, 2), (3, 2))], _PAIR, setup=_LSTSQ),
    Case("sv * sol[0] + res[:1]", [((4, 2), (4,)), ((3, 1), (3, 2))], _PAIR, setup=_LSTSQ),
    Case("np.linalg.lstsq(x, y)[0] * 2.0", [((3, 2), (3,))], _PAIR)]
_LSR = _RT + "full_rank, lstsq_residuals, lstsq_residuals_adjoint, residuals_back"
INPUTS["sct.runtime.full_rank"] = [Case("full_rank(x, 2)", [((3, 2),)], imports=_LSR)]
INPUTS["sct.runtime.lstsq_residuals"] = [Case("lstsq_residuals(x, np.ones(2))", [((2,),)], imports=_LSR),
                                         Case("lstsq_residuals(x, np.ones(0))", [((2,),)], imports=_LSR)]
INPUTS["sct.runtime.lstsq_residuals_adjoint"] = [
    Case("lstsq_residuals_adjoint(x, np.ones(2)) * np.ones((3, 1))", [((2,),)], imports=_LSR, modes=_FWD)]
INPUTS["sct.runtime.residuals_back"] = [Case("residuals_back(x, np.ones(2), np.ones(2))", [((2,),)],
                                             imports=_LSR, modes=_FWD)]
INPUTS["numpy.einsum"] = INPUTS["numpy.einsum"] + [  # an ellipsis after labels; the sublist form
    Case("np.einsum('i...j->...', x)", [((2, 3, 4),), ((2, 3),), ((1, 2, 1, 3),)]),
    Case("np.einsum('i...j,j->...i', x, y)", [((2, 3, 4), (4,)), ((2, 1, 3, 2), (2,))], _PAIR),
    Case("np.einsum('i...j,...->i...', x, y)", [((2, 1, 4), (2, 3)), ((2, 3, 4), (3,)), ((2, 4), (3,))],
         _PAIR),
    Case("np.einsum('...i,i...->i...', x, y)", [((2, 3), (3, 2)), ((3,), (3, 2, 2))], _PAIR),
    Case("np.einsum(x, [0, 1], y, [1, 2], [0, 2])", [((2, 3), (3, 2)), ((1, 3), (3, 1))], _PAIR),
    Case("np.einsum(x, [Ellipsis, 0, 0], [Ellipsis, 0])", [((2, 3, 3),), ((3, 3),)]),
    Case("np.einsum(x, [1, 0], y, [1, 2])", [((3, 2), (3, 2))], _PAIR)]
_TRIPLE = ("real", "real", "real")
# gmm's batched product; a chain of three; labels of length 1 in one operand only (numpy broadcasts them)
INPUTS["numpy.einsum"] = INPUTS["numpy.einsum"] + [
    Case("np.einsum('ijk,mik->mij', x, y)", [((2, 3, 2), (3, 2, 2)), ((1, 2, 1), (3, 1, 1))], _PAIR),
    Case("np.einsum('ij,jk,kl->il', x, y, z)", [((2, 3), (3, 1), (1, 2)), ((1, 2), (2, 2), (2, 3))], _TRIPLE),
    Case("np.einsum('ij,ij,j->', x, y, z, optimize=True)", [((2, 3), (1, 3), (3,))], _TRIPLE)]
_CONTRACT = _RT + "contract"  # the helper np.einsum is computed by; emitted derivatives call it
INPUTS["sct.runtime.contract"] = [
    Case("contract('ijk,mik->mij', x, y)", [((2, 3, 2), (3, 2, 2)), ((1, 2, 1), (3, 1, 1))], _PAIR,
         imports=_CONTRACT),
    Case("contract('ij,jk->ik', x, y)", [((2, 3), (3, 2)), ((1, 3), (3, 1))], _PAIR, imports=_CONTRACT),
    Case("contract('ij,jk,k->i', x, y, z)", [((2, 3), (3, 2), (2,))], _TRIPLE, imports=_CONTRACT),
    Case("contract('ii,ij->j', x, y)", [((3, 3), (3, 2))], _PAIR, imports=_CONTRACT),
    Case("contract('...i,i', x, y)", [((2, 3), (3,)), ((3,), (1,))], _PAIR, imports=_CONTRACT),
    Case("contract(',i->i', x, y)", [((), (3,))], _PAIR, imports=_CONTRACT),
    Case("contract('ij->', x)", [((2, 3),)], imports=_CONTRACT)]
INPUTS["sct.runtime.einsum_fit"] = [  # summed over leading axes and where the target has length 1, broadcast
    Case("einsum_fit(x, np.ones((2, 1, 3)))", [((1, 3),), ((4, 2, 5, 3),), ((2, 1, 1),), ((2, 1, 3),)],
         imports=_RT + "einsum_fit")]
# Python containers: list, tuple, sorted, max/min of one sequence, and the helpers their derivatives call
_C3 = "[x[0], x[1] * 2, x[2] - 1]"  # distinct values at the points of "real": (0.0, -1.4, 0.1)
INPUTS["builtins.list"] = [Case("np.stack(list(x))", ARRAY), Case("np.stack(list([x, 2 * x]))", UNARY)]
INPUTS["builtins.tuple"] = [Case("np.stack(tuple(x))", ARRAY), Case("np.stack(tuple([x, np.sin(x)]))", UNARY)]
INPUTS["builtins.sorted"] = [Case(f"np.array(sorted({_C3}))", [((3,),)]),
                             Case("np.array(sorted(x))", [((3,),)]),
                             Case(f"np.array(sorted({_C3}, reverse=True))", [((3,),)]),
                             Case(f"np.array(sorted({_C3}, key=abs))", [((3,),)])]
INPUTS["builtins.max.items"] = [Case(f"max({_C3})", [((3,),)]), Case("max(x)", [((3,),)]),
                                Case(f"max({_C3}, key=abs)", [((3,),)]),
                                Case("max(list(np.sin(x)))", [((3,),)])]
INPUTS["builtins.min.items"] = [Case(f"min({_C3})", [((3,),)]), Case("min(x)", [((3,),)])]
INPUTS["sct.runtime.items_adjoint"] = [Case("items_adjoint([x[0], x[1]], np.ones(2))", [((2,),)], modes=_FWD,
                                            imports=_RT + "items_adjoint")]
INPUTS["sct.runtime.permute"] = [Case("np.stack(permute(x, [2, 0, 1], np.ones(3)))", [((3,),), ((3, 2),)],
                                      modes=_FWD, imports=_RT + "permute")]
INPUTS["sct.runtime.unpermute"] = [Case("unpermute([x[0], x[1], x[2]], [2, 0, 1], np.ones(3))", [((3,),)],
                                        modes=_FWD, imports=_RT + "unpermute")]
INPUTS["sct.runtime.item_adjoint"] = [Case("item_adjoint(x, np.ones(3), 1)", [((),)], modes=_FWD,
                                           imports=_RT + "item_adjoint"),
                                      Case("np.stack(item_adjoint(x, [1.0, 2.0], 0))", [((),)], modes=_FWD,
                                           imports=_RT + "item_adjoint")]
INPUTS["sct.runtime.add_items"] = [Case("np.stack(add_items([x, 2 * x, 3 * x], slice(1, None), [x * x, x]))",
                                        UNARY, modes=_FWD, imports=_RT + "add_items"),
                                   Case("add_items({'a': x, 'b': x}, 'a', np.sin(x))['a']", UNARY, modes=_FWD,
                                        imports=_RT + "add_items")]
INPUTS["sct.runtime.dict_set"] = [Case("dict_set({'a': x, 'b': 2 * x}, 'a', np.sin(x))['a'] * "
                                       "dict_set({'a': x, 'b': x}, 'b', x * x)['b']", UNARY,
                                       imports=_RT + "dict_set"),
                                  Case("dict_set({'a': x}, 'c', np.sin(x))['c'] + "
                                       "dict_set({'a': 1.0}, 'b', x)['b']", UNARY, imports=_RT + "dict_set")]
INPUTS["sct.runtime.dict_set_adjoint"] = [Case("dict_set_adjoint({'a': x, 'b': 2 * x}, 'a', {'a': 1.0})['b']",
                                               UNARY, modes=_FWD, imports=_RT + "dict_set_adjoint")]
# everyday calls: methods and math functions of the numpy rules, heaviside, eigvalsh (distinct eigenvalues)
INPUTS["method.clip"] = [Case("x.clip(-0.5, 0.5)", ARRAY), Case("x.clip(y, 0.5)", [((3,), (3,)), ((3,), ())],
                                                         ("real", "nonzero"))]
INPUTS["math.erf"] = [Case("math.erf(x)", SCALAR)]
INPUTS["math.erfc"] = [Case("math.erfc(x)", SCALAR)]
INPUTS["math.lgamma"] = [Case("math.lgamma(x)", SCALAR, ("positive",))]
INPUTS["math.fsum"] = [Case("math.fsum(x)", [((1,),), ((3,),)]),
                       Case("math.fsum([x, y, x])", [((), ())], ("real", "real"))]
INPUTS["numpy.heaviside"] = [Case("np.heaviside(x, y)", BINARY, ("nonzero", "real")),
                             Case("np.heaviside(0.0 * x, y)", BINARY, ("real", "real"))]
INPUTS["numpy.linalg.eigvalsh"] = [Case("np.linalg.eigvalsh(x)", SQUARE, matrix="spd"),
                                   Case("np.linalg.eigvalsh(x, UPLO='U')", [((3, 3),)], matrix="general")]
INPUTS["sct.runtime.distinct_eigenvalues"] = [
    Case("distinct_eigenvalues(x, np.array([-0.5, 0.0, 2.0]))", imports=_RT + "distinct_eigenvalues")]
INPUTS["numpy.polyval"] = [Case("np.polyval(x, y)", [((3,), ()), ((1,), (3,)), ((3,), (2, 3)), ((2,), (1,))],
                                ("real", "real")),
                           Case("np.polyval([1.5, -2.0, 0.5], x)"), Case("np.polyval(x, 0.0)", ARRAY[:2])]
# adj(a) = det(a) inv(a), also at singular matrices (a column zeroed), and its derivatives along a direction
# (linear in it; a derivative through the fixed matrix is refused: adjugate's own second derivatives are
# det's third, see test_constant_arguments.py)
_FIXED = "np.array([[2.0, 0.3, -0.1], [0.2, 1.5, 0.4], [0.1, -0.3, 1.8]])"
INPUTS["sct.runtime.adjugate"] = [Case("adjugate(x)", SQUARE, matrix="general", imports=_RT + "adjugate",
                                       second_order=False),
                                  Case("adjugate(x * np.array([1.0, 1.0, 0.0]))", [((3, 3),), ((2, 3, 3),)],
                                       matrix="general", imports=_RT + "adjugate", second_order=False)]
INPUTS["sct.runtime.adjugate_tangent"] = [Case(f"adjugate_tangent({_FIXED}, x)", [((3, 3),), ((2, 3, 3),)],
                                               imports=_RT + "adjugate_tangent")]
INPUTS["sct.runtime.adjugate_adjoint"] = [Case(f"adjugate_adjoint({_FIXED}, x)", [((3, 3),), ((2, 3, 3),)],
                                               imports=_RT + "adjugate_adjoint")]
# helpers of list code: a 0-d array kept an array, the adjoint of a list, writes of list slices (the
# adjoint helpers have tangents only: reverse mode over them is refused)
INPUTS["sct.runtime.kept_zero_dim"] = [Case("kept_zero_dim(x * 2.0, x) * x", UNARY,
                                            imports=_RT + "kept_zero_dim"),
                                       Case("kept_zero_dim(np.sum(x) + 1.0, np.array(0.0)) * x", ARRAY,
                                            imports=_RT + "kept_zero_dim")]
INPUTS["sct.runtime.list_adjoint"] = [
    Case("list_adjoint(x, [1.0, 2.0, 3.0])[2] * x", [((3,),), ((3, 2),)], modes=_FWD,
         imports=_RT + "list_adjoint"),
    Case("list_adjoint([x, 2 * x], [1.0, 2.0])[1] * x", ARRAY, modes=_FWD, imports=_RT + "list_adjoint")]
INPUTS["sct.runtime.slice_written"] = [
    Case("slice_written([x, 2 * x, x * x], slice(0, 2), [1.0, 2.0, 3.0], [0.0, 0.0])[1] * x", ARRAY,
         modes=_FWD, imports=_RT + "slice_written"),
    Case("slice_written([x[0], x[1] * x[0], x[2]], slice(1, 3), [1.0, 2.0, 3.0], np.zeros(2))", [((3,),)],
         modes=_FWD, imports=_RT + "slice_written")]
INPUTS["sct.runtime.slice_cleared"] = [
    Case("slice_cleared([x, 2 * x, x * x, 3 * x], slice(1, 2), [1.0, 2.0, 3.0])[2] * x", ARRAY,
         modes=_FWD, imports=_RT + "slice_cleared"),
    Case("slice_cleared([x, x * x, 3 * x], slice(0, 3, 2), [1.0, 2.0, 3.0])[1]", ARRAY,
         modes=_FWD, imports=_RT + "slice_cleared")]
