"""sct: automatic differentiation of Python/numpy functions by source code transformation.

    import sct
    df = sct.forward(f, wrt="x")        # df(*args, x_dot) -> (value, value_dot)
    bf = sct.reverse(f, wrt=("x", "y")) # bf(*args, seed=1.0) -> (value, (x_bar, y_bar))
    g = sct.grad(f, wrt="x")            # g(*args) -> x_bar
    df.source                           # the emitted Python source
    J = sct.jacobian(f, wrt="x", mode="forward")  # J(*args) -> array of shape out.shape + x.shape
    hv = sct.hvp(f, wrt="x")            # hv(*args, v) -> H @ v (forward over reverse, one sweep)
    gh = sct.grad_and_hvp(f, wrt="x")   # gh(*args, v) -> (gradient, H @ v), from that same one sweep
    H = sct.hessian(f, wrt="x")         # H(*args) -> array of shape x.shape + x.shape
    softplus = sct.primitive(softplus)  # differentiated by the rules it is given (see sct.rules.user)
    g = sct.grad(f, wrt="x", checkpoints=20)      # loops reversed keeping at most 20 copies of their state
"""
from .api import Derivative, differentiate, forward, grad, reverse
from .errors import SCTError
from .frontend.checkpoint_marker import checkpointed
from .higher.derivatives import hessian, hvp, jacobian
from .higher.gradient_hvp import grad_and_hvp
from .rules.core import Axes, DeclarationError
from .rules.user import primitive

__all__ = ["Axes", "DeclarationError", "Derivative", "SCTError", "checkpointed", "differentiate", "forward",
           "grad",
           "grad_and_hvp", "hessian", "hvp", "jacobian", "primitive", "reverse"]
__version__ = "0.1.0"
