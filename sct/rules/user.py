"""Rules users declare for their own functions, or for numpy functions sct has no rule for.

    @sct.primitive                        # softplus is now differentiated by its rules, not its body
    def softplus(x):
        return np.logaddexp(0.0, x)

    @softplus.elementwise                 # the partial derivative: every mode follows, batched too
    def _(z, x):
        return 1 / (1 + np.exp(-x))

A rule written as ``.tangent`` (body assigns ``z_dot``) and ``.adjoint`` (body assigns ``x_bar``...) is
used as written by forward and reverse mode; with ``batch="safe"`` (its code works unchanged on a leading
axis of directions) or ``batch=sct.Axes("axis")``, jacobian and hessian use it batched too. A rule's body
may use numpy as ``np``, the primitive's arguments and outputs, their derivatives, and the names the module
of the differentiated function defines (emitted code runs there).
"""
from __future__ import annotations

import ast
import builtins
import functools
import inspect
from typing import Callable, Optional, Union

import numpy as np

from ..runtime.names import HELPER_NAMES
from . import core
from .core import SAFE, Axes, DeclarationError, Rule, Template
from .lowering import LOWERINGS


class UserPrimitive:
    """A function that differentiated code treats as a primitive (see :func:`primitive`). Calling it calls
    the function; its decorators register the rules."""

    def __init__(self, func: Callable, qualname: str, batch: Union[None, str, Axes], outputs: int):
        functools.update_wrapper(self, func)
        self.func = func
        self.qualname = qualname
        self.n_outputs = outputs
        try:
            self.signature: Optional[inspect.Signature] = inspect.signature(func)
        except (TypeError, ValueError):
            self.signature = None  # a ufunc: the rule's parameters name its arguments
        self.rule = Rule(qualname, batch=batch, user=True)

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<sct primitive {self.qualname}>"

    def elementwise(self, fn: Callable) -> Callable:
        """Register the partial derivatives: ``fn(z, x, y)`` returns one partial per argument."""
        template = self._template(fn, "elementwise")
        value = template.body[-1].value if isinstance(template.body[-1], ast.Return) else None
        count = len(value.elts) if isinstance(value, ast.Tuple) else 1
        if value is None or count != len(template.params.parameters):
            raise DeclarationError(f"the partials of {self.qualname} must end with `return` of one partial "
                                   f"per argument ({len(template.params.parameters)})")
        self.rule.partials = template
        return fn

    def tangent(self, fn: Callable) -> Callable:
        """Register the forward-mode rule: its body assigns ``<output>_dot``."""
        template = self._template(fn, "tangent")
        missing = [o + "_dot" for o in template.outputs if o + "_dot" not in _assigned(template)]
        if missing:
            raise DeclarationError(f"the tangent rule of {self.qualname} must assign {', '.join(missing)}")
        self.rule.tangent = template
        return fn

    def adjoint(self, fn: Callable) -> Callable:
        """Register the reverse-mode rule: its body assigns ``<argument>_bar`` for the arguments with a
        derivative (each assignment is a contribution to that argument's adjoint)."""
        template = self._template(fn, "adjoint")
        params = set(template.params.parameters)
        bars = {n for n in _assigned(template) if n.endswith("_bar")}
        unknown = sorted(n for n in bars if n[:-4] not in params)
        if unknown or not bars:
            raise DeclarationError(f"the adjoint rule of {self.qualname} must assign <argument>_bar for "
                                   f"arguments among {', '.join(params)}"
                                   + (f", not {', '.join(unknown)}" if unknown else ""))
        self.rule.adjoint = template
        return fn

    def remove(self) -> None:
        """Forget the rules: calls of the function are differentiated through its body again."""
        if core.RULES.get(self.qualname) is self.rule:
            del core.RULES[self.qualname]
        for key in (id(self), id(self.func)):
            core.USER.pop(key, None)

    def _template(self, fn: Callable, kind: str) -> Template:
        template = core._parse_template(fn, self.n_outputs)
        params = list(template.params.parameters)
        if self.signature is not None and params != list(self.signature.parameters):
            expected = ", ".join(self.signature.parameters)
            raise DeclarationError(f"the {kind} rule of {self.qualname} takes ({', '.join(params)}) after "
                                   f"its output(s); the function takes ({expected})")
        _check_names(template, fn, self.qualname)
        if self.rule.signature is None:
            self.rule.signature = template.params
            self.rule.outputs = template.outputs
        elif list(self.rule.signature.parameters) != params or list(self.rule.outputs) != template.outputs:
            raise DeclarationError(f"the rules of {self.qualname} name its outputs and arguments differently")
        return template


def _assigned(template: Template) -> set:
    return {n.id for s in template.body for n in ast.walk(s) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)}


def _check_names(template: Template, fn: Callable, qualname: str) -> None:
    """Every name a rule body reads is one the emitted code can read: a misspelling fails here."""
    bases = set(template.params.parameters) | set(template.outputs)
    known = bases | {b + "_dot" for b in bases} | {b + "_bar" for b in bases} | _assigned(template)
    known |= {"np"} | set(HELPER_NAMES)
    for stmt in template.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in known \
                    and node.id not in fn.__globals__ and not hasattr(builtins, node.id):
                raise DeclarationError(f"a rule of {qualname} reads '{node.id}', which is not an argument, "
                                       "an output, their derivative, numpy (np) or a name of its module")


def _qualname_of(func: Callable) -> str:
    if isinstance(func, np.ufunc):
        return "numpy." + func.__name__
    module = getattr(func, "__module__", None) or ""
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    if not name or name.endswith("<lambda>"):
        raise DeclarationError(f"{func!r} has no name of its own: declare a function defined with `def`")
    return f"{module}.{name}" if module else name


def primitive(func: Optional[Callable] = None, *, batch: Union[None, str, Axes] = None, outputs: int = 1,
              name: Optional[str] = None):
    """Declare ``func`` a primitive whose derivative rules you give (``.elementwise``, ``.tangent``,
    ``.adjoint``); differentiated code that calls it uses them instead of its body, in every mode.

    ``batch``: ``"safe"`` when the tangent and adjoint rules work unchanged on values with a leading axis
    of directions (jacobian, hessian then take all directions in one sweep), ``sct.Axes("axis")`` when they
    do once their ``axis`` argument (of numpy calls on derivatives) is shifted past that axis; elementwise
    rules batch by themselves. ``outputs``: how many values ``func`` returns (a tuple). ``name``: the
    qualified name calls resolve to (default ``module.function``; ``numpy.f`` for a numpy function).
    Raises DeclarationError (a ValueError) for a function sct already has a rule for; declaring a user
    function again replaces its rules.
    """
    def declare(func: Callable) -> UserPrimitive:
        if not callable(func):
            raise DeclarationError(f"sct.primitive needs a function, not {type(func).__name__}")
        if batch is not None and batch != SAFE and not isinstance(batch, Axes):
            raise DeclarationError(f"batch={batch!r}: use 'safe' or sct.Axes('axis', ...)")
        qualname = name or _qualname_of(func)
        existing = core.RULES.get(qualname)
        if (existing is not None and not existing.user) or qualname in core.NONDIFF or qualname in LOWERINGS:
            raise DeclarationError(f"sct already has a rule for '{qualname}'")
        handle = UserPrimitive(func, qualname, batch, outputs)
        core.RULES[qualname] = handle.rule
        core.USER[id(handle)] = core.USER[id(func)] = qualname
        return handle
    return declare if func is None else declare(func)
