"""Which values are bounded below by 1 (``>= 1``), whatever the inputs: ``1 + np.exp(-x)`` (the
logistic's denominator), ``np.sum(np.exp(a)) + 2``, ``np.cosh(x)``, ``np.maximum(x, 1.0)``.

A rule whose singular partials are finite at such an argument (``1 / y``, ``np.log``, ``np.sqrt``: singular
at 0 only) declares it with ``regular_when_positive=("y",)``, and its terms there get no guard
(:mod:`sct.modes.guards`) and its result counts as finite (:func:`sct.analysis.exact_zeros.unbounded_values`).

Why 1 and not any ``c > 0``: a partial at ``y >= c`` is bounded by its value at ``c``, and that must be finite
in every float dtype and at every order the modes differentiate: ``np.reciprocal``'s ``-z ** 2`` overflows
at ``y = 1e-200`` (float64) or ``1e-30`` (float32), ``1 / y ** 3`` of a second derivative sooner, and a
literal ``1e-46`` is 0 in float32. At ``y >= 1`` every such partial is at most its value at 1, and
``-z_bar * z / y`` of ``x / y`` is at most ``|x|``.

The facts, over floats (rounding is monotone, so a sum of a nonnegative value and 1 is ``>= 1``):

* nonnegative: a literal ``>= 0``; ``exp``, ``exp2``, ``cosh``; a sum of nonnegative values; a product of
  nonnegative values each of which is finite or multiplies one that is never 0 (positive, or a literal
  ``> 0``): ``np.exp(800.0) * np.exp(-800.0)`` is ``inf * 0``, NaN (``infinite``: the names that may be
  infinite, or NaN by an overflow); a sum or maximum of one (over axes; not ``np.mean``, NaN over no
  entries); a power of one by a literal ``>= 1`` (``b ** 2``: its partial is finite at 0); ``np.where``
  of two; a positive value. (Not ``abs``, squares of any value or ``sqrt``: an integer's wraps around,
  ``sqrt`` of a negative is NaN.)
* positive (``>= 1``): a literal ``>= 1``; ``cosh``; a positive value plus a nonnegative one (either order);
  the larger of a positive value and any other (``np.fmax``), or any other that is finite or nonnegative
  (``np.maximum``, NaN where either is: ``np.exp(800.0) - np.exp(800.0)`` is ``inf - inf``); a power of a
  positive value by a literal ``>= 0`` (``b ** 3``, ``np.power(b, 0.5)``); ``np.where`` of two.
* a sum, product or power (``+``, ``*``, ``np.sum``, ``**``) counts only where it is computed in floats, an
  operand being a float (a float literal, ``exp``, ``cosh``, a quotient, ...): an integer's wraps around
  (``np.maximum(k, 1) + 255`` is 0 for a ``uint8`` ``k`` of 1).

NaN is never proved away: a name that may be NaN or infinite at finite inputs (``unbounded``, see
:func:`sct.analysis.exact_zeros.unbounded_values`) is not positive. A name counts when every assignment to
it does; a name bound any other way (a parameter, a loop target, an unpacking, an augmented assignment, an
index or attribute write, the receiver of a method that may change it, an ``out=``) never does.
"""
from __future__ import annotations

import ast
import math
from typing import Callable, List, Optional, Set

from ..ir.astutil import literal_number, walk
from ..ir.blocks import all_statements

_NONNEGATIVE_CALLS = {"numpy.exp", "math.exp", "numpy.exp2"}
_POSITIVE_CALLS = {"numpy.cosh", "math.cosh"}
_REDUCTIONS = {"numpy.sum", "numpy.max", "numpy.amax"}  # (a, axis); the methods (axis) of their receiver
_REDUCING_METHODS = {"method.sum", "method.max"}
_SUMS = {"numpy.sum", "method.sum"}
_SIGN_KEEPING = {"axis", "keepdims"}  # not dtype (an integer's wraps around), out, initial or where
_FLOOR = 1  # see the module docstring
# methods that leave their receiver as it is
_READING_METHODS = {"sum", "mean", "max", "min", "prod", "copy", "reshape", "astype", "ravel", "flatten",
                    "transpose", "squeeze", "dot", "item", "any", "all", "cumsum", "clip", "conj"}


