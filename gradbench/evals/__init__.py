"""One module per GradBench eval.

Each module holds the eval's primal in plain numpy, written as the eval's description and GradBench's
reference tools write it, and a ``define()`` that asks sct for every derivative the eval needs (no
derivative is written by hand) and returns the eval's functions by name. ``define()`` is where the
transformation happens: the tool times it as the ``define`` message's own timing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Dict

import numpy as np

import sct  # noqa: F401  (imported here, so that a define's timing is the transformation alone)

MODULES = ("hello", "lse", "llsq", "gmm", "det", "ode", "kmeans", "saddle", "particle", "lstm", "ba")


@dataclass(frozen=True)
class Function:
    """One function of an eval as the tool runs it.

    ``prepare`` turns the message's JSON input into the arguments (not timed), ``compute`` is what each
    timed run calls, and ``output`` turns its result into the JSON value the eval expects.
    """

    prepare: Callable[[Any], tuple]
    compute: Callable[..., Any]
    output: Callable[[Any], Any]


def define(module: str) -> Dict[str, Function]:
    """The functions of eval ``module``, with their derivatives made by sct (this may raise SCTError)."""
    if module not in MODULES:
        raise ValueError(f"unknown module {module!r}; this tool defines: {', '.join(MODULES)}")
    return importlib.import_module(f"{__name__}.{module}").define()


def array(value: Any) -> np.ndarray:
    """A JSON list (of lists) of numbers as a float64 array."""
    return np.array(value, dtype=np.float64)


def number(value: Any) -> float:
    """A result that is a single number, as a JSON float."""
    return float(value)


def nested(value: Any) -> Any:
    """An array result as (nested) JSON lists of floats."""
    return np.asarray(value, dtype=np.float64).tolist()
