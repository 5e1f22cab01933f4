"""The oracle shared by the API tests (tests/test_sound_api_*.py)."""
from __future__ import annotations

import numpy as np
from oracle import central_difference


def numeric_gradient(f, args, index=0):
    x = np.asarray(args[index], dtype=float)
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = 1.0
        grad[i] = central_difference(f, args, index, e)
    return grad
