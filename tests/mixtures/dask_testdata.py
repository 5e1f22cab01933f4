"""Helpers of the Dask tests, shipped to the workers by value (the workers cannot import tests)."""

import sys
import time

import numpy as np
from gm_testdata import max_relative_difference

PARAMETERS = ("weights_", "means_", "covariances_", "precisions_", "precisions_cholesky_")


def ship_by_value() -> None:
    """Let functions of this module run on the workers."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])


def never_computed(block: np.ndarray) -> np.ndarray:
    """A chunk function that fails: an array made with it shows whether anything was computed."""
    raise RuntimeError("a chunk was computed")


def slow(block: np.ndarray, seconds: float) -> np.ndarray:
    """The chunk itself, after a pause (to make a fit last long enough to disturb it)."""
    time.sleep(seconds)
    return block


def fit_difference(a, b) -> float:
    """Largest relative difference between two fitted mixtures' parameters and lower bounds."""
    differences = [max_relative_difference(getattr(a, name), getattr(b, name)) for name in PARAMETERS]
    differences.append(abs(a.lower_bound_ - b.lower_bound_) / abs(b.lower_bound_))
    return max(differences)
