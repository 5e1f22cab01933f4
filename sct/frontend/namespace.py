"""The globals that emitted derivative code runs in, and when a derivative must be emitted again.

Emitted code reads the user's globals *when it runs*, as the original function does: its namespace holds
what sct adds (the emitted functions, the runtime helpers) and looks the user's values up, at each
access, in the closure and the globals of the function and of the helpers it calls (:class:`LiveNamespace`).
A rebound constant or array is therefore seen at once. What the emitted code itself depends on — which
function or module a name refers to, the code of the helpers that were differentiated — is summed up by
:func:`fingerprint`; a derivative whose fingerprint changed is emitted again (:class:`Watch` tells).
"""
from __future__ import annotations

import builtins
import functools
import inspect
import sys
import types
from typing import Callable, Dict, List, Optional, Tuple

import numpy

from ..rules.declared import plain_function, user_rules_version
from ..runtime.names import HELPER_NAMES

_LIBRARIES = ("numpy", "scipy", "autograd", "sct")
USER_MARK = "__sct_user_"
BOUND = "__sct_bound__"  # on a function: parameter -> the function passed for it (see sct.specialise)


def unmark(name: str) -> str:
    """The user's own name for an identifier that sct set apart (see
    :func:`sct.frontend.source.protect_names`)."""
    return name[len(USER_MARK):] if name.startswith(USER_MARK) else name


ABSENT = object()  # a name not bound (yet)


class StandIn:
    """Base of the objects sct makes of a user's function (derivatives): ``original`` is that function."""

    original: Callable


def calls_itself(func: Callable, name: str, value) -> bool:
    """Does ``name``, bound to ``value`` where ``func`` runs, name ``func`` itself? Also while a decorator
    (``@sct.differentiate``) runs, before the name is bound, and after, when it holds what sct made of it."""
    if name != getattr(func, "__name__", None):
        return False
    return value is func or value is ABSENT or isinstance(value, StandIn) and value.original is func


def _is_user_module(value) -> bool:
    name = (getattr(value, "__name__", None) or "").split(".")[0]
    return inspect.ismodule(value) and name not in _LIBRARIES \
        and name not in getattr(sys, "stdlib_module_names", ())


class _Scope:
    """Where one function finds its free names: its closure cells, then its module's globals (its own name:
    itself, see :func:`calls_itself`). ``watched`` adds ``module.attribute`` for the user's modules the
    function reads (``helpers.h(x)``): rebinding ``helpers.h`` changes what the function calls."""

    def __init__(self, func: Callable):
        self.func = func
        self.globals = func.__globals__
        self.cells = dict(zip(func.__code__.co_freevars, func.__closure__ or ()))
        self.names = _code_names(func.__code__)
        self.watched = self.names + self._module_attributes()

    def _module_attributes(self) -> Tuple[str, ...]:
        found = []
        for name in self.names:
            try:
                value = self.lookup(name)
            except KeyError:
                continue
            if _is_user_module(value):  # every name the code reads that the module holds (over-approximate)
                found.extend(f"{name}.{attr}" for attr in self.names if attr in vars(value))
        return tuple(found)

    def lookup(self, name: str):
        if "." in name:
            module, attr = name.split(".", 1)
            try:
                return getattr(self.lookup(module), attr)
            except AttributeError:
                raise KeyError(name) from None
        cell = self.cells.get(name)
        if cell is not None:
            try:
                return cell.cell_contents
            except ValueError:  # an empty cell: the name is not bound yet
                pass
        value = self.globals[name]
        return self.func if calls_itself(self.func, name, value) else value


class LiveNamespace(dict):
    """Globals of emitted code: its own entries first, else the user's scopes, looked up at each access.

    A name sct set apart from its helpers' names (``__sct_user_<name>``) is looked up as ``<name>``.
    """

    def __init__(self, scopes: List[_Scope]):
        super().__init__()
        self.scopes = scopes

    def __missing__(self, name: str):
        user = unmark(name)
        for scope in self.scopes:
            try:
                return scope.lookup(user)
            except KeyError:
                continue
        if hasattr(builtins, user):  # entered once: a global that shadows it later changes the fingerprint
            value = getattr(builtins, user)
            dict.__setitem__(self, name, value)
            return value
        raise KeyError(name)

    def __contains__(self, name) -> bool:
        if dict.__contains__(self, name):
            return True
        try:
            self.__missing__(name)
        except KeyError:
            return False
        return True

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def visible_items(self):
        """The (name, value) pairs the code sees: its own entries, then those of the user's scopes."""
        yield from self.items()
        for scope in self.scopes:
            for name, cell in scope.cells.items():
                try:
                    yield name, cell.cell_contents
                except ValueError:  # an empty cell
                    continue
            yield from scope.globals.items()

    def copy(self) -> "LiveNamespace":
        new = LiveNamespace(self.scopes)
        new.update(self)
        return new


