"""The public API: forward, reverse, grad and the differentiate decorator, with caching."""
from __future__ import annotations

import dataclasses
import inspect
from typing import Callable, Dict, Optional, Sequence, Tuple, Union

import numpy as np

from .analysis.joined_parameters import (
    element_written_parameters,
    joined_parameters,
    refuse_element_written_sequence,
    refuse_joined_sequence,
)
from .backends import check_backend, run_by
from .call_values import bind_arguments, ragged, refuse_complex, shaped_like
from .emit.render import compile_functions, module_source
from .errors import SCTError
from .frontend.checkpoint_marker import Checkpointing, checkpoint_setting
from .frontend.inputs import written_inputs
from .frontend.namespace import StandIn, Watch, emitted_namespace, unmark
from .frontend.source import function_source, protected, stand_in
from .higher.compose import stand_in as derivative_stand_in
from .integer_inputs import holds_integers, refuse_integer_dependence
from .modes.program import Transformed
from .pipeline import Stages, transform
from .plain_call import PlainCall
from .positional_call import positional_call
from .runtime import float_input, owned_input, refuse_shared_arguments
from .runtime.inputs import stacked_input
from .specialise import (
    function_parameters,
    passed_functions,
    refusal_without_functions,
    specialised,
    waits_for_functions,
)
from .verbosity import show_source, show_stages

Wrt = Union[str, Sequence[str], None]
_CACHE: Dict[tuple, "Derivative"] = {}


def _normalize_wrt(wrt: Wrt) -> Tuple[Optional[Tuple[str, ...]], bool]:
    if wrt is None:
        return None, True
    if isinstance(wrt, str):
        return tuple(w.strip() for w in wrt.split(",")), "," not in wrt
    return tuple(wrt), False


