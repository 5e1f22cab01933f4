"""Refuse writes into memory that another name also reaches: follow numpy's view semantics in order.

sct follows values by name: after ``y[0] = v`` or ``y += v`` only ``y`` has changed. numpy changes the
*storage*: every name that shares it (``y = x``, ``v = z[1:]``, ``r = z.reshape(4)``, a list holding the
array, a helper's argument) sees the write. This module computes, for every name at every statement, the
set of storage *roots* its value may share memory with (a parameter, a global, or the allocation site of
a new array; :mod:`sct.analysis.views` says which operations return views), following the data flow in
statement order: branches merge, loops run to a fixpoint. A write (index assignment, augmented assignment,
``list.append``, a helper that writes into its parameter) is refused with an SCTError when another name
that may be read afterwards reaches the written storage, or when it is a module-level array. Calls that
change an array in place (``y.sort()``, ``out=``...) and calls whose result is discarded are refused.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set, Tuple

from ..errors import SCTError, SourceContext
from ..frontend.calls import operation_of
from ..frontend.desugar import desugar
from ..frontend.names import Namer, names_in
from ..frontend.source import Resolver
from ..ir import annotations as anno
from ..ir.blocks import all_statements
from .element_updates import ElementStores, check_element_update
from .liveness import live_after
from .storage import EMPTY, Roots, Storage, Summary, base_name, bound_arguments, is_range, may_write, merge
from .views import in_place_call, sharing

_KEPT_CALLS = {"builtins.print", "numpy.random.seed"}
_SUMMARIES: Dict[tuple, Summary] = {}


class _Flow(Storage):
    """One pass of the analysis over a desugared function (see the module docstring)."""

    def __init__(self, func: ast.FunctionDef, resolver: Resolver, context: Optional[SourceContext],
                 element_reads: Optional[List[ast.Assign]] = None):
        super().__init__(func, resolver, lambda operation: helper_summary(operation, resolver))
        self.context = context  # None: compute storage only, refuse nothing
        self._func, self._live = func, None
        self.mutated_params: Set[str] = set()
        self.returned: Dict[str, Roots] = {}
        self.element_stores = ElementStores()
        self.report = context is not None
        self.element_reads = element_reads  # a list: collect the element reads writes conflict with
        self.collecting = element_reads is not None
        self.block(func.body)

    @property
    def live(self) -> Dict[int, Set[str]]:  # live_after(func), made when a write first asks
        self._live = live_after(self._func) if self._live is None else self._live
        return self._live

    # ------------------------------------------------------------------------------------------ writes
    def write(self, stmt: ast.stmt, roots: Roots, writer: Optional[str], what: str, hint: str = "",
              alternative: str = "") -> None:
        """Storage ``roots`` changes in place through ``writer`` (None: through a call sct does not see).

        ``what`` names the write; ``hint`` replaces the default one (copy an array first), ``alternative``
        is added to it."""
        self.mutated_params |= {r[len("param:"):] for r in roots if r.startswith("param:")}
        if not (self.report or self.collecting):
            return
        live = self.live.get(id(stmt), set())
        others = sorted(n for n, r in self.state.items() if r & roots and n != writer and n in live)
        if self.collecting:  # only element reads conflict: they are checked when they run (element_reads.py)
            bindings = [self.bound.get(n) for n in others]
            if others and all(is_element_read(b) and not self._of_list(b) for b in bindings):
                self.element_reads.extend(b for b in bindings if b not in self.element_reads)
            return
        globals_ = sorted(r[len("global:"):] for r in roots if r.startswith("global:"))
        if globals_:
            raise self.context.error(stmt, f"{what} writes into the module-level value '{globals_[0]}'",
                                     construct="a write into a global",
                                     hint=hint or f"copy it first: {writer} = np.copy({globals_[0]})")
        if not others:
            return
        other = others[0]
        binding = self.bound.get(writer) if writer else None
        if binding is not None and anno.get(binding, "loop_row", False):
            raise self.context.error(
                stmt, f"'{writer}' is a row of the array being looped over, and writing into it changes "
                "that array, which sct does not follow", construct="index assignment into a loop row",
                hint=f"loop over indices and write into the array itself, or copy the row: "
                f"{writer} = np.copy({writer})")
        hint = hint or self.copy_hint(writer, other) + alternative
        shares = f"changes, and '{other}' holds that array" if writer is None \
            else f"may share its array with '{other}'"
        raise self.context.error(
            stmt, f"{what} {shares}, which is used afterwards: the write changes both, and sct follows each "
            "array by its name", construct="a write through an alias", hint=hint)

    def _of_list(self, read: ast.Assign) -> bool:
        """Does the element read index a list (or dict) the function builds, whose items are the objects
        themselves? (A parameter may hold a list too: an array item of it is refused when it runs.)"""
        base = read.value.value
        return not isinstance(base, ast.Name) or base.id in self.lists and base.id not in self.params

    def source_of(self, name: str) -> Tuple[str, bool]:
        """(the expression ``name`` was last bound to, or the name; whether that value may be shared)."""
        binding = self.bound.get(name)
        value = binding.value if isinstance(binding, ast.Assign) else None
        target = binding.targets[0] if isinstance(binding, ast.Assign) else None
        if isinstance(target, ast.Tuple):
            value = next((v for t, v in zip(target.elts, value.elts) if isinstance(t, ast.Name)
                          and t.id == name), None) if isinstance(value, ast.Tuple) else None
        if value is None or anno.get(binding, "augmented") or len(ast.unparse(value)) > 40:
            return name, True
        return ast.unparse(value), isinstance(value, ast.Name) or bool(sharing(value, self.resolver).operands)

    def copy_hint(self, writer: str, other: str) -> str:
        chained = next((anno.get(b, "chained") for b in (self.bound.get(writer), self.bound.get(other))
                        if b is not None and anno.get(b, "chained")), None)
        if chained is not None:
            return (f"`{chained}` binds one array to both names; for two arrays, assign each its own: "
                    f"{writer} = ... and {other} = ... on lines of their own, or {other} = np.copy({writer})")
        if other in self.lists and other not in self.params:
            return f"store a copy in '{other}' (np.copy({writer})), or copy '{writer}' before writing into it"
        source, shared = self.source_of(writer)
        if not shared:  # the written array is new: the other name is the view
            name, (source, _) = other, self.source_of(other)
        else:
            name = writer
        return f"copy it first: {name} = np.copy({source})"

    def call_effects(self, call: ast.Call) -> None:
        """Refuse calls that change an array in place; note lists popped and helpers' writes."""
        stmt = self.statement
        effect = in_place_call(call, self.resolver)
        if effect is not None and self.report:
            raise self.context.error(call, f"{effect} changes an array in place, which sct does not "
                                     "differentiate", construct=effect, hint=_in_place_hint(call))
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "pop" and isinstance(func.value, ast.Name) \
                and func.value.id in self.lists:
            name = func.value.id
            self.write(stmt, self.own(self.roots(func.value)), name, f"`{name}.pop()`",
                       f"build a new list instead of changing '{name}' in place")
            return
        operation = operation_of(call, self.resolver)
        if operation is not None and operation.kind == "helper":
            self.helper_writes(call, operation, stmt)

    def helper_writes(self, call: ast.Call, operation, stmt: ast.stmt) -> None:
        _, mutated = helper_summary(operation, self.resolver)
        for param, arg in bound_arguments(operation).items():
            if param in mutated:
                self.write(stmt, self.roots(arg), None, f"'{operation.qualname}' writes into its "
                           f"parameter '{param}' in place: `{ast.unparse(arg)}`",
                           f"pass a copy: np.copy({ast.unparse(arg)}), or copy inside "
                           f"'{operation.qualname}' before writing")

    # -------------------------------------------------------------------------------------- statements
    def block(self, stmts: List[ast.stmt]) -> None:
        for stmt in stmts:
            self.statement = stmt
            self.visit(stmt)

    def visit(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Assign):
            self.assign(stmt)
        elif isinstance(stmt, ast.If):
            self.visit_calls(stmt.test)
            before, bound = dict(self.state), dict(self.bound)
            self.block(stmt.body)
            after_body, self.state = self.state, before
            body_bound, self.bound = self.bound, bound
            self.block(stmt.orelse)
            self.state = merge(self.state, after_body)
            for name, binding in body_bound.items():  # name the binding that may share, for the hint
                if self.bound.get(name) is not binding and self.source_of(name)[1] is False:
                    self.bound[name] = binding
        elif isinstance(stmt, (ast.For, ast.While)):
            self.loop(stmt)
        elif isinstance(stmt, ast.Return):
            value = stmt.value
            elements = value.elts if isinstance(value, ast.Tuple) else [value]
            returned = {ast.unparse(e): self.roots(e) for e in elements}
            every = self.returned.get("", EMPTY)  # helpers sct does not differentiate may return twice
            self.returned.update(returned)
            self.returned[""] = every.union(*returned.values())
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            self.expression_statement(stmt, stmt.value)
        elif isinstance(stmt, ast.AugAssign):  # only in helpers sct does not differentiate
            target = stmt.target
            roots = self.roots(target.value if isinstance(target, ast.Subscript) else target)
            self.write(stmt, roots, base_name(target), "an augmented assignment", "")
            self.visit_calls(stmt.value)
        else:  # only in helpers sct does not differentiate: try, with...
            for field in ("body", "handlers", "orelse", "finalbody"):
                self.block([s for s in getattr(stmt, field, []) if isinstance(s, ast.stmt)])

    def assign(self, stmt: ast.Assign) -> None:
        target, value = stmt.targets[0], stmt.value
        if isinstance(target, ast.Name):
            roots = self.roots(value)
            op = anno.get(stmt, "augmented")
            if op is not None:
                old = self.state.get(target.id, EMPTY)
                name = target.id
                self.write(stmt, old, name, f"`{name} {op}= ...` changes '{name}' in place, and it",
                           alternative=f", or write {name} = {name} {op} ... to make a new array")
                roots = roots | old
            else:
                self.display_items(value, roots)
            self.bind(target.id, roots, stmt)
        elif isinstance(target, ast.Tuple):
            if isinstance(value, ast.Tuple) and len(value.elts) == len(target.elts):
                parts = [self.roots(v) for v in value.elts]  # the whole right side first
            else:
                parts = [self.roots(value)] * len(target.elts)
            for element, roots in zip(target.elts, parts):
                self.bind_target(element, roots, stmt)
        else:
            self.bind_target(target, self.roots(value), stmt)

    def display_items(self, value: ast.expr, roots: Roots) -> None:
        """``y = {"w": np.zeros(3)}``: an item a display makes itself (a new array, from no operand) is held
        by that one element; every other item of the display may be shared."""
        if not isinstance(value, (ast.List, ast.Tuple, ast.Dict)):
            return
        items = value.values if isinstance(value, ast.Dict) else value.elts
        made = set()
        for item in items:
            found = sharing(item, self.resolver)
            if found.fresh and not found.operands and not isinstance(item, (ast.List, ast.Tuple, ast.Dict,
                                                                             ast.Set, ast.Starred)):
                site = frozenset({f"new@{id(item)}"}) & roots
                self.element_stores.stored(item, site)
                made |= site
        self.element_stores.shared |= roots - made

    def bind_target(self, target: ast.expr, roots: Roots, stmt: ast.stmt) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, roots, stmt)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.bind_target(element, roots, stmt)
        elif isinstance(target, ast.Subscript):
            self.visit_calls(target.slice)
            base = base_name(target)
            written = self.roots(target.value)
            held = written & self.item_sites if base in self.lists else frozenset()
            others = [n for n, r in self.state.items() if r & held and n != base
                      and n in self.live.get(id(stmt), set())]
            check_element_update(stmt, target, held, self.element_stores, others, self.context)
            if base in self.lists and isinstance(target.value, ast.Name):
                written = self.own(written)
            self.write(stmt, written, base, f"'{base}' is written by index but")
            if base in self.lists:  # a list now holds the stored value itself
                whole = isinstance(stmt, ast.Assign) and stmt.targets[0] is target
                self.element_stores.stored(stmt.value if whole else target, roots)
                self.hold(written, roots)
        elif isinstance(target, ast.Attribute) and self.report:
            example = "y = y.reshape(2, 2)" if target.attr == "shape" else "compute a new array"
            raise self.context.error(stmt, f"assigning `{ast.unparse(target)}` changes the object in place, "
                                     "which sct does not differentiate", construct="attribute assignment",
                                     hint=f"bind a new value to a name instead ({example})")

    def expression_statement(self, stmt: ast.Expr, call: ast.Call) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "append" and isinstance(func.value, ast.Name) \
                and len(call.args) == 1 and not call.keywords:
            name = func.value.id
            items = self.roots(call.args[0])
            container = self.roots(func.value)
            self.write(stmt, self.own(container), name,
                       f"`{name}.append(...)` changes '{name}' in place, and it",
                       f"copy the list first: {name} = list({name})")
            self.element_stores.stored(call.args[0], items)
            self.hold(container, items)
            return
        self.roots(call)
        operation = operation_of(call, self.resolver)
        if self.report and (operation is None or operation.qualname not in _KEPT_CALLS):
            raise self.context.error(
                stmt, f"the result of `{ast.unparse(call)}` is discarded: a call made for its effect on "
                "its arguments is not differentiated by sct", construct="a call statement",
                hint="assign the new value to a name (y = f(y); for a list, rows = rows[:-1] instead of "
                "rows.pop()), or remove the call")

    def loop(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.For):
            iterated = self.roots(stmt.iter)
            if not is_range(stmt.iter):
                self.bind_target(stmt.target, iterated, stmt)
            else:
                self.bind_target(stmt.target, EMPTY, stmt)
        else:
            self.visit_calls(stmt.test)
        report, self.report = self.report, False
        collecting, self.collecting = self.collecting, False
        entry = dict(self.state)
        for _ in range(50):  # the lattice is finite: this converges
            self.block(stmt.body)
            merged = merge(entry, self.state)
            if merged == entry:
                break
            entry = merged
            self.state = dict(entry)
        self.report, self.collecting = report, collecting
        self.state = dict(entry)
        self.block(stmt.body)
        self.state = merge(entry, self.state)


