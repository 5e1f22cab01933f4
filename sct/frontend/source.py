"""Find a function's source and resolve the names it uses (numpy, math, scipy.special, user helpers).

Two resolvers share one interface: :class:`ObjectResolver` looks names up in a live function's globals
(decorator and API use), :class:`ModuleResolver` reads a module's import statements and definitions from
its AST alone (the CLI, which never imports the user's file).
"""
from __future__ import annotations

import ast
import builtins
import functools
import importlib
import inspect
import sys
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional

from ..errors import SCTError, SourceContext
from ..ir.astutil import clone, walk
from ..rules import registry
from ..rules.core import USER
from ..rules.declared import plain_function
from ..runtime.names import HELPER_NAMES, helper_function
from .namespace import ABSENT, USER_MARK, bound_functions, calls_itself
from .resolver import Binding, Resolver, ScopedResolver, local_names
from .runtime_copies import copied_helper, copy_of_helper, helper_qualname
from .stale_source import source_runs
from .value_spellings import has_spellings, value_spellings

NUMPY_MODULES = ("numpy",)


@dataclass
class FunctionSource:
    """A parsed function definition with everything needed to transform it."""

    name: str
    node: ast.FunctionDef
    context: SourceContext
    resolver: "Resolver"
    module_source: Optional[str] = None
    extra: Dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # code sct emitted (a derivative the differentiated code calls, or differentiates again) is read
        # with its run-time spellings as the values they stand for, by every analysis: accumulate(a, g)
        # is a + g (no write), zeros_of(x) is np.zeros_like(x)
        if has_spellings(self.node):
            self.node = value_spellings(self.node, self.resolver, numpy_name(self.resolver, self.node))


def numpy_name(resolver: "Resolver", func: ast.FunctionDef) -> str:
    """The name emitted code calls numpy by: the user's alias, unless the function binds that name itself
    (a parameter or a variable ``np``), else ``np`` (``_np``... when the function or its module uses that
    name for something else)."""
    own = {a.arg for a in walk(func.args) if isinstance(a, ast.arg)}
    names = [n for n in walk(func) if isinstance(n, ast.Name)]  # one walk for both
    own |= {n.id for n in names if isinstance(n.ctx, ast.Store)}
    alias = resolver.numpy_alias()
    if alias and alias not in own:
        return alias
    used = own | {n.id for n in names}
    candidate = "np"
    while True:
        taken = resolver.binding(candidate)
        numpy = taken is None or (taken.kind == "module" and taken.qualname == "numpy")
        if candidate not in used and numpy:
            return candidate
        candidate = "_" + candidate


_BUILTIN_NAMES = {"abs", "len", "range", "float", "int", "sum", "max", "min", "enumerate", "zip",
                  "reversed", "list", "tuple", "sorted", "dict", "bool", "round", "isinstance", "print",
                  "pow", "slice"}


def _known_objects() -> Dict[int, str]:
    """id(object) -> qualified name for every library function the rules know."""
    table: Dict[int, str] = {}
    for qualname in registry.known_qualnames():
        module_name, _, attr = qualname.rpartition(".")
        if module_name in ("builtins", "op", "method", "attr", ""):
            continue
        try:
            obj = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError):
            continue
        table.setdefault(id(obj), qualname)
    for name in _BUILTIN_NAMES:
        table[id(getattr(builtins, name))] = "builtins." + name
    return table


@functools.lru_cache(maxsize=None)
def rule_libraries() -> frozenset:
    """Top-level modules sct has rules for (numpy, scipy, math...): their functions are named, not read."""
    tops = {q.partition(".")[0] for q in registry.known_qualnames()}
    return frozenset(tops - {"op", "method", "attr", ""}) | {"sct"}


