"""The pipeline: the passes that turn a function's AST into its derivative's, in order, in one place.

:func:`derive` is the list of passes for one function; each pass is a plain function of the AST (or of
what an earlier pass found), testable alone. :func:`transform` derives a function and, through the
``derive`` callback it hands to the :class:`~sct.modes.program.ModuleBuilder`, the helpers it calls, into one
:class:`~sct.modes.program.Transformed`. Higher derivatives enter it again with emitted code as the input
(:mod:`sct.higher.stages`).

With ``stages``, a callable, each pass reports what it made: ``stages(function, pass_name, text)`` with the
function's source after the pass, the names an analysis found, or ``ok`` for a check that passed
(``sct.reverse(f, verbose=2)`` and ``sct transform FILE --stages`` print them).
"""
from __future__ import annotations

import ast
import sys
from typing import Callable, List, Optional, Set, Tuple

from .analysis.activity import expression_varied, sequence_names, useful_variables, varied_variables
from .analysis.aliasing import check_index_writes
from .analysis.complex_values import check_real_values
from .analysis.constant_calls import check_constant_calls
from .analysis.containers import tape_items
from .analysis.idioms import logsumexp_shifts
from .analysis.recursion import check_recursion
from .analysis.written_dtype import check_integer_writes, written_kinds
from .emit.render import function_source
from .errors import SCTError
from .frontend.callees import check_callees
from .frontend.checkpoint_marker import Checkpointing, take_markers
from .frontend.comprehensions import expand_comprehensions
from .frontend.default_calls import inline_default_callables
from .frontend.desugar import desugar, drop_annotations
from .frontend.element_reads import guard_element_reads
from .frontend.emitted_tapes import check_tape_reversal
from .frontend.lambdas import inline_local_lambdas
from .frontend.loops import freeze_loop_headers
from .frontend.names import Namer, names_in
from .frontend.normalize import normalize
from .frontend.sequence_arrays import sequence_arrays
from .frontend.source import FunctionSource, numpy_name
from .frontend.supported import check_supported
from .ir import annotations as anno
from .ir.astutil import fill_locations, statements
from .modes.batch_forward import VectorForwardTransformer, VectorProgram
from .modes.batch_reverse import VectorReverseTransformer
from .modes.checkpoint import checkpoint_loops
from .modes.checkpoint_halves import loop_halves
from .modes.forward import ForwardTransformer
from .modes.halves import call_halves
from .modes.program import ModuleBuilder, Program, Transformed
from .modes.reverse import ReverseTransformer
from .optimize.dead_code import optimize
from .runtime.names import RUNTIME_NAMES

MODES = ("forward", "reverse")
Stages = Callable[[str, str, str], None]


def derive(source: FunctionSource, wrt: Tuple[str, ...], mode: str, module: ModuleBuilder, name: str,
           helper: bool = False) -> List[ast.FunctionDef]:
    """The ``mode`` derivative of one function, as the FunctionDef ``name`` (in vector mode when
    ``module.batch``); a reverse-mode ``helper`` is made as two halves, ``[<name>_forward, <name>_backward]``.
    """
    if "checkpointed_loop" in source.extra:  # a loop reversed in bounded memory: its own two halves
        return loop_halves(source, wrt, module, name)
    check_wrt(source, wrt)
    context, resolver = source.context, source.resolver
    show = _shower(module.stages, source.name)
    namer = Namer(names_in(source.node) | module.reserved)
    # (run-time spellings of emitted code are read as plain values when its FunctionSource is made)
    func, marks = take_markers(inline_local_lambdas(drop_annotations(source.node)), resolver, context)
    func = inline_default_callables(func, resolver)  # `act(x)` for `act=np.tanh`: np.tanh(x)
    if not source.extra.get("emitted"):
        check_callees(func, resolver, context)
    func = show("comprehensions", expand_comprehensions(func, context, namer, resolver))
    func = show("desugar", desugar(func, context, namer, resolver))
    marks = {**source.extra.get("checkpoint_marks", {}), **marks}
    func, outlined = checkpoint_loops(func, source, wrt, module, marks, mode, helper)
    if outlined is not source:  # shown only when a loop was checkpointed
        func, source = show("checkpoint_loops", func), outlined
    resolver = source.resolver
    func = show("freeze_loop_headers", freeze_loop_headers(func, resolver, namer))
    if not source.extra.get("emitted"):  # sct's own output was checked as the user's code
        func = guard_element_reads(func, resolver, context)  # part of the check: reads it lets through
        show("check_index_writes", check_index_writes(func, resolver, context))
    varied = show("varied_variables", varied_variables(func, wrt, resolver))
    func = show("normalize", normalize(func, resolver, varied, namer, context, reverse=mode == "reverse"))
    sequences = show("sequence_names", sequence_names(func, source.extra.get("containers", ())))
    func = show("sequence_arrays", sequence_arrays(func, sequences, resolver, namer))
    shifts = show("logsumexp_shifts", logsumexp_shifts(func, resolver))
    varied = show("varied_variables", varied_variables(func, wrt, resolver, shifts))
    show("check_constant_calls", check_constant_calls(func, varied, resolver, context))
    show("check_real_values", check_real_values(func, varied, resolver, context))
    if mode == "reverse" and source.extra.get("emitted"):
        show("check_tape_reversal", check_tape_reversal(func, varied, context, source.name))
    shared = tape_items(func) if source.extra.get("emitted") else set()
    active = show("useful_variables", varied & useful_variables(func, varied, shared))
    written = show("written_kinds", written_kinds(func, set(wrt), resolver,
                                                  lambda node: expression_varied(node, varied, resolver)))
    show("check_integer_writes", check_integer_writes(
        func, written, lambda node: isinstance(node, ast.Name) and node.id in active, context))
    program = (VectorProgram if module.batch else Program)(source, wrt, mode, module, namer, func,
                                                            sequences, varied, active, written)
    funcs = show(f"{'vector_' if module.batch else ''}{mode}_mode", differentiate(program, name, helper))
    funcs = show("optimize", [optimize(f, program) for f in funcs])
    divisors = frozenset(program.exact_zeros.overflowing_divisors())
    return [_finish(f, source, program.derivative_names, divisors) for f in funcs]


