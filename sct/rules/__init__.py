"""Derivative rules, one module per library; see :mod:`sct.rules.registry` for how they are written."""
from .registry import known_qualnames, lookup  # noqa: F401
