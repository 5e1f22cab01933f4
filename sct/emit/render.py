"""AST -> readable source, and source -> running functions: the one renderer and the one compile path.

:func:`render_module` writes every emitted module (``.source`` of the API and of higher derivatives, and
what ``sct transform`` writes): a header, imports, definitions, the runtime helpers used, the functions.
:func:`execute` runs emitted functions' source in the namespace they read (the API and each stage of a
higher derivative).
"""
from __future__ import annotations

import ast
import functools
import inspect
import linecache
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import astor
import numpy

from ..errors import SCTError
from ..frontend.names import Namer
from ..frontend.namespace import USER_MARK, rebind, unmark
from ..ir import annotations as anno
from ..ir.astutil import clone, statements, walk
from ..modes.program import Transformed
from ..runtime.names import HELPER_NAMES, HIGHER_NAMES, RUNTIME_NAMES, helper_function


def function_source(func: ast.FunctionDef) -> str:
    """Source text of one emitted function."""
    return astor.to_source(func, pretty_source=_pretty)


def _pretty(chunks: List[str]) -> str:
    """One line per statement: astor's line splitting can break inside ``np.ndarray``."""
    return "".join(chunks)


def functions_text(functions: List[ast.FunctionDef]) -> str:
    """The source of emitted functions, one after the other, as they run and as modules show them."""
    return "\n\n\n".join(function_source(f).rstrip() for f in functions) + "\n"


@functools.lru_cache(maxsize=None)
def _helper_dependencies(name: str) -> frozenset:
    """Other runtime helpers that the runtime helper ``name`` calls."""
    tree = ast.parse(_source_of(helper_function(name)))
    return frozenset(n.id for n in walk(tree) if isinstance(n, ast.Name) and n.id in HELPER_NAMES) - {name}


def runtime_helpers_used(functions: Sequence[ast.AST]) -> List[str]:
    """Names of runtime helpers (:mod:`sct.runtime`, then :mod:`sct.runtime.higher`) the emitted functions
    call, with the helpers those call, in file order."""
    return _helpers_among(set().union(*(_read_names(f) for f in functions)))


def _read_names(node: ast.AST) -> set:
    return {n.id for n in walk(node) if isinstance(n, ast.Name)}


def _helpers_among(names: set) -> List[str]:
    """The runtime helpers among ``names``, with the helpers those call, in file order."""
    used = names & HELPER_NAMES
    pending = list(used)
    while pending:
        for dep in _helper_dependencies(pending.pop()):
            if dep not in used:
                used.add(dep)
                pending.append(dep)
    return [name for name in RUNTIME_NAMES + HIGHER_NAMES if name in used]


def helper_source(function, numpy_alias: str, aliases: Optional[Dict[str, str]] = None) -> str:
    """Source of a runtime helper, with ``np`` renamed to the emitted module's numpy alias and the
    runtime helpers renamed as in ``aliases`` (see :func:`final_names`)."""
    text = _source_of(function)
    renames = {name: new for name, new in (aliases or {}).items() if name != new}
    if numpy_alias != "np":
        renames["np"] = numpy_alias
    if renames:
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in renames:
                node.id = renames[node.id]
            elif isinstance(node, ast.FunctionDef) and node.name in renames:
                node.name = renames[node.name]
        text = astor.to_source(tree)
    return text


@functools.lru_cache(maxsize=None)
def _source_of(function) -> str:
    """The source of a runtime helper: sct's own code, read once (``inspect`` tokenizes the file for it)."""
    return inspect.getsource(function)


def _identifiers(func: ast.AST) -> Tuple[set, set]:
    """(the names read or bound in ``func``, every identifier: those, parameters, keywords, functions)."""
    names, found = set(), set()
    for node in walk(func):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.arg, ast.keyword)) and node.arg:
            found.add(node.arg)
        elif isinstance(node, ast.FunctionDef):
            found.add(node.name)
    return names, found | names


