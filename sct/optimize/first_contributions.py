"""Assign a first contribution instead of adding it into fresh zeros: ``a_bar = np.zeros_like(a);
a_bar += v`` becomes ``a_bar = v``, and ``a_bar[i] += v`` just after the zeros becomes ``a_bar[i] = v``.

Reverse mode starts the adjoint of an array that is read by index (so updated in place, ``a_bar[i] += g``)
from zeros, and adds every contribution into it. When ``v`` is the only thing ever added, the zeros and
the addition are two passes over an array for nothing. The assignment is the same value only when:

* ``v`` certainly has ``a``'s shape: zeros plus a smaller ``v`` would broadcast it. Shown by its form:
  ``np.reshape(u, np.shape(a))`` or ``unbroadcast(u, a)``, possibly negated or scaled by a number;
* ``a_bar`` is changed in place nowhere else in the function. ``v`` may share memory with another
  adjoint (a reshape is a view): with no later write through either name, neither sees the other change;
* ``v`` does not read ``a_bar``. Its dtype is that of the adjoints it is linear in (floats: the seed is
  made a float array), so ``0.0 + v`` is ``v``.

Otherwise, when ``v`` is an object no other name holds (a new sum or product, a contraction, or a name
bound once to one and read only there: :func:`sole_owners`), the pair becomes ``a_bar = owned_adjoint(v,
a)`` (``sct.runtime.broadcasting``), which keeps ``v``'s own array when it is writeable and of ``a``'s
shape and dtype, and adds ``v`` into new zeros otherwise (a read-only broadcast such as ``einsum_fit``
may give, a number, a smaller shape): ``a_bar`` may then be written in place anywhere, for no other name
sees its array. Code sct reads again sees ``np.zeros_like(a) + v``. Passes after this one may substitute
into ``v`` (``fold_scales`` makes ``-(-u)`` of ``u``, which another name may hold):
:func:`check_owned_contributions` looks again once they have run, and puts the zeros back where ``v`` is
no longer owned.

Updates by index after the zeros (``x_bar[1:] += g``, then ``x_bar[:1] += h``: the adjoint of
``np.concatenate([x[:1], x[1:] * ...])``) are each assigned when their indices are disjoint from those of
the updates before them, whatever the array's length (:mod:`sct.optimize.disjoint_slices`); statements in
between must not name ``a_bar``. When the assigned slices then cover the whole first axis and no assigned
value reads ``a_bar``, every element is written before it is read: the zeros become ``np.empty_like``.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set, Tuple

from ..analysis.views import IN_PLACE_METHODS
from ..ir import annotations as anno
from ..ir.astutil import loaded_names, walk
from ..ir.blocks import all_statements
from .disjoint_slices import Span, covers_first_axis, disjoint, span_of
from .new_objects import gives_new_object

OWNED_ADJOINT = "owned_adjoint"

# Runtime helpers (and numpy functions) that write into their first argument.
_WRITE_INTO_FIRST = {"accumulate_at", "add_at", "add_items", "batch_add_at", "batch_setitem", "copyto",
                     "fill_diagonal", "put", "place", "putmask", "put_along_axis"}


def assign_first_contributions(func: ast.FunctionDef, numpy: str = "np") -> ast.FunctionDef:
    """Apply the rewrite throughout ``func`` (``numpy``: the name emitted code calls numpy by)."""
    if not any(_zeros_of(stmt, numpy) for stmt in all_statements(func)):
        return func  # no zeros to start from: nothing to rewrite, and no need to read the whole function
    changed = changed_in_place(func)
    _rewrite_blocks(func, changed, sole_owners(func, numpy), numpy)
    return func


def _rewrite_blocks(node: ast.AST, changed: Dict[str, int], owners: Set[str], numpy: str) -> None:
    for field in ("body", "orelse", "finalbody"):
        block = getattr(node, field, None)
        if isinstance(block, list):
            block = _rewrite(block, changed, owners, numpy)
            setattr(node, field, block)
            for stmt in block:
                _rewrite_blocks(stmt, changed, owners, numpy)


def _rewrite(block: List[ast.stmt], changed: Dict[str, int], owners: Set[str], numpy: str) -> List[ast.stmt]:
    """``block`` with every zeros statement's first contributions assigned. Each adjoint's rewrite is found
    on the block as given, so updates of other adjoints between its own are still rewritten; the rewrites
    change no name a statement reads, so neither changes what another finds."""
    replaced: Dict[int, Optional[ast.stmt]] = {}  # a position's new statement; None: dropped
    for i, stmt in enumerate(block):
        zeros = _zeros_of(stmt, numpy)
        if not zeros:
            continue
        following = block[i + 1] if i + 1 < len(block) else None
        value = None
        if following is not None and _first_addition(following, *zeros, changed, numpy):
            value = following.value
        elif following is not None and not stmt.value.keywords \
                and _owned_addition(following, zeros[0], owners, numpy):
            value = ast.Call(func=ast.Name(id=OWNED_ADJOINT, ctx=ast.Load()),
                             args=[following.value, ast.Name(id=zeros[1], ctx=ast.Load())], keywords=[])
        if value is not None:
            new = ast.Assign(targets=[ast.Name(id=zeros[0], ctx=ast.Store())], value=value, lineno=0)
            replaced[i], replaced[i + 1] = anno.copy_marks(stmt, ast.copy_location(new, following)), None
            continue
        run = _first_updates_by_index(block, i + 1, zeros[0])
        if run and _fills_all(block, run, zeros[0]):
            replaced[i] = _emptied(stmt, numpy)
        for j in run:
            new = ast.Assign(targets=[block[j].target], value=block[j].value, lineno=0)
            replaced[j] = anno.copy_marks(block[j], ast.copy_location(new, block[j]))
    out = [replaced.get(i, stmt) for i, stmt in enumerate(block)]
    return [stmt for stmt in out if stmt is not None]


def _zeros_of(stmt: ast.stmt, numpy: str) -> Optional[Tuple[str, str]]:
    """``(a_bar, a)`` of a derivative statement ``a_bar = np.zeros_like(a)`` (or with ``dtype=float``)."""
    if not (isinstance(stmt, ast.Assign) and anno.get(stmt, "derivative", False) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)):
        return None
    value = stmt.value
    if not (_is_numpy(value, "zeros_like", numpy) and len(value.args) == 1
            and isinstance(value.args[0], ast.Name)):
        return None
    if any(k.arg != "dtype" or not (isinstance(k.value, ast.Name) and k.value.id == "float")
           for k in value.keywords):
        return None
    return stmt.targets[0].id, value.args[0].id


def _first_addition(stmt: ast.stmt, name: str, like: str, changed: Dict[str, int], numpy: str) -> bool:
    """Is ``stmt`` ``name += v``, the only in-place change of ``name``, with ``v`` of the zeros' shape?"""
    if not (isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add) and anno.get(stmt, "derivative")
            and isinstance(stmt.target, ast.Name) and stmt.target.id == name):
        return False
    if changed.get(name, 0) != 1 or name in loaded_names(stmt.value):
        return False
    return _shaped_like(stmt.value, like, numpy)


