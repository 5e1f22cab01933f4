"""Rules for Python operators, builtins and the ``math`` module (scalars)."""
# ruff: noqa: F821, F841  (template bodies use names bound when they are spliced)
import ast

import numpy as np

from ..ir.astutil import literal_number
from ..ir.builders import call, load
from ..runtime import broadcast_like, sum_adjoint, unbroadcast, unreduce  # noqa: F401
from .core import SAFE, adjoint, elementwise, generator, nondiff, nondiff_except, primitive, tangent
from .templates import fold, is_zero, tangent_assignment

# Vector mode: the arithmetic rules broadcast over a leading batch axis (forward mode aligns the operands
# that broadcast, see sct/vector_rules.py); `+` and `*` on lists join and repeat them: refused there.
primitive("op.Add", "numpy.add", "op.Sub", "numpy.subtract", "op.Mult", "numpy.multiply", "op.Div",
          "numpy.divide", "numpy.true_divide", "op.USub", "numpy.negative", "op.UAdd", "numpy.positive",
          "builtins.float", "builtins.sum", "math.fsum", "numpy.where", batch=SAFE)
primitive("op.Add", "op.Mult", refuses_sequences=True)
# see sct/analysis/exact_zeros.py: adjoints that are exact zeros where a partial may not be finite
primitive("op.Div", "numpy.divide", "numpy.true_divide", singular=("x", "y"), regular_when_positive=("y",),
          vanishes_at_inf=("y",))
primitive("op.Mult", "numpy.multiply", masked_by=("x", "y"))
primitive("numpy.where", selects=("x", "y"))
primitive("numpy.maximum", "builtins.max", "numpy.minimum", "builtins.min", "numpy.fmax", "numpy.fmin",
          selects=("x", "y"))
primitive("numpy.clip", selects=("x", "a_min", "a_max"))


def _binary_signature(x, y):
    pass


def _sum_tangent(site, op: ast.operator) -> list:
    """``z_dot = x_dot +/- y_dot``; with one input inactive the tangent is that of the other input alone,
    which is narrower than ``z`` when the inactive input broadcast it (``np.sum(x + y)``), so it is
    broadcast to ``z``'s shape."""
    x, y = site.bound["x"], site.bound["y"]
    total = fold(ast.BinOp(left=site.dot(x), op=op, right=site.dot(y)))
    narrowing = [a for a in (x, y) if is_zero(site.dot(a)) and not isinstance(a, ast.Constant)]
    target = site.targets[0]
    if narrowing and not is_zero(total):
        total = call("broadcast_like", total, load(target))
    return tangent_assignment(site, total)


@generator("op.Add", "numpy.add", mode="tangent", signature=_binary_signature)
def _add_tangent(site) -> list:
    return _sum_tangent(site, ast.Add())


@generator("op.Sub", "numpy.subtract", mode="tangent", signature=_binary_signature)
def _sub_tangent(site) -> list:
    return _sum_tangent(site, ast.Sub())


@adjoint("op.Add", "numpy.add")
def _add(z, x, y):
    x_bar = unbroadcast(z_bar, x)
    y_bar = unbroadcast(z_bar, y)


@adjoint("op.Sub", "numpy.subtract")
def _sub(z, x, y):
    x_bar = unbroadcast(z_bar, x)
    y_bar = -unbroadcast(z_bar, y)


@tangent("op.Mult", "numpy.multiply")
def _mul(z, x, y):
    z_dot = x_dot * y + x * y_dot


@adjoint("op.Mult", "numpy.multiply")
def _mul(z, x, y):
    x_bar = unbroadcast(z_bar * y, x)
    y_bar = unbroadcast(x * z_bar, y)


@tangent("op.Div", "numpy.divide", "numpy.true_divide")
def _div(z, x, y):
    z_dot = (x_dot - z * y_dot) / y


@adjoint("op.Div", "numpy.divide", "numpy.true_divide")
def _div(z, x, y):
    x_bar = unbroadcast(z_bar / y, x)
    y_bar = unbroadcast(-z_bar * z / y, y)


@tangent("op.USub", "numpy.negative")
def _neg(z, x):
    z_dot = -x_dot


@adjoint("op.USub", "numpy.negative")
def _neg(z, x):
    x_bar = -z_bar


@tangent("op.UAdd", "numpy.positive", "builtins.float")
def _pos(z, x, dtype=None):
    z_dot = x_dot


@adjoint("op.UAdd", "numpy.positive", "builtins.float")
def _pos(z, x, dtype=None):
    x_bar = z_bar


@tangent("builtins.sum", "math.fsum")
def _builtin_sum(z, x, start=0):
    z_dot = sum(x_dot) + start_dot


@adjoint("builtins.sum", "math.fsum")
def _builtin_sum(z, x, start=0):
    x_bar = sum_adjoint(z_bar, x)
    start_bar = unbroadcast(z_bar, start)


