"""Where an adjoint or a tangent may be an exact zero: the values whose singular partials need a guard.

A rule's partial may be infinite or NaN at a finite input (``sqrt`` and ``log`` at 0, ``arcsin`` at 1,
``1 / y`` at ``y = 0``: the rules' ``singular`` declarations). Its derivative term is that partial times
an adjoint (a tangent), and ``0 * inf`` is NaN where the exact term is 0. A guard (``np.where(factor ==
0, 0.0, term)``) costs an array pass per operation, so the modes guard only the terms this analysis finds
may meet an exact zero:

* reverse mode, :func:`selected_values`: values flowing into a selection — a branch of ``np.where``, a
  choice of ``np.select``, an operand of ``np.maximum``, an indexed value, the value an index write
  overwrites, a factor of a product with a comparison ``(x > 0) * f(x)`` (the rules' ``selects`` and
  ``masked_by`` declarations) — and every value they are computed from: their adjoints are zero at the
  entries the selection does not take, where the unselected branch may be singular (``sqrt(x)`` at
  ``x < 0``).
* reverse mode, :func:`singular_arguments`: values whose adjoint may be infinite (read by a singular
  partial); a selection's zero partial (``np.maximum``'s at the operand it drops) meets it, and its term
  is guarded by that partial.
* forward mode, :func:`zero_tangent_values`: values read from a tape in sct's own output (a higher
  derivative), whose tangent is an array of zeros for an item that was constant in the first derivative
  (a constant argument of a helper); selections of a constant (:func:`selection_outputs`: the tangent of
  ``np.maximum(x, 0.0)`` is zero where ``x < 0``, and ``np.sqrt`` of it is singular there); and values
  computed from those alone.

A term needs the guard where its partial may not be finite: a ``singular`` argument, or a partial that
reads a value that may not be finite itself (:func:`unbounded_values`: ``y`` in the adjoint ``z_bar * y``
of ``z = x * y`` when ``y = np.sqrt(x)`` is NaN beyond the domain). A rule whose result may overflow
(``overflows``: ``np.exp``, ``np.cosh``, ``x ** y``, :func:`may_overflow`) counts as singular in every
argument, and its result as unbounded: ``np.where(x > 0.5, 1 / (1 + np.exp(-800 * x)), -x)`` at ``x < 0``
has ``exp``'s adjoint ``0 * inf`` unguarded. Products and sums of large finite values are not counted
(their operands are beyond ``1e154`` before they overflow).

A quotient by a value ``b >= 0`` (:mod:`sct.analysis.positive_values`) that may overflow to ``+inf``
(:func:`overflowing_divisors`: ``1 + np.exp(-x)`` at ``x = -800``, ``np.exp(x)`` at ``x = 800``) is 0, and so
are its partials (the rules' ``vanishes_at_inf`` declarations: ``a / b``, ``b ** -k`` for a literal ``k >
0``): the adjoint of ``b`` is then a zero too (the exact one is at most ``|z_bar * a| / b``, or ``k |z_bar| /
b ** k``), and ``b``'s own terms through ``np.exp`` are ``0 * inf``. :func:`vanishing_values` finds ``b`` and
the values ``>= 0`` it is computed from, whose partials in the values ``b`` is built from are at most a
multiple of ``b`` (sums, maxima, ``exp``, ``cosh``, powers by literals ``>= 1``): those terms are at most a
multiple of that bound too, below what the quotient itself rounds away, and a guard makes them 0. A guard
changes a term only where its partial is not finite and its factor is exactly 0; at ``b = 0`` the quotient
and the adjoint of ``b`` are infinite or NaN, never 0, so ``b >= 1`` is not needed. In forward mode the
quotient's term ``z * b_dot`` (the power's ``partial * b_dot``) is the ``0 * inf``, guarded by ``z`` (the
partial).

All are flow-insensitive over names (a name assigned twice counts as one value): they may guard more
than needed, never less.
"""
from __future__ import annotations

import ast
from typing import Callable, Dict, List, Optional, Set

from ..ir.astutil import loaded_names
from ..ir.blocks import all_statements
from .positive_values import regular_at_positive
from .shifted_exponentials import shifted_source

# calls whose value is a boolean mask (or 0/1 made from one): a product with one selects
_MASK_CALLS = {"numpy.logical_and", "numpy.logical_or", "numpy.logical_not", "numpy.logical_xor",
               "numpy.isfinite", "numpy.isnan", "numpy.isinf", "numpy.equal", "numpy.not_equal",
               "numpy.less", "numpy.less_equal", "numpy.greater", "numpy.greater_equal", "numpy.heaviside"}
