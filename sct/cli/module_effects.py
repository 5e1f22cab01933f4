"""What a module-level statement does to the file's names, decided from its AST alone.

``sct transform`` copies into the emitted module every top-level statement that binds a name the
derivatives read, or may change that name's value without binding it: ``OFFSETS.append(4.0)``,
``np.copyto(W, ...)``, ``W.fill(0.5)``, a loop, ``if``, ``with`` or ``try`` that mentions it, a call of one
of the file's functions that reads it. When unsure, a statement counts as changing every name it hands on
(as an argument, as the object of a method call, into another name, which then shares the value); only a
name consumed by an operator (``W * 2``, ``W[0] + 1``) is certainly only read. ``if __name__ ==
"__main__":`` runs only when the file is run as a script, never when it is imported, and is left out.
A statement that draws from or seeds a shared random generator (``np.random.seed(0)``, directly or
through a function of the file it calls) changes that generator's pseudo-name (:mod:`sct.cli.random_state`).
"""
from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

from .random_state import random_states

# A value flows through these unchanged (the same object, or a part or view of it).
_HOLDING = (ast.Subscript, ast.Attribute, ast.Starred, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.IfExp,
            ast.NamedExpr, ast.BoolOp, ast.Await)
_COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try, ast.Match) \
    + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass
class Effects:
    """Names a top-level statement binds, and names whose value it may change without binding them."""

    binds: set[str] = field(default_factory=set)
    changes: set[str] = field(default_factory=set)


def statement_effects(stmt: ast.stmt, definitions: Mapping[str, ast.stmt], modules: set[str],
                      origins: Mapping[str, str] | None = None) -> Effects:
    """The :class:`Effects` of the top-level ``stmt``; ``definitions`` are the file's top-level ``def``s and
    classes by name (calling one may change what it reads), ``modules`` the names bound by imports (a call
    through ``np.`` does not change ``np``), ``origins`` what each of those names is imported as
    (:func:`sct.cli.random_state.import_origins`)."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return Effects({alias.asname or alias.name.split(".")[0] for alias in stmt.names})
    if isinstance(stmt, _DEFINITIONS):
        return Effects({stmt.name})
    if is_main_guard(stmt):
        return Effects()
    effects = _name_effects(stmt, definitions, modules)
    for node in [stmt] + [definitions[name] for name in _called_definitions(stmt, definitions)]:
        effects.changes |= random_states(node, origins or {})
    return effects


def _name_effects(stmt: ast.stmt, definitions: Mapping[str, ast.stmt], modules: set[str]) -> Effects:
    """The names a statement other than an import, a definition or the script block binds and changes."""
    if isinstance(stmt, _COMPOUND):  # copied whole: whatever it mentions may change
        binds = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        binds |= {d.name for d in ast.walk(stmt) if isinstance(d, _DEFINITIONS)}
        binds |= {a.asname or a.name.split(".")[0] for n in ast.walk(stmt)
                  if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
        mentioned = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        return Effects(binds, (mentioned | _called_effects(stmt, definitions)) - modules)
    effects = Effects()
    targets = stmt.targets if isinstance(stmt, (ast.Assign, ast.Delete)) else \
        [stmt.target] if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) else []
    for target in targets:
        effects.binds |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    value = getattr(stmt, "value", None)
    if isinstance(value, ast.expr):
        effects.changes |= handed_on(value)
    for child in ast.iter_child_nodes(stmt):  # assert, raise, the index of a target...
        if isinstance(child, ast.expr) and child is not value:
            effects.changes |= {n for n in handed_on(child) if n not in effects.binds}
    effects.changes |= _called_effects(stmt, definitions)
    effects.changes -= modules
    return effects


def is_main_guard(stmt: ast.stmt) -> bool:
    """``if __name__ == "__main__":``."""
    test = stmt.test if isinstance(stmt, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value == "__main__")


def handed_on(expr: ast.expr) -> set[str]:
    """Names in ``expr`` whose value (or a part or view of it) may reach a call or the result: every name
    that is not consumed by an operator first."""
    found: set[str] = set()

    def visit(node: ast.AST, held: bool) -> None:
        if isinstance(node, ast.Name):
            if held:
                found.add(node.id)
            return
        if isinstance(node, (ast.Call, ast.Lambda, ast.comprehension, ast.keyword, *_HOLDING)):
            inner = True
        else:  # an operator, a comparison, an f-string: makes a new value
            inner = False
        for child in ast.iter_child_nodes(node):
            if isinstance(node, ast.Subscript) and child is node.slice:
                visit(child, False)
            else:
                visit(child, inner)

    visit(expr, True)
    return found


def _called_effects(stmt: ast.AST, definitions: Mapping[str, ast.stmt]) -> set[str]:
    """Every name the file's functions called in ``stmt`` mention, transitively (they may change any)."""
    mentioned: set[str] = set()
    for name in _called_definitions(stmt, definitions):
        mentioned |= _mentioned(definitions[name])
    return mentioned


def _called_definitions(stmt: ast.AST, definitions: Mapping[str, ast.stmt]) -> set[str]:
    """The file's functions that ``stmt`` calls, and those they mention, transitively."""
    seen: set[str] = set()
    pending = [n.func.id for n in ast.walk(stmt) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    while pending:
        name = pending.pop()
        if name in seen or name not in definitions:
            continue
        seen.add(name)
        pending.extend(_mentioned(definitions[name]) & set(definitions))
    return seen


def _mentioned(definition: ast.stmt) -> set[str]:
    """The names a definition mentions, its ``global`` declarations included."""
    names = {n.id for n in ast.walk(definition) if isinstance(n, ast.Name)}
    return names | {g for n in ast.walk(definition) if isinstance(n, ast.Global) for g in n.names}
