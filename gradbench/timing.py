"""Repeated, timed runs of one function, as GradBench's ``Runs`` inputs ask for."""

from __future__ import annotations

import time
from typing import Any, Callable, List, Tuple


def run_counts(input: Any) -> Tuple[int, float]:
    """``(min_runs, min_seconds)`` of an evaluate message's input; ``(1, 0.0)`` when it has none."""
    if not isinstance(input, dict):
        return 1, 0.0
    min_runs = input.get("min_runs", 1)
    min_seconds = input.get("min_seconds", 0.0)
    if isinstance(min_runs, bool) or not isinstance(min_runs, int) or min_runs < 1:
        raise ValueError(f"min_runs must be a positive integer, got {min_runs!r}")
    if isinstance(min_seconds, bool) or not isinstance(min_seconds, (int, float)) or not min_seconds >= 0:
        raise ValueError(f"min_seconds must be a number of seconds >= 0, got {min_seconds!r}")
    return min_runs, float(min_seconds)


def repeat(compute: Callable[..., Any], args: tuple, min_runs: int = 1,
           min_seconds: float = 0.0) -> Tuple[Any, List[int]]:
    """Call ``compute(*args)`` until it ran ``min_runs`` times and for ``min_seconds`` in all.

    Returns the last result and the nanoseconds of each call, one entry per run.
    """
    timings: List[int] = []
    total = 0
    result = None
    while len(timings) < min_runs or total < min_seconds * 1e9:
        start = time.perf_counter_ns()
        result = compute(*args)
        elapsed = time.perf_counter_ns() - start
        timings.append(elapsed)
        total += elapsed
    return result, timings
