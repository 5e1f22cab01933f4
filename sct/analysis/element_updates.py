"""Refuse an augmented assignment to a container element that may hold an array (``ys[0] *= 2``).

Python runs the element's own in-place operator (``ys[0].__imul__(2)``) before storing it back, so an
array held in a list or dict changes in place, and every other name or element holding it (``y`` after
``ys = [y]``, ``ys[1]`` after ``ys = [y, y]``, the caller's array after ``ys = [x]``) sees the change. sct
rebinds the element instead. Other holders are not followed element by element, so the update is
refused whenever the container may hold an array, unless every array it may hold was made by an
expression stored straight into one element (``acc[k] = acc[k] + v``, which the update itself makes:
such an array has no other holder unless a live name reaches it). An array's own element (``acc[i] += v``,
which numpy writes into ``acc``) is not a container element.
"""
from __future__ import annotations

import ast

from ..errors import SourceContext
from ..ir import annotations as anno
from .storage import Roots


class ElementStores:
    """Arrays held by one container element only: made by the expression stored into that element."""

    def __init__(self) -> None:
        self.single: set = set()
        self.shared: set = set()

    def stored(self, value: ast.expr, roots: Roots) -> None:
        """``roots`` (of ``value``) go into a container: by themselves only if ``value`` made them."""
        made = {f"new@{id(value)}", f"new@{id(value)}~"}  # "~": made by an earlier run of a loop body
        if roots and roots <= made:
            self.single |= made
        else:
            self.shared |= roots

    def only_held_once(self, held: Roots) -> bool:
        """Is every array in ``held`` one that a single element store made and nothing else holds?"""
        return all(r in self.single and r not in self.shared for r in held)


def check_element_update(stmt: ast.stmt, target: ast.Subscript, held: Roots, stores: ElementStores,
                         others: list, context: SourceContext | None) -> None:
    """Raise SCTError if ``stmt`` is an augmented assignment to ``target``, an element of a container
    whose items may share the storage ``held`` (an array) with another element or a name in ``others``."""
    op = anno.get(stmt, "augmented")
    if op is None or context is None or not held or (stores.only_held_once(held) and not others):
        return
    element = ast.unparse(target)
    raise context.error(
        stmt, f"`{element} {op}= ...` changes the array held in the container in place, and every other "
        "name or element holding that array changes too, which sct does not follow",
        construct="an augmented assignment to a container element",
        hint=f"store a new array instead: {element} = {element} {op} ...")
