"""The names each statement of a block reads (how often) and binds, for the rewrites of
:mod:`sct.optimize.forwarding`: each statement is walked once, and again only once it has changed; a
statement holding others (a loop, a branch) is counted from their entries."""
from __future__ import annotations

import ast
from typing import Dict, List, Set

from ..ir.astutil import walk

_BLOCKS = ("body", "orelse", "finalbody", "handlers")  # fields holding statements (and except handlers)


class StatementIndex:
    """The names each statement reads (how often) and binds, walked once and again only once changed."""

    def __init__(self, declared: Set[str]) -> None:
        self._seen: Dict[int, tuple] = {}
        self.declared = declared  # names of ``global`` and ``nonlocal`` statements
        # the reads of the block being rewritten, kept as its statements change: a forgotten statement's
        # old reads are taken out and its new ones put in when it is walked again (``settled``)
        self.total: Dict[str, int] = {}
        self._dirty: Dict[int, ast.AST] = {}

    def _of(self, stmt: ast.AST) -> tuple:
        entry = self._seen.get(id(stmt))
        if entry is None or entry[0] is not stmt:
            reads: Dict[str, int] = {}
            binds: Set[str] = set()
            for field in stmt._fields:
                value = getattr(stmt, field, None)
                if field in _BLOCKS and isinstance(value, list):  # nested statements: their own entries
                    for inner in value:
                        _, inner_reads, inner_binds = self._of(inner)
                        for name, count in inner_reads.items():
                            reads[name] = reads.get(name, 0) + count
                        binds |= inner_binds
                    continue
                for part in value if isinstance(value, list) else [value]:
                    if isinstance(part, ast.AST):
                        _names_of(part, reads, binds)
            entry = self._seen[id(stmt)] = (stmt, reads, binds)
            if self._dirty.get(id(stmt)) is stmt:
                del self._dirty[id(stmt)]
                self._count(reads, 1)
        return entry

    def _count(self, reads: Dict[str, int], sign: int) -> None:
        for name, count in reads.items():
            self.total[name] = self.total.get(name, 0) + sign * count

    def track(self, block: List[ast.stmt]) -> None:
        """Count the reads of ``block``, the block about to be rewritten."""
        self.total, self._dirty = {}, {}
        for stmt in block:
            self._count(self._of(stmt)[1], 1)

    def settled(self) -> Dict[str, int]:
        """The reads of the tracked block, its changed statements walked again."""
        for stmt in list(self._dirty.values()):
            self._of(stmt)
        return self.total

    def drop(self, stmt: ast.AST) -> None:
        """``stmt`` leaves the tracked block."""
        self._count(self._of(stmt)[1], -1)
        self._seen.pop(id(stmt), None)

    def reads(self, stmts: List[ast.AST], name: str) -> int:
        return sum(self._of(stmt)[1].get(name, 0) for stmt in stmts)

    def counts(self, stmt: ast.AST) -> Dict[str, int]:
        """How often ``stmt`` reads each name."""
        return self._of(stmt)[1]

    def mentions(self, stmt: ast.AST, name: str) -> bool:
        _, reads, binds = self._of(stmt)
        return name in reads or name in binds

    def binds(self, stmt: ast.AST, name: str) -> bool:
        return name in self._of(stmt)[2]

    def forget(self, stmts: List[ast.AST]) -> None:
        """``stmts`` of the tracked block have changed (nodes nested in them too): walk them again."""
        for stmt in stmts:
            for inner in walk(stmt) if _nests(stmt) else ():
                if inner is not stmt and isinstance(inner, (ast.stmt, ast.excepthandler)):
                    self._seen.pop(id(inner), None)
            entry = self._seen.pop(id(stmt), None)
            if entry is not None and entry[0] is stmt and self._dirty.get(id(stmt)) is not stmt:
                self._count(entry[1], -1)
                self._dirty[id(stmt)] = stmt


def _names_of(node: ast.AST, reads: Dict[str, int], binds: Set[str]) -> None:
    for n in walk(node):
        if isinstance(n, ast.Name):
            if isinstance(n.ctx, ast.Load):
                reads[n.id] = reads.get(n.id, 0) + 1
            else:
                binds.add(n.id)


def _nests(stmt: ast.AST) -> bool:
    """Does ``stmt`` hold statements (its entry is made of theirs)?"""
    return any(isinstance(getattr(stmt, field, None), list) for field in _BLOCKS)
