"""sct's run-time spellings in code it reads again, put back as the values they stand for.

Emitted code runs ``accumulate(a, g)`` (``a + g`` added into ``a``'s memory, where the emitting pass proved
nothing else reads it), ``owned_adjoint(v, x)`` (``np.zeros_like(x) + v``, a 0-d array kept one, without
the zeros where ``v``'s array will do), ``zeros_of(x)`` (``np.zeros_like(x)``, allocated faster) and
``unbroadcast_product(a, b, x)`` (``unbroadcast(a * b, x)`` by ``np.einsum``) and the statement
``product_into(v[s], a, b, x)`` (``v[s] = unbroadcast(a * b, x)``, multiplied into the view). A
transformation of that code (a higher derivative, or user code calling an emitted function) reads them
as ``a + g``, ``np.zeros_like(x) + v``, ``np.zeros_like(x)``, ``unbroadcast(a * b, x)`` and the
assignment, so that it never differentiates an update in place (the values a reverse sweep keeps must
stay as they were) and its analyses see the calls they know.
"""
from __future__ import annotations

import ast

from ..ir.astutil import clone, walk
from ..runtime.names import helper_function

_SPELLINGS = {"accumulate", "zeros_of", "owned_adjoint", "unbroadcast_product", "product_into"}


class _Values(ast.NodeTransformer):
    def __init__(self, resolver, numpy: str):
        self.resolver = resolver
        self.numpy = numpy

    def ours(self, node: ast.AST) -> bool:
        """Is ``node`` a call of sct's run-time spelling (not the user's function of that name)?"""
        named = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SPELLINGS
        if not named or node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            return False
        found = self.resolver.qualname_of(node.func)
        return found is not None and (found.qualname == "sct.runtime." + node.func.id  # by name, or a copy's
                                      or found.obj is helper_function(node.func.id))  # the object itself

    def visit_Expr(self, node: ast.Expr) -> ast.stmt:
        call = node.value
        if self.ours(call) and call.func.id == "product_into" and len(call.args) == 4 \
                and isinstance(call.args[0], ast.Subscript):
            self.generic_visit(node)
            view, a, b, x = call.args
            target = ast.Subscript(value=view.value, slice=view.slice, ctx=ast.Store())
            product = ast.BinOp(left=a, op=ast.Mult(), right=b)
            value = ast.Call(func=ast.Name(id="unbroadcast", ctx=ast.Load()), args=[product, x], keywords=[])
            return ast.copy_location(ast.Assign(targets=[target], value=value), node)
        self.generic_visit(node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        if not self.ours(node):
            return node
        if node.func.id == "accumulate" and len(node.args) == 2:
            return ast.copy_location(ast.BinOp(left=node.args[0], op=ast.Add(), right=node.args[1]), node)
        if node.func.id == "unbroadcast_product" and len(node.args) == 3:
            product = ast.BinOp(left=node.args[0], op=ast.Mult(), right=node.args[1])
            unbroadcast = ast.Name(id="unbroadcast", ctx=ast.Load())
            call = ast.Call(func=unbroadcast, args=[product, node.args[2]], keywords=[])
            return ast.copy_location(call, node)
        if node.func.id == "owned_adjoint" and len(node.args) == 2:
            numpy = ast.Name(id=self.numpy, ctx=ast.Load())
            zeros = ast.Call(func=ast.Attribute(value=numpy, attr="zeros_like", ctx=ast.Load()),
                             args=[node.args[1]], keywords=[])
            total = ast.BinOp(left=zeros, op=ast.Add(), right=node.args[0])
            kept = ast.Call(func=ast.Name(id="kept_zero_dim", ctx=ast.Load()),  # 0-d stays 0-d, as with +=
                            args=[total, clone(node.args[1])], keywords=[])
            return ast.copy_location(kept, node)
        if node.func.id == "zeros_of" and len(node.args) == 1:
            numpy = ast.Name(id=self.numpy, ctx=ast.Load())
            zeros = ast.Attribute(value=numpy, attr="zeros_like", ctx=ast.Load())
            return ast.copy_location(ast.Call(func=zeros, args=node.args, keywords=[]), node)
        return node


def has_spellings(func: ast.FunctionDef) -> bool:
    """Does ``func`` call a name sct's run-time spellings go by?"""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _SPELLINGS
               for n in walk(func))


def value_spellings(func: ast.FunctionDef, resolver, numpy: str = "np") -> ast.FunctionDef:
    """A copy of ``func`` with sct's run-time spellings read as the plain ones (see the module docstring;
    ``numpy``: the name the code calls numpy by); ``func`` itself if it has none."""
    if not has_spellings(func):
        return func
    return ast.fix_missing_locations(_Values(resolver, numpy).visit(clone(func)))
