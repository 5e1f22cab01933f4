"""The one error type sct raises for code it cannot differentiate."""
from __future__ import annotations

import ast
from typing import Optional


class SCTError(Exception):
    """A construct sct cannot transform, located in the user's source.

    The message names the file, line and column, the construct, and a hint on what to write instead.
    """

    def __init__(self, message: str, filename: str = "<unknown>", lineno: Optional[int] = None,
                 col: Optional[int] = None, hint: str = "", construct: str = ""):
        self.filename = filename
        self.lineno = lineno
        self.col = col
        self.hint = hint
        self.construct = construct
        self.reason = message
        where = filename if lineno is None else f"{filename}:{lineno}:{(col or 0) + 1}"
        text = f"{where}: {message}"
        if hint:
            text += f"\n  hint: {hint}"
        super().__init__(text)


class SourceContext:
    """Where the function being transformed came from, to locate errors in the user's file."""

    def __init__(self, filename: str, line_offset: int = 0, col_offset: int = 0):
        self.filename = filename
        self.line_offset = line_offset
        self.col_offset = col_offset

    def error(self, node: Optional[ast.AST], message: str, hint: str = "", construct: str = "") -> SCTError:
        """Build an SCTError pointing at ``node`` in the original file."""
        lineno = getattr(node, "lineno", None)
        col = getattr(node, "col_offset", None)
        if lineno is not None:
            lineno += self.line_offset
            col = (col or 0) + self.col_offset
        return SCTError(message, self.filename, lineno, col, hint, construct)
