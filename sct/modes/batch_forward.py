"""Vector forward mode: K tangent directions at once, as one extra leading axis of every tangent.

``diff_f(*params, x_dot)`` with ``x_dot`` of shape ``(K,) + x.shape`` returns ``(value, value_dot)`` with
``value_dot`` of shape ``(K,) + value.shape``: one sweep of the primal code carries all K directions, so
the identity as ``x_dot`` gives a whole Jacobian (and, over reverse-mode code, a whole Hessian).

The emitted code is the dual program of :mod:`sct.modes.forward` with batch-aware pieces:

* the batched form each rule declares (:mod:`sct.rules.core`): templates from :mod:`sct.rules.batched_rules`
  where the batch axis matters (products, joins...), forms derived by shifting axis arguments; elementwise
  rules align operands that broadcast with ``lift``; rules declared batch-safe are used as is;
* any other rule runs once per direction in a loop over the batch (``for _k in range(_K)``), recorded in
  the ``notes`` of the result so that callers can say what is not vectorised;
* zero tangents are ``batch_zeros(x, _K)``, indexing keeps the batch axis (``x_dot[:, i]``, or
  ``batch_item`` where the value may be a list or tuple), item assignment is ``batch_setitem``.
"""
from __future__ import annotations

import ast
import copy
from typing import List, Optional, Set

from ..analysis.activity import assigned_names
from ..frontend.calls import operation_of
from ..ir import annotations as anno
from ..ir.builders import call as _call
from ..ir.builders import derivative
from ..ir.builders import name as _name
from ..rules import registry
from ..rules.batched_rules import unbatched_helpers
from ..rules.core import Template
from ..rules.structural_rules import RuleError
from ..rules.templates import instantiate, is_zero, zero
from ..rules.user_sites import align_batched_arguments, checked_tangents
from .forward import ForwardTransformer
from .list_tangents import read_as_arrays
from .program import Program
from .reverse_ast import leads_batch


def index_value(node: ast.expr) -> ast.expr:
    """An index usable as a function argument: slices written as ``slice(a, b, c)``."""
    if isinstance(node, ast.Slice):
        parts = [ast.Constant(value=None) if p is None else p for p in (node.lower, node.upper, node.step)]
        return _call("slice", *parts)
    if isinstance(node, ast.Tuple):
        return ast.Tuple(elts=[index_value(e) for e in node.elts], ctx=ast.Load())
    return copy.deepcopy(node)


