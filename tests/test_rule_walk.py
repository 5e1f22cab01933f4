"""Every rule in the registry, in every mode, against Richardson-extrapolated central differences.

The list of rules comes from the registry itself; ``rule_inputs.INPUTS`` says how to call each one. For
each case and shape: forward mode (and the complex step where the function is analytic), reverse mode with
a random seed and with the default seed, ``sct.grad`` of ``sum(f(x) * w)``; at the first shape also
forward and reverse mode in each argument alone (the others constant); at the first and last shape
also ``sct.jacobian`` in both modes, ``sct.hvp``, ``sct.grad_and_hvp`` and (for small inputs) ``sct.hessian``.
"""
from __future__ import annotations

import importlib.util
import itertools
import zlib

import numpy as np
import pytest
from oracle import relative_error, richardson_difference
from rule_inputs import INPUTS, Case, arguments

import sct
from sct.rules import registry

NUMERIC = 1e-7  # Richardson differences are good to about 1e-10 here; AD agrees with itself to ~1e-12
EXACT = 1e-10
_counter = itertools.count()


def _rules():
    """Every qualified name with a derivative rule (the non-differentiable names have none)."""
    return [q for q in registry.known_qualnames() if registry.lookup(q) is not None]


def _source(cases) -> str:
    imports = sorted({c.imports for c in cases if c.imports})
    lines = ["import math", "import numpy as np", *imports, ""]
    for i, case in enumerate(cases):
        params = ", ".join(case.params)
        setup = [f"    {case.setup}"] if case.setup else []
        lines += ["", f"def f{i}({params}):", *setup, f"    return {case.expr}", ""]
        lines += ["", f"def g{i}({params}, w):", *setup, f"    r = {case.expr}", "    return np.sum(r * w)",
                  ""]
    return "\n".join(lines) + "\n"


def _load(cases, directory):
    path = directory / f"rule_walk_{next(_counter)}.py"
    path.write_text(_source(cases))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _random(rng, shape):
    value = rng.standard_normal(shape)
    return float(value) if shape == () else value


def _like_value(value, make):
    return tuple(make(np.shape(v)) for v in value) if isinstance(value, tuple) else make(np.shape(value))


def _inner(a, b) -> float:
    if isinstance(a, tuple):
        return sum(_inner(p, q) for p, q in zip(a, b))
    return float(np.sum(np.asarray(a, dtype=float) * np.asarray(b, dtype=float)))


def _error(a, b) -> float:
    if isinstance(b, tuple):
        return max(_error(p, q) for p, q in zip(a, b))
    return relative_error(a, b)


def _shape(value):
    return tuple(np.shape(v) for v in value) if isinstance(value, tuple) else np.shape(value)


def _close(lhs: float, rhs: float, rtol: float) -> bool:
    return abs(lhs - rhs) <= rtol * max(1.0, abs(lhs), abs(rhs))


def _complex_step(f, args, directions, h=1e-30):
    z = [np.asarray(a, dtype=complex) + 1j * h * np.asarray(directions[i]) for i, a in enumerate(args)]
    return np.imag(f(*z)) / h


def _direction(case: Case, rng, index: int, shape: tuple):
    v = _random(rng, shape)
    if index == 0 and case.matrix == "spd":  # a symmetric perturbation keeps the input symmetric
        v = (v + np.swapaxes(v, -1, -2)) / 2
    return v


