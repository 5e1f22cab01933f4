"""Helpers shared by the aliasing tests (tests/test_sound_alias_*.py)."""
from __future__ import annotations

import numpy as np

X4 = np.array([0.3, -0.7, 1.1, 0.5])


def same(a):
    return a


def bump(a):
    a[0] = 0.0
    return np.sum(a)
