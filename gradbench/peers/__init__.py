"""The evals in JAX and in PyTorch, for the benchmark table and as references for the runner.

Each module (``jax_evals``, ``torch_evals``) writes the evals as GradBench's JAX and PyTorch tools do,
with the framework's own derivatives, as ``EVALS``: for each eval, a function that makes its functions
(``gradbench.evals.Function``: JSON input to arguments, the timed call, the JSON answer). Neither
framework is needed by sct, its tests or the tool.
"""

from __future__ import annotations

import importlib
from typing import Any, Dict, Optional

import numpy as np

from gradbench.evals import Function

NAMES = {"jax": "jax_evals", "torch": "torch_evals"}


class Peer:
    """One framework's evals: ``define(eval)`` like ``gradbench.evals.define``, and its answers."""

    def __init__(self, module: Any):
        self.NAME = module.NAME
        self.evals = module.EVALS

    def define(self, eval: str) -> Dict[str, Function]:
        """The eval's functions (``KeyError`` for an eval this framework is not written for here)."""
        return self.evals[eval]()

    def answer(self, eval: str, function: str, input: Any) -> Any:
        """The JSON answer of ``function`` at ``input``, or ``None`` where the framework lacks it."""
        if eval not in self.evals or function not in self.define(eval):
            return None
        f = self.define(eval)[function]
        return f.output(f.compute(*f.prepare(input)))


def available(name: Optional[str] = None) -> Optional[Peer]:
    """The peer ``name`` (``"jax"`` or ``"torch"``; ``None``: the first installed), or ``None``."""
    for candidate in [name] if name else list(NAMES):
        try:
            return Peer(importlib.import_module(f"{__name__}.{NAMES[candidate]}"))
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

