"""The pipeline: source -> desugar -> normalize -> activity -> forward/reverse -> optimize."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .optimize import optimize
from .program import ModuleBuilder, Program
from .source import FunctionSource

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
                       name: str) -> ast.FunctionDef:
    """Emit the ``mode`` derivative of one function as a FunctionDef named ``name``."""
    program = Program(source, wrt, mode, module)
    if mode == "forward":
        from .forward_mode import ForwardTransformer

        func = ForwardTransformer(program).function(name)
    else:
        from .reverse_mode import ReverseTransformer

        func = ReverseTransformer(program).function(name)
    func = optimize(func, program)
    ast.fix_missing_locations(func)
    return func


def numpy_alias_for(source: FunctionSource) -> str:
    alias = source.resolver.numpy_alias()
    if alias:
        return alias
    taken = source.resolver.binding("np")
    return "np" if taken is None or (taken.kind == "module" and taken.qualname == "numpy") else "_np"


def transform(source: FunctionSource, wrt: Optional[Tuple[str, ...]] = None, mode: str = "forward",
              name: Optional[str] = None) -> Transformed:
    """Differentiate ``source`` in ``mode`` with respect to ``wrt`` (default: the first parameter)."""
    if mode not in MODES:
        raise ValueError(f"mode must be 'forward' or 'reverse', not {mode!r}")
    params = [a.arg for a in source.node.args.args + source.node.args.kwonlyargs]
    if not params:
        raise source.context.error(source.node, f"'{source.name}' has no parameters to differentiate",
                                   hint="give the function at least one input")
    wrt = tuple(wrt) if wrt else (params[0],)
    alias = numpy_alias_for(source)
    from .runtime_names import RUNTIME_NAMES

    module = ModuleBuilder(alias, set(RUNTIME_NAMES) | {alias})
    name = name or f"diff_{source.name}"
    module.reserved.add(name)
    main = transform_function(source, wrt, mode, module, name)
    return Transformed(name, mode, wrt, module.functions + [main], alias, source)