def _in_place_hint(call: ast.Call) -> str:
    if any(k.arg == "out" for k in call.keywords):
        return "drop out= and assign the result: y = np.multiply(a, b)"
    if isinstance(call.func, ast.Attribute) and call.func.attr == "sort":
        array = ast.unparse(call.func.value)
        return f"assign a sorted copy: {array} = np.sort({array})"
    if isinstance(call.func, ast.Attribute) and call.func.attr == "fill":
        return "make a new array: y = np.zeros_like(y) + v"
    return "compute a new array and assign it to a name (for example with np.where or an index assignment)"


def helper_summary(operation, resolver: Resolver) -> Tuple[Dict[str, Roots], Set[str]]:
    """(storage the helper's result may share, by returned expression; parameters it writes into)."""
    source = operation.helper()
    key = (source.context.filename, source.name, ast.dump(source.node))  # the helper's text now
    if key not in _SUMMARIES:
        every = frozenset("param:" + a.arg for a in source.node.args.args)
        _SUMMARIES[key] = ({"": every}, set())  # while it is analysed (recursion)
        try:
            func = desugar(source.node, source.context, Namer(names_in(source.node)), source.resolver)
        except SCTError:  # not differentiable, but its effects on its arguments still count
            func = source.node
        while True:  # a recursive helper sees its own summary: analyse again until its writes are all in
            flow = _Flow(func, source.resolver, None)
            done = flow.mutated_params <= _SUMMARIES[key][1]
            _SUMMARIES[key] = ({"": every}, _SUMMARIES[key][1] | flow.mutated_params)
            if done:
                break
        _SUMMARIES[key] = (flow.returned, _SUMMARIES[key][1])
    return _SUMMARIES[key]


