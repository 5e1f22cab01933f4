"""Valid inputs for every derivative rule in the registry, for the rule-walking test (test_rule_walk.py).

``INPUTS`` maps a rule's qualified name to the calls that exercise it (:class:`Case`, in
``rule_inputs/cases.py``). Each module of this package holds the cases of one family of rules, every name
in one module only; a rule registered without an entry fails the walk, so every new rule comes with its
inputs.
"""
from __future__ import annotations

from typing import Dict, List

from rule_inputs import arrays, containers, elementwise, linalg, products, runtime, special
from rule_inputs.cases import Case, arguments

__all__ = ["INPUTS", "Case", "arguments"]


def _assembled() -> Dict[str, List[Case]]:
    inputs: Dict[str, List[Case]] = {}
    for module in (elementwise, arrays, products, linalg, special, runtime, containers):
        shared = set(inputs) & set(module.INPUTS)
        assert not shared, f"{module.__name__} repeats {sorted(shared)}: a name's cases live in one module"
        inputs.update(module.INPUTS)
    return inputs


INPUTS: Dict[str, List[Case]] = _assembled()
