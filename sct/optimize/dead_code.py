"""Clean emitted code: drop derivative statements whose results nobody reads, and loops and branches of the
reverse sweep left with nothing to do; then the passes of ``first_contributions``, ``scales``,
``broadcast_scales``, ``forwarding`` and ``scale_out``, and last the run-time spellings (``in_place``,
``products_into``, ``run_spellings``), which code sct reads again sees undone."""
from __future__ import annotations

import ast
from typing import Callable, List, Optional, Set

from ..analysis.activity import assigned_names
from ..analysis.emitted_storage import SharedStorage
from ..ir import annotations as anno
from ..ir.astutil import loaded_names, statements, walk
from .broadcast_scales import scale_before_spreading
from .fast_powers import fast_powers
from .first_contributions import assign_first_contributions, check_owned_contributions
from .forwarding import forward_temporaries
from .in_place import accumulate_in_place
from .products_into import products_into_zeros
from .run_spellings import faster_spellings
from .scale_out import scale_after_summing
from .scales import BlockNames, fold_scales


def _reads(node: ast.AST) -> Set[str]:
    names = loaded_names(node)
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        names.add(node.target.id)  # ``a += b`` reads ``a``
    return names


def _is_derivative_assign(stmt: ast.stmt, protected: Set[str]) -> bool:
    """A derivative statement that only sets a name (``a = ...`` or ``a += ...``)."""
    target = _target_of(stmt)
    if target is None or _pops(stmt.value):
        return False
    return anno.get(stmt, "derivative", False) and target not in protected


def _pops(node: ast.expr) -> bool:
    """Does ``node`` take a value off a stack (the tape)? Then it stays, or later pops get wrong values."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "pop"
               for n in walk(node))


def _target_of(stmt: ast.stmt) -> Optional[str]:
    """The name a statement sets (``a = ...``, ``a += ...``), or None."""
    if isinstance(stmt, ast.AugAssign):
        target = stmt.target
    elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
    else:
        return None
    return target.id if isinstance(target, ast.Name) else None


def dead_code(func: ast.FunctionDef, protected: Set[str], numpy: str = "np") -> List[ast.stmt]:
    """``func``'s body without the derivative assignments whose target is not read later (loops: read
    anywhere in the loop). ``a += b`` writes into ``a``'s array: it stays when that array may be a view or
    another name of one read later, or storage the caller or the module sees."""
    storage: Optional[SharedStorage] = None  # made when first needed: few unread `a += b` reach the test

    def removable(stmt: ast.stmt, live: Set[str]) -> bool:
        nonlocal storage
        if not _is_derivative_assign(stmt, protected):
            return False
        if isinstance(stmt, ast.AugAssign):
            storage = storage or SharedStorage(func, numpy)
            name = stmt.target.id
            return not (storage.outlives_the_function(name) or storage.shared_with(name) & live)
        return True

    return _dead_code(func.body, set(), removable)[0]


def unread_removed(body: List[ast.stmt], live_after: Set[str],
                   removable: Callable[[ast.stmt], bool]) -> List[ast.stmt]:
    """``body`` without the statements ``removable`` accepts whose target is not read later (loops: read
    anywhere in the loop); ``removable`` must accept only statements that set one name and do nothing else."""
    return _dead_code(body, live_after, lambda stmt, live: removable(stmt))[0]


def _dead_code(body: List[ast.stmt], live_after: Set[str], removable: Callable[[ast.stmt, Set[str]], bool]):
    """(kept statements, names the kept statements read); ``removable(stmt, names read later)``."""
    out: List[ast.stmt] = []
    live = set(live_after)
    read_here: Set[str] = set()
    for stmt in reversed(body):
        if isinstance(stmt, (ast.For, ast.While)):
            header = _reads(stmt.iter if isinstance(stmt, ast.For) else stmt.test)
            inside = _reads_all(stmt.body)
            stmt.body, _ = _dead_code(stmt.body, live | header | inside, removable)
            if _idle_loop(stmt, live):
                continue
            stmt.body = stmt.body or [ast.Pass()]
            reads = header | _reads_all(stmt.body)
        elif isinstance(stmt, ast.If):
            stmt.body, body_reads = _dead_code(stmt.body, live, removable)
            stmt.orelse, else_reads = _dead_code(stmt.orelse, live, removable)
            if _idle_branch(stmt):
                continue
            stmt.body = stmt.body or [ast.Pass()]
            reads = _reads(stmt.test) | body_reads | else_reads
        elif _target_of(stmt) not in live and removable(stmt, live):
            continue
        else:
            reads = _reads(stmt)
        live |= reads
        read_here |= reads
        out.append(stmt)
    return out[::-1], read_here


def _does_nothing(body: List[ast.stmt]) -> bool:
    return all(isinstance(stmt, ast.Pass) for stmt in body)


def _idle_loop(loop: ast.stmt, live: Set[str]) -> bool:
    """A loop of the reverse sweep whose body is left empty: it pops nothing and changes nothing, and its
    header only counts (``reversed(range(n))``); nothing after it reads the variable it sets."""
    return (isinstance(loop, ast.For) and anno.get(loop, "reverse", False) and _does_nothing(loop.body)
            and not loop.orelse and not (assigned_names(loop.target) & live) and _harmless(loop.iter))


def _idle_branch(branch: ast.If) -> bool:
    """A branch of the reverse sweep with nothing left on either side, and a test without calls."""
    return (anno.get(branch, "reverse", False) and _does_nothing(branch.body) and _does_nothing(branch.orelse)
            and _harmless(branch.test))


_COUNTING_CALLS = {"range", "reversed", "len", "list", "tuple", "enumerate", "zip"}


def _harmless(node: ast.expr) -> bool:
    """Can evaluating ``node`` be skipped? Names, numbers, arithmetic, comparisons, indexing, and the
    builtins reverse loops count with; no other call."""
    for part in walk(node):
        if isinstance(part, ast.Call):
            if not (isinstance(part.func, ast.Name) and part.func.id in _COUNTING_CALLS):
                return False
        elif isinstance(part, (ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)) \
                or isinstance(part, ast.comprehension):
            return False
    return True


def _reads_all(body: List[ast.stmt]) -> Set[str]:
    """Names read anywhere in ``body``: simple statements whole, compound ones by their test or range."""
    found: Set[str] = set()
    for stmt in statements(body):
        if isinstance(stmt, (ast.If, ast.While)):
            found |= _reads(stmt.test)
        elif isinstance(stmt, ast.For):
            found |= _reads(stmt.iter)
        else:
            found |= _reads(stmt)
    return found


def optimize(func: ast.FunctionDef, program) -> ast.FunctionDef:
    """Apply the clean-ups; ``program`` tells which names the caller sees."""
    func.body = dead_code(func, set(), getattr(program, "numpy", "np"))
    assign_first_contributions(func, getattr(program, "numpy", "np"))
    names = BlockNames()  # what the two passes read of the body's statements, found once
    func.body = fold_scales(func.body, names)
    func.body = scale_before_spreading(func.body, names)
    source = getattr(program, "source", None)
    func = fast_powers(func, getattr(program, "numpy", "np"), getattr(source, "module_source", None))
    forward_temporaries(func, getattr(program, "numpy", "np"))
    func.body = scale_after_summing(func.body)  # after forwarding: factors reach the calls' arguments
    check_owned_contributions(func, getattr(program, "numpy", "np"))  # after what substitutes into them
    accumulate_in_place(func, getattr(program, "numpy", "np"))
    products_into_zeros(func, getattr(program, "numpy", "np"))
    return faster_spellings(func, getattr(program, "numpy", "np"))
