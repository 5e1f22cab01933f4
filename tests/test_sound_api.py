"""The API and the emitted module see what the function sees, and change nothing the caller gave.

Bug classes covered: derivatives that kept a module global, array, helper, closure value or default value
from the time they were emitted; adjoints of tuple/list arguments returned as one array; complex
arguments accepted with wrong results; loops over ``zip`` that failed when called; a user name spelled
like one of sct's runtime helpers replacing it; an emitted module that differs from the API on integer
inputs; tangents and seeds written into; ``sct transform`` writing through a link to its input; files in
another encoding than UTF-8; unhelpful messages for a missing tangent or an extra argument.
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from cli_support import load, run, write
from oracle import central_difference, check_both_modes, relative_error

import sct

SCALE = 2.0
WEIGHTS = np.array([1.0, 2.0, 3.0])


def helper(x):
    return x * 2.0


def uses_globals(x):
    return SCALE * np.sum(WEIGHTS * x) + helper(x[0])


def with_default(x, a=SCALE):
    return a * np.sin(x)


def numeric_gradient(f, args, index=0):
    x = np.asarray(args[index], dtype=float)
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = 1.0
        grad[i] = central_difference(f, args, index, e)
    return grad


# ------------------------------------------------------------------------------ stale derivatives
@pytest.mark.parametrize("rebind", ["scalar", "array", "helper", "all"])
def test_rebound_globals_are_seen(monkeypatch, rebind):
    x = np.array([0.3, -1.2, 2.0])
    existing = sct.grad(uses_globals)
    forward = sct.forward(uses_globals)
    existing(x)  # emitted and used before the rebinding
    forward(x, np.ones(3))

    def tripled(x):
        return x * 3.0 + x ** 2

    if rebind in ("scalar", "all"):
        monkeypatch.setitem(globals(), "SCALE", -5.0)
    if rebind in ("array", "all"):
        monkeypatch.setitem(globals(), "WEIGHTS", np.array([0.5, 0.0, -4.0]))
    if rebind in ("helper", "all"):
        monkeypatch.setitem(globals(), "helper", tripled)
    expected = numeric_gradient(uses_globals, (x,))
    assert relative_error(existing(x), expected) < 1e-6
    assert relative_error(sct.grad(uses_globals)(x), expected) < 1e-6
    _, tangent = forward(x, np.array([1.0, 0.0, 0.0]))
    assert relative_error(tangent, expected[0]) < 1e-6
    check_both_modes(uses_globals, (x,))


def test_rebound_helper_in_a_helper_is_redifferentiated(monkeypatch):
    def outer(x):
        return helper(x) * x

    gradient = sct.grad(outer)
    assert relative_error(gradient(1.5), 6.0) < 1e-12
    monkeypatch.setitem(globals(), "helper", np.cos)  # a library function now: its rule applies
    assert relative_error(gradient(1.5), np.cos(1.5) - 1.5 * np.sin(1.5)) < 1e-12
    monkeypatch.setitem(globals(), "helper", lambda v: v)  # a lambda: refused, not silently stale
    with pytest.raises(sct.SCTError):
        gradient(1.5)


def test_closure_values_are_read_when_called():
    def make():
        k = 2.0
        w = np.array([1.0, -1.0])

        def f(x):
            return k * np.sum(w * x ** 2)

        def set_(new_k, new_w):
            nonlocal k, w
            k, w = new_k, new_w
        return f, set_

    f, set_ = make()
    x = np.array([0.5, 2.0])
    g = sct.grad(f)
    df = sct.forward(f)
    assert relative_error(g(x), numeric_gradient(f, (x,))) < 1e-6
    set_(-3.0, np.array([4.0, 0.25]))
    assert relative_error(g(x), numeric_gradient(f, (x,))) < 1e-6
    assert relative_error(df(x, np.ones(2))[1], np.sum(numeric_gradient(f, (x,)))) < 1e-6


def test_default_values_are_the_functions_own(monkeypatch):
    monkeypatch.setitem(globals(), "SCALE", 10.0)  # the default was evaluated at def time: 2.0
    assert with_default(1.0) == 2.0 * np.sin(1.0)
    assert relative_error(sct.grad(with_default)(0.4), 2.0 * np.cos(0.4)) < 1e-12
    assert relative_error(sct.forward(with_default)(0.4, 1.0)[1], 2.0 * np.cos(0.4)) < 1e-12
    with_default.__defaults__ = (-1.5,)
    try:
        assert relative_error(sct.grad(with_default)(0.4), -1.5 * np.cos(0.4)) < 1e-12
    finally:
        with_default.__defaults__ = (2.0,)

    def calls_default(x):
        return with_default(x) * x

    expected = central_difference(calls_default, (0.7,), 0, 1.0)
    assert relative_error(sct.grad(calls_default)(0.7), expected) < 1e-6


# ------------------------------------------------------------------------------ containers
def pair(p):
    return np.sum(p[0] * p[1]) + np.sum(p[1] ** 3)


def nested(p):
    return np.sum(p[0][0] * p[1][1]) + p[0][1][0] * 2.0


@pytest.mark.parametrize("container", [tuple, list])
def test_container_adjoints_keep_the_container_and_shapes(container):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(3), rng.standard_normal(3)
    p = container([a, b])
    value, (ga, gb) = sct.reverse(pair)(p)
    grads = sct.reverse(pair)(p)[1]
    assert type(grads) is container and [np.shape(g) for g in grads] == [(3,), (3,)]
    assert relative_error(ga, b) < 1e-12 and relative_error(gb, a + 3 * b ** 2) < 1e-12
    assert type(sct.grad(pair)(p)) is container
    _, tangent = sct.forward(pair)(p, container([np.ones(3), np.zeros(3)]))
    assert relative_error(tangent, np.sum(b)) < 1e-12
    scalars = container([0.5, -2.0])
    g = sct.grad(product_of_items)(scalars)
    assert type(g) is container and all(isinstance(item, float) for item in g)
    assert relative_error(np.array(g), [-2.0, 0.5]) < 1e-12


def product_of_items(p):
    return p[0] * p[1]


def test_nested_and_heterogeneous_containers():
    p = ((np.ones(2), np.array([3.0, 4.0])), (np.array([1.0, 2.0]), np.array([5.0, 6.0])))
    grads = sct.grad(nested)(p)
    assert type(grads) is tuple and type(grads[0]) is tuple
    assert relative_error(grads[0][0], [5.0, 6.0]) < 1e-12
    assert relative_error(grads[0][1], [2.0, 0.0]) < 1e-12
    assert relative_error(grads[1][1], [1.0, 1.0]) < 1e-12
    mixed = (np.ones(3), 2.0)
    _, tangent = sct.forward(first_and_second)(mixed, (np.ones(3), 1.0))  # forward mode takes any shapes
    assert relative_error(tangent, 3.0 + 12.0) < 1e-12
    with pytest.raises(TypeError, match="argument 'p'.*different shapes"):
        sct.grad(first_and_second)(mixed)


def first_and_second(p):
    return np.sum(p[0]) + p[1] ** 3


def reads_dict(d):
    return d["a"] * 2.0


def square(x):
    return x * x


def scaled(x, c):
    return x * c


def test_dict_arguments_are_differentiated_and_complex_ones_refused_naming_them():
    assert sct.reverse(reads_dict)({"a": 1.0}) == (2.0, {"a": 2.0})
    assert sct.forward(reads_dict)({"a": 1.0}, {"a": 3.0}) == (2.0, 6.0)
    with pytest.raises(TypeError, match="argument 'x' is complex"):
        sct.grad(square)(1.0 + 1j)
    with pytest.raises(TypeError, match="argument 'x' is complex"):
        sct.forward(square)(np.array([1.0 + 2j]), np.ones(1))
    with pytest.raises(TypeError, match="argument 'c' is complex"):
        sct.grad(scaled)(1.0, 2j)
    with pytest.raises(TypeError, match="x_dot.* is complex"):
        sct.forward(square)(1.0, 1j)
    with pytest.raises(TypeError, match="complex"):
        sct.reverse(square)(1.0, seed=1j)


# ------------------------------------------------------------------------------ loops over zip
def dot_zip(a, b):
    s = 0.0
    for u, v in zip(a, b):
        s = s + u * np.sin(v)
    return s


def weighted_zip(a, b, c):
    s = 0.0
    for i, (u, v, w) in enumerate(zip(a, b, c)):
        s = s + (i + 1.0) * u * v - w ** 2
    return s


@pytest.mark.parametrize("index", [0, 1])
def test_zip_loops_both_modes(index):
    rng = np.random.default_rng(2)
    check_both_modes(dot_zip, (rng.standard_normal(4), rng.standard_normal(4)), index)
    check_both_modes(weighted_zip, (rng.standard_normal(3), rng.standard_normal(3), rng.standard_normal(3)),
                     index)
    a, b = rng.standard_normal(5), rng.standard_normal(3)  # zip stops at the shortest
    grads = sct.grad(dot_zip, wrt="a,b")(a, b)
    assert relative_error(grads[0], numeric_gradient(dot_zip, (a, b), 0)) < 1e-6
    assert relative_error(grads[1], numeric_gradient(dot_zip, (a, b), 1)) < 1e-6


def over_filter(a):
    s = 0.0
    for u in filter(None, a):
        s = s * 2.0 + u
    return s


def over_map(a):
    s = 0.0
    for u in map(np.sin, a):
        s = s + u
    return s


@pytest.mark.parametrize("func", [over_filter, over_map])
@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_loops_over_other_iterators_are_refused_at_transform_time(func, mode):
    with pytest.raises(sct.SCTError, match="loop over") as info:
        getattr(sct, mode)(func)
    assert info.value.lineno is not None and "range(len" in info.value.hint


# ------------------------------------------------------------------------------ inputs left alone
def negate_first(v):
    v[0] = -v[0]
    return np.sum(v * v)


def negate_first_vector(v):
    v[0] = -v[0]
    return v * 2.0


def test_tangents_seeds_and_arguments_are_not_written_into():
    v = np.array([1.0, 0.0, 0.0])
    x = np.array([1.0, 2.0, 3.0])
    value, tangent = sct.forward(negate_first)(x, v)
    assert v.tolist() == [1.0, 0.0, 0.0] and x.tolist() == [1.0, 2.0, 3.0]
    assert value == 14.0 and tangent == 2.0
    seed = np.array([1.0, 0.5, 0.0])
    _, adjoint = sct.reverse(negate_first_vector)(x, seed=seed)
    assert seed.tolist() == [1.0, 0.5, 0.0] and x.tolist() == [1.0, 2.0, 3.0]
    assert adjoint.tolist() == [-2.0, 1.0, 0.0]
    assert sct.grad(negate_first)(x).tolist() == [2.0, 4.0, 6.0] and x.tolist() == [1.0, 2.0, 3.0]


def calls_negate_first(v, w):
    return negate_first(v) * np.sum(w)


def test_inputs_written_by_a_helper_are_copied_too():
    x, w = np.array([1.0, 2.0]), np.array([0.5, 0.5])
    t = np.array([1.0, 0.0])
    value, tangent = sct.forward(calls_negate_first)(x, w, t)
    assert t.tolist() == [1.0, 0.0] and x.tolist() == [1.0, 2.0]
    assert value == 5.0 and tangent == 2.0
    grads = sct.grad(calls_negate_first, wrt="v,w")(x, w)
    assert x.tolist() == [1.0, 2.0]
    assert relative_error(grads[0], [2.0, 4.0]) < 1e-12 and relative_error(grads[1], [5.0, 5.0]) < 1e-12


def test_error_messages_name_the_missing_tangent_or_extra_argument():
    def two(x, lam):
        return x * lam

    with pytest.raises(TypeError, match="tangent x_dot is missing"):
        sct.forward(two)(1.0, 2.0)
    with pytest.raises(TypeError, match="tangent lam_dot is missing"):
        sct.forward(two, wrt="x,lam")(1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match="tangent x_dot, lam_dot are missing"):
        sct.forward(two, wrt="x,lam")(1.0, 2.0)
    with pytest.raises(TypeError, match="extra: 3.0"):
        sct.grad(two)(1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match=r"extra: an array of shape \(2,\)"):
        sct.reverse(two)(1.0, 2.0, np.ones(2))
    assert sct.forward(two)(1.0, 2.0, x_dot=1.0) == (2.0, 2.0)
    assert sct.forward(two)(1.0, lam=2.0, x_dot=1.0) == (2.0, 2.0)


# ------------------------------------------------------------------------------ name capture
CAPTURE_PY = """\
import numpy as np


