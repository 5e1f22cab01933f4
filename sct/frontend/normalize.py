"""Three-address form: every differentiable operation gets its own assignment ``t = op(a, b)``.

Only varied sub-expressions are lifted into numbered temporaries (``_t1, _t2, ...``); inactive pieces
(shapes, indices, comparisons, constants) stay inline, so the code a person reads stays short, unless they
call something: every call's result is computed once and named, so no derivative runs a call again. At the top
level of the function a re-assigned variable gets a new version (``x = x * 2`` -> ``x_1 = x * 2``), so the
reverse sweep can read every earlier value by name; inside loops and branches an assignment that reads its
own target goes through a temporary, so the old value is still there for the adjoint.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set

from ..analysis.activity import appended_list, assigned_names, expression_varied
from ..errors import SourceContext
from ..ir.astutil import clone, has_call, name_calls_in_index, walk
from ..ir.blocks import all_statements
from ..ir.builders import load as _load
from ..ir.builders import store as _store
from ..ir.transformer import Transformer
from ..rules import registry
from ..rules.core import RuleError
from ..rules.lowering import lower
from .calls import operation_of
from .dicts import dict_names
from .names import Namer
from .source import Resolver, numpy_name
from .unpack_values import unpack_by_index


def _unpacked_by_index(operation) -> bool:
    """Is the one value of this call unpacked into several names item by item, like any list or array (a
    list of arrays from np.split, rows of an array), rather than by a rule with several outputs?"""
    if operation is None or operation.kind != "primitive":
        return False
    rule = registry.lookup(operation.qualname)
    return registry.returns_list(operation.qualname) or (rule is not None and len(rule.outputs) < 2)


class _Rename(Transformer):
    def __init__(self, mapping: Dict[str, str]):
        self.mapping = mapping

    def visit_Name(self, node: ast.Name) -> ast.Name:
        if node.id in self.mapping:
            return ast.copy_location(ast.Name(id=self.mapping[node.id], ctx=node.ctx), node)
        return node


def _constant(node: ast.expr):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None


def rename(node: ast.AST, mapping: Dict[str, str]) -> ast.AST:
    return _Rename(mapping).visit(node) if mapping else node


class Normalizer:
    """Rewrites a desugared function into three-address form (see module docstring)."""

    def __init__(self, resolver: Resolver, varied: Set[str], namer: Namer, context: SourceContext,
                 atomic_tests: bool):
        self.resolver = resolver
        self.varied = varied
        self.namer = namer
        self.context = context
        self.atomic_tests = atomic_tests
        self.versions: Dict[str, str] = {}
        self.original: Dict[str, str] = {}  # version -> the user's name it versions
        self.defined: Set[str] = set()

    def function(self, func: ast.FunctionDef) -> ast.FunctionDef:
        self.node, self.numpy = func, None  # the name lowered calls use for numpy, found when first needed
        self.defined = {a.arg for a in func.args.args + func.args.kwonlyargs}
        self.appended = {appended_list(n)[0] for n in all_statements(func) if appended_list(n)}
        self.dicts = dict_names(func, self.resolver)
        func.body = self.block(func.body, depth=0)
        return func

    def _varied(self, node: ast.expr) -> bool:
        return expression_varied(node, self.varied, self.resolver)

    def block(self, stmts: List[ast.stmt], depth: int) -> List[ast.stmt]:
        out: List[ast.stmt] = []
        for stmt in stmts:
            if depth == 0:
                stmt = rename(stmt, self.versions)
            self.statement(stmt, out, depth)
        return out

    def statement(self, stmt: ast.stmt, out: List[ast.stmt], depth: int) -> None:
        if isinstance(stmt, ast.Assign):
            self.assign(stmt, out, depth)
        elif isinstance(stmt, ast.If):
            test = self._condition(stmt.test, stmt, out)
            body = self.block(stmt.body, depth + 1)
            orelse = self.block(stmt.orelse, depth + 1)
            out.append(ast.copy_location(ast.If(test=test, body=body or [ast.Pass()], orelse=orelse), stmt))
        elif isinstance(stmt, (ast.For, ast.While)):
            stmt.body = self.block(stmt.body, depth + 1) or [ast.Pass()]
            out.append(stmt)
        elif isinstance(stmt, ast.Return):
            stmt.value = self.atoms(stmt.value, out)
            out.append(stmt)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            if isinstance(call.func, ast.Attribute) and call.func.attr == "append":
                call.args = [self.flatten(a, out) for a in call.args]
            out.append(stmt)
        else:
            out.append(stmt)
        self._note_defined(stmt)

    def _condition(self, test: ast.expr, stmt: ast.stmt, out: List[ast.stmt]) -> ast.expr:
        """In reverse mode a branch condition gets a name, so the reverse sweep can replay the branch."""
        growing = isinstance(test, ast.Name) and test.id in self.appended  # `if rows:` as rows grows
        if not self.atomic_tests or isinstance(test, ast.Constant) or (isinstance(test, ast.Name)
                                                                       and not growing):
            return test
        if growing:  # its truth now, not the list, which grows
            test = ast.Call(func=ast.Name(id="bool", ctx=ast.Load()), args=[test], keywords=[])
        name = self.namer.temp("_c")
        out.append(ast.copy_location(ast.Assign(targets=[_store(name)], value=test), stmt))
        return _load(name)

    def _note_defined(self, stmt: ast.stmt) -> None:
        for node in walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.defined.add(node.id)

    def atoms(self, node: ast.expr, out: List[ast.stmt]) -> ast.expr:
        """Flatten a returned value: a tuple of atoms or one atom."""
        if isinstance(node, ast.Tuple):
            node.elts = [self.flatten(e, out) for e in node.elts]
            return node
        return self.flatten(node, out)

    def assign(self, stmt: ast.Assign, out: List[ast.stmt], depth: int) -> None:
        if len(stmt.targets) != 1:
            raise self.context.error(stmt, "chained assignment (a = b = ...) is not supported",
                                     hint="assign each name on its own line")
        target, value = stmt.targets[0], stmt.value
        if isinstance(target, ast.Subscript):
            self.index_write(stmt, out, depth)
            return
        if not self._varied(value):
            if isinstance(value, ast.Subscript) and isinstance(target, ast.Name):
                stmt.value = self._output_item(value, out) or value
            self._version_target(stmt, depth)
            out.append(stmt)
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(stmt, out, depth)
            return
        if isinstance(value, ast.IfExp):
            test = self._condition(value.test, stmt, out)
            body_value, else_value = value.body, value.orelse
            self._version_target(stmt, depth)
            branch = [ast.Assign(targets=[clone(stmt.targets[0])], value=v, lineno=stmt.lineno)
                      for v in (body_value, else_value)]
            node = ast.If(test=test, body=self.block([branch[0]], depth + 1),
                          orelse=self.block([branch[1]], depth + 1))
            out.append(ast.copy_location(node, stmt))
            return
        new_value = self.operation(value, out, varied=True)
        reads = {n.id for n in walk(new_value) if isinstance(n, ast.Name)}
        self_update = isinstance(target, ast.Name) and target.id in reads
        if depth > 0 and self_update and not isinstance(new_value, ast.Name):
            temp = self.namer.temp()
            self.varied.add(temp)
            out.append(ast.copy_location(ast.Assign(targets=[_store(temp)], value=new_value), stmt))
            new_value = _load(temp)
        stmt.value = new_value
        self._version_target(stmt, depth)
        self.varied |= assigned_names(stmt.targets[0])
        out.append(stmt)

    def index_write(self, stmt: ast.Assign, out: List[ast.stmt], depth: int) -> None:
        """``x[i] = v``: the value first, then an index that reads ``x`` (or calls) gets a name, so that both
        sweeps use the index from before the write (``y[y > 1] = 1`` changes ``y > 1``)."""
        target = stmt.targets[0]
        if self.original.get(target.value.id, target.value.id) in self.dicts:
            self.dict_write(stmt, out, depth)
            return
        value = self.flatten(stmt.value, out)
        named: List[ast.stmt] = []
        target.slice = self._hoist_index(target.slice, named, written=target.value.id)
        if named and has_call(value):  # Python computes the value before the index
            temp = self.namer.temp()
            out.append(ast.copy_location(ast.Assign(targets=[_store(temp)], value=value), stmt))
            value = _load(temp)
        out.extend(named)
        out.append(ast.copy_location(ast.Assign(targets=[target], value=value), stmt))

    def dict_write(self, stmt: ast.Assign, out: List[ast.stmt], depth: int) -> None:
        """``d[k] = v`` -> ``d = dict_set(d, k, v)``: a new dict, so that the reverse sweep keeps the old one
        (the alias checks, which ran before, saw the write in place)."""
        target = stmt.targets[0]
        name = target.value.id
        value = ast.Call(func=_load("dict_set"), args=[_load(name), target.slice, stmt.value], keywords=[])
        # at top level the target is the dict's own name (``name`` may be a version, ``d_1``), so that it
        # gets a new version; inside a loop or branch names keep the version they have
        written = self.original.get(name, name) if depth == 0 else name
        new = ast.copy_location(ast.Assign(targets=[_store(written)], value=value), stmt)
        self.assign(new, out, depth)

    def _version_target(self, stmt: ast.Assign, depth: int) -> None:
        """At top level, give a re-assigned name a new version and use it from here on."""
        target = stmt.targets[0]
        if depth > 0:
            return
        names = [target] if isinstance(target, ast.Name) else [
            e for e in getattr(target, "elts", []) if isinstance(e, ast.Name)]
        for node in names:
            original = self.original.get(node.id, node.id)
            if node.id in self.defined:
                version = self.namer.fresh(f"{original}_{self._next_version(original)}")
                self.versions[original] = version
                self.original[version] = original
                if node.id in self.varied:
                    self.varied.add(version)
                node.id = version

    def _next_version(self, name: str) -> int:
        current = self.versions.get(name, name)
        suffix = current[len(name) + 1:] if current != name else "0"
        return int(suffix) + 1 if suffix.isdigit() else 1

    def unpack(self, stmt: ast.Assign, out: List[ast.stmt], depth: int) -> None:
        target, value = stmt.targets[0], stmt.value
        operation = operation_of(value, self.resolver)
        if operation is not None and isinstance(value, ast.Call):
            stmt.value = value = self.operation(value, out)
            if _split_lowered_tuple(target, value):  # a composite lowered to a tuple (np.meshgrid)
                for name, item in zip(target.elts, value.elts):
                    single = ast.copy_location(ast.Assign(targets=[name], value=item), stmt)
                    self.statement(single, out, depth)
                return
            if not (isinstance(target, ast.Tuple) and _unpacked_by_index(operation_of(value, self.resolver))):
                self._version_target(stmt, depth)
                self.varied |= assigned_names(target)
                out.append(stmt)
                return
        if isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
            for new in unpack_by_index(target, value, self.namer, stmt):
                self.varied |= assigned_names(new.targets[0]) if isinstance(new, ast.Assign) else set()
                self.statement(new, out, depth)
            return
        raise self.context.error(stmt, "cannot unpack this differentiable value into several names",
                                 hint="unpack into names (a, b = x) or a tuple written out (a, b = x, y)")

    def operation(self, node: ast.expr, out: List[ast.stmt], varied: bool = False) -> ast.expr:
        """Rebuild ``node`` with its varied operands flattened to names (the node itself is kept);
        ``varied``: the caller has just found ``node`` varied (it is not asked again)."""
        if isinstance(node, (ast.Name, ast.Constant)) or not (varied or self._varied(node)):
            return node
        if isinstance(node, ast.BinOp):
            node.left = self.flatten(node.left, out)
            node.right = self.flatten(node.right, out)
        elif isinstance(node, ast.UnaryOp):
            node.operand = self.flatten(node.operand, out)
        elif isinstance(node, ast.Subscript):
            item = self._output_item(node, out)
            if item is not None:
                return item
            node.value = self.flatten(node.value, out)
            node.slice = self._hoist_index(node.slice, out)
        elif isinstance(node, ast.Attribute):
            node.value = self.flatten(node.value, out)
        elif isinstance(node, ast.Call):
            lowered = self._lowered(node, out)
            if lowered is not None:
                return self.operation(ast.copy_location(lowered, node), out)
            if isinstance(node.func, ast.Attribute) and operation_of(node, self.resolver).qualname.startswith(
                    "method."):
                node.func.value = self.flatten(node.func.value, out)
            # A rule that reads a list literal argument item by item sees it as written; elsewhere a list of
            # varied values is assigned to a temporary first: one active (list) variable.
            joins = registry.takes_lists(operation_of(node, self.resolver).qualname)
            node.args = [self._flatten_argument(a, out) if joins else self.flatten(a, out) for a in node.args]
            for keyword in node.keywords:
                keyword.value = self.flatten(keyword.value, out)
        elif isinstance(node, (ast.List, ast.Tuple)):
            node.elts = [self.flatten(e, out) for e in node.elts]
        elif isinstance(node, ast.Dict):
            node.values = [self.flatten(e, out) for e in node.values]
        elif isinstance(node, ast.IfExp):
            return self.flatten(node, out)
        return node

    def _output_item(self, node: ast.Subscript, out: List[ast.stmt]) -> Optional[ast.Name]:
        """``np.linalg.slogdet(a)[1]``: a call with several outputs unpacked into names, and one of them."""
        operation = operation_of(node.value, self.resolver) if isinstance(node.value, ast.Call) else None
        rule = registry.lookup(operation.qualname) if operation is not None else None
        index = _constant(node.slice)
        if rule is None or len(rule.outputs) < 2 or not isinstance(index, int) or isinstance(index, bool) \
                or not -len(rule.outputs) <= index < len(rule.outputs):
            return None
        names = [self.namer.temp("_o") for _ in rule.outputs]
        self.varied |= set(names)
        targets = ast.Tuple(elts=[_store(n) for n in names], ctx=ast.Store())
        self.statement(ast.copy_location(ast.Assign(targets=[targets], value=node.value), node), out, 1)
        return _load(names[index])

    def _lowered(self, node: ast.Call, out: List[ast.stmt]) -> Optional[ast.expr]:
        """A composite numpy call (``np.hstack``) as the primitives it stands for (sct/rules/lowering.py)."""
        operation = operation_of(node, self.resolver)
        try:
            if self.numpy is None:
                self.numpy = (numpy_name(self.resolver, self.node) if self.resolver.numpy_alias() else None,)
            return lower(operation.qualname, operation.args, operation.keywords, self.numpy[0],
                         lambda e: self.flatten(e, out), node.func)
        except RuleError as exc:
            raise self.context.error(node, str(exc), hint=exc.hint, construct=operation.qualname) from None

    def _hoist_index(self, index: ast.expr, out: List[ast.stmt], written: Optional[str] = None) -> ast.expr:
        """Compute an index built by a call once, so the derivative reuses it instead of recomputing.
        The index of a write into ``written`` is also named where it reads that array (slice bounds too)."""
        return name_calls_in_index(index, lambda: self.namer.temp("_i"), out, reads=written)

    def _flatten_argument(self, node: ast.expr, out: List[ast.stmt]) -> ast.expr:
        if isinstance(node, (ast.List, ast.Tuple)):
            node.elts = [self.flatten(e, out) for e in node.elts]
            return node
        return self.flatten(node, out)

    def flatten(self, node: ast.expr, out: List[ast.stmt]) -> ast.expr:
        """Return a name (or an inactive expression without calls) holding the value of ``node``.

        An inactive operand that calls something is named too: a rule's template may repeat its operands,
        and a call (a random draw) must run once."""
        if isinstance(node, (ast.Name, ast.Constant)):
            return node
        if not self._varied(node):
            if not has_call(node):
                return node
            item = self._output_item(node, out) if isinstance(node, ast.Subscript) else None
            if item is not None:
                return item
            temp = self.namer.temp()
            out.append(ast.copy_location(ast.Assign(targets=[_store(temp)], value=node), node))
            return _load(temp)
        if isinstance(node, ast.IfExp):
            temp = self.namer.temp()
            self.varied.add(temp)
            self.assign(ast.copy_location(ast.Assign(targets=[_store(temp)], value=node), node), out, depth=1)
            return _load(temp)
        value = self.operation(node, out, varied=True)
        temp = self.namer.temp()
        self.varied.add(temp)
        out.append(ast.copy_location(ast.Assign(targets=[_store(temp)], value=value), node))
        return _load(temp)


def normalize(func: ast.FunctionDef, resolver: Resolver, varied: Set[str], namer: Namer,
              context: SourceContext, reverse: bool) -> ast.FunctionDef:
    """``func`` (desugared) in three-address form, where ``varied`` are the names that depend on the inputs
    (see the module docstring); for ``reverse`` mode each branch condition also gets a name."""
    return Normalizer(resolver, set(varied), namer, context, atomic_tests=reverse).function(func)


def _split_lowered_tuple(target: ast.expr, value: ast.expr) -> bool:
    """Is ``target = value`` names bound to a tuple of as many names, none of them a target?"""
    if not (isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple)
            and len(target.elts) == len(value.elts)):
        return False
    targets = {t.id for t in target.elts if isinstance(t, ast.Name)}
    return len(targets) == len(target.elts) and all(isinstance(v, ast.Name) and v.id not in targets
                                                    for v in value.elts)
