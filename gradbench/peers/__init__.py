"""The evals in JAX and in PyTorch, for the benchmark table and as references for the runner.

Each module (``jax_evals``, ``torch_evals``) writes the evals as GradBench's JAX and PyTorch tools do,
with the framework's own derivatives, and offers ``define(eval)`` (the functions as
``gradbench.evals.Function``: JSON input to arguments, the timed call, the JSON answer) and
``answer(eval, function, input)``. Neither framework is needed by sct, its tests or the tool.
"""

from __future__ import annotations

import importlib
from typing import Any, Optional

import numpy as np

from gradbench.evals import Function

NAMES = {"jax": "jax_evals", "torch": "torch_evals"}


def available(name: Optional[str] = None) -> Optional[Any]:
    """The peer module ``name`` (``"jax"`` or ``"torch"``; ``None``: the first installed), or ``None``."""
    for candidate in [name] if name else list(NAMES):
        try:
            return importlib.import_module(f"{__name__}.{NAMES[candidate]}")
        except ImportError:
            continue
    return None


def to_numpy(value: Any) -> Any:
    """A framework's result (an array, or a tuple of them) as numpy arrays."""
    if isinstance(value, (tuple, list)):
        return type(value)(to_numpy(v) for v in value)
    if hasattr(value, "detach"):
        value = value.detach()
    return np.asarray(value)


def answer_from(functions: dict, eval: str, function: str, input: Any) -> Any:
    """The JSON answer of ``functions[eval][function]`` at ``input``, or ``None`` where it has none."""
    if eval not in functions:
        return None
    defined = functions[eval]()
    if function not in defined:
        return None
    f: Function = defined[function]
    return f.output(f.compute(*f.prepare(input)))
