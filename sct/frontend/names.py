"""Collision-free fresh names."""
from __future__ import annotations

import ast
from typing import Iterable, Set

from ..ir.astutil import walk


def names_in(node: ast.AST) -> Set[str]:
    """Every identifier mentioned in ``node`` (variables, parameters, attribute bases)."""
    found = set()
    for sub in walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.arg):
            found.add(sub.arg)
        elif isinstance(sub, ast.FunctionDef):
            found.add(sub.name)
    return found


class Namer:
    """Hands out names that clash with nothing the user wrote nor anything handed out before."""

    def __init__(self, taken: Iterable[str] = ()):
        self.taken: Set[str] = set(taken)
        self.counters: dict = {}

    def reserve(self, names: Iterable[str]) -> None:
        self.taken.update(names)

    def temp(self, prefix: str = "_t") -> str:
        """A numbered temporary: ``_t1``, ``_t2``, ..."""
        while True:
            self.counters[prefix] = self.counters.get(prefix, 0) + 1
            name = f"{prefix}{self.counters[prefix]}"
            if name not in self.taken:
                self.taken.add(name)
                return name

    def fresh(self, base: str) -> str:
        """``base`` itself when free, else ``base_1``, ``base_2``..."""
        if base not in self.taken:
            self.taken.add(base)
            return base
        return self.temp(base.rstrip("_") + "_")
