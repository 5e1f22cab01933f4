"""GradBench's ``lse``: LogSumExp written with the max shift, and its gradient."""

from __future__ import annotations

from typing import Dict

import numpy as np

import sct

from . import Function, array, nested, number


def logsumexp(x):
    a = np.max(x)
    return a + np.log(np.sum(np.exp(x - a)))


def prepare(input):
    return (array(input["x"]),)


def define() -> Dict[str, Function]:
    """``primal`` and ``gradient`` of LogSumExp over ``x``."""
    gradient = sct.grad(logsumexp, wrt="x")
    return {
        "primal": Function(prepare, logsumexp, number),
        "gradient": Function(prepare, gradient, nested),
    }
