"""Helpers of the derivatives of ``np.polyval``: the exponents of a coefficient vector."""
import numpy as np


def polynomial_exponents(p) -> np.ndarray:
    """The exponent of each coefficient of ``p`` (highest first, as np.polyval reads them). Raises
    ValueError unless ``p`` is one vector of coefficients (np.polyval broadcasts the rows of a matrix of
    coefficients, which sct does not differentiate)."""
    if np.ndim(p) != 1:
        raise ValueError(f"np.polyval is differentiated for one vector of coefficients, not an array of "
                         f"shape {np.shape(p)}: evaluate each polynomial on its own")
    return np.arange(np.shape(p)[0] - 1, -1, -1)
