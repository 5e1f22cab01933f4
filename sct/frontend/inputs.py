"""What a derivative does to its inputs before it runs: the same in the API and in an emitted module.

Differentiated inputs are read as floats (:func:`sct.runtime.float_input`: integers cast, complex numbers
and dicts refused), and an input the emitted code writes into — a tangent or seed updated in place, an
argument the function itself assigns by index — is copied first (:func:`sct.runtime.owned_input`), so
nothing the caller passed is changed by the derivative.
"""
from __future__ import annotations

import ast
from typing import List, Mapping, Optional, Sequence, Set

from ..ir.astutil import clone, walk
from .namespace import unmark

_VIEWS = {"T", "real", "imag", "flat", "reshape", "ravel", "view", "transpose", "swapaxes", "squeeze",
          "diagonal"}
_HOLDING = {"append", "extend", "insert"}  # list methods after which the list holds their argument
_LIST_ONLY = _HOLDING | {"pop", "remove", "clear"}  # they change a list, not the arrays it holds


def _base(node: ast.expr):
    """The variable an expression may share memory with (``a``, ``a[i]``, ``a.T``, ``a.reshape(..)``)."""
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Attribute) and node.attr in _VIEWS:
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _VIEWS:
            node = node.func.value
        else:
            return None


def written_inputs(func: ast.FunctionDef, emitted: Sequence[ast.FunctionDef] = (),
                   _busy: Optional[Set[str]] = None) -> Set[str]:
    """Parameters of ``func`` whose value its body may write into: by index, by an augmented assignment,
    by an in-place call, directly or through a name (or view) bound to them, or by passing them to one of
    the ``emitted`` functions that writes into that parameter."""
    callees = {f.name: f for f in emitted}
    busy = (_busy or set()) | {func.name}
    params = [a.arg for a in func.args.args + func.args.kwonlyargs]
    owner = {name: name for name in params}
    for _ in range(len(params) + 8):  # aliases of aliases, in any order (loops): to a fixed point
        before = dict(owner)
        for node in walk(func):
            if isinstance(node, ast.Assign):
                source = _base(node.value)
                for target in node.targets:
                    if isinstance(target, ast.Name) and source in owner:
                        owner.setdefault(target.id, owner[source])
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in _HOLDING and isinstance(node.func.value, ast.Name):
                held = [_base(a) for a in node.args if _base(a) in owner]  # a list holding the input: a view
                if held:
                    owner.setdefault(node.func.value.id, owner[held[0]])
            elif (isinstance(node, ast.For) and isinstance(node.target, ast.Name)
                  and _base(node.iter) in owner):
                owner.setdefault(node.target.id, owner[_base(node.iter)])
        if owner == before:
            break
    stored = {n.id for n in walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    local = set(params) | stored
    written = set()
    for node in walk(func):
        targets: List[ast.expr] = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            targets = [t for t in targets if not isinstance(t, ast.Name) or isinstance(node, ast.AugAssign)]
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            targets = _written_by_call(node.value, local)
        if isinstance(node, ast.Call):
            targets = targets + [k.value for k in node.keywords if k.arg == "out"]
            callee = callees.get(node.func.id) if isinstance(node.func, ast.Name) else None
            if callee is not None and callee.name not in busy:
                targets = targets + _arguments_written(node, callee, emitted, busy)
        for target in targets:
            for element in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]):
                base = _base(element)
                if base in owner:
                    written.add(owner[base])
    return written


def _written_by_call(call: ast.Call, local: Set[str]) -> List[ast.expr]:
    """What a call made as a statement may write into: its first argument (``np.copyto(a, v)``,
    ``rng.shuffle(x)``) and the object of a method (``x.sort()``), but nothing for a list's own methods,
    which change the list, not the arrays it holds (``parts.append(x)``)."""
    method = isinstance(call.func, ast.Attribute)
    if method and call.func.attr in _LIST_ONLY and _base(call.func.value) in local:
        return []
    return list(call.args[:1]) + ([call.func.value] if method else [])


def _arguments_written(call: ast.Call, callee: ast.FunctionDef, emitted, busy: Set[str]) -> List[ast.expr]:
    """The arguments of ``call`` that ``callee`` writes into."""
    written = written_inputs(callee, emitted, busy)
    names = [a.arg for a in callee.args.args]
    found = [arg for name, arg in zip(names, call.args) if name in written]
    return found + [k.value for k in call.keywords if k.arg in written]


def with_prologue(func: ast.FunctionDef, wrt: Sequence[str], emitted: Sequence[ast.FunctionDef] = (),
                  no_sequences: Optional[Mapping[str, str]] = None) -> ast.FunctionDef:
    """A copy of the emitted derivative ``func`` that first prepares its inputs as the API does; ``emitted``
    are the functions emitted beside it, which ``func`` may pass its inputs to; ``no_sequences``: the
    inputs a list or tuple may not be given for, each with why."""
    func = clone(func)
    func.body = prologue(func, wrt, emitted, no_sequences) + func.body
    return func


def prologue(func: ast.FunctionDef, wrt: Sequence[str], emitted: Sequence[ast.FunctionDef] = (),
             no_sequences: Optional[Mapping[str, str]] = None) -> List[ast.stmt]:
    """Statements that prepare the inputs of an emitted derivative ``func`` as the API does (calls to the
    runtime helpers ``array_input``, ``float_input`` and ``owned_input``)."""
    written = written_inputs(func, emitted)
    params = [a.arg for a in func.args.args + func.args.kwonlyargs]
    out: List[ast.stmt] = []
    for name in params:
        value: ast.expr = ast.Name(id=name, ctx=ast.Load())
        why = (no_sequences or {}).get(unmark(name)) if name in wrt else None  # the API's checks
        if why is not None:
            args = [value, ast.Constant(value=unmark(name)), ast.Constant(value=why)]
            value = ast.Call(func=ast.Name(id="array_input", ctx=ast.Load()), args=args, keywords=[])
        if name in wrt:
            value = ast.Call(func=ast.Name(id="float_input", ctx=ast.Load()),
                             args=[value, ast.Constant(value=unmark(name))], keywords=[])
        if name in written:
            value = ast.Call(func=ast.Name(id="owned_input", ctx=ast.Load()), args=[value], keywords=[])
        if not isinstance(value, ast.Name):
            out.append(ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=value, lineno=0))
    return out