def final_names(functions: List[ast.FunctionDef], taken: Iterable[str] = (),
                copy: bool = True) -> Tuple[List[ast.FunctionDef], Dict[str, str]]:
    """Copies of the emitted ``functions`` as they are shown and run, with the runtime helper names used.

    Identifiers of the user that read like a runtime helper were set apart before transforming
    (``__sct_user_<name>``, see :func:`sct.frontend.source.protect_names`); here they get their own
    spelling back,
    and a runtime helper whose name the user's code (or ``taken``: names bound beside the emitted code)
    also uses is called under a fresh name instead, so neither replaces the other.
    Returns (functions, runtime helper name -> the name emitted code calls it by); without ``copy`` (for a
    caller that only reads them), functions that keep their names are returned as they are.
    """
    names, seen = set(), set()
    for func in functions:
        read, identifiers = _identifiers(func)
        names |= read
        seen |= identifiers
    used = _helpers_among(names)
    user = {unmark(n) for n in seen if n.startswith(USER_MARK)} | set(taken)
    if not user:
        return [clone(f) for f in functions] if copy else list(functions), {name: name for name in used}
    functions = [clone(f) for f in functions]
    plain = {n for n in seen if not n.startswith(USER_MARK)}
    clash = {unmark(n) for n in seen if n.startswith(USER_MARK)} & (plain - set(RUNTIME_NAMES))
    if clash:
        raise SCTError(f"the emitted code would use the name{'s' if len(clash) > 1 else ''} "
                       f"{', '.join(sorted(clash))} twice", hint="rename the variables of your function "
                       "that are spelled like sct's helpers (" + ", ".join(sorted(user & set(RUNTIME_NAMES)))
                       + ")")
    namer = Namer(seen | user | set(RUNTIME_NAMES) | {unmark(n) for n in seen})
    aliases = {name: (namer.fresh(f"sct_{name.lstrip('_')}") if name in user else name) for name in used}
    for func in functions:
        for node in walk(func):
            if isinstance(node, ast.Name):
                node.id = aliases.get(node.id, unmark(node.id))
            elif isinstance(node, (ast.arg, ast.keyword)) and node.arg:
                node.arg = unmark(node.arg)
    return functions, aliases


def module_source(result: Transformed, header: str, preamble: Optional[List[str]] = None,
                  comments: bool = True, definitions: Optional[List[str]] = None,
                  named: Optional[Tuple[List[ast.FunctionDef], Dict[str, str]]] = None) -> str:
    """The standalone module of ``result``'s functions (see :func:`render_module`), as :func:`final_names`
    shows them (``named``: what it made of ``result.functions``, made here when not given); ``comments``:
    see :func:`annotated_source`."""
    functions, aliases = named or final_names(result.functions, copy=False)
    return render_module(header, result.numpy_alias, [annotated_source(f, comments) for f in functions],
                         aliases, preamble, definitions)


def render_module(header: str, numpy_alias: str, functions: List[str], helpers: Dict[str, str],
                  imports: Optional[List[str]] = None, definitions: Optional[List[str]] = None) -> str:
    """A standalone module: the ``header`` docstring, ``imports`` (import lines; numpy's is added after any
    ``from __future__``), ``definitions`` (source blocks: constants, the original functions the derivatives
    call), the runtime ``helpers`` used (name -> the name the emitted code calls it by), then the source
    of the emitted ``functions``."""
    imports = list(imports or [])
    numpy_import = f"import numpy as {numpy_alias}" if numpy_alias != "numpy" else "import numpy"
    if numpy_import not in imports:
        future = sum(1 for line in imports if line.startswith("from __future__ "))
        imports.insert(future, numpy_import)
    parts = ["\n".join([f'"""{header}"""'] + imports)] + [block.rstrip() for block in definitions or []]
    for name in helpers:
        parts.append(helper_source(helper_function(name), numpy_alias, helpers).rstrip())
    parts.extend(text.rstrip() for text in functions)
    return "\n\n\n".join(parts) + "\n"


