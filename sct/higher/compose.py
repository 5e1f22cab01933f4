"""Derivatives of derivatives: an sct-derived function as the input of sct again (nested AD).

``sct.grad(sct.grad(f))``, ``sct.forward(sct.reverse(f))`` and a derivative called inside a function that
is differentiated again (``dfdy = sct.grad(f, wrt="y")`` at module level, ``sct.grad(g)`` of a ``g`` that
calls ``dfdy``) all come down to one step: the derived object is replaced by a small live function with
source (:func:`stand_in`, called through
:func:`sct.frontend.source.stand_in`), whose body calls the first-order code compiled as a :class:`Stage` of
:mod:`sct.higher.stages`, the same stages that ``hvp`` and ``hessian`` transform again. To the next
transformation that function is an ordinary helper, and the first-order code it calls is a helper with
source (each compiled stage function carries its prepared source as ``__sct_source__``).

For ``sct.reverse(f)`` the stand-in is ``def diff_f(x, y, seed=1.0): return <stage>(x, y, seed)``; for
``sct.forward(f)`` it takes the tangents after the arguments; for ``sct.grad(f)`` it returns the gradient
part only. A derived object keeps its contract: the stand-in returns what calling it returns.
"""
from __future__ import annotations

import ast
from typing import Callable

from ..emit.render import run_source
from ..errors import SCTError
from ..frontend.namespace import emitted_namespace
from .stages import Stage, stage_from

_COUNTER = [0]


def stand_in(derivative, gradient_only: bool = False) -> Callable:
    """The stand-in of the reverse- or forward-mode ``derivative`` (an :class:`sct.api.Derivative`), or of
    ``sct.grad`` of it when ``gradient_only``: made again when the derivative was emitted again."""
    derivative.refresh()
    key = (id(derivative.transformed), gradient_only)
    made = getattr(derivative, "_stand_ins", {})
    if key not in made:
        made = {k: v for k, v in made.items() if k[0] == key[0]}
        made[key] = _make(derivative, first_stage_of(derivative), gradient_only)
        derivative._stand_ins = made
    return made[key]


def first_stage_of(derivative) -> Stage:
    """The derivative's emitted code compiled as a stage that can be transformed again."""
    label = f"{derivative.mode} derivative of {derivative.original.__qualname__}"
    return stage_from(derivative.transformed, emitted_namespace(derivative.original), label)


def _make(derivative, stage: Stage, gradient_only: bool) -> Callable:
    node = stage.sources[stage.name].node
    if node.args.vararg or node.args.kwarg or node.args.posonlyargs:
        raise SCTError(f"cannot differentiate {derivative!r} again: its function takes *args, **kwargs or "
                       "positional-only parameters")
    positional = [a.arg for a in node.args.args]
    keywords = [a.arg for a in node.args.kwonlyargs]
    function = stage.function
    defaults = dict(zip(positional[len(positional) - len(function.__defaults__ or ()):],
                        function.__defaults__ or ()))
    defaults.update(function.__kwdefaults__ or {})
    if gradient_only:  # the seed (the last positional parameter) is 1.0
        positional, seed = positional[:-1], positional[-1]
        defaults.pop(seed, None)
    _COUNTER[0] += 1
    prefix = "grad" if gradient_only else derivative.mode
    name = f"{prefix}_{derivative.original.__name__}"
    while name in stage.namespace and dict.__contains__(stage.namespace, name):
        name += "_"
    args = [_param(p, defaults) for p in positional]
    if keywords:
        args += ["*"] + [_param(k, defaults) for k in keywords]
    passed = positional + (["1.0"] if gradient_only else []) + [f"{k}={k}" for k in keywords]
    call = f"{stage.name}({', '.join(passed)})"
    if derivative.mode == "forward":
        body = [f"return {call}"]
    else:
        grads = "grads" if derivative.single else "(grads,)" if len(derivative.wrt) == 1 else "grads"
        body = [f"value, grads = {call}", f"return {grads}" if gradient_only else f"return value, {grads}"]
    text = f"def {name}({', '.join(args)}):\n" + "".join(f"    {line}\n" for line in body)
    filename = f"<sct stand-in #{_COUNTER[0]} for {derivative!r}>"
    run_source(text, filename, stage.namespace)
    made = stage.namespace[name]
    made.__defaults__ = tuple(defaults[p] for p in positional if p in defaults) or None
    made.__kwdefaults__ = {k: defaults[k] for k in keywords if k in defaults} or None
    made.__doc__ = derivative.__doc__
    made.__sct_remake__ = lambda: stand_in(derivative, gradient_only)  # a new one once it is emitted again
    return made


def _param(name: str, defaults: dict) -> str:
    """A parameter of the stand-in: its default a literal where it is one (the live value replaces it)."""
    if name not in defaults:
        return name
    value = defaults[name]
    try:
        text = repr(value)
        literal = ast.literal_eval(text) == value
    except (ValueError, SyntaxError, TypeError):
        literal = False
    return f"{name}={text}" if literal else f"{name}=None"
