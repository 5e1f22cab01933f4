"""Emitted code as the input of another transformation: the machinery behind higher derivatives.

A :class:`Stage` is one set of emitted functions, compiled and ready to be transformed again. To build the
next stage, the emitted code is made into ordinary sct input (:func:`prepare`):

* the first-order derivative names (those sct made, listed by the ``derivative_names`` mark of each
  function, never told by their suffix) get their suffix glued on (``x_bar`` -> ``xbar``, ``y_dot`` ->
  ``ydot``), only so that the next stage's names read ``xbar_dot`` rather than ``x_bar_dot``: to the next
  transformation they are plain values like any other, and the user's own names stay as they are;
* ``for i in reversed(range(n))`` becomes ``for i in range(n - 1, -1, -1)`` (desugaring indexes other
  iterables, and a ``reversed`` object has no length), ``reversed(seq)`` becomes ``seq[::-1]``;
* unpacking a tuple variable, ``a, b = tape``, becomes ``a = tape[0]``, ``b = tape[1]`` (nested unpacking
  of a call's result goes through a temporary);
* the in-place statement ``accumulate_at(t, i, v)`` becomes ``t = add_at(t, i, v)`` (the same in-place
  update, returning ``t``), so that activity analysis sees the value flow into ``t``.

The prepared text is what runs (it is registered with :mod:`linecache`, so tracebacks show it) and what
the next transformation reads, through a resolver over the namespace it runs in: numpy, the runtime
helpers (which have rules in ``sct/rules/runtime_rules.py``), and the emitted functions themselves, which
are helpers with source.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from ..emit.render import (
    execute,
    function_source,
    functions_text,
    origin_function,
    render_module,
    runtime_helpers_used,
)
from ..errors import SourceContext
from ..frontend.names import names_in
from ..frontend.namespace import USER_MARK, LiveNamespace, unmark
from ..frontend.resolver import ScopedResolver, local_names
from ..frontend.source import Binding, FunctionSource, ObjectResolver, _known_objects
from ..ir import annotations as anno
from ..modes.program import Transformed
from ..optimize.unread_results import drop_unread_results
from ..rules import runtime_rules  # noqa: F401  (registers the rules of the runtime helpers)
from ..runtime.names import HIGHER_NAMES, RUNTIME_NAMES, helper_function

_COUNTER = [0]


class NamespaceResolver(ObjectResolver):
    """Resolve names in the namespace emitted code runs in; emitted functions resolve to their AST."""

    def __init__(self, namespace: dict, emitted: Dict[str, FunctionSource]):
        self.globals = namespace
        self._known = _known_objects()
        self.emitted = emitted

    def binding(self, name: str) -> Optional[Binding]:
        if name in self.emitted:
            return Binding("helper", name, lambda: self.emitted[name])
        if name.startswith(USER_MARK) and isinstance(self.globals, LiveNamespace):
            try:  # the user's own object, never the runtime helper spelled the same
                return self.bind(self.globals.__missing__(name), unmark(name))
            except KeyError:
                return None
        return super().binding(name)


class _Prepare(ast.NodeTransformer):
    """See the module docstring."""

    def __init__(self, taken: set, derivative_names: Dict[str, frozenset]):
        self.taken = set(taken)
        self.renamed: Dict[str, str] = {}
        self.derivative_names = derivative_names  # function name -> the derivative names made in it
        self.own: frozenset = frozenset()  # those of the function being prepared

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        self.own = self.derivative_names.get(node.name, frozenset())
        self.generic_visit(node)
        return node

    def rename(self, name: str, own: Optional[frozenset] = None) -> str:
        if name not in (self.own if own is None else own) or not name.endswith(("_bar", "_dot")):
            return name  # a user's name, or one with a numbered suffix (``x_dot_1``): kept
        if name not in self.renamed:
            new = name[:-4] + name[-3:]
            while new in self.taken:
                new = new + "_"
            self.taken.add(new)
            self.renamed[name] = new
        return self.renamed[name]

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.rename(node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self.rename(node.arg)
        return node

    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        callee = node.func.id if isinstance(node.func, ast.Name) else None
        for keyword in node.keywords:  # a keyword names a parameter of the emitted function called
            if keyword.arg and callee in self.derivative_names:
                keyword.arg = self.rename(keyword.arg, self.derivative_names[callee])
        return node

    def visit_For(self, node: ast.For) -> ast.For:
        self.generic_visit(node)
        it = node.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "reversed" \
                and len(it.args) == 1:
            inner = it.args[0]
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "range" \
                    and len(inner.args) in (1, 2) and not inner.keywords:
                start = inner.args[0] if len(inner.args) == 2 else ast.Constant(value=0)
                stop = inner.args[-1]
                node.iter = ast.Call(func=ast.Name(id="range", ctx=ast.Load()), args=[
                    _minus_one(stop), _minus_one(start), ast.Constant(value=-1)], keywords=[])
            else:
                node.iter = ast.Subscript(value=inner, slice=ast.Slice(step=ast.Constant(value=-1)),
                                          ctx=ast.Load())
        return node

    def fresh(self, base: str) -> str:
        name = base
        while name in self.taken:
            name = name + "_"
        self.taken.add(name)
        return name

    def visit_Assign(self, node: ast.Assign):
        self.generic_visit(node)
        target = node.targets[0]
        if len(node.targets) != 1 or not isinstance(target, ast.Tuple):
            return node
        nested = any(isinstance(e, ast.Tuple) for e in target.elts)
        if not (nested or isinstance(node.value, ast.Name)):
            return node
        out = []
        source = node.value
        if not isinstance(source, ast.Name):
            temp = self.fresh("_unpacked")
            out.append(ast.Assign(targets=[ast.Name(id=temp, ctx=ast.Store())], value=source))
            source = ast.Name(id=temp, ctx=ast.Load())
        out.extend(self._unpack(target, source.id))
        return [ast.copy_location(s, node) for s in out]

    def _unpack(self, target: ast.Tuple, source: str) -> list:
        out = []
        for i, element in enumerate(target.elts):
            item = ast.Subscript(value=ast.Name(id=source, ctx=ast.Load()), slice=ast.Constant(value=i),
                                 ctx=ast.Load())
            if isinstance(element, ast.Tuple):
                temp = self.fresh("_unpacked")
                out.append(ast.Assign(targets=[ast.Name(id=temp, ctx=ast.Store())], value=item))
                out.extend(self._unpack(element, temp))
            else:
                out.append(ast.Assign(targets=[element], value=item))
        return out

    def visit_Expr(self, node: ast.Expr) -> ast.stmt:
        self.generic_visit(node)
        call = node.value
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "accumulate_at"
                and len(call.args) == 3 and isinstance(call.args[0], ast.Name)):
            target = ast.Name(id=call.args[0].id, ctx=ast.Store())
            value = ast.Call(func=ast.Name(id="add_at", ctx=ast.Load()), args=call.args, keywords=[])
            return ast.copy_location(ast.Assign(targets=[target], value=value), node)
        return node


def _minus_one(node: ast.expr) -> ast.expr:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return ast.Constant(value=node.value - 1)
    return ast.BinOp(left=node, op=ast.Sub(), right=ast.Constant(value=1))


def prepare(functions: List[ast.FunctionDef],
            derivative_names: Dict[str, frozenset]) -> List[ast.FunctionDef]:
    """Rewrite emitted functions into input the transformations accept (see the module docstring);
    ``derivative_names`` maps each function's name to the derivative names sct made in it."""
    taken = set().union(*(names_in(f) for f in functions))
    preparer = _Prepare(taken, derivative_names)
    return [preparer.visit(f) for f in functions]


