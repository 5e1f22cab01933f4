"""What ``sct transform`` writes: one standalone module of derivatives, made from a file's AST alone.

The input file is parsed, never imported or executed. Names are resolved from its import statements and
top-level definitions (:class:`sct.frontend.source.ModuleResolver`). The emitted module repeats the
imports, constants
and original functions that the derivatives read, so it is importable as written and never imports sct.
"""
from __future__ import annotations

import ast
import os
import tokenize
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..analysis.joined_parameters import sequence_refusals
from ..emit.render import final_names, module_source
from ..errors import SCTError
from ..frontend.checkpoint_marker import Checkpointing
from ..frontend.inputs import with_prologue
from ..frontend.namespace import unmark
from ..frontend.source import ModuleResolver, protected
from ..ir import annotations as anno
from ..ir.builders import attribute
from ..modes.program import Transformed
from ..pipeline import Stages, shared_module, transform
from ..runtime.names import RUNTIME_NAMES
from .module_effects import Effects, statement_effects
from .random_state import import_origins, random_states


class CLIError(Exception):
    """A problem with the command line's input, reported to the user without a traceback."""


@dataclass
class SourceFile:
    """A parsed input file."""

    path: Path
    text: str
    tree: ast.Module
    resolver: ModuleResolver

    def functions(self) -> list[str]:
        """Names of the file's top-level functions, in order."""
        return self.resolver.functions()

    def definition(self, name: str) -> ast.FunctionDef:
        """The top-level ``def`` of ``name`` (the last one, which Python keeps)."""
        return next(s for s in reversed(self.tree.body) if isinstance(s, ast.FunctionDef) and s.name == name)


def read_source(path: Path) -> SourceFile:
    """Read and parse ``path``; a missing file or a syntax error becomes a :class:`CLIError`."""
    if not path.is_file():
        raise CLIError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    try:
        with tokenize.open(path) as stream:  # the encoding Python uses: a BOM or a coding cookie (PEP 263)
            text = stream.read()
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        raise CLIError(f"{path}: cannot read it ({exc})") from None
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        raise CLIError(syntax_error_message(exc, path)) from None
    return SourceFile(path, text, tree, ModuleResolver(tree, str(path), text))


def syntax_error_message(exc: SyntaxError, path: Path) -> str:
    """``file:line:col: syntax error: ...`` with the offending line and a caret under the column."""
    where = f"{path}:{exc.lineno}:{exc.offset or 1}" if exc.lineno else str(path)
    message = f"{where}: syntax error: {exc.msg}"
    if exc.text:
        line = exc.text.rstrip("\n")
        stripped = line.lstrip()
        caret = max((exc.offset or 1) - 1 - (len(line) - len(stripped)), 0)
        message += f"\n    {stripped}\n    {' ' * caret}^"
    return message


def select_functions(source: SourceFile, requested: Sequence[str] | None,
                     wrt: Sequence[str] = ()) -> list[str]:
    """The functions to transform: those requested, else every public top-level function with parameters
    (with ``wrt``: those whose parameters include every name in it)."""
    available = source.functions()
    listing = ", ".join(available) or "(none)"
    if requested:
        unknown = [name for name in requested if name not in available]
        if unknown:
            raise CLIError(f"{source.path}: no function named {', '.join(repr(n) for n in unknown)}; "
                           f"the file defines: {listing}")
        return list(dict.fromkeys(requested))
    chosen = [name for name in available if not name.startswith("_") and _parameters(source.definition(name))
              and set(wrt) <= set(_parameters(source.definition(name)))]
    if not chosen:
        which = f"with parameters {', '.join(wrt)}" if wrt else "with parameters to differentiate"
        raise CLIError(f"{source.path}: no public top-level function {which}; "
                       f"the file defines: {listing} (choose with --function)")
    return chosen


def _parameters(func: ast.FunctionDef) -> list[str]:
    return [a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs]


