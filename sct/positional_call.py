"""The short path of a derivative's call: positional arguments only, bound without ``inspect``.

Binding arguments with :meth:`inspect.Signature.bind` costs microseconds, which is most of a call on
scalars. When the original function takes plain parameters (no keyword-only ones) and the call passes
positional arguments only, which parameter each argument binds to is known without binding:
:class:`PositionalCall`, made once per emitted function, splits the arguments into the primal ones (the
original's current default values filling the missing trailing ones, as ``apply_defaults`` does) and the
derivative's own (a forward derivative's tangents). Anything else — keywords, too few or too many
arguments — goes the general way, which also says what is wrong.
"""
from __future__ import annotations

import inspect
from typing import Callable, List, Optional, Tuple


class PositionalCall:
    """How positional arguments bind to a derivative made from ``original``: ``params`` (the original's
    parameters), then ``extras`` (the derivative's own parameters that the caller gives positionally
    after them). ``passed_positionally``: the emitted function takes its own parameters (``extras``, or a
    reverse derivative's seed) positionally right after the original's."""

    def __init__(self, original: Callable, params: List[str], extras: List[str], passed_positionally: bool):
        self.original = original
        self.params = params
        self.extras = extras
        self.passed_positionally = passed_positionally

    def split(self, args: tuple) -> Optional[Tuple[tuple, tuple]]:
        """(primal arguments with defaults filled in, the derivative's own arguments), or None when
        ``args`` do not bind positionally (the general path then binds them, or says why not)."""
        n, given = len(self.params), len(args) - len(self.extras)
        if given == n:
            return args[:n], args[n:]
        if self.extras or given > n:
            return None  # forward tangents after fewer primal arguments: the general path decides
        defaults = self.original.__defaults__ or ()
        missing = n - given
        if missing > len(defaults):
            return None
        return args + defaults[len(defaults) - missing:], ()


def positional_call(original: Callable, function: Callable, extras: List[str],
                    passed: List[str]) -> Optional[PositionalCall]:
    """The short path for calls of the emitted ``function`` derived from ``original``, whose callers give
    the derivative parameters ``extras`` after the original's, and which takes its own parameters
    ``passed`` (the tangents, or the seed); None when the original's parameters are not all plain
    positional-or-keyword ones."""
    if not inspect.isfunction(original):
        return None
    parameters = list(inspect.signature(original).parameters.values())
    if any(p.kind is not p.POSITIONAL_OR_KEYWORD for p in parameters):
        return None
    params = [p.name for p in parameters]
    code = function.__code__
    positional = list(code.co_varnames[:code.co_argcount])
    if positional[:len(params)] != params:
        return None
    return PositionalCall(original, params, extras, positional[len(params):] == passed)
