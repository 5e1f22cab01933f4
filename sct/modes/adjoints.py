"""The adjoint of one assignment: its contributions to the adjoints of the operands.

Contributions come from the rules (templates, partials of elementwise functions, generators) or, for a
call to a user helper, from that helper's emitted backward half.
"""
from __future__ import annotations

import ast
from collections import Counter
from typing import List, Optional

from ..analysis.activity import assigned_names
from ..analysis.shape_classes import SCALAR, same
from ..ir import annotations as anno
from ..ir.astutil import clone
from ..ir.builders import call, load, store
from ..rules import registry
from ..rules.structural_rules import RuleError
from ..rules.templates import Contribution, fold, instantiate
from ..rules.user_sites import checked_adjoints

# operations whose adjoint templates unbroadcast into operands that broadcast elementwise
ELEMENTWISE_TEMPLATES = {"op.Add", "op.Sub", "op.Mult", "op.Div", "numpy.add", "numpy.subtract",
                         "numpy.multiply", "numpy.divide", "numpy.true_divide", "numpy.where"}


class AdjointMixin:
    """Adjoint statements of assignments for :class:`sct.modes.reverse.ReverseTransformer`."""

    def adjoint_of(self, stmt: ast.Assign, targets: List[str]) -> list:
        """Contributions (and local statements) of one assignment's adjoint."""
        p = self.p
        value = stmt.value
        z_bar = load(p.bar_name(targets[0]))
        if isinstance(value, ast.Name):
            return [Contribution(value, z_bar)]
        if isinstance(value, ast.Constant):
            return []
        operation = p.operation(value)
        if operation is None:
            if isinstance(value, (ast.List, ast.Tuple)):
                return [Contribution(e, ast.Subscript(value=z_bar, slice=ast.Constant(i), ctx=ast.Load()))
                        for i, e in enumerate(value.elts)]
            if isinstance(value, ast.Dict):
                return [Contribution(e, ast.Subscript(value=clone(z_bar), slice=clone(k), ctx=ast.Load()))
                        for k, e in zip(value.keys, value.values)]
            return []
        if operation.kind == "helper":
            return self.helper_adjoint(stmt, operation, targets)
        rule = p.rule_for(operation, value)
        if rule is None:
            return []
        site = p.call_site(rule, operation, targets, value)
        try:
            if site.rule.adjoint_generator is not None:
                return site.rule.adjoint_generator(site)
            if site.rule.adjoint is not None:
                unset = {t for t in targets if t not in self.live} if len(targets) > 1 else set()
                produced = instantiate(site.rule.adjoint, site, "adjoint")
                produced = self._same_shape(site, operation.qualname, produced)
                self._guard_singular(site, produced, z_bar)
                return self.materialize(unset) + checked_adjoints(site, produced)
            if site.rule.partials is not None:
                return self._same_shape(site, operation.qualname, self.elementwise(site))
        except RuleError as exc:
            raise p.rule_error(exc, stmt) from None
        raise p.context.error(stmt, f"sct has no reverse-mode rule for '{operation.qualname}'",
                              hint="use forward mode, or add an adjoint rule in sct/rules")

    def _guard_singular(self, site, produced: list, z_bar: ast.Name) -> None:
        """Guard the contributions of a template rule whose partial may not be finite (``1 / y``, ``z_bar *
        y`` with ``y`` NaN) where the output's adjoint may be an exact zero: inside the ``unbroadcast`` (or
        negation) that shapes them."""
        qualname = site.rule.qualname
        if not (qualname in ELEMENTWISE_TEMPLATES or registry.is_elementwise(qualname)):
            return  # a guard on the output's entries says nothing of a matrix product's
        params = {ast.dump(a): p for p, a in site.bound.items()}
        output = load(site.targets[0])
        masks = self.p.exact_zeros.adjoint_masks(site)  # (x > 0) * f below a singular partial
        for item in produced:
            param = params.get(ast.dump(item.arg)) if isinstance(item, Contribution) else None
            if param is not None and self.p.exact_zeros.guards(site, param, output, "adjoint", item.value):
                item.value = _guarded_inside(item.value, lambda term: self.p.guarded_term(z_bar, term))
            if param in masks:
                mask = masks[param]
                item.value = _guarded_inside(item.value,
                                             lambda term, mask=mask: self.p.guarded_term(mask, term))

    def _same_shape(self, site, qualname: str, produced: list) -> list:
        """Drop ``unbroadcast`` into an argument of an elementwise operation when every other argument is a
        scalar or of the argument's shape: nothing was broadcast into it. (Keyword-only parameters such as
        ``axis`` are not operands; another operation, ``np.tril`` of a vector, may broadcast on its own.)"""
        if not site.rule.broadcasts:
            return produced
        elementwise = qualname in ELEMENTWISE_TEMPLATES or registry.is_elementwise(qualname)
        joins = qualname in ("op.Add", "op.Mult")  # on lists: join and repeat
        for item in produced:
            if not isinstance(item, Contribution):
                continue
            negated = isinstance(item.value, ast.UnaryOp) and isinstance(item.value.op, ast.USub)
            call = item.value.operand if negated else item.value
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "unbroadcast"):
                continue
            others = [a for a in site.bound.values() if a is not item.arg]
            scalars = all(self.scalars.is_scalar(a) for a in others)
            if elementwise and (scalars or self._shaped_like(item.arg, others, joins)):
                inner = call.args[0]
                item.value = ast.UnaryOp(op=ast.USub(), operand=inner) if negated else inner
        return produced

    def _shaped_like(self, arg: ast.expr, others: List[ast.expr], joins: bool) -> bool:
        """Is every one of ``others`` a scalar or certainly of ``arg``'s (known) shape? (``joins``: and
        none a list or tuple, which ``+`` and ``*`` would join or repeat.)"""
        shape = self.shapes.shape_of(arg)
        if shape is None or (joins and shape.sequence):
            return False
        for other in others:
            found = SCALAR if self.scalars.is_scalar(other) else self.shapes.shape_of(other)
            if not (same(found, SCALAR) or (same(found, shape) and not (joins and found.sequence))):
                return False
        return True

    @staticmethod
    def _merge_repeated(items: list) -> list:
        """``f(x, x)`` gives the same contribution twice (``einsum('ij,ij->i', z, z)``): add it once, doubled.

        An einsum is linear in each operand, so the factor goes on the adjoint operand, usually the
        smallest array, instead of on the result."""
        merged: list = []
        seen = {}
        mergeable = [isinstance(item, Contribution) and item.index is None and isinstance(item.arg, ast.Name)
                     for item in items]
        args = Counter(item.arg.id for item, can in zip(items, mergeable) if can)
        for item, can in zip(items, mergeable):
            if can and args[item.arg.id] > 1:  # values compared only where an operand repeats
                key = (item.arg.id, ast.dump(item.value))
                if key in seen:
                    seen[key][1] += 1
                    continue
                seen[key] = [item, 1]
            merged.append(item)
        for item, count in seen.values():
            if count == 1:
                continue
            product = _einsum_product(item.value)
            if product is not None:
                product.args[1] = ast.BinOp(left=ast.Constant(count), op=ast.Mult(), right=product.args[1])
            else:
                item.value = ast.BinOp(left=ast.Constant(count), op=ast.Mult(), right=item.value)
        return merged

    def elementwise(self, site) -> list:
        partials = instantiate(site.rule.partials, site, "adjoint")[0].value
        partials = partials.elts if isinstance(partials, ast.Tuple) else [partials]
        z_bar = load(self.p.bar_name(site.targets[0]))
        result = []
        for param, partial in zip(site.rule.signature.parameters, partials):
            arg = site.bound.get(param)
            if arg is None or not self.p.is_active(arg):
                continue
            product = fold(ast.BinOp(left=clone(z_bar), op=ast.Mult(), right=partial))
            if self.p.exact_zeros.guards(site, param, load(site.targets[0]), "adjoint", partial):
                product = self.p.guarded_term(z_bar, product)
            product = self.p.exact_zeros.dropped_term(site, param, partial, product)
            result.append(Contribution(arg, call("unbroadcast", product, clone(arg))))
        return result

    def helper_forward(self, stmt: ast.Assign) -> ast.Assign:
        """``z = helper(a)`` with active arguments becomes ``z, tape = diff_helper_forward(a)``."""
        p = self.p
        operation = p.operation(stmt.value)
        targets = assigned_names(stmt.targets[0])
        if operation is None or operation.kind != "helper" or not targets & p.active:
            return stmt
        helper, wrt, _ = p.helper_binding(operation, stmt)
        if not wrt:
            return stmt
        callee, _ = p.module.derivative_of_helper(helper, wrt, "reverse", stmt, p,
                                                  p.exact_zeros.seeds_zero(targets))
        # A loop body's sweeps are built more than once (reverse_loop's fixpoint): keep one tape name.
        tape = anno.get(stmt, "tape") or p.namer.temp("_tape")
        call = ast.Call(func=load(f"{callee}_forward"), args=list(operation.args),
                        keywords=list(operation.keywords))
        pair = ast.Tuple(elts=[stmt.targets[0], store(tape)], ctx=ast.Store())
        new = ast.Assign(targets=[pair], value=call)
        anno.mark(stmt, "tape", tape)
        return ast.copy_location(new, stmt)

    def helper_adjoint(self, stmt: ast.Assign, operation, targets: List[str]) -> list:
        p = self.p
        helper, wrt, bound = p.helper_binding(operation, stmt)
        if not wrt:
            return []
        callee, _ = p.module.derivative_of_helper(helper, wrt, "reverse", stmt, p,
                                                  p.exact_zeros.seeds_zero(targets))
        if isinstance(stmt.targets[0], ast.Tuple):
            seeds = [load(p.bar_name(t)) if t in self.live else self.zeros(t) for t in targets]
            seed: ast.expr = ast.Tuple(elts=seeds, ctx=ast.Load())
        else:
            seed = load(p.bar_name(targets[0]))
        tape = load(anno.get(stmt, "tape"))
        call = ast.Call(func=load(f"{callee}_backward"), args=[tape, seed], keywords=[])
        grads = p.namer.temp("_g")
        result: list = [ast.Assign(targets=[store(grads)], value=call, lineno=0)]
        for i, name in enumerate(wrt):
            value: ast.expr = load(grads)
            if len(wrt) > 1:
                value = ast.Subscript(value=load(grads), slice=ast.Constant(i), ctx=ast.Load())
            result.append(Contribution(bound[name], value))
        return result


def _guarded_inside(value: ast.expr, guard) -> ast.expr:
    """``guard`` applied to the elementwise term of a contribution, under ``-`` and ``unbroadcast``."""
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
        value.operand = _guarded_inside(value.operand, guard)
        return value
    if _calls(value, "unbroadcast") and value.args:
        value.args[0] = guard(value.args[0])
        return value
    return guard(value)


def _einsum_product(value: ast.expr) -> Optional[ast.Call]:
    """The ``contract(spec, adjoint, *others)`` (or ``np.einsum``) call of an einsum operand's adjoint,
    seen through the ``einsum_fit`` that shapes it (sct/rules/structural_rules.py), or None."""
    if _calls(value, "einsum_fit", "batch_einsum_fit") and value.args:
        value = value.args[0]
    return value if _calls(value, "contract", "einsum") and len(value.args) > 1 else None


def _calls(node: ast.expr, *names: str) -> bool:
    """Is ``node`` a call of a function (or attribute) with one of these names?"""
    func = getattr(node, "func", None)
    return isinstance(node, ast.Call) and (getattr(func, "id", None) in names or getattr(func, "attr", None)
                                           in names)
