"""Derivative rules, one module per library: :mod:`sct.rules.core` says how they are declared,
:mod:`sct.rules.registry` loads them all and answers what the passes ask about a primitive."""
