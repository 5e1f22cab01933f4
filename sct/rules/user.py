"""Rules users declare for their own functions, or for numpy functions sct has no rule for.

    @sct.primitive                        # softplus is now differentiated by its rules, not its body
    def softplus(x):
        return np.logaddexp(0.0, x)

    @softplus.elementwise                 # the partial derivative: every mode follows, batched too
    def _(z, x):
        return 1 / (1 + np.exp(-x))

A rule written as ``.tangent`` (body assigns ``z_dot``, reading the ``_dot`` of every argument not declared
``nondiff``) and ``.adjoint`` (body assigns ``x_bar``... for the same arguments) is used as written by
forward and reverse mode, what it gives checked against the values' shapes (sct.rules.user_sites); with
``batch="safe"`` (its code works unchanged on a leading axis of directions) or ``batch=sct.Axes("axis")``,
jacobian and hessian use it batched too. A rule's body
is spliced into the code that calls the primitive, so it may read only numpy as ``np``, the primitive's
arguments and outputs, their derivatives, sct's runtime helpers (``unbroadcast``, ``unreduce``...) and the
names it assigns itself: any other name (a constant or a helper of its module, a builtin) could mean
something else where it is spliced, and is refused when the rule is declared.
"""
from __future__ import annotations

import ast
import functools
import inspect
from typing import Callable, Optional, Sequence, Union

import numpy as np

from ..runtime.names import HELPER_NAMES
from . import core
from .core import SAFE, Axes, DeclarationError, Rule, Template
from .declared import PrimitiveHandle, user_rules_changed
from .lowering import LOWERINGS
from .templates import tangent_parameters


class UserPrimitive(PrimitiveHandle):
    """A function that differentiated code treats as a primitive (see :func:`primitive`). Calling it calls
    the function; its decorators register the rules."""

    def __init__(self, func: Callable, qualname: str, batch: Union[None, str, Axes], outputs: int,
                 nondiff: Sequence[str]):
        functools.update_wrapper(self, func)
        self.func = func
        self.qualname = qualname
        self.n_outputs = outputs
        self.removed = False
        # a ufunc takes its `nin` inputs positionally (out=, where=... are refused where it is called)
        self.inputs: Optional[int] = func.nin if isinstance(func, np.ufunc) else None
        try:
            self.signature: Optional[inspect.Signature] = None if self.inputs else inspect.signature(func)
        except (TypeError, ValueError):
            raise DeclarationError(f"cannot read the parameters of {qualname}: declare a function defined "
                                   "with `def`") from None
        self.nondiff = tuple(nondiff)
        known = self.signature.parameters if self.signature is not None else self.nondiff
        unknown = [n for n in self.nondiff if n not in known]
        if unknown:
            raise DeclarationError(f"nondiff names {', '.join(unknown)}, which {qualname} does not take")
        self.constant = set(self.nondiff) | (set(batch.names) if isinstance(batch, Axes) else set())
        self.rule = Rule(qualname, batch=batch, user=True, extra={"constant": self.constant})

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<sct primitive {self.qualname}>"

    def elementwise(self, fn: Callable) -> Callable:
        """Register the partial derivatives: ``fn(z, x, y)`` returns one partial per argument."""
        template = self._template(fn, "elementwise")
        value = template.body[0].value if isinstance(template.body[0], ast.Return) else None
        count = len(value.elts) if isinstance(value, ast.Tuple) else 1
        if value is None or len(template.body) != 1 or count != len(template.params.parameters):
            raise DeclarationError(f"the partials of {self.qualname} must be one `return` statement of one "
                                   f"partial per argument ({len(template.params.parameters)})")
        self.rule.partials = template
        user_rules_changed()
        return fn

    def tangent(self, fn: Callable) -> Callable:
        """Register the forward-mode rule: its body assigns ``<output>_dot``."""
        template = self._template(fn, "tangent")
        missing = [o + "_dot" for o in template.outputs if o + "_dot" not in _assigned(template)]
        if missing:
            raise DeclarationError(f"the tangent rule of {self.qualname} must assign {', '.join(missing)}")
        self._check_coverage("tangent", tangent_parameters(template), "reads no {}_dot")
        self.rule.tangent = template
        user_rules_changed()
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
        self._check_coverage("adjoint", {n[:-4] for n in bars}, "assigns no {}_bar")
        self.rule.adjoint = template
        user_rules_changed()
        return fn

    def remove(self) -> None:
        """Forget the rules: calls of a Python function are differentiated through its body again (a numpy
        function is back to having no rule); derivatives made before are made again."""
        if core.RULES.get(self.qualname) is self.rule:
            del core.RULES[self.qualname]
        for key in (id(self), id(self.func)):
            core.USER.pop(key, None)
        self.removed = True
        user_rules_changed()

    def _check_coverage(self, kind: str, covered: set, says: str) -> None:
        """A rule gives the derivative with respect to every argument but those declared constant, and
        never with respect to those."""
        params = list(self.rule.signature.parameters)
        missing = [p for p in params if p not in covered and p not in self.constant]
        if missing:
            raise DeclarationError(f"the {kind} rule of {self.qualname} {says.format(missing[0])}: give the "
                                   f"derivative with respect to {missing[0]}, or declare the primitive with "
                                   f"nondiff=({missing[0]!r},) if its value does not change with it")
        constant = sorted(covered & self.constant)
        if constant:
            raise DeclarationError(f"the {kind} rule of {self.qualname} differentiates with respect to "
                                   f"{constant[0]}, which is declared constant (nondiff or an Axes name)")

    def _template(self, fn: Callable, kind: str) -> Template:
        template = core._parse_template(fn, self.n_outputs)
        params = list(template.params.parameters)
        if self.signature is not None and params != list(self.signature.parameters):
            expected = ", ".join(self.signature.parameters)
            raise DeclarationError(f"the {kind} rule of {self.qualname} takes ({', '.join(params)}) after "
                                   f"its output(s); the function takes ({expected})")
        if self.inputs is not None:
            plain = all(p.kind == p.POSITIONAL_OR_KEYWORD and p.default is p.empty
                        for p in template.params.parameters.values())
            if len(params) != self.inputs or not plain:
                raise DeclarationError(f"the {kind} rule of {self.qualname} takes ({', '.join(params)}) "
                                       f"after its output(s); the ufunc takes {self.inputs} input(s), one "
                                       "parameter each (without defaults)")
            unknown = [n for n in self.nondiff if n not in params]
            if unknown:
                raise DeclarationError(f"nondiff names {', '.join(unknown)}, which the rules of "
                                       f"{self.qualname} do not take")
        _check_names(template, self.qualname)
        if self.rule.signature is None:
            self.rule.signature = template.params
            self.rule.outputs = template.outputs
        elif list(self.rule.signature.parameters) != params or list(self.rule.outputs) != template.outputs:
            raise DeclarationError(f"the rules of {self.qualname} name its outputs and arguments differently")
        return template


