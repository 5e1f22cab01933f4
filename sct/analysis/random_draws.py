"""Which code may draw random numbers: code that gives another result each time it runs, so that a
derivative running it more than once (a checkpointed loop recomputed, a Jacobian sweeping after a primal
run) would mix draws."""
from __future__ import annotations

import ast
from typing import List, Optional, Set

from ..frontend.comprehensions import _GENERATOR_METHODS as GENERATOR_METHODS
from ..frontend.comprehensions import _RANDOM as RANDOM_MODULES
from ..frontend.resolver import Resolver
from ..ir.astutil import walk


def random_draw(nodes: List[ast.AST], resolver: Resolver,
                seen: Optional[Set[str]] = None) -> Optional[ast.Call]:
    """The first call in ``nodes`` (or in the helpers they call) that may draw random numbers."""
    seen = set() if seen is None else seen
    for node in walk(ast.Module(body=list(nodes), type_ignores=[])):
        if not isinstance(node, ast.Call):
            continue
        found = resolver.qualname_of(node.func)
        if found is None:
            if isinstance(node.func, ast.Attribute) and node.func.attr in GENERATOR_METHODS:
                return node
        elif found.qualname.startswith(RANDOM_MODULES):
            return node
        elif found.kind == "helper" and found.qualname not in seen:
            seen.add(found.qualname)
            if random_draw(found.load_helper().node.body, resolver, seen) is not None:
                return node
    return None