def _is_user_function(value) -> bool:
    module = (getattr(value, "__module__", None) or "").split(".")[0]
    return inspect.isfunction(value) and module not in _LIBRARIES \
        and module not in getattr(sys, "stdlib_module_names", ())


def user_functions(func: Callable) -> List[Callable]:
    """``func`` and the user functions it reaches through its free names, transitively, in order found."""
    found, pending = [func], [func]
    while pending:
        current = pending.pop()
        scope = _Scope(current)
        values = list(bound_functions(current).values())
        for name in scope.watched:
            try:
                values.append(scope.lookup(name))
            except KeyError:
                continue
        for value in map(plain_function, values):
            if _is_user_function(value) and value not in found:
                found.append(value)
                pending.append(value)
    return found


def bound_functions(func: Callable) -> Dict[str, object]:
    """The functions ``func``'s parameters are bound to, when ``func`` is a specialisation (see
    :mod:`sct.specialise`): they are watched as its free names are."""
    return getattr(func, BOUND, None) or {}


@functools.lru_cache(maxsize=4096)
def _code_names(code) -> Tuple[str, ...]:
    """Global and free names a code object (with the comprehensions and functions nested in it) reads."""
    names = dict.fromkeys(code.co_names + code.co_freevars)
    for const in code.co_consts:
        if inspect.iscode(const):
            names.update(dict.fromkeys(_code_names(const)))
    return tuple(names)


def emitted_namespace(func: Callable) -> LiveNamespace:
    """The globals emitted code runs in: what sct adds, and ``func``'s scope, then the scopes of the user
    functions it calls (see :class:`LiveNamespace`). Modules and callables are entered once (rebinding one
    changes the :func:`fingerprint`, and the derivative is emitted again); other values are read live."""
    if not inspect.isfunction(func):
        return LiveNamespace([])
    namespace = LiveNamespace([_Scope(f) for f in user_functions(func)])
    for scope in namespace.scopes:
        for name in scope.names:
            if dict.__contains__(namespace, name) or name in HELPER_NAMES:  # those stay sct's own
                continue
            try:
                value = namespace.__missing__(name)
            except KeyError:
                continue
            if inspect.ismodule(value) or callable(value):
                dict.__setitem__(namespace, name, value)
    return namespace


def _signature_of(value) -> tuple:
    """What the transformation read from a name's value: which module or callable it is, never data."""
    if inspect.ismodule(value):
        return ("module", value.__name__)
    if inspect.isfunction(value):
        return ("function", id(value), value.__code__)
    if callable(value):
        return ("callable", id(value))
    return ("value",)


def fingerprint(func: Callable) -> tuple:
    """Everything an emitted derivative of ``func`` depends on besides data: the code of ``func`` and of
    the user functions it calls, and what kind of object each of their free names is bound to."""
    if not inspect.isfunction(func):
        return ("callable", id(func))
    parts = []
    for current in user_functions(func):
        scope = _Scope(current)
        names = []
        for name in scope.watched:
            try:
                names.append((name, _signature_of(scope.lookup(name))))
            except KeyError:
                names.append((name, ("builtin", id(getattr(builtins, name, None)))))
        parts.append((id(current), current.__code__, tuple(names)))
    return tuple(parts)



