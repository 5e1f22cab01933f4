"""Derivative rules: one declaration per primitive, written as ordinary Python and read by every mode.

A rule is a small function whose parameters name the primal call's outputs and arguments; its body is
parsed once and spliced into emitted code with names substituted (see :mod:`sct.rules.templates`):

* ``@elementwise("numpy.sin")`` — ``def _(z, x): return np.cos(x)`` gives the partial derivative(s);
  every mode follows (``z_dot = cos(x) * x_dot``; ``x_bar += unbroadcast(z_bar * cos(x), x)``; batched).
* ``@tangent(...)`` — body assigns ``z_dot`` from ``x_dot`` etc.
* ``@adjoint(...)`` — body assigns ``x_bar`` for each input; each such assignment is a contribution that
  the reverse transformation accumulates (and drops when ``x`` is not active).
* ``nondiff(...)`` — outputs carry no derivative (comparisons, floor, shapes...). Only where the
  derivative really is zero: tests/test_sound_rules_constants.py applies every such name to an active input.
* ``nondiff_except(..., carrying=...)`` — constant in some arguments only (``np.arange`` in ``stop``);
  sct refuses the call at transform time when an argument it moves with is active.
* ``generator(...)`` — a rule built by Python code (variadic ``einsum``, ``concatenate``):
  ``(site) -> list of statements``.

What the other passes need to know about a primitive is declared with it, by :func:`primitive`:

* ``batch`` — how vector mode (jacobian, hessian) carries a leading axis of K directions through it:
  ``SAFE`` (its tangent and adjoint broadcast over a leading axis as written), ``Axes("axis")`` (likewise
  once the named axis arguments of numpy calls on derivatives are shifted past the batch axis — the
  batched templates are derived), or custom templates (``.batched_tangent`` / ``.batched_adjoint``).
  Elementwise rules batch by themselves. Without any, jacobian falls back to one sweep per direction
  and says so in its notes.
* ``takes_lists`` (reads a list literal argument item by item), ``literal_list`` (the rule a literal list
  argument is differentiated by), ``packs_varargs`` (``x.reshape(2, 3)``), ``refuses_sequences`` (``+``
  and ``*`` join and repeat lists: refused on them), ``constant`` (names of arguments the rules give no
  derivative for, such as ``np.gradient``'s spacing: sct refuses the call when one of them is active),
  ``selects`` (arguments whose adjoint is exactly zero at the entries the result does not take from them:
  ``np.where``'s branches), ``masked_by`` (arguments that, when a comparison, make the result a selection
  of the others: ``(x > 0) * f(x)``), ``singular`` (arguments of a template rule whose adjoint terms may be
  infinite at a finite input: ``1 / y``), ``regular_when`` (``(bound arguments) -> bool``: the singular
  partials are finite for these arguments, ``x ** 2``), ``regular_when_positive`` (arguments at which, when
  they are at least 1, the singular partials are finite, and so is the result, even at
  ``+inf``: ``1 / y``'s ``y``, see :mod:`sct.analysis.positive_values`), ``overflows`` (``True``, or
  ``(bound arguments) -> bool``: the result, and with it the partials, may overflow to infinity at a finite
  input: ``np.exp(800.0)``), ``vanishes_at_inf`` (arguments at whose ``+inf`` the result and the partials
  are 0 when the other arguments are finite: ``1 / y``'s ``y``; or ``(bound arguments) -> tuple`` of them:
  ``x ** y``'s ``x`` for a literal ``y < 0``); see :mod:`sct.analysis.exact_zeros`.

Runtime helpers of emitted code declare their linearity with :func:`sct.rules.linear.linear`, which
derives their tangent (and their batched tangent, and their batched spelling in reverse-mode code).
"""
from __future__ import annotations

import ast
import copy
import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple, Union

RULES: Dict[str, "Rule"] = {}
NONDIFF: set = set()
NONDIFF_GUARDS: Dict[str, Callable] = {}
LIST_VALUED: Set[str] = set()  # calls whose value is a list (their batches are indexed per item)
USER: Dict[int, str] = {}  # id(object) -> qualified name, for primitives declared through sct.primitive
SAFE = "safe"
RUNTIME = "sct.runtime."


