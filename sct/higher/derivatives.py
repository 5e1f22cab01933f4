"""Higher derivatives and whole Jacobians: ``sct.jacobian``, ``sct.hvp``, ``sct.hessian``.

Second derivatives come from transforming emitted code again (see :mod:`sct.higher.stages`): the
Hessian-vector
product is the forward-mode derivative of the reverse-mode gradient code ("forward over reverse", one
sweep); ``method="reverse-over-forward"`` instead differentiates the forward-mode code in reverse mode.

Whole Jacobians and Hessians use vector mode (:mod:`sct.modes.batch_forward`): a batch of tangent directions
travels as one extra leading axis through one sweep, so ``jacobian(f, mode="forward")`` pushes the
identity through ``f`` once and ``hessian`` pushes it through the gradient code once; ``jacobian(f,
mode="reverse")`` pulls a batch of seeds back in one reverse sweep (:mod:`sct.modes.batch_reverse`). Where a
program cannot be batched (a rule without a batched form), the answer is assembled from one sweep per
direction instead, and ``.vectorized`` is False with the reason in ``.note``.

Every emitted stage is readable: ``.source`` of each object is the code that computes it.
"""
from __future__ import annotations

import functools
import math
from typing import Callable, Dict, Optional

import numpy as np

from ..analysis.random_draws import random_draw
from ..errors import SCTError
from ..frontend.checkpoint_marker import PLAIN
from ..frontend.namespace import Watch, emitted_namespace
from ..frontend.source import function_source, protected, stand_in
from ..pipeline import Stages, transform, vector_transform
from ..specialise import AwaitingFunctions, function_parameters, waits_for_functions
from ..verbosity import show_source, show_stages
from .arguments import Higher, identity
from .jacobian_stand_in import jacobian_stand_in
from .known_outputs import KnownOutputs, call_signature, output_shape
from .stages import Stage, stage_from, transform_stage

_CACHE: Dict[tuple, object] = {}
HVP_METHODS = ("forward-over-reverse", "reverse-over-forward")


def first_stage(func: Callable, wrt: str, mode: str, vector: bool = False, final: bool = False,
                stages: Optional[Stages] = None) -> Stage:
    """The first derivative of ``func`` (``mode``, optionally in vector mode), compiled as a stage that
    can be transformed again (unless ``final``); with ``stages`` (see :mod:`sct.pipeline`) made anew."""
    key = ("stage", func, wrt, mode, vector, final)
    if stages is None and key in _CACHE and not _CACHE[key][0].changed():
        return _CACHE[key][1]
    watch = Watch(func)
    source = function_source(func)
    plain = {} if final or vector else {"checkpoints": PLAIN}  # the driver is not differentiated again
    transformed = _transform(vector, stages)(source, (protected(wrt),), mode, **plain)
    label = f"{'vector ' if vector else ''}{mode} derivative of {func.__qualname__}"
    made = stage_from(transformed, emitted_namespace(func), label, final)
    if stages is None:
        _CACHE[key] = (watch, made)
    return made


def second_stage(func: Callable, wrt: str, first: Stage, mode: str, stages: Optional[Stages] = None) -> Stage:
    """The ``mode`` derivative of the first-derivative stage ``first`` of ``func`` (not in vector mode),
    made once per first stage (so that ``hvp`` and ``grad_and_hvp`` share it); with ``stages`` made anew."""
    key = ("second stage", func, wrt, mode)
    if stages is None and key in _CACHE and _CACHE[key][0] is first:
        return _CACHE[key][1]
    over = "forward over reverse" if mode == "forward" else "reverse over forward"
    unread = ((1, 0),) if mode == "forward" else ()  # the value's tangent: hvp and grad_and_hvp drop it
    made = transform_stage(first, (protected(wrt),), mode, f"{over} derivative of {func.__qualname__}",
                           _transform(False, stages), unread=unread)
    if stages is None:
        _CACHE[key] = (first, made)
    return made