class Watch:
    """Tells, cheaply, whether :func:`fingerprint` of ``func`` may have changed since the watch was made.

    The fast check compares the object each free name is bound to (and each function's code) by identity;
    only when one differs is the fingerprint recomputed (a rebound constant changes no fingerprint).
    """

    def __init__(self, func: Callable):
        self.func = func
        self.fingerprint = fingerprint(func)
        self.rules = user_rules_version()
        self._snapshot()

    def _snapshot(self) -> None:
        self.global_entries = []  # (module globals, name, value) of the names scope.lookup reads there alone
        self.entries = []  # (scope, name, value) of the others
        self.codes = []
        self.derived = []  # (remake, made): a derivative sct made, and what stands in for it now
        if not inspect.isfunction(self.func):
            return
        for current in user_functions(self.func):
            scope = _Scope(current)
            self.codes.append((current, current.__code__, current.__defaults__, current.__kwdefaults__))
            remake = getattr(current, "__sct_remake__", None)
            if callable(remake):  # stands in for a derivative (see sct.higher.compose)
                self.derived.append((remake, current))
            for value in bound_functions(current).values():
                make = getattr(value, "__sct_function__", None)
                if callable(make):  # a derivative passed for a parameter: as a derivative called, below
                    self.derived.append((make, make()))
            for name in scope.watched:
                try:
                    value = scope.lookup(name)
                except KeyError:
                    value = ABSENT
                if _plain_global(scope, name):  # compared by a dict look-up, without scope.lookup
                    self.global_entries.append((scope.globals, name, value))
                else:
                    self.entries.append((scope, name, value))
                make = getattr(value, "__sct_function__", None)
                if callable(make):  # a derivative called by the function: it is emitted again when ...
                    self.derived.append((make, make()))

    def _derived_changed(self) -> bool:
        """Whether a derivative the function calls (or stands in for) was emitted again since."""
        return any(remake() is not made for remake, made in self.derived)

    def changed(self) -> bool:
        """True if the derivative must be emitted again."""
        if user_rules_version() != self.rules:  # a user rule was declared, replaced or removed since
            return True
        if self.derived and self._derived_changed():  # ... what it derives from changed
            return True
        if self._same_bindings():
            for func, code, given, keywords in self.codes:
                if func.__code__ is not code:
                    break
                if func.__defaults__ is not given or func.__kwdefaults__ is not keywords:
                    return True  # a default replaced: the emitted code may hold the one it read
            else:
                return False
        if fingerprint(self.func) != self.fingerprint:
            return True
        self._snapshot()
        return False

    def _same_bindings(self) -> bool:
        """Whether every watched name is bound to the very object it was bound to at the snapshot."""
        for space, name, value in self.global_entries:
            if space.get(name, ABSENT) is not value:
                return False
        for scope, name, value in self.entries:
            try:
                current = scope.lookup(name)
            except KeyError:
                current = ABSENT
            if current is not value:
                return False
        return True


def _plain_global(scope: _Scope, name: str) -> bool:
    """Whether :meth:`_Scope.lookup` of ``name`` is the module's plain dict's entry, or ABSENT without one:
    no attribute of a module, no closure cell, not the function's own name (see :func:`calls_itself`)."""
    return type(scope.globals) is dict and "." not in name and name not in scope.cells \
        and name != getattr(scope.func, "__name__", None)


def reads_own_scope(origin: Optional[Callable], main: Optional[Callable]) -> bool:
    """Whether emitted code made from ``origin`` must run over ``origin``'s own scope rather than that of
    the ``main`` function: a helper from another module, or a closure."""
    if origin is None or main is None or origin is main:
        return False
    return origin.__globals__ is not main.__globals__ or bool(origin.__code__.co_freevars)


def rebind(functions: Dict[str, Callable], origins: Dict[str, Optional[Callable]], main: Optional[Callable],
           shared: Dict[str, object], numpy_alias: str) -> Dict[str, Callable]:
    """``functions`` (emitted, compiled in the main function's namespace), each made again over a namespace
    of its origin's scope where :func:`reads_own_scope`, so that it reads the globals its original reads.
    ``shared`` are sct's names every namespace holds (runtime helpers); the emitted functions call one
    another by name, so each namespace holds them all."""
    spaces: Dict[int, LiveNamespace] = {}
    out = dict(functions)
    for name, function in functions.items():
        origin = origins.get(name)
        if not reads_own_scope(origin, main):
            continue
        space = spaces.get(id(origin))
        if space is None:
            space = spaces[id(origin)] = emitted_namespace(origin)
            for key, value in shared.items():
                dict.__setitem__(space, key, value)
            if numpy_alias not in space:
                dict.__setitem__(space, numpy_alias, numpy)
        made = types.FunctionType(function.__code__, space, function.__name__, function.__defaults__,
                                  function.__closure__)
        made.__kwdefaults__ = function.__kwdefaults__
        out[name] = made
    for space in spaces.values():
        space.update(out)
    return out
