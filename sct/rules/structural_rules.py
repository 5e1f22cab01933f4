"""Rules built by code rather than templates: variadic ``einsum``, joining arrays, and indexing."""
from __future__ import annotations

import ast
from typing import List

from ..ir.astutil import clone
from ..ir.builders import assign
from ..ir.builders import call as _call
from ..ir.builders import load as _name
from . import einsum_subscripts
from .call_forms import CONTRACT
from .core import SAFE, RuleError, generator, primitive
from .templates import CallSite, Contribution, is_zero, sum_terms, tangent_assignment

primitive("numpy.concatenate", "numpy.stack", takes_lists=True, batch=SAFE)


def _einsum_signature(subscripts, *operands, optimize=False):
    pass


def _parse_subscripts(site: CallSite) -> tuple:
    node = site.bound.get("subscripts")
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        raise RuleError("np.einsum needs its subscripts as a string literal",
                        hint="write the subscripts inline, e.g. np.einsum('ij,jk->ik', a, b)")
    return einsum_subscripts.parse(node.value, len(site.varargs))


# The user's np.einsum is computed by the runtime helper ``contract`` (BLAS products, see
# sct/runtime/contraction.py; call_forms.py rewrites the call): both are differentiated by these rules, and
# the products they emit are ``contract`` calls, which a higher derivative differentiates by them again.
EINSUM = ("numpy.einsum", CONTRACT)


def _einsum(site: CallSite, spec: str, operands: List[ast.expr]) -> ast.Call:
    return _call("contract", ast.Constant(value=spec), *operands)


@generator(*EINSUM, mode="tangent", signature=_einsum_signature)
def einsum_tangent(site: CallSite) -> list:
    terms, output = _parse_subscripts(site)
    spec = ",".join(terms) + "->" + output
    products = []
    for i, operand in enumerate(site.varargs):
        tangent = site.dot(operand)
        if is_zero(tangent):
            continue
        operands = [clone(o) for o in site.varargs]
        operands[i] = tangent
        products.append(_einsum(site, spec, operands))
    return tangent_assignment(site, sum_terms(products))


@generator(*EINSUM, mode="adjoint", signature=_einsum_signature)
def einsum_adjoint(site: CallSite) -> list:
    terms, output = _parse_subscripts(site)
    z_bar = _name(site.bar(site.targets[0]))
    result = []
    for i, operand in enumerate(site.varargs):
        if not einsum_subscripts.is_plain(terms, output, i):
            value = einsum_subscripts.adjoint_value(site.np_attr, terms, output, i, z_bar, site.varargs)
        else:
            others = [t for j, t in enumerate(terms) if j != i]
            other_ops = [clone(o) for j, o in enumerate(site.varargs) if j != i]
            present = set(output).union(*others)
            kept = "".join(c for c in terms[i] if c in present)
            value = _einsum(site, ",".join([output] + others) + "->" + kept, [z_bar] + other_ops)
            if kept != terms[i]:
                axes = tuple(k for k, c in enumerate(terms[i]) if c not in present)
                value = _call(site.np_attr("expand_dims"), value, ast.Constant(value=axes))
        # summed and broadcast to the operand's shape: ellipsis axes, and a label of length 1 in some
        # operands (numpy broadcasts it) or summed away
        result.append(Contribution(operand, _call("einsum_fit", value, clone(operand))))
    return result


def _join_signature(arrays, axis=0):
    pass


def _parts(site: CallSite) -> List[ast.expr]:
    arrays = site.bound["arrays"]
    if not isinstance(arrays, (ast.List, ast.Tuple)):
        raise RuleError("the arrays to join must be a list or tuple written in the call",
                        hint="write np.concatenate([a, b]) / np.stack([a, b]), or np.stack(list_variable)")
    return arrays.elts


def _join_tangent(site: CallSite, function: str) -> list:
    arrays = site.bound["arrays"]
    if isinstance(arrays, ast.Name):
        tangents: ast.expr = site.dot(arrays)
    else:
        tangents = ast.List(elts=[_dot_or_zeros(site, p) for p in _parts(site)], ctx=ast.Load())
    keywords = {"axis": clone(site.bound["axis"])} if "axis" in site.bound else {}
    return tangent_assignment(site, _call(site.np_attr(function), tangents, **keywords))


