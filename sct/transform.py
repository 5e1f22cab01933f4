"""The pipeline: source -> desugar -> normalize -> activity -> forward/reverse -> optimize."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .astutil import fill_locations, statements
from .names import names_in
from .optimize import optimize
from .program import ModuleBuilder, Program
from .source import FunctionSource
from .splice import user_names

MODES = ("forward", "reverse")


@dataclass
class Transformed:
    """The emitted derivative of one function, with the helpers' derivatives it calls."""

    name: str
    mode: str
    wrt: Tuple[str, ...]
    functions: List[ast.FunctionDef]
    numpy_alias: str
    source: FunctionSource


def transform_function(source: FunctionSource, wrt: Tuple[str, ...], mode: str, module: ModuleBuilder,
                       name: str, split: bool = False):
    """Emit the ``mode`` derivative of one function as a FunctionDef named ``name``.

    With ``split`` (reverse mode, for helpers) return the list ``[<name>_forward, <name>_backward]``.
    """
    with user_names(names_in(source.node)):
        program = Program(source, wrt, mode, module)
        if mode == "forward":
            from .forward_mode import ForwardTransformer

            funcs = [ForwardTransformer(program).function(name)]
        else:
            from .reverse_mode import ReverseTransformer

            transformer = ReverseTransformer(program)
            funcs = transformer.split_function(name) if split else [transformer.function(name)]
    for func in funcs:
        func.sct_source = source  # which function it derives from (its defaults, its namespace)
        optimize(func, program)
        _mark_origins(func, source.context.line_offset)
        fill_locations(func)
    return funcs if split else funcs[0]


def _mark_origins(func: ast.FunctionDef, line_offset: int) -> None:
    """Record on each derivative statement the line of the user's file it came from (for ``# line N``)."""
    for node in statements(func.body):
        lineno = getattr(node, "lineno", 0)
        if isinstance(node, ast.stmt) and getattr(node, "sct_derivative", False) and lineno:
            node.sct_origin = lineno + line_offset


def numpy_alias_for(source: FunctionSource) -> str:
    alias = source.resolver.numpy_alias()
    if alias:
        return alias
    taken = source.resolver.binding("np")
    return "np" if taken is None or (taken.kind == "module" and taken.qualname == "numpy") else "_np"


def shared_module(source: FunctionSource) -> ModuleBuilder:
    """An empty module to pass to several :func:`transform` calls on functions of one file."""
    from .runtime_names import RUNTIME_NAMES

    alias = numpy_alias_for(source)
    return ModuleBuilder(alias, set(RUNTIME_NAMES) | {alias})


def transform(source: FunctionSource, wrt: Optional[Tuple[str, ...]] = None, mode: str = "forward",
              name: Optional[str] = None, module: Optional[ModuleBuilder] = None) -> Transformed:
    """Differentiate ``source`` in ``mode`` with respect to ``wrt`` (default: the first parameter).

    With a ``module`` from :func:`shared_module`, several functions of one file share one set of emitted
    functions: transform callees first; in forward mode a caller reuses the derivative already made for its
    callee (reverse-mode helpers have their own calling convention, so they are made apart).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be 'forward' or 'reverse', not {mode!r}")
    params = [a.arg for a in source.node.args.args + source.node.args.kwonlyargs]
    from .desugar import check_supported

    check_supported(source.node, source.context)  # first: `def f(*args)` has no parameters, and says why
    if not params:
        raise source.context.error(source.node, f"'{source.name}' has no parameters to differentiate",
                                   hint="give the function at least one input")
    wrt = tuple(wrt) if wrt else (params[0],)
    shared = module is not None
    module = module or shared_module(source)
    name = name or f"diff_{source.name}"
    key = (source.name, wrt, mode)
    reuse = shared and mode == "forward"
    if reuse and module.done.get(key, ("",))[0] == name:
        main = next(f for f in module.functions if f.name == name)
    else:
        if shared and any(f.name == name for f in module.functions):
            raise ValueError(f"{name} is already emitted for another wrt: transform callees before callers")
        module.reserved.add(name)
        main = transform_function(source, wrt, mode, module, name)
        if reuse:
            names = [a.arg for a in main.args.args + main.args.kwonlyargs]
            module.done[key] = (name, names[len(names) - len(wrt):])
        elif shared:  # a caller needing this derivative as a helper splits it (ModuleBuilder.mains)
            module.mains[key] = main
        if shared:
            module.functions.append(main)
    helpers = [f for f in module.functions if f is not main]
    return Transformed(name, mode, wrt, helpers + [main], module.numpy_alias, source)
