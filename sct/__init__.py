"""sct: automatic differentiation of Python/numpy functions by source code transformation.

    import sct
    df = sct.forward(f, wrt="x")        # df(*args, x_dot) -> (value, value_dot)
    bf = sct.reverse(f, wrt=("x", "y")) # bf(*args, seed=1.0) -> (value, (x_bar, y_bar))
    g = sct.grad(f, wrt="x")            # g(*args) -> x_bar
    df.source                           # the emitted Python source
"""
from .api import Derivative, differentiate, forward, grad, reverse
from .errors import SCTError

__all__ = ["Derivative", "SCTError", "differentiate", "forward", "grad", "reverse"]
__version__ = "0.1.0"