def _transform(vector: bool, stages: Optional[Stages]) -> Callable:
    """The pipeline's entry, in vector mode or not, reporting each pass to ``stages``."""
    return functools.partial(vector_transform if vector else transform, stages=stages)


class HessianVectorProduct(Higher):
    """``hvp(*args, v) -> H @ v`` for scalar-valued ``f``: one forward-over-reverse sweep (see module)."""

    kind = "Hessian-vector product"

    def __init__(self, func: Callable, wrt=None, method: str = HVP_METHODS[0],
                 stages: Optional[Stages] = None):
        super().__init__(func, wrt, stages)
        if method not in HVP_METHODS:
            raise ValueError(f"method must be one of {HVP_METHODS}, not {method!r}")
        self.method = method
        if method == "forward-over-reverse":
            self.first = first_stage(func, self.wrt, "reverse", stages=stages)
            self.stage = second_stage(func, self.wrt, self.first, "forward", stages)
            self.tangent = self.stage.derivative_params(1)[0]
        else:
            self.first = first_stage(func, self.wrt, "forward", stages=stages)
            self.stage = second_stage(func, self.wrt, self.first, "reverse", stages)
            self.tangent = self.first.derivative_params(1)[0]
            self.seed = self.stage.seed_param
        self.__name__ = self.stage.name

    def __call__(self, *args, **kwargs):
        if self._stale():
            return self._remake()(*args, **kwargs)
        return self._sweep(args, kwargs)[1]

    def _sweep(self, args: tuple, kwargs: dict) -> tuple:
        """(the gradient, ``H @ v``) from one sweep, ``v`` the last of ``args``; the gradient is None in
        reverse over forward mode, which does not compute it."""
        if not args:
            raise TypeError(f"{self.stage.name} needs the arguments of {self.original.__name__} and then v")
        *args, v = args
        args, kwargs, x = self._float_args(tuple(args), kwargs)
        given, v = v, np.asarray(v, dtype=float)
        if v.shape != x.shape:
            v = np.broadcast_to(v, x.shape)  # read-only
        elif not isinstance(given, (float, int)):  # a number is made a new array: nobody else reads it
            v = v.view()
            v.flags.writeable = False  # the caller's v, read-only (copied where the code writes into it)
        try:
            if self.method == "forward-over-reverse":
                (value, gradient), (_, product) = self._run(args, kwargs, **{self.tangent: v})
            else:
                gradient = None
                (value, _), product = self._run(args, kwargs, **{self.tangent: v, self.seed: (0.0, 1.0)})
        except (ValueError, TypeError):
            _check_scalar(self.original, self._primal(args, kwargs))
            raise
        _check_scalar(self.original, value)
        return gradient, product


def _loop_note(stage: Stage) -> str:
    notes = getattr(stage.transformed, "notes", [])
    if not notes:
        return ""
    return "vectorised except, looping over the directions: " + "; ".join(notes)


def _refuse_random_draws(func: Callable, runs: str) -> None:
    """A derivative that ``runs`` the function more than once is refused for a function drawing random
    numbers: each run draws anew, and the rows of the result would be of different functions."""
    source = function_source(func)
    draw = random_draw(source.node.body, source.resolver)
    if draw is not None:
        raise source.context.error(draw, f"{runs}, and this call draws random numbers anew in each run",
                                   construct="random draw",
                                   hint="draw the numbers outside and pass them as an argument, or use "
                                   "sct.jacobian(..., mode='forward') or sct.reverse with a seed")


def _check_scalar(func: Callable, value) -> None:
    if not isinstance(value, float) and np.ndim(value) != 0:
        raise ValueError(f"{func.__name__} must return a scalar for a Hessian; it returned shape "
                         f"{np.shape(value)} (use sct.jacobian of its gradient for vector outputs)")


