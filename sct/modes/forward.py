"""Forward (tangent) mode: one tangent statement beside each primal statement — the dual program."""
from __future__ import annotations

import ast
import copy
from typing import List

from ..analysis.activity import appended_list, assigned_names
from ..analysis.aliasing import written_parameters
from ..analysis.containers import read_by_item
from ..analysis.views import sharing
from ..ir.astutil import loaded_names, walk
from ..ir.builders import derivative, method_call
from ..ir.builders import derivative_assign as _assign
from ..ir.builders import name as _name
from ..rules.registry import returns_list
from ..rules.structural_rules import RuleError
from ..rules.templates import fold, instantiate, is_zero
from ..rules.user_sites import checked_tangents
from .list_tangents import read_as_arrays
from .program import Program

_NARROWING_SAFE = (ast.Constant,)
# Code that may return (a view of) its operand rather than a new array, primal or tangent.
_VIEWING = {"broadcast_like", "lift", "broadcast_to", "reshape", "ravel", "transpose", "swapaxes", "moveaxis",
            "squeeze", "expand_dims", "asarray", "atleast_1d", "atleast_2d", "diagonal", "view"}


def _may_view(node: ast.expr) -> bool:
    if isinstance(node, (ast.Name, ast.Subscript, ast.Attribute)):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        return (func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")) in _VIEWING
    return False


class ForwardTransformer:
    """Emits ``diff_f(*params, *param_dots) -> (value, value_dot)``."""

    def __init__(self, program: Program):
        self.p = program
        self.mutated = {t.value.id for stmt in walk(program.func) if isinstance(stmt, ast.Assign)
                        for t in stmt.targets
                        if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)}
        # in sct's own output, parameters read only item by item are tapes (tuples of the sweep's values)
        emitted = program.source.extra.get("emitted")
        self.tapes = read_by_item(program.func) & set(program.params) if emitted else set()
        # names a list-valued call binds (cho_factor's (c, lower) pair): their zero tangents go item by item
        self.listed = {stmt.targets[0].id for stmt in walk(program.func) if isinstance(stmt, ast.Assign)
                       and isinstance(stmt.targets[0], ast.Name) and self._list_valued(stmt.value)}

    def function(self, name: str) -> ast.FunctionDef:
        p = self.p
        func = p.func
        args = copy.deepcopy(func.args)
        dots = [ast.arg(arg=p.dot_name(w)) for w in p.wrt]
        if args.defaults or args.kwonlyargs:
            args.kwonlyargs = args.kwonlyargs + dots
            args.kw_defaults = args.kw_defaults + [None] * len(dots)
        else:
            args.args = args.args + dots
        p.module.announce(p, name, [d.arg for d in dots])
        body: List[ast.stmt] = []
        # sct's own output (a higher derivative's input) writes only into arrays it names; a tape is a tuple
        written = self.mutated if p.source.extra.get("emitted") else written_parameters(func, p.resolver)
        for param in p.params:
            if param in p.active and param not in p.wrt:
                body.append(_assign(p.dot_name(param), p.np_call("zeros_like", _name(param),
                                                                 dtype=_name("float")), func))
            elif param in p.wrt and param in written and param in p.active:
                # written by index below: the caller's tangent (maybe another tangent's array) stays as given
                body.append(_assign(p.dot_name(param), self.owned(_name(p.dot_name(param))), func))
        body += self.block(func.body)
        new = ast.FunctionDef(name=name, args=args, body=body, decorator_list=[], returns=None,
                              type_comment=None, type_params=[])
        return ast.copy_location(new, func)

    def block(self, stmts: List[ast.stmt]) -> List[ast.stmt]:
        out: List[ast.stmt] = []
        for stmt in stmts:
            out.extend(self.statement(stmt))
        return out

    def statement(self, stmt: ast.stmt) -> List[ast.stmt]:
        p = self.p
        if isinstance(stmt, ast.Assign):
            return self.assign(stmt)
        if isinstance(stmt, ast.If):
            return [ast.copy_location(ast.If(test=stmt.test, body=self.block(stmt.body) or [ast.Pass()],
                                             orelse=self.block(stmt.orelse)), stmt)]
        if isinstance(stmt, (ast.For, ast.While)):
            stmt.body = self.block(stmt.body) or [ast.Pass()]
            return [stmt]
        if isinstance(stmt, ast.Return):
            pair = [stmt.value, self.return_dot(stmt.value)]
            return [ast.copy_location(ast.Return(value=ast.Tuple(elts=pair,
                                                                  ctx=ast.Load())), stmt)]
        appended = appended_list(stmt)
        if appended and appended[0] in p.active:
            value = self.dot_or_zeros(appended[1], True)
            call = method_call(p.dot_name(appended[0]), "append", value)
            return [stmt, ast.copy_location(ast.Expr(value=call), stmt)]
        popped = self.popped_list(stmt.value) if isinstance(stmt, ast.Expr) else None
        if popped is not None:
            return [stmt, self.pop_tangent(popped, stmt)]
        return [stmt]

    def popped_list(self, value: ast.expr):
        """The active list ``L`` of a value ``L.pop()``, else None."""
        if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "pop"
                and not value.args and isinstance(value.func.value, ast.Name)
                and value.func.value.id in self.p.active):
            return value.func.value.id
        return None

    def pop_tangent(self, name: str, like: ast.stmt, target: ast.expr = None) -> ast.stmt:
        """``t_dot = L_dot.pop()``: a list and its tangent list are pushed and popped together (the reverse
        sweep's stack), also where the popped value carries no derivative. Never dropped as dead code."""
        call = method_call(self.p.dot_name(name), "pop")
        if target is None:
            return ast.copy_location(ast.Expr(value=call), like)
        if not isinstance(target, ast.Name):
            raise self.p.context.error(like, "cannot unpack a value popped from a list in forward mode",
                                       hint="pop into one name, then unpack it")
        return ast.copy_location(ast.Assign(targets=[_name(self.p.dot_name(target.id), store=True)],
                                            value=call), like)

    def _list_valued(self, value: ast.expr) -> bool:
        operation = self.p.operation(value) if isinstance(value, ast.Call) else None
        return operation is not None and returns_list(operation.qualname)

    def dot_or_zeros(self, node: ast.expr, item: bool = False) -> ast.expr:
        """The tangent of ``node``, or its zero; ``item``: ``node`` is an item of a list, tuple or dict being
        built, which may be a container itself (a tuple of arrays the caller passed): zeros item by item."""
        if isinstance(node, (ast.Tuple, ast.List)):  # a display's items may not stack: item by item
            return type(node)(elts=[self.dot_or_zeros(e, True) for e in node.elts], ctx=ast.Load())
        dot = self.p.dot_of(node)
        named = isinstance(node, ast.Name) and (node.id in self.p.sequences or node.id in self.listed)
        listed = item or named
        if is_zero(dot) and listed:
            return ast.Call(func=_name("zeros_list"), args=[copy.deepcopy(node)], keywords=[])  # item by item
        if is_zero(dot):
            return self.p.np_call("zeros_like", copy.deepcopy(node), dtype=_name("float"))
        return dot

    def return_dot(self, value: ast.expr) -> ast.expr:
        if isinstance(value, ast.Tuple):
            return ast.Tuple(elts=[self.dot_or_zeros(e, True) for e in value.elts], ctx=ast.Load())
        return self.dot_or_zeros(value)

    def assign(self, stmt: ast.Assign) -> List[ast.stmt]:
        p = self.p
        target, value = stmt.targets[0], stmt.value
        targets = assigned_names(target)
        popped = self.popped_list(value)
        if popped is not None:
            return [stmt, self.pop_tangent(popped, stmt, target if targets & p.active else None)]
        if not targets & p.active:
            return [stmt]
        if isinstance(target, ast.Subscript):
            base = target.value.id
            dot_target = ast.Subscript(value=_name(p.dot_name(base)), slice=copy.deepcopy(target.slice),
                                       ctx=ast.Store())
            dot = p.dot_of(value)
            value = ast.Constant(0.0) if is_zero(dot) else dot
            if not p.holds_floats(base) and not is_zero(dot):  # a write into integers truncates
                value = ast.Call(func=_name("written_tangent"), args=[value, _name(base)], keywords=[])
            return [stmt, ast.copy_location(ast.Assign(targets=[dot_target], value=value), stmt)]
        operation = p.operation(value)
        if operation is not None and operation.kind == "helper":
            return self.helper_call(stmt, operation)
        if isinstance(target, ast.Tuple):
            names = [e.id for e in target.elts]
            if operation is None or not any(p.is_active(a) for a in self._inputs(operation)):
                zeros = [_assign(p.dot_name(t), p.zeros_like(t), stmt) for t in names if t in p.active]
                return [stmt] + zeros
            return [stmt] + self.rule_statements(stmt, names, operation)
        name = target.id
        if isinstance(value, ast.Name):
            dot = p.dot_of(value)
            return [stmt, _assign(p.dot_name(name), p.zeros_like(name) if is_zero(dot) else dot, stmt)]
        if isinstance(value, (ast.List, ast.Tuple)):
            elts = [self.dot_or_zeros(e, True) for e in value.elts]
            return [stmt, _assign(p.dot_name(name), type(value)(elts=elts, ctx=ast.Load()), stmt)]
        if isinstance(value, ast.Dict):  # the tangent of a dict: a dict of the values' tangents
            values = [self.dot_or_zeros(e, True) for e in value.values]
            keys = [copy.deepcopy(k) for k in value.keys]
            return [stmt, _assign(p.dot_name(name), ast.Dict(keys=keys, values=values), stmt)]
        if operation is None or not any(p.is_active(a) for a in self._inputs(operation)):
            return [stmt, _assign(p.dot_name(name), self.zeros_of(name, stmt), stmt)]
        return [stmt] + self.rule_statements(stmt, [name], operation)

    def zeros_of(self, name: str, stmt: ast.Assign) -> ast.expr:
        """The zero tangent of ``name`` bound by ``stmt``: item by item for a list-valued call."""
        operation = self.p.operation(stmt.value)
        whole = isinstance(stmt.targets[0], ast.Name)  # not an item unpacked from the list
        if operation is not None and operation.qualname == "sct.runtime.zeros_items":  # a tape's adjoint
            return ast.Call(func=_name("zeros_items"), args=[_name(name)], keywords=[])
        listed = operation is not None and returns_list(operation.qualname) or name in self.p.sequences
        if whole and listed:  # a list or dict (``dict_set`` of an adjoint dict): zeros key by key
            return ast.Call(func=_name("zeros_list"), args=[_name(name)], keywords=[])
        return self.p.zeros_like(name)

    @staticmethod
    def _inputs(operation) -> list:
        inputs = list(operation.args) + [k.value for k in operation.keywords]
        flat = []
        for node in inputs:
            flat.extend(node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node])
        return flat

    def rule_statements(self, stmt: ast.Assign, targets: List[str], operation) -> List[ast.stmt]:
        p = self.p
        rule = p.rule_for(operation, stmt.value)
        if rule is None:
            return [_assign(p.dot_name(t), self.zeros_of(t, stmt), stmt) for t in targets if t in p.active]
        site = p.call_site(rule, operation, targets, stmt.value)
        read_as_arrays(site, p.sequences, lambda t: p.np_call("array", t))
        read_as_arrays(site, p.containers.either(), lambda t: p.np_call("asarray", t))  # a list, or an array
        try:
            if site.rule.tangent_generator is not None:
                produced = site.rule.tangent_generator(site)
            elif site.rule.tangent is not None:
                produced = checked_tangents(site, instantiate(site.rule.tangent, site, "tangent"))
                produced = p.exact_zeros.masked_tangents(site, produced)
                produced = p.exact_zeros.vanishing_tangents(site, produced)
            elif site.rule.partials is not None:
                produced = [self.elementwise(site, stmt)]
            else:
                raise RuleError(f"sct has no forward-mode rule for '{operation.qualname}'")
        except RuleError as exc:
            raise p.rule_error(exc, stmt) from None
        return self.finish_tangents(produced, stmt, targets)

    def finish_tangents(self, produced: list, stmt: ast.Assign, targets: List[str]) -> List[ast.stmt]:
        """Locate a rule's tangent statements; a zero tangent becomes zeros of the output's shape, and the
        tangent of an array later written by index gets its own copy."""
        p = self.p
        out = []
        for new in produced:
            out.append(derivative(ast.copy_location(new, stmt)))
            if isinstance(new, ast.Assign) and self.mirrors_item(stmt):
                continue
            if isinstance(new, ast.Assign) and is_zero(new.value):
                name = new.targets[0].id
                new.value = self.zeros_of(next(t for t in targets if p.dot_name(t) == name), stmt)
            elif isinstance(new, ast.Assign) and new.targets[0].id in self.owned_dots(targets):
                new.value = self.owned(new.value)
            elif isinstance(new, ast.Assign) and self.views_written_tangent(stmt, new.value):
                new.value = self.owned(new.value)
            elif (isinstance(new, ast.Assign) and len(targets) == 1
                  and new.targets[0].id == p.dot_name(targets[0])
                  and self.mutated and self._tangent_aliases(stmt, new)):
                new.value = self.owned(new.value)
        return out

    def mirrors_item(self, stmt: ast.Assign) -> bool:
        """Is ``stmt`` (in sct's own output) ``y = tape[k]``, an item of a tuple or list? Its tangent is then
        the tangent tuple's item as it is, not a copy: the primal is the tape's array itself, which other
        items may view (``v = y[None, :]`` taped beside ``y``), so a write restoring ``y`` must reach the
        tangent those views share too. The sweep that made the tape owns a tangent it wrote into."""
        value = stmt.value
        return (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name)
                and value.value.id in self.tapes and isinstance(value.slice, ast.Constant))

    def views_written_tangent(self, stmt: ast.Assign, tangent: ast.expr) -> bool:
        """Would ``tangent`` be a view of the tangent of an array later written by index, where the primal
        value is a new array (``z = np.zeros(3) + a`` gives ``z_dot = broadcast_like(a_dot, z)``)? Then
        writing ``a_dot`` would change ``z_dot`` too."""
        written = {self.p.dot_name(m) for m in self.mutated}
        return bool(loaded_names(tangent) & written) and _may_view(tangent) and not _may_view(stmt.value)

    @staticmethod
    def owned(tangent: ast.expr) -> ast.expr:
        """``float_copy(t)``: a tangent that takes writes by index of its own (see ``runtime.float_copy``)."""
        return ast.Call(func=_name("float_copy"), args=[tangent], keywords=[])

    def owned_dots(self, targets: List[str]) -> set:
        """Tangents of ``targets`` that are later written by index: they must be arrays of their own (not a
        read-only broadcast, nor the caller's tangent)."""
        return {self.p.dot_name(t) for t in targets if t in self.mutated and t in self.p.active}

    def _tangent_aliases(self, stmt: ast.Assign, new: ast.Assign) -> bool:
        """Would the tangent share memory with another tangent where the value is a new array
        (``v = z * 1.0`` has tangent ``z_dot``)? Then a later index write into one would change both."""
        fresh = not isinstance(stmt.value, ast.Name) and not sharing(stmt.value, self.p.resolver).operands
        shared = isinstance(new.value, ast.Name) or bool(sharing(new.value, self.p.resolver).operands)
        return fresh and shared

    def elementwise(self, site, stmt: ast.Assign) -> ast.Assign:
        p = self.p
        partials = instantiate(site.rule.partials, site, "tangent")[0].value
        partials = partials.elts if isinstance(partials, ast.Tuple) else [partials]
        terms = []
        names = list(site.rule.signature.parameters)
        read = set()  # names the partials used read: an inactive input they skip may broadcast z
        for param, partial in zip(names, partials):
            arg = site.bound.get(param)
            if arg is None or not p.is_active(arg):
                continue
            read |= {n.id for n in walk(partial) if isinstance(n, ast.Name)}
            terms.append(p.exact_zeros.tangent_term(site, param, partial, site.dot(arg)))
        total = terms[0]
        for term in terms[1:]:
            total = ast.BinOp(left=total, op=ast.Add(), right=term)
        total = fold(total)
        target = site.targets[0]
        inactive_inputs = [a for a in site.bound.values()
                           if not p.is_active(a) and not isinstance(a, ast.Constant)]
        skipped = [a for a in inactive_inputs if not (isinstance(a, ast.Name) and a.id in read)]
        if (site.rule.may_narrow and inactive_inputs) or (skipped and target not in read):
            total = ast.Call(func=_name("broadcast_like"), args=[total, _name(target)], keywords=[])
        return _assign(p.dot_name(target), total, stmt)

    def helper_call(self, stmt: ast.Assign, operation) -> List[ast.stmt]:
        p = self.p
        helper, wrt, bound = p.helper_binding(operation, stmt)
        callee, dot_params = p.module.derivative_of_helper(helper, wrt, "forward", stmt, p)
        target = stmt.targets[0]
        dot_target: ast.expr
        if isinstance(target, ast.Tuple):
            dot_target = ast.Tuple(elts=[_name(p.dot_name(e.id), True) for e in target.elts], ctx=ast.Store())
        else:
            dot_target = _name(p.dot_name(target.id), True)
        tangents = [ast.keyword(arg=param, value=p.dot_of(bound[w])) for w, param in zip(wrt, dot_params)]
        call = ast.Call(func=_name(callee), args=list(operation.args),
                        keywords=list(operation.keywords) + tangents)
        pair = ast.Tuple(elts=[copy.deepcopy(target), dot_target], ctx=ast.Store())
        owned = [_assign(d, self.owned(_name(d)), stmt) for d in sorted(self.owned_dots(
            sorted(assigned_names(target))))]
        return [ast.copy_location(ast.Assign(targets=[pair], value=call), stmt)] + owned