class ObjectResolver(Resolver):
    """Resolve names through a live function's globals and closure."""

    func: Optional[Callable] = None

    def __init__(self, func: Callable):
        self.func = func
        self.globals = dict(func.__globals__)
        if func.__closure__:
            for name, cell in zip(func.__code__.co_freevars, func.__closure__):
                try:
                    self.globals[name] = cell.cell_contents
                except ValueError:
                    pass
        self._known = _known_objects()

    def numpy_alias(self) -> Optional[str]:
        visible = getattr(self.globals, "visible_items", self.globals.items)  # a LiveNamespace: scopes too
        for name, obj in visible():
            if inspect.ismodule(obj) and obj.__name__ == "numpy" and self.globals.get(name) is obj:
                return name
        return None

    def global_value(self, name: str) -> object:
        return self.globals.get(name)

    def global_binding(self, name: str) -> Optional[Binding]:
        if self.func is not None and calls_itself(self.func, name, self.globals.get(name, ABSENT)):
            obj = self.func
        elif name in self.globals:
            obj = self.globals[name]
        elif name in _BUILTIN_NAMES:
            obj = getattr(builtins, name)
        else:
            return None
        return self.bind(obj, name)

    def module_member(self, module: str, path: list) -> Optional[Binding]:
        if module.partition(".")[0] in rule_libraries() or module not in sys.modules:
            return None
        obj = sys.modules[module]
        for attr in path:
            obj = getattr(obj, attr, ABSENT)
        if obj is ABSENT or inspect.ismodule(obj):
            return None
        return self.bind(obj, ".".join([module] + path))

    def helper_binding(self, name: str) -> Binding:
        """The helper's rules, or its body where it has none (as when the globals hold it)."""
        return self.bind(helper_function(name), name)

    def bind(self, obj, name: str) -> Binding:
        """What the object ``obj``, which the code calls ``name``, is to the transformation."""
        obj = stand_in(plain_function(obj))
        if inspect.ismodule(obj):
            return Binding("module", obj.__name__)
        qualname = USER.get(id(obj)) or self._known.get(id(obj))  # sct.primitive declarations first
        if qualname is not None:
            return Binding("function", qualname)
        emitted = getattr(obj, "__sct_source__", None)
        if isinstance(emitted, FunctionSource):  # first-order code compiled as a stage (sct.higher.stages)
            return Binding("helper", obj.__qualname__, lambda: emitted, obj)
        copied = copied_helper(obj)
        if copied is not None:  # sct's runtime helper, copied into a module sct emitted
            return Binding("function", copied)
        if inspect.isfunction(obj):
            return Binding("helper", obj.__qualname__, lambda: function_source(obj), obj)
        if callable(obj):
            return Binding("opaque", name, obj=obj)  # as the user wrote it (objects, lambdas: no useful name)
        return Binding("value", name)


