"""Refuse reverse mode over a reverse-mode derivative whose loops keep their values on a stack.

``sct.grad(sct.grad(f))`` (or ``sct.reverse`` of a function calling ``sct.grad(f)``) differentiates the
code sct emitted for ``f`` in reverse mode again. When ``f`` has a loop, that code pushes what each
iteration overwrites onto a list (``_stack.append(v)``) and pops it on the way back (``v = _stack.pop()``):
reversing those pops again would need a second stack of the first one, which sct does not build. Second
derivatives go forward over reverse instead (``sct.hessian``, ``sct.hvp``, ``sct.forward(sct.grad(f))``).
"""
from __future__ import annotations

import ast
from typing import Set

from ..errors import SourceContext

TAPE_PREFIX = "_stack"  # the name reverse mode gives its tape (sct/modes/reverse.py), made fresh per function


def _tape_pop(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "pop"
            and isinstance(node.func.value, ast.Name) and node.func.value.id.startswith(TAPE_PREFIX))


def _varied_tape_pop(node: ast.AST, varied: Set[str]) -> bool:
    """A pop of a tape of values that depend on the input, or one that rolls back a name that does (its
    stand-in of a shape is constant, the value it restores is not)."""
    if isinstance(node, ast.Assign) and _tape_pop(node.value):
        return any(n.id in varied for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)) \
            or node.value.func.value.id in varied
    return _tape_pop(node) and node.func.value.id in varied


def check_tape_reversal(func: ast.FunctionDef, varied: Set[str], context: SourceContext, name: str) -> str:
    """Refuse the emitted reverse-mode function ``func`` (named ``name`` in messages) if it pops a tape of
    values that depend on the input (``varied``), or pops into such a value; a tape of constants popped
    into constants is reversed as any constant is."""
    for node in ast.walk(func):
        if _varied_tape_pop(node, varied):
            raise context.error(
                node, f"reverse mode over the reverse-mode derivative {name}: a loop of the function it "
                "derives keeps the values each iteration overwrites on a stack, which sct cannot reverse "
                "again", construct="sct.grad(sct.grad(f)) (reverse over reverse) of a function with a loop",
                hint="for second derivatives use sct.hessian(f), sct.hvp(f) or sct.forward(sct.grad(f)) "
                "(forward over reverse), which handle the loop")
    return "ok"
