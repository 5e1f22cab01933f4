"""Calls whose keyword changes what they return: ``np.linalg.svd(a, compute_uv=False)`` returns the
singular values only, ``logsumexp(a, return_sign=True)`` a pair. Each such form is a primitive of its own
(its own rules and number of outputs), picked when the keyword is written in the call as that literal."""
from __future__ import annotations

import ast
from typing import Dict, List, Tuple

VARIANTS: Dict[str, List[Tuple[str, object, str]]] = {}  # qualname -> (keyword, literal, variant's name)


def variant(qualname: str, keyword: str, literal: object, name: str) -> str:
    """Declare that a call of ``qualname`` with ``keyword=literal`` written in it is the primitive ``name``;
    returns ``name``."""
    VARIANTS.setdefault(qualname, []).append((keyword, literal, name))
    return name


def variant_of(qualname: str, keywords: List[ast.keyword]) -> str:
    """The primitive a call of ``qualname`` with these keyword arguments is."""
    for keyword, literal, name in VARIANTS.get(qualname, ()):
        value = next((k.value for k in keywords if k.arg == keyword), None)
        if isinstance(value, ast.Constant) and value.value is literal:
            return name
    return qualname
