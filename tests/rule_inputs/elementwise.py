"""Elementwise functions (numpy, math, operators, builtins on numbers), casts and values built from
arguments."""
from __future__ import annotations

from typing import Dict, List

from rule_inputs.cases import ARRAY, BINARY, PAIR, RT, SCALAR, SCALARS, UNARY, Case, binary, extend, unary

INPUTS: Dict[str, List[Case]] = {}
INPUTS.update(unary(["sin", "cos", "sinh", "cosh", "tanh", "exp", "exp2", "expm1", "arctan", "arcsinh",
                     "negative", "square"], "numpy"))
INPUTS.update(unary(["tan", "arcsin", "arccos", "arctanh"], "numpy", "unit"))
INPUTS.update(unary(["log", "log10", "log2", "log1p", "sqrt"], "numpy", "positive"))
INPUTS.update(unary(["arccosh"], "numpy", "above1"))
INPUTS.update(unary(["reciprocal"], "numpy", "nonzero"))
INPUTS.update(unary(["cbrt"], "numpy", "nonzero", analytic=False))
INPUTS.update(unary(["real"], "numpy", analytic=False))
for _name in ("abs", "absolute", "fabs"):  # at 0 too: both one-sided slopes average to the rule's sign(0) = 0
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x)", second_order=False),
                                Case(f"np.{_name}(x)", domains=("nonzero",))]
INPUTS.update(unary(["sin", "cos", "sinh", "cosh", "tanh", "exp", "expm1", "atan", "asinh"], "math",
                    analytic=False, shapes=SCALAR))
INPUTS.update(unary(["tan", "asin", "acos", "atanh"], "math", "unit", analytic=False, shapes=SCALAR))
INPUTS.update(unary(["log", "log10", "log2", "log1p", "sqrt"], "math", "positive", analytic=False,
                    shapes=SCALAR))
INPUTS.update(unary(["acosh"], "math", "above1", analytic=False, shapes=SCALAR))
INPUTS.update(unary(["fabs"], "math", "nonzero", analytic=False, shapes=SCALAR))
INPUTS["numpy.positive"] = [Case("np.positive(x)", analytic=True)]
INPUTS["numpy.copy"] = [Case("np.copy(x)")]
INPUTS["numpy.array"] = [Case("np.array(x)"), Case("np.array([x, y])", BINARY[:4], ("real", "real"))]
INPUTS["numpy.asarray"] = [Case("np.asarray(x)")]
INPUTS["numpy.ascontiguousarray"] = [Case("np.ascontiguousarray(x)")]
for _name in ("add", "subtract", "multiply"):
    INPUTS[f"numpy.{_name}"] = binary(f"np.{_name}(x, y)")
INPUTS["numpy.logaddexp"] = binary("np.logaddexp(x, y)", analytic=False)
for _name in ("divide", "true_divide"):
    INPUTS[f"numpy.{_name}"] = binary(f"np.{_name}(x, y)", ("real", "nonzero"))
for _name in ("maximum", "minimum", "fmax", "fmin"):
    INPUTS[f"numpy.{_name}"] = binary(f"np.{_name}(x, y)", ("real", "nonzero"), analytic=False)
for _name in ("fmod", "mod", "remainder"):
    INPUTS[f"numpy.{_name}"] = binary(f"np.{_name}(x, y)", ("nonzero", "wide"), analytic=False)
INPUTS["numpy.power"] = binary("np.power(x, y)", ("positive", "real")) + [Case("np.power(x, 3)")]
INPUTS["numpy.arctan2"] = binary("np.arctan2(x, y)", ("real", "positive"), analytic=False)
INPUTS["numpy.hypot"] = binary("np.hypot(x, y)", ("nonzero", "nonzero"), analytic=False)
INPUTS["numpy.where"] = binary("np.where(x > 0, x, y)", ("nonzero", "real"), analytic=False)
INPUTS["numpy.clip"] = [Case("np.clip(x, -0.5, 0.5)")]
INPUTS["op.Add"] = binary("x + y")
INPUTS["op.Sub"] = binary("x - y")
INPUTS["op.Mult"] = binary("x * y")
INPUTS["op.Div"] = binary("x / y", ("real", "nonzero"))
INPUTS["op.Mod"] = binary("x % y", ("nonzero", "wide"), analytic=False)
INPUTS["op.Pow"] = binary("x ** y", ("positive", "real")) + [Case("x ** 2", analytic=True),
                                                             Case("x ** 3", analytic=True)]
