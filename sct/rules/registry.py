"""Derivative rules: a registry of templates written as ordinary Python.

A rule is a small function whose parameters name the primal call's outputs and arguments; its body is
parsed once and spliced into emitted code with names substituted:

* ``@elementwise("numpy.sin")`` — ``def _(z, x): return np.cos(x)`` gives the partial derivative(s);
  both modes follow (``z_dot = cos(x) * x_dot``; ``x_bar += unbroadcast(z_bar * cos(x), x)``).
* ``@tangent(...)`` — body assigns ``z_dot`` from ``x_dot`` etc.
* ``@adjoint(...)`` — body assigns ``x_bar`` for each input; each such assignment is a contribution that
  the reverse transformation accumulates (and drops when ``x`` is not active).
* ``nondiff(...)`` — outputs carry no derivative (comparisons, floor, shapes...). Only where the
  derivative really is zero: tests/test_sound_rules.py applies every such name to an active input.
* ``nondiff_except(..., carrying=...)`` — constant in some arguments only (``np.arange`` in ``stop``);
  sct refuses the call at transform time when an argument it moves with is active.

Rules that need Python to build code (variadic ``einsum``, ``concatenate``) register a generator instead:
a function ``(site) -> list of statements``.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

RULES: Dict[str, "Rule"] = {}
NONDIFF: set = set()
NONDIFF_GUARDS: Dict[str, Callable] = {}


@dataclass
class Template:
    """A parsed rule body with its parameter names."""

    outputs: List[str]
    params: inspect.Signature
    body: List[ast.stmt]
    source_name: str


@dataclass
class Rule:
    """Everything sct knows about differentiating one primitive."""

    qualname: str
    signature: Optional[inspect.Signature] = None
    outputs: Sequence[str] = ("z",)
    partials: Optional[Template] = None
    tangent: Optional[Template] = None
    adjoint: Optional[Template] = None
    tangent_generator: Optional[Callable] = None
    adjoint_generator: Optional[Callable] = None
    may_narrow: bool = False
    broadcasts: bool = True  # the output's shape is that of the operands broadcast together
    extra: dict = field(default_factory=dict)


def _parse_template(fn: Callable) -> Template:
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef)
    signature = inspect.signature(fn)
    names = list(signature.parameters)
    n_out = getattr(fn, "_n_outputs", 1)
    outputs = names[:n_out]
    params = signature.replace(parameters=list(signature.parameters.values())[n_out:])
    return Template(outputs, params, node.body, fn.__name__)


def _rule(qualname: str) -> Rule:
    if qualname not in RULES:
        RULES[qualname] = Rule(qualname)
    return RULES[qualname]


def _register(kind: str, qualnames: Sequence[str], outputs: int = 1, **flags) -> Callable:
    def decorate(fn: Callable) -> Callable:
        fn._n_outputs = outputs
        template = _parse_template(fn)
        for qualname in qualnames:
            rule = _rule(qualname)
            setattr(rule, kind, template)
            rule.signature = template.params
            rule.outputs = template.outputs
            for key, value in flags.items():
                setattr(rule, key, value)
        return fn
    return decorate


def elementwise(*qualnames: str, may_narrow: bool = False) -> Callable:
    """Register partial derivatives of an elementwise (broadcasting) function.

    The decorated function returns one partial per argument, in terms of its arguments and output ``z``.
    ``may_narrow`` marks functions whose tangent may not carry the output's full shape when some
    arguments are inactive (``+``, ``where``...), so forward mode broadcasts it back.
    """
    return _register("partials", qualnames, may_narrow=may_narrow)


def tangent(*qualnames: str, outputs: int = 1) -> Callable:
    """Register a forward-mode template: the body assigns ``<output>_dot``."""
    return _register("tangent", qualnames, outputs=outputs)


def adjoint(*qualnames: str, outputs: int = 1, broadcasts: bool = True) -> Callable:
    """Register a reverse-mode template: each ``<arg>_bar = expr`` in the body is a contribution.

    ``broadcasts=False`` marks functions whose output shape is not that of their operands broadcast
    together (``np.full(shape, v)``), so an ``unbroadcast`` into an operand is never dropped."""
    return _register("adjoint", qualnames, outputs=outputs, broadcasts=broadcasts)


def generator(*qualnames: str, mode: str, signature: Callable) -> Callable:
    """Register a rule built by Python code; ``signature`` is a function whose signature binds the call."""
    def decorate(fn: Callable) -> Callable:
        sig = inspect.signature(signature)
        for qualname in qualnames:
            rule = _rule(qualname)
            rule.signature = sig
            setattr(rule, f"{mode}_generator", fn)
        return fn
    return decorate


def nondiff(*qualnames: str) -> None:
    """Declare functions whose results carry no derivative (integers, booleans, piecewise constants)."""
    NONDIFF.update(qualnames)


def nondiff_except(*qualnames: str, carrying: Callable, hint: str = "") -> None:
    """Declare functions constant in most arguments but not all (``np.arange(start, stop, step)`` moves
    with ``start`` and ``step``): ``carrying(args, keywords)`` returns the argument expressions the result
    does change with, and sct refuses the call when one of them is active (``hint``: what to write)."""
    nondiff(*qualnames)
    for qualname in qualnames:
        NONDIFF_GUARDS[qualname] = (carrying, hint)


def carrying_arguments(qualname: str, args: list, keywords: dict) -> tuple:
    """``(arguments, hint)``: the arguments of a non-differentiable call that its value still depends on
    (see nondiff_except), and what to write instead."""
    _load()
    carrying, hint = NONDIFF_GUARDS.get(qualname, (None, ""))
    return (carrying(args, keywords), hint) if carrying is not None else ([], "")


def known_qualnames() -> List[str]:
    """Every qualified name sct has a rule or a non-differentiable declaration for."""
    _load()
    return sorted(set(RULES) | NONDIFF)


def lookup(qualname: str) -> Optional[Rule]:
    """The rule for ``qualname``, or None."""
    _load()
    return RULES.get(qualname)


def is_nondiff(qualname: str) -> bool:
    _load()
    return qualname in NONDIFF


_LOADED = []


def _load() -> None:
    if not _LOADED:
        _LOADED.append(True)
        from . import (  # noqa: F401
            builtin_rules,
            creation_rules,
            linalg_rules,
            numpy_rules,
            scipy_rules,
            structural_rules,
        )