_MASK_OPERATORS = (ast.BitAnd, ast.BitOr, ast.BitXor)


def _assignments(func: ast.FunctionDef) -> List[ast.Assign]:
    """The function's assignments, found in one walk (each analysis reads them several times)."""
    return [n for n in all_statements(func) if isinstance(n, ast.Assign)]


def _target_names(target: ast.expr) -> Set[str]:
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_target_names(e) for e in target.elts)) if target.elts else set()
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return set()


def _operand_names(node: ast.expr) -> Set[str]:
    return set(loaded_names(node))


def _definitions(assignments: List[ast.Assign]) -> Dict[str, Set[str]]:
    """Each assigned name -> the names its values are computed from (over all its ``assignments``)."""
    made: Dict[str, Set[str]] = {}
    for stmt in assignments:
        operands = _operand_names(stmt.value)
        for target in stmt.targets:
            for name in _target_names(target):
                made.setdefault(name, set()).update(operands)
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                made.setdefault(target.value.id, set()).update(operands)  # x[i] = v: x holds v
    return made


def _bound(rule, operation) -> Dict[str, ast.expr]:
    try:
        keywords = {k.arg: k.value for k in operation.keywords if k.arg is not None}
        return dict(rule.signature.bind(*operation.args, **keywords).arguments)
    except (TypeError, AttributeError):  # the transformation reports the call
        return {}


class Assignments:
    """A function's assignments with what every analysis here reads of them, found once: the rule and
    bound arguments of each call of one (``operation_of`` gives a call's
    :class:`~sct.frontend.calls.Operation`, ``rule_of`` the rule of an operation, or None), each name's
    operands (:func:`_definitions`) and the names bound to masks."""

    def __init__(self, func: ast.FunctionDef, operation_of: Callable, rule_of: Callable):
        self.func = func
        self.statements = _assignments(func)
        self.calls: List[tuple] = []  # (assignment, rule, bound arguments) of each call of a rule
        for stmt in self.statements:
            operation = operation_of(stmt.value)
            rule = rule_of(operation) if operation is not None else None
            if rule is not None:
                self.calls.append((stmt, rule, _bound(rule, operation)))
        self._operation_of = operation_of
        self._definitions: Optional[Dict[str, Set[str]]] = None
        self._readers: Optional[Dict[str, Set[str]]] = None
        self._masks: Optional[Set[str]] = None

    def operation(self, node: ast.expr):
        """The :class:`~sct.frontend.calls.Operation` of ``node``, or None."""
        return self._operation_of(node)

    def qualname_of(self, node: ast.expr) -> Optional[str]:
        operation = self._operation_of(node)
        return operation.qualname if operation is not None else None

    @property
    def definitions(self) -> Dict[str, Set[str]]:
        """Each assigned name -> the names its values are computed from."""
        if self._definitions is None:
            self._definitions = _definitions(self.statements)
        return self._definitions

    @property
    def readers(self) -> Dict[str, Set[str]]:
        """Each name -> the assigned names computed from it."""
        if self._readers is None:
            self._readers = {}
            for name, operands in self.definitions.items():
                for operand in operands:
                    self._readers.setdefault(operand, set()).add(name)
        return self._readers

    @property
    def masks(self) -> Set[str]:
        """The names bound to a comparison (or a logical combination of comparisons)."""
        if self._masks is None:
            self._masks = _masks(self.statements, self.qualname_of)
        return self._masks


def mask_names(found: Assignments) -> Set[str]:
    """Names whose value is a comparison (or a logical combination of comparisons)."""
    return found.masks


def _masks(assignments: List[ast.Assign], qualname_of: Callable[[ast.expr], Optional[str]]) -> Set[str]:
    masks: Set[str] = set()
    changed = True
    while changed:
        changed = False
        for stmt in assignments:
            names = {t.id for t in stmt.targets if isinstance(t, ast.Name)}
            if names and not names <= masks and is_mask(stmt.value, masks, qualname_of):
                masks |= names
                changed = True
    return masks


def is_mask(node: ast.expr, masks: Set[str], qualname_of) -> bool:
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.Name):
        return node.id in masks
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
        return is_mask(node.operand, masks, qualname_of)
    if isinstance(node, ast.BinOp) and isinstance(node.op, _MASK_OPERATORS):
        return is_mask(node.left, masks, qualname_of) and is_mask(node.right, masks, qualname_of)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "astype":  # mask.astype(float)
            return is_mask(node.func.value, masks, qualname_of)
        return qualname_of(node) in _MASK_CALLS
    return False