INPUTS["op.USub"] = [Case("-x", analytic=True)]
INPUTS["op.UAdd"] = [Case("+x", analytic=True)]
INPUTS["builtins.abs"] = [Case("abs(x)", SCALAR, ("nonzero",)), Case("abs(x)", ARRAY, second_order=False)]
INPUTS["builtins.float"] = [Case("float(x)", SCALAR)]
INPUTS["builtins.max"] = binary("max(x, y)", ("real", "nonzero"), analytic=False, shapes=SCALARS)
INPUTS["builtins.min"] = binary("min(x, y)", ("real", "nonzero"), analytic=False, shapes=SCALARS)
INPUTS["builtins.pow"] = binary("pow(x, y)", ("positive", "real"), analytic=False, shapes=SCALARS)
INPUTS["builtins.sum"] = [Case("sum(x)", ARRAY), Case("sum([x, y, x])", BINARY[:3], ("real", "real"))]
INPUTS["math.atan2"] = binary("math.atan2(x, y)", ("real", "positive"), analytic=False, shapes=SCALARS)
INPUTS["math.hypot"] = binary("math.hypot(x, y)", ("nonzero", "nonzero"), analytic=False, shapes=SCALARS)
INPUTS["math.pow"] = binary("math.pow(x, y)", ("positive", "real"), analytic=False, shapes=SCALARS)
INPUTS["math.fmod"] = binary("math.fmod(x, y)", ("nonzero", "wide"), analytic=False, shapes=SCALARS)
# More arguments, axes and shapes per rule: N-d batches, tuples of axes, keyword spellings.
_MORE: Dict[str, List[Case]] = {
    "numpy.where": [Case("np.where(x > 0, x, y)", [((2, 3), (3,)), ((3,), ())], ("nonzero", "real")),
                    Case("np.where(y > 0, x, 2.0)", [((3,), (3,))], ("real", "nonzero"))],
    "numpy.clip": [Case("np.clip(x, y, 0.5)", [((3,), (3,)), ((3,), ())], ("real", "nonzero")),
                   Case("np.clip(x, y, y)", [((3,), (3,)), ((1, 3), (3, 1))], ("real", "nonzero")),
                   Case("np.clip(x, y + 0.5, y)", [((3,), (3,)), ((3,), ())], ("real", "nonzero")),
                   Case("np.clip(x, None, y)", [((3,), (3,))], ("real", "nonzero"))],
    "numpy.fmax": [Case("np.fmax(x, np.where(y > 0, np.nan, y))", [((3,), (3,)), ((1, 3), (3, 1))],
                        ("real", "nonzero")),
                   Case("np.fmax(np.where(y > 0, np.nan, y), x)", [((3,), (3,))], ("real", "nonzero"))],
    "numpy.fmin": [Case("np.fmin(x, np.where(y > 0, np.nan, y))", [((3,), (3,)), ((1, 3), (3, 1))],
                        ("real", "nonzero"))],
    "numpy.power": [Case("np.power(x, y)", [((2, 3), (1, 3))], ("positive", "real"))],
    "op.Pow": [Case("x ** 2.5", UNARY, ("positive",)), Case("x ** -1", UNARY, ("nonzero",)),
               Case("2.0 ** x", UNARY), Case("x ** 0.5", UNARY, ("positive",))],
    "numpy.array": [Case("np.array([[x, y], [y, x]])", BINARY[:3], PAIR)],
    "builtins.sum": [Case("sum(x, 1.0)", ARRAY), Case("sum([x, y], x)", BINARY[:4], PAIR)],
}
extend(INPUTS, _MORE)
# Casts, values built from arguments, and their helpers.
for _name in ("float64", "double", "longdouble"):
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x) * 2.0", UNARY)]
for _name in ("float32", "single", "float16", "half"):  # rounded: differences of the cast are noise
    INPUTS[f"numpy.{_name}"] = [Case(f"np.{_name}(x) * np.zeros(np.shape(x)) + x", UNARY)]
INPUTS["numpy.full"] = [Case("np.full((2, 3), x)", [((),), ((3,),), ((1, 3),)]),
                        Case("np.full(3, x, dtype=float)", SCALAR)]
INPUTS["numpy.full_like"] = [Case("np.full_like(y, x)", [((), (2, 3)), ((3,), (2, 3))], PAIR),
                             Case("np.full_like(np.ones(3), x)", SCALAR)]
INPUTS["numpy.linspace"] = [Case("np.linspace(x, y, 4)", [((), ()), ((3,), ()), ((2, 3), (3,))], PAIR),
                            Case("np.linspace(x, y, 3, endpoint=False, axis=-1)", [((3,), (3,))], PAIR)]
INPUTS["math.copysign"] = binary("math.copysign(x, y)", ("nonzero", "nonzero"), analytic=False,
                                 shapes=SCALARS)
INPUTS["numpy.copysign"] = binary("np.copysign(x, y)", ("nonzero", "nonzero"), analytic=False)
INPUTS["numpy.sinc"] = [Case("np.sinc(x)"),
                        Case("np.sinc(x * 1e-9) + np.sinc(x * 0.3)", [((3,),), ((2, 3),)])]
INPUTS["sct.runtime.sinc_derivative"] = [Case("sinc_derivative(x, 2)", imports=RT + "sinc_derivative"),
                                         Case("sinc_derivative(x * 1e-8, 1)", [((3,),)],
                                              imports=RT + "sinc_derivative")]
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