def annotated_source(func: ast.FunctionDef, comments: bool) -> str:
    """Function source; with ``comments`` each derivative line names the original line it came from."""
    text = function_source(func)
    if not comments:
        return text
    origins = _line_origins(func, text)
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        origin = origins.get(number)
        out.append(f"{line}  # line {origin}" if origin and line.strip() else line)
    return "\n".join(out) + "\n"


def _line_origins(func: ast.FunctionDef, text: str) -> Dict[int, int]:
    """Map emitted line -> original line for derivative statements, by re-parsing the emitted ``text``."""
    reparsed = ast.parse(text).body[0]
    origins: Dict[int, int] = {}
    originals = list(statements(func.body))
    emitted = list(statements(reparsed.body))
    for old, new in zip(originals, emitted):
        if anno.get(old, "derivative", False) and anno.get(old, "origin"):
            origins[new.lineno] = anno.get(old, "origin")
    return origins


def compile_functions(result: Transformed, namespace: dict, filename: str) -> Dict[str, Callable]:
    """Execute the emitted functions (as :func:`final_names` shows them) in ``namespace`` (see
    :func:`execute`); return them by name."""
    functions, aliases = final_names(result.functions, copy=False)
    origins = {f.name: origin_function(node) for f, node in zip(functions, result.functions)}
    shared = {alias: helper_function(name) for name, alias in aliases.items()}
    return execute(functions_text(functions), filename, namespace, origins, shared, result.numpy_alias,
                   functions[-1].name)


def execute(text: str, filename: str, namespace: dict, origins: Dict[str, Optional[Callable]],
            shared: Dict[str, object], numpy_alias: str, main: str) -> Dict[str, Callable]:
    """Run the source ``text`` of emitted functions in ``namespace`` (with the runtime helpers ``shared``
    and numpy added); return the functions named in ``origins`` (name -> the live function each derives
    from, or None), which are also entered in ``namespace``. The text is registered under ``filename`` so
    that tracebacks show it. A function made from a helper of another module reads that module's globals
    (:func:`sct.frontend.namespace.rebind`; ``main`` is the derivative of the function asked for), and one
    made from a live function takes that function's default values."""
    namespace.update(shared)
    if numpy_alias not in namespace:
        namespace[numpy_alias] = numpy
    run_source(text, filename, namespace)
    compiled = {name: namespace[name] for name in origins}
    compiled = rebind(compiled, origins, origins.get(main), shared, numpy_alias)
    namespace.update(compiled)
    for name, emitted in compiled.items():
        if origins[name] is not None:
            _copy_defaults(emitted, origins[name])
    return compiled


def run_source(text: str, filename: str, namespace: dict) -> dict:
    """Compile and run emitted source in ``namespace``, registered under ``filename`` with
    :mod:`linecache` so that tracebacks show it; returns ``namespace``."""
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), namespace)  # noqa: S102 - sct's own emitted code
    return namespace


def origin_function(node: ast.FunctionDef):
    """The live function an emitted function derives from (through the stages of higher derivatives)."""
    source = anno.get(node, "source")
    return source.extra.get("function") if source is not None else None


def _copy_defaults(emitted, origin) -> None:
    """Give ``emitted`` the default values ``origin`` holds (evaluated when ``origin`` was defined, as
    Python does), instead of evaluating the default expressions again."""
    code = origin.__code__
    names = code.co_varnames[:code.co_argcount]
    defaults = dict(zip(names[len(names) - len(origin.__defaults__ or ()):], origin.__defaults__ or ()))
    own = emitted.__code__
    params = own.co_varnames[:own.co_argcount]
    if emitted.__defaults__:
        tail = params[len(params) - len(emitted.__defaults__):]
        emitted.__defaults__ = tuple(defaults.get(name, value) for name, value in
                                     zip(tail, emitted.__defaults__))
    if emitted.__kwdefaults__ and origin.__kwdefaults__:
        emitted.__kwdefaults__ = {name: origin.__kwdefaults__.get(name, value)
                                  for name, value in emitted.__kwdefaults__.items()}
