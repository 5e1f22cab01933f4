"""A little static shape knowledge: which variables are certainly scalars.

Reverse mode sums an adjoint back over broadcast axes (``unbroadcast``) unless it can prove nothing was
broadcast. When every other operand of an elementwise operation is a scalar, the output has the shape of
the remaining operand, so its adjoint needs no reduction. Scalars are: literals, full reductions
(``np.sum(x)`` without ``axis``), ``len``, entries of ``.shape``, ``math`` functions, and arithmetic on
scalars.
"""
from __future__ import annotations

import ast
from typing import Dict, Optional, Set

from ..frontend.calls import operation_of
from ..frontend.source import Resolver
from ..ir.blocks import all_statements
from ..rules import registry

_SCALAR_CALLS_WITHOUT_AXIS = {"numpy.sum", "numpy.mean", "numpy.prod", "numpy.max", "numpy.min", "numpy.amax",
                              "numpy.amin", "method.sum", "method.mean", "method.prod", "method.max",
                              "method.min", "scipy.special.logsumexp", "sct.runtime.logsumexp_real"}
# det, slogdet, trace and norm are absent: of a stack of matrices (or with an axis) they are arrays
_SCALAR_VALUED = {"builtins.len", "builtins.float", "builtins.int", "numpy.ndim", "numpy.size"}
_SCALAR_PRESERVING_MODULES = ("math.",)


class ScalarInference:
    """Finds variables that hold scalars on every assignment (a fixpoint over the function)."""

    def __init__(self, func: ast.FunctionDef, resolver: Resolver, remember: bool = False):
        self.resolver = resolver
        # each call's operation, kept while the fixpoints run over the unchanging function (``remember``:
        # until :meth:`forget`, for an analysis built on this one)
        self._operations: Optional[Dict[ast.AST, object]] = {}
        assignments = {}
        for node in all_statements(func):
            if isinstance(node, ast.Assign):
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    assignments.setdefault(target.id, []).append(node.value)
                elif isinstance(target, ast.Tuple):
                    for element in target.elts:
                        if isinstance(element, ast.Name):
                            scalar = _is_shape(node.value)
                            assignments.setdefault(element.id, []).append(
                                ast.Constant(0) if scalar else None)
            elif isinstance(node, (ast.For,)) and isinstance(node.target, ast.Name):
                assignments.setdefault(node.target.id, []).append(
                    ast.Constant(0) if _is_range(node.iter) else None)
        for arg in func.args.args + func.args.kwonlyargs:
            assignments.setdefault(arg.arg, []).append(None)
        self.scalars: Set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, values in assignments.items():
                if name not in self.scalars and all(v is not None and self.is_scalar(v) for v in values):
                    self.scalars.add(name)
                    changed = True
        if not remember:
            self.forget()

    def forget(self) -> None:
        """Stop keeping the operations of calls (the function may change from here on)."""
        self._operations = None

    def operation(self, node: ast.expr):
        """The operation of ``node`` (:func:`sct.frontend.calls.operation_of`)."""
        kept = self._operations
        if kept is None:
            return operation_of(node, self.resolver)
        if node not in kept:
            kept[node] = operation_of(node, self.resolver)
        return kept[node]

    def is_scalar(self, node: ast.expr) -> bool:
        """Is ``node`` certainly a scalar (Python number or 0-d array)?"""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (int, float, complex, bool))
        if isinstance(node, ast.Name):
            return node.id in self.scalars
        if isinstance(node, ast.BinOp):
            return self.is_scalar(node.left) and self.is_scalar(node.right)
        if isinstance(node, ast.UnaryOp):
            return self.is_scalar(node.operand)
        if isinstance(node, ast.Subscript) and _is_shape(node.value):
            return isinstance(node.slice, (ast.Constant, ast.UnaryOp))
        if isinstance(node, ast.Attribute):
            binding = self.resolver.qualname_of(node)
            return binding is not None and binding.qualname in ("numpy.pi", "numpy.e", "math.pi", "math.e")
        if isinstance(node, ast.Call):
            operation = self.operation(node)
            if operation is None or operation.kind != "primitive":
                return False
            name = operation.qualname
            if name in _SCALAR_VALUED:
                return True
            if name in _SCALAR_CALLS_WITHOUT_AXIS:
                # keepdims=True (or an axis) keeps an array; only dtype= leaves the scalar a scalar
                return all(k.arg == "dtype" for k in operation.keywords) and len(operation.args) == 1
            if name.startswith(_SCALAR_PRESERVING_MODULES) or registry.is_elementwise(name):
                return all(self.is_scalar(a) for a in operation.args)
        return False


def _is_shape(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "shape"


def _is_range(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range"
