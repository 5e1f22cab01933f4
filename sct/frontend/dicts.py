"""Dicts whose keys are written in the code: ``{"a": x * 2}``, ``dict(a=...)``, ``d["a"]``, ``d.get``.

A dict is a container like a list, its keys constants: its derivative is a dict of its values'
derivatives with the same keys. This pass rewrites the sugar into what the later passes know:

* ``dict(a=u, b=v)`` -> ``{'a': u, 'b': v}``;
* ``d.get(k, default)`` -> ``d[k] if k in d else default`` (``None`` without a default);
* ``list(d)``, ``sorted(d)``, ``max(d)``... -> the same of ``dict_keys(d)``: of the keys, not the values;
* ``for k, v in d.items()`` (``.keys()``, ``.values()``, and ``for k in d`` for a name that holds a
  dict) -> ``for k in dict_keys(d): v = d[k]``.

A write ``d[k] = v`` stays an index write for the alias checks (:mod:`sct.analysis.aliasing`); normalization
then makes it a new dict, ``d = dict_set(d, k, v)``, which the reverse sweep can undo. Refused: keys that
are not constants in a dict display, ``**`` in a display, and a loop over ``d.items()`` whose body writes
into ``d`` (Python raises when a dict grows during the loop).
"""
from __future__ import annotations

import ast
from typing import Optional

from ..errors import SCTError, SourceContext
from ..ir.astutil import clone, walk
from ..ir.builders import call, load
from ..ir.transformer import Transformer
from .names import Namer

_VIEWS = ("items", "keys", "values")
_OF_KEYS = {"list", "tuple", "sorted", "max", "min", "enumerate", "zip", "reversed"}  # read a dict's keys


def check_dict(node: ast.Dict, context: SourceContext) -> None:
    """Raise SCTError unless every key of the display is a constant (a string, a number)."""
    for key in node.keys:
        if key is None:
            raise context.error(node, "`**` in a dict display is not supported by sct",
                                construct="a dict display", hint="write each key: {'a': d['a'], 'b': v}")
        if not isinstance(key, ast.Constant):
            raise context.error(key, "a dict key computed when the code runs is not supported by sct: its "
                                "keys must be constants written in the code", construct="a dict key",
                                hint="write the key as a constant ({'a': v}), or use a list indexed by "
                                "position")


def _written(stmts, name: str) -> bool:
    for node in ast.walk(ast.Module(body=stmts, type_ignores=[])):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) \
                and isinstance(node.value, ast.Name) and node.value.id == name:
            return True
    return False


def dict_names(func: ast.FunctionDef, resolver=None) -> set:
    """Names that hold a dict: bound to a display or ``dict(...)`` (or to a call of a helper that returns
    one, when the ``resolver`` finds helpers), or indexed by a string."""
    found = set()
    for node in walk(func):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if _makes_dict(node.value, resolver, set()):
                found.add(node.targets[0].id)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            found.add(node.value.id)
    return found


def _makes_dict(value: ast.expr, resolver, seen: set) -> bool:
    """Is ``value`` a dict: a display, ``dict(...)``, either branch of ``a if c else b`` one, or a call of a
    helper whose every return gives one? (``seen``: the helpers followed, against recursion.)"""
    if isinstance(value, ast.Dict):
        return True
    if isinstance(value, ast.IfExp):
        return _makes_dict(value.body, resolver, seen) and _makes_dict(value.orelse, resolver, seen)
    if not isinstance(value, ast.Call):
        return False
    if isinstance(value.func, ast.Name) and value.func.id == "dict":
        return True
    binding = resolver.qualname_of(value.func) if resolver is not None else None
    if binding is None or binding.kind != "helper" or binding.qualname in seen:
        return False
    try:
        helper = binding.load_helper().node
    except SCTError:  # its source is not readable: the transformation says so where it matters
        return False
    seen = seen | {binding.qualname}
    returns = [n.value for n in walk(helper) if isinstance(n, ast.Return)]
    held = dict_names(helper)
    return bool(returns) and all(isinstance(r, ast.Name) and r.id in held or r is not None
                                 and _makes_dict(r, resolver, seen) for r in returns)


