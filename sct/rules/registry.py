"""The table of rules: loads every rule file (each registers into :mod:`sct.rules.core`) and answers
what the passes ask about a primitive. How rules are written: see :mod:`sct.rules.core`."""
from __future__ import annotations

from typing import Dict, List, Optional

from . import batched_rules as vector_rules  # noqa: F401  (batched forms of the rules)
from . import (  # noqa: F401  (each registers its rules)
    builtin_rules,
    cho_factor_rules,
    container_rules,
    convolution_rules,
    creation_rules,
    decomposition_rules,
    eigenvalue_rules,
    gradient_rules,
    linalg_rules,
    lstsq_rules,
    manipulation_rules,
    nested_rules,
    numpy_rules,
    polynomial_rules,
    products_rules,
    runtime_rules,
    scan_rules,
    scipy_rules,
    selection_rules,
    signed_rules,
    special_rules,
    splitting_rules,
    structural_rules,
)
from .core import (  # noqa: F401  (the names rule files and other modules import from here)
    HELPERS,
    LIST_VALUED,
    NONDIFF,
    NONDIFF_GUARDS,
    RULES,
    USER,
    Axes,
    Rule,
    Template,
    _parse_template,
    adjoint,
    elementwise,
    generator,
    nondiff,
    nondiff_except,
    primitive,
    tangent,
)
from .lowering import LOWERINGS
from .variants import variant_of  # noqa: F401  (calls.operation_of asks it)


def carrying_arguments(qualname: str, args: list, keywords: dict) -> tuple:
    """``(arguments, hint)``: the arguments of a non-differentiable call that its value still depends on
    (see nondiff_except), and what to write instead."""
    carrying, hint = NONDIFF_GUARDS.get(qualname, (None, ""))
    return (carrying(args, keywords), hint) if carrying is not None else ([], "")


def known_qualnames() -> List[str]:
    """Every qualified name sct has a rule, a lowering or a non-differentiable declaration for (rules
    declared by users through ``sct.primitive`` are theirs, not sct's: they are not listed)."""
    return sorted({q for q, r in RULES.items() if not r.user} | NONDIFF | set(LOWERINGS))


def lookup(qualname: str) -> Optional[Rule]:
    """The rule for ``qualname``, or None."""
    return RULES.get(qualname)


def is_nondiff(qualname: str) -> bool:
    return qualname in NONDIFF


def takes_lists(qualname: str) -> bool:
    """Does the rule read a list literal argument item by item (``np.concatenate([a, b])``)?"""
    rule = RULES.get(qualname)
    return rule is not None and rule.takes_lists


def returns_list(qualname: str) -> bool:
    """Is the call's value a list or tuple of arrays?"""
    return qualname in LIST_VALUED


def is_elementwise(qualname: str) -> bool:
    """Is the primitive elementwise (its output a scalar when every argument is)?"""
    rule = RULES.get(qualname)
    return rule is not None and rule.partials is not None


def batched_helpers() -> Dict[str, str]:
    """Runtime helper -> its batched form, for batched reverse-mode code."""
    return {name: h.batched for name, h in HELPERS.items() if h.batched}


def batch_aware(name: str) -> bool:
    """May the runtime helper ``name`` appear in batched derivative code as it is?"""
    found = HELPERS.get(name)
    return found is not None and found.aware
