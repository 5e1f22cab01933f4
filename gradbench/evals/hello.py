"""GradBench's ``hello``: ``square(x) = x * x`` and ``double``, its derivative."""

from __future__ import annotations

from typing import Dict

import sct

from . import Function, number


def square(x):
    return x * x


def define() -> Dict[str, Function]:
    """``square`` and ``double`` (sct's gradient of ``square``); the input is a bare number."""
    double = sct.grad(square)
    return {
        "square": Function(lambda input: (float(input),), square, number),
        "double": Function(lambda input: (float(input),), double, number),
    }
