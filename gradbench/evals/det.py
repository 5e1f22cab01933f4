"""GradBench's ``det`` (cmpad's ``det_by_minor``): the determinant by expansion along the first row,
recursively, and its gradient with respect to the matrix (row-major, as the input).
"""

from __future__ import annotations

from typing import Dict

import numpy as np

import sct

from . import Function, array, nested, number


def det_of_minor(A):
    n = A.shape[0]
    if n == 1:
        return A[0, 0]
    total = 0.0
    sign = 1.0
    for j in range(n):
        minor = np.concatenate([A[1:, :j], A[1:, j + 1:]], axis=1)
        total = total + sign * A[0, j] * det_of_minor(minor)
        sign = -sign
    return total


def prepare(input):
    ell = int(input["ell"])
    A = array(input["A"])
    if A.shape != (ell * ell,):
        raise ValueError(f"det: A has {A.size} entries, not ell * ell = {ell * ell}")
    return (A.reshape(ell, ell),)


def define() -> Dict[str, Function]:
    """``primal`` and ``gradient``."""
    gradient = sct.grad(det_of_minor, wrt="A")
    return {
        "primal": Function(prepare, det_of_minor, number),
        "gradient": Function(prepare, gradient, lambda g: nested(np.ravel(g))),
    }
