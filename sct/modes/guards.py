"""Which derivative terms a mode guards with :meth:`~sct.modes.program.Program.guarded_term`.

A term ``partial * factor`` (an adjoint or a tangent) is guarded, ``np.where(factor == 0, 0.0, term)``,
where its rule says so always (``guarded``), or where :mod:`sct.analysis.exact_zeros` finds the factor
may be an exact zero and the partial may not be finite (a ``singular`` argument, a rule whose result
may overflow, or a partial reading a value that may not be finite). A product with a comparison,
``(x > 0) * f(x)``, has its tangent guarded by the comparison: zero where it is, even where ``f``'s
tangent is infinite. A quotient by a divisor ``>= 0`` that may overflow to ``+inf`` (``1 / (1 + np.exp(-x))``
at ``x = -800``, ``(1 + np.exp(-x)) ** -1``, ``1 / np.exp(x)`` at ``x = 800``) is 0 there, and so is the
adjoint of the divisor: its terms through ``np.exp`` are guarded as where a selection's adjoint is zero,
and in forward mode the quotient's product with its own result (a power's product with its partial).
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set

from ..analysis.containers import tape_items
from ..analysis.exact_zeros import (
    Assignments,
    array_copies,
    is_mask,
    mask_names,
    may_overflow,
    overflowing_divisors,
    regular_partials,
    selected_values,
    selection_outputs,
    singular_arguments,
    unbounded_values,
    vanishing_parameters,
    vanishing_values,
    zero_tangent_values,
)
from ..analysis.positive_values import Signs, regular_at_positive
from ..ir.astutil import loaded_names, walk
from ..ir.builders import load
from ..rules import registry
from ..rules.core import Rule
from ..rules.templates import is_zero


class ExactZeros:
    """The guards of one program (its analyses are made once, when first asked)."""

    def __init__(self, program):
        self.p = program
        self._found: Dict[str, Set[str]] = {}
        self._sign_analysis: Optional[Signs] = None
        self._assignments: Optional[Assignments] = None

    def guards(self, site, param: str, value: Optional[ast.expr], factor: str,
               partial: Optional[ast.expr] = None) -> bool:
        """Does ``param``'s term at ``site`` (its partial ``partial``) need a guard? ``factor``: "adjoint" (of
        the output ``value``) or "tangent" (of the argument ``value``)."""
        rule = site.rule
        if param in rule.guarded:
            return True
        if not isinstance(value, ast.Name) or value.id not in self._names(factor):
            return False
        if partial is not None and self._reads_unbounded(site, partial):
            return True
        if may_overflow(rule, site.bound):
            return True
        return param in rule.singular and not regular_partials(rule, site.bound, self._names("positive"))

    def _reads_unbounded(self, site, partial: ast.expr) -> bool:
        """Does ``partial`` read a value that may not be finite? Not counting, at a rule regular at its
        positive arguments (:func:`~sct.analysis.positive_values.regular_at_positive`, finite up to
        ``+inf``: ``1 / (1 + np.exp(-x))``), those arguments and the result, when the others are finite."""
        unbounded = self._names("unbounded")
        reads = value_reads(partial) & unbounded
        if not reads or not regular_at_positive(site.rule, site.bound, self._names("positive")):
            return bool(reads)
        params = site.rule.extra["regular_when_positive"]
        others = [a for p, a in site.bound.items() if p not in params]
        if any(n in unbounded for a in others for n in loaded_names(a)):
            return True
        exempt = {site.bound[p].id for p in params} | set(site.targets)
        return bool(reads - exempt)

    def tangent_term(self, site, param: str, partial: ast.expr, tangent: ast.expr) -> ast.expr:
        """``partial * tangent``, guarded where the tangent may be an exact zero and the partial not finite,
        or where the partial of an operand a selection may drop (``np.maximum``'s) is zero and the tangent
        may not be finite."""
        arg = site.bound.get(param)
        term = ast.BinOp(left=partial, op=ast.Mult(), right=tangent)
        if self.guards(site, param, arg, "tangent", partial):
            return self.p.guarded_term(tangent, term)
        if self._vanishes(site, param):  # the partial is 0 and the tangent may be infinite
            return self.p.guarded_term(partial, term)
        if param in site.rule.extra.get("selects", ()) and self._unbounded(arg):
            return self.p.guarded_term(partial, term)
        return term

    def _vanishes(self, site, param: Optional[str] = None) -> bool:
        """Is ``param`` (any parameter) of ``site`` a divisor that may overflow to ``+inf``, where the
        result and its partials are 0 (:func:`~sct.analysis.exact_zeros.overflowing_divisors`)?"""
        params = vanishing_parameters(site.rule, site.bound)
        return any(isinstance(site.bound.get(q), ast.Name) and site.bound[q].id in self._names("divisors")
                   for q in params if param is None or q == param)

    def vanishing_tangents(self, site, produced: List[ast.stmt]) -> List[ast.stmt]:
        """The tangents of a quotient by a divisor that may overflow (:meth:`_vanishes`): each product with
        the result, 0 there, guarded by it (``z * y_dot`` of ``(x_dot - z * y_dot) / y`` is ``0 * inf``)."""
        if not self._vanishes(site):
            return produced
        result = site.targets[0]

        def guard(node: ast.expr) -> ast.expr:
            for field, child in ast.iter_fields(node):
                if isinstance(child, ast.expr):
                    setattr(node, field, guard(child))
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and any(
                    isinstance(f, ast.Name) and f.id == result for f in (node.left, node.right)):
                return self.p.guarded_term(load(result), node)
            return node

        for new in produced:
            if isinstance(new, ast.Assign):
                new.value = guard(new.value)
        return produced

    def overflowing_divisors(self) -> Set[str]:
        """The divisors ``>= 0`` that may overflow to ``+inf`` (see :meth:`_vanishes`): asked of the
        function as the transformation left it."""
        if "divisors" not in self._found:
            self._assignments = None
        return self._names("divisors")

    def adjoint_masks(self, site) -> Dict[str, ast.expr]:
        """Of a product with a comparison (``(x > 0) * f``) whose adjoint may be infinite, each other
        argument's parameter -> the comparison that guards its adjoint (zero where the comparison is)."""
        masks = [p for p in site.rule.extra.get("masked_by", ()) if p in site.bound
                 and is_mask(site.bound[p], self._names("mask"), self._qualname)]
        if not masks or not set(site.targets) & self._names("singular"):
            return {}
        return {p: site.bound[masks[0]] for p in site.bound if p != masks[0]}

    def dropped_term(self, site, param: str, partial: ast.expr, term: ast.expr) -> ast.expr:
        """The adjoint ``term`` (``z_bar * partial``) of an operand a selection may drop (``np.maximum``'s),
        guarded by its zero ``partial`` where the adjoint of the result may be infinite."""
        if param in site.rule.extra.get("selects", ()) and set(site.targets) & self._names("singular"):
            return self.p.guarded_term(partial, term)
        return term

    def _unbounded(self, node: Optional[ast.expr]) -> bool:
        return isinstance(node, ast.Name) and node.id in self._names("unbounded")

    def seeds_zero(self, targets) -> bool:
        """May the adjoint of a helper call's results ``targets`` be an exact zero? Then the helper's
        derivative guards its singular terms as if its results were selected."""
        return bool(set(targets) & self._names("adjoint"))

    def masked_tangents(self, site, produced: List[ast.stmt]) -> List[ast.stmt]:
        """The tangents of a product with a comparison (a ``masked_by`` argument bound to a mask) and a
        value that may not be finite, guarded by the mask."""
        if not any(self._unbounded(a) for a in site.bound.values()):
            return produced
        masks = [site.bound[p] for p in site.rule.extra.get("masked_by", ()) if p in site.bound
                 and is_mask(site.bound[p], self._names("mask"), self._qualname)]
        for new in produced if masks else ():
            if isinstance(new, ast.Assign) and not is_zero(new.value):
                for mask in masks:
                    new.value = self.p.guarded_term(mask, new.value)
        return produced

    def _qualname(self, node: ast.expr) -> Optional[str]:
        return getattr(self.p.operation(node), "qualname", None)

    def _signs(self) -> Signs:
        """The values proved ``>= 1`` and ``>= 0``; an overflow gives ``+inf``, which is both."""
        if self._sign_analysis is None:
            p = self.p
            self._sign_analysis = Signs(p.func, self._qualname, unbounded_values(
                self._read(), overflow=False), self._names("infinite"))
        return self._sign_analysis

    def _read(self) -> Assignments:
        """The function's assignments and their calls, read once for every analysis."""
        if self._assignments is None:
            self._assignments = Assignments(self.p.func, self.p.operation, _declared_rule)
        return self._assignments

    def _names(self, kind: str) -> Set[str]:
        if kind not in self._found:
            p = self.p
            if kind == "adjoint":
                found = selected_values(self._read(), outputs=bool(p.source.extra.get("zero seeds")))
                found |= vanishing_values(self._read(), self._names("divisors"), self._signs().nonnegative)
            elif kind == "divisors":  # with those a first derivative's forward half proved
                found = overflowing_divisors(self._read(), lambda: self._signs().nonnegative,
                                             lambda: self._names("infinite"))
                if p.source.extra.get("overflowing divisors"):
                    proved = p.source.extra["overflowing divisors"] & tape_items(p.func)
                    found = found | proved | array_copies(self._read(), proved)
            elif kind == "infinite":  # a superset: the positive values are not known yet
                found = unbounded_values(self._read())
            elif kind == "unbounded":  # first without the positive values, which must not read these
                found = unbounded_values(self._read(), self._names("positive"))
            elif kind == "positive":
                found = self._signs().positive
            elif kind == "singular":
                found = singular_arguments(self._read(), self._names("positive"))
            elif kind == "mask":
                found = mask_names(self._read())
            else:  # "tangent"
                tapes = tape_items(p.func) if p.source.extra.get("emitted") else set()
                selected = selection_outputs(self._read(), p.active)
                found = zero_tangent_values(self._read(), tapes | selected, p.active)
            self._found[kind] = found
        return self._found[kind]


# runtime helpers that read only the shape of their argument at this position
_SHAPE_OPERANDS = {"unbroadcast": 1, "unreduce": 1, "broadcast_like": 1, "sum_adjoint": 1,
                   "unbroadcast_product": 2}


def value_reads(term: ast.expr) -> Set[str]:
    """Names whose values ``term`` reads: not those it reads only the shape of (``unbroadcast(g, x)``'s
    ``x``), which are no part of its value even where they are infinite."""
    shape_only = {id(node) for call in walk(term) if isinstance(call, ast.Call)
                  and isinstance(call.func, ast.Name) and call.func.id in _SHAPE_OPERANDS
                  and len(call.args) > _SHAPE_OPERANDS[call.func.id]
                  for node in walk(call.args[_SHAPE_OPERANDS[call.func.id]])}
    if not shape_only:
        return loaded_names(term)
    return {node.id for node in walk(term)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
            and id(node) not in shape_only}


def _declared_rule(operation) -> Optional[Rule]:
    return registry.lookup(operation.qualname) if operation.kind == "primitive" else None
