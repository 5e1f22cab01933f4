"""GradBench's comparison of an answer with its reference.

Two integers (indices) agree when equal; two other numbers agree when
``|a - b| / max(1, |a| + |b|) <= 1e-4`` (ADBench's Jacobian comparison, which GradBench's evals use);
lists and objects agree when their shapes, keys and every entry do.
"""

from __future__ import annotations

from typing import Any, List

TOLERANCE = 1e-4


def difference(a: float, b: float) -> float:
    """ADBench's relative difference: absolute below magnitude 1, relative above."""
    return abs(a - b) / max(1.0, abs(a) + abs(b))


def mismatches(expected: Any, actual: Any, tolerance: float = TOLERANCE, path: str = "") -> List[str]:
    """Where ``actual`` differs from ``expected``, one line each (empty when they agree)."""
    here = path or "output"
    if _is_number(expected) and _is_number(actual):
        if isinstance(expected, (bool, int)) and isinstance(actual, (bool, int)):  # indices: exactly
            return [] if expected == actual and type(expected) is type(actual) else [
                f"{here}: expected {expected!r}, got {actual!r}"]
        if difference(float(expected), float(actual)) > tolerance:
            return [f"{here}: expected {expected}, got {actual}"]
        return []
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = [f"{here}: unexpected key {key!r}" for key in actual if key not in expected]
        found += [f"{here}: missing key {key!r}" for key in expected if key not in actual]
        for key in expected:
            if key in actual:
                found += mismatches(expected[key], actual[key], tolerance, f"{path}.{key}" if path else key)
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{here}: expected a list of length {len(expected)}, got length {len(actual)}"]
        found = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            found += mismatches(e, a, tolerance, f"{path}[{i}]")
        return found
    if type(expected) is not type(actual) or expected != actual:
        return [f"{here}: expected {expected!r}, got {actual!r}"]
    return []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float))
