"""Bundled example data."""

from importlib import resources

import numpy as np


def load_faithful() -> np.ndarray:
    """Return the Old Faithful geyser data as a float array of shape (272, 2).

    Columns are the eruption duration (minutes) and the waiting time to the
    next eruption (minutes).
    """
    text = resources.files("mixtures").joinpath("data").joinpath("faithful.csv").read_text()
    return np.loadtxt(text.splitlines(), delimiter=",", skiprows=1, dtype=float)
