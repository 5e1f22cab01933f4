"""Rule semantics: what sct treats as constant is constant, casts round, rules follow numpy at N-d inputs,
and partials are exact (not NaN) at the points where they are finite.

The first test walks every name the registry declares non-differentiable (plus the attributes sct reads as
constants) and applies it to an active input in several call patterns: sct's derivative must match central
differences, or sct must refuse at transform time in both modes alike. A name added later is covered.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import math
import textwrap

import numpy as np
import pytest
from oracle import central_difference, check_rule, parameter_names

import sct
from sct.frontend.calls import NONDIFF_ATTRIBUTES
from sct.rules import registry

# Names whose every argument must be an integer or a boolean (or a seed): an active float cannot reach them.
INTEGER_ONLY = {
    "op.BitAnd", "op.BitOr", "op.BitXor", "op.Invert", "op.LShift", "op.RShift",
    "numpy.eye", "numpy.identity", "numpy.zeros", "numpy.ones", "numpy.empty", "numpy.indices",
    "numpy.random.default_rng", "builtins.range",
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


# ------------------------------------------------------------------ rules for calls that were constants
RNG = np.random.default_rng(7)
V3 = np.array([0.37, -1.23, 2.61])


def full_scalar(x):
    return np.full(3, x) * np.arange(1.0, 4.0)


def full_vector(v):
    return np.full((2, 3), v) ** 2


def full_int(x, v):
    return np.full(3, x, dtype=int) * v


def full_like_fill(x):
    return np.full_like(np.ones((2, 2)), x) * np.array([1.0, 2.0])


def full_like_int(x, v):
    return np.full_like(np.ones(3, dtype=int), x) * v


def linspace_ends(a, b):
    return np.linspace(a, b, 5) ** 2


def linspace_open(a, b):
    return np.sin(np.linspace(a, b, 4, endpoint=False))


def linspace_arrays(a, b):
    return np.linspace(a, b, 3, axis=1) * np.array([1.0, 2.0, 3.0])


def linspace_one(a, b):
    return np.linspace(a, b, 1) * 3.0


def copysign_math(x, y):
    return math.copysign(x, y) * x


def copysign_numpy(x, y):
    return np.copysign(x, y) * 2.0


@pytest.mark.parametrize("f, args", [
    (full_scalar, (0.7,)), (full_vector, (V3,)), (full_int, (1.3, V3)), (full_like_fill, (0.7,)),
    (full_like_int, (2.6, V3)), (linspace_ends, (0.3, 2.1)), (linspace_ends, (V3, 2.1)),
    (linspace_open, (V3, V3 * 2 + 1)), (linspace_arrays, (V3[:2], 1.5)), (linspace_one, (0.4, 1.2)),
    (copysign_math, (1.3, -0.5)), (copysign_math, (-1.3, 0.5)), (copysign_numpy, (V3, -V3[::-1])),
], ids=lambda v: getattr(v, "__name__", ""))
def test_array_builders_carry_the_derivative_of_their_values(f, args):
    check_rule(f, args)
    check_default_seed(f, args)


def check_default_seed(f, args):
    """Reverse mode with its default seed and ``grad`` (for scalar outputs) against central differences."""
    if np.ndim(f(*args)) == 0:
        grads = sct.grad(f, wrt=parameter_names(f)[0])(*args)
        v = RNG.standard_normal(np.shape(args[0]))
        v = float(v) if np.ndim(args[0]) == 0 else v
        assert abs(np.sum(grads * v) - np.sum(central_difference(f, args, 0, v))) < 1e-6


def r_join(x):
    return np.sum(np.r_[x, x] ** 2)


def c_join(x):
    return np.sum(np.c_[x, 2 * x])


def r_constant_join(x):
    return np.sum(np.r_[1.0, x[0]] * 3)


def arange_start(x):
    return np.sum(np.arange(x, 5.0))


def arange_step(x):
    return np.sum(np.arange(0.0, 3.0, x))


def or_value(x):
    return (x or 2.0) * 3.0


def and_value(x):
    y = x > 0 and x
    return y * 3.0


def zip_items(x):
    s = 0.0
    for a, b in zip(x, x * 2):
        s = s + a * b
    return s


def floor_into_itself(x):
    y = x * 1.0
    np.floor(y, y)
    return np.sum(y * x)


def floor_out_keyword(x):
    y = x * 1.0
    z = np.sign(y, out=y)
    return np.sum(z * x)


@pytest.mark.parametrize("f, construct", [
    (floor_into_itself, "a call statement"), (floor_out_keyword, "a call with out="),
    (r_join, "np.r_"), (c_join, "np.c_"), (r_constant_join, "np.r_"), (arange_start, "numpy.arange"),
    (arange_step, "numpy.arange"), (or_value, "and/or"), (and_value, "and/or"),
], ids=lambda v: getattr(v, "__name__", v))
def test_values_built_by_constant_calls_are_refused_in_every_mode(f, construct):
    for mode in (sct.forward, sct.reverse):
        with pytest.raises(sct.SCTError) as info:
            mode(f)
        assert info.value.construct == construct and info.value.lineno is not None
        assert info.value.hint


def test_a_loop_over_zip_of_differentiated_arrays_reads_them_by_index():
    x = np.array([0.3, -1.2, 2.0])
    expected = central_difference(zip_items, (x,), 0, np.eye(3)[1])
    assert np.isclose(sct.forward(zip_items)(x, np.eye(3)[1])[1], expected, rtol=1e-6)
    assert np.allclose(sct.grad(zip_items)(x), 4 * x, rtol=1e-12)


def arange_stop(x):
    return np.sum(np.arange(0.5, x) * x)


def arange_lone(x):
    return np.sum(np.arange(x) * x)


@pytest.mark.parametrize("f", [arange_stop, arange_lone])
def test_arange_is_constant_in_its_stop(f):
    check_rule(f, (3.7,))


# ---------------------------------------------------------------------------------------- casts round
def astype_int(x):
    return np.sum(x.astype(int) * x)


def astype_float32(x):
    return np.sum(x.astype(np.float32) * 2.0)


def astype_variable(x, kind):
    return np.sum(x.astype(kind) * x)


def asarray_int(x):
    return np.sum(np.asarray(x, dtype=int) * x)


def array_int(x):
    return np.sum(np.array(x, dtype=int) + x ** 2)


def array_float(x):
    return np.sum(np.array(x, dtype=float) ** 2)


def int64_of(x):
    return np.int64(x) * x


def float64_of(x):
    return np.float64(x) ** 2


def builtin_casts(x):
    return int(x) * x + round(x) * x ** 2 + math.floor(x) + float(x)


def floor_divisions(x):
    return np.sum((x // 0.7) * x + np.floor_divide(x, 0.3) * x ** 2)


@pytest.mark.parametrize("f, args", [
    (astype_int, (V3,)), (asarray_int, (V3,)), (array_int, (V3,)),
    (array_float, (V3,)), (int64_of, (2.6,)), (float64_of, (2.6,)), (builtin_casts, (2.6,)),
    (builtin_casts, (-1.2,)), (floor_divisions, (V3,)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_casts_to_integers_have_derivative_zero(f, args):
    check_rule(f, args, rtol=1e-5)
    check_default_seed(f, args)


def test_cast_to_float32_passes_the_derivative():
    assert np.allclose(sct.grad(astype_float32)(V3), 2.0)
    assert np.isclose(sct.forward(astype_float32)(V3, np.ones(3))[1], 6.0)


def test_cast_to_a_dtype_known_only_at_run_time():
    for kind, expected in ((int, V3.astype(int)), (float, 2 * V3)):
        out, g = sct.reverse(astype_variable, wrt="x")(V3, kind)
        assert np.allclose(g, expected)
        _, t = sct.forward(astype_variable, wrt="x")(V3, kind, np.ones(3))
        assert np.isclose(t, np.sum(expected))


# ------------------------------------------------------------------- exact partials at special points
def polynomial(x):
    c = np.array([1.5, 2.0, 3.0])
    s = 0.0
    for k in range(3):
        s = s + c[k] * x ** k
    return s


def constant_powers(x):
    return 2.0 * x ** 0 + 3.0 * x ** 1 + x ** 2


def zero_base(y):
    return np.power(0.0, y)


def zero_power_array(x):
    return np.sum(np.power(x, 0) + x ** np.array([0.0, 1.0, 2.0]))


def variable_power(x, y):
    return np.sum(x ** y)


def std_one(x):
    return np.std(x)


def std_rows(x):
    return np.sum(np.std(x, axis=0) + np.var(x, axis=0))


@pytest.mark.parametrize("f, args, expected", [
    (polynomial, (0.0,), 2.0), (constant_powers, (0.0,), 3.0), (zero_base, (0.5,), 0.0),
    (zero_base, (2.0,), 0.0), (zero_power_array, (np.zeros(3),), np.array([0.0, 1.0, 0.0])),
    (std_one, (np.array([2.0]),), np.array([0.0])), (std_rows, (np.ones((1, 3)),), np.zeros((1, 3))),
], ids=lambda v: getattr(v, "__name__", ""))
def test_partials_are_exact_where_numpy_formulas_give_nan(f, args, expected):
    with np.errstate(all="raise"):
        grad = sct.grad(f)(*args)
        _, tangent = sct.forward(f)(*args, *(np.ones_like(a) if np.ndim(a) else 1.0 for a in args))
    assert np.allclose(grad, expected) and np.shape(grad) == np.shape(args[0])
    assert np.isclose(tangent, np.sum(expected))
    import autograd
    import autograd.numpy as anp
    if f is zero_base:
        assert np.isclose(autograd.grad(lambda y: anp.power(0.0, y))(args[0]), grad)


def test_partials_of_a_power_at_zero_base_and_exponent():
    x, y = np.array([0.0, 0.0, 2.0]), np.array([0.0, 2.0, 0.0])
    with np.errstate(all="raise"):
        gx, gy = sct.grad(variable_power, wrt="x, y")(x, y)
    assert np.allclose(gx, [0.0, 0.0, 0.0]) and np.allclose(gy, [0.0, 0.0, np.log(2.0)])
    check_rule(variable_power, (np.array([0.5, 1.3, 2.0]), np.array([0.0, 2.0, -1.5])))


def norm_of(x):
    return np.linalg.norm(x)


def test_norm_at_zero_follows_autograd():
    import autograd
    import autograd.numpy as anp
    with np.errstate(all="ignore"):
        ours = sct.grad(norm_of)(np.zeros(3))
        theirs = autograd.grad(lambda x: anp.linalg.norm(x))(np.zeros(3))
    assert np.all(np.isnan(ours)) and np.all(np.isnan(theirs))


def test_hessian_of_a_polynomial_at_zero():
    with np.errstate(divide="ignore"):
        assert np.isclose(sct.hessian(polynomial)(0.0), 6.0)
        assert np.allclose(sct.hvp(zero_power_array)(np.zeros(3), np.ones(3)), [0.0, 0.0, 2.0])


def square_root_power(x):
    return x ** 0.5 + x ** 1.5


def test_an_infinite_partial_is_inf_not_an_exception():
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isinf(sct.grad(square_root_power)(0.0))
        assert np.isinf(sct.forward(square_root_power)(0.0, 1.0)[1])
    assert "2 * x" in sct.forward(constant_powers).source  # literal exponents still fold