class Hessian(Higher):
    """``hessian(*args) -> H`` of shape ``x.shape + x.shape``: vector forward mode over reverse mode."""

    kind = "Hessian"

    def __init__(self, func: Callable, wrt=None, stages: Optional[Stages] = None):
        super().__init__(func, wrt, stages)
        self.first = first_stage(func, self.wrt, "reverse", stages=stages)
        label = f"vector forward over reverse derivative of {func.__qualname__}"
        try:
            self.stage = transform_stage(self.first, (protected(self.wrt),), "forward", label,
                                         _transform(True, stages), unread=((0, 1), (1, 0)))
            self.tangent = self.stage.derivative_params(1)[0]
            self.fallback = None
            self.note = _loop_note(self.stage)
        except SCTError as exc:
            self.vectorized = False
            self.note = f"not vectorised ({exc.reason}); one Hessian-vector product per direction"
            _refuse_random_draws(func, "this Hessian makes one sweep per direction")
            self.fallback = hvp(func, self.wrt)
            self.stage = self.fallback.stage
        self.__name__ = self.stage.name

    def __call__(self, *args, **kwargs):
        if self._stale():
            return self._remake()(*args, **kwargs)
        args, kwargs, x = self._float_args(args, kwargs)
        n = x.size
        if self.fallback is not None:
            rows = []
            for direction in np.eye(n):
                call = list(args) + [direction.reshape(x.shape)]
                rows.append(np.ravel(self.fallback(*call, **kwargs)))
            return np.array(rows).T.reshape(x.shape + x.shape)
        directions = identity(n).reshape((n,) + x.shape)
        try:
            (value, _), (_, columns) = self._run(args, kwargs, **{self.tangent: directions})
        except (ValueError, TypeError):
            _check_scalar(self.original, self._primal(args, kwargs))
            raise
        _check_scalar(self.original, value)
        return np.asarray(columns).reshape(n, n).T.reshape(x.shape + x.shape)