def check_index_writes(func: ast.FunctionDef, resolver: Resolver, context: SourceContext) -> None:
    """Raise SCTError where a write may change memory that another name still to be read also reaches."""
    _Flow(func, resolver, context)


def element_reads_written_after(func: ast.FunctionDef, resolver: Resolver) -> List[ast.Assign]:
    """The statements ``v = a[i]`` (an index without slices) whose value a later write may change, where
    every name that write conflicts with is bound so: ``v`` is a copy when the read gives a number."""
    reads: List[ast.Assign] = []
    if any(is_element_read(stmt) for stmt in all_statements(func)):  # else the flow finds none
        _Flow(func, resolver, None, reads)
    return reads


def is_element_read(binding: Optional[ast.stmt]) -> bool:
    """Is ``binding`` ``name = a[i]`` or ``name = a[i, j]``, with integer indices (names, numbers and
    arithmetic on them), no slice, ``...`` or ``None``?"""
    if not (isinstance(binding, ast.Assign) and isinstance(binding.targets[0], ast.Name)
            and isinstance(binding.value, ast.Subscript) and not anno.get(binding, "augmented")):
        return False
    index = binding.value.slice
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    return bool(parts) and all(_integer_like(p) for p in parts)


def _integer_like(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    if isinstance(node, ast.Name):
        return True  # an integer, or an index array (a copy): anything else is checked when it runs
    if isinstance(node, ast.UnaryOp):
        return _integer_like(node.operand)
    if isinstance(node, ast.BinOp):
        return _integer_like(node.left) and _integer_like(node.right)
    return False


def written_parameters(func: ast.FunctionDef, resolver: Resolver) -> Set[str]:
    """Parameters whose array the function writes into, by any name (``y = x; y[0] = v``, a helper)."""
    if not may_write(func, resolver):  # the flow would find no write: none to follow
        return set()
    return _Flow(func, resolver, None).mutated_params


def storage_at_return(func: ast.FunctionDef, resolver: Resolver) -> Dict[str, Roots]:
    """Storage each returned expression (by its source text; "" for all of them) may share, and that of
    every variable at the return."""
    flow = _Flow(func, resolver, None)
    return {**{n: r for n, r in flow.state.items()}, **{"return:" + k: v for k, v in flow.returned.items()}}