class DictSugar(Transformer):
    """The rewrites of the module docstring."""

    def __init__(self, namer: Namer, context: SourceContext, resolver=None):
        self.namer = namer
        self.context = context
        self.resolver = resolver
        self.dicts: set = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        self.dicts = dict_names(node, self.resolver)
        self.generic_visit(node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Name) and func.id in _OF_KEYS and len(node.args) == 1 \
                and isinstance(node.args[0], ast.Name) and node.args[0].id in self.dicts:
            node.args = [ast.copy_location(call("dict_keys", node.args[0]), node.args[0])]  # its keys
            return node
        if isinstance(func, ast.Name) and func.id == "dict" and not node.args and node.keywords \
                and all(k.arg for k in node.keywords):
            keys = [ast.Constant(k.arg) for k in node.keywords]
            return ast.copy_location(ast.Dict(keys=keys, values=[k.value for k in node.keywords]), node)
        if isinstance(func, ast.Attribute) and func.attr == "get" and isinstance(func.value, ast.Name) \
                and 1 <= len(node.args) <= 2 and not node.keywords:
            key = node.args[0]
            default = node.args[1] if len(node.args) == 2 else ast.Constant(None)
            test = ast.Compare(left=clone(key), ops=[ast.In()], comparators=[load(func.value.id)])
            item = ast.Subscript(value=load(func.value.id), slice=clone(key), ctx=ast.Load())
            return ast.copy_location(ast.IfExp(test=test, body=item, orelse=default), node)
        return node

    def visit_For(self, node: ast.For) -> ast.stmt:
        self.generic_visit(node)
        view = self._view(node.iter)
        if view is None:
            self._check_keyed(node)
            return node
        name, kind = view
        if _written(node.body, name):
            raise self.context.error(node, f"the loop over `{name}.{kind}()` writes into '{name}', which "
                                     "Python refuses when the dict grows",
                                     construct=f"for ... in {name}.{kind}()",
                                     hint=f"build a new dict in the loop, or loop over list({name}) first")
        target = node.target
        value_target: Optional[ast.expr] = None
        if kind == "items":
            if not (isinstance(target, ast.Tuple) and len(target.elts) == 2):
                return node
            target, value_target = target.elts
        elif kind == "values":
            target, value_target = None, target
        if not isinstance(target, ast.Name):
            key = ast.Name(id=self.namer.temp("_key"), ctx=ast.Store())
            if target is not None:  # a key unpacked further: bound from the key's name
                node.body.insert(0, ast.copy_location(ast.Assign(targets=[target], value=load(key.id)), node))
            target = key
        if value_target is not None:
            item = ast.Subscript(value=load(name), slice=load(target.id), ctx=ast.Load())
            node.body.insert(0, ast.copy_location(ast.Assign(targets=[value_target], value=item), node))
        node.target = target
        node.iter = ast.copy_location(call("dict_keys", load(name)), node.iter)
        return ast.fix_missing_locations(node)

    def _check_keyed(self, node: ast.For) -> None:
        """``for k in d: ... d[k]`` over a name not known to hold a dict (a parameter, a global): later
        passes loop over a sequence's items by position, which is not a dict's keys."""
        seq, key = node.iter, node.target
        if not (isinstance(seq, ast.Name) and isinstance(key, ast.Name)):
            return
        keyed = any(isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id == seq.id
                    and isinstance(n.slice, ast.Name) and n.slice.id == key.id
                    for b in node.body for n in walk(b))
        if keyed:
            d, k = seq.id, key.id
            raise self.context.error(node, f"`for {k} in {d}` reads {d}[{k}]: sct loops over a sequence's "
                                     f"items by position, and cannot tell here whether '{d}' is a dict",
                                     construct=f"for ... in {d}",
                                     hint=f"for a dict, loop over its keys: `for {k} in {d}.keys()` (or "
                                     f"`.items()`); for a sequence, over positions: "
                                     f"`for i in range(len({d}))`")

    def _view(self, node: ast.expr):
        if isinstance(node, ast.Name) and node.id in self.dicts:  # for k in d: its keys
            return node.id, "keys"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _VIEWS \
                and isinstance(node.func.value, ast.Name) and not node.args and not node.keywords:
            return node.func.value.id, node.func.attr
        return None