@dataclass
class Stage:
    """Compiled emitted functions that a further transformation can read (see the module docstring).

    ``transformed`` is what the transformation returned, ``text`` the prepared source that runs,
    ``sources`` the prepared functions as transformation input, ``function`` the main one, compiled.
    """

    transformed: Transformed
    namespace: dict
    text: str
    sources: Dict[str, FunctionSource]
    function: Callable
    filename: str
    helpers: List[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.transformed.name

    @property
    def params(self) -> List[str]:
        node = self.sources[self.name].node
        return [a.arg for a in node.args.args + node.args.kwonlyargs]

    @property
    def seed_param(self) -> str:
        """A reverse stage's output seed: its last positional parameter (tangents a forward stage adds after
        defaulted parameters are keyword-only, so the seed need not be the last parameter)."""
        return self.sources[self.name].node.args.args[-1].arg

    def derivative_params(self, count: int) -> List[str]:
        """The last ``count`` parameters: the tangents (forward mode)."""
        return self.params[len(self.params) - count:]

    def source_module(self, header: str) -> str:
        """A standalone module: imports, the helpers used, then the emitted functions."""
        helpers = {name: name for name in self.helpers}
        return render_module(header, self.transformed.numpy_alias, [self.text], helpers)


def stage_from(transformed: Transformed, namespace: dict, label: str, final: bool = False) -> Stage:
    """Compile ``transformed`` into a copy of ``namespace``: prepared for a further transformation, or as
    emitted when it is ``final`` (then what ``.source`` shows is exactly what runs)."""
    functions = [_reparse(f) for f in transformed.functions]
    if not final:
        functions = prepare(functions, {f.name: anno.get(f, "derivative_names", frozenset())
                                        for f in transformed.functions})
    text = functions_text(functions)
    _COUNTER[0] += 1
    filename = f"<sct {label} #{_COUNTER[0]}>"
    namespace = namespace.copy()  # a LiveNamespace stays live (see sct.frontend.namespace)
    origins = {f.name: origin_function(f) for f in transformed.functions}
    divisors = {f.name: anno.get(f, "overflowing_divisors", frozenset()) for f in transformed.functions}
    shared = {name: helper_function(name) for name in RUNTIME_NAMES + HIGHER_NAMES}
    execute(text, filename, namespace, origins, shared, transformed.numpy_alias, transformed.name)
    tree = ast.parse(text)
    nodes = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    emitted: Dict[str, FunctionSource] = {}
    resolver = NamespaceResolver(namespace, emitted)
    context = SourceContext(filename)
    bound = {f.name: _bound_parameters(f) for f in transformed.functions}
    resolvers = {id(namespace): resolver}  # a function compiled over its origin's scope resolves there
    for node in nodes:  # their own names hide the globals; parameters bound to functions stay bound
        space = getattr(namespace[node.name], "__globals__", namespace)
        if id(space) not in resolvers:
            resolvers[id(space)] = NamespaceResolver(space, emitted)
        scoped = ScopedResolver(resolvers[id(space)], local_names(node), bound.get(node.name))
        emitted[node.name] = FunctionSource(node.name, node, context, scoped, text, {"emitted": True})
        emitted[node.name].extra["function"] = origins.get(node.name)
        emitted[node.name].extra["overflowing divisors"] = divisors.get(node.name, frozenset())
        namespace[node.name].__sct_source__ = emitted[node.name]  # read when code sct differentiates calls it
    return Stage(transformed, namespace, text, emitted, namespace[transformed.name], filename,
                 runtime_helpers_used(tree.body))


def _bound_parameters(func: ast.FunctionDef) -> dict:
    """The parameters bound to functions in the function ``func`` derives from (see
    :mod:`sct.specialise`): the emitted code calls them as the original does."""
    source = anno.get(func, "source")
    return source.resolver.bound_parameters() if source is not None else {}


def _reparse(func: ast.FunctionDef) -> ast.FunctionDef:
    return ast.parse(function_source(func)).body[0]


def transform_stage(stage: Stage, wrt: Tuple[str, ...], mode: str, label: str,
                    transform: Callable[..., Transformed], final: bool = True,
                    unread: Tuple[Tuple[int, ...], ...] = ()) -> Stage:
    """The next stage: the ``mode`` derivative of the stage's main function with respect to ``wrt``, made
    by ``transform`` (the pipeline's :func:`sct.pipeline.transform` or ``vector_transform``). The returned
    elements at the paths ``unread``, which the caller discards, are not computed (see
    :mod:`sct.optimize.unread_results`)."""
    source = stage.sources[stage.name]
    transformed = transform(source, wrt, mode)
    if unread:
        main = next(f for f in transformed.functions if f.name == transformed.name)
        drop_unread_results(main, unread, transformed.numpy_alias)
    return stage_from(transformed, stage.namespace, label, final)