def _owned_addition(stmt: ast.stmt, name: str, owners: Set[str], numpy: str) -> bool:
    """Is ``stmt`` ``name += v`` with ``v`` an object no other name holds, not reading ``name``?"""
    if not (isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add) and anno.get(stmt, "derivative")
            and isinstance(stmt.target, ast.Name) and stmt.target.id == name):
        return False
    value = stmt.value
    if name in loaded_names(value):
        return False
    return value.id in owners if isinstance(value, ast.Name) else gives_new_object(value, numpy)


def sole_owners(func: ast.FunctionDef, numpy: str) -> Set[str]:
    """Names that alone hold the object they are read for: bound once in ``func``, by an assignment of a
    new object (:mod:`sct.optimize.new_objects`) in a statement sct made, and read once. Whoever reads it
    there holds the object alone from then on."""
    stores: Dict[str, int] = {}
    loads: Dict[str, int] = {}
    fresh: Set[str] = set()
    for node in walk(func):
        if isinstance(node, ast.Name):
            counts = loads if isinstance(node.ctx, ast.Load) else stores
            counts[node.id] = counts.get(node.id, 0) + 1
        elif isinstance(node, ast.arg):
            stores[node.arg] = stores.get(node.arg, 0) + 2  # bound by the caller
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            return set()
        elif isinstance(node, ast.Assign) and anno.get(node, "derivative", False):
            target = node.targets[0]
            if len(node.targets) == 1 and isinstance(target, ast.Name) \
                    and gives_new_object(node.value, numpy):
                fresh.add(target.id)
    return {name for name in fresh if stores.get(name) == 1 and loads.get(name) == 1}