def check_wrt(source: FunctionSource, wrt: Tuple[str, ...]) -> None:
    """Every name in ``wrt`` is a parameter of the function."""
    params = [a.arg for a in source.node.args.args + source.node.args.kwonlyargs]
    for name in wrt:
        if name not in params:
            raise SCTError(f"'{name}' is not a parameter of {source.name}({', '.join(params)})",
                           source.context.filename, source.node.lineno + source.context.line_offset,
                           hint="choose wrt among the function's parameters")


def differentiate(program: Program, name: str, helper: bool = False) -> List[ast.FunctionDef]:
    """The mode's transformation of the prepared ``program`` (see :func:`derive` for ``helper``)."""
    batch = program.module.batch
    if program.mode == "forward":
        transformer = VectorForwardTransformer(program, not helper) if batch else ForwardTransformer(program)
        return [transformer.function(name)]
    transformer = (VectorReverseTransformer if batch else ReverseTransformer)(program)
    return transformer.split_function(name) if helper else [transformer.function(name)]


def _finish(func: ast.FunctionDef, source: FunctionSource, derivative_names: Set[str],
            divisors: frozenset = frozenset()) -> ast.FunctionDef:
    """Record where ``func`` comes from: the function it derives from (its defaults, its namespace), the
    derivative names made in it, its divisors that may overflow (``divisors``, for the next derivative of
    a backward half), and on each derivative statement the line of the user's file it came from (for
    ``# line N``)."""
    anno.mark(func, "source", source)
    anno.mark(func, "derivative_names", frozenset(derivative_names))
    if divisors:
        anno.mark(func, "overflowing_divisors", divisors)
    for node in statements(func.body):
        lineno = getattr(node, "lineno", 0)
        if isinstance(node, ast.stmt) and anno.get(node, "derivative", False) and lineno:
            anno.mark(node, "origin", lineno + source.context.line_offset)
    return fill_locations(func)


def _shower(stages: Optional[Stages], function: str) -> Callable:
    """``show(pass_name, value) -> value``, reporting ``value`` to ``stages`` when there is one."""
    def show(name: str, value):
        if stages is not None:
            stages(function, name, describe(value))
        return value
    return show


