"""The guard of a derivative term that an exact zero multiplies (see sct/modes/guards.py)."""
import numpy as np


def zero_where_undefined(factor, term):
    """``term`` (a product with ``factor``), 0 where ``factor`` is exactly 0 and the product is NaN (``0 *
    inf``, ``0 * nan``): the exact derivative there is 0. Elsewhere ``term`` itself, so that a derivative
    of the guarded term (second order) is the derivative of the product."""
    if not np.isnan(term).any():  # the common case, in one pass (np.any's dispatch costs more than the mask)
        return term
    undefined = np.isnan(term) & (factor == 0)
    return np.where(undefined, 0.0, term) if np.any(undefined) else term
