"""Put sct's temporaries back where they are read: ``_t1 = h / 2 * k1; _t2 = y + _t1`` becomes
``_t2 = y + h / 2 * k1``, and a copy ``_t3_bar = y_bar`` is dropped for ``y_bar`` where ``_t3_bar`` is read.

Normalisation names every intermediate result, and the reverse sweep gives each of them an adjoint that is
often a plain copy of another. Emitted loops come out several times the length of the source for it. A
temporary (a name sct made: ``_t<n>``, ``_t<n>_bar``, ``_g<n>``) assigned once in the function is put back
only when that cannot change a value:

* a copy ``_t = b``: every read of ``_t`` (all in the rest of its block) comes before ``b`` is bound
  again, so it reads the very object ``b`` holds (changes made in place are seen through either name);
* an expression ``_t = e`` read exactly once, later in the same block, in a statement that evaluates it
  unconditionally: ``e`` only reads names and calls numpy functions (and sct's ``unbroadcast``,
  ``split_like``, ``shape_of``) that return new values or views, the statements in between bind none of
  the names ``e`` reads and change nothing in place (but Python lists: the tape's ``append`` and
  ``pop``), and what the reading statement evaluates calls only such functions.
  ``e`` is then evaluated later on the same values, with the same operations.
"""
from __future__ import annotations

import ast
import re
from itertools import islice
from typing import Dict, List, Optional, Set

from ..ir.astutil import breadth_first, walk
from .statement_index import StatementIndex

_TEMPORARY = re.compile(r"_(t\d+(_bar)?|g\d+)$")
_LIST_METHODS = {"append", "pop"}
# numpy functions that write into an argument, or draw random numbers (their order matters)
_NOT_PURE = {"copyto", "fill_diagonal", "put", "place", "putmask", "put_along_axis", "add_at"}
_LARGEST = 32  # nodes of an expression put back: a long chain of sums stays named (nesting has limits)
# runtime helpers that return new values (or views) and change nothing
_PURE_HELPERS = {"shape_of", "unbroadcast", "split_like"}
# expression nodes whose children are all evaluated, in order, whenever the node is
_EVALUATED = (ast.BinOp, ast.UnaryOp, ast.Call, ast.keyword, ast.Subscript, ast.Slice, ast.Tuple, ast.List,
              ast.Attribute, ast.Starred, ast.Compare, ast.Name, ast.Constant, ast.operator, ast.unaryop,
              ast.cmpop, ast.expr_context)


def forward_temporaries(func: ast.FunctionDef, numpy: str = "np") -> ast.FunctionDef:
    """Apply both rewrites throughout ``func`` (``numpy``: the name emitted code calls numpy by)."""
    stores, loads, declared = _binding_counts(func)
    _rewrite_blocks(func, stores, loads, numpy, StatementIndex(declared))
    return func


def _binding_counts(func: ast.FunctionDef):
    """(how often each name is bound, how often read, the names declared ``global`` or ``nonlocal``)."""
    stores: Dict[str, int] = {}
    loads: Dict[str, int] = {}
    declared: Set[str] = set()
    for node in walk(func):
        if isinstance(node, ast.Name):
            counts = loads if isinstance(node.ctx, ast.Load) else stores
            counts[node.id] = counts.get(node.id, 0) + 1
        elif isinstance(node, ast.arg):
            stores[node.arg] = stores.get(node.arg, 0) + 2  # a parameter is never a temporary
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
            for name in node.names:
                stores[name] = stores.get(name, 0) + 2
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.alias,
                               ast.ExceptHandler)) and node is not func:
            bound = getattr(node, "name", None) or getattr(node, "asname", None)
            if bound:
                stores[bound] = stores.get(bound, 0) + 2
    return stores, loads, declared


