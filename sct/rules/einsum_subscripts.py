"""``np.einsum`` subscripts beyond one explicit letter per axis: the implicit output (``'ii'``,
``'ij,jk'``), repeated indices in a term (``'ii->i'``, a diagonal) and an ellipsis (``'...ij'``,
``'i...j'``).

Tangents need nothing new (einsum is linear in each operand: the same subscripts serve). The adjoint of an
operand whose term repeats an index or holds an ellipsis is built here: a repeated index gets a fresh
letter tied to the first by an identity matrix, an index summed away is brought back by a vector of
ones, and the ellipsis axes are summed back to the operand's shape (``einsum_fit``; an ellipsis after
some labels is moved first for that, and the labels back in front after).
"""
from __future__ import annotations

import ast
import copy
from collections import Counter
from typing import List, Tuple

from ..ir.builders import call as _call
from .core import RuleError

ELLIPSIS = "."


def tokens(term: str) -> List[str]:
    """The axes of a term, an ellipsis as one token ``'.'``."""
    return list(term.replace("...", ELLIPSIS))


def parse(text: str, n_operands: int) -> Tuple[List[str], str]:
    """``(terms, output)`` of the subscripts ``text`` (ellipses written ``'...'``), the output made
    explicit as numpy does for implicit subscripts: the indices used once, in alphabetical order."""
    text = text.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) != n_operands:
        raise RuleError(f"np.einsum subscripts '{text}' name {len(terms)} operands, got {n_operands}")
    for term in terms + [output]:
        if term.count("...") > 1 or "." in term.replace("...", ""):
            raise RuleError(f"np.einsum subscripts '{text}': malformed ellipsis")
    if not arrow:
        counts = Counter(c for t in terms for c in t.replace("...", ""))
        output = ("..." if any("..." in t for t in terms) else "") + "".join(
            sorted(c for c, n in counts.items() if n == 1))
    return terms, output


def is_plain(terms: List[str], output: str, position: int) -> bool:
    """No ellipsis anywhere, and one letter per axis of operand ``position``, each once: the adjoint of
    that operand needs none of this module."""
    term = terms[position]
    return not any("..." in t for t in terms + [output]) and len(set(term)) == len(term)


def adjoint_value(np_attr, terms: List[str], output: str, position: int, g: ast.expr,
                  operands: List[ast.expr], batch: str = "") -> ast.expr:
    """The adjoint of operand ``position`` (its term not plain) from the output's adjoint ``g``, still to
    be summed back to the operand's shape (``einsum_fit``: it has an ellipsis). ``batch``: a letter for a
    leading axis of several adjoints (vector mode)."""
    target = tokens(terms[position])
    operand = operands[position]
    others = [t for j, t in enumerate(terms) if j != position]
    present = set(output.replace("...", "")).union(*(t.replace("...", "") for t in others))
    used = set("".join(terms) + output + batch)
    fresh = (c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used)
    spec_in = [batch + output] + others
    args: List[ast.expr] = [g] + [copy.deepcopy(o) for j, o in enumerate(operands) if j != position]
    kept, seen = [], {}
    lead = target.index(ELLIPSIS) if ELLIPSIS in target else 0  # the labels before an ellipsis
    for axis, c in enumerate(target):
        if c == ELLIPSIS:
            kept.append("...")
            continue
        place = axis if axis < lead else axis - len(target)  # before an ellipsis from the start, else the end
        size = _call(np_attr("shape"), copy.deepcopy(operand))
        size = ast.Subscript(value=size, slice=ast.Constant(value=place), ctx=ast.Load())
        if c in seen:
            d = next(fresh)
            spec_in.append(c + d)
            args.append(_call(np_attr("eye"), size))
            kept.append(d)
            continue
        seen[c] = axis
        if c not in present and target.count(c) == 1:
            spec_in.append(c)
            args.append(_call(np_attr("ones"), size))
        kept.append(c)
    if "..." in output and ELLIPSIS not in target:  # the axes the ellipsis broadcast to are summed back
        kept.insert(0, "...")
    if lead:  # the ellipsis first, to sum its broadcast axes back; then the leading labels back in front
        kept.remove("...")
        kept.insert(0, "...")
    spec = ",".join(spec_in) + "->" + batch + "".join(kept)
    value = _call("contract", ast.Constant(value=spec), *args)
    if not lead:
        return value
    after = len(target) - lead - 1
    moved = ast.Constant(value=tuple(range(-lead - after, -after if after else 0)))
    front = ast.Constant(value=tuple(range(len(batch), len(batch) + lead)))
    shaped = _call(np_attr("moveaxis"), copy.deepcopy(operand), ast.Constant(value=tuple(range(lead))),
                   copy.deepcopy(moved))  # the operand with its ellipsis first: the shape to sum back to
    summed = _call("batch_einsum_fit" if batch else "einsum_fit", value, shaped)
    return _call(np_attr("moveaxis"), summed, moved, front)