def _whole_exponent(bound) -> bool:
    """``x ** 2``, ``x ** 0``: a literal whole exponent, with which the partial in ``x`` is finite."""
    y = bound.get("y")
    return isinstance(y, ast.Constant) and type(y.value) in (int, float) and float(y.value).is_integer() \
        and y.value >= 0


def _large_exponent(bound) -> bool:
    """May ``x ** y`` overflow where a product of its operands would not (``2.0 ** 1100``)? Not for a
    literal exponent up to 2 (a negative one is singular at 0, see ``regular_when``)."""
    y = bound.get("y")
    return not (isinstance(y, ast.Constant) and type(y.value) in (int, float) and y.value <= 2)


def _negative_exponent(bound) -> tuple:
    """``x ** y`` for a literal ``y < 0`` is 0 where ``x`` is ``+inf``, and so is its partial in ``x``,
    ``y * x ** (y - 1)`` (its partial in ``y``, ``z * log(x)``, is no derivative: ``y`` is a literal)."""
    y = literal_number(bound["y"]) if "y" in bound else None
    return ("x",) if y is not None and y < 0 else ()


primitive("op.Pow", "numpy.power", "builtins.pow", "math.pow", regular_when=_whole_exponent,
          overflows=_large_exponent, vanishes_at_inf=_negative_exponent)


# y's term is zero where y's tangent is: an integer exponent (a parameter, a loop counter, a taped value)
# with a zero tangent gives no log(x) of a negative base
@elementwise("op.Pow", "numpy.power", "builtins.pow", "math.pow", guarded=("y",), singular=("x",))
def _pow(z, x, y):  # exact where x == 0: d(x**0)/dx = 0, d(0**y)/dy = 0 (y > 0), as autograd and JAX
    return y * np.power(np.where(y == 0, 1.0, x), y - 1), z * np.log(np.where(x == 0, 1.0, x))


@elementwise("op.Mod", "numpy.mod", "numpy.remainder", singular=("y",))
def _mod(z, x, y):
    return 1, -np.floor_divide(x, y)


@elementwise("math.fmod", "numpy.fmod", singular=("y",))
def _fmod(z, x, y):  # x - trunc(x / y) * y: the quotient rounds toward zero, not down
    return 1, -np.trunc(x / y)


@elementwise("builtins.abs", "numpy.abs", "numpy.absolute", "numpy.fabs", "math.fabs")
def _abs(z, x):
    return np.sign(x)


@elementwise("math.sin", "numpy.sin")
def _sin(z, x):
    return np.cos(x)


@elementwise("math.cos", "numpy.cos")
def _cos(z, x):
    return -np.sin(x)


@elementwise("math.tan", "numpy.tan")
def _tan(z, x):
    return 1 + z ** 2


@elementwise("math.asin", "numpy.arcsin", singular=("x",))
def _asin(z, x):
    return 1 / np.sqrt(1 - x ** 2)


@elementwise("math.acos", "numpy.arccos", singular=("x",))
def _acos(z, x):
    return -1 / np.sqrt(1 - x ** 2)


@elementwise("math.atan", "numpy.arctan")
def _atan(z, x):
    return 1 / (1 + x ** 2)


@elementwise("math.atan2", "numpy.arctan2", singular=("y", "x"))
def _atan2(z, y, x):
    return x / (x ** 2 + y ** 2), -y / (x ** 2 + y ** 2)


@elementwise("math.hypot", "numpy.hypot", singular=("x", "y"))
def _hypot(z, x, y):
    return x / z, y / z


@elementwise("math.sinh", "numpy.sinh")
def _sinh(z, x):
    return np.cosh(x)


@elementwise("math.cosh", "numpy.cosh")
def _cosh(z, x):
    return np.sinh(x)


@elementwise("math.tanh", "numpy.tanh")
def _tanh(z, x):
    return 1 - z ** 2


@elementwise("math.asinh", "numpy.arcsinh")
def _asinh(z, x):
    return 1 / np.sqrt(x ** 2 + 1)


@elementwise("math.acosh", "numpy.arccosh", singular=("x",))
def _acosh(z, x):
    return 1 / np.sqrt(x ** 2 - 1)


@elementwise("math.atanh", "numpy.arctanh", singular=("x",))
def _atanh(z, x):
    return 1 / (1 - x ** 2)


@elementwise("math.exp", "numpy.exp")
def _exp(z, x):
    return z


@elementwise("numpy.exp2")
def _exp2(z, x):
    return z * np.log(2.0)


@elementwise("math.expm1", "numpy.expm1")
def _expm1(z, x):
    return z + 1


# finite partials that overflow to inf at a finite input (np.exp(710.0)): see sct/analysis/exact_zeros.py
primitive("math.exp", "numpy.exp", "numpy.exp2", "math.expm1", "numpy.expm1", "math.sinh", "numpy.sinh",
          "math.cosh", "numpy.cosh", overflows=True)


@elementwise("math.log", "numpy.log", singular=("x",))
def _log(z, x):
    return 1 / x


@elementwise("math.log1p", "numpy.log1p", singular=("x",))
def _log1p(z, x):
    return 1 / (1 + x)