def callees_first(source: SourceFile, names: list[str]) -> list[str]:
    """``names`` ordered so that a function comes after the other selected functions it calls."""
    calls = {name: {n.id for n in ast.walk(source.definition(name)) if isinstance(n, ast.Name)} & set(names)
             for name in names}
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered or name in path:
            return
        for callee in sorted(calls[name] - {name}, key=names.index):
            visit(callee, path + (name,))
        ordered.append(name)

    for name in names:
        visit(name, ())
    return ordered


@dataclass
class Emitted:
    """The emitted module's text and the derivatives it defines, by original function name."""

    text: str
    derivatives: dict[str, Transformed]


def emit_file(source: SourceFile, names: Sequence[str], mode: str, wrt: Sequence[str] | None = None,
              comments: bool = True, command: str = "", stages: Stages | None = None,
              checkpoints: Checkpointing | None = None) -> Emitted:
    """Differentiate the functions ``names`` of ``source`` into one standalone module's text (``stages``:
    called with what each pass makes, see :mod:`sct.pipeline`)."""
    for name in names:
        params = _parameters(source.definition(name))
        unknown = [w for w in wrt or () if w not in params]
        if unknown:
            raise CLIError(f"{source.path}: --wrt {','.join(unknown)}: not a parameter of "
                           f"{name}({', '.join(params)})")
    functions = [source.resolver.function(name) for name in callees_first(source, list(names))]
    module = shared_module(functions[0], stages=stages, checkpoints=checkpoints)
    marked = tuple(protected(w) for w in wrt) if wrt else None
    derivatives = {f.name: transform(f, marked, mode, module=module) for f in functions}
    last = derivatives[functions[-1].name]
    combined = Transformed(last.name, mode, last.wrt, list(module.functions), module.numpy_alias, last.source)
    mains = {d.name: d.wrt for d in derivatives.values()}
    refusals = {derivatives[f.name].name: sequence_refusals(f.node, f.resolver, mode) for f in functions}
    with_inputs = [with_prologue(f, mains[f.name], combined.functions, refusals.get(f.name))
                   if f.name in mains else f for f in combined.functions]
    taken = set().union(*(e.binds for e in _effects(source)))
    taken -= source.resolver.copied_helpers()  # copies of sct's helpers: the emitted code calls them
    named = final_names(with_inputs, taken)
    for func in named[0]:
        _defaults_of_original(func)
    imports, definitions = module_dependencies(source, named[0], set(named[1].values()))
    header = module_header(source, [derivatives[n] for n in names], named[0], command)
    text = module_source(combined, header, preamble=imports, comments=comments, definitions=definitions,
                         named=named)
    return Emitted(text, derivatives)


def _defaults_of_original(func: ast.FunctionDef) -> None:
    """Default values that are not literals are read from the original function (copied into the module),
    which evaluated them where the file defines it, as Python does, not again after the whole file."""
    origin = anno.get(func, "source")
    if origin is None:
        return
    args = origin.node.args
    positional = [unmark(a.arg) for a in args.args]
    index = {name: i for i, name in enumerate(positional[len(positional) - len(args.defaults):])}
    keyword = {unmark(a.arg) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}

    def original(field: str, key) -> ast.expr:
        holder = attribute(origin.name, field)
        return ast.Subscript(value=holder, slice=ast.Constant(value=key), ctx=ast.Load())

    own = func.args
    names = [a.arg for a in own.args][len(own.args) - len(own.defaults):]
    own.defaults = [original("__defaults__", index[name]) if name in index and not _literal(default)
                    else default for name, default in zip(names, own.defaults)]
    own.kw_defaults = [original("__kwdefaults__", a.arg) if a.arg in keyword and d is not None
                       and not _literal(d) else d for a, d in zip(own.kwonlyargs, own.kw_defaults)]


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def transform_file(path: Path, functions: Sequence[str] = (), mode: str = "forward", wrt: Sequence[str] = (),
                   comments: bool = True, output: Path | None = None,
                   stages: Stages | None = None, checkpoints: Checkpointing | None = None) -> Emitted:
    """Exactly what ``sct transform`` writes for these options (``output`` only enters the header).

    A test can regenerate a checked-in derivative with this and compare it with the file.
    """
    source = read_source(Path(path))
    names = select_functions(source, functions, wrt)
    command = regenerate_command(source, functions, mode, wrt, not comments, output and Path(output),
                                 checkpoints)
    return emit_file(source, names, mode, list(wrt) or None, comments, command, stages, checkpoints)