class Derivative(StandIn):
    """A derivative function emitted by sct. Call it like the original function (see each mode).

    ``.source`` is the emitted Python source, ``.mode`` and ``.wrt`` say what it computes. It reads the
    user's globals when called, as the original does, and is emitted again when a helper it calls, or
    what a name it calls refers to, has changed since (see :mod:`sct.frontend.namespace`). In reverse mode
    a differentiated tuple or list whose items do not stack (``(W, b)``) is read item by item: the call
    goes to a derivative made for those parameters (``containers``), whose adjoints are lists of items.
    """

    def __init__(self, func: Callable, mode: str, wrt: Wrt, stages: Optional[Stages] = None,
                 checkpoints: Optional[Checkpointing] = None, containers: Tuple[str, ...] = (),
                 backend: str = "numpy"):
        self.containers = containers
        self.backend = check_backend(backend)  # what runs the emitted code (see sct.backends)
        self.wrt_names, self.single = _normalize_wrt(wrt)
        self.made_from = func  # a derivative made by sct is differentiated through its emitted code:
        self.original = stand_in(func)  # the function that stands in for it (see sct.higher.compose)
        self.mode = mode
        self.checkpoints = checkpoints  # reverse each outermost loop in bounded memory (modes.checkpoint)
        self._stages = stages  # called with what each pass of the pipeline makes (see sct.pipeline)
        self._given_wrt = wrt
        self._function_params = function_parameters(func, self.wrt_names)
        self.wrt = self.wrt_names or ()
        self._refusal: Optional[SCTError] = None
        self._emit_or_wait()

    def _emit_or_wait(self) -> None:
        """Emit the derivative; when that is refused and some parameters may be given functions, wait for
        the call that gives them (see :mod:`sct.specialise`)."""
        try:
            self._emit()
            self._refusal = None
        except SCTError as exc:
            if not waits_for_functions(exc, self._function_params):
                raise
            self._refusal = exc

    def _emit(self) -> None:
        self.original = stand_in(self.made_from)
        func, mode = self.original, self.mode
        self._watch = Watch(func)
        source = function_source(func)
        if self.containers:  # its adjoints item by item, as a helper's parameters given containers
            told = tuple(protected(name) for name in self.containers)
            source = dataclasses.replace(source, extra={**source.extra, "containers": told})
        self.joined = joined_parameters(source.node, source.resolver)
        self.element_written = element_written_parameters(source.node, source.resolver)
        self.user_written = {unmark(n) for n in written_inputs(source.node)}  # by the user's own code
        wrt = tuple(protected(w) for w in self.wrt_names) if self.wrt_names else None
        self.transformed: Transformed = transform(source, wrt, mode, stages=self._stages,
                                                   checkpoints=self.checkpoints)
        self.wrt = tuple(unmark(w) for w in self.transformed.wrt)
        namespace = emitted_namespace(func)
        filename = f"<sct {mode} derivative of {func.__qualname__}>"
        self.function = run_by(self.backend, compile_functions(self.transformed, namespace, filename),
                               self.transformed.name)
        code = self.function.__code__
        params = list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
        self.derivative_params = params[len(params) - len(self.wrt):] if mode == "forward" else []
        self.seed_param = code.co_varnames[code.co_argcount - 1]  # reverse: the last positional one
        functions = self.transformed.functions
        self.written = {unmark(n) for n in written_inputs(functions[-1], functions)}
        given = self.derivative_params if mode == "forward" else []
        self._positional = positional_call(self.original, self.function, given,
                                           given if mode == "forward" else [self.seed_param])
        if self._positional is not None:
            self._plain = PlainCall(self._positional.params, self.wrt, given, self.written)
            # the output seed is `seed=`, or the emitted name (`seed_1`) when f has a parameter `seed`
            self._seed_key = self.seed_param if "seed" in self._positional.params else "seed"
        self._seed = self._prepare(self.seed_param, float_input(1.0, "seed"))  # the default seed
        self.__name__ = self.transformed.name
        self.__doc__ = f"{mode}-mode derivative of {func.__name__} with respect to {', '.join(self.wrt)}"
        self._source: Optional[str] = None

    def refresh(self) -> "Derivative":
        """Emit the derivative again if what it was made from has changed; returns ``self``."""
        if self._watch.changed():
            self._emit_or_wait()
        return self

    @property
    def source(self) -> str:
        """The emitted module: derivative function(s) and the helpers they use, standalone."""
        self.refresh()
        if self._refusal is not None:
            raise self._refusal
        if self._source is None:
            header = (f"{self.mode.capitalize()}-mode derivative of {self.original.__name__} with respect to "
                      f"{', '.join(self.wrt)}, emitted by sct.")
            self._source = module_source(self.transformed, header, comments=False)
        return self._source

    def __call__(self, *args, **kwargs):
        try:
            return self._call(args, dict(kwargs))  # a copy: the call pops the seed and tangents
        except _Ragged as given:  # made once for those parameters, then called directly
            return _derivative(self.made_from, self.mode, self._given_wrt, checkpoints=self.checkpoints,
                               containers=tuple(sorted(self.containers + given.names)),
                               backend=self.backend)(*args, **kwargs)

    def _call(self, args: tuple, kwargs: dict):
        if self._watch.changed():
            self._emit_or_wait()
        if self._refusal is not None:  # made for the functions this call passes
            return self._specialised(args, kwargs)(*args, **kwargs)
        if self._positional is not None and (not kwargs or self._seed_alone(kwargs)):  # the short path
            split = self._positional.split(args)
            if split is not None:
                seed = self._extra(self.seed_param, kwargs[self._seed_key]) if kwargs else self._seed
                return self._call_positional(*split, seed)
        if self.mode == "forward":
            extras = {p: kwargs.pop(p) for p in self.derivative_params if p in kwargs}
            missing = [p for p in self.derivative_params if p not in extras]
            given = next((k for k in range(min(len(missing), len(args)), -1, -1)
                          if _binds(self._signature(), args[:len(args) - k], kwargs)), len(missing))
            bound = self._bind(args[:len(args) - given], kwargs, missing[given:])
            extras.update(zip(missing, args[len(args) - given:]))
        else:
            # the output seed is `seed=`, or the emitted name (`seed_1`) when f has a parameter `seed`
            key = self.seed_param if "seed" in self._signature().parameters else "seed"
            extras = {self.seed_param: kwargs.pop(key, 1.0)}
            bound = self._bind(args, kwargs, [])
        containers = {}
        given = (bound.args, bound.kwargs)
        for name, value in bound.arguments.items():
            bound.arguments[name] = self._argument(name, value, containers)
        self._check_integers(containers, given, (bound.args, bound.kwargs))
        for name, value in extras.items():
            extras[name] = self._extra(name, value)
        result = self.function(*bound.args, **bound.kwargs, **extras)
        return self._result(result, [containers[name] for name in self.wrt])

    def _check_integers(self, containers: dict, given: tuple, read: tuple) -> None:
        """A differentiated argument holding integers: ``f`` must compute the same from it as floats."""
        name = next((n for n, value in containers.items() if holds_integers(value)), None)
        if name is not None:
            refuse_integer_dependence(self.original, given, read, name)

    def _seed_alone(self, kwargs: dict) -> bool:
        """Is the only keyword argument a reverse derivative's output seed?"""
        return self.mode == "reverse" and len(kwargs) == 1 and self._seed_key in kwargs

    def _call_positional(self, primal: tuple, given: tuple, seed):
        """The call with the original's arguments ``primal`` (all of them, in order), a forward
        derivative's tangents ``given`` or a reverse one's ``seed`` (see :mod:`sct.positional_call`)."""
        params = self._positional.params
        if self.user_written:
            refuse_shared_arguments(self.original.__name__, dict(zip(params, primal)), self.user_written)
        args = self._plain.arguments(primal, given)  # floats and float arrays: nothing to check or cast
        if args is None:
            containers = {}
            args = [self._argument(name, value, containers) for name, value in zip(params, primal)]
            self._check_integers(containers, (primal, {}), (args, {}))
            args += [self._extra(name, value) for name, value in zip(self.derivative_params, given)]
        positional = self._positional.passed_positionally
        if self.mode == "forward":
            if positional:
                return self.function(*args)
            return self.function(*args[:len(params)], **dict(zip(self.derivative_params, args[len(params):])))
        result = self.function(*args, seed) if positional else self.function(*args, **{self.seed_param: seed})
        return self._result(result, self._plain.differentiated_arguments(primal))

    def _argument(self, name: str, value, containers: dict):
        """The primal argument ``name`` as the emitted code reads it: a differentiated one as floats (its
        container kept in ``containers``, to shape its adjoint), checked, and copied if it is written."""
        if name in self.wrt:
            containers[name] = value
            cast = float_input(value, name)
            if isinstance(value, (tuple, list)):
                refuse_joined_sequence(value, name, self.joined)
                if self.mode == "reverse":
                    refuse_element_written_sequence(value, name, self.element_written)
                    if ragged([(name, cast)], self.containers):
                        raise _Ragged((name,))
                    if name not in self.containers:
                        stacked_input(cast, name)  # its adjoint is added up as one array
        else:
            cast = value
            refuse_complex(value, name)
        return self._prepare(name, cast)

    def _extra(self, name: str, value):
        """A tangent (forward mode) or the output seed (reverse mode) as the emitted code reads it."""
        return self._prepare(name, float_input(value, name if self.mode == "forward" else "seed"))

    def _result(self, result, differentiated: Sequence):
        """What the call returns: the emitted function's ``result``, adjoints shaped like the
        ``differentiated`` arguments (as passed, in the order of ``wrt``)."""
        if self.mode == "forward":
            return result
        value, grads = result
        if len(self.wrt) == 1:
            grads = shaped_like(grads, differentiated[0])
            return value, grads if self.single else (grads,)
        return value, tuple(shaped_like(g, argument) for g, argument in zip(grads, differentiated))

    def _specialised(self, args: tuple, kwargs: dict) -> "Derivative":
        passed = passed_functions(self.original, self._function_params, args, kwargs)
        if not passed:
            raise refusal_without_functions(self._refusal, self._function_params)
        return _derivative(specialised(self.original, passed), self.mode, self._given_wrt,
                           checkpoints=self.checkpoints, backend=self.backend)

    def _prepare(self, name: str, value):
        """``value``, copied if the emitted code writes into it."""
        return owned_input(value) if name in self.written else value

    def _bind(self, args: tuple, kwargs: dict, missing: list) -> inspect.BoundArguments:
        """Bind the primal arguments to the original's signature, with its current default values."""
        signature = self._signature()
        described = f"{self.original.__name__}{signature}"
        if missing:
            raise TypeError(f"{self.__name__} takes the arguments of {described} followed by one tangent per "
                            f"differentiated argument: the tangent {', '.join(missing)} "
                            f"{'is' if len(missing) == 1 else 'are'} missing")
        bound = bind_arguments(signature, args, kwargs, self.__name__, self.original.__name__, self.mode,
                               self.seed_param)
        bound.apply_defaults()
        return bound

    def _signature(self) -> inspect.Signature:
        """The original's signature, made again only when its default values were replaced."""
        func = self.original
        key = (func.__defaults__, func.__kwdefaults__)
        cached = getattr(self, "_signature_cache", None)
        if cached is None or cached[0][0] is not key[0] or cached[0][1] is not key[1]:
            self._signature_cache = cached = (key, inspect.signature(func))
        return cached[1]

    def __repr__(self) -> str:
        return f"<sct {self.mode} derivative {getattr(self, '__name__', '')} wrt {', '.join(self.wrt)}>"

    def __sct_function__(self) -> Callable:
        """The live function with source that stands for this derivative when sct differentiates it
        again (see :mod:`sct.higher.compose`)."""
        if self._refusal is not None:
            raise self._refusal
        return derivative_stand_in(self)