class RuleError(Exception):
    """A call the rule cannot differentiate; the transformer adds the location."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


class DeclarationError(ValueError):
    """A rule declaration sct cannot use (names that do not match, a name that has a rule already...)."""


@dataclass(frozen=True)
class Axes:
    """Batch policy of a primitive whose axis arguments (``names``) index the value of its parameter ``of``
    (default: its first parameter): in batched code they are shifted past the leading batch axis."""

    names: Tuple[str, ...]
    of: Optional[str] = None

    def __init__(self, *names: str, of: Optional[str] = None):
        object.__setattr__(self, "names", tuple(names))
        object.__setattr__(self, "of", of)


@dataclass
class Template:
    """A parsed rule body with its parameter names."""

    outputs: List[str]
    params: inspect.Signature
    body: List[ast.stmt]
    source_name: str
    filled: Tuple[str, ...] = ()  # parameters that, when omitted from the call, read as their default


@dataclass
class Helper:
    """How a runtime helper of emitted code behaves in batched code."""

    batched: Optional[str] = None  # its batched spelling (``unbroadcast`` -> ``batch_unbroadcast``)
    aware: bool = False  # may appear in batched code as it is (reads primal values, or broadcasts)


HELPERS: Dict[str, Helper] = {}


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
    # parameters whose partial may be NaN or infinite where a zero tangent (adjoint) makes the term zero
    guarded: Sequence[str] = ()
    # parameters whose partial may be infinite or NaN at a finite input (sqrt, log at 0): guarded only
    # where sct.analysis.exact_zeros finds the adjoint (tangent) it multiplies may be an exact zero
    singular: Sequence[str] = ()
    broadcasts: bool = True  # the output's shape is that of the operands broadcast together
    batch: Union[None, str, Axes] = None
    batched_tangent: Union[None, Template, Callable] = None
    batched_adjoint: Union[None, Template, Callable] = None
    takes_lists: bool = False
    literal_list: Optional[str] = None
    packs_varargs: bool = False
    refuses_sequences: bool = False
    user: bool = False
    extra: dict = field(default_factory=dict)

    def batched_form(self, kind: str) -> Union[None, Template, Callable]:
        """The batched ``kind`` ("tangent"/"adjoint") template or generator where it differs from the
        scalar one: a custom one, or one derived by shifting axes (:class:`Axes`); else None (the scalar
        rule serves, if :meth:`batches_as_written`)."""
        custom = self.batched_tangent if kind == "tangent" else self.batched_adjoint
        if custom is not None:
            return custom
        scalar = getattr(self, kind)
        if isinstance(self.batch, Axes) and scalar is not None:
            key = "batched " + kind
            if key not in self.extra:
                shifted = shift_axes(scalar, self.batch)
                self.extra[key] = None if shifted is scalar else shifted
            return self.extra[key]
        return None

    def batches_as_written(self, kind: str) -> bool:
        """Whether the scalar ``kind`` rule broadcasts over a leading batch axis as it is."""
        generated = getattr(self, kind + "_generator") is not None
        return self.batch == SAFE or (isinstance(self.batch, Axes) and not generated)


def _parse_template(fn: Callable, n_out: Optional[int] = None) -> Template:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError) as exc:
        name = getattr(fn, "__name__", fn)
        raise DeclarationError(f"cannot read the source of the rule '{name}' ({exc})") from None
    node = tree.body[0]
    if not isinstance(node, ast.FunctionDef):
        raise DeclarationError(f"a rule must be written with `def`, not {type(node).__name__}")
    signature = inspect.signature(fn)
    names = list(signature.parameters)
    n_out = getattr(fn, "_n_outputs", 1) if n_out is None else n_out
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
            old, new = list((rule.signature or template.params).parameters), list(template.params.parameters)
            if old != new and not kind.startswith("batched"):
                raise DeclarationError(f"the rules of {qualname} name its arguments differently: "
                                       f"{old}, {new}")
            setattr(rule, kind, template)
            if kind.startswith("batched"):
                continue
            rule.signature = template.params
            rule.outputs = template.outputs
            for key, value in flags.items():
                setattr(rule, key, value)
        return fn
    return decorate


def elementwise(*qualnames: str, may_narrow: bool = False, guarded: Sequence[str] = (),
                singular: Sequence[str] = ()) -> Callable:
    """Register partial derivatives of an elementwise (broadcasting) function.

    The decorated function returns one partial per argument, in terms of its arguments and output ``z``.
    ``may_narrow`` marks functions whose tangent may not carry the output's full shape when some
    arguments are inactive (``+``, ``where``...), so forward mode broadcasts it back. ``guarded`` names
    arguments whose partial may be NaN or infinite (``x ** y``'s ``z * log(x)`` at ``x < 0``): their term is
    exactly zero where their tangent (or the output's adjoint) is, as the derivative along zero is.
    ``singular`` names arguments whose partial may be infinite at a finite input (``sqrt`` at 0): their
    term is guarded so only where the adjoint or tangent may be an exact zero
    (:mod:`sct.analysis.exact_zeros`).
    """
    return _register("partials", qualnames, may_narrow=may_narrow, guarded=tuple(guarded),
                     singular=tuple(singular))


def tangent(*qualnames: str, outputs: int = 1) -> Callable:
    """Register a forward-mode template: the body assigns ``<output>_dot``."""
    return _register("tangent", qualnames, outputs=outputs)


def adjoint(*qualnames: str, outputs: int = 1, broadcasts: bool = True) -> Callable:
    """Register a reverse-mode template: each ``<arg>_bar = expr`` in the body is a contribution.

    ``broadcasts=False`` marks functions whose output shape is not that of their operands broadcast
    together (``np.full(shape, v)``), so an ``unbroadcast`` into an operand is never dropped."""
    return _register("adjoint", qualnames, outputs=outputs, broadcasts=broadcasts)


def generator(*qualnames: str, mode: str, signature: Optional[Callable] = None) -> Callable:
    """Register a rule built by Python code; ``signature`` is a function whose signature binds the call.
    ``mode``: "tangent", "adjoint", or "batched_tangent" / "batched_adjoint" (vector mode)."""
    def decorate(fn: Callable) -> Callable:
        for qualname in qualnames:
            rule = _rule(qualname)
            if mode.startswith("batched"):  # binds the call as the scalar rule does
                setattr(rule, mode, fn)
                continue
            rule.signature = inspect.signature(signature)
            setattr(rule, f"{mode}_generator", fn)
        return fn
    return decorate


def batched_tangent(*qualnames: str, outputs: int = 1) -> Callable:
    """Register a batched tangent template (vector mode: every tangent has a leading batch axis)."""
    return _register("batched_tangent", qualnames, outputs=outputs)


def batched_adjoint(*qualnames: str, outputs: int = 1) -> Callable:
    """Register a batched adjoint template (vector reverse mode: adjoints have a leading batch axis)."""
    return _register("batched_adjoint", qualnames, outputs=outputs)


class Primitive(tuple):
    """The qualified names of one primitive, with its declarations (see :func:`primitive`); decorators
    ``.tangent``, ``.adjoint``, ``.elementwise``, ``.batched_tangent``, ``.batched_adjoint`` register its
    templates. Iterating gives the names (``@tangent(*SUM)`` works too)."""

    def tangent(self, fn: Callable = None, *, outputs: int = 1):
        return _decorator(tangent(*self, outputs=outputs), fn)

    def adjoint(self, fn: Callable = None, *, outputs: int = 1, broadcasts: bool = True):
        return _decorator(adjoint(*self, outputs=outputs, broadcasts=broadcasts), fn)

    def elementwise(self, fn: Callable = None, *, may_narrow: bool = False, guarded: Sequence[str] = (),
                    singular: Sequence[str] = ()):
        return _decorator(elementwise(*self, may_narrow=may_narrow, guarded=guarded, singular=singular), fn)

    def batched_tangent(self, fn: Callable = None, *, outputs: int = 1):
        return _decorator(batched_tangent(*self, outputs=outputs), fn)

    def batched_adjoint(self, fn: Callable = None, *, outputs: int = 1):
        return _decorator(batched_adjoint(*self, outputs=outputs), fn)


def _decorator(decorate: Callable, fn: Optional[Callable]):
    return decorate if fn is None else decorate(fn)


_DECLARATIONS = ("batch", "takes_lists", "literal_list", "packs_varargs", "refuses_sequences", "constant",
                 "selects", "masked_by", "singular", "regular_when", "regular_when_positive", "overflows",
                 "vanishes_at_inf")


def primitive(*qualnames: str, **declarations) -> Primitive:
    """Declare a primitive under its qualified names (``"numpy.sum", "method.sum"``) with what the other
    passes need to know (``batch``, ``takes_lists``... see the module docstring); returns a handle whose
    decorators register its templates."""
    unknown = set(declarations) - set(_DECLARATIONS)
    if unknown:
        raise DeclarationError(f"unknown declaration {', '.join(sorted(unknown))}; "
                               f"known: {', '.join(_DECLARATIONS)}")
    batch = declarations.get("batch")
    if batch is not None and batch != SAFE and not isinstance(batch, Axes):
        raise DeclarationError(f"batch={batch!r}: use 'safe' or Axes('axis', ...)")
    for qualname in qualnames:
        rule = _rule(qualname)
        for key, value in declarations.items():
            if key in ("constant", "selects", "masked_by", "regular_when_positive") \
                    or key == "vanishes_at_inf" and not callable(value):
                rule.extra[key] = tuple(value)
            elif key in ("regular_when", "overflows", "vanishes_at_inf"):
                rule.extra[key] = value
            else:
                setattr(rule, key, value)
    return Primitive(qualnames)


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


def list_valued(*qualnames: str) -> None:
    """Declare calls whose value is a list or tuple of arrays (``np.split``)."""
    LIST_VALUED.update(qualnames)


# ------------------------------------------------------------------------------------- runtime helpers
def helper(*names: str, aware: bool = True) -> None:
    """Declare runtime helpers that may appear in batched derivative code as they are: they read only
    primal values, or broadcast over a leading batch axis."""
    for name in names:
        HELPERS.setdefault(name, Helper()).aware = aware


def shift_axes(template: Template, axes: Axes) -> Template:
    """``template`` with each named axis argument of a numpy call on a derivative (``np.sum(x_dot,
    axis=axis)``) read as ``batch_axis(x, axis=axis)``: the same axis of a batch of values. Calls of
    runtime helpers are left alone: they have batched forms of their own."""
    of = axes.of or next(iter(template.params.parameters))
    shift = _ShiftAxes(set(axes.names), of, template)
    body = [shift.visit(copy.deepcopy(s)) for s in template.body]
    if not shift.changed:
        return template
    params = template.params.parameters
    filled = tuple(n for n in axes.names if n in params and params[n].default not in (None, params[n].empty))
    return Template(template.outputs, template.params, body, template.source_name, filled)


class _ShiftAxes(ast.NodeTransformer):
    def __init__(self, names: set, of: str, template: Template):
        self.names = names
        self.of = of
        bases = set(template.params.parameters) | set(template.outputs)
        self.derivatives = {b + "_dot" for b in bases} | {b + "_bar" for b in bases}
        self.changed = False

    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        root = node.func
        while isinstance(root, ast.Attribute):
            root = root.value
        numpy_call = isinstance(node.func, ast.Attribute) and isinstance(root, ast.Name) and root.id == "np"
        if not (numpy_call and node.args and self._carries(node.args[0])):
            return node
        node.args = [node.args[0]] + [self._shift(a) for a in node.args[1:]]
        for keyword in node.keywords:
            keyword.value = self._shift(keyword.value)
        return node

    def _carries(self, node: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and n.id in self.derivatives for n in ast.walk(node))

    def _shift(self, node: ast.expr) -> ast.expr:
        if isinstance(node, ast.Name) and node.id in self.names:
            self.changed = True
            return ast.Call(func=ast.Name(id="batch_axis", ctx=ast.Load()),
                            args=[ast.Name(id=self.of, ctx=ast.Load())],
                            keywords=[ast.keyword(arg="axis", value=node)])
        return node

