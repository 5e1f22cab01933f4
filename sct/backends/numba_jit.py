"""The numba backend: the emitted functions of a derivative compiled by ``numba.njit``, or refused.

The emitted code is compiled as it is (the same text ``.source`` shows). What it may read is checked when
the derivative is made: each global it reads must be numpy, math, a builtin, another emitted function, or
a runtime helper with a compiled form (:mod:`sct.backends.numba_helpers`). A global holding data, or
another module or callable, is refused: compiled code keeps the value a global has when it is compiled,
and would not see it change. What numba cannot type (a numpy function it lacks, a helper given
arguments its compiled form does not take) is refused at the first call for those argument types, before
anything runs: an :class:`~sct.errors.SCTError` with numba's reason, never a fall back to numpy.
What numba typed and would compute otherwise than Python (:mod:`sct.backends.numba_typed`) is refused
after the first call for those argument types, instead of returning its result. Indices are checked
(``boundscheck``): one out of bounds raises IndexError, as in Python, instead of reading past the array.
"""
from __future__ import annotations

import builtins
import dis
import linecache
import math
import types
from typing import Callable, Dict, Iterator, Optional, Tuple

import numba
import numpy as np
from numba.core.errors import NumbaError

from ..errors import SCTError
from ..runtime.names import HELPER_NAMES, helper_function
from .numba_helpers import COMPILED_HELPERS
from .numba_typed import widened_floats, wrapping_integers

_HELPERS = {id(helper_function(name)): name for name in HELPER_NAMES}
_MODULES = (np, math)
_HINT = "use the numpy backend (the default) for this function"


def compiled(functions: Dict[str, Callable], main: str) -> Callable:
    """The emitted function ``main`` (with the emitted ``functions`` it calls) compiled by numba."""
    scopes = {name: _globals_of(f, functions) for name, f in functions.items()}
    dispatchers = {}
    for name, f in functions.items():
        copy = types.FunctionType(f.__code__, scopes[name], f.__name__, f.__defaults__, f.__closure__)
        copy.__kwdefaults__ = f.__kwdefaults__
        dispatchers[name] = numba.njit(copy, boundscheck=True)  # an index past the end raises
    for scope in scopes.values():
        scope.update({name: d for name, d in dispatchers.items() if name in scope})
    return _Refusing(dispatchers[main], functions[main], list(dispatchers.values()))


def _globals_of(f: Callable, emitted: Dict[str, Callable]) -> dict:
    """What the emitted function ``f`` reads as globals, checked (see the module's docstring)."""
    scope = {"__builtins__": builtins}
    for name, line, col in _global_reads(f.__code__):
        if name in emitted:
            scope[name] = emitted[name]
            continue
        try:
            value = f.__globals__[name]
        except KeyError:
            if hasattr(builtins, name):
                continue
            raise _error(f, line, col, f"the derivative reads '{name}', which is not defined") from None
        if value is getattr(builtins, name, None):
            continue
        if id(value) in _HELPERS:
            helper = _HELPERS[id(value)]
            if helper not in COMPILED_HELPERS:
                raise _error(f, line, col, f"the derivative calls sct's runtime helper {helper}, which "
                                           "has no compiled form")
        elif isinstance(value, types.ModuleType):
            if not any(value is module for module in _MODULES):
                raise _error(f, line, col, f"the derivative reads the module '{name}', which numba does not "
                                           "compile")
        elif callable(value):
            raise _error(f, line, col, f"the derivative calls '{name}', a function that is not compiled")
        else:
            raise _error(f, line, col, f"the derivative reads the global '{name}' (a value of type "
                                       f"{type(value).__name__}): compiled code would keep the value it "
                                       "holds at the first call, and not see it change",
                         hint=f"pass it as an argument, or {_HINT}")
        scope[name] = value
    return scope


def _global_reads(code: types.CodeType) -> Iterator[Tuple[str, int, int]]:
    """(name, line, column) of each global ``code`` reads, in the functions it defines too."""
    for instruction in dis.get_instructions(code):
        if instruction.opname == "LOAD_GLOBAL":
            where = instruction.positions
            yield instruction.argval, where.lineno or code.co_firstlineno, where.col_offset or 0
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _global_reads(const)


def _error(f: Callable, line: int, col: int, message: str, hint: str = _HINT) -> SCTError:
    filename = f.__code__.co_filename
    text = linecache.getline(filename, line).strip()
    return SCTError(f"{message} (in {f.__name__}: `{text}`); the numba backend cannot compile it",
                    filename, line, col, hint=hint, construct=text)


class _Refusing:
    """The compiled function, turning numba's refusal to compile a call into an SCTError, and refusing
    the results of typed code that computes otherwise than Python (checked once per compilation)."""

    def __init__(self, dispatcher, function: Callable, dispatchers: list):
        self.dispatcher = dispatcher
        self.dispatchers = dispatchers  # every emitted function's, compiled with the main one
        self.checked: set = set()
        self.refusal: Optional[SCTError] = None
        self.__code__ = function.__code__
        self.__name__ = function.__name__

    def __call__(self, *args, **kwargs):
        if self.refusal is not None:
            raise self.refusal
        try:
            result = self.dispatcher(*args, **kwargs)
        except NumbaError as err:
            raise SCTError(f"numba cannot compile {self.__name__} for these arguments: {_reason(str(err))}",
                           self.__code__.co_filename, hint=_HINT) from None
        self._check_compiled()
        return result

    def _check_compiled(self) -> None:
        new = [result for d in self.dispatchers for result in d.overloads.values()
               if id(result) not in self.checked]
        self.checked.update(id(result) for result in new)
        for name, line, what in wrapping_integers(new):
            text = linecache.getline(self.__code__.co_filename, line).strip()
            self.refusal = SCTError(
                f"{name} computes {what} of two integers (`{text}`): numba computes it in 64-bit "
                "integers, which wrap around past 2**63 (and 2 ** -1 is 0 there, 0.5 in Python)",
                self.__code__.co_filename, line,
                hint=f"make an operand a float (float(n) * k), or {_HINT}", construct=text)
            raise self.refusal
        for name, line, dtype in widened_floats(new):
            text = linecache.getline(self.__code__.co_filename, line).strip()
            self.refusal = SCTError(
                f"{name} computes with {dtype} values and a number (`{text}`): numba gives float64 "
                f"there, numpy keeps {dtype}", self.__code__.co_filename, line,
                hint=f"pass float64 arrays, or {_HINT}", construct=text)
            raise self.refusal


def _reason(text: str) -> str:
    """numba's message without its colour codes, cut to the lines that say what and where."""
    for code in ("\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[34m", "\x1b[35m"):
        text = text.replace(code, "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    kept = [line for line in lines if not line.startswith(("During:", "Failed in nopython"))]
    return " | ".join(kept[:8])