def selected_values(found: Assignments, outputs: bool = False) -> Set[str]:
    """Names whose adjoint may be an exact zero at entries a selection does not take (see the module
    docstring); ``outputs``: the values returned are selected (by the caller)."""
    masks = found.masks
    seeds: Set[str] = set()
    if outputs:
        seeds = set().union(*(_operand_names(n.value) for n in all_statements(found.func)
                              if isinstance(n, ast.Return) and n.value is not None))
    for stmt in found.statements:
        for target in stmt.targets:  # an index write zeroes the adjoint of what it overwrites
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                seeds.add(target.value.id)
    for _, rule, bound in found.calls:
        for param in rule.extra.get("selects", ()):
            if param in bound:
                seeds |= _operand_names(bound[param])
        masking = [p for p in rule.extra.get("masked_by", ()) if p in bound
                   and is_mask(bound[p], masks, found.qualname_of)]
        for param in masking:
            for other, value in bound.items():
                if other != param:
                    seeds |= _operand_names(value)
    return _closure(seeds, found.definitions)


def singular_arguments(found: Assignments, positive: Set[str] = frozenset()) -> Set[str]:
    """Names whose adjoint may not be finite: the arguments of rules whose partials may not be finite
    there (``singular`` ones, not regular at these arguments, and those of rules that may overflow), and
    every value they are computed from. A selection's partial that drops an operand of such a value
    (``np.maximum(x, 0.0)``'s, 0 where ``x < 0``, below ``np.sqrt``) meets an infinite adjoint."""
    seeds: Set[str] = set()
    for _, rule, bound in found.calls:
        if not (rule.singular or "overflows" in rule.extra):
            continue
        every = may_overflow(rule, bound)
        if not every and regular_partials(rule, bound, positive):
            continue
        for param, value in bound.items():
            if every or param in rule.singular:
                seeds |= _operand_names(value)
    return _closure(seeds, found.definitions)


def _closure(seeds: Set[str], made: Dict[str, Set[str]]) -> Set[str]:
    found, todo = set(seeds), list(seeds)
    while todo:
        for operand in made.get(todo.pop(), ()):
            if operand not in found:
                found.add(operand)
                todo.append(operand)
    return found


def selection_outputs(found: Assignments, active: Set[str]) -> Set[str]:
    """Names bound to a selection whose tangent is zero at the entries it takes from a constant: a
    ``selects`` argument not differentiated (``np.maximum(x, 0.0)``, ``np.where(x > 0, x, 0.0)``), or a
    product with a comparison (``(x > 0) * x``)."""
    masks = found.masks
    outputs: Set[str] = set()
    for stmt, rule, bound in found.calls:
        constant = [p for p in rule.extra.get("selects", ()) if p in bound
                    and not _operand_names(bound[p]) & active]
        masking = [p for p in rule.extra.get("masked_by", ()) if p in bound
                   and is_mask(bound[p], masks, found.qualname_of)]
        if constant or masking:
            for target in stmt.targets:
                outputs |= _target_names(target)
    return outputs


def zero_tangent_values(assignments: Assignments, tape_items: Set[str], active: Set[str]) -> Set[str]:
    """Names whose tangent may be an exact zero: items of a tape (``tape_items``, see
    :func:`sct.analysis.containers.tape_items`) or selections (:func:`selection_outputs`), and names
    computed from those (and inactive values) alone."""
    waiting: Dict[str, list] = {}  # name -> for each of its assignments, the operands not yet found
    for stmt in assignments.statements:
        operands = _operand_names(stmt.value) & active
        for target in stmt.targets:
            for name in _target_names(target):
                waiting.setdefault(name, []).append(set(operands) or {None})  # no operand: not a tape's
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                waiting.setdefault(target.value.id, []).append({None})  # an index write: never provably zero
    readers: Dict[str, list] = {}
    for name, definitions in waiting.items():
        for operands in definitions:
            for operand in operands:
                readers.setdefault(operand, []).append((name, operands))
    found, todo = set(tape_items), list(tape_items)
    while todo:
        for name, operands in readers.get(todo.pop(), ()):
            operands.difference_update(found)
            if name not in found and not any(waiting[name]):
                found.add(name)
                todo.append(name)
    return found


def may_overflow(rule, bound: Dict[str, ast.expr]) -> bool:
    """May ``rule``'s result (and its partials) overflow to infinity at these finite arguments?"""
    overflows = rule.extra.get("overflows", False)
    return overflows(bound) if callable(overflows) else bool(overflows)


