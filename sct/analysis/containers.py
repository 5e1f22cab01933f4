"""Names a function reads only item by item, ``t[0]``, ``t[1]``: tapes and tuple arguments.

Their values may be tuples whose items do not stack into one array (a tape holds arrays of several shapes
and other tapes), so reverse mode starts their adjoint with ``zeros_items`` rather than ``np.zeros_like``.
The items of a tape may share memory (a view is taped beside the array it views): :func:`tape_items`.
"""
from __future__ import annotations

import ast
from typing import Callable, Iterable, Optional, Set

from ..frontend.calls import Operation
from ..ir.astutil import walk
from ..ir.blocks import all_statements
from .activity import SEQUENCE_CALLS, copied_name, returned_sequences


def read_by_item(func: ast.FunctionDef) -> Set[str]:
    """Names whose every read in ``func`` is ``name[k]`` with a literal integer ``k`` (or ``len(name)``)."""
    itemwise: Set[str] = set()
    allowed: Set[int] = set()  # ids of the Name nodes read that way
    other: Set[str] = set()
    for node in walk(func):  # a node comes before the nodes below it: allowed is known in time
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load) and id(node) not in allowed:
                other.add(node.id)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and isinstance(node.slice, ast.Constant) and type(node.slice.value) is int:
            itemwise.add(node.value.id)
            allowed.add(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" \
                and len(node.args) == 1 and isinstance(node.args[0], ast.Name):
            allowed.add(id(node.args[0]))
    return itemwise - other


def tape_items(func: ast.FunctionDef) -> Set[str]:
    """Names bound to an item ``t[k]`` of a parameter ``t`` read only item by item (a tape, in sct's own
    output). Any two may share memory: a sweep tapes ``v = y[None, :]`` beside ``y``, and the reverse
    sweep's write restoring ``y`` changes ``v`` too."""
    params = {a.arg for a in func.args.args + func.args.kwonlyargs}
    tapes = read_by_item(func) & params
    return {node.targets[0].id for node in all_statements(func)
            if isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Subscript)
            and isinstance(node.value.value, ast.Name) and node.value.value.id in tapes}


def item_parameters(func: ast.FunctionDef, items: Set[str]) -> Set[str]:
    """The parameters of ``func`` among ``items`` (names read only item by item) and the names among them
    bound to an item ``p[k]`` of one, and so on: in a helper they may hold the caller's tuples of arrays of
    several shapes, nested (``(W1, b1), W2 = params``)."""
    found = {a.arg for a in func.args.args + func.args.kwonlyargs} & items
    bound = [(node.targets[0].id, node.value.value.id) for node in all_statements(func)
             if isinstance(node, ast.Assign) and len(node.targets) == 1
             and isinstance(node.targets[0], ast.Name) and node.targets[0].id in items
             and isinstance(node.value, ast.Subscript) and isinstance(node.value.value, ast.Name)]
    while True:
        new = {name for name, base in bound if base in found} - found
        if not new:
            return found
        found |= new


def helper_sequences(func: ast.FunctionDef, operation: Callable[[ast.expr], Optional[Operation]]) -> Set[str]:
    """Names ``func`` binds to a list, tuple or dict that a helper it calls built and returned
    (``params = make_layers(x)``); ``operation`` finds the call a value makes."""
    found: Set[str] = set()
    for node in ast.walk(func):
        called = operation(node.value) if isinstance(node, ast.Assign) else None
        if called is not None and called.kind == "helper":
            found |= returned_sequences(called.helper().node, node.targets[0])
    return found


def container_items(func: ast.FunctionDef, containers: Set[str], either: Iterable[str] = ()) -> Set[str]:
    """Names bound to an item of one of ``containers`` (``t = c[k]``), or to an item of such a name, and so
    on: each may be a container itself (``(W, b), c = layers[k]``), or an array; names bound to a
    container on some paths only (``z = x if flag else (x, y)``), which may hold either too, and the names
    ``either`` (parameters a caller gives such a value), with the items of all those."""
    bound = [(node.targets[0].id, node.value.value.id) for node in all_statements(func)
             if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
             and isinstance(node.value, ast.Subscript) and isinstance(node.value.value, ast.Name)]
    found: Set[str] = (bound_to_containers(func) | set(either)) - containers
    while True:
        new = {name for name, base in bound if base in containers or base in found} - found
        if not new:
            return found
        found |= new


def bound_to_containers(func: ast.FunctionDef) -> Set[str]:
    """Names some assignment binds to a list, tuple or dict (a display, a comprehension, ``list(v)``) or to
    another such name: on the other paths they may hold an array (``z = x if flag else (x, y)``)."""
    found: Set[str] = set()
    copies = []
    for node in all_statements(func):  # (assignments are statements: no expression holds one)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if copied_name(value) is not None:
                copies.append((node.targets[0].id, copied_name(value)))
            elif isinstance(value, (ast.List, ast.Tuple, ast.ListComp, ast.Dict)) or (
                    isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                    and value.func.id in SEQUENCE_CALLS):
                found.add(node.targets[0].id)
    while True:
        new = {target for target, source in copies if source in found} - found
        if not new:
            return found
        found |= new


class ContainerNames:
    """Which names of ``func`` hold a list, tuple or dict (``sequences``, from :func:`sequence_names`, or
    one a helper built and returned), and which an item of one, which may be a container or an array;
    found on first use (``operation`` finds the call a value makes)."""

    def __init__(self, func: ast.FunctionDef, sequences: Set[str],
                 operation: Callable[[ast.expr], Optional[Operation]], either: Iterable[str] = ()):
        self.func, self.sequences, self.operation = func, sequences, operation
        self.told = tuple(either)  # parameters the callers give a container or an array
        self._built: Optional[Set[str]] = None
        self._items: Optional[Set[str]] = None

    def holds(self, node: ast.expr) -> bool:
        """Does ``node`` hold a container: a display, or a name of ``sequences`` or a helper's container?"""
        if isinstance(node, (ast.List, ast.Tuple, ast.ListComp, ast.Dict)):
            return True
        return isinstance(node, ast.Name) and (node.id in self.sequences or node.id in self.built())

    def holds_item(self, node: ast.expr) -> bool:
        """Is ``node`` a name that may hold a container or an array (see :func:`container_items`)?"""
        return isinstance(node, ast.Name) and node.id in self.either()

    def either(self) -> Set[str]:
        """The names that may hold a container or an array (see :func:`container_items`)."""
        if self._items is None:
            self._items = container_items(self.func, self.sequences | self.built(), self.told)
        return self._items

    def built(self) -> Set[str]:
        """The names bound to a container a helper built and returned (:func:`helper_sequences`)."""
        if self._built is None:
            self._built = helper_sequences(self.func, self.operation)
        return self._built