class VectorProgram(Program):
    """A Program whose zero tangents are batches: ``batch_zeros(x, _K)``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = self.namer.fresh("_K")

    def zeros_like(self, name: str) -> ast.Call:
        return _call("batch_zeros", _name(name), _name(self.batch))


def _array_names(func: ast.FunctionDef, arrays: Set[str], resolver) -> Set[str]:
    """Variables that always hold arrays or numbers (never lists/tuples): their batches index directly."""
    assigns = [n for n in ast.walk(func) if isinstance(n, ast.Assign)]
    candidates = set(arrays) | {t.id for a in assigns for t in a.targets if isinstance(t, ast.Name)}
    other = {n.id for a in assigns for t in a.targets if not isinstance(t, (ast.Name, ast.Subscript))
             for n in ast.walk(t) if isinstance(n, ast.Name)}
    other |= {n.target.id for n in ast.walk(func)
              if isinstance(n, ast.For) and isinstance(n.target, ast.Name)}
    candidates -= other
    changed = True
    while changed:
        changed = False
        for a in assigns:
            target = a.targets[0]
            if isinstance(target, ast.Name) and target.id in candidates \
                    and not _array_valued(a.value, candidates, resolver):
                candidates.discard(target.id)
                changed = True
    return candidates


def _array_valued(node: ast.expr, arrays: Set[str], resolver) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float))
    if isinstance(node, ast.Name):
        return node.id in arrays
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return True
    if isinstance(node, (ast.Subscript, ast.Attribute)):
        return _array_valued(node.value, arrays, resolver)
    if isinstance(node, ast.Call):
        operation = operation_of(node, resolver)
        if operation is None or operation.kind != "primitive" or registry.returns_list(operation.qualname):
            return False
        if operation.qualname.startswith("method."):
            return _array_valued(operation.args[0], arrays, resolver)
        return operation.qualname.startswith(("numpy.", "sct.", "scipy.", "math."))
    return False


class VectorForwardTransformer(ForwardTransformer):
    """Emits ``diff_f(*params, *param_dots)`` whose tangents carry a leading batch axis."""

    def __init__(self, program: VectorProgram, main: bool):
        super().__init__(program)
        arrays = set(program.wrt) if main else set()
        self.arrays = _array_names(program.func, arrays, program.resolver) - program.sequences
        # names that may hold a list or tuple (a helper's result, a tape's item, a parameter): a numpy
        # function reads their tangents stacked after the batch axis
        self.unknown = {n.id for n in ast.walk(program.func) if isinstance(n, ast.Name)} \
            | {a.arg for a in program.func.args.args + program.func.args.kwonlyargs}
        self.unknown -= self.arrays
        self.int_names = {n.target.id for n in ast.walk(program.func)
                          if isinstance(n, ast.For) and isinstance(n.target, ast.Name)}

    def function(self, name: str) -> ast.FunctionDef:
        p = self.p
        func = super().function(name)
        for stmt in func.body:
            value = getattr(stmt, "value", None)
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                    and value.func.attr == "zeros_like" and anno.get(stmt, "derivative", False):
                stmt.value = p.zeros_like(value.args[0].id)
        if any(isinstance(n, ast.Name) and n.id == p.batch for n in ast.walk(func)):
            size = ast.Assign(targets=[_name(p.batch, store=True)],
                              value=_call("batch_size", _name(p.dot_name(p.wrt[0]))), lineno=func.lineno)
            func.body.insert(0, size)
        return func

    def zeros_of(self, name: str, stmt: ast.Assign) -> ast.expr:
        listed = super().zeros_of(name, stmt)  # zeros_list(name) for a call's list (or tuple) of arrays
        if isinstance(listed, ast.Call) and getattr(listed.func, "id", "") == "zeros_list":
            return _call("batch_zeros", _name(name), _name(self.p.batch), ast.Constant(True))
        return self.p.zeros_like(name)  # batch_zeros: item by item for a list

    def dot_or_zeros(self, node: ast.expr, item: bool = False) -> ast.expr:
        dot = self.p.dot_of(node)  # batch_zeros: item by item, whatever ``item`` says
        if is_zero(dot):
            return _call("batch_zeros", copy.deepcopy(node), _name(self.p.batch))
        return dot

    # --------------------------------------------------------------------------------- indexing
    def batch_subscript(self, base: str, index: ast.expr, store: bool = False) -> Optional[ast.Subscript]:
        """``base[:, index]`` when ``base`` is an array and the index is written out (``batch_index``
        where an index array may move axes before the batch's); else None."""
        if base not in self.arrays:
            return None
        dynamic = (isinstance(index, ast.Name) and index.id not in self.int_names) \
            or isinstance(index, (ast.Call, ast.Subscript, ast.Attribute))
        if dynamic or not leads_batch(index, self.int_names):
            full: ast.expr = _call("batch_index", index_value(index), _name(self.p.batch))
        elif isinstance(index, ast.Tuple):
            full = ast.Tuple(elts=[ast.Slice()] + [copy.deepcopy(e) for e in index.elts], ctx=ast.Load())
        else:
            full = ast.Tuple(elts=[ast.Slice(), copy.deepcopy(index)], ctx=ast.Load())
        return ast.Subscript(value=_name(self.p.dot_name(base)), slice=full,
                             ctx=ast.Store() if store else ast.Load())

    def assign(self, stmt: ast.Assign) -> List[ast.stmt]:
        p = self.p
        target = stmt.targets[0]
        if not (isinstance(target, ast.Subscript) and assigned_names(target) & p.active):
            return super().assign(stmt)
        base = target.value.id
        dot = p.dot_of(stmt.value)
        value = ast.Constant(0.0) if is_zero(dot) else dot
        if not p.holds_floats(base) and not is_zero(dot):  # a write into integers truncates
            value = _call("written_tangent", value, _name(base))
        call = ast.Call(func=_name("batch_setitem"), args=[_name(p.dot_name(base)), index_value(target.slice),
                                                           value], keywords=[])
        return [stmt, derivative(ast.copy_location(ast.Expr(value=call), stmt))]

    # ------------------------------------------------------------------------------------ rules
    def rule_statements(self, stmt: ast.Assign, targets: List[str], operation) -> List[ast.stmt]:
        p = self.p
        rule = p.rule_for(operation, stmt.value)
        if rule is None:
            return [derivative(ast.copy_location(ast.Assign(targets=[_name(p.dot_name(t), True)],
                                                            value=p.zeros_like(t)), stmt))
                    for t in targets if t in p.active]
        site = p.call_site(rule, operation, targets, stmt.value)
        site.batch = p.batch
        rule = site.rule
        form = rule.batched_form("tangent")
        if rule.partials is None:
            align_batched_arguments(site)
        built = p.sequences | p.containers.built()
        read_as_arrays(site, built, lambda t: _call("batch_array", t))
        # a list or an array: a name bound to one on some paths, a helper's result, a tape's item...
        read_as_arrays(site, (p.containers.either() | self.unknown) - built,
                       lambda t: _call("batch_stacked", t))
        try:
            if rule.qualname == "op.Subscript":
                produced = [self.getitem(site)]
            elif isinstance(form, Template):
                produced = instantiate(form, site, "tangent")
            elif form is not None:
                produced = form(site)
            elif rule.partials is not None:
                produced = [self.elementwise(site, stmt)]
            elif rule.batches_as_written("tangent") and rule.tangent_generator is not None:
                produced = rule.tangent_generator(site)
            elif rule.batches_as_written("tangent") and rule.tangent is not None:
                produced = instantiate(rule.tangent, site, "tangent")
            else:
                return self.loop_fallback(site, stmt, targets)
            if rule.batched_tangent is None and unbatched_helpers(produced):
                return self.loop_fallback(p.call_site(rule, operation, targets, stmt.value), stmt, targets)
        except RuleError as exc:
            raise p.rule_error(exc, stmt) from None
        produced = p.exact_zeros.masked_tangents(site, checked_tangents(site, produced, p.batch))
        produced = p.exact_zeros.vanishing_tangents(site, produced)
        return self.finish_tangents(produced, stmt, targets)

    def getitem(self, site) -> ast.Assign:
        x, index = site.bound["x"], site.bound["index"]
        value = self.batch_subscript(x.id, index) if isinstance(x, ast.Name) else None
        if value is None:
            value = _call("batch_item", site.dot(x), index_value(index))
        elif x.id in self.p.written:  # written by index later: a number read must not see the write
            value = _call("batch_element", value, _name(site.targets[0]))
        return ast.Assign(targets=[_name(site.dot_name(site.targets[0]), True)], value=value, lineno=0)

    def elementwise(self, site, stmt: ast.Assign) -> ast.Assign:
        p = self.p
        partials = instantiate(site.rule.partials, site, "tangent")[0].value
        partials = partials.elts if isinstance(partials, ast.Tuple) else [partials]
        target = site.targets[0]
        names = list(site.rule.signature.parameters)
        unary = sum(1 for n in names if site.bound.get(n) is not None) <= 1
        terms = []
        for param, partial in zip(names, partials):
            arg = site.bound.get(param)
            if arg is None or not p.is_active(arg):
                continue
            tangent = site.dot(arg)
            others = [v for k, v in site.bound.items() if k != param]
            if not unary and not all(isinstance(v, ast.Constant) for v in others):
                tangent = _call("lift", tangent, _name(target))
            terms.append(p.exact_zeros.tangent_term(site, param, partial, tangent))
        total = terms[0]
        for term in terms[1:]:
            total = ast.BinOp(left=total, op=ast.Add(), right=term)
        new = ast.Assign(targets=[_name(p.dot_name(target), True)], value=total)
        return derivative(ast.copy_location(new, stmt))

    def loop_fallback(self, site, stmt: ast.Assign, targets: List[str]) -> List[ast.stmt]:
        """Apply the scalar rule once per direction: ``for _k in range(_K): z_dot[_k] = ...``."""
        p = self.p
        rule = site.rule
        if rule.tangent is None and rule.tangent_generator is None:
            raise p.context.error(stmt, f"sct has no forward-mode rule for '{rule.qualname}'")
        k = p.namer.fresh("_k")
        active = [t for t in targets if t in p.active]
        temps = {t: p.namer.fresh(f"{t}_dot_k") for t in targets}

        def dot(node: ast.expr) -> ast.expr:
            if p.is_active(node):
                return _call("batch_member", _name(p.dot_name(node.id)), _name(k))
            return zero()

        site.dot = dot
        site.dot_name = lambda t: temps[t]
        try:
            body = (rule.tangent_generator(site) if rule.tangent_generator is not None
                    else instantiate(rule.tangent, site, "tangent"))
        except RuleError as exc:
            raise p.rule_error(exc, stmt) from None
        body = [s for s in body if not (isinstance(s, ast.Assign) and is_zero(s.value))]
        bound = {n.id for s in body for n in ast.walk(s)
                 if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        for t in (t for t in active if temps[t] in bound):  # a zero tangent stays the zeros set below
            item = ast.Subscript(value=_name(p.dot_name(t)), slice=_name(k), ctx=ast.Store())
            body.append(ast.Assign(targets=[item], value=_name(temps[t]), lineno=0))
        loop = ast.For(target=_name(k, store=True), iter=_call("range", _name(p.batch)), body=body, orelse=[],
                       lineno=0)
        zeros = [derivative(ast.Assign(targets=[_name(p.dot_name(t), True)], value=p.zeros_like(t), lineno=0))
                 for t in active]
        line = getattr(stmt, "lineno", 0) + p.context.line_offset
        p.module.notes.append(f"{rule.qualname} (line {line}): one direction at a time")
        return [ast.copy_location(s, stmt) for s in zeros + [loop]]