def unbroadcast(x):
    return x * 10.0


def twice(x):
    return x * 2.0


def twice(x):
    return x * 3.0


def uses_own(x, y):
    return np.sum(unbroadcast(x) * y) + twice(x)


def locals_named_like_helpers(unreduce, y):
    zeros_list = unreduce * y
    scatter = np.sum(zeros_list ** 2)
    return scatter


def plain(x, y):
    return np.sum(x * y)


def calls_it_inactive(x, y):
    return np.sum(x * y) * np.sum(unbroadcast(y))
"""


def _capture_module(tmp_path):
    path = write(tmp_path, "capture.py", CAPTURE_PY)
    sys.path.insert(0, str(tmp_path))
    try:
        module = load(path)
    finally:
        sys.path.remove(str(tmp_path))
    return path, module


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_user_names_like_runtime_helpers(tmp_path, mode):
    path, module = _capture_module(tmp_path)
    result = run("transform", str(path), "--mode", mode, "-o", str(tmp_path / "d.py"))
    assert result.exit_code == 0, result.output + str(result.exception)
    emitted = load(tmp_path / "d.py")
    x, y = 0.7, np.array([1.0, -2.0, 0.5])
    cases = [("uses_own", (x, y)), ("locals_named_like_helpers", (x, y)), ("plain", (np.ones(3) * x, y)),
             ("calls_it_inactive", (np.ones(3) * x, y))]
    for name, args in cases:
        f = getattr(module, name)
        expected = np.sum(numeric_gradient(f, args)) if mode == "forward" else numeric_gradient(f, args)
        if mode == "forward":
            api = sct.forward(f)(*args, np.ones(np.shape(args[0])))
            standalone = getattr(emitted, f"diff_{name}")(*args, np.ones(np.shape(args[0])))
        else:
            api = sct.reverse(f)(*args)
            standalone = getattr(emitted, f"diff_{name}")(*args)
        assert relative_error(api[1], expected) < 1e-6, name
        assert relative_error(standalone[1], expected) < 1e-6, name
        assert np.allclose(api[0], f(*args)) and np.allclose(standalone[0], f(*args))
    source = (tmp_path / "d.py").read_text()
    assert "__sct_user" not in source and "__sct_user" not in sct.reverse(module.uses_own).source
    if mode == "reverse":  # the user's function and sct's helper both in the module, under two names
        assert "def sct_unbroadcast(" in source and "def unbroadcast(x):" in source


def test_parameter_named_like_a_helper_by_keyword(tmp_path):
    _, module = _capture_module(tmp_path)
    f = module.locals_named_like_helpers
    y = np.array([1.0, 2.0])
    g = sct.grad(f, wrt="unreduce")
    assert relative_error(g(unreduce=0.5, y=y), 2 * 0.5 * np.sum(y ** 2)) < 1e-12
    assert sct.reverse(f, wrt=("unreduce", "y")).wrt == ("unreduce", "y")


# ------------------------------------------------------------------------------ the standalone module
MODULE_PY = """\
# -*- coding: latin-1 -*-
import numpy as np