class Jacobian(Higher):
    """``jacobian(*args) -> J`` of shape ``out.shape + x.shape``, in one vector-mode sweep."""

    kind = "Jacobian"

    def __init__(self, func: Callable, wrt=None, mode: str = "forward", stages: Optional[Stages] = None):
        super().__init__(func, wrt, stages)
        if mode not in ("forward", "reverse"):
            raise ValueError(f"mode must be 'forward' or 'reverse', not {mode!r}")
        self.mode = mode
        self.fallback = None
        self._outputs = KnownOutputs()  # the output's shape, for reverse mode's seeds
        try:
            self.stage = first_stage(func, self.wrt, mode, vector=True, final=True, stages=stages)
            self.note = _loop_note(self.stage)
        except SCTError as exc:
            self.vectorized = False
            self.note = f"not vectorised ({exc.reason}); one {mode} sweep per direction"
            _refuse_random_draws(func, f"this Jacobian makes one {mode} sweep per direction")
            self.stage = first_stage(func, self.wrt, mode, final=True, stages=stages)
            self.fallback = True
        if mode == "reverse":
            _refuse_random_draws(func, "a reverse-mode Jacobian runs the function once for its output's "
                                 "shape, then sweeps")
        # the stage's own parameter: the directions (forward) or the seeds (reverse), the last one
        self.tangent = self.stage.derivative_params(1)[0] if mode == "forward" else self.stage.seed_param
        self.__name__ = self.stage.name

    def describe(self) -> str:
        return f"{self.mode}-mode Jacobian of {self.original.__name__} with respect to {self.wrt}"

    @property
    def __sct_function__(self) -> Optional[Callable]:
        """What makes the live function with source that stands for this Jacobian when sct differentiates
        it again (see :mod:`sct.higher.jacobian_stand_in`). A reverse-mode Jacobian is the same function of
        the arguments, and has the same stand-in."""
        return functools.partial(jacobian_stand_in, self)

    def __call__(self, *args, **kwargs):
        if self._stale():
            return self._remake()(*args, **kwargs)
        args, kwargs, x = self._float_args(args, kwargs)
        if self.mode == "forward":
            return self._forward(args, kwargs, x)
        return self._reverse(args, kwargs, x)

    def _forward(self, args, kwargs, x):
        n = x.size
        tangent = self.tangent
        if self.fallback:
            runs = [self._run(args, kwargs, **{tangent: d.reshape(x.shape)}) for d in np.eye(n)]
            columns = [tangents for _, tangents in runs]
            value = runs[0][0] if runs else self._primal(args, kwargs)
        else:
            value, columns = self._run(args, kwargs, **{tangent: identity(n).reshape((n,) + x.shape)})
        if _sequence_output(self.original, value) and not self.fallback:
            columns = np.stack([np.asarray(c, dtype=float) for c in columns], axis=1)  # directions first
        columns = np.asarray(columns, dtype=float)
        out_shape = columns.shape[1:]
        if not out_shape:  # a scalar output: the directions' axis is the only one
            return columns.reshape(x.shape)
        last_first = tuple(range(1, len(out_shape) + 1)) + (0,)  # the directions' axis moved last
        return columns.reshape((n,) + out_shape).transpose(last_first).reshape(out_shape + x.shape)

    def _reverse(self, args, kwargs, x):
        signature = call_signature(args, kwargs) if not self.fallback else None
        known = self._outputs.guess(signature)
        if known is not None:  # the output's shape found by an earlier call: checked against this one's
            try:
                value, rows = self._pull_back(args, kwargs, *known)
                if _sequence_output(self.original, value) == known[1] and output_shape(value) == known[0]:
                    return np.asarray(rows, dtype=float).reshape(known[0] + x.shape)
            except Exception:  # seeds of the wrong shape: the function's run below finds the right one
                pass
        value = self._primal(args, kwargs)
        sequence = _sequence_output(self.original, value)  # first: it refuses other containers
        known = (output_shape(value), sequence)
        self._outputs.keep(signature, known)
        if self.fallback:
            out_shape, sequence = known
            seeds = [s.reshape(out_shape) for s in np.eye(math.prod(out_shape))]
            rows = [self._run(args, kwargs, **{self.tangent: tuple(s) if sequence else s})[1] for s in seeds]
        else:
            rows = self._pull_back(args, kwargs, *known)[1]
        return np.asarray(rows, dtype=float).reshape(known[0] + x.shape)

    def _pull_back(self, args: tuple, kwargs: dict, out_shape: tuple, sequence: bool) -> tuple:
        """(the output, the Jacobian's rows) from one vector reverse sweep, the output of ``out_shape``."""
        m = math.prod(out_shape)
        seeds = identity(m).reshape((m,) + out_shape)
        # a sequence output takes one batch of seeds per item: items first, directions second
        batch = tuple(np.moveaxis(seeds, 1, 0)) if sequence else seeds
        return self._run(args, kwargs, **{self.tangent: batch})


def _sequence_output(func: Callable, value) -> bool:
    """Is ``value`` a list or tuple that stands for one array (items of one shape)? Other containers are
    refused: a Jacobian's rows run over the entries of one array."""
    if not isinstance(value, (list, tuple, dict)):
        return False
    if isinstance(value, dict):
        described = f"keys {sorted(value, key=repr)}"
    else:
        flat = not any(isinstance(item, (list, tuple, dict)) for item in value)
        if flat and len({np.shape(item) for item in value}) <= 1:
            return True
        described = [np.shape(item) for item in value]
    raise TypeError(f"{func.__name__} returns a {type(value).__name__} ({described}); a Jacobian needs one "
                    "array: take the Jacobian of a function returning each output, or return "
                    "np.concatenate / np.stack of them")


