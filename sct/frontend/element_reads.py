"""Element reads that a later write into their array may change: checked when they run.

``y0 = y[0]`` then ``y[0] = v``: when ``y[0]`` is a number (``y`` is 1-d), numpy gives a copy and ``y0``
keeps the old value, as sct's by-name derivatives assume; when it is a row (``y`` has more axes), it is a
view that the write changes too. Which one it is depends on the shape of ``y``, known only when the code
runs, so the read becomes ``y0 = element_copy(y[0], message)``: the value itself for a number, a
ValueError naming the read and what to write instead for an array. Only reads that would otherwise be
refused by :func:`sct.analysis.aliasing.check_index_writes` are rewritten.
"""
from __future__ import annotations

import ast

from ..analysis.aliasing import element_reads_written_after
from ..errors import SourceContext
from .resolver import Resolver

GUARD = "element_copy"


def guard_element_reads(func: ast.FunctionDef, resolver: Resolver, context: SourceContext) -> ast.FunctionDef:
    """``func`` with each element read that a later write may change made ``element_copy(read, message)``
    (in place)."""
    for stmt in element_reads_written_after(func, resolver):
        target, read = stmt.targets[0].id, ast.unparse(stmt.value)
        line, col = stmt.lineno + context.line_offset, stmt.col_offset + context.col_offset + 1
        where = f"{context.filename}:{line}:{col}"
        message = (f"{where}: `{target} = {read}` reads an array (a view of it), which a later write into "
                   f"it changes, and sct follows each array by its name: copy it first, "
                   f"{target} = np.copy({read})")
        stmt.value = ast.copy_location(ast.Call(func=ast.Name(id=GUARD, ctx=ast.Load()),
                                                args=[stmt.value, ast.Constant(value=message)], keywords=[]),
                                       stmt.value)
    return func
