"""Derivatives of functions that take functions: ``def max_objective(p1, start, inner_gradient)``.

A parameter that the function calls, or passes on to a call, may be given a function when the derivative
is called: a ``def`` function, a derivative sct made (``sct.grad(g)``, ``sct.jacobian(g)``), or anything
else sct resolves as it would a global name. sct cannot differentiate such a call before it knows the
function, so a derivative whose transformation is refused (a call of a parameter sct cannot see into)
waits for its first call: the function is then transformed again with those parameters bound to the
functions passed (:func:`specialised`, read by :func:`sct.frontend.source.function_source`), once per
identity of those functions. A call that passes no function raises the refusal.
"""
from __future__ import annotations

import ast
import inspect
import types
from typing import Callable, Dict, Optional, Sequence, Tuple

from .errors import SCTError
from .frontend.namespace import BOUND, bound_functions
from .frontend.source import function_source, stand_in
from .modes.program import LOCAL_CALL

_SPECIALISED: Dict[tuple, Tuple[tuple, Callable]] = {}  # the objects are held: their ids stay theirs


def function_parameters(func: Callable, wrt: Optional[Sequence[str]]) -> Tuple[str, ...]:
    """Parameters of ``func`` not in ``wrt`` (default: the first parameter) that its body calls or passes
    on to a helper (a user function): those that may be given a function (none in a specialisation)."""
    func = stand_in(func)
    if not inspect.isfunction(func) or bound_functions(func):  # a specialisation: its errors are its own
        return ()
    try:
        source = function_source(func)
    except SCTError:
        return ()
    params = [a.arg for a in source.node.args.args + source.node.args.kwonlyargs]
    skip = set(wrt or params[:1])
    used = set()
    for sub in ast.walk(source.node):
        if isinstance(sub, ast.Call):
            callee = source.resolver.qualname_of(sub.func)
            passed = [sub.func] + (list(sub.args) + [k.value for k in sub.keywords]
                                   if callee is not None and callee.kind == "helper" else [])
            used.update(n.id for n in passed if isinstance(n, ast.Name))
    return tuple(p for p in params if p in used and p not in skip)


def waits_for_functions(refusal: SCTError, params: Tuple[str, ...]) -> bool:
    """Whether a derivative refused with ``refusal`` waits for the functions a call passes: some parameter
    may be given one, and what was refused is a call of a parameter (here or in a helper)."""
    return bool(params) and refusal.construct == LOCAL_CALL


def is_function_argument(value) -> bool:
    """Is ``value`` a function to specialise on (not data, not a class)?"""
    return callable(value) and not isinstance(value, type)


def passed_functions(func: Callable, params: Tuple[str, ...], args: tuple, kwargs: dict) -> Dict[str, object]:
    """Of ``params``, those given a function by the call ``func(*args, **kwargs)`` (extra positional
    arguments, such as forward mode's tangents, are ignored)."""
    positional = [p.name for p in inspect.signature(func).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    given = dict(zip(positional, args))
    given.update(kwargs)
    return {name: given[name] for name in params if name in given and is_function_argument(given[name])}


def specialised(func: Callable, bound: Dict[str, object]) -> Callable:
    """A copy of ``func`` (same code, globals and closure) whose parameters in ``bound`` sct resolves to
    the functions given there; the same copy for the same ``func`` and the same objects."""
    key = (func, tuple(sorted((name, id(obj)) for name, obj in bound.items())))
    hit = _SPECIALISED.get(key)
    if hit is None:
        made = types.FunctionType(func.__code__, func.__globals__, func.__name__, func.__defaults__,
                                  func.__closure__)
        made.__kwdefaults__ = func.__kwdefaults__
        made.__qualname__ = func.__qualname__
        made.__module__ = func.__module__
        made.__doc__ = func.__doc__
        setattr(made, BOUND, dict(bound))
        hit = _SPECIALISED[key] = (tuple(bound.values()), made)
    return hit[1]


def refusal_without_functions(refusal: SCTError, params: Tuple[str, ...]) -> SCTError:
    """The refusal of a derivative called without a function for any of ``params``, saying so."""
    names = ", ".join(f"'{p}'" for p in params)
    return SCTError(f"{refusal.reason}; the derivative is made when it is called with a function for "
                    f"{names}, and this call passes none", refusal.filename, refusal.lineno, refusal.col,
                    hint=refusal.hint, construct=refusal.construct)


class AwaitingFunctions:
    """What ``sct.jacobian``, ``sct.hessian`` and ``sct.hvp`` return for a function whose transformation
    waits for the functions a call passes (module docstring): each call goes to the object made, by
    ``make_for(specialised function)``, for the functions it passes."""

    _watch = None
    _remake: Optional[Callable] = None

    def __init__(self, func: Callable, params: Tuple[str, ...], refusal: SCTError,
                 make_for: Callable[[Callable], Callable]):
        self.original = func
        self.params = params
        self.refusal = refusal
        self.make_for = make_for
        self.__name__ = getattr(func, "__name__", "derivative")

    def __call__(self, *args, **kwargs):
        if self._watch is not None and self._watch.changed():
            return self._remake()(*args, **kwargs)
        passed = passed_functions(self.original, self.params, args, kwargs)
        if not passed:
            raise refusal_without_functions(self.refusal, self.params)
        self._last = self.make_for(specialised(self.original, passed))
        return self._last(*args, **kwargs)

    def __getattr__(self, name: str):
        """What the object made at the last call says (``.vectorized``, ``.note``, ...)."""
        last = self.__dict__.get("_last")
        if last is None or name.startswith("__"):
            raise AttributeError(f"{name}: {self!r} is made when it is called")
        return getattr(last, name)

    @property
    def source(self) -> str:
        """The code emitted for the functions the last call passed."""
        if self.__dict__.get("_last") is None:
            raise refusal_without_functions(self.refusal, self.params)
        return self._last.source

    def __repr__(self) -> str:
        waiting = ", ".join(self.params)
        return f"<sct derivative of {self.__name__}, made for the functions passed for {waiting}>"