def _check_first_order(case: Case, f, g, args, rng) -> None:
    names = case.params
    value = f(*args)
    directions = [_direction(case, rng, i, np.shape(a)) for i, a in enumerate(args)]
    numeric = richardson_difference(f, args, dict(enumerate(directions)))

    out, tangent = sct.forward(f, wrt=names)(*args, *directions)
    assert _error(out, value) < 1e-12, "forward: value"
    assert _shape(tangent) == _shape(value), f"forward: tangent {_shape(tangent)}, value {_shape(value)}"
    assert _error(tangent, numeric) < NUMERIC, f"forward: tangent {tangent} vs differences {numeric}"
    if case.analytic:
        exact = _complex_step(f, args, directions)
        assert _error(tangent, exact) < EXACT, f"forward: tangent {tangent} vs complex step {exact}"
    if "reverse" not in case.modes:
        return

    bf = sct.reverse(f, wrt=names)
    u = _like_value(value, lambda s: _random(rng, s))
    out, grads = bf(*args, seed=u)
    assert _error(out, value) < 1e-12, "reverse: value"
    for name, a, gr in zip(names, args, grads):
        assert np.shape(gr) == np.shape(a), f"reverse: {name}_bar shape {np.shape(gr)}, {name} {np.shape(a)}"
    lhs, rhs = sum(_inner(gr, v) for gr, v in zip(grads, directions)), _inner(u, numeric)
    assert _close(lhs, rhs, NUMERIC), f"reverse: <x_bar, v> = {lhs} but <seed, J v> = {rhs}"
    assert _close(lhs, _inner(u, tangent), EXACT), "reverse and forward disagree"

    _, defaults = bf(*args)
    ones = _like_value(value, lambda s: np.ones(s))
    _, with_ones = bf(*args, seed=ones)
    for name, a, gr, g1 in zip(names, args, defaults, with_ones):
        assert np.shape(gr) == np.shape(a), f"default seed: {name}_bar {np.shape(gr)}, {name} {np.shape(a)}"
        assert relative_error(gr, g1) < EXACT, f"default seed: {name}_bar {gr} but seed of ones gives {g1}"
    lhs = sum(_inner(gr, v) for gr, v in zip(defaults, directions))
    assert _close(lhs, _inner(ones, numeric), NUMERIC), "default seed: not the gradient of the sum"

    gradient = sct.grad(g, wrt=names)(*args, u)
    for name, a, gr, expected in zip(names, args, gradient, grads):
        assert np.shape(gr) == np.shape(a), f"grad: {name} shape {np.shape(gr)}"
        assert relative_error(gr, expected) < EXACT, f"grad: {gr} but reverse with that seed gives {expected}"


def _check_each_alone(case: Case, f, g, args, rng) -> None:
    """Forward and reverse mode in each argument alone, the others constant: a rule's own derivative
    names that only the others' derivatives reach are then zero."""
    names = case.params
    if len(names) < 2:
        return
    value = f(*args)
    for i, name in enumerate(names):
        v = _direction(case, rng, i, np.shape(args[i]))
        numeric = richardson_difference(f, args, {i: v})
        _, tangent = sct.forward(f, wrt=name)(*args, v)
        assert _error(tangent, numeric) < NUMERIC, f"forward in {name} alone: {tangent} vs {numeric}"
        if "reverse" in case.modes:
            u = _like_value(value, lambda s: _random(rng, s))
            _, gr = sct.reverse(f, wrt=name)(*args, seed=u)
            assert np.shape(gr) == np.shape(args[i]), f"reverse in {name} alone: shape {np.shape(gr)}"
            lhs, rhs = _inner(gr, v), _inner(u, numeric)
            assert _close(lhs, rhs, NUMERIC), f"reverse in {name} alone: {lhs} vs {rhs}"


def _check_second_order(case: Case, f, g, args, rng) -> None:
    x = args[0]
    value = f(*args)
    v = _direction(case, rng, 0, np.shape(x))
    if not isinstance(value, tuple):
        along_x = richardson_difference(f, args, {0: v})
        for mode in case.modes:
            jac = sct.jacobian(f, wrt="x", mode=mode)(*args)
            assert np.shape(jac) == np.shape(value) + np.shape(x), f"jacobian ({mode}): shape {np.shape(jac)}"
            product = np.tensordot(jac, v, axes=np.ndim(x))
            assert relative_error(product, along_x) < NUMERIC, f"jacobian ({mode}): {product} vs {along_x}"
    if "reverse" not in case.modes:
        return
    w = _like_value(value, lambda s: _random(rng, s))
    gradient = sct.grad(g, wrt="x")
    numeric = richardson_difference(lambda *a: gradient(*a, w), args, {0: v})
    for method in ("forward-over-reverse", "reverse-over-forward"):
        product = sct.hvp(g, wrt="x", method=method)(*args, w, v)
        assert np.shape(product) == np.shape(x), f"hvp ({method}): shape {np.shape(product)}"
        assert relative_error(product, numeric) < 1e-6, f"hvp ({method}): {product} vs {numeric}"
    both, product = sct.grad_and_hvp(g, wrt="x")(*args, w, v)
    assert np.shape(both) == np.shape(x) and np.shape(product) == np.shape(x), "grad_and_hvp: shapes"
    assert relative_error(both, gradient(*args, w)) < EXACT, f"grad_and_hvp: {both} but grad gives another"
    assert relative_error(product, numeric) < 1e-6, f"grad_and_hvp: {product} vs {numeric}"
    assert relative_error(product, sct.hvp(g, wrt="x")(*args, w, v)) < EXACT, "grad_and_hvp: not hvp's"
    if np.size(x) <= 6:
        hess = sct.hessian(g, wrt="x")(*args, w)
        n = np.size(x)
        product = np.asarray(hess).reshape(n, n) @ np.ravel(v)
        assert relative_error(product, np.ravel(numeric)) < 1e-6, f"hessian: {product} vs {numeric}"


