"""The adjoints a reverse-mode derivative returns, shaped like the arguments they are adjoints of."""
from __future__ import annotations

import numpy as np


def shaped_like(grad, argument):
    """The adjoint ``grad`` of ``argument`` as the call returns it: a float for a Python number, a tuple or
    list ``argument``'s with its container type and each item's shape, a dict's a dict with its keys."""
    if isinstance(argument, dict) and isinstance(grad, dict):
        return {key: shaped_like(grad[key], item) for key, item in argument.items()}
    if not isinstance(argument, (tuple, list)):
        scalar = isinstance(argument, (float, int)) and type(grad) is not float and np.ndim(grad) == 0
        return float(grad) if scalar else grad
    items = [shaped_like(np.asarray(grad)[i], item) for i, item in enumerate(argument)]
    return type(argument)(items)