def _binds(signature: inspect.Signature, args: tuple, kwargs: dict) -> bool:
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        return False
    return True


class _Ragged(Exception):
    """Raised by a call passing the differentiated parameters ``names`` tuples or lists whose items do not
    stack: the call goes to the derivative made for them (see :class:`Derivative`)."""

    def __init__(self, names: Tuple[str, ...]):
        super().__init__(names)
        self.names = names


def _derivative(func: Callable, mode: str, wrt: Wrt, verbose: int = 0,
                checkpoints: Optional[Checkpointing] = None, containers: Tuple[str, ...] = (),
                backend: str = "numpy") -> Derivative:
    if verbose:  # made anew, so that every pass runs and shows what it makes
        return show_source(Derivative(func, mode, wrt, show_stages(verbose), checkpoints, backend=backend),
                           verbose)
    key = (func, mode, wrt if not isinstance(wrt, list) else tuple(wrt), checkpoints, containers, backend)
    if key not in _CACHE:
        _CACHE[key] = Derivative(func, mode, wrt, checkpoints=checkpoints, containers=containers,
                                 backend=backend)
    return _CACHE[key].refresh()


def forward(func: Callable, wrt: Wrt = None, verbose: int = 0, backend: str = "numpy") -> Derivative:
    """Forward-mode derivative: ``df(*args, *tangents) -> (value, value_dot)``.

    One tangent per ``wrt`` parameter (default: the first parameter), shaped like that argument (for a
    dict argument, a dict with its keys). ``verbose=1`` prints the emitted module to stderr,
    ``verbose=2`` also the source after each pass of the pipeline (the derivative is then made anew
    rather than taken from the cache). ``backend="numba"`` runs the emitted code compiled by numba, or
    refuses it with an SCTError (see :mod:`sct.backends`).
    """
    return _derivative(func, "forward", wrt, verbose, backend=backend)