def positive_values(func: ast.FunctionDef, qualname_of: Callable[[ast.expr], Optional[str]],
                    unbounded: Set[str], infinite: Set[str]) -> Set[str]:
    """Names of ``func`` whose values are ``>= 1`` (see the module docstring); ``qualname_of(node)``
    gives a call's qualified name (or None); ``unbounded``: names that may be NaN or infinite at finite
    inputs other than by an overflow to ``+inf``; ``infinite``: names that may be infinite, or NaN, in any
    way (by an overflow too: :func:`sct.analysis.exact_zeros.unbounded_values` with ``overflow``)."""
    return Signs(func, qualname_of, unbounded, infinite).positive


class Signs:
    """The names of a function proved ``>= 1`` (``positive``) and ``>= 0`` (``nonnegative``, which holds
    the positive ones); the arguments are those of :func:`positive_values`."""

    def __init__(self, func: ast.FunctionDef, qualname_of: Callable[[ast.expr], Optional[str]],
                 unbounded: Set[str], infinite: Set[str]):
        self.qualname_of = qualname_of
        self.infinite = infinite
        defined: dict = {}
        for stmt in _plain_assignments(func):
            defined.setdefault(stmt.targets[0].id, []).append(stmt.value)
        tainted = _otherwise_bound(func) | unbounded
        self.definitions = {name: values for name, values in defined.items() if name not in tainted}
        self.positive: Set[str] = set()
        self.nonnegative: Set[str] = set()
        self.floating: Set[str] = set()
        changed = True
        while changed:  # the least fixed point: a name joins once all its definitions are proved
            changed = False
            for name, values in self.definitions.items():
                if name not in self.floating and all(self.is_floating(v) for v in values):
                    self.floating.add(name)
                    changed = True
                if name not in self.positive and all(self.is_positive(v) for v in values):
                    self.positive.add(name)
                    changed = True
                if name not in self.nonnegative and all(self.is_nonnegative(v) for v in values):
                    self.nonnegative.add(name)
                    changed = True

    def is_positive(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Constant):
            return _number(node) is not None and _number(node) >= _FLOOR
        if isinstance(node, ast.Name):
            return node.id in self.positive
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and self.is_floating(node):
            return self.is_positive(node.left) and self.is_nonnegative(node.right) \
                or self.is_nonnegative(node.left) and self.is_positive(node.right)
        power = self._power(node)
        if power is not None:
            return power[1] >= 0 and self.is_positive(power[0])
        if isinstance(node, ast.Call) and not node.keywords:
            qualname = self.qualname_of(node)
            if qualname in _POSITIVE_CALLS and len(node.args) == 1:
                return True
            if qualname == "numpy.where" and len(node.args) == 3:  # the condition is no NaN
                return all(self.is_positive(a) for a in node.args[1:])
            if qualname == "numpy.fmax" and len(node.args) == 2:  # the larger, or the one not NaN
                return any(self.is_positive(a) for a in node.args)
            if qualname == "numpy.maximum" and len(node.args) == 2:  # NaN where either is
                return any(self.is_positive(a) for a in node.args) \
                    and all(self.is_nonnegative(a) or self.is_finite(a) for a in node.args)
        return False

    def is_nonnegative(self, node: ast.expr) -> bool:
        if self.is_positive(node):
            return True
        if isinstance(node, ast.Constant):
            return _number(node) is not None and _number(node) >= 0
        if isinstance(node, ast.Name):
            return node.id in self.nonnegative
        power = self._power(node)
        if power is not None:  # from 1 up: its partial is finite at 0, at most the exponent times it beyond 1
            return power[1] >= 1 and self.is_nonnegative(power[0])
        if isinstance(node, ast.BinOp):
            if not (isinstance(node.op, (ast.Add, ast.Mult)) and self.is_floating(node)
                    and self.is_nonnegative(node.left) and self.is_nonnegative(node.right)):
                return False
            left, right = node.left, node.right
            return isinstance(node.op, ast.Add) or (self.is_finite(left) or self.is_nonzero(right)) \
                and (self.is_finite(right) or self.is_nonzero(left))  # inf * 0 is NaN
        if isinstance(node, ast.Call):
            qualname = self.qualname_of(node)
            if qualname in _NONNEGATIVE_CALLS or qualname in _POSITIVE_CALLS:
                return len(node.args) == 1 and not node.keywords
            if qualname == "numpy.where" and len(node.args) == 3 and not node.keywords:
                return all(self.is_nonnegative(a) for a in node.args[1:])
            reduced = _reduced(node, qualname)
            return reduced is not None and self.is_nonnegative(reduced) \
                and (self.is_floating(reduced) or qualname not in _SUMS)
        return False

    def is_nonzero(self, node: ast.expr) -> bool:
        """Is the value surely not 0: positive, or a literal above 0?"""
        if isinstance(node, ast.Constant):
            return _number(node) is not None and _number(node) > 0
        return self.is_positive(node)

    def is_finite(self, node: ast.expr) -> bool:
        """Is the value surely not infinite (a literal, or names not ``infinite`` and operators on them;
        a product of large finite values is not counted, see :mod:`sct.analysis.exact_zeros`)?"""
        if isinstance(node, ast.Constant):
            return _number(node) is not None and math.isfinite(_number(node))
        if isinstance(node, ast.Name):
            return node.id not in self.infinite
        if isinstance(node, ast.BinOp):
            return self.is_finite(node.left) and self.is_finite(node.right)
        return False

    def is_floating(self, node: ast.expr) -> bool:
        """Is the value surely a float (not an integer, which wraps around)?"""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, float)
        if isinstance(node, ast.Name):
            return node.id in self.floating
        if isinstance(node, ast.BinOp):
            return isinstance(node.op, ast.Div) or self.is_floating(node.left) or self.is_floating(node.right)
        if isinstance(node, ast.Call):
            qualname = self.qualname_of(node)
            if qualname in _NONNEGATIVE_CALLS or qualname in _POSITIVE_CALLS:
                return True
            if qualname in ("numpy.maximum", "numpy.fmax", "numpy.power") and not node.keywords:
                return any(self.is_floating(a) for a in node.args)
            if qualname == "numpy.where" and len(node.args) == 3 and not node.keywords:
                return any(self.is_floating(a) for a in node.args[1:])
            reduced = _reduced(node, qualname)
            return reduced is not None and self.is_floating(reduced)
        return False


    def _power(self, node: ast.expr):
        """``(base, exponent)`` of a power by a literal computed in floats (``b ** 3``, ``np.power(b, 0.5)``;
        an integer's wraps around), or None."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            base, exponent = node.left, node.right
        elif isinstance(node, ast.Call) and not node.keywords and len(node.args) == 2 \
                and self.qualname_of(node) == "numpy.power":
            base, exponent = node.args
        else:
            return None
        value = literal_number(exponent)
        return (base, value) if value is not None and self.is_floating(node) else None


def _reduced(node: ast.Call, qualname: Optional[str]) -> Optional[ast.expr]:
    """The array a sum or maximum over axes (:data:`_REDUCTIONS`, :data:`_REDUCING_METHODS`) reduces."""
    if any(k.arg not in _SIGN_KEEPING for k in node.keywords):
        return None
    if qualname in _REDUCTIONS and 1 <= len(node.args) <= 2:
        return node.args[0]
    if qualname in _REDUCING_METHODS and isinstance(node.func, ast.Attribute) and len(node.args) <= 1:
        return node.func.value
    return None


def regular_at_positive(rule, bound: dict, positive: Set[str]) -> bool:
    """Are ``rule``'s singular partials finite at these arguments, its ``regular_when_positive`` ones bound
    to names in ``positive``?"""
    params = rule.extra.get("regular_when_positive", ())
    return bool(params) and all(isinstance(bound.get(p), ast.Name) and bound[p].id in positive
                                for p in params)


def _number(node: ast.Constant):
    value = node.value
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _plain_assignments(func: ast.FunctionDef) -> List[ast.Assign]:
    return [stmt for stmt in all_statements(func) if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)]


def _otherwise_bound(func: ast.FunctionDef) -> Set[str]:
    """Names bound or changed other than by a plain ``name = value``."""
    return {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)} | written_otherwise(func)


def written_otherwise(func: ast.FunctionDef) -> Set[str]:
    """Names written or changed in ``func``'s body other than by a plain ``name = value`` (an augmented
    assignment, a loop target, an index write, ``x.fill(...)``, ``out=``...)."""
    plain_ids = {id(stmt.targets[0]) for stmt in _plain_assignments(func)}
    found: Set[str] = set()
    for node in walk(func):
        written = isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del))
        if isinstance(node, ast.Name) and written and id(node) not in plain_ids:
            found.add(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and written:
            root = node.value
            while isinstance(root, (ast.Subscript, ast.Attribute)):
                root = root.value
            if isinstance(root, ast.Name):
                found.add(root.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.attr not in _READING_METHODS:
            found.add(node.func.value.id)  # x.fill(...), x.sort(): a method may change its receiver
        if isinstance(node, ast.Call) and any(k.arg == "out" for k in node.keywords):
            found |= {n.id for k in node.keywords if k.arg == "out" for n in ast.walk(k.value)
                      if isinstance(n, ast.Name)}
    return found
