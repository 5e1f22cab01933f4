"""Keywords of reductions and ``np.diff`` that sct differentiates as other calls (see call_forms.py):

* ``np.sum(a, where=w)`` is ``np.sum(np.where(where_mask(w, a), a, 0.0))`` (``np.prod``: with 1.0): the
  entries left out add nothing, and their derivative is 0. ``where_mask`` (sct/runtime/reductions.py)
  broadcasts the mask to ``a``'s shape and refuses one numpy would refuse (a float mask); it is declared
  constant, so a mask that varies with the inputs is refused at transform time.
* ``np.mean(a, axis, keepdims=, where=w)`` is ``np.sum(np.where(m, a, 0.0), axis, ...) / np.sum(m, axis,
  ...)`` with ``m = where_mask(w, a)``: the mean of the entries kept (NaN where none is, as numpy's).
* ``np.sum(a, axis, initial=c)`` is ``np.sum(a, axis) + c`` (``np.prod``: times ``c``), with ``where=`` and
  ``keepdims=`` as they were, as numpy computes it (an empty ``a`` gives ``c``).
* ``np.max(a, axis, initial=c)`` is ``np.max`` of ``a`` joined with ``c`` along ``axis`` (``np.min`` alike;
  ``axis=None``: of ``a`` flattened and ``c``), so that an empty ``a`` gives ``c``, as numpy does.
* ``np.diff(a, prepend=p, append=q)`` is ``np.diff`` of ``np.concatenate([p, a, q], axis)``, a scalar
  ``p`` or ``q`` broadcast to ``a``'s shape with one entry along ``axis``, as numpy does.

* ``np.clip(a, min=lo, max=hi)``, ``x.clip(min=lo)``, ``x.clip(lo)``: the bounds by position,
  ``np.clip(a, lo, hi)`` with ``None`` for a bound not given.

The other keywords stay where they were (``axis``, ``keepdims``, ``n``); a method call (``a.sum(where=w)``)
is rewritten the same way.
"""
from __future__ import annotations

import ast
import copy
from typing import Callable, Dict, List, Optional

from ..ir.astutil import Substitute
from .core import RuleError

_NEUTRAL = {"sum": 0.0, "prod": 1.0}
_EXTREMUM = {"max": "maximum", "amax": "maximum", "min": "minimum", "amin": "minimum"}
_EDGE = ("np.broadcast_to({v}, np.shape(a)[:axis % np.ndim(a)] + (1,) + np.shape(a)[axis % np.ndim(a) + 1:]) "
         "if np.ndim({v}) == 0 else {v}")


def rewrite_keywords(library: str, name: str, args: List[ast.expr], keywords: List[ast.keyword],
                     numpy: Optional[str], flatten: Callable[[ast.expr], ast.expr]) -> Optional[ast.expr]:
    """The call in a form without the keyword sct rewrites, or None when it has none of them."""
    named = {k.arg: k.value for k in keywords}
    if name in _NEUTRAL and "initial" in named and library in ("numpy", "method"):
        rest = [k for k in keywords if k.arg != "initial"]
        reduced = _call_again(library, name, args[0], args, rest, set(), numpy)
        joined = ast.Add() if name == "sum" else ast.Mult()
        return ast.BinOp(left=reduced, op=joined, right=named["initial"])
    if name in _NEUTRAL and "where" in named:
        operand = _expression(f"np.where(where_mask(w, a), a, {_NEUTRAL[name]})", numpy, name,
                              {"a": flatten(args[0]), "w": named["where"]})
        return _call_again(library, name, operand, args, keywords, {"where"}, numpy)
    if name == "mean" and "where" in named and library in ("numpy", "method"):
        a = flatten(args[0])
        mask = flatten(_expression("where_mask(w, a)", numpy, name, {"a": a, "w": named["where"]}))
        kept = _expression("np.where(m, a, 0.0)", numpy, name, {"a": copy.deepcopy(a), "m": mask})
        total = _call_again(library, "sum", kept, args, keywords, {"where"}, numpy)
        count = _call_again(library, "sum", copy.deepcopy(mask), copy.deepcopy(args), copy.deepcopy(keywords),
                            {"where"}, numpy)
        return ast.BinOp(left=total, op=ast.Div(), right=count)
    if name == "clip" and library in ("numpy", "method"):
        return _clip_bounds(library, args, keywords, numpy)
    if name in _EXTREMUM and "initial" in named and library in ("numpy", "method"):
        if "where" in named:
            raise RuleError(f"sct differentiates np.{name} with initial= or where=, not both",
                            hint=f"mask first: np.{name}(np.where(w, a, initial), axis=...)")
        return _extremum_with_initial(name, args, named, numpy, flatten)
    if library == "numpy" and name == "diff" and ("prepend" in named or "append" in named):
        axis = named.get("axis", args[2] if len(args) > 2 else ast.Constant(value=-1))
        values = {"a": flatten(args[0]), "axis": axis}
        parts = []
        for keyword in ("prepend", "append"):
            if keyword in named:
                values[keyword] = flatten(named[keyword])
                parts.append(_EDGE.format(v=keyword))
            if keyword == "prepend":
                parts.append("a")
        joined = _expression(f"np.concatenate([{', '.join(parts)}], axis=axis)", numpy, name, values)
        kept = [k for k in keywords if k.arg not in ("prepend", "append")]
        return ast.Call(func=_numpy_attribute(numpy, "diff", name), args=[joined] + list(args[1:]),
                        keywords=kept)
    return None


