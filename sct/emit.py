"""AST -> readable source: a standalone module holding the derivative and the few helpers it uses."""
from __future__ import annotations

import ast
import functools
import inspect
import linecache
from typing import Dict, List, Optional

import astor

from . import runtime
from .astutil import statements, walk
from .runtime_names import RUNTIME_NAMES
from .transform import Transformed


def function_source(func: ast.FunctionDef) -> str:
    """Source text of one emitted function."""
    return astor.to_source(func, pretty_source=_pretty)


def _pretty(chunks: List[str]) -> str:
    """One line per statement: astor's line splitting can break inside ``np.ndarray``."""
    return "".join(chunks)


@functools.lru_cache(maxsize=None)
def _runtime_dependencies(name: str) -> frozenset:
    """Other runtime helpers that the runtime helper ``name`` calls."""
    tree = ast.parse(inspect.getsource(getattr(runtime, name)))
    return frozenset(n.id for n in walk(tree) if isinstance(n, ast.Name) and n.id in RUNTIME_NAMES) - {name}


def runtime_helpers_used(functions: List[ast.FunctionDef]) -> List[str]:
    """Names of runtime helpers the emitted functions call, with the helpers those call, in file order."""
    used = set()
    for func in functions:
        used |= {n.id for n in walk(func) if isinstance(n, ast.Name) and n.id in RUNTIME_NAMES}
    pending = list(used)
    while pending:
        for dep in _runtime_dependencies(pending.pop()):
            if dep not in used:
                used.add(dep)
                pending.append(dep)
    return [name for name in RUNTIME_NAMES if name in used]


def _helper_source(name: str, numpy_alias: str) -> str:
    return helper_source(getattr(runtime, name), numpy_alias)


def helper_source(function, numpy_alias: str) -> str:
    """Source of a runtime helper, with ``np`` renamed to the emitted module's numpy alias."""
    text = inspect.getsource(function)
    if numpy_alias != "np":
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "np":
                node.id = numpy_alias
        text = astor.to_source(tree)
    return text


def module_source(result: Transformed, header: str, preamble: Optional[List[str]] = None,
                  comments: bool = True, definitions: Optional[List[str]] = None) -> str:
    """A standalone module: header, imports, runtime helpers, helper derivatives, then the derivative.

    ``preamble`` are import lines; ``definitions`` are source blocks (constants, the original functions the
    derivatives call) placed after the imports.
    """
    lines = [f'"""{header}"""']
    imports = list(preamble or [])
    alias = result.numpy_alias
    numpy_import = f"import numpy as {alias}" if alias != "numpy" else "import numpy"
    if numpy_import not in imports:
        future = sum(1 for line in imports if line.startswith("from __future__ "))
        imports.insert(future, numpy_import)
    lines += imports
    parts = ["\n".join(lines)] + [block.rstrip() for block in definitions or []]
    for name in runtime_helpers_used(result.functions):
        parts.append(_helper_source(name, result.numpy_alias).rstrip())
    for func in result.functions:
        parts.append(annotated_source(func, comments).rstrip())
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
        if getattr(old, "sct_derivative", False) and getattr(old, "sct_origin", None):
            origins[new.lineno] = old.sct_origin
    return origins


def compile_functions(result: Transformed, namespace: dict, filename: str) -> Dict[str, object]:
    """Execute the emitted functions in ``namespace`` and return them by name."""
    for name in runtime_helpers_used(result.functions):
        namespace.setdefault(name, getattr(runtime, name))
    if result.numpy_alias not in namespace:
        import numpy

        namespace[result.numpy_alias] = numpy
    text = "\n\n".join(function_source(f) for f in result.functions)
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), namespace)
    return {f.name: namespace[f.name] for f in result.functions}
