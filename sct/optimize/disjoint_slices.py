"""Which elements of an array's first axis an index with constant bounds takes, whatever the length.

An index ``x[a:b]`` (step 1), ``x[i]``, or either followed by whole axes (``x[a:b, :]``), takes the
positions ``[c(a), c(b))`` of the first axis, where ``c`` places a bound: ``v >= 0`` at ``min(v, n)``,
``v < 0`` at ``max(n + v, 0)``. Both placements grow with ``v``, so two bounds counted from the same end
compare the same way for every length ``n``; bounds counted from different ends do not (``x[:2]`` and
``x[-1:]`` overlap when ``n <= 2``) and are not compared.
"""
from __future__ import annotations

import ast
from typing import List, NamedTuple, Optional


class Bound(NamedTuple):
    """A position of the first axis: ``value`` from its start, or (``from_end``) ``n + value``."""
    from_end: bool
    value: int


class Span(NamedTuple):
    """The positions ``[start, stop)`` an index takes; ``whole``: it takes all of the other axes."""
    start: Bound
    stop: Bound
    whole: bool


START, END = Bound(False, 0), Bound(True, 0)


def span_of(index: ast.expr) -> Optional[Span]:
    """The span of a subscript's index by its form, or None when its bounds are not constant ints."""
    rest: List[ast.expr] = []
    if isinstance(index, ast.Tuple) and index.elts:
        index, rest = index.elts[0], index.elts[1:]
    whole = all(_is_whole(e) for e in rest)
    if isinstance(index, ast.Slice):
        step = _constant(index.step) if index.step is not None else 1
        start = _bound(index.lower, START)
        stop = _bound(index.upper, END)
        if step != 1 or start is None or stop is None:
            return None
        return Span(start, stop, whole)
    i = _constant(index)
    if i is None:
        return None
    return Span(Bound(i < 0, i), Bound(i < 0, i + 1), whole)


def disjoint(a: Optional[Span], b: Optional[Span]) -> bool:
    """Do the two spans certainly take no position in common, whatever the length?"""
    if a is None or b is None:
        return False
    return _at_most(a.stop, b.start) or _at_most(b.stop, a.start)


def covers_first_axis(spans: List[Span]) -> bool:
    """Do the spans, end to end, run from the first position to past the last, each taking whole
    elements (every other axis)? Then together they take every element, whatever the shape."""
    if not all(s.whole for s in spans):
        return False
    at = START
    for _ in spans:
        following = [s for s in spans if s.start == at]
        if not following:
            return False
        at = following[0].stop
        if at == END:
            return True
    return False


def _at_most(a: Bound, b: Bound) -> bool:
    return a.from_end == b.from_end and a.value <= b.value


def _bound(node: Optional[ast.expr], missing: Bound) -> Optional[Bound]:
    if node is None:
        return missing
    value = _constant(node)
    return None if value is None else Bound(value < 0, value)


def _constant(node: ast.expr) -> Optional[int]:
    """The int a constant expression ``3`` or ``-3`` spells, else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1, node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sign * node.value
    return None


def _is_whole(node: ast.expr) -> bool:
    """``:`` (an axis taken whole)."""
    return isinstance(node, ast.Slice) and node.lower is None and node.upper is None and node.step is None
