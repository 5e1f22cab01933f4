"""Parameters whose list or tuple value would change meaning as an array.

Derivatives treat ``xs + xs`` and ``xs * 2`` as arithmetic. When the caller passes a list for ``xs``,
Python joins or repeats it instead, so the derivative would be of another function. sct cannot see at
transform time what a caller passes; it finds the parameters that reach an operand of ``+``, ``*``,
``+=`` or ``*=`` (directly, through plain copies and slices, or through a helper's parameter), and a list
or tuple given for one of them is refused when the derivative is called (or at transform time, when the
caller's own code passes a list display or a list it builds).

Jacobians and Hessians take a list as one array. Writing an element of it (``xs[0] = v``) or calling its
methods (``xs.append(v)``) then means something else: an array broadcasts ``v`` into the row where a list
rebinds the element, and has no ``append``. :func:`written_parameters` finds those parameters, the same way.
The reverse sweep holds a list argument's adjoint as one array too: :func:`element_written_parameters`.
"""
from __future__ import annotations

import ast
from typing import Callable, Dict, Optional, Set

from ..frontend.calls import operation_of
from ..frontend.source import function_source

_JOINING = (ast.Add, ast.Mult)


def joined_parameters(func: ast.FunctionDef, resolver, _seen: Optional[Dict[str, Set[str]]] = None,
                      _key: str = "") -> Set[str]:
    """The parameters of ``func`` whose value may be an operand of ``+``/``*`` (see the module docstring)."""
    return _parameters_reaching(func, resolver, _joined_operands, {} if _seen is None else _seen, _key)


def written_parameters(func: ast.FunctionDef, resolver) -> Set[str]:
    """The parameters of ``func`` whose value may have an element written (``xs[0] = v``, ``xs[0] += v``,
    ``del xs[0]``) or a method called (``xs.append(v)``), directly, through plain copies and slices, or
    through a helper's parameter (see the module docstring)."""
    return _parameters_reaching(func, resolver, _written_operands, {}, "")


def _joined_operands(node: ast.AST) -> list:
    """The operands ``node`` joins or repeats when they are lists."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, _JOINING):
        return [node.left, node.right]
    if isinstance(node, ast.AugAssign) and isinstance(node.op, _JOINING):
        return [node.target, node.value]
    return []


def element_written_parameters(func: ast.FunctionDef, resolver) -> Set[str]:
    """The parameters of ``func`` whose value may have an element written (as :func:`written_parameters`,
    method calls aside)."""
    return _parameters_reaching(func, resolver, _element_write_operands, {}, "")


def _element_write_operands(node: ast.AST) -> list:
    """The containers ``node`` writes an element of."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return [node.value]
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript):
        return [node.target.value]
    return []


def _written_operands(node: ast.AST) -> list:
    """The containers ``node`` writes an element of, or calls a method of."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return [node.func.value]
    return _element_write_operands(node)


def _parameters_reaching(func: ast.FunctionDef, resolver, operands_of: Callable[[ast.AST], list],
                         seen: Dict[str, Set[str]], key: str) -> Set[str]:
    """The parameters of ``func`` that may reach one of the ``operands_of`` a node (or, through a helper
    call, a parameter of the helper that does)."""
    key = key or func.name
    if key in seen:  # recursion (each load of a helper parses it anew): what is known so far
        return seen[key]
    seen[key] = set()
    params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    holders = _holders_of_parameters(func, params)
    reaching: Set[str] = set()
    for node in ast.walk(func):
        operands = list(operands_of(node))
        if isinstance(node, ast.Call):
            operands += _passed_to_reaching_parameters(node, resolver, operands_of, seen)
        for operand in operands:
            name = _root_name(operand)
            if name in holders:
                reaching |= holders[name]
    seen[key] = reaching
    return reaching


def _passed_to_reaching_parameters(call: ast.Call, resolver, operands_of, seen) -> list:
    """The arguments of a helper call that land on parameters reaching the helper's ``operands_of``."""
    operation = operation_of(call, resolver)
    if operation is None or operation.kind != "helper":
        return []
    try:
        helper = operation.helper()
    except Exception:  # a helper sct cannot read is refused where it is differentiated
        return []
    inner = _parameters_reaching(helper.node, helper.resolver, operands_of, seen, operation.qualname)
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


def written_parameters_of(func) -> Set[str]:
    """:func:`written_parameters` of a live function."""
    source = function_source(func)
    return written_parameters(source.node, source.resolver)


def refuse_written_sequence(value, name: str, written: Set[str], kind_of_derivative: str) -> None:
    """Raise when a list or tuple ``value``, which a Jacobian or Hessian takes as one array, is given for a
    parameter whose elements the function writes or whose methods it calls."""
    if name in written:
        kind = type(value).__name__
        raise TypeError(f"argument '{name}' is a {kind}, and the function writes an element of '{name}' or "
                        f"calls a method of it (or of a copy or slice of it): a {kind_of_derivative} takes "
                        f"the {kind} as one array, where that write or call means something else (an "
                        f"array broadcasts what is written into a whole row, and has no append). Pass "
                        f"np.asarray({name}) if array semantics are meant, or copy the items into a new "
                        f"list inside the function (ys = list({name})) and write into that")


def sequence_refusals(func: ast.FunctionDef, resolver, mode: str) -> Dict[str, str]:
    """Parameter -> why a list or tuple may not be given for it to the ``mode`` derivative of ``func``
    (for an emitted module, which checks its inputs with ``array_input``)."""
    why = {name: "the function joins or repeats it with + or *, which the derivative takes for arithmetic: "
           "pass an array" for name in joined_parameters(func, resolver)}
    if mode == "reverse":
        for name in element_written_parameters(func, resolver) - set(why):
            why[name] = ("the function writes its elements, and the reverse sweep keeps a list's adjoint as "
                         "one array: pass an array, or copy the items into a new list inside the function")
    return why


def refuse_element_written_sequence(value, name: str, written: Set[str]) -> None:
    """Raise when a list or tuple ``value`` is given to a reverse-mode derivative for a parameter whose
    elements the function writes: the reverse sweep keeps the adjoint of a list parameter as one array, so
    an element written with another shape (``xs[0] = np.array([xs[0], 0.0])``) would spread its adjoint
    over a whole row."""
    if name in written:
        kind = type(value).__name__
        raise TypeError(f"argument '{name}' is a {kind}, and the function writes an element of '{name}' (or "
                        f"of a copy or slice of it): the reverse sweep holds the adjoint of a {kind} "
                        f"argument as one array, which an element written with another shape would spread "
                        f"over a whole row. Copy the items into a new list inside the function "
                        f"(ys = list({name})) and write into that, or pass np.asarray({name}) if array "
                        "semantics are meant")


def refuse_joined_sequence(value, name: str, joined: Set[str]) -> None:
    """Raise when a list or tuple ``value`` is given for a parameter that ``+``/``*`` join or repeat."""
    if name in joined:
        kind = type(value).__name__
        raise TypeError(f"argument '{name}' is a {kind}, and the function adds or multiplies '{name}' (or "
                        f"a copy or slice of it): Python joins or repeats a {kind} there, which sct would "
                        f"differentiate as arithmetic. Pass np.asarray({name}) if arithmetic is "
                        "meant, or join with np.concatenate inside the function")