def _rewrite_blocks(node: ast.AST, stores, loads, numpy: str, index: StatementIndex) -> None:
    for field in ("body", "orelse", "finalbody"):
        block = getattr(node, field, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            for stmt in block:
                _rewrite_blocks(stmt, stores, loads, numpy, index)
            setattr(node, field, _rewrite(block, stores, loads, numpy, index))
    for handler in getattr(node, "handlers", []):
        _rewrite_blocks(handler, stores, loads, numpy, index)


def _rewrite(block: List[ast.stmt], stores, loads, numpy: str, index: StatementIndex) -> List[ast.stmt]:
    first, i = block[0], 0
    index.track(block)
    before: Dict[str, int] = {}  # the reads in block[:i]
    while i < len(block):
        name = _temporary_assigned(block[i], stores)
        after = index.settled().get(name, 0) - before.get(name, 0) - index.counts(block[i]).get(name, 0)
        if name is not None and loads.get(name, 0) and not before.get(name) and after == loads[name]:
            value = block[i].value
            if isinstance(value, ast.Name) and value.id != name:
                done = _propagate_copy(block, i, name, value.id, loads, index, reads=after)
            else:
                done = loads[name] == 1 and _forward_expression(block, i, name, numpy, index)
            if done:
                index.drop(block[i])
                del block[i]
                if isinstance(value, ast.Name):
                    loads[value.id] = loads.get(value.id, 0) + loads[name] - 1  # the copy read it
                loads[name] = 0
                continue
        if _coalesce_copy(block, i, stores, loads, index, before):
            continue
        for read, count in index.counts(block[i]).items():
            before[read] = before.get(read, 0) + count
        i += 1
    kept = [stmt for stmt in block if not _self_copy(stmt)]
    return kept or [ast.copy_location(ast.Pass(), first)]


def _temporary_assigned(stmt: ast.stmt, stores) -> Optional[str]:
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)):
        return None
    name = stmt.targets[0].id
    return name if _TEMPORARY.match(name) and stores.get(name) == 1 else None


def _coalesce_copy(block: List[ast.stmt], i: int, stores, loads, index: StatementIndex,
                   before: Dict[str, int]) -> bool:
    """``_t = e; ...; a = _t`` becomes ``a = e; ...`` (reads of ``_t`` read ``a``) when the statements in
    between do not mention ``a`` and later reads of ``_t`` come before ``a`` is bound again (``before``:
    the reads of ``block[:i]``, kept up to date)."""
    stmt = block[i]
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Name)):
        return False
    target, name = stmt.targets[0].id, stmt.value.id
    if target == name or target in index.declared or not (_TEMPORARY.match(name) and stores.get(name) == 1):
        return False  # only a temporary bound once can have its binding in this block
    j = next((j for j in range(i) if _temporary_assigned(block[j], stores) == name), None)
    if j is None:
        return False
    between = block[j + 1:i]
    if index.reads(block[:j + 1], name) or index.reads(block[j + 1:], name) != loads.get(name, 0) \
            or any(index.mentions(s, target) for s in between) \
            or not _propagate_copy(block, i, name, target, loads, index, apply=False):
        return False
    _propagate_copy(block, i, name, target, loads, index)
    for s in between:
        for n in walk(s):
            if isinstance(n, ast.Name) and n.id == name:
                n.id = target
    block[j].targets[0].id = target
    index.forget(between + [block[j]])
    moved = before.pop(name, 0)  # every read of the name before i was in between: now it reads target
    before[target] = before.get(target, 0) + moved
    index.drop(block[i])
    del block[i]
    loads[target] = loads.get(target, 0) + loads[name] - 1
    loads[name] = stores[name] = 0
    return True


def _propagate_copy(block: List[ast.stmt], i: int, name: str, source: str, loads: Dict[str, int],
                    index: StatementIndex, apply: bool = True, reads: Optional[int] = None) -> bool:
    """Read ``source`` for ``name`` after ``name = source``, if ``source`` is not bound again before a
    read. ``reads``: how often the statements after ``block[i]`` read ``name``, when the caller knows
    (the statements after the last read are not looked at)."""
    if reads is None:
        reads = index.reads(block[i + 1:], name)
    readers, seen = [], 0  # the positions of the statements reading the name, up to the last one
    for k in range(i + 1, len(block)):
        if seen == reads:
            break
        here = index.reads([block[k]], name)
        if here:
            readers.append(k)
            seen += here
    if any(_inside_scope(block[k], name) for k in readers):
        return False
    remaining = reads
    for k in range(i + 1, readers[-1] + 1 if readers else i + 1):
        stmt = block[k]
        here = index.reads([stmt], name)
        if _is_copy(stmt, source, name):  # ``source = name``: binds the object ``source`` already holds
            if not apply:
                return False
            index.drop(stmt)
            del block[k]
            loads[name] -= 1
            return _propagate_copy(block, i, name, source, loads, index)
        if index.binds(stmt, source):
            # read and bound in one assignment to names: its value (every read) is evaluated first
            if here and not _binds_names_only(stmt):
                return False
            remaining -= here
            if remaining:
                return False
            break
        remaining -= here
    if not apply:
        return True
    for k in readers:
        for node in walk(block[k]):
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
                node.id = source
        index.forget([block[k]])
    return True


def _forward_expression(block: List[ast.stmt], i: int, name: str, numpy: str, index: StatementIndex) -> bool:
    value = block[i].value
    if not _pure(value, numpy) or sum(1 for _ in islice(breadth_first(value), _LARGEST + 1)) > _LARGEST:
        return False
    read = {n.id for n in walk(value) if isinstance(n, ast.Name)}
    for stmt in block[i + 1:]:
        if index.reads([stmt], name):
            index.forget([stmt])
            return _substitute(stmt, name, value, numpy)
        if not _harmless_between(stmt, read, numpy):
            return False
    return False


