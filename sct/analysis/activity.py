"""Activity analysis: which variables depend on the ``wrt`` inputs (varied) and reach the output (useful).

Only active variables (varied and useful) get tangents or adjoints, so inactive statements stay free of
derivative code. Both analyses are flow-insensitive fixpoints over the whole function, which is exact for
the single-assignment straight-line code normalization produces and conservative inside loops.
"""
from __future__ import annotations

import ast
from typing import Iterable, Optional, Set

from ..frontend.calls import is_nondiff_expression, operation_of
from ..frontend.source import Resolver
from ..ir.astutil import loaded_names, walk
from ..rules import registry
from ..rules.templates import tangent_parameters


def expression_varied(node: ast.expr, varied: Set[str], resolver: Resolver) -> bool:
    """Does the value of ``node`` depend differentiably on a varied variable?"""
    if isinstance(node, ast.Name):
        return node.id in varied
    if node is None or is_nondiff_expression(node, resolver):
        return False
    if isinstance(node, ast.IfExp):
        return any(expression_varied(n, varied, resolver) for n in (node.body, node.orelse))
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(expression_varied(e, varied, resolver) for e in node.elts)
    if isinstance(node, ast.Dict):
        return any(expression_varied(e, varied, resolver) for e in node.values)
    operation = operation_of(node, resolver)
    if operation is None:
        return False
    return any(expression_varied(v, varied, resolver) for v in differentiable_arguments(operation))


def differentiable_arguments(operation) -> list:
    """The arguments a derivative can flow through. A rule whose tangent template never uses
    ``<param>_dot`` reads that parameter only for its shape or value (``unbroadcast(g, x)``'s ``x``),
    unless it declares the parameter ``constant``: the result moves with it, and sct refuses the call
    when it is active (:meth:`sct.modes.program.Program.call_site`)."""
    if operation.qualname == "op.Subscript":
        return operation.args[:1]
    values = list(operation.args) + [k.value for k in operation.keywords]
    rule = registry.lookup(operation.qualname) if operation.kind == "primitive" else None
    if rule is None or rule.tangent is None or rule.tangent_generator is not None:
        return values
    try:
        bound = rule.signature.bind(*operation.args, **{k.arg: k.value for k in operation.keywords})
    except TypeError:
        return values
    used = tangent_parameters(rule.tangent) | set(rule.extra.get("constant", ()))
    return [value for name, value in bound.arguments.items() if name in used]


def assigned_names(target: ast.expr) -> Set[str]:
    """Variables whose value an assignment to ``target`` changes (``x[i] = ...`` changes ``x``)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(assigned_names(e) for e in target.elts)) if target.elts else set()
    if isinstance(target, ast.Subscript):
        return assigned_names(target.value)
    return set()


def appended_list(stmt: ast.stmt):
    """``(list_name, value)`` for a statement ``L.append(value)``, else None."""
    if (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "append"
            and isinstance(stmt.value.func.value, ast.Name) and len(stmt.value.args) == 1):
        return stmt.value.func.value.id, stmt.value.args[0]
    return None


# Calls whose value is a list, tuple or dict, by the name the normalized code calls them (builtins, and the
# runtime helpers that container rules emit).
SEQUENCE_CALLS = {"list", "tuple", "sorted", "dict", "permute", "dict_set", "zeros_list"}


def copied_name(value: ast.expr) -> Optional[str]:
    """The name whose kind ``value`` has: ``xs`` for ``xs`` and for ``zeros_list(xs)`` (a list of zeros for
    a list, an array for an array)."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "zeros_list" \
            and len(value.args) == 1 and not value.keywords:
        value = value.args[0]
    return value.id if isinstance(value, ast.Name) else None


def sequence_names(func: ast.FunctionDef, containers: Iterable[str] = ()) -> Set[str]:
    """Names that only ever hold a list, tuple or dict: bound to a display, a comprehension, a call that
    builds one (``list(x)``, ``sorted(v)``, ``dict(a=...)``) or another such name, or appended to, and the
    parameters in ``containers`` (every caller passes them one). Their adjoints are containers too, which
    add item by item."""
    sequences, others, copies, keyed = set(), set(), [], set()
    for node in walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            built = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                and value.func.id in SEQUENCE_CALLS
            if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice):
                value = value.value  # a slice of a list is a list, of an array an array
            if copied_name(value) is not None:
                copies.append((node.targets[0].id, copied_name(value)))
            elif isinstance(value, (ast.List, ast.Tuple, ast.ListComp, ast.Dict)) or built:
                sequences.add(node.targets[0].id)
            else:
                others.add(node.targets[0].id)
        elif isinstance(node, (ast.AugAssign, ast.For)) and isinstance(node.target, ast.Name):
            others.add(node.target.id)
        elif isinstance(node, ast.Expr) and appended_list(node):
            sequences.add(appended_list(node)[0])
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            keyed.add(node.value.id)  # d['a']: a dict, whatever made it
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict_keys" \
                and node.args and isinstance(node.args[0], ast.Name):
            keyed.add(node.args[0].id)
    sequences |= {target for target, _ in copies}  # ``ys = xs`` holds what ``xs`` holds: whatever that is
    params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    sequences |= params & set(containers)
    others |= params - set(containers)  # the caller's
    changed = True
    while changed:  # a copy of something that may not be a container is not one either
        changed = False
        for target, source in copies:
            if target not in others and (source in others or source not in sequences):
                others.add(target)
                changed = True
    return (sequences - others) | keyed


