"""Hidden random state a module-level statement or a function reads or changes, decided from its AST alone.

``np.random.seed(0)``, ``np.random.normal()`` and ``random.random()`` bind no name of the file, yet each
changes what the next draw gives: numpy's legacy functions share one global generator, and so do those of
Python's ``random``. ``sct transform`` copies a statement that binds or changes a name the derivatives
need, so each shared generator is named here by a pseudo-name (no Python name has its angle brackets):
every statement that touches it changes it, and a copied statement or emitted function that touches it
needs it, so the seed and every draw before the needed one are copied too, in file order, and the emitted
module draws what the file draws. A ``Generator`` made by ``np.random.default_rng(0)`` keeps its state in
its own name (``rng.normal()`` changes ``rng``), which the name machinery follows already.
"""
from __future__ import annotations

import ast
from collections.abc import Mapping

NUMPY_GLOBAL = "<numpy.random global state>"
PYTHON_GLOBAL = "<random global state>"

# Made with their own state (or none): using them leaves the shared generators alone.
_NUMPY_OWN_STATE = {"default_rng", "Generator", "RandomState", "SeedSequence", "BitGenerator", "PCG64",
                    "PCG64DXSM", "MT19937", "Philox", "SFC64"}
_PYTHON_OWN_STATE = {"Random", "SystemRandom"}


def import_origins(body: list[ast.stmt]) -> dict[str, str]:
    """Name -> the dotted module or object it is imported as, for the file's top-level imports
    (``import numpy as np``: np -> numpy; ``from numpy.random import seed``: seed -> numpy.random.seed)."""
    origins: dict[str, str] = {}
    for stmt in body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    origins[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    origins[head] = head
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            for alias in stmt.names:
                origins[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
    return origins


def random_states(node: ast.AST, origins: Mapping[str, str]) -> set[str]:
    """The shared generators (:data:`NUMPY_GLOBAL`, :data:`PYTHON_GLOBAL`) that ``node`` may read or change:
    any mention of one of their functions, or of the module that holds them (``r = np.random``)."""
    inner = {id(n.value) for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    found: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, (ast.Name, ast.Attribute)) and id(child) not in inner:
            state = _state_of(_dotted(child, origins))
            if state:
                found.add(state)
    return found


def _dotted(node: ast.expr, origins: Mapping[str, str]) -> str:
    """``numpy.random.seed`` for ``np.random.seed`` (through the file's imports); "" if not a dotted name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in origins:
        return ""
    return ".".join([origins[node.id]] + parts[::-1])


def _state_of(dotted: str) -> str:
    parts = dotted.split(".")
    if parts[:2] == ["numpy", "random"]:
        return "" if len(parts) > 2 and parts[2] in _NUMPY_OWN_STATE else NUMPY_GLOBAL
    if parts[0] == "random":
        return "" if len(parts) > 1 and parts[1] in _PYTHON_OWN_STATE else PYTHON_GLOBAL
    return ""
