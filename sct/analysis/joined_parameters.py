"""Parameters that ``+`` or ``*`` may join or repeat: a list or tuple passed for one of them changes meaning.

Derivatives treat ``xs + xs`` and ``xs * 2`` as arithmetic. When the caller passes a list for ``xs``,
Python joins or repeats it instead, so the derivative would be of another function. sct cannot see at
transform time what a caller passes; it finds the parameters that reach an operand of ``+``, ``*``,
``+=`` or ``*=`` (directly, through plain copies and slices, or through a helper's parameter), and a list
or tuple given for one of them is refused when the derivative is called (or at transform time, when the
caller's own code passes a list display or a list it builds).
"""
from __future__ import annotations

import ast
from typing import Dict, Optional, Set

from ..frontend.calls import operation_of
from ..frontend.source import function_source

_JOINING = (ast.Add, ast.Mult)


def joined_parameters(func: ast.FunctionDef, resolver, _seen: Optional[Dict[str, Set[str]]] = None,
                      _key: str = "") -> Set[str]:
    """The parameters of ``func`` whose value may be an operand of ``+``/``*`` (see the module docstring)."""
    seen = {} if _seen is None else _seen
    key = _key or func.name
    if key in seen:  # recursion (each load of a helper parses it anew): what is known so far
        return seen[key]
    seen[key] = set()
    params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    holders = _holders_of_parameters(func, params)
    joined: Set[str] = set()
    for node in ast.walk(func):
        if isinstance(node, ast.BinOp) and isinstance(node.op, _JOINING):
            operands = [node.left, node.right]
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, _JOINING):
            operands = [node.target, node.value]
        elif isinstance(node, ast.Call):
            operands = _passed_to_joining_parameters(node, resolver, seen)
        else:
            continue
        for operand in operands:
            name = _root_name(operand)
            if name in holders:
                joined |= holders[name]
    seen[key] = joined
    return joined


def _passed_to_joining_parameters(call: ast.Call, resolver, seen) -> list:
    """The arguments of a helper call that land on parameters the helper joins or repeats."""
    operation = operation_of(call, resolver)
    if operation is None or operation.kind != "helper":
        return []
    try:
        helper = operation.helper()
    except Exception:  # a helper sct cannot read is refused where it is differentiated
        return []
    inner = joined_parameters(helper.node, helper.resolver, seen, operation.qualname)
    names = [a.arg for a in helper.node.args.posonlyargs + helper.node.args.args]
    passed = [arg for name, arg in zip(names, call.args) if name in inner]
    return passed + [k.value for k in call.keywords if k.arg in inner]


def _holders_of_parameters(func: ast.FunctionDef, params: Set[str]) -> Dict[str, Set[str]]:
    """Name -> the parameters whose value it may hold through plain copies (``ys = xs``) and slices."""
    holders: Dict[str, Set[str]] = {p: {p} for p in params}
    copies = [(node.targets[0].id, _root_name(node.value)) for node in ast.walk(func)
              if isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name) and _root_name(node.value)]
    changed = True
    while changed:
        changed = False
        for target, source in copies:
            gained = holders.get(source, set()) - holders.get(target, set())
            if gained:
                holders.setdefault(target, set()).update(gained)
                changed = True
    return holders


def _root_name(node: ast.expr) -> Optional[str]:
    """``xs`` for ``xs`` and for a slice of it (``xs[1:]``, ``xs[::2]``); None otherwise."""
    while isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def joined_parameters_of(func) -> Set[str]:
    """:func:`joined_parameters` of a live function (sct's own derivatives included)."""
    source = function_source(func)
    return joined_parameters(source.node, source.resolver)


def refuse_joined_sequence(value, name: str, joined: Set[str]) -> None:
    """Raise when a list or tuple ``value`` is given for a parameter that ``+``/``*`` join or repeat."""
    if name in joined:
        kind = type(value).__name__
        raise TypeError(f"argument '{name}' is a {kind}, and the function adds or multiplies '{name}' (or "
                        f"a copy or slice of it): Python joins or repeats a {kind} there, which sct would "
                        f"differentiate as arithmetic. Pass np.asarray({name}) if arithmetic is "
                        "meant, or join with np.concatenate inside the function")
