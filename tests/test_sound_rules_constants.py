"""Rule semantics (tests/test_sound_rules_*.py): what sct treats as constant is constant.

The test walks every name the registry declares non-differentiable (plus the attributes sct reads as
constants) and applies it to an active input in several call patterns: sct's derivative must match central
differences, or sct must refuse at transform time in both modes alike. A name added later is covered.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import textwrap

import numpy as np
import pytest
from oracle import central_difference

import sct
from sct.frontend.calls import NONDIFF_ATTRIBUTES
from sct.rules import registry

# Names whose every argument must be an integer or a boolean (or a seed): an active float cannot reach them.
INTEGER_ONLY = {
    "op.BitAnd", "op.BitOr", "op.BitXor", "op.Invert", "op.LShift", "op.RShift",
    "numpy.eye", "numpy.identity", "numpy.zeros", "numpy.ones", "numpy.empty", "numpy.indices",
    "numpy.random.default_rng", "builtins.range",
    "math.factorial", "math.comb", "math.perm", "math.gcd", "math.lcm", "math.isqrt",
    "sct.runtime.dict_keys",  # a dict's keys: it refuses anything but a dict
    "sct.runtime.arithmetic_operands",  # a check emitted code calls (an operator, a location): returns None
}
# Names whose value is unspecified (uninitialized memory): only checked to transform alike in both modes.
UNSPECIFIED = {"numpy.empty_like"}

BINARY = {"op.FloorDiv": "//", "op.BitAnd": "&", "op.BitOr": "|", "op.BitXor": "^", "op.LShift": "<<",
          "op.RShift": ">>"}
UNARY = {"op.Invert": "~", "op.Not": "not "}
ARGUMENT_PATTERNS = [("x",), ("x", "0.71"), ("0.71", "x"), ("x", "x"), ("3", "x"), ("x", "3"),
                     ("x", "0.71", "3"), ("0.71", "x", "3")]
INPUTS = [np.array([0.37, -1.23, 2.61]), 0.37, np.array([[0.37, -1.23], [2.61, 0.93]])]

PRELUDE = '''
import math
import numpy as np


def flat(v):
    """A float summary of any value (tuples, iterators, dtypes...); inactive, so sct only calls it."""
    if v is None:
        return 0.0
    if hasattr(v, "__next__"):
        v = list(v)
    try:
        return float(np.sum(np.asarray(v, dtype=float)))
    except (TypeError, ValueError):
        return 0.0
'''


def constant_names() -> list:
    """Every qualified name sct gives no derivative, and the attributes it reads as constants."""
    registry.known_qualnames()
    return sorted(registry.NONDIFF | {"attr." + a for a in NONDIFF_ATTRIBUTES})


def _calls(qualname: str) -> list:
    """Source expressions applying ``qualname`` to the active ``x`` (the callee bound as ``FN``)."""
    kind, _, name = qualname.partition(".")
    if qualname in BINARY:
        op = BINARY[qualname]
        return [f"x {op} 0.71", f"0.71 {op} x", f"x {op} x", f"x {op} 2"]
    if qualname in UNARY:
        return [f"{UNARY[qualname]}x"]
    if kind == "attr":
        return [f"x.{name}"]
    if kind == "method":
        return [f"x.{name}()", f"x.{name}(0)"]
    patterns = ARGUMENT_PATTERNS + ([("x", "float")] if kind == "builtins" else [])
    return [f"FN({', '.join(args)})" for args in patterns]


def _callee(qualname: str):
    module, _, attr = qualname.rpartition(".")
    if module in ("op", "method", "attr"):
        return None
    return getattr(importlib.import_module(module), attr)


@pytest.fixture(scope="module")
def constant_module(tmp_path_factory):
    """One generated module with a function ``f_<n>(x) = sum(x) + flat(<call>)`` per name and pattern."""
    cases = []
    lines = [PRELUDE]
    for qualname in constant_names():
        for call in _calls(qualname):
            fn = f"f_{len(cases)}"
            callee = f"FN_{len(cases)}"
            lines.append(f"\n\ndef {fn}(x):\n    return np.sum(x) + flat({call.replace('FN', callee)})\n")
            cases.append((qualname, fn, callee))
    path = tmp_path_factory.mktemp("constants") / "constant_calls_generated.py"
    path.write_text(textwrap.dedent("".join(lines)))
    spec = importlib.util.spec_from_file_location("constant_calls_generated", path)
    module = importlib.util.module_from_spec(spec)
    for qualname, _, callee in cases:
        setattr(module, callee, _callee(qualname))
    spec.loader.exec_module(module)
    return module, cases


def _primal_runs(f, x) -> bool:
    """Does ``f`` run near ``x``, with a finite value, leaving its argument alone (``np.floor(x, x)``
    writes into it: in-place calls are checked elsewhere)?"""
    copy = np.copy(x) if np.ndim(x) else x
    try:
        with np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()):
            values = [f(copy), f(x + 1e-5), f(x - 1e-5)]
    except Exception:
        return False
    return all(np.isfinite(v) for v in values) and np.array_equal(copy, x)


def _transforms(f) -> bool:
    """Whether sct transforms ``f``; it must refuse in both modes alike or in neither."""
    refusals = []
    for mode in (sct.forward, sct.reverse):
        try:
            mode(f)
        except sct.SCTError as exc:
            refusals.append(exc)
    assert len(refusals) in (0, 2), f"refused in one mode only: {refusals}"
    return not refusals


def _check_constant(f, x) -> None:
    """sct's derivative (forward, and reverse through grad) equals central differences at ``x``."""
    v = np.random.default_rng(0).standard_normal(np.shape(x))
    v = float(v) if np.ndim(x) == 0 else v
    with contextlib.redirect_stdout(io.StringIO()):
        numeric = central_difference(f, (x,), 0, v)
        _, tangent = sct.forward(f)(x, v)
        gradient = sct.grad(f)(x)
    assert abs(tangent - numeric) < 1e-6, (tangent, numeric)
    assert np.shape(gradient) == np.shape(x)
    assert abs(np.sum(gradient * v) - numeric) < 1e-6, (gradient, numeric)


def test_every_constant_name_is_constant_or_refused(constant_module):
    module, cases = constant_module
    exercised = set()
    for qualname, fn, _ in cases:
        f = getattr(module, fn)
        if not _transforms(f):
            exercised.add(qualname)
            continue
        for x in INPUTS:
            x = np.copy(x) if np.ndim(x) else x
            if not _primal_runs(f, x):
                continue
            exercised.add(qualname)
            if qualname in UNSPECIFIED:
                continue
            try:
                _check_constant(f, x)
            except AssertionError as exc:
                raise AssertionError(f"{qualname} via {fn} at x={x!r}: {exc}") from None
    unexercised = set(constant_names()) - exercised
    assert unexercised <= INTEGER_ONLY, f"add a call pattern for {sorted(unexercised - INTEGER_ONLY)}"
    assert not (INTEGER_ONLY & exercised), f"exercised, drop from INTEGER_ONLY: {INTEGER_ONLY & exercised}"