def _cached(kind: str, func: Callable, wrt, make: Callable, *extra, verbose: int = 0):
    """The object ``make(stages)`` makes, from the cache while nothing it depends on changed; with
    ``verbose`` made anew, so that every pass runs and shows what it makes (see :func:`sct.forward`)."""
    key = (kind, func, wrt if not isinstance(wrt, list) else tuple(wrt)) + extra
    if verbose or key not in _CACHE or _CACHE[key][0].changed():  # made again when a helper or callee changed
        watch = Watch(stand_in(func))  # a derivative made by sct: what stands in for it (sct.higher.compose)
        try:
            made = make(func, show_stages(verbose))
        except SCTError as exc:  # made for the functions a call passes, if it passes some (sct.specialise)
            params = function_parameters(func, [wrt] if isinstance(wrt, str) else None)
            if not waits_for_functions(exc, params):
                raise
            made = AwaitingFunctions(func, params, exc,
                                     lambda bound: _cached(kind, bound, wrt, make, *extra, verbose=verbose))
        made._watch, made._remake = watch, lambda: _cached(kind, func, wrt, make, *extra, verbose=verbose)
        if verbose:
            return show_source(made, verbose)
        _CACHE[key] = (watch, made)
    return _CACHE[key][1]


def hvp(func: Callable, wrt: Optional[str] = None, method: str = "forward-over-reverse",
        verbose: int = 0) -> HessianVectorProduct:
    """Hessian-vector product of a scalar-valued ``func``: ``hvp(*args, v) -> H @ v``, in one sweep.

    ``v`` is shaped like the ``wrt`` argument (default: the first parameter), and so is the result.
    ``method="reverse-over-forward"`` differentiates the forward-mode code in reverse mode instead. A dict
    ``wrt`` argument is refused (``TypeError``): pass its arrays as separate arguments.
    ``.source`` is the emitted second-order code. ``verbose``: as in :func:`sct.forward`, for each stage.
    """
    return _cached("hvp", func, wrt, lambda f, stages: HessianVectorProduct(stand_in(f), wrt, method, stages),
                   method, verbose=verbose)


def hessian(func: Callable, wrt: Optional[str] = None, verbose: int = 0) -> Hessian:
    """Hessian of a scalar-valued ``func``: ``hessian(*args) -> H`` with shape ``x.shape + x.shape``, ``x``
    the ``wrt`` argument (default: the first parameter, as in :func:`sct.grad`).

    Computed by vector forward mode over reverse mode: the identity's columns go through the emitted
    gradient code as one batch, so one sweep gives every column. Example, for a log-likelihood
    ``loglik(means, weights, X)``: ``H = sct.hessian(loglik, wrt="means")(means, weights, X)``;
    ``H.reshape(means.size, means.size)`` is the matrix, and standard errors of a maximum-likelihood fit
    are ``np.sqrt(np.diag(np.linalg.inv(-H_matrix)))``. ``verbose``: as in :func:`sct.forward`. A dict
    ``wrt`` argument is refused (``TypeError``): a Hessian's rows and columns run over one array, so pass
    the dict's arrays as separate arguments.
    """
    return _cached("hessian", func, wrt, lambda f, stages: Hessian(stand_in(f), wrt, stages), verbose=verbose)


def jacobian(func: Callable, wrt: Optional[str] = None, mode: str = "forward", verbose: int = 0) -> Jacobian:
    """Jacobian of ``func``: ``J(*args)`` with shape ``out.shape + x.shape`` (``x`` the ``wrt`` argument;
    default: the first parameter, as in :func:`sct.grad`).

    ``mode="forward"`` pushes the identity through the vector forward-mode code (one column per
    direction, all in one sweep); ``mode="reverse"`` pulls one seed per output back through the vector
    reverse-mode code (one row each, one sweep). Prefer forward when ``x`` is small, reverse when the
    output is small. ``verbose``: as in :func:`sct.forward`. A dict ``wrt`` argument is refused
    (``TypeError``): pass its arrays as separate arguments (``sct.grad`` returns a dict for a dict).
    """
    return _cached("jacobian", func, wrt, lambda f, stages: Jacobian(stand_in(f), wrt, mode, stages), mode,
                   verbose=verbose)
