"""Emitted modules carry copies of the runtime helpers they call, function by function (sct/emit/render.py):
a helper may read only numpy (as ``np``), builtins and other helpers, never a constant of its module."""
import builtins
import types

import pytest

from sct.runtime.names import HELPER_NAMES, HIGHER_NAMES, RUNTIME_NAMES, helper_function


def _global_reads(code: types.CodeType) -> set:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):  # comprehensions, lambdas, nested functions
            names |= _global_reads(const)
    return names


@pytest.mark.parametrize("name", RUNTIME_NAMES + HIGHER_NAMES)
def test_helper_reads_only_numpy_and_helpers(name):
    function = helper_function(name)
    scope = function.__globals__
    outside = {n for n in _global_reads(function.__code__)
               if n in scope and n != "np" and n not in HELPER_NAMES and not hasattr(builtins, n)}
    assert not outside, f"{name} reads {sorted(outside)} of its module: an emitted copy would not have them"
