"""What every higher-derivative object does with a call's arguments: the one to differentiate as floats,
copies of those the emitted code writes into (found once per stage), and the readable source."""
from __future__ import annotations

import inspect
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from ..analysis.joined_parameters import (
    joined_parameters_of,
    refuse_joined_sequence,
    refuse_written_sequence,
    written_parameters_of,
)
from ..errors import SCTError
from ..frontend.inputs import written_inputs
from ..frontend.namespace import Watch, unmark
from ..frontend.source import function_source
from ..integer_inputs import holds_integers, refuse_integer_dependence
from ..pipeline import Stages
from ..runtime import float_input, owned_input, refuse_shared_arguments
from ..runtime.inputs import stacked_input
from .stages import Stage

_IDENTITIES: Dict[int, np.ndarray] = {}
_FLOAT = np.dtype(float)


def identity(n: int) -> np.ndarray:
    """A new ``np.eye(n)``, copied from one kept per size (cheaper than making it)."""
    kept = _IDENTITIES.get(n)
    if kept is None:
        kept = _IDENTITIES[n] = np.eye(n)
        kept.flags.writeable = False
    return kept.copy()


def wrt_name(func: Callable, wrt) -> str:
    """The one parameter ``wrt`` names (default: the first), checked against ``func``'s signature."""
    params = list(inspect.signature(func).parameters)
    if wrt is None:
        if not params:
            raise SCTError(f"'{func.__name__}' has no parameters to differentiate")
        return params[0]
    if not isinstance(wrt, str) or "," in wrt:
        raise ValueError("jacobian, hvp and hessian differentiate with respect to one parameter: "
                         f"pass its name (got {wrt!r}); stack several inputs into one array")
    if wrt not in params:
        raise SCTError(f"'{wrt}' is not a parameter of {func.__name__}({', '.join(params)})",
                       hint="choose wrt among the function's parameters")
    return wrt


class Higher:
    """Common parts: the argument to differentiate, casting, and the readable source."""

    kind = ""
    _watch: Optional[Watch] = None
    _remake: Optional[Callable] = None

    def _stale(self) -> bool:
        """Whether a helper or callee of the function changed since this object was made (then the
        call goes to a new one, made the same way)."""
        return self._watch is not None and self._watch.changed()

    def __init__(self, func: Callable, wrt, stages: Optional[Stages] = None):
        self.stages = stages
        self.original = func
        self.first: Optional[Stage] = None
        self.wrt = wrt_name(func, wrt)
        self.index = list(inspect.signature(func).parameters).index(self.wrt)
        self.vectorized = True
        self.note = ""
        self.stage: Optional[Stage] = None

    def _primal(self, args: tuple, kwargs: dict):
        """The function's value, on copies: a function that writes into its arguments leaves them alone."""
        return self.original(*owned_input(tuple(args)), **{k: owned_input(v) for k, v in kwargs.items()})

    def _run(self, args: tuple, kwargs: dict, **extra):
        """The emitted code called on the arguments, those it may write into copied (each call its own)."""
        positions, names = self._written()
        if self._user_written():  # an array passed twice would be written through one name only
            user = dict(zip(inspect.signature(self.original).parameters, args), **kwargs)
            refuse_shared_arguments(self.original.__name__, user, self._user_written())
        if positions:
            args = tuple(owned_input(a) if i in positions else a for i, a in enumerate(args))
        if names:
            kwargs = {k: owned_input(v) if k in names else v for k, v in kwargs.items()}
            extra = {k: owned_input(v) if k in names else v for k, v in extra.items()}
        return self.stage.function(*args, **kwargs, **extra)

    def _written(self) -> Tuple[frozenset, frozenset]:
        """The positions and names of the parameters the stage's code may write into, found once a stage."""
        stage = self.stage
        if getattr(self, "_written_for", None) is not stage:
            main = stage.sources[stage.name].node
            names = frozenset(written_inputs(main, [source.node for source in stage.sources.values()]))
            positions = frozenset(i for i, name in enumerate(stage.params) if name in names)
            self._written_for, self._written_sets = stage, (positions, names)
        return self._written_sets

    def _user_written(self) -> frozenset:
        """The user's names of the parameters the function writes into (through its helpers too)."""
        if getattr(self, "_user_written_params", None) is None:  # by the user's own code, not the emitted
            node = function_source(self.original).node
            self._user_written_params = frozenset(unmark(n) for n in written_inputs(node))
        return self._user_written_params

    def _float_args(self, args: tuple, kwargs: dict) -> Tuple[tuple, dict, np.ndarray]:
        """The arguments with the one differentiated read as a float array (checked as in the general
        path below), and that array."""
        if not kwargs and len(args) > self.index:  # a float or float64 array, passed positionally
            given = args[self.index]
            kind = type(given)
            if kind is float or kind is np.ndarray and given.dtype is _FLOAT:
                x = given if kind is np.ndarray else np.asarray(given, dtype=float)  # as stacked_input makes
                return args[:self.index] + (x,) + args[self.index + 1:], kwargs, x
        args = list(args)
        kwargs = dict(kwargs)
        given = kwargs.get(self.wrt, args[self.index] if len(args) > self.index else None)
        if isinstance(given, dict):
            raise TypeError(f"a {self.kind} with respect to '{self.wrt}', a dict, is not supported: its rows "
                            "and columns run over one array; pass the dict's arrays as separate arguments "
                            "and take one with respect to each (sct.grad and sct.forward take dicts, key by "
                            "key)")
        if isinstance(given, (list, tuple)):  # made an array below: Python's `+` would have joined it
            refuse_joined_sequence(given, self.wrt, joined_parameters_of(self.original))
            refuse_written_sequence(given, self.wrt, written_parameters_of(self.original), self.kind)
        needs = f"a {self.kind}"
        if self.wrt in kwargs:
            kwargs[self.wrt] = stacked_input(float_input(kwargs[self.wrt], self.wrt), self.wrt, needs)
            x = kwargs[self.wrt]
        else:
            if len(args) <= self.index:
                raise TypeError(f"{self.kind} of {self.original.__name__} needs argument '{self.wrt}'")
            args[self.index] = stacked_input(float_input(args[self.index], self.wrt), self.wrt, needs)
            x = args[self.index]
        if holds_integers(given):
            original = dict(kwargs, **{self.wrt: given}) if self.wrt in kwargs else kwargs
            positional = args if self.wrt in kwargs else args[:self.index] + [given] + args[self.index + 1:]
            refuse_integer_dependence(self.original, (positional, original), (args, kwargs), self.wrt)
        return tuple(args), kwargs, x

    @property
    def source(self) -> str:
        """The emitted module that computes this derivative."""
        header = f"{self.describe()}, emitted by sct."
        if getattr(self, "first", None) is not None and self.stage is not self.first:
            header += ("\n\nIt differentiates the first-derivative code in `first_source`, whose adjoints "
                       "and tangents\n(x_bar, x_dot) are named xbar, xdot there; their derivatives here are "
                       "xbar_dot, xdot_bar.")
        return self.stage.source_module(header)

    @property
    def first_source(self) -> str:
        """The first-derivative code that the second transformation read (second-order objects only)."""
        first = getattr(self, "first", None)
        if first is None:
            raise AttributeError(f"{self.describe()} is emitted in one transformation: see .source")
        header = f"First derivative of {self.original.__name__}, as transformed again by sct."
        return first.source_module(header)

    def describe(self) -> str:
        return f"{self.kind} of {self.original.__name__} with respect to {self.wrt}"

    def __repr__(self) -> str:
        return f"<sct {self.describe()}>"