def returned_sequences(func: ast.FunctionDef, target: ast.expr, tuples: bool = True) -> Set[str]:
    """The names of ``target`` (``p`` or ``(p, q), t`` in ``target = func(...)``) that every ``return`` of
    ``func`` binds to a list, tuple or dict it built (a list or dict display, a comprehension, or a name
    :func:`sequence_names` finds). A caller starts their adjoints item by item, as the helper's adjoint
    reads them (it pops the adjoints of what it appended). ``tuples=False``: a tuple display is not one."""
    sequences = sequence_names(func)
    returns = [n.value for n in ast.walk(func) if isinstance(n, ast.Return)]
    if not returns or any(r is None for r in returns):
        return set()
    found = [_bound_sequences(target, value, sequences, tuples) for value in returns]
    return set.intersection(*found)


def _bound_sequences(target: ast.expr, value: ast.expr, sequences: Set[str], tuples: bool) -> Set[str]:
    if isinstance(target, ast.Name):
        built = isinstance(value, (ast.List, ast.ListComp, ast.Dict) + ((ast.Tuple,) if tuples else ()))
        return {target.id} if built or isinstance(value, ast.Name) and value.id in sequences else set()
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts):
        pairs = zip(target.elts, value.elts)
        return set().union(*(_bound_sequences(t, v, sequences, tuples) for t, v in pairs))
    return set()


def _statements(body: Iterable[ast.stmt]):
    for stmt in body:
        yield stmt
        for field in ("body", "orelse"):
            yield from _statements(getattr(stmt, field, []) or [])


def varied_variables(func: ast.FunctionDef, wrt: Iterable[str], resolver: Resolver,
                     constants: Iterable[str] = ()) -> Set[str]:
    """Variables that depend on the ``wrt`` parameters through differentiable operations.

    ``constants`` are variables whose derivative is known to vanish from the result
    (``sct.analysis.idioms``)."""
    varied = set(wrt)
    constants = set(constants)
    flows = []  # (a value, the names a statement binds to it)
    for stmt in _statements(func.body):
        if isinstance(stmt, ast.Assign):
            flows.append((stmt.value, set().union(*(assigned_names(t) for t in stmt.targets)) - constants))
        appended = appended_list(stmt)
        if appended:
            flows.append((appended[1], {appended[0]} - constants))
    readers: dict = {}  # name -> the flows whose value reads it
    for position, (value, _) in enumerate(flows):
        for name in {n.id for n in walk(value) if isinstance(n, ast.Name)}:
            readers.setdefault(name, []).append(position)
    # a least fixpoint (a value is varied when a name it reads is): each flow is looked at again only
    # when a name it reads becomes varied, instead of sweeping the function until nothing changes
    pending = list(range(len(flows) - 1, -1, -1))
    queued = set(pending)
    while pending:
        position = pending.pop()
        queued.discard(position)
        value, targets = flows[position]
        new = targets - varied
        if new and expression_varied(value, varied, resolver):
            varied |= new
            for name in new:
                for reader in readers.get(name, ()):
                    if reader not in queued:
                        queued.add(reader)
                        pending.append(reader)
    return varied


def _read_names(node: ast.AST) -> Set[str]:
    return loaded_names(node)


def useful_variables(func: ast.FunctionDef, varied: Set[str], shared: Iterable[str] = ()) -> Set[str]:
    """Varied variables from which the returned value can be reached.

    ``shared`` are names that may share memory with one another (:func:`sct.analysis.containers.tape_items`):
    a write by index into one of them changes them all."""
    shared = set(shared)
    useful: Set[str] = set()
    edges = []  # (names a statement changes, varied names it reads to do so)
    for stmt in _statements(func.body):
        if isinstance(stmt, ast.Return):
            useful |= _read_names(stmt.value) & varied
        elif isinstance(stmt, ast.Assign):
            targets = set().union(*(assigned_names(t) for t in stmt.targets))
            sources = _read_names(stmt.value) & varied
            for target in stmt.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    sources |= {target.value.id} & varied
                    targets |= shared if target.value.id in shared else set()
            edges.append((targets, sources))
        else:
            appended = appended_list(stmt)
            if appended:
                edges.append(({appended[0]}, _read_names(appended[1]) & varied))
    by_target: dict = {}
    for targets, sources in edges:
        for name in targets:
            by_target.setdefault(name, []).append(sources)
    pending = list(useful)
    while pending:  # a graph search: linear in the number of edges, whatever their order
        for sources in by_target.pop(pending.pop(), ()):
            new = sources - useful
            useful |= new
            pending.extend(new)
    return useful