def check_owned_contributions(func: ast.FunctionDef, numpy: str = "np") -> ast.FunctionDef:
    """``a_bar = owned_adjoint(v, a)`` made ``a_bar = np.zeros_like(a); a_bar += v`` again wherever ``v``
    is no longer an object no other name holds, on the code as it will run. A name counts only when bound
    earlier in its block: read in a loop it was bound outside of, it would give every iteration's adjoint
    the one array."""
    owners = sole_owners(func, numpy)
    for node in walk(func):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                setattr(node, field, _checked(block, owners, numpy))
    return func


def _checked(block: List[ast.stmt], owners: Set[str], numpy: str) -> List[ast.stmt]:
    out: List[ast.stmt] = []
    bound: Set[str] = set()
    for stmt in block:
        term = _owned_term(stmt)
        if term is not None and not (term.id in owners & bound if isinstance(term, ast.Name)
                                     else gives_new_object(term, numpy)):
            out += _zeros_then_added(stmt, numpy)
            continue
        out.append(stmt)
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            bound.add(stmt.targets[0].id)
    return out


def _owned_term(stmt: ast.stmt) -> Optional[ast.expr]:
    """``v`` of ``a_bar = owned_adjoint(v, a)``."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)):
        return None
    value = stmt.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == OWNED_ADJOINT \
            and len(value.args) == 2 and not value.keywords:
        return value.args[0]
    return None


def _zeros_then_added(stmt: ast.Assign, numpy: str) -> List[ast.stmt]:
    """``a_bar = np.zeros_like(a)`` and ``a_bar += v`` for ``a_bar = owned_adjoint(v, a)``."""
    name, (term, like) = stmt.targets[0].id, stmt.value.args
    zeros = ast.Call(func=ast.Attribute(value=ast.Name(id=numpy, ctx=ast.Load()), attr="zeros_like",
                                        ctx=ast.Load()), args=[like], keywords=[])
    first = ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=zeros, lineno=0)
    added = ast.AugAssign(target=ast.Name(id=name, ctx=ast.Store()), op=ast.Add(), value=term)
    return [anno.copy_marks(stmt, ast.copy_location(new, stmt)) for new in (first, added)]


def _first_updates_by_index(block: List[ast.stmt], start: int, name: str) -> List[int]:
    """The positions from ``start`` on of the updates ``name[i] += v`` that add into zeros only: the first
    one after the zeros, then each whose indices are disjoint from those of every update before it.

    ``name[i]`` is then all zeros, so ``name[i] = v`` stores the same values (``0 + v`` cast to the zeros'
    dtype, as the assignment casts ``v``); repeated indices keep their last value either way. The run
    ends at the first other statement that names ``name``, or that is not a simple statement.
    """
    run: List[int] = []
    spans: List[Optional[Span]] = []
    for j in range(start, len(block)):
        stmt = block[j]
        if _update_by_index(stmt, name):
            span = span_of(stmt.target.slice)
            if not run or span is not None and all(disjoint(span, s) for s in spans):
                run.append(j)
                spans.append(span)
                continue
            break
        if not isinstance(stmt, (ast.Assign, ast.AugAssign, ast.Expr)) \
                or any(isinstance(n, ast.Name) and n.id == name for n in walk(stmt)):
            break
    return run


def _update_by_index(stmt: ast.stmt, name: str) -> bool:
    """Is ``stmt`` a derivative statement ``name[i] += v``?"""
    if not (isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add) and anno.get(stmt, "derivative")
            and isinstance(stmt.target, ast.Subscript)):
        return False
    base = stmt.target.value
    return isinstance(base, ast.Name) and base.id == name


def _fills_all(block: List[ast.stmt], run: List[int], name: str) -> bool:
    """Do the updates at ``run`` write every element of ``name`` without reading it?"""
    spans = [span_of(block[j].target.slice) for j in run]
    return all(s is not None for s in spans) and covers_first_axis(spans) \
        and not any(name in loaded_names(block[j].value) for j in run)


def _emptied(stmt: ast.Assign, numpy: str) -> ast.Assign:
    """``a_bar = np.empty_like(a, ...)`` for the zeros ``stmt`` makes."""
    zeros = stmt.value
    call = ast.Call(func=ast.Attribute(value=ast.Name(id=numpy, ctx=ast.Load()), attr="empty_like",
                                       ctx=ast.Load()), args=zeros.args, keywords=zeros.keywords)
    new = ast.Assign(targets=stmt.targets, value=ast.copy_location(call, zeros), lineno=0)
    return anno.copy_marks(stmt, ast.copy_location(new, stmt))


def _shaped_like(node: ast.expr, like: str, numpy: str) -> bool:
    """Does ``node`` certainly have the shape of the variable ``like``, by its form?"""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _shaped_like(node.operand, like, numpy)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        if _is_number(node.right):
            return _shaped_like(node.left, like, numpy)
        scaled = isinstance(node.op, ast.Mult) and _is_number(node.left)
        return scaled and _shaped_like(node.right, like, numpy)
    if not (isinstance(node, ast.Call) and len(node.args) == 2 and not node.keywords):
        return False
    target = node.args[1]
    if isinstance(node.func, ast.Name) and node.func.id == "unbroadcast":
        return isinstance(target, ast.Name) and target.id == like
    if _is_numpy(node, "reshape", numpy):
        return (_is_numpy(target, "shape", numpy) and len(target.args) == 1 and not target.keywords
                and isinstance(target.args[0], ast.Name) and target.args[0].id == like)
    return False


def _is_number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _is_numpy(node: ast.expr, function: str, numpy: str) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == function
            and isinstance(node.func.value, ast.Name) and node.func.value.id == numpy)


def changed_in_place(func: ast.FunctionDef) -> Dict[str, int]:
    """How many statements may change each name's value in place: ``a += v``, ``a[i] = v``, a call
    writing into it, an in-place method."""
    counts: Dict[str, int] = {}
    for stmt in all_statements(func):
        for name in _changed_by(stmt):
            counts[name] = counts.get(name, 0) + 1
    return counts


def _changed_by(stmt: ast.stmt) -> Set[str]:
    """Names whose value ``stmt`` itself may change in place (not the statements nested in it)."""
    found: Set[str] = set()
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return found  # its statements are counted one by one
    if isinstance(stmt, ast.AugAssign):
        found |= _base_names(stmt.target)
    elif isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            for node in walk(target):
                if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
                    found |= _base_names(node)
    if isinstance(stmt, (ast.For, ast.While, ast.If, ast.With, ast.Try)):
        parts = [getattr(stmt, "iter", None), getattr(stmt, "test", None)]
    else:
        parts = [stmt]
    for part in parts:
        if part is None:
            continue
        for node in walk(part):
            if isinstance(node, ast.Call):
                alone = isinstance(stmt, ast.Expr) and stmt.value is node
                found |= _written_by_call(node, as_statement=alone)
    return found


def _written_by_call(node: ast.Call, as_statement: bool) -> Set[str]:
    func = node.func
    function = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    found: Set[str] = set()
    if as_statement:  # a call made for its effect: anything it is given may be written into
        for arg in list(node.args) + [k.value for k in node.keywords]:
            found |= _base_names(arg)
    if function in _WRITE_INTO_FIRST and node.args:
        found |= _base_names(node.args[0])
    if isinstance(func, ast.Attribute) and (function in IN_PLACE_METHODS or as_statement):
        found |= _base_names(func.value)
    for keyword in node.keywords:
        if keyword.arg == "out":
            found |= {n.id for n in walk(keyword.value) if isinstance(n, ast.Name)}
    return found


def _base_names(node: ast.expr) -> Set[str]:
    """The variable an expression such as ``a``, ``a[i]``, ``a.real[i]`` reads its storage from."""
    while isinstance(node, (ast.Subscript, ast.Attribute, ast.Starred)):
        node = node.value
    return {node.id} if isinstance(node, ast.Name) else set()
