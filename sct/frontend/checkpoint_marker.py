"""Asking for checkpointing: the ``sct.checkpointed`` loop marker and the snapshot count or memory budget.

``for i in sct.checkpointed(range(n), snapshots=20):`` runs as ``for i in range(n):`` when the function is
called plainly; reverse mode reverses that loop keeping at most 20 copies of its state
(:mod:`sct.modes.checkpoint`). :func:`take_markers` removes the markers from a function before the other
passes and says which loops carried one.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Dict, Iterable, Optional, Tuple, TypeVar, Union

from ..errors import SourceContext
from ..ir.astutil import clone, walk
from .source import Resolver

T = TypeVar("T")
Memory = Union[int, str, None]
_UNITS = {"": 1, "B": 1, "KB": 10 ** 3, "MB": 10 ** 6, "GB": 10 ** 9, "KIB": 2 ** 10, "MIB": 2 ** 20,
          "GIB": 2 ** 30}
MARKER_NAMES = ("sct.checkpointed", "sct.frontend.checkpoint_marker.checkpointed")


@dataclass(frozen=True)
class Checkpointing:
    """How a loop is reversed: with ``snapshots`` copies of its state, or with as many as ``memory`` bytes
    hold (counted at run time from the state's size)."""

    snapshots: Optional[int] = None
    memory: Optional[int] = None


# Marked loops run as plain loops: for a first derivative that is differentiated again (sct.hessian, sct.hvp)
PLAIN = Checkpointing()


def checkpointed(iterable: Iterable[T], snapshots: Optional[int] = None,
                 memory: Memory = None) -> Iterable[T]:
    """Mark a loop for binomial checkpointing: ``for i in sct.checkpointed(range(n), snapshots=20):``.

    Called plainly it returns ``iterable`` unchanged. Reverse mode (``sct.reverse``, ``sct.grad``,
    ``sct transform --mode reverse``) keeps at most ``snapshots`` copies of the loop's state (or as many as
    ``memory``, e.g. ``"500MB"``, holds) and recomputes the iterations in between, instead of keeping what
    every iteration overwrites.
    """
    checkpoint_setting(snapshots, memory, required=True)
    return iterable


def checkpoint_setting(snapshots: Optional[int] = None, memory: Memory = None,
                       required: bool = False) -> Optional[Checkpointing]:
    """The setting for ``checkpoints=``/``checkpoint_memory=`` (None when neither is given)."""
    if snapshots is not None and memory is not None:
        raise ValueError("give either a snapshot count or a checkpoint memory budget, not both")
    if snapshots is not None:
        if isinstance(snapshots, bool) or not isinstance(snapshots, int) or snapshots < 1:
            raise ValueError(f"the number of checkpoint snapshots must be an integer >= 1, not {snapshots!r}")
        return Checkpointing(snapshots=snapshots)
    if memory is not None:
        return Checkpointing(memory=memory_bytes(memory))
    if required:
        raise ValueError("sct.checkpointed needs snapshots=C or memory='500MB'")
    return None


def memory_bytes(memory: Union[int, str]) -> int:
    """``"500MB"``, ``"2 GiB"`` or a number of bytes, as a positive number of bytes."""
    if isinstance(memory, int) and not isinstance(memory, bool):
        value = memory
    else:
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?i?B?)\s*", str(memory), re.IGNORECASE)
        if not found:
            raise ValueError(f"a checkpoint memory budget reads like '500MB', '2GiB' or 10**9, "
                             f"not {memory!r}")
        value = int(float(found.group(1)) * _UNITS[found.group(2).upper()])
    if value < 1:
        raise ValueError(f"the checkpoint memory budget must be positive, not {memory!r}")
    return value


Marks = Dict[Tuple[int, int], Checkpointing]


def take_markers(func: ast.FunctionDef, resolver: Resolver, context: SourceContext) -> Tuple[ast.FunctionDef,
                                                                                               Marks]:
    """A copy of ``func`` with ``sct.checkpointed(it, ...)`` loop headers read as ``it``, and the marked
    loops' settings by (line, column): the loop nodes themselves are rebuilt by desugaring."""
    marks: Marks = {}
    if not any(isinstance(node, ast.Call) and _is_marker(node, resolver) for node in walk(func)):
        return func, marks
    func = clone(func)
    for node in walk(func):
        if isinstance(node, ast.Call) and _is_marker(node, resolver) and not any(
                isinstance(loop, ast.For) and loop.iter is node for loop in walk(func)):
            raise context.error(node, "sct.checkpointed marks a loop: call it in a `for` header",
                                hint="write `for i in sct.checkpointed(range(n), snapshots=20):`")
        if isinstance(node, ast.For) and isinstance(node.iter, ast.Call) and _is_marker(node.iter, resolver):
            marks[(node.lineno, node.col_offset)] = _setting_of(node.iter, context)
            node.iter = node.iter.args[0]
    return func, marks


def _setting_of(call: ast.Call, context: SourceContext) -> Checkpointing:
    keywords = {k.arg: k.value for k in call.keywords}
    values = {}
    for name, value in keywords.items():
        if name not in ("snapshots", "memory") or not isinstance(value, ast.Constant):
            raise context.error(call, "sct.checkpointed takes snapshots= or memory= as a literal, "
                                f"not {name}=",
                                hint="write `sct.checkpointed(range(n), snapshots=20)` or memory='500MB'")
        values[name] = value.value
    if len(call.args) != 1:
        raise context.error(call, "sct.checkpointed takes one iterable",
                            hint="write sct.checkpointed(range(n), snapshots=20)")
    try:
        return checkpoint_setting(values.get("snapshots"), values.get("memory"), required=True)
    except ValueError as exc:
        raise context.error(call, str(exc), hint="write sct.checkpointed(range(n), snapshots=20)") from None


def _is_marker(call: ast.Call, resolver: Resolver) -> bool:
    found = resolver.qualname_of(call.func)
    if found is None:
        return False
    if found.qualname in MARKER_NAMES:
        return True
    globals_ = getattr(resolver, "globals", None)  # a live function's namespace: compare the object
    return (isinstance(call.func, ast.Name) and globals_ is not None
            and globals_.get(call.func.id) is checkpointed)
