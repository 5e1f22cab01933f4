"""Recursive functions with array and tuple outputs (tests/test_recursion.py, seeds)."""
import numpy as np


def power_chain(x, k):
    if k == 0:
        return np.sin(x)
    return power_chain(x, k - 1) * x


def doubled(x, k):
    if k == 0:
        return np.concatenate([x, x])
    return doubled(x, k - 1) * 2.0


def plus_itself(x, k):
    if k == 0:
        return x
    return plus_itself(x, k - 1) * x + x