def _extremum_with_initial(name: str, args: List[ast.expr], named: Dict[str, ast.expr], numpy: Optional[str],
                           flatten: Callable[[ast.expr], ast.expr]) -> ast.expr:
    """``np.max(a, axis, initial=c)`` as the extremum of ``a`` joined with ``c`` along ``axis`` (all of
    ``a`` flattened for ``axis=None``): an empty ``a`` gives ``c``, as numpy does."""
    if len(args) > 2 or set(named) - {"axis", "keepdims", "initial"}:
        raise RuleError(f"sct differentiates np.{name}(a, axis, keepdims=, initial=) with keywords",
                        hint=f"write np.{name}(a, axis=..., initial=c)")
    axis = named.get("axis", args[1] if len(args) > 1 else ast.Constant(value=None))
    keepdims = named.get("keepdims", ast.Constant(value=False))
    literal = axis.operand if isinstance(axis, ast.UnaryOp) and isinstance(axis.op, ast.USub) else axis
    written = isinstance(literal, ast.Constant) and (literal.value is None or type(literal.value) is int)
    flags = isinstance(keepdims, ast.Constant) and keepdims.value in (False, True)
    if not written or literal.value is None and (literal is not axis or not flags):
        raise RuleError(f"sct differentiates np.{name} with initial= along one axis, or all of them, written "
                        "in the call", hint=f"write np.{name}(a, axis=0, initial=c) or axis=None")
    kind, extremum = ("max", "maximum") if name in ("max", "amax") else ("min", "minimum")
    values = {"a": flatten(args[0]), "c": named["initial"], "axis": axis, "keepdims": keepdims}
    if literal.value is None:
        joined = f"np.{kind}(np.concatenate([np.reshape(a, (-1,)), np.reshape(c, (1,))]))"
        text = f"np.reshape({joined}, (1,) * np.ndim(a))" if keepdims.value else joined
    else:
        edge = "np.shape(a)[:axis % np.ndim(a)] + (1,) + np.shape(a)[axis % np.ndim(a) + 1:]"
        text = (f"np.{extremum}(a, c) if np.ndim(a) == 0 and axis in (0, -1) else "  # numpy reads no axis
                f"np.{kind}(np.concatenate([a, np.broadcast_to(c, {edge})], axis=axis), axis=axis, "
                "keepdims=keepdims)")
    return _expression(text, numpy, name, values)


def _clip_bounds(library: str, args: List[ast.expr], keywords: List[ast.keyword],
                 numpy: Optional[str]) -> Optional[ast.expr]:
    """``clip`` with both bounds by position, as numpy reads them: ``np.clip(a, min=lo, max=hi)`` (either
    keyword alone, never with ``a_min``/``a_max``), ``x.clip(lo, hi)`` with ``min``/``max`` by position or
    keyword. None: the call is left as it is (written so already, or as numpy refuses it, or with
    keywords sct does not rewrite: refused where the call is bound)."""
    named = {k.arg: k.value for k in keywords}
    if set(named) - {"min", "max"} or not named and len(args) >= 3:
        return None
    if library == "numpy":
        if not named or len(args) > 1:
            return None
        bounds = [named.get("min", ast.Constant(value=None)), named.get("max", ast.Constant(value=None))]
        return ast.Call(func=_numpy_attribute(numpy, "clip", "clip"), args=[args[0]] + bounds, keywords=[])
    bounds = list(args[1:])
    for i, name in enumerate(("min", "max")):
        if i >= len(bounds):
            bounds.append(named.pop(name, ast.Constant(value=None)))
    if named or len(bounds) != 2 or all(isinstance(b, ast.Constant) and b.value is None for b in bounds):
        return None  # a bound given twice, or none: numpy raises, and so does the call kept
    return ast.Call(func=ast.Attribute(value=args[0], attr="clip", ctx=ast.Load()), args=bounds, keywords=[])


def _call_again(library: str, name: str, operand: ast.expr, args: List[ast.expr], keywords: List[ast.keyword],
                dropped: set, numpy: Optional[str]) -> ast.expr:
    rest = [k for k in keywords if k.arg not in dropped]
    if library == "method":
        return ast.Call(func=ast.Attribute(value=operand, attr=name, ctx=ast.Load()), args=list(args[1:]),
                        keywords=rest)
    return ast.Call(func=_numpy_attribute(numpy, name, name), args=[operand] + list(args[1:]), keywords=rest)


def _numpy_attribute(numpy: Optional[str], attr: str, name: str) -> ast.expr:
    if numpy is None:
        raise RuleError(f"sct differentiates this form of {name} as numpy calls, made through numpy imported "
                        "as a module", hint="write `import numpy as np`")
    return ast.Attribute(value=ast.Name(id=numpy, ctx=ast.Load()), attr=attr, ctx=ast.Load())


def _expression(text: str, numpy: Optional[str], name: str, values: Dict[str, ast.expr]) -> ast.expr:
    """``text`` with ``values`` put in; its own nodes placed where the first value is written (the
    rewritten call's operand), so that an error in them points into the call."""
    numpy_name = _numpy_attribute(numpy, "sum", name).value.id
    tree = ast.parse(text, mode="eval").body
    at = next(iter(values.values()))
    if hasattr(at, "lineno"):
        for node in ast.walk(tree):
            ast.copy_location(node, at)
    return Substitute(values, numpy_name).visit(tree)