def regenerate_command(source: SourceFile, functions: Sequence[str], mode: str, wrt: Sequence[str],
                       no_comments: bool, output: Path | None,
                       checkpoints: Checkpointing | None = None) -> str:
    """The command that regenerates the module, with paths relative to the input's folder."""
    parts = ["sct transform", source.path.name]
    if functions:
        parts.append("--function " + ",".join(functions))
    parts.append(f"--mode {mode}")
    if wrt:
        parts.append("--wrt " + ",".join(wrt))
    if checkpoints is not None and checkpoints.snapshots is not None:
        parts.append(f"--checkpoints {checkpoints.snapshots}")
    elif checkpoints is not None:
        parts.append(f"--checkpoint-memory {checkpoints.memory}")
    if no_comments:
        parts.append("--no-comments")
    if output is not None:
        relative = os.path.relpath(output.resolve(), source.path.resolve().parent)
        parts.append("-o " + Path(relative).as_posix())
    return " ".join(parts) + f"  (in the folder of {source.path.name})"


def module_header(source: SourceFile, results: list[Transformed], functions: list[ast.FunctionDef],
                  command: str) -> str:
    """The emitted module's docstring: source file, mode, and each derivative's signature and wrt."""
    mode = results[0].mode
    lines = [f"{mode.capitalize()}-mode derivatives of {source.path.name}, emitted by sct. Do not edit.", ""]
    for result in results:
        main = next(f for f in functions if f.name == result.name)
        returns = ("(value, value_dot)" if mode == "forward"
                   else f"(value, {_bar_tuple(tuple(unmark(w) for w in result.wrt))})")
        lines.append(f"    {main.name}({_signature(main.args)}) -> {returns}")
        wrt = ", ".join(unmark(w) for w in result.wrt)
        lines.append(f"        derivative of {result.source.name} with respect to {wrt}")
    lines += ["", f"Source: {source.path.name}; mode: {mode}."]
    if command:
        lines.append(f"Regenerate with: {command}")
    return "\n".join(lines) + "\n"


def _signature(args: ast.arguments) -> str:
    bare = ast.arguments(posonlyargs=[ast.arg(arg=a.arg) for a in args.posonlyargs],
                         args=[ast.arg(arg=a.arg) for a in args.args], defaults=args.defaults,
                         vararg=args.vararg and ast.arg(arg=args.vararg.arg),
                         kwonlyargs=[ast.arg(arg=a.arg) for a in args.kwonlyargs],
                         kw_defaults=args.kw_defaults,
                         kwarg=args.kwarg and ast.arg(arg=args.kwarg.arg))
    return ast.unparse(bare)


def _bar_tuple(wrt: tuple[str, ...]) -> str:
    bars = [f"{name}_bar" for name in wrt]
    return bars[0] if len(bars) == 1 else "(" + ", ".join(bars) + ")"