@pytest.mark.parametrize("qualname", _rules())
def test_rule_in_every_mode(qualname, tmp_path_factory):
    cases = INPUTS.get(qualname)
    assert cases is not None, f"no inputs declared for rule {qualname} (add them to tests/rule_inputs/)"
    module = _load(cases, tmp_path_factory.mktemp("rules"))
    rng = np.random.default_rng(zlib.crc32(qualname.encode()))
    failures = []
    for i, case in enumerate(cases):
        f, g = getattr(module, f"f{i}"), getattr(module, f"g{i}")
        shapes_list = list(case.shapes)
        for k, shapes in enumerate(shapes_list):
            args = arguments(case, shapes)
            checks = [_check_first_order] + ([_check_each_alone] if k == 0 else [])
            if case.second_order and k in (0, len(shapes_list) - 1):
                checks.append(_check_second_order)
            for check in checks:
                try:
                    check(case, f, g, args, rng)
                except Exception as exc:  # every failure of the rule is reported together
                    failures.append(f"{case.expr} at {shapes}: {type(exc).__name__}: {str(exc)[:300]}")
    assert not failures, f"{qualname}:\n" + "\n".join(failures)


def test_a_rule_without_inputs_fails_the_walk(tmp_path_factory):
    with pytest.raises(AssertionError, match="no inputs declared for rule numpy.not_a_rule"):
        test_rule_in_every_mode("numpy.not_a_rule", tmp_path_factory)


def test_every_declared_input_names_a_registered_rule():
    assert sorted(set(INPUTS) - set(_rules())) == []


# ------------------------------------------------------------------------------------ the reverse seed
def add(x, y):
    return x + y


def diagonal(x):
    return np.diag(x)


def scaled(x):
    return np.sin(x) * 2.0 + x


def total(x):
    return np.sum(x ** 2)


def two_outputs(x):
    return x * 2.0, np.sum(np.sin(x))


def written(x):
    y = x * 1.0
    y[0] = 0.0
    return y * 3.0


@pytest.mark.parametrize("y_shape", [(1,), (3,), (2, 3)])
def test_default_seed_sums_over_broadcast_entries(y_shape):
    """A scalar broadcast against an array: its adjoint under the default seed counts every entry."""
    y = np.linspace(-1.0, 1.0, int(np.prod(y_shape))).reshape(y_shape)
    _, (x_bar, y_bar) = sct.reverse(add, wrt=("x", "y"))(0.5, y)
    assert np.shape(x_bar) == () and x_bar == y.size
    assert np.shape(y_bar) == y_shape and np.all(y_bar == 1.0)


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (3,)])
def test_default_seed_on_a_structural_rule(shape):
    x = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)
    _, x_bar = sct.reverse(diagonal)(x)
    expected = np.eye(shape[0]) if len(shape) == 2 else np.ones(shape)
    assert np.array_equal(x_bar, expected)


@pytest.mark.parametrize("func, x", [(scaled, np.array([0.0, -0.4, 1.3])), (scaled, np.array([[0.2, -1.0]])),
                                     (written, np.array([0.5, -0.2, 0.0]))])
