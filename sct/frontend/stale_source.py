"""Is the source text sct reads the code that runs? A file edited and saved after its module was imported
(usual in a notebook) still runs its old code, while ``inspect`` reads the file as it is now: the
derivative would be of the new text. The file's text is compiled as Python compiled it (same future
flags) and the ``def`` found at the function's first line is compared with the function's code object.
"""
from __future__ import annotations
import __future__

import functools
import inspect
import linecache
import types
from typing import Callable, Optional

_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag


def _same_code(a: types.CodeType, b: types.CodeType) -> bool:
    if (a.co_code, a.co_names, a.co_varnames, a.co_freevars, a.co_cellvars) != \
            (b.co_code, b.co_names, b.co_varnames, b.co_freevars, b.co_cellvars):
        return False
    if len(a.co_consts) != len(b.co_consts):
        return False
    for x, y in zip(a.co_consts, b.co_consts):
        if inspect.iscode(x) and inspect.iscode(y):
            if not _same_code(x, y):
                return False
        elif inspect.iscode(x) or inspect.iscode(y) or type(x) is not type(y) or not _equal_constant(x, y):
            return False
    return True


def _equal_constant(x, y) -> bool:
    try:
        return bool(x == y) or (x != x and y != y)  # NaN constants
    except Exception:  # noqa: BLE001 - a constant without a usable ==: no evidence of a change
        return True


@functools.lru_cache(maxsize=64)
def _compiled_file(filename: str, text: str, flags: int) -> Optional[types.CodeType]:
    try:
        return compile(text, filename, "exec", flags=flags, dont_inherit=True)
    except (SyntaxError, ValueError, TypeError):
        return None


def _compiled(func: Callable) -> Optional[types.CodeType]:
    """The code object Python makes today of ``func``'s ``def`` in its file (the whole file is compiled:
    how a call compiles depends on the module's imports)."""
    code = func.__code__
    lines = linecache.getlines(code.co_filename, func.__globals__)
    if not lines:
        return None
    module = _compiled_file(code.co_filename, "".join(lines), code.co_flags & _FUTURE_FLAGS)
    pending = [module] if module is not None else []
    while pending:
        current = pending.pop()
        for const in current.co_consts:
            if inspect.iscode(const):
                if const.co_name == code.co_name and const.co_firstlineno == code.co_firstlineno:
                    return const
                pending.append(const)
    return _MISSING if module is not None else None


_MISSING = compile("pass", "<missing>", "exec")  # the file compiles but has no such def at that line


def source_runs(func: Callable) -> bool:
    """False when the ``def`` in ``func``'s file as it is now is certainly not the code ``func`` runs; True
    when it is, or when that cannot be told (no file text, a file that does not compile)."""
    compiled = _compiled(func)
    return compiled is None or _same_code(compiled, func.__code__)