def _dot_or_zeros(site: CallSite, part: ast.expr) -> ast.expr:
    tangent = site.dot(part)
    if is_zero(tangent):
        return _call(site.np_attr("zeros_like"), clone(part), dtype=_name("float"))
    return tangent


def _join_adjoint(site: CallSite, helper: str, pass_parts: bool) -> list:
    arrays = site.bound["arrays"]
    z_bar = _name(site.bar(site.targets[0]))
    keywords = {"axis": clone(site.bound["axis"])} if "axis" in site.bound else {}
    if isinstance(arrays, ast.Name):
        args = [z_bar, clone(arrays)] if pass_parts else [z_bar]
        return [Contribution(arrays, _call(helper, *args, **keywords))]
    parts = _parts(site)
    pieces = site.fresh("pieces")
    args = [z_bar]
    if pass_parts:
        args.append(ast.List(elts=[clone(p) for p in parts], ctx=ast.Load()))
    result: list = [assign(pieces, _call(helper, *args, **keywords))]
    for i, part in enumerate(parts):
        value = ast.Subscript(value=_name(pieces), slice=ast.Constant(value=i), ctx=ast.Load())
        result.append(Contribution(part, value))
    return result


@generator("numpy.concatenate", mode="tangent", signature=_join_signature)
def concatenate_tangent(site: CallSite) -> list:
    return _join_tangent(site, "concatenate")


@generator("numpy.concatenate", mode="adjoint", signature=_join_signature)
def concatenate_adjoint(site: CallSite) -> list:
    return _join_adjoint(site, "split_like", pass_parts=True)


@generator("numpy.stack", mode="tangent", signature=_join_signature)
def stack_tangent(site: CallSite) -> list:
    return _join_tangent(site, "stack")


@generator("numpy.stack", mode="adjoint", signature=_join_signature)
def stack_adjoint(site: CallSite) -> list:
    return _join_adjoint(site, "unstack", pass_parts=False)


def _getitem_signature(x, index):
    pass


def keeps_every_element(index: ast.expr) -> bool:
    """Does ``x[index]`` select every element of ``x`` in order, only adding axes of length one? Decided from
    the index's form: a tuple of ``None``, ``...`` and ``:``, or ``None`` or ``...`` alone. A bare ``x[:]``
    is left out: on a list it is a new list, whose adjoint is a list too."""
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    if not isinstance(index, ast.Tuple) and isinstance(index, ast.Slice):
        return False
    return all(_keeps_axis(part) for part in parts)


def _keeps_axis(part: ast.expr) -> bool:
    if isinstance(part, ast.Constant):
        return part.value is None or part.value is Ellipsis
    return isinstance(part, ast.Slice) and all(
        bound is None or (isinstance(bound, ast.Constant) and bound.value is None)
        for bound in (part.lower, part.upper, part.step))


def _getitem_adjoint(site: CallSite, view_adjoint) -> list:
    """``x[index]``'s adjoint: added into ``x_bar[index]``; a view of every element (``x[None, ...]``,
    ``x[:, None]``) gives ``z_bar`` reshaped to ``x``'s shape instead (``view_adjoint``)."""
    x, index = site.bound["x"], site.bound["index"]
    z_bar = _name(site.bar(site.targets[0]))
    if keeps_every_element(index):
        return [Contribution(x, view_adjoint(z_bar, clone(x)))]
    contribution = Contribution(x, z_bar)
    contribution.index = clone(index)
    return [contribution]


@generator("op.Subscript", mode="adjoint", signature=_getitem_signature)
def getitem_adjoint(site: CallSite) -> list:
    return _getitem_adjoint(site, lambda g, x: _call(site.np_attr("reshape"), g,
                                                      _call(site.np_attr("shape"), x)))


@generator("op.Subscript", mode="batched_adjoint", signature=_getitem_signature)
def getitem_batched_adjoint(site: CallSite) -> list:
    return _getitem_adjoint(site, lambda g, x: _call("batch_reshape", g, x))
