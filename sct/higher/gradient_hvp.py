"""``sct.grad_and_hvp``: the gradient and a Hessian-vector product of a scalar function from one sweep.

The forward-over-reverse code of :func:`sct.hvp` is the forward-mode derivative of the gradient code: it
computes the gradient on the way to ``H @ v`` and returns both. ``grad_and_hvp`` hands out both, so a
Newton step (gradient over Hessian diagonal, gradient and a curvature along a direction) takes one sweep
instead of ``sct.grad`` and ``sct.hvp`` (two). It runs the very code that ``sct.hvp`` runs.
"""
from __future__ import annotations

from typing import Callable, Optional

from ..frontend.source import stand_in
from ..pipeline import Stages
from .derivatives import HessianVectorProduct, _cached


class GradientAndHvp(HessianVectorProduct):
    """``grad_and_hvp(*args, v) -> (gradient, H @ v)`` for scalar-valued ``f``, in one forward-over-reverse
    sweep; both are shaped like the ``wrt`` argument."""

    kind = "gradient and Hessian-vector product"

    def __init__(self, func: Callable, wrt=None, stages: Optional[Stages] = None):
        super().__init__(func, wrt, "forward-over-reverse", stages)

    def __call__(self, *args, **kwargs):
        if self._stale():
            return self._remake()(*args, **kwargs)
        return self._sweep(args, kwargs)


def grad_and_hvp(func: Callable, wrt: Optional[str] = None, verbose: int = 0) -> GradientAndHvp:
    """Gradient and Hessian-vector product of a scalar-valued ``func`` in one sweep:
    ``grad_and_hvp(*args, v) -> (gradient, H @ v)``.

    The same forward-over-reverse code as :func:`sct.hvp` (``.source``), which computes the gradient on
    the way: ``sct.grad(func, wrt)(*args)`` and ``sct.hvp(func, wrt)(*args, v)`` for the cost of the
    second. ``v`` is shaped like the ``wrt`` argument (default: the first parameter), and so are both
    results (numpy arrays, or numpy floats for a scalar). A dict ``wrt`` argument is refused
    (``TypeError``): pass its arrays as separate arguments. ``verbose``: as in :func:`sct.forward`, for
    each stage.
    """
    return _cached("grad_and_hvp", func, wrt, lambda f, stages: GradientAndHvp(stand_in(f), wrt, stages),
                   verbose=verbose)