def reverse(func: Callable, wrt: Wrt = None, verbose: int = 0, checkpoints: Optional[int] = None,
            checkpoint_memory: Union[int, str, None] = None, backend: str = "numpy") -> Derivative:
    """Reverse-mode derivative: ``bf(*args, seed=1.0) -> (value, grads)``.

    ``grads`` is one adjoint per ``wrt`` parameter, bare when ``wrt`` is a single name. ``seed`` is the
    adjoint of the output: an array of the output's shape gives a vector-Jacobian product, a scalar stands
    for every entry (the default gives the gradient of the sum of the entries), a tuple output takes one
    seed per element, a dict output a dict of seeds (or a scalar). The adjoint of a dict argument is a
    dict with its keys. A seed of any other shape raises ``ValueError``. ``verbose``: see :func:`forward`.

    ``checkpoints=C`` reverses every outermost loop of ``func`` keeping at most ``C`` copies of the loop's
    state and recomputing the iterations in between (Griewank and Walther's binomial schedule), instead of
    keeping what each iteration overwrites; ``checkpoint_memory="500MB"`` takes as many copies as that
    holds. ``sct.checkpointed`` marks one loop instead. ``backend``: see :func:`forward`.
    """
    return _derivative(func, "reverse", wrt, verbose, checkpoint_setting(checkpoints, checkpoint_memory),
                       backend=backend)


def grad(func: Callable, wrt: Wrt = None, verbose: int = 0, checkpoints: Optional[int] = None,
         checkpoint_memory: Union[int, str, None] = None, backend: str = "numpy") -> Callable:
    """Gradient of a scalar-valued function: ``g(*args) -> gradient`` (a tuple for several ``wrt``).

    The gradient with respect to a dict argument (of arrays and numbers) is a dict with the same keys.
    ``verbose``, ``backend``: see :func:`forward`; ``checkpoints``, ``checkpoint_memory``: see
    :func:`reverse`."""
    derivative = reverse(func, wrt, verbose, checkpoints, checkpoint_memory, backend)

    def gradient(*args, **kwargs):
        value, grads = derivative(*args, **kwargs)
        if not isinstance(value, float) and np.ndim(value) != 0:
            raise ValueError(f"grad needs a scalar-valued function; {func.__name__} returned shape "
                             f"{np.shape(value)} (use sct.reverse with a seed for vector outputs)")
        return grads

    gradient.__name__ = f"grad_{func.__name__}"
    if derivative._refusal is None:  # else made for the functions a call passes (sct.specialise)
        gradient.source = derivative.source
    gradient.derivative = derivative
    gradient.__sct_function__ = lambda: derivative_stand_in(derivative, gradient_only=True)
    return gradient


def differentiate(mode: str = "reverse", wrt: Wrt = None,
                  verbose: int = 0) -> Callable[[Callable], Derivative]:
    """Decorator form: ``@sct.differentiate(mode="forward", wrt="x")`` returns the derivative function
    (``verbose``: see :func:`forward`)."""
    if mode not in ("forward", "reverse"):
        raise ValueError(f"mode must be 'forward' or 'reverse', not {mode!r}")

    def decorate(func: Callable) -> Derivative:
        return _derivative(func, mode, wrt, verbose)
    return decorate