class ModuleResolver(Resolver):
    """Resolve names from a module's import statements and top-level definitions, without running it."""

    def __init__(self, module: ast.Module, filename: str, source: str):
        self.module = module
        self.filename = filename
        self.source = source
        self.names: Dict[str, Binding] = {}
        for stmt in module.body:
            self._record(stmt)
        for stmt in module.body:  # sct's runtime helpers, copied into a module sct emitted
            if isinstance(stmt, ast.FunctionDef) and self.names.get(stmt.name, Binding("")).kind == "helper":
                copied = copy_of_helper(stmt, lambda n: self.names.get(n) == Binding("module", "numpy"))
                if copied is not None:
                    self.names[stmt.name] = Binding("function", copied)

    def _record(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self.names[alias.asname] = Binding("module", alias.name)
                else:
                    top = alias.name.split(".")[0]
                    self.names[top] = Binding("module", top)
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            for alias in stmt.names:
                qual = f"{stmt.module}.{alias.name}"
                kind = "module" if _is_module(qual) else "function"
                self.names[alias.asname or alias.name] = Binding(kind, qual)
        elif isinstance(stmt, ast.FunctionDef):
            self.names[stmt.name] = Binding("helper", stmt.name, lambda s=stmt: self.function(s.name))
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                for node in ast.walk(target):
                    if isinstance(node, ast.Name):
                        self.names[node.id] = Binding("value", node.id)

    def copied_helpers(self) -> frozenset:
        """Names of the module's functions that are copies of sct's runtime helpers (see
        :mod:`sct.frontend.runtime_copies`)."""
        return frozenset(n for n, b in self.names.items() if b == Binding("function", helper_qualname(n)))

    def numpy_alias(self) -> Optional[str]:
        for name, found in self.names.items():
            if found.kind == "module" and found.qualname == "numpy":
                return name
        return None

    def global_binding(self, name: str) -> Optional[Binding]:
        if name in self.names:
            return self.names[name]
        if name in _BUILTIN_NAMES:
            return Binding("function", "builtins." + name)
        return None

    def functions(self) -> list:
        """Names of the module's top-level functions, in order."""
        return list(dict.fromkeys(s.name for s in self.module.body if isinstance(s, ast.FunctionDef)))

    def function(self, name: str) -> FunctionSource:
        for stmt in reversed(self.module.body):  # the last definition is the one Python keeps
            if isinstance(stmt, ast.FunctionDef) and stmt.name == name:
                node = protect_names(_strip_decorators(stmt), sct_helpers(self, stmt))
                written = {"sct_module": True} if self.copied_helpers() else {}  # in a module sct wrote
                scoped = ScopedResolver(self, local_names(stmt))
                return FunctionSource(name, node, SourceContext(self.filename), scoped, self.source, written)
        raise SCTError(f"no function named '{name}' in {self.filename}", self.filename,
                       hint="choose one of: " + ", ".join(self.functions()))


def _is_module(qualname: str) -> bool:
    return qualname in ("numpy.linalg", "scipy.special", "numpy.random", "numpy.fft")


def protected(name: str) -> str:
    """How :func:`protect_names` spells the user's identifier ``name`` (e.g. a ``wrt`` parameter)."""
    return USER_MARK + name if name in HELPER_NAMES else name


def sct_helpers(resolver: Resolver, node: ast.FunctionDef) -> frozenset:
    """The names ``node`` reads that ``resolver`` binds to sct's runtime helper of that name (in code sct
    emitted, or in a module that carries copies of them): those are sct's own, not the user's."""
    names = [n for n in walk(node) if isinstance(n, ast.Name)]  # one walk for both
    found = {n.id for n in names if n.id in HELPER_NAMES}
    args = node.args
    local = {a.arg for a in args.args + args.kwonlyargs + args.posonlyargs}
    local |= {n.id for n in names if isinstance(n.ctx, ast.Store)}
    ours = {n for n in found - local if resolver.global_binding(n) == Binding("function", helper_qualname(n))}
    return frozenset(ours)


def protect_names(node: ast.FunctionDef, keep: frozenset = frozenset()) -> ast.FunctionDef:
    """``node`` with every identifier spelled like one of sct's runtime helpers set apart as
    ``__sct_user_<name>`` (a copy, when there is any), so that emitted code can tell the user's names from
    sct's helpers; :func:`sct.emit.render.final_names` gives the user's names back and renames the helpers.
    Names in ``keep`` (see :func:`sct_helpers`) are sct's helpers: kept as they are."""
    names = HELPER_NAMES - keep

    def clashes(sub: ast.AST) -> bool:
        return ((isinstance(sub, ast.Name) and sub.id in names)
                or (isinstance(sub, (ast.arg, ast.keyword)) and sub.arg in names))

    if not any(clashes(sub) for sub in walk(node)):
        return node
    node = clone(node)
    for sub in walk(node):
        if isinstance(sub, ast.Name) and sub.id in names:
            sub.id = USER_MARK + sub.id
        elif isinstance(sub, (ast.arg, ast.keyword)) and sub.arg in names:
            sub.arg = USER_MARK + sub.arg
    return node


def _strip_decorators(node: ast.FunctionDef) -> ast.FunctionDef:
    new = ast.FunctionDef(**{f: getattr(node, f, None) for f in node._fields})
    new.decorator_list = []
    return ast.copy_location(new, node)  # errors about the function itself point at its `def` line


def stand_in(obj):
    """A function made by sct (``sct.grad(f)``, a ``Derivative``) as the live function with source that
    stands in for it when it is differentiated again (see :mod:`sct.higher.compose`); else ``obj``."""
    make = getattr(obj, "__sct_function__", None)
    return make() if callable(make) else obj


def function_source(func: Callable) -> FunctionSource:
    """Parse the source of a live Python function, keeping line numbers of its file."""
    func = stand_in(func)
    name = getattr(func, "__name__", repr(func))
    if inspect.ismethod(func) and inspect.isfunction(func.__func__):
        owner = type(func.__self__).__name__ if not inspect.isclass(func.__self__) else func.__self__.__name__
        code = func.__func__.__code__
        raise SCTError(f"cannot differentiate '{name}': it is a method bound to an object (its first "
                       "parameter is that object)", code.co_filename, code.co_firstlineno, 0,
                       construct="bound method", hint=f"differentiate the function {owner}.{name} and pass "
                       f"the object as its first argument: sct.grad({owner}.{name}, wrt=...)(obj, ...)")
    if not inspect.isfunction(func):
        raise SCTError(f"cannot differentiate '{name}': it is not a Python function with source code",
                       hint="pass a function defined with `def` in a .py file")
    filename = inspect.getsourcefile(func) or "<unknown>"
    if getattr(func, "__wrapped__", None) is not None:  # inspect would give the source of what it wraps
        wrapped = getattr(func.__wrapped__, "__name__", "a function")
        code = getattr(func.__wrapped__, "__code__", func.__code__)
        raise SCTError(f"cannot differentiate '{name}': it is a decorator's wrapper around '{wrapped}' "
                       "(functools.wraps), and its source is not the code that runs",
                       code.co_filename, code.co_firstlineno, 0, construct="decorated function",
                       hint="differentiate the undecorated function and apply what the decorator does in "
                       "code sct can see (a helper called from a plain def)")
    try:
        lines, start = inspect.getsourcelines(func)
    except (OSError, TypeError) as exc:
        raise SCTError(f"cannot read the source of '{name}' ({exc})", filename,
                       hint="define the function with `def` in a file; sct needs its source text") from None
    text = "".join(lines)
    dedented = textwrap.dedent(text)
    indent = len(text.splitlines()[0]) - len(dedented.splitlines()[0])
    context = SourceContext(filename, start - 1, indent)
    if name == "<lambda>":
        raise context.error(None, "cannot differentiate a lambda", hint="define the function with `def`")
    try:
        module = ast.parse(dedented)
    except SyntaxError as exc:
        raise SCTError(f"cannot parse the source of '{name}': {exc.msg}", filename,
                       hint="define the function with `def` on its own lines") from None
    defs = [n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == name]
    if not defs:
        raise SCTError(f"cannot find the `def` of '{name}' in its source", filename,
                       hint="define the function with `def` in a file; lambdas are not supported")
    if not source_runs(func):
        raise SCTError(f"the source of '{name}' in {filename} is not the code that runs: the file changed "
                       "since the function was defined", filename, start, 0, construct="changed source",
                       hint="reload the module (importlib.reload) or run the cell again, then differentiate")
    base = ObjectResolver(func)
    bound = {param: base.bind(obj, param) for param, obj in bound_functions(func).items()}
    resolver = ScopedResolver(base, local_names(defs[0]), bound)
    found = FunctionSource(name, protect_names(_strip_decorators(defs[0]), sct_helpers(resolver, defs[0])),
                           context, resolver)
    found.extra["function"] = func
    return found