@elementwise("math.log2", "numpy.log2", singular=("x",))
def _log2(z, x):
    return 1 / (x * np.log(2.0))


@elementwise("math.log10", "numpy.log10", singular=("x",))
def _log10(z, x):
    return 1 / (x * np.log(10.0))


@elementwise("math.sqrt", "numpy.sqrt", singular=("x",))
def _sqrt(z, x):
    return 0.5 / z


@elementwise("numpy.cbrt", singular=("x",))
def _cbrt(z, x):
    return 1 / (3 * z ** 2)


# singular at 0 alone, finite beyond it up to +inf: no guard where sct/analysis/positive_values.py proves
# the argument >= 1 (x ** y and gammaln are not: their partials are infinite at +inf)
primitive("math.log", "numpy.log", "math.log1p", "numpy.log1p", "math.log2", "numpy.log2", "math.log10",
          "numpy.log10", "math.sqrt", "numpy.sqrt", "numpy.cbrt", regular_when_positive=("x",))


@elementwise("numpy.square")
def _square(z, x):
    return 2 * x


@elementwise("numpy.reciprocal", singular=("x",))
def _reciprocal(z, x):
    return -z ** 2


primitive("numpy.reciprocal", regular_when_positive=("x",), vanishes_at_inf=("x",))


@elementwise("numpy.logaddexp")
def _logaddexp(z, x, y):
    return np.exp(x - z), np.exp(y - z)


@elementwise("numpy.maximum", "builtins.max", may_narrow=True)
def _maximum(z, x, y):
    return 0.5 + 0.5 * np.sign(x - y), 0.5 - 0.5 * np.sign(x - y)  # ties share; keeps x's precision


@elementwise("numpy.minimum", "builtins.min", may_narrow=True)
def _minimum(z, x, y):
    return 0.5 - 0.5 * np.sign(x - y), 0.5 + 0.5 * np.sign(x - y)


# fmax/fmin return the operand that is not NaN: the operand the result equals gets the derivative, ties
# share it, and a NaN operand gets none (so fmax(x, nan) has derivative 1 in x)
@elementwise("numpy.fmax", "numpy.fmin", may_narrow=True)
def _fmax_fmin(z, x, y):
    return (0.5 * np.equal(z, x).astype(z.dtype)
            + 0.5 * (np.equal(z, x) & np.not_equal(z, y)).astype(z.dtype),
            0.5 * np.equal(z, y).astype(z.dtype)
            + 0.5 * (np.equal(z, y) & np.not_equal(z, x)).astype(z.dtype))


# clip(x, lo, hi) is minimum(maximum(x, lo), hi): exactly one operand gets each entry's derivative: x
# where lo <= x == z (clip(x, lo, None) == x, which also reads lo=None) unless lo == z == hi, else hi
# where z == hi (this covers lo == hi, where the result is hi whatever x is, and lo > hi), else lo
@elementwise("numpy.clip", "method.clip", may_narrow=True)
def _clip(z, x, a_min, a_max):  # masks in z's dtype (float32 stays float32)
    return ((np.equal(z, x) & np.equal(np.clip(x, a_min, None), x)
             & ~(np.equal(z, a_min) & np.equal(z, a_max))).astype(z.dtype),
            (~(np.equal(z, x) & np.equal(np.clip(x, a_min, None), x)
               & ~(np.equal(z, a_min) & np.equal(z, a_max))) & np.not_equal(z, a_max)
             & np.equal(z, a_min)).astype(z.dtype),
            (~(np.equal(z, x) & np.equal(np.clip(x, a_min, None), x)
               & ~(np.equal(z, a_min) & np.equal(z, a_max))) & np.equal(z, a_max)).astype(z.dtype))


@tangent("numpy.where")
def _where(z, condition, x, y):
    z_dot = broadcast_like(np.where(condition, x_dot, y_dot), z)


@adjoint("numpy.where")
def _where(z, condition, x, y):
    x_bar = unbroadcast(np.where(condition, z_bar, 0.0), x)
    y_bar = unbroadcast(np.where(condition, 0.0, z_bar), y)


nondiff(
    "builtins.len", "builtins.range", "builtins.int", "builtins.bool", "builtins.round",
    "builtins.isinstance", "builtins.print", "builtins.slice",
    "math.floor", "math.ceil", "math.trunc", "math.isnan", "math.isinf", "math.isfinite", "math.isclose",
    # of integers only (a float is a TypeError): a loop counter's binomial coefficients and factorials
    "math.factorial", "math.comb", "math.perm", "math.gcd", "math.lcm", "math.isqrt",
    "op.FloorDiv", "op.BitAnd", "op.BitOr", "op.BitXor", "op.Invert", "op.Not", "op.LShift", "op.RShift",
)

# Iterators over their arguments' items: the items carry the derivative, which sct does not follow.
nondiff_except("builtins.enumerate", "builtins.reversed", "builtins.zip",
               carrying=lambda args, keywords: list(args),
               hint="loop over indices instead: `for i in range(len(x))` (or reversed(range(...))) and "
               "read x[i]")