GAIN = 2.0


def f(x, c=GAIN):
    # caf\xe9: a latin-1 comment
    return c * np.sum(x ** 2)


GAIN = 5.0


def g(v):
    v[0] = -v[0]
    return v * 3.0
"""


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_standalone_module_behaves_like_the_api(tmp_path, mode):
    path = tmp_path / "model.py"
    path.write_bytes(MODULE_PY.encode("latin-1"))
    out = tmp_path / "diff_model.py"
    result = run("transform", str(path), "--mode", mode, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    emitted = load(out)
    integers = np.array([1, 2, 3])
    if mode == "reverse":
        value, grad = emitted.diff_f(integers)
        assert grad.dtype.kind == "f" and grad.tolist() == [4.0, 8.0, 12.0]  # the default is 2.0
        seed = np.array([1.0, 1.0, 2.0])
        _, gv = emitted.diff_g(np.array([1.0, 2.0, 3.0]), seed)
        assert gv.tolist() == [-3.0, 3.0, 6.0] and seed.tolist() == [1.0, 1.0, 2.0]
        with pytest.raises(TypeError, match="argument 'x' is complex"):
            emitted.diff_f(np.array([1j]))
    else:
        tangent = np.array([1, 0, 0])
        value, dot = emitted.diff_f(integers, x_dot=tangent)
        assert float(dot) == 4.0 and value == 28.0 and tangent.tolist() == [1, 0, 0]
        v_dot = np.array([1.0, 0.0, 0.0])
        _, gdot = emitted.diff_g(np.array([1.0, 2.0, 3.0]), v_dot)
        assert v_dot.tolist() == [1.0, 0.0, 0.0] and gdot.tolist() == [-3.0, 0.0, 0.0]


def test_utf8_bom_is_read(tmp_path):
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfimport numpy as np\n\n\ndef f(x):\n    return np.sin(x)\n")
    result = run("transform", str(path), "--print")
    assert result.exit_code == 0, result.stderr
    assert "def diff_f(x, x_dot):" in result.stdout


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_transform_never_writes_the_input_through_a_link(tmp_path, link):
    path = write(tmp_path, "f.py", "def f(x):\n    return x * x\n")
    before = path.read_text()
    alias = tmp_path / "alias.py"
    (os.link if link == "hard" else os.symlink)(path, alias)
    result = run("transform", str(path), "-o", str(alias), "--force")
    assert result.exit_code == 2 and "input file" in result.stderr
    assert path.read_text() == before


def test_forced_output_replaces_a_hard_link_instead_of_writing_through_it(tmp_path):
    path = write(tmp_path, "f.py", "def f(x):\n    return x * x\n")
    other = write(tmp_path, "keep.txt", "keep me\n")
    alias = tmp_path / "out.py"
    os.link(other, alias)
    result = run("transform", str(path), "-o", str(alias), "--force")
    assert result.exit_code == 0, result.stderr
    assert other.read_text() == "keep me\n" and "def diff_f" in alias.read_text()


def test_higher_derivatives_follow_a_rebound_helper(monkeypatch):
    def outer(x):
        return np.sum(helper(x) * x)

    x = np.array([0.5, -1.0])
    held = sct.hessian(outer)
    assert relative_error(held(x), 4.0 * np.eye(2)) < 1e-12
    monkeypatch.setitem(globals(), "helper", np.sin)
    expected = np.diag(2 * np.cos(x) - x * np.sin(x))
    assert relative_error(held(x), expected) < 1e-12
    assert relative_error(sct.hessian(outer)(x), expected) < 1e-12
    assert relative_error(sct.hvp(outer)(x, np.ones(2)), expected @ np.ones(2)) < 1e-12
    assert relative_error(sct.jacobian(outer)(x), 2 * x * 0 + np.sin(x) + x * np.cos(x)) < 1e-12


def test_higher_derivatives_with_user_names_like_runtime_helpers(tmp_path):
    _, module = _capture_module(tmp_path)
    x, y = np.array([0.3, 0.7]), np.array([1.0, 2.0])
    assert relative_error(sct.hessian(module.calls_it_inactive, wrt="y")(x, y),
                          10 * (x[:, None] + x[None, :])) < 1e-12
    assert relative_error(sct.hessian(module.locals_named_like_helpers)(0.5, y), 2 * np.sum(y ** 2)) < 1e-12
    assert relative_error(sct.jacobian(module.uses_own, mode="reverse")(x, y),
                          10 * y[None, :] + 3 * np.eye(2)) < 1e-12


def counts(x):
    return np.sum(x) * len(x)


def test_a_global_that_shadows_a_builtin_later_is_seen(monkeypatch):
    x = np.ones(3)
    g = sct.grad(counts)
    assert g(x).tolist() == [3.0, 3.0, 3.0]
    monkeypatch.setitem(globals(), "len", lambda v: 2.0)
    with pytest.raises(sct.SCTError):  # a lambda now: sct cannot see into it, and says so
        g(x)
    monkeypatch.setitem(globals(), "len", np.size)
    assert g(x).tolist() == [3.0, 3.0, 3.0]
    monkeypatch.delitem(globals(), "len")
    assert g(x).tolist() == [3.0, 3.0, 3.0]


def with_seed_parameter(x, seed):
    return x * seed


def test_a_parameter_named_seed_keeps_its_name():
    assert sct.grad(with_seed_parameter)(2.0, seed=3.0) == 3.0
    assert sct.reverse(with_seed_parameter)(2.0, 3.0, seed_1=2.0) == (6.0, 6.0)


@pytest.mark.parametrize("make", [sct.hessian, sct.jacobian, sct.hvp])
def test_higher_derivatives_refuse_complex_inputs(make):
    extra = (np.ones(2),) if make is sct.hvp else ()
    with pytest.raises(TypeError, match="argument 'x' is complex"):
        make(square_sum)(np.array([1.0 + 1j, 2.0]), *extra)


def square_sum(x):
    return np.sum(x * x)


def keyword_only(x, *, k=2.0):
    return np.sum(x ** 2 * k)


def test_keyword_only_parameters_and_the_seed():
    x = np.array([1.0, -2.0])
    assert sct.reverse(keyword_only)(x, seed=2.0)[1].tolist() == [8.0, -16.0]
    assert sct.grad(keyword_only)(x, k=3.0).tolist() == [6.0, -12.0]
    assert sct.forward(keyword_only)(x, np.ones(2), k=3.0)[1] == -6.0
    assert sct.grad(keyword_only, wrt="k")(x) == 5.0


def test_a_helper_from_another_module_reads_its_own_globals(tmp_path, monkeypatch):
    """Both modules bind C; the helper's derivative must read the helper's module's C."""
    write(tmp_path, "other_b.py", "import numpy as np\nC = 2.0\n\n\ndef h(x):\n    return C * np.sin(x)\n")
    write(tmp_path, "other_a.py", "from other_b import h\nC = 5.0\n\n\ndef f(x):\n    return h(x) * C\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import other_a
    import other_b

    x = 0.3
    expected = 10 * np.cos(x)
    assert relative_error(sct.grad(other_a.f)(x), expected) < 1e-12
    assert relative_error(sct.forward(other_a.f)(x, 1.0)[1], expected) < 1e-12
    assert relative_error(sct.jacobian(other_a.f)(x), expected) < 1e-12
    assert relative_error(sct.jacobian(other_a.f, mode="reverse")(x), expected) < 1e-12
    assert relative_error(sct.hessian(other_a.f)(np.array(x)), -10 * np.sin(x)) < 1e-12
    assert relative_error(sct.hvp(other_a.f)(x, 1.0), -10 * np.sin(x)) < 1e-12
    monkeypatch.setattr(other_b, "C", -1.0)  # and live, too
    assert relative_error(sct.grad(other_a.f)(x), -5 * np.cos(x)) < 1e-12