@pytest.mark.parametrize("scale", [1.0, -2.5])
def test_scalar_seed_stands_for_every_entry(func, x, scale):
    bf = sct.reverse(func)
    value = func(x)
    _, default = bf(x, seed=scale)
    _, ones = bf(x, seed=np.full(np.shape(value), scale))
    assert np.shape(default) == x.shape and np.allclose(default, ones, rtol=1e-14)
    numeric = [richardson_difference(lambda z: np.sum(func(z)), (x,), {0: e.reshape(x.shape)})
               for e in np.eye(x.size)]
    assert np.allclose(np.ravel(default), scale * np.ravel(numeric), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("func, x, seed", [
    (total, np.array([0.1, 0.2, 0.3]), np.ones(3)),
    (total, np.array([0.1, 0.2, 0.3]), np.ones(1)),
    (scaled, np.array([0.1, 0.2, 0.3]), np.ones(2)),
    (scaled, np.ones((2, 3)), np.ones((3, 2))),
    (scaled, np.ones((2, 3)), np.ones(3)),
])
def test_a_seed_of_another_shape_is_refused(func, x, seed):
    value = func(x)
    with pytest.raises(ValueError) as caught:
        sct.reverse(func)(x, seed=seed)
    assert str(np.shape(seed)) in str(caught.value) and str(np.shape(value)) in str(caught.value)


def test_tuple_outputs_take_one_seed_each():
    x = np.array([0.3, -0.6, 0.0])
    bf = sct.reverse(two_outputs)
    _, default = bf(x)
    _, explicit = bf(x, seed=(np.ones(3), 1.0))
    assert np.allclose(default, 2.0 + np.cos(x)) and np.allclose(explicit, default)
    _, mixed = bf(x, seed=(np.array([1.0, 0.0, 2.0]), -1.0))
    assert np.allclose(mixed, 2.0 * np.array([1.0, 0.0, 2.0]) - np.cos(x))
    _, halved = bf(x, seed=0.5)
    assert np.allclose(halved, 0.5 * default)
    with pytest.raises(ValueError, match="2 outputs"):
        bf(x, seed=(1.0, 1.0, 1.0))
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        bf(x, seed=(np.ones(2), 1.0))


def test_the_seed_given_is_not_changed():
    x = np.array([0.5, -0.2, 0.0])
    seed = np.array([1.0, 2.0, 3.0])
    sct.reverse(written)(x, seed=seed)
    assert np.array_equal(seed, [1.0, 2.0, 3.0])


def test_the_standalone_module_shapes_the_seed():
    """The emitted module carries the seed handling: no sct needed to call it."""
    namespace: dict = {}
    exec(compile(sct.reverse(add, wrt=("x", "y")).source, "<emitted>", "exec"), namespace)
    _, (x_bar, y_bar) = namespace["diff_add"](0.5, np.ones((2, 3)))
    assert x_bar == 6.0 and np.shape(y_bar) == (2, 3)
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 3\)"):
        namespace["diff_add"](0.5, np.ones((2, 3)), seed=np.ones(3))


# ------------------------------------------------------------------- + and * on lists are not arithmetic
def joined_lists(x, y):
    c = [x] + [y]
    return np.sum(np.stack(c) * np.array([[1.0], [2.0]]))


def joined_names(x):
    parts = [x, x * 2.0]
    more = parts + [np.sin(x)]
    return np.sum(np.stack(more) ** 2)


def repeated_list(x):
    return np.sum(np.stack([x] * 3))


def joined_tuples(x, y):
    t = (x, y)
    return np.sum(np.stack(t + (x,)))


@pytest.mark.parametrize("func", [joined_lists, joined_names, repeated_list, joined_tuples])
@pytest.mark.parametrize("mode", [sct.forward, sct.reverse])
def test_joining_lists_with_operators_is_refused(func, mode):
    with pytest.raises(sct.SCTError, match="joins or repeats") as caught:
        mode(func)
    assert "np.concatenate" in str(caught.value)


def shape_arithmetic(x):
    z = np.zeros((1,) + x.shape) + x
    return np.sum(z * x)


def test_tuples_of_shapes_still_join():
    check_x = np.array([0.3, -0.5])
    assert np.allclose(sct.grad(shape_arithmetic)(check_x), 2 * check_x)
