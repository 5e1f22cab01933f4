"""The inputs' vocabulary: :class:`Case`, the points of each domain, the shapes, and what builds cases.

A :class:`Case` is an expression in the float arguments ``x`` (and ``y``, ``z``), the shapes to call it at,
and each argument's domain: where the function is defined and smooth, with zero and negative points
wherever the function allows them.
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


def unary(names: Sequence[str], prefix: str, domain: str = "real", analytic: bool = True,
          shapes=UNARY) -> Dict[str, List[Case]]:
    """One case per name: ``prefix.name(x)`` on ``domain`` at ``shapes``."""
    return {f"{prefix}.{n}": [Case(f"{'np' if prefix == 'numpy' else prefix}.{n}(x)", shapes, (domain,),
                                   analytic=analytic)] for n in names}


def binary(expr: str, domains=("real", "real"), analytic=True, shapes=BINARY) -> List[Case]:
    """``expr`` in ``x`` and ``y`` at every pair of shapes numpy broadcasts (``BINARY``)."""
    return [Case(expr, shapes, domains, analytic=analytic)]


REDUCED = [((1,),), ((3,),), ((2, 3),)]
SCALARS = [((), ())]
PAIR = ("real", "real")
TRIPLE = ("real", "real", "real")
LSE = "from scipy.special import logsumexp"
RT = "from sct.runtime import "
FWD = ("forward",)  # a rule with a tangent only (helpers of emitted code)


def extend(cases: Dict[str, List[Case]], more: Dict[str, List[Case]]) -> None:
    """Append ``more``'s cases to those ``cases`` already holds for each name."""
    for qualname, added in more.items():
        cases[qualname] = cases[qualname] + added
