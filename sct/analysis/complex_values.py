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
from typing import Dict, List, Optional, Set, Tuple

from ..errors import SourceContext
from ..frontend.source import Resolver
from ..ir.astutil import loaded_names, value_expressions, walk
from ..ir.blocks import all_statements

_COMPLEX_TYPES = {"builtins.complex", "numpy.complex64", "numpy.complex128", "numpy.complex256",
                  "numpy.complex_", "numpy.cdouble", "numpy.csingle", "numpy.clongdouble",
                  "numpy.complexfloating", "numpy.cfloat", "numpy.longcomplex", "numpy.singlecomplex"}
_COMPLEX_RESULTS = {"numpy.roots", "scipy.linalg.eig",
                    "scipy.linalg.eigvals"}
_COMPLEX_MODULES = ("numpy.fft.", "numpy.emath.", "numpy.lib.scimath.", "scipy.fft.", "scipy.fftpack.")
_COMPLEX_CODES = {"D", "F", "G", "c8", "c16", "c32"}
_COMPLEX_NAMES = _COMPLEX_TYPES | _COMPLEX_RESULTS


def check_real_values(func: ast.FunctionDef, varied: Set[str], resolver: Resolver,
                      context: SourceContext) -> None:
    """Raise SCTError where a differentiated value may become complex (see the module docstring)."""
    tainted: Set[str] = set()
    constructs = _Constructs(resolver)
    for _ in range(2):  # a variable assigned from a complex one after its first use, in a loop
        for stmt in all_statements(func):  # the statements in walk order
            value = getattr(stmt, "value", None) if isinstance(stmt, (ast.Assign, ast.AnnAssign,
                                                                      ast.AugAssign)) else None
            if value is not None and constructs.first(value, tainted) is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                tainted |= {n.id for t in targets for n in walk(t) if isinstance(n, ast.Name)}
    for expression in value_expressions(func.body):
        if not loaded_names(expression) & varied:
            continue
        construct = constructs.first(expression, tainted)
        if construct is not None:
            raise context.error(construct, f"'{ast.unparse(construct)}' may make a differentiated value "
                                "complex, and sct differentiates real code only",
                                construct=ast.unparse(construct),
                                hint="write the computation with real arrays (real and imaginary parts as "
                                "separate real values), or keep complex values out of the differentiated "
                                "function")


class _Constructs:
    """The first node of an expression that makes or names a complex value (a name read counts when it is
    ``tainted``); each expression's candidates are found once, as the set of tainted names grows."""

    def __init__(self, resolver: Resolver):
        self.resolver = resolver
        self.candidates: Dict[int, List[Tuple[ast.expr, bool]]] = {}

    def first(self, expression: ast.expr, tainted: Set[str]) -> Optional[ast.expr]:
        found = self.candidates.get(id(expression))
        if found is None:
            found = self.candidates[id(expression)] = _candidates(expression, self.resolver)
        for node, always in found:
            if always or node.id in tainted:
                return node
        return None


def _candidates(expression: ast.expr, resolver: Resolver) -> List[Tuple[ast.expr, bool]]:
    """In walk order: (node, True) for a node that makes or names a complex value, (name, False) for a name
    read, complex when it is tainted."""
    # a string given to another keyword is no dtype: order="F" is Fortran order, not complex64
    other_keywords = {id(n.value) for n in walk(expression)
                      if isinstance(n, ast.keyword) and n.arg != "dtype"}
    found = []
    for node in walk(expression):
        if id(node) in other_keywords:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, complex):
            found.append((node, True))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and ("complex" in node.value or node.value in _COMPLEX_CODES):
            found.append((node, True))
        elif isinstance(node, (ast.Name, ast.Attribute)):
            qualname = getattr(resolver.qualname_of(node), "qualname", None) or ""
            named = qualname in _COMPLEX_NAMES or qualname.startswith(_COMPLEX_MODULES)
            if named or (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
                found.append((node, named))
    return found
