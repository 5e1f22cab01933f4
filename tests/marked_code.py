"""Source text as sct's derivative code, for tests of the passes that clean up emitted code."""
from __future__ import annotations

import ast
import textwrap

from sct.ir import annotations as anno


def derivative_function(source: str, reverse_blocks: bool = False) -> ast.FunctionDef:
    """``source`` as a function whose statements are all derivative code (loops and ifs of the reverse
    sweep when ``reverse_blocks``), as the modes mark them."""
    func = ast.parse(textwrap.dedent(source)).body[0]
    for node in ast.walk(func):
        if isinstance(node, ast.stmt) and node is not func:
            anno.mark(node, "derivative")
        if reverse_blocks and isinstance(node, (ast.For, ast.If)):
            anno.mark(node, "reverse")
    return func