def describe(value) -> str:
    """What a pass made, as text: source for functions, sorted names for sets, ``ok`` for a check."""
    if value is None:
        return "ok"
    if isinstance(value, ast.AST):
        return function_source(value).rstrip()
    if isinstance(value, list):
        return "\n\n".join(describe(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {value[key]}" for key in sorted(value)) or "(none)"
    return ", ".join(sorted(value)) or "(none)"


def print_stage(function: str, name: str, text: str) -> None:
    """Write what one pass made to stderr (``verbose=2`` in the API, ``sct transform --stages``)."""
    print(f"# --- {function}: {name} ---\n{text}\n", file=sys.stderr)


def numpy_alias_for(source: FunctionSource) -> str:
    """The name the emitted code calls numpy by (see :func:`sct.frontend.source.numpy_name`)."""
    return numpy_name(source.resolver, source.node)


def shared_module(source: FunctionSource, batch: bool = False, stages: Optional[Stages] = None,
                  checkpoints: Optional[Checkpointing] = None) -> ModuleBuilder:
    """An empty module to pass to several :func:`transform` calls on functions of one file
    (``checkpoints``: reverse every outermost loop of the functions transformed that way)."""
    alias = numpy_alias_for(source)
    module = ModuleBuilder(alias, set(RUNTIME_NAMES) | {alias}, derive, batch, stages)
    module.checkpoints = checkpoints
    return module


def transform(source: FunctionSource, wrt: Optional[Tuple[str, ...]] = None, mode: str = "forward",
              name: Optional[str] = None, module: Optional[ModuleBuilder] = None, batch: bool = False,
              stages: Optional[Stages] = None, checkpoints: Optional[Checkpointing] = None) -> Transformed:
    """Differentiate ``source`` in ``mode`` with respect to ``wrt`` (default: the first parameter).

    With a ``module`` from :func:`shared_module`, several functions of one file share one set of emitted
    functions: transform callees first; in forward mode a caller reuses the derivative already made for its
    callee (reverse-mode helpers have their own calling convention, so they are made apart). ``batch``:
    vector mode (see :func:`vector_transform`); ``stages``: see the module docstring; ``checkpoints``:
    reverse each outermost loop in bounded memory (:mod:`sct.modes.checkpoint`).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be 'forward' or 'reverse', not {mode!r}")
    params = [a.arg for a in source.node.args.args + source.node.args.kwonlyargs]
    # first: `def f(*args)` has no parameters, and says why
    check_supported(inline_local_lambdas(source.node), source.context)
    if not params:
        raise source.context.error(source.node, f"'{source.name}' has no parameters to differentiate",
                                   hint="give the function at least one input")
    wrt = tuple(wrt) if wrt else (params[0],)
    shared = module is not None
    module = module or shared_module(source, batch, stages, checkpoints)
    name = name or f"diff_{source.name}"
    module.claim(source)
    key = (source.name, wrt, mode)
    reuse = shared and mode == "forward"
    if reuse and module.done.get(key, ("",))[0] == name:
        main = next(f for f in module.functions if f.name == name)
    else:
        if shared and any(f.name == name for f in module.functions):
            raise ValueError(f"{name} is already emitted for another wrt: transform callees before callers")
        module.reserved.add(name)
        main = _derive_main(source, wrt, mode, module, name)
        if reuse:
            names = [a.arg for a in main.args.args + main.args.kwonlyargs]
            module.done[key] = (name, names[len(names) - len(wrt):])
        elif shared:  # a caller needing this derivative as a helper splits it (ModuleBuilder.mains)
            module.mains[key] = main
        if shared:
            module.functions.append(main)
    helpers = [f for f in module.functions if f is not main]
    return Transformed(name, mode, wrt, helpers + [main], module.numpy_alias, source, module.notes)


def _derive_main(source: FunctionSource, wrt: Tuple[str, ...], mode: str, module: ModuleBuilder,
                 name: str) -> ast.FunctionDef:
    """The derivative ``name`` of the function itself. A recursive call in forward mode calls it; in
    reverse mode it calls the helper halves made for the recursive calls, which the whole one then runs
    too, rather than emitting the same sweeps twice."""
    key = (source.name, wrt, mode)
    before = module.done.get(key)
    if mode == "forward":
        module.in_progress[key] = None
    else:
        module.whole[key] = name  # the halves of a recursive call are <name>_forward and <name>_backward
    try:
        main = derive(source, wrt, mode, module, name)[0]
    finally:
        module.in_progress.pop(key, None)
        module.whole.pop(key, None)
    if module.cycles and not source.extra.get("emitted"):  # sct's own output was checked as the user's code
        cycles: dict = {}
        for cycle, names in module.cycles.items():
            cycles.setdefault(cycle[0], set()).update(names)
        _shower(module.stages, source.name)("check_recursion", check_recursion(source, wrt, cycles))
    made = module.done.get(key)
    if mode == "reverse" and made is not None and made != before:
        call_halves(main, f"{made[0]}_forward", f"{made[0]}_backward", module.batch)
    return main


def vector_transform(source: FunctionSource, wrt: Optional[Tuple[str, ...]] = None, mode: str = "forward",
                     stages: Optional[Stages] = None) -> Transformed:
    """:func:`transform` in vector mode: each tangent (adjoint) carries a batch of directions (seeds) as a
    leading axis; ``.notes`` lists what runs one direction at a time."""
    return transform(source, wrt, mode, batch=True, stages=stages)
