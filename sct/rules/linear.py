"""Runtime helpers of emitted code declared linear in some parameters (:func:`linear`): their tangent is the
helper applied to those parameters' tangents, and their batched tangent, transpose and batched spelling in
reverse-mode code follow from the declaration."""
from __future__ import annotations

import ast
import inspect
from typing import Callable, Optional, Sequence

from .core import HELPERS, LIST_VALUED, RUNTIME, SAFE, DeclarationError, Helper, Template, _rule, helper


def linear(function: Callable, *params: str, batched: Optional[str] = None, returns_list: bool = False,
           module: str = RUNTIME, transpose: Optional[str] = None) -> None:
    """Declare the runtime helper ``function`` linear in ``params`` (jointly): its tangent is the helper
    applied to their tangents, the other arguments as they are. ``batched``: ``SAFE`` when that call works
    on batches as it is, or the name of the helper's batched form (which takes the same arguments), used
    for its batched tangent and in batched reverse-mode code. ``transpose``: the helper that is its adjoint
    in its one linear parameter, taking the same other arguments (``gather`` and ``gather_adjoint``)."""
    name = function.__name__
    signature = inspect.signature(function)
    missing = [p for p in params if p not in signature.parameters]
    if missing or not params:
        raise DeclarationError(f"{name} has no parameter {', '.join(missing) or '(none given)'}")
    qualname = module + name
    rule = _rule(qualname)
    rule.tangent = _linear_template(name, signature, params)
    rule.signature = signature
    rule.outputs = rule.tangent.outputs
    if transpose is not None:
        if len(params) != 1:
            raise DeclarationError(f"{name}: a transpose is declared for one linear parameter")
        rule.adjoint = _linear_template(transpose, signature, params, adjoint=True)
    if returns_list:
        LIST_VALUED.add(qualname)
    if batched == SAFE:
        rule.batch = SAFE
        helper(name)
    elif batched is not None:
        rule.batched_tangent = _linear_template(batched, signature, params)
        HELPERS.setdefault(name, Helper()).batched = batched


def _linear_template(name: str, signature: inspect.Signature, params: Sequence[str],
                     adjoint: bool = False) -> Template:
    """``z_dot = name(p_dot, other, key=key)``: the linear parameters by their tangents; with ``adjoint``,
    ``p_bar = name(z_bar, other, key=key)``: the one linear parameter's adjoint by the transpose ``name``."""
    output = next(n for n in ("z", "out", "result") if n not in signature.parameters)
    args, keywords = [], []
    for param in signature.parameters.values():
        linear = param.name in params
        read = (output + "_bar" if adjoint else param.name + "_dot") if linear else param.name
        value = ast.Name(id=read, ctx=ast.Load())
        if param.default is inspect.Parameter.empty:
            args.append(value)
        else:
            keywords.append(ast.keyword(arg=param.name, value=value))
    call = ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=keywords)
    target = params[0] + "_bar" if adjoint else output + "_dot"
    body = [ast.Assign(targets=[ast.Name(id=target, ctx=ast.Store())], value=call, lineno=0)]
    return Template([output], signature, body, name)
