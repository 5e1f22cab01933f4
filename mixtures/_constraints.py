"""Declarative checks of constructor parameters.

Each estimator lists, in ``_parameter_constraints``, the constraints one of which every
parameter must meet (after scikit-learn's convention, but implemented here so that it works
without scikit-learn). :func:`validate_params` checks them all at the start of ``fit`` and
raises a :class:`ValueError` that names the parameter, what it may be and what it was.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


class Constraint:
    """A set of accepted values, with a phrase that describes it."""

    def accepts(self, value: Any) -> bool:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


class Interval(Constraint):
    """Integers (``kind=numbers.Integral``) or reals (``numbers.Real``) between two bounds.

    ``None`` as a bound means unbounded; ``closed`` is "left", "right", "both" or "neither".
    Booleans are never accepted, although Python counts them as integers.
    """

    def __init__(self, kind: type, left: float | None, right: float | None, closed: str = "left") -> None:
        self.kind, self.left, self.right, self.closed = kind, left, right, closed

    def accepts(self, value: Any) -> bool:
        if not isinstance(value, self.kind) or isinstance(value, (bool, np.bool_)):
            return False
        if self.left is not None:
            if value < self.left or (value == self.left and self.closed in ("right", "neither")):
                return False
        if self.right is not None:
            if value > self.right or (value == self.right and self.closed in ("left", "neither")):
                return False
        return not (isinstance(value, numbers.Real) and np.isnan(value))

    def describe(self) -> str:
        noun = "an integer" if self.kind is numbers.Integral else "a number"
        left_closed = self.closed in ("left", "both")
        right_closed = self.closed in ("right", "both")
        left, right = _number(self.left), _number(self.right)
        if self.right is None:
            return f"{noun} {'>=' if left_closed else '>'} {left}"
        if self.left is None:
            return f"{noun} {'<=' if right_closed else '<'} {right}"
        return f"{noun} in {'[' if left_closed else '('}{left}, {right}{']' if right_closed else ')'}"


def _number(bound: float | None) -> str:
    """A bound as written in a message: integral values without a decimal point."""
    if bound is None or not float(bound).is_integer():
        return repr(bound)
    return str(int(bound))


class Options(Constraint):
    """One of a fixed set of strings."""

    def __init__(self, *options: str) -> None:
        self.options = options

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.options

    def describe(self) -> str:
        return f"one of {', '.join(map(repr, self.options))}"


class InstanceOf(Constraint):
    """An instance of ``kinds`` (booleans excluded unless ``bool`` is named)."""

    def __init__(self, kinds: type | tuple[type, ...], phrase: str) -> None:
        self.kinds, self.phrase = kinds, phrase

    def accepts(self, value: Any) -> bool:
        kinds = self.kinds if isinstance(self.kinds, tuple) else (self.kinds,)
        if isinstance(value, (bool, np.bool_)) and bool not in kinds:
            return False
        return isinstance(value, kinds)

    def describe(self) -> str:
        return self.phrase


class ArrayLike(Constraint):
    """A numpy array, a sequence or anything numpy converts from (``__array__``), but not a string."""

    def accepts(self, value: Any) -> bool:
        if isinstance(value, (str, bytes)):
            return False
        return hasattr(value, "__array__") or hasattr(value, "__len__") or hasattr(value, "shape")

    def describe(self) -> str:
        return "an array-like"


class IsNone(Constraint):
    def accepts(self, value: Any) -> bool:
        return value is None

    def describe(self) -> str:
        return "None"


NONE = IsNone()
ARRAY_LIKE = ArrayLike()
BOOLEAN = InstanceOf((bool, np.bool_), "a bool")
RANDOM_STATE = [
    NONE,
    Interval(numbers.Integral, 0, 2**32 - 1, closed="both"),
    InstanceOf(np.random.RandomState, "a numpy RandomState"),
]


def validate_params(estimator: Any) -> None:
    """Raise ValueError unless every parameter of ``estimator`` meets one of its constraints."""
    for name, constraints in estimator._parameter_constraints.items():
        value = getattr(estimator, name)
        if any(constraint.accepts(value) for constraint in constraints):
            continue
        phrases = [constraint.describe() for constraint in constraints]
        allowed = phrases[0] if len(phrases) == 1 else f"{', '.join(phrases[:-1])} or {phrases[-1]}"
        raise ValueError(f"{name} must be {allowed}, got {value!r}.")
