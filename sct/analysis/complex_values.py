"""Refuse differentiated values that may become complex: sct differentiates real code only.

Complex arguments are refused when the derivative is called, but a real input can turn complex inside
the function (``1j * x``, ``x * (1 + 2j)``, ``x.astype(complex)``, ``np.fft.fft(x)``). The rules assume
real values (``np.imag`` has no derivative, ``np.abs`` has no conjugate), so such a derivative would be
wrong without a word. An expression that reads a differentiated variable and contains a complex literal,
a complex type or dtype, a function that returns complex values, or a variable assigned from one of
these, is refused at transform time.
"""
from __future__ import annotations

import ast
from typing import Optional, Set

from ..errors import SourceContext
from ..frontend.source import Resolver
from ..ir.astutil import value_expressions, walk

_COMPLEX_TYPES = {"builtins.complex", "numpy.complex64", "numpy.complex128", "numpy.complex256",
                  "numpy.complex_", "numpy.cdouble", "numpy.csingle", "numpy.clongdouble",
                  "numpy.complexfloating", "numpy.cfloat", "numpy.longcomplex", "numpy.singlecomplex"}
_COMPLEX_RESULTS = {"numpy.roots", "scipy.linalg.eig",
                    "scipy.linalg.eigvals"}
_COMPLEX_MODULES = ("numpy.fft.", "numpy.emath.", "numpy.lib.scimath.", "scipy.fft.", "scipy.fftpack.")
_COMPLEX_CODES = {"D", "F", "G", "c8", "c16", "c32"}


def check_real_values(func: ast.FunctionDef, varied: Set[str], resolver: Resolver,
                      context: SourceContext) -> None:
    """Raise SCTError where a differentiated value may become complex (see the module docstring)."""
    tainted: Set[str] = set()
    for _ in range(2):  # a variable assigned from a complex one after its first use, in a loop
        for stmt in walk(func):
            value = getattr(stmt, "value", None) if isinstance(stmt, (ast.Assign, ast.AnnAssign,
                                                                      ast.AugAssign)) else None
            if value is not None and _complex_construct(value, tainted, resolver) is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                tainted |= {n.id for t in targets for n in walk(t) if isinstance(n, ast.Name)}
    for expression in value_expressions(func.body):
        reads = {n.id for n in walk(expression) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        if not reads & varied:
            continue
        construct = _complex_construct(expression, tainted, resolver)
        if construct is not None:
            raise context.error(construct, f"'{ast.unparse(construct)}' may make a differentiated value "
                                "complex, and sct differentiates real code only",
                                construct=ast.unparse(construct),
                                hint="write the computation with real arrays (real and imaginary parts as "
                                "separate real values), or keep complex values out of the differentiated "
                                "function")


def _complex_construct(expression: ast.expr, tainted: Set[str], resolver: Resolver) -> Optional[ast.expr]:
    """The first node of ``expression`` that makes or names a complex value, or None."""
    # a string given to another keyword is no dtype: order="F" is Fortran order, not complex64
    other_keywords = {id(n.value) for n in walk(expression)
                      if isinstance(n, ast.keyword) and n.arg != "dtype"}
    for node in walk(expression):
        if id(node) in other_keywords:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, complex):
            return node
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and ("complex" in node.value or node.value in _COMPLEX_CODES):
            return node
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in tainted:
            return node
        if isinstance(node, (ast.Name, ast.Attribute)):
            found = resolver.qualname_of(node)
            qualname = getattr(found, "qualname", None) or ""
            if qualname in _COMPLEX_TYPES | _COMPLEX_RESULTS or qualname.startswith(_COMPLEX_MODULES):
                return node
    return None
