"""Which derivative terms a mode guards with :meth:`~sct.modes.program.Program.guarded_term`.

A term ``partial * factor`` (an adjoint or a tangent) is guarded, ``np.where(factor == 0, 0.0, term)``,
where its rule says so always (``guarded``), or where the partial may not be finite (``singular``) and
:mod:`sct.analysis.exact_zeros` finds the factor may be an exact zero. A product with a comparison,
``(x > 0) * f(x)``, has its tangent guarded by the comparison: zero where it is, even where ``f``'s
tangent is infinite.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set

from ..analysis.containers import tape_items
from ..analysis.exact_zeros import is_mask, mask_names, selected_values, zero_tangent_values
from ..rules import registry
from ..rules.core import Rule
from ..rules.templates import is_zero


class ExactZeros:
    """The guards of one program (its analyses are made once, when first asked)."""

    def __init__(self, program):
        self.p = program
        self._found: Dict[str, Set[str]] = {}

    def guards(self, site, param: str, value: Optional[ast.expr], factor: str) -> bool:
        """Does ``param``'s term at ``site`` need a guard? ``factor``: "adjoint" (of the output ``value``) or
        "tangent" (of the argument ``value``)."""
        rule = site.rule
        if param in rule.guarded:
            return True
        if param not in rule.singular or not isinstance(value, ast.Name):
            return False
        regular = rule.extra.get("regular_when")
        return value.id in self._names(factor) and not (regular is not None and regular(site.bound))

    def seeds_zero(self, targets) -> bool:
        """May the adjoint of a helper call's results ``targets`` be an exact zero? Then the helper's
        derivative guards its singular terms as if its results were selected."""
        return bool(set(targets) & self._names("adjoint"))

    def masked_tangents(self, site, produced: List[ast.stmt]) -> List[ast.stmt]:
        """The tangents of a product with a comparison (a ``masked_by`` argument bound to a mask), guarded
        by the mask."""
        masks = [site.bound[p] for p in site.rule.extra.get("masked_by", ()) if p in site.bound
                 and is_mask(site.bound[p], self._names("mask"), self._qualname)]
        for new in produced if masks else ():
            if isinstance(new, ast.Assign) and not is_zero(new.value):
                for mask in masks:
                    new.value = self.p.guarded_term(mask, new.value)
        return produced

    def _qualname(self, node: ast.expr) -> Optional[str]:
        return getattr(self.p.operation(node), "qualname", None)

    def _names(self, kind: str) -> Set[str]:
        if kind not in self._found:
            p = self.p
            if kind == "adjoint":
                found = selected_values(p.func, p.operation, _declared_rule,
                                        outputs=bool(p.source.extra.get("zero seeds")))
            elif kind == "mask":
                found = mask_names(p.func, self._qualname)
            elif p.source.extra.get("emitted"):
                found = zero_tangent_values(p.func, tape_items(p.func), p.active)
            else:
                found = set()
            self._found[kind] = found
        return self._found[kind]


def _declared_rule(operation) -> Optional[Rule]:
    return registry.lookup(operation.qualname) if operation.kind == "primitive" else None
