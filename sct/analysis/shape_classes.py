"""Static shapes up to equality: which values certainly have the same shape as which others.

A :class:`Shape` names a *root* whose shape is fixed while the function runs — a parameter, or a value
assigned once outside any loop — and, optionally, how the length of its first axis was cut by slices with
constant bounds and joined again by ``np.concatenate``. Two values of the same root have the same shape
when those lengths agree for every length of the root's first axis: ``x[:1]`` and ``x[1:]`` joined have
the shape of ``x``, ``x[1:]`` has that of ``y[:-1]`` when ``y`` has that of ``x``. The length of a
slice with constant bounds is piecewise linear in the axis' length, with slope 0 or 1 and its kinks
below the sum of the bounds, so comparing the lengths at every axis length up to that sum (plus two) is
a proof, not a sample.

``SCALAR`` is the shape ``()``: Python numbers and 0-d arrays. Unknown shapes are ``None``.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable, Optional, Tuple

Bound = Optional[int]
_PROOF_LIMIT = 1000  # axis lengths compared at most
Chain = Tuple[Tuple[Bound, Bound], ...]  # slices applied one after the other to the first axis


@dataclass(frozen=True)
class Shape:
    """A shape known up to its root: ``root``'s shape, with a first axis as long as the sum, over
    ``chains``, of the root's first axis sliced by each chain (``None``: the whole root).
    ``sequence``: the value may be a list or tuple, whose ``+`` and ``*`` join and repeat."""

    root: str
    chains: Optional[Tuple[Chain, ...]] = None
    sequence: bool = False

    @property
    def scalar(self) -> bool:
        return self.root == "()"


SCALAR = Shape("()")


class _Top:
    """No assignment seen yet: the optimistic start of the fixpoint (a variable never assigned is read
    nowhere)."""

    def __repr__(self) -> str:
        return "TOP"


TOP = _Top()


def _length(chains: Optional[Tuple[Chain, ...]], n: int) -> int:
    if chains is None:
        return n
    total = 0
    for chain in chains:
        axis = range(n)
        for lower, upper in chain:
            axis = axis[lower:upper]
        total += len(axis)
    return total


def _bounds_sum(chains: Optional[Tuple[Chain, ...]]) -> int:
    return sum(abs(b) for chain in chains or () for pair in chain for b in pair if b is not None)


def _same_lengths(a: Optional[Tuple[Chain, ...]], b: Optional[Tuple[Chain, ...]]) -> bool:
    if a == b:
        return True
    limit = _bounds_sum(a) + _bounds_sum(b) + 3
    if limit > _PROOF_LIMIT:  # bounds this large: not worth proving, so not known
        return False
    return all(_length(a, n) == _length(b, n) for n in range(limit))


def same(a, b) -> bool:
    """Do ``a`` and ``b`` (shapes, None or TOP) certainly describe the same shape?"""
    if not isinstance(a, Shape) or not isinstance(b, Shape) or a.root != b.root:
        return False
    return a.scalar or _same_lengths(a.chains, b.chains)


def differs(old, new) -> bool:
    """Is ``new`` a different fact from ``old``? A shape equal to the old one written another way
    (``x[:]`` for ``x``) is the same fact: keeping the old spelling is what lets a fixpoint settle."""
    if isinstance(old, Shape) and isinstance(new, Shape):
        return not same(old, new) or old.sequence != new.sequence
    return old is not new


def join(shapes: Iterable):
    """The shape of a variable that may hold any of ``shapes`` (TOP: not known yet)."""
    found = TOP
    for shape in shapes:
        if shape is TOP:
            continue
        if shape is None:
            return None
        if found is TOP:
            found = shape
        elif not same(found, shape):
            return None
        elif shape.sequence and not found.sequence:
            found = shape
    return found


def broadcast(shapes: list, converts: bool = False):
    """The shape of an elementwise operation's result: that of every operand not a scalar, when they all
    agree. Python's ``+`` and ``*`` join and repeat lists (``converts``: numpy's functions, which convert
    them)."""
    if any(s is TOP for s in shapes):
        return TOP
    if any(s is None or (s.sequence and not converts) for s in shapes):
        return None
    arrays = [s for s in shapes if not s.scalar]
    if not arrays:
        return SCALAR
    first = arrays[0]
    if all(same(first, s) for s in arrays[1:]):
        return Shape(first.root, first.chains)
    return None


def arithmetic(left, right, adds: bool):
    """The shape of ``left + right`` (``adds``) or ``left * right``, where lists and tuples join and
    repeat: two of them join, one times a number repeats; one beside an array is converted by numpy."""
    shapes = [left, right]
    if any(s is TOP for s in shapes):
        return TOP
    if any(s is None for s in shapes):
        return None
    sequences = sum(s.sequence for s in shapes)
    if sequences and (adds and sequences > 1 or not adds and any(s.scalar for s in shapes)):
        return None
    return broadcast(shapes, converts=True)


def sliced(shape, lower: Bound, upper: Bound):
    """The shape of ``value[lower:upper]``."""
    if shape is TOP or shape is None:
        return shape
    if shape.scalar:
        return None
    if shape.chains is None:
        chains: Tuple[Chain, ...] = (((lower, upper),),)
    elif len(shape.chains) == 1:
        chains = (shape.chains[0] + ((lower, upper),),)
    else:
        return None
    return Shape(shape.root, None if _same_lengths(chains, None) else chains, shape.sequence)


def concatenated(parts: list):
    """The shape of ``np.concatenate(parts)`` (along the first axis) when every part has one root."""
    if any(p is TOP for p in parts):
        return TOP
    if not parts or any(p is None or p.scalar for p in parts):
        return None
    root = parts[0].root
    if any(p.root != root for p in parts):
        return None
    chains: Tuple[Chain, ...] = ()
    for part in parts:
        chains += part.chains if part.chains is not None else ((),)
    whole = _same_lengths(chains, None)
    return Shape(root, None if whole else chains)


def slice_bounds(node: ast.expr) -> Optional[Tuple[Bound, Bound]]:
    """``(lower, upper)`` of a slice with constant integer bounds and no step; None otherwise."""
    if not isinstance(node, ast.Slice) or node.step is not None:
        return None
    bounds = []
    for bound in (node.lower, node.upper):
        if bound is None:
            bounds.append(None)
        elif isinstance(bound, ast.Constant) and type(bound.value) is int:
            bounds.append(bound.value)
        elif isinstance(bound, ast.UnaryOp) and isinstance(bound.op, ast.USub) \
                and isinstance(bound.operand, ast.Constant) and type(bound.operand.value) is int:
            bounds.append(-bound.operand.value)
        else:
            return None
    return bounds[0], bounds[1]