def free_names(node: ast.AST) -> set[str]:
    """Names ``node`` reads from the module's globals (over-approximated for nested scopes)."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return _loads(node)
    loads = _loads(node.args) | set().union(*(_loads(s) for s in node.body))
    if node.returns is not None:
        loads |= _loads(node.returns)
    local = set(_parameters(node))
    if node.args.vararg:
        local.add(node.args.vararg.arg)
    if node.args.kwarg:
        local.add(node.args.kwarg.arg)
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            local.add(child.id)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child is not node:
            local.add(child.name)
    return loads - local


def _loads(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _effects(source: SourceFile) -> list[Effects]:
    """What each top-level statement of ``source`` binds and may change (:mod:`sct.cli.module_effects`)."""
    body = source.tree.body
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    definitions = {s.name: s for s in body if isinstance(s, kinds)}
    modules = {a.asname or a.name.split(".")[0] for s in body if isinstance(s, (ast.Import, ast.ImportFrom))
               for a in s.names}
    origins = import_origins(body)
    return [statement_effects(stmt, definitions, modules, origins) for stmt in body]


def module_dependencies(source: SourceFile, functions: list[ast.FunctionDef],
                        helpers: Collection[str] = RUNTIME_NAMES) -> tuple[list[str], list[str]]:
    """(import lines, definition blocks) of the input file that the emitted functions need, transitively.

    Imports keep only the names used; the other statements that bind a needed name or may change its
    value (a method call on it, a loop that writes into it...) are copied verbatim, in file order, with
    what they read, and what they bind is needed too (``B = A; B.fill(0)`` changes ``A``).
    ``helpers`` are the names the emitted module gives sct's runtime helpers (not taken from the file).
    """
    body = source.tree.body
    effects = _effects(source)
    binders: dict[str, list[int]] = {}
    for index, effect in enumerate(effects):
        for name in sorted(effect.binds | effect.changes):
            binders.setdefault(name, []).append(index)
    emitted = {f.name for f in functions} | set(helpers)
    origins = import_origins(body)
    pending = sorted(set().union(*(free_names(f) | random_states(f, origins) for f in functions)) - emitted)
    needed: set[str] = set()
    future = [i for i, s in enumerate(body) if isinstance(s, ast.ImportFrom) and s.module == "__future__"]
    statements: set[int] = set(future)
    needed.update(name for i in future for name in effects[i].binds)
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        needed.add(name)
        for index in binders.get(name, []):
            if index not in statements:
                _refuse_own_path(source, body[index])
                statements.add(index)
                if not isinstance(body[index], (ast.Import, ast.ImportFrom)):
                    reads = free_names(body[index]) | random_states(body[index], origins)
                    pending.extend((reads | effects[index].binds) - emitted - needed)
    imports: list[str] = []
    blocks: list[list[str]] = []
    for index in sorted(statements):
        stmt = body[index]
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            imports.append(_import_line(stmt, needed))
            continue
        text = ast.get_source_segment(source.text, stmt) or ast.unparse(stmt)
        single = not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if single and blocks and blocks[-1][0] == "constants":
            blocks[-1].append(text)
        else:
            blocks.append(["constants" if single else "definition", text])
    return imports, ["\n".join(block[1:]) for block in blocks]


def _refuse_own_path(source: SourceFile, stmt: ast.stmt) -> None:
    """A statement that reads ``__file__`` would read the emitted module's path instead of the input's."""
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and node.id == "__file__":
            raise SCTError("this module-level statement, needed by the derivatives, reads `__file__`, which "
                           "is another path in the emitted module", str(source.path), stmt.lineno,
                           stmt.col_offset, construct="__file__ in a copied statement",
                           hint="compute the value inside the function, or pass it as a parameter")


def _import_line(stmt: ast.stmt, needed: set[str]) -> str:
    kept = [a for a in stmt.names if (a.asname or a.name.split(".")[0]) in needed]
    if isinstance(stmt, ast.Import):
        return ast.unparse(ast.Import(names=kept))
    return ast.unparse(ast.ImportFrom(module=stmt.module, names=kept, level=stmt.level))


def default_output(path: Path) -> Path:
    """``dir/function.py`` -> ``dir/diff_function.py``."""
    return path.with_name(f"diff_{path.stem}.py")
