"""A module sct emitted carries copies of sct's runtime helpers: those copies are the helpers themselves.

``sct transform`` writes ``unbroadcast``, ``seed_like``... into the module it emits, so that the module never
imports sct. Transforming that module (or a function of it, imported) again must differentiate a call to
the copy as the runtime helper it is, by the helper's rule, not through its body. A function is such a
copy when it has the helper's name and, numpy's alias aside, the helper's code.
"""
from __future__ import annotations

import ast
import functools
import inspect
import textwrap
from typing import Callable, Optional

from ..runtime.names import HELPER_NAMES, RUNTIME_SET, helper_function


def helper_qualname(name: str) -> str:
    """The qualified name the rules know the runtime helper ``name`` by."""
    return ("sct.runtime." if name in RUNTIME_SET else "sct.runtime.higher.") + name


@functools.lru_cache(maxsize=None)
def _helper_code(name: str) -> str:
    node = ast.parse(textwrap.dedent(inspect.getsource(helper_function(name)))).body[0]
    return _code(node, lambda n: n == "np")


def _code(node: ast.FunctionDef, is_numpy: Callable[[str], bool]) -> str:
    """The definition with numpy spelled ``np``, as text without positions."""
    node = ast.parse(ast.unparse(node)).body[0]  # a copy
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and is_numpy(sub.id):
            sub.id = "np"
    return ast.dump(node)


def copy_of_helper(node: ast.FunctionDef, is_numpy: Callable[[str], bool]) -> Optional[str]:
    """The qualified name of the runtime helper that the definition ``node`` copies, or None
    (``is_numpy(name)``: whether the global ``name`` is numpy where ``node`` is defined)."""
    if node.name not in HELPER_NAMES or node.decorator_list:
        return None
    return helper_qualname(node.name) if _code(node, is_numpy) == _helper_code(node.name) else None


def copied_helper(func) -> Optional[str]:
    """Like :func:`copy_of_helper`, for a live function (read from its source)."""
    name = getattr(func, "__name__", "")
    if name not in HELPER_NAMES or not inspect.isfunction(func) or func is helper_function(name):
        return None
    try:
        node = ast.parse(textwrap.dedent(inspect.getsource(func))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    if not isinstance(node, ast.FunctionDef):
        return None
    scope = func.__globals__
    return copy_of_helper(node, lambda n: inspect.ismodule(scope.get(n)) and scope[n].__name__ == "numpy")