def _harmless_between(stmt: ast.stmt, read: Set[str], numpy: str) -> bool:
    """Does ``stmt`` leave every value ``read`` names as it was (binding none, changing nothing in place)?"""
    if isinstance(stmt, ast.Expr):
        return _list_method(stmt.value, read, numpy)
    if not (isinstance(stmt, ast.Assign) and _binds_names_only(stmt)):
        return False
    if any(isinstance(n, ast.Name) and n.id in read for t in stmt.targets for n in walk(t)):
        return False
    return _pure(stmt.value, numpy) or _list_method(stmt.value, read, numpy)


def _list_method(node: ast.expr, read: Set[str], numpy: str) -> bool:
    """``xs.append(v)`` or ``xs.pop()``: changes a Python list only (no array can be a view of one)."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in _LIST_METHODS and isinstance(node.func.value, ast.Name)
            and node.func.value.id not in read and node.func.value.id != numpy and not node.keywords
            and all(_pure(arg, numpy) for arg in node.args))


def _pure(node: ast.expr, numpy: str) -> bool:
    """Does evaluating ``node`` only read values, calling numpy functions that return new ones?"""
    for n in walk(node):
        if not isinstance(n, _EVALUATED):
            return False
        if isinstance(n, ast.Call):
            func = n.func
            helper = isinstance(func, ast.Name) and func.id in _PURE_HELPERS
            if not helper and not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                                   and func.value.id == numpy and func.attr not in _NOT_PURE):
                return False
            if any(k.arg is None or k.arg == "out" for k in n.keywords):
                return False
    return True


def _substitute(stmt: ast.stmt, name: str, value: ast.expr, numpy: str) -> bool:
    """Put ``value`` where ``stmt`` reads ``name``, if ``stmt`` evaluates it unconditionally, after pure
    code."""
    if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        if not (stmt.value is not None and _binds_names_only(stmt) if not isinstance(stmt, ast.AugAssign)
                else isinstance(stmt.target, ast.Name)):
            return False
        root = stmt.value
    elif isinstance(stmt, (ast.Expr, ast.Return)) and stmt.value is not None:
        root = stmt.value
    else:
        return False
    path = _path_to(root, name)
    if path is None or not all(isinstance(n, _EVALUATED) for n in path):
        return False
    on_path = {id(n) for n in path}
    for n in walk(root):
        if isinstance(n, ast.Call) and id(n) not in on_path and not _pure(n, numpy):
            return False
    parent = path[-2] if len(path) > 1 else None
    if parent is None:
        stmt.value = value
    else:
        _replace_child(parent, path[-1], value)
    return True


def _path_to(root: ast.expr, name: str) -> Optional[List[ast.AST]]:
    if isinstance(root, ast.Name) and root.id == name and isinstance(root.ctx, ast.Load):
        return [root]
    for child in ast.iter_child_nodes(root):
        found = _path_to(child, name)
        if found is not None:
            return [root] + found
    return None


def _replace_child(parent: ast.AST, old: ast.AST, new: ast.expr) -> None:
    for field, current in ast.iter_fields(parent):
        if current is old:
            setattr(parent, field, new)
            return
        if isinstance(current, list):
            for k, item in enumerate(current):
                if item is old:
                    current[k] = new
                    return


def _targets(stmt: ast.stmt) -> List[ast.AST]:
    if isinstance(stmt, ast.Assign):
        return list(stmt.targets)
    return [stmt.target] if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) else []


def _binds_names_only(stmt: ast.stmt) -> bool:
    """An assignment whose targets are names (or tuples of names): its value is evaluated before any store."""
    if not isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        return False
    return all(isinstance(n, (ast.Name, ast.Tuple, ast.List, ast.Starred, ast.expr_context))
               for t in _targets(stmt) for n in walk(t))


def _inside_scope(stmt: ast.stmt, name: str) -> bool:
    """Is a read of ``name`` in ``stmt`` inside a lambda, comprehension or nested definition?"""
    scopes = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.FunctionDef,
              ast.AsyncFunctionDef, ast.ClassDef)
    return any(isinstance(scope, scopes) and _reads_in_node(scope, name) for scope in walk(stmt))


def _reads_in_node(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load) for n in walk(node))


def _is_copy(stmt: ast.stmt, target: str, source: str) -> bool:
    """Is ``stmt`` ``target = source``?"""
    return (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id == target and isinstance(stmt.value, ast.Name) and stmt.value.id == source)


def _self_copy(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name) and _is_copy(
        stmt, stmt.value.id, stmt.value.id)
