"""What a name in the user's code refers to (:class:`Binding`), the interface that answers it
(:class:`Resolver`), and the view from inside one function (:class:`ScopedResolver`): its own names hide
the globals spelled the same, and a parameter bound to a function passed in resolves to that function.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional

from ..ir.astutil import walk
from ..runtime.names import RUNTIME_SET
from .namespace import unmark


@dataclass
class Binding:
    """What a global name refers to.

    kind is one of ``module`` (qualname = module name), ``function`` (a library function sct may know,
    qualname like ``numpy.sin``), ``helper`` (a user function whose source sct can transform), ``value``
    (a global constant, never differentiated) or ``opaque`` (a callable sct cannot see into). ``obj`` is
    the live object, when the resolver has one (it tells two functions of one qualname apart).
    """

    kind: str
    qualname: str = ""
    load_helper: Optional[Callable[[], object]] = None
    obj: object = field(default=None, compare=False, repr=False)


class Resolver:
    """Maps global names and dotted call targets to bindings."""

    def binding(self, name: str) -> Optional[Binding]:
        """What the global ``name`` of the code is bound to. A name spelled like a runtime helper and not
        set apart (see :func:`protect_names`) is sct's helper, written by one of its passes (``dict_keys``,
        ``contract``), even where the user's code has a global of that name."""
        if name in RUNTIME_SET:
            return self.helper_binding(name)
        return self.global_binding(unmark(name))

    def helper_binding(self, name: str) -> Binding:
        """What sct's runtime helper ``name`` is to the transformation: its rules."""
        return Binding("function", "sct.runtime." + name)

    def global_binding(self, name: str) -> Optional[Binding]:  # pragma: no cover - interface
        """What the code's own namespace binds ``name`` (the user's spelling) to."""
        raise NotImplementedError

    def numpy_alias(self) -> Optional[str]:
        """The name under which the user's code sees numpy as a module, if any."""
        return None

    def global_value(self, name: str) -> object:
        """The object the global ``name`` holds when the code's namespace is live, else None."""
        return None

    def bound_parameters(self) -> Dict[str, Binding]:
        """Parameters of the function resolved that are bound to a function passed in (see
        :class:`ScopedResolver`)."""
        return {}

    def qualname_of(self, node: ast.expr) -> Optional[Binding]:
        """Resolve ``np.linalg.inv`` or ``sin`` to a binding, or None for a local value/method target."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        found = self.binding(node.id)
        if found is None:
            return None
        if not parts:
            return found
        if found.kind != "module":
            return None
        member = self.module_member(found.qualname, parts[::-1])
        return member or Binding("function", ".".join([found.qualname] + parts[::-1]))

    def module_member(self, module: str, path: list) -> Optional[Binding]:
        """What ``module.a.b`` (``path`` = ``["a", "b"]``) is when ``module`` is not a library sct has rules
        for (the user's ``import helpers; helpers.h(x)``): bound as a from-import of it would be. None: a
        library function, named by its qualified name."""
        return None


def local_names(node: ast.FunctionDef) -> frozenset:
    """The names ``node`` binds itself: its parameters and what its body assigns (``global`` and
    ``nonlocal`` names aside)."""
    args = node.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    declared = set()
    for sub in walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            names.add(sub.id)
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            declared.update(sub.names)
        elif isinstance(sub, ast.ExceptHandler) and sub.name:
            names.add(sub.name)
    return frozenset(names - declared)


class ScopedResolver(Resolver):
    """``base`` as seen from inside one function: a name in ``local`` is the function's own (a parameter,
    a variable), never the global spelled the same; a parameter in ``bound`` refers to the function the
    caller passes for it (a specialisation: the derivative is made for that function)."""

    def __init__(self, base: Resolver, local: frozenset, bound: Optional[Dict[str, Binding]] = None):
        self.base = base
        self.local = local
        self.bound = dict(bound or {})

    def binding(self, name: str) -> Optional[Binding]:
        if name in RUNTIME_SET:  # written by sct: never one of the function's own names
            return self.base.binding(name)
        # the base's own rules for marked names (emitted stages)
        return self._own(unmark(name), lambda: self.base.binding(name))

    def helper_binding(self, name: str) -> Binding:
        return self.base.helper_binding(name)

    def global_binding(self, name: str) -> Optional[Binding]:
        return self._own(name, lambda: self.base.global_binding(name))

    def _own(self, user: str, otherwise: Callable[[], Optional[Binding]]) -> Optional[Binding]:
        """The function passed for the parameter ``user``, nothing for another of the function's own
        names, else what the base resolves."""
        if user in self.bound:
            return self.bound[user]
        if user in self.local:
            return None
        return otherwise()

    def numpy_alias(self) -> Optional[str]:
        return self.base.numpy_alias()

    def global_value(self, name: str) -> object:
        return None if name in self.local or name in self.bound else self.base.global_value(name)

    def module_member(self, module: str, path: list) -> Optional[Binding]:
        return self.base.module_member(module, path)

    def bound_parameters(self) -> Dict[str, Binding]:
        return dict(self.bound)

    def __getattr__(self, attribute: str):
        return getattr(self.base, attribute)


def rebound(resolver: Resolver, bound: Dict[str, Binding]) -> ScopedResolver:
    """``resolver`` with the parameters in ``bound`` also bound (a helper specialised at a call site)."""
    if isinstance(resolver, ScopedResolver):
        return ScopedResolver(resolver.base, resolver.local, {**resolver.bound, **bound})
    return ScopedResolver(resolver, frozenset(bound), bound)