def _assigned(template: Template) -> set:
    return {n.id for s in template.body for n in ast.walk(s) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)}


def _check_names(template: Template, qualname: str) -> None:
    """Every name a rule body reads means the same wherever it is spliced: a free name (a constant or a
    helper of the rule's module, a builtin) would be read in the caller's namespace, where a variable of
    the same name may stand, so it is refused."""
    bases = set(template.params.parameters) | set(template.outputs)
    known = bases | {b + "_dot" for b in bases} | {b + "_bar" for b in bases} | _assigned(template)
    known |= {"np"} | set(HELPER_NAMES)
    for stmt in template.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in known:
                raise DeclarationError(
                    f"a rule of {qualname} reads '{node.id}', which is not an argument, an output, their "
                    "derivative, numpy (np) or one of sct's runtime helpers: the rule is spliced into the "
                    f"code that calls {qualname}, where '{node.id}' may mean something else. Write its value "
                    "as a literal, pass it as an argument, or spell it with numpy (np.abs, np.float64...)")


def _qualname_of(func: Callable) -> str:
    if isinstance(func, np.ufunc):
        return "numpy." + func.__name__
    module = getattr(func, "__module__", None) or ""
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    if not name or name.endswith("<lambda>"):
        raise DeclarationError(f"{func!r} has no name of its own: declare a function defined with `def`")
    return f"{module}.{name}" if module else name


def primitive(func: Optional[Callable] = None, *, batch: Union[None, str, Axes] = None, outputs: int = 1,
              name: Optional[str] = None, nondiff: Sequence[str] = ()):
    """Declare ``func`` a primitive whose derivative rules you give (``.elementwise``, ``.tangent``,
    ``.adjoint``); differentiated code that calls it uses them instead of its body, in every mode.

    ``batch``: ``"safe"`` when the tangent and adjoint rules work unchanged on values with a leading axis
    of directions, each argument's tangents lined up as numpy broadcasting lines up the arguments (jacobian,
    hessian then take all directions in one sweep; each batch of tangents is checked to have the shape
    ``(K,) + z.shape``), ``sct.Axes("axis")`` when they do once their ``axis`` argument (of numpy calls on
    derivatives) is shifted past that axis; elementwise rules batch by themselves; only for one output.
    ``outputs``: how many values ``func`` returns (a tuple). ``name``: the qualified name calls resolve to
    (default ``module.function``; ``numpy.f`` for a numpy function). ``nondiff``: arguments the function
    does not change with (the rules give no derivative for them; differentiating with respect to one is
    refused). A ufunc's rules take its ``nin`` inputs. Raises DeclarationError (a ValueError) for a function
    sct already has a rule for, or named like one of sct's runtime helpers; declaring a user function
    again replaces its rules.
    """
    def declare(func: Callable) -> UserPrimitive:
        if not callable(func):
            raise DeclarationError(f"sct.primitive needs a function, not {type(func).__name__}")
        if batch is not None and batch != SAFE and not isinstance(batch, Axes):
            raise DeclarationError(f"batch={batch!r}: use 'safe' or sct.Axes('axis', ...)")
        if batch is not None and outputs != 1:
            raise DeclarationError("batch= is for primitives with one output: declare one with several "
                                   "without it (jacobian and hessian then take one direction at a time)")
        qualname = name or _qualname_of(func)
        existing = core.RULES.get(qualname)
        if (existing is not None and not existing.user) or qualname in core.NONDIFF or qualname in LOWERINGS:
            raise DeclarationError(f"sct already has a rule for '{qualname}'")
        own = {getattr(func, "__name__", ""), qualname.rpartition(".")[2]} & set(HELPER_NAMES)
        if own:
            raise DeclarationError(f"'{own.pop()}' is the name of one of sct's runtime helpers, which "
                                   "derivative code calls: give the primitive another name")
        handle = UserPrimitive(func, qualname, batch, outputs, nondiff)
        core.RULES[qualname] = handle.rule
        core.USER[id(handle)] = core.USER[id(func)] = qualname
        user_rules_changed()
        return handle
    return declare if func is None else declare(func)