def regular_partials(rule, bound: Dict[str, ast.expr], positive: Set[str] = frozenset()) -> bool:
    """Are ``rule``'s singular partials finite at these arguments: ``regular_when`` them, or
    ``regular_when_positive`` with those bound to names in ``positive``?"""
    regular = rule.extra.get("regular_when")
    return regular is not None and regular(bound) or regular_at_positive(rule, bound, positive)


def overflowing_divisors(assignments: Assignments, nonnegative: Callable[[], Set[str]],
                         infinite: Callable[[], Set[str]]) -> Set[str]:
    """Names bound to a rule's ``vanishes_at_inf`` argument (``1 / y``'s ``y``) that are ``>= 0``
    (``nonnegative()``) and may be infinite (``infinite()``, asked only where there is such an argument):
    where they are ``+inf``, the result and its partials are 0 (see the module docstring)."""
    found: Set[str] = set()
    for _, rule, bound in assignments.calls:
        if "vanishes_at_inf" not in rule.extra:
            continue
        found |= {bound[p].id for p in vanishing_parameters(rule, bound)
                  if isinstance(bound.get(p), ast.Name)}
    return found & nonnegative() & infinite() if found else found


def vanishing_parameters(rule, bound: Dict[str, ast.expr]) -> tuple:
    """``rule``'s ``vanishes_at_inf`` parameters at these arguments (a declaration may depend on them:
    ``x ** y``'s ``x`` for a literal ``y < 0``)."""
    params = rule.extra.get("vanishes_at_inf", ())
    return tuple(params(bound)) if callable(params) else params


def array_copies(assignments: Assignments, names: Set[str]) -> Set[str]:
    """Names bound to ``np.asarray(n)`` or ``np.array(n)`` of a name ``n`` in ``names``: the same values
    (the array a list or tuple may be read as, :mod:`sct.frontend.sequence_arrays`)."""
    found: Set[str] = set()
    for stmt in assignments.statements:
        value = stmt.value
        if len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and isinstance(value, ast.Call) \
                and len(value.args) == 1 and not value.keywords and isinstance(value.args[0], ast.Name) \
                and value.args[0].id in names \
                and assignments.qualname_of(value) in ("numpy.asarray", "numpy.array"):
            found.add(stmt.targets[0].id)
    return found


def vanishing_values(assignments: Assignments, divisors: Set[str], nonnegative: Set[str]) -> Set[str]:
    """Names whose adjoint may be a zero because a quotient by an overflowing divisor (``divisors``, see
    :func:`overflowing_divisors`) is 0: the divisors and the values ``>= 0`` (``nonnegative``) they are
    computed from."""
    made = {name: operands & nonnegative for name, operands in assignments.definitions.items()
            if name in nonnegative}
    return _closure(set(divisors), made)


def unbounded_values(assignments: Assignments, positive: Set[str] = frozenset(),
                     overflow: bool = True) -> Set[str]:
    """Names whose value may be infinite or NaN at finite inputs: the results of rules with ``singular``
    arguments (not ``regular_when`` their arguments, nor ``regular_when_positive`` at names in ``positive``,
    see :mod:`sct.analysis.positive_values`), with ``overflow`` those of rules that may overflow
    (:func:`may_overflow`), and the names computed from those. Not an exponential of a value minus its
    maximum (:mod:`sct.analysis.shifted_exponentials`), at most 1, where that value is finite."""
    seeds: Set[str] = set()
    shifted: Dict[str, str] = {}  # an exponential's result -> the value its argument is shifted from
    facts: Dict[str, object] = {}  # what shifted_source reads, made once (a walk of func) when first asked
    for stmt, rule, bound in assignments.calls:
        if not (rule.singular or overflow and "overflows" in rule.extra):
            continue
        if overflow and may_overflow(rule, bound) or (
                rule.singular and not regular_partials(rule, bound, positive)):
            targets = set().union(*(_target_names(t) for t in stmt.targets))
            source = shifted_source(assignments.operation(stmt.value), assignments.func,
                                    assignments.statements, assignments.operation, facts) \
                if len(targets) == 1 else None
            if source is not None and not (rule.singular and not regular_partials(rule, bound, positive)):
                shifted[next(iter(targets))] = source
            else:
                seeds |= targets
    if shifted:  # the value shifted is finite where it is not in this superset
        every = _closure(seeds | set(shifted), assignments.readers)
        seeds |= {name for name, source in shifted.items() if source in every}
    return _closure(seeds, assignments.readers)
