"""The public API: forward, reverse, grad and the differentiate decorator, with caching."""
from __future__ import annotations

from typing import Callable, Dict, Optional, Sequence, Tuple, Union

import numpy as np

from .emit import compile_functions, module_source
from .namespace import emitted_namespace
from .source import function_source
from .transform import Transformed, transform

Wrt = Union[str, Sequence[str], None]
_CACHE: Dict[tuple, "Derivative"] = {}


def _normalize_wrt(wrt: Wrt) -> Tuple[Optional[Tuple[str, ...]], bool]:
    if wrt is None:
        return None, True
    if isinstance(wrt, str):
        return tuple(w.strip() for w in wrt.split(",")), "," not in wrt
    return tuple(wrt), False


class Derivative:
    """A derivative function emitted by sct. Call it like the original function (see each mode).

    ``.source`` is the emitted Python source, ``.mode`` and ``.wrt`` say what it computes.
    """

    def __init__(self, func: Callable, mode: str, wrt: Wrt):
        wrt_names, self.single = _normalize_wrt(wrt)
        self.original = func
        self.mode = mode
        source = function_source(func)
        self.transformed: Transformed = transform(source, wrt_names, mode)
        self.wrt = self.transformed.wrt
        namespace = emitted_namespace(func)
        filename = f"<sct {mode} derivative of {func.__qualname__}>"
        self.function = compile_functions(self.transformed, namespace, filename)[self.transformed.name]
        main = self.transformed.functions[-1]
        params = [a.arg for a in main.args.args + main.args.kwonlyargs]
        self.derivative_params = params[len(params) - len(self.wrt):] if mode == "forward" else []
        self.seed_param = params[-1]
        self.__name__ = self.transformed.name
        self.__doc__ = f"{mode}-mode derivative of {func.__name__} with respect to {', '.join(self.wrt)}"
        self._source: Optional[str] = None

    @property
    def source(self) -> str:
        """The emitted module: derivative function(s) and the helpers they use, standalone."""
        if self._source is None:
            header = (f"{self.mode.capitalize()}-mode derivative of {self.original.__name__} with respect to "
                      f"{', '.join(self.wrt)}, emitted by sct.")
            self._source = module_source(self.transformed, header, comments=False)
        return self._source

    def _primal_args(self, args: tuple, kwargs: dict) -> Tuple[tuple, dict]:
        """Cast integer inputs that are differentiated to float, as their derivatives are real."""
        names = [a.arg for a in self.transformed.source.node.args.args]
        args = list(args)
        for i, name in enumerate(names[:len(args)]):
            if name in self.wrt:
                args[i] = _as_float(args[i])
        for name in self.wrt:
            if name in kwargs:
                kwargs[name] = _as_float(kwargs[name])
        return tuple(args), kwargs

    def __call__(self, *args, **kwargs):
        if self.mode == "forward":
            n = len(self.wrt)
            missing = [p for p in self.derivative_params if p not in kwargs]
            take = len(missing)
            if take > len(args):
                raise TypeError(f"{self.__name__} needs the primal arguments followed by {n} tangent(s): "
                                f"{', '.join(self.derivative_params)}")
            primal, tangents = args[:len(args) - take], args[len(args) - take:]
            kwargs.update(dict(zip(missing, tangents)))
            primal, kwargs = self._primal_args(primal, kwargs)
            return self.function(*primal, **kwargs)
        seed = kwargs.pop("seed", 1.0)
        args, kwargs = self._primal_args(args, kwargs)
        kwargs[self.seed_param] = seed
        value, grads = self.function(*args, **kwargs)
        if len(self.wrt) == 1 and not self.single:
            grads = (grads,)
        return value, grads

    def __repr__(self) -> str:
        return f"<sct {self.mode} derivative {self.__name__} wrt {', '.join(self.wrt)}>"


def _as_float(value):
    array = np.asarray(value)
    if array.dtype.kind in "biu":
        return array.astype(float)
    return value


def _derivative(func: Callable, mode: str, wrt: Wrt) -> Derivative:
    key = (func, mode, wrt if not isinstance(wrt, list) else tuple(wrt))
    if key not in _CACHE:
        _CACHE[key] = Derivative(func, mode, wrt)
    return _CACHE[key]


def forward(func: Callable, wrt: Wrt = None) -> Derivative:
    """Forward-mode derivative: ``df(*args, *tangents) -> (value, value_dot)``.

    One tangent per ``wrt`` parameter (default: the first parameter), shaped like that argument.
    """
    return _derivative(func, "forward", wrt)


def reverse(func: Callable, wrt: Wrt = None) -> Derivative:
    """Reverse-mode derivative: ``bf(*args, seed=1.0) -> (value, grads)``.

    ``grads`` is one adjoint per ``wrt`` parameter, bare when ``wrt`` is a single name. ``seed`` is the
    adjoint of the output: an array of the output's shape gives a vector-Jacobian product, a scalar stands
    for every entry (the default gives the gradient of the sum of the entries), a tuple output takes one
    seed per element. A seed of any other shape raises ``ValueError``.
    """
    return _derivative(func, "reverse", wrt)


def grad(func: Callable, wrt: Wrt = None) -> Callable:
    """Gradient of a scalar-valued function: ``g(*args) -> gradient`` (a tuple for several ``wrt``)."""
    derivative = reverse(func, wrt)

    def gradient(*args, **kwargs):
        value, grads = derivative(*args, **kwargs)
        if np.ndim(value) != 0:
            raise ValueError(f"grad needs a scalar-valued function; {func.__name__} returned shape "
                             f"{np.shape(value)} (use sct.reverse with a seed for vector outputs)")
        return grads

    gradient.__name__ = f"grad_{func.__name__}"
    gradient.source = derivative.source
    gradient.derivative = derivative
    return gradient


def differentiate(mode: str = "reverse", wrt: Wrt = None) -> Callable[[Callable], Derivative]:
    """Decorator form: ``@sct.differentiate(mode="forward", wrt="x")`` returns the derivative function."""
    if mode not in ("forward", "reverse"):
        raise ValueError(f"mode must be 'forward' or 'reverse', not {mode!r}")

    def decorate(func: Callable) -> Derivative:
        return _derivative(func, mode, wrt)
    return decorate


