"""Aliasing and numpy's in-place semantics: an exact derivative, or a refusal at transform time.

numpy changes storage, sct follows values by name: a write (``y[i] = v``, ``y += v``, ``L.append``, a helper
writing into its argument) through one name must not reach memory another name still to be read holds
(``y = x``, a view ``z[1:]``, ``z.reshape``, ``np.flip``, a helper returning its argument, a conditional
expression, tuple assignment, a list). The analysis follows the data flow in statement order, so a view
bound after the write, a copy, fancy indexing and arithmetic are accepted and differentiated exactly.
Calls that change an array in place (``sort``, ``out=``...) and calls whose result is discarded are refused.
"""
from __future__ import annotations

import numpy as np
import pytest
from oracle import check_both_modes

import sct

W = np.array([1.0, 2.0, 3.0, 4.0])
SCALE = 3.0
X4 = np.array([0.3, -0.7, 1.1, 0.5])
X23 = np.array([[0.3, -0.7, 1.1], [0.5, 1.3, -0.2]])


def same(a):
    return a


def double(a):
    return a * 2.0


def bump(a):
    a[0] = 0.0
    return np.sum(a)


def bump_in_place(a):
    a += 1.0
    return 0.0


# ------------------------------------------------------------------------------------------ refused
def aug_through_name(x):
    y = x
    y += 1.0
    return np.sum(x * y)


def aug_times_through_name(x):
    y = x
    y *= x
    return np.sum(x + y)


def aug_slice_view(x):
    z = x * 1.0
    v = z[1:]
    v += 2.0 * x[1:]
    return np.sum(z * x)


def aug_reshape_view(x):
    z = x * 1.0
    r = z.reshape(4)
    r += 1.0
    return np.sum(z * z)


def write_base_of_view(x):
    z = x * 1.0
    v = z[0:2]
    z[0] = 0.0
    return np.sum(v * x[:2])


def through_helper(x):
    z = x * 1.0
    y = same(z)
    y[0] = 0.0
    return np.sum(z * x)


def through_conditional(x):
    z = x * 1.0
    w = x * 2.0
    y = z if x[0] > 0 else w
    y[1] = 0.0
    return np.sum(z * w)


def through_branch(x):
    z = x * 1.0
    if x[0] > 0:
        y = z
    else:
        y = x * 3.0
    y[1] = 0.0
    return np.sum(z * x)


def through_tuple(x):
    z = x * 1.0
    a, b = z, z
    a[0] = 0.0
    return np.sum(b * x)


def through_loop_carried(x):
    z = x * 1.0
    y = x * 2.0
    for i in range(2):
        y[i] = 0.0
        y = z
    return np.sum(z * x)




def flip_view(x):
    z = x * 1.0
    v = np.flip(z)
    v[0] = 0.0
    return np.sum(z * x)


def real_view(x):
    z = x * 1.0
    v = np.real(z)
    v += 1.0
    return np.sum(z * x)


def transpose_attr(x):
    z = x * 1.0
    v = z.T
    v[0] = 0.0
    return np.sum(z * x)


def transpose_function(x):
    z = x * 1.0
    v = np.transpose(z)
    v *= 2.0
    return np.sum(z * x)


def asarray_view(x):
    z = x * 1.0
    v = np.asarray(z)
    v[0] = 0.0
    return np.sum(z * x)


def ravel_view(x):
    z = x * 1.0
    v = z.ravel()
    v[0] = 0.0
    return np.sum(z * x)


def squeeze_view(x):
    z = x * 1.0
    v = np.squeeze(z)
    v += x
    return np.sum(z * x)


def ellipsis_view(x):
    z = x * 1.0
    v = z[...]
    v[0] = 0.0
    return np.sum(z * x)


def index_name_may_be_view(x):
    z = x * 1.0
    i = 1
    v = z[i:]
    v[0] = 0.0
    return np.sum(z * x)


def list_alias_append(x):
    a = [x * 1.0]
    b = a
    b.append(x * 2.0)
    return a[0] * a[-1]


def list_item_written(x):
    y = x * 1.0
    rows = []
    rows.append(y)
    y[0] = 5.0
    return np.sum(rows[0] * x)


def helper_writes_argument(x):
    z = x * 1.0
    s = bump(z)
    return s * np.sum(z)


def helper_adds_in_place(x):
    z = x * 1.0
    s = bump_in_place(z)
    return s + np.sum(z * z)


def write_into_iterated(x):
    s = 0.0
    for row in x:
        x[0] = 2.0
        s = s + row
    return s


def write_into_global(x):
    v = W
    v[0] = x[0]
    return np.sum(v * x)


def list_index_alias(x):
    rows = [x * 1.0, x * 2.0]
    same_rows = rows
    same_rows[0] = x * 3.0
    return np.sum(rows[0])


def tuple_item_written(x):
    pair = (x * 1.0, x * 2.0)
    first = pair[0]
    first[0] = 5.0
    return np.sum(pair[0] * x)


def while_loop_carried(x):
    z = x * 1.0
    y = x * 2.0
    n = 0
    while n < 2:
        y[n] = 0.0
        y = z
        n = n + 1
    return np.sum(z * x)


def global_written_directly(x):
    W[0] = x[0]
    return np.sum(W * x)


REFUSED = [list_index_alias, tuple_item_written, while_loop_carried, global_written_directly,
           aug_through_name, aug_times_through_name, aug_slice_view, aug_reshape_view, write_base_of_view,
           through_helper, through_conditional, through_branch, through_tuple, through_loop_carried,
           flip_view, real_view, transpose_attr, transpose_function, asarray_view, ravel_view, squeeze_view,
           ellipsis_view, index_name_may_be_view, list_alias_append, list_item_written,
           helper_writes_argument, helper_adds_in_place, write_into_global]


@pytest.mark.parametrize("func", REFUSED, ids=lambda f: f.__name__)
def test_write_through_an_alias_is_refused(func):
    """Refused at transform time in every mode, naming the place and how to write it instead."""
    for make in (sct.forward, sct.reverse):
        with pytest.raises(sct.SCTError, match=r"test_sound_alias\.py:\d+:\d+: .*\n\s*hint: ") as info:
            make(func)
        assert "alias" in info.value.construct or "global" in info.value.construct \
            or "loop row" in info.value.construct


# -------------------------------------------------------------------- accepted, and differentiated exactly
def aug_on_fresh_local(x):
    y = x * 1.0
    y += x
    y *= x
    return np.sum(y * y)


def aug_on_scalar(x):
    s = 0.0
    for i in range(4):
        s += x[i] * x[i]
    t = np.sum(x)
    t *= 2.0
    return s + t


def view_bound_after_write(x):
    z = x * 1.0
    z[0] = 0.0
    v = z[0:2]
    return np.sum(v * x[:2])


def view_copied_before_write(x):
    z = x * 1.0
    v = np.copy(z[0:2])
    z[0] = 0.0
    return np.sum(v * z[:2])


def fancy_index_is_a_copy(x):
    z = x * 1.0
    v = z[[0, 1]]
    m = z[z > 0.4]
    z[0] = 0.0
    return np.sum(v * z[:2]) + np.sum(m)


def arithmetic_is_a_copy(x):
    z = x * 1.0
    v = z * 1.0
    w = z.T.copy()
    z[1] = 3.0 * z[1]
    return np.sum(v * z * w)


def view_dead_after_write(x):
    z = x * 1.0
    v = z[1:]
    s = np.sum(v * v)
    z[1] = 0.0
    return s + np.sum(z)


def rebound_in_loop(x):
    z = x * 1.0
    for i in range(3):
        z = z
        z[i] = z[i] * 2.0
    return np.sum(z * x)


def alias_rebound_before_write(x):
    z = x * 1.0
    y = z
    y = y * 2.0
    y[0] = 1.0
    return np.sum(z * y)


def helper_returns_new(x):
    z = x * 1.0
    y = double(z)
    y[0] = 0.0
    return np.sum(y * z)


def branches_both_copy(x):
    z = x * 1.0
    if x[0] > 0:
        y = np.copy(z)
    else:
        y = z * 2.0
    y[1] = 0.0
    return np.sum(z * y)


def list_items_still_read(x):
    p = x * 1.0
    q = x * 2.0
    rows = []
    rows.append(p)
    rows.append(q)
    return np.sum(p * q) + np.sum(rows[0] * rows[1])


def loop_over_rebound_array(x):
    s = 0.0
    for row in x:
        s = s + row * row
        x = x * 2.0
    return s + np.sum(x)


def returned_view_of_written(x):
    z = x * 1.0
    z[1] += 5.0 * x[0]
    return z[1:]


def returned_item_of_written(x):
    z = x * 1.0
    z[1] += 5.0 * x[0]
    return z[1] * 1.0 + z[1]


def aug_on_a_global_number(x):
    t = SCALE
    t += np.sum(x * x)
    return t * SCALE


def printed(x):
    y = np.sin(x)
    print("y is", y.shape)
    return np.sum(y)


ACCEPTED = [aug_on_fresh_local, aug_on_scalar, view_bound_after_write, view_copied_before_write,
            fancy_index_is_a_copy, arithmetic_is_a_copy, view_dead_after_write, rebound_in_loop,
            alias_rebound_before_write, helper_returns_new, branches_both_copy, list_items_still_read,
            loop_over_rebound_array, returned_view_of_written, returned_item_of_written,
            aug_on_a_global_number, printed]


@pytest.mark.parametrize("func", ACCEPTED, ids=lambda f: f.__name__)
def test_unaliased_writes_are_exact(func, capsys):
    """Forward and reverse mode agree with central differences; the value is numpy's."""
    x = X4.copy()
    check_both_modes(func, (x,))
    assert np.array_equal(x, X4)
    expected = func(X4.copy())
    value, _ = sct.reverse(func)(X4.copy())
    assert np.allclose(value, expected, rtol=1e-12)
    default = sct.grad(func)(X4.copy()) if np.ndim(expected) == 0 else sct.reverse(func)(X4.copy())[1]
    u = np.ones(np.shape(expected))
    _, seeded = sct.reverse(func)(X4.copy(), seed=u)
    assert np.allclose(default, seeded)


def test_aug_assignment_through_alias_example_value():
    """`y = x; y += 1` on arrays changes x: sct refuses rather than return numpy's value computed wrongly."""
    with pytest.raises(sct.SCTError, match=r"hint: copy it first: y = np.copy\(x\)"):
        sct.grad(aug_through_name)(X4.copy())


# ------------------------------------------------------------------------------------- in-place calls
def sorts(x):
    y = x * 1.0
    y.sort()
    return y[0]


def fills(x):
    y = x * 1.0
    y.fill(x[0])
    return np.sum(y)


def fills_diagonal(x):
    y = np.outer(x, x)
    np.fill_diagonal(y, 0.0)
    return np.sum(y)


def copies_to(x):
    y = np.zeros(4)
    np.copyto(y, x)
    return np.sum(y * y)


def puts(x):
    y = x * 1.0
    np.put(y, [0, 1], x[:2] * 3.0)
    return np.sum(y)


def adds_at(x):
    y = np.zeros(4)
    np.add.at(y, [0, 0, 1], x[:3])
    return np.sum(y * y)


def out_keyword(x):
    y = np.zeros(4)
    np.multiply(x, x, out=y)
    return np.sum(y)


def out_keyword_assigned(x):
    y = np.zeros(4)
    z = np.multiply(x, x, out=y)
    return np.sum(y + z)


def resizes(x):
    y = x * 1.0
    y.resize(2)
    return np.sum(y)


def places(x):
    y = x * 1.0
    np.place(y, y > 0.4, 0.0)
    return np.sum(y)


def putmasks(x):
    y = x * 1.0
    np.putmask(y, y > 0.4, x)
    return np.sum(y)


def extends(x):
    rows = [x]
    rows.extend([x * 2.0])
    return np.sum(rows[0] * rows[1])


def discarded_helper(x):
    y = x * 1.0
    bump(y)
    return np.sum(y)


def shape_assigned(x):
    y = x * 1.0
    y.shape = (2, 2)
    return np.sum(y[0] * x[:2])


def discarded_method(x):
    y = x * 1.0
    y.clip(0.0, 1.0)
    return np.sum(y)


IN_PLACE = [sorts, fills, fills_diagonal, copies_to, puts, adds_at, out_keyword, out_keyword_assigned,
            shape_assigned, resizes, places, putmasks, extends, discarded_helper, discarded_method]


@pytest.mark.parametrize("func", IN_PLACE, ids=lambda f: f.__name__)
def test_in_place_calls_are_refused(func):
    """Never a silent zero: an in-place call, or a call whose result is thrown away, is refused."""
    for make in (sct.forward, sct.reverse):
        with pytest.raises(sct.SCTError, match=r"test_sound_alias\.py:\d+:\d+: .*(in place|discarded).*\n"
                                               r"\s*hint: "):
            make(func)


# ----------------------------------------------- derivative code: tangents must not alias where values don't
FRESH_COPIES = ["z * 1.0", "1.0 * z", "np.copy(z)", "z.copy()", "+z", "z.astype(float)", "np.array(z)",
                "z / 1.0", "z + 0.0", "z.flatten()", "z[[0, 1, 2, 3]]", "z * 2.0"]
FRESH_TEMPLATE = '''
import numpy as np


def f(x):
    z = x * 1.0
    v = {expr}
    z[1] = 3.0 * z[1] + x[0]
    return np.sum(v * z * z)
'''


def _load(tmp_path, text, name):
    import importlib.util

    path = tmp_path / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


@pytest.mark.parametrize("expr", FRESH_COPIES)
def test_a_new_value_gets_a_tangent_of_its_own(tmp_path, expr):
    """``v = z * 1.0`` is a new array; its tangent must not be ``z_dot`` itself (the write into ``z_dot``
    would change it), nor may constant folding move ``2.0 * z_dot`` past that write (every mode)."""
    f = _load(tmp_path, FRESH_TEMPLATE.format(expr=expr), f"fresh_{FRESH_COPIES.index(expr)}")
    check_both_modes(f, (X4.copy(),))
    numeric = np.array([(f(X4 + e) - f(X4 - e)) / 2e-6 for e in np.eye(4) * 1e-6])
    assert np.allclose(sct.jacobian(f)(X4.copy()), numeric, rtol=1e-6, atol=1e-8)
    assert np.allclose(sct.grad(f)(X4.copy()), numeric, rtol=1e-6, atol=1e-8)


def written_view(a):
    z = a * 1.0
    z[0] = 2.0 * z[0]
    return z[0:2]


def calls_written_view(x):
    y = written_view(x)
    return np.sum(y * y * x[:2])


def test_helper_returning_a_view_of_an_array_it_wrote():
    """The helper's reverse sweep writes back into ``z``; the value handed to the caller is a copy."""
    check_both_modes(calls_written_view, (X4.copy(),))
    assert np.allclose(sct.reverse(written_view)(X4.copy(), seed=np.ones(2))[0], written_view(X4.copy()))


def scaled_by_one_into_writing_helper(x):
    z = x * 1.0
    s = bump(z)
    return s + np.sum(x * x * x)


def writes_its_parameter(x):
    x[0] = 2.0 * x[1]
    return np.sum(x * x)


def test_helper_writing_into_a_tangent_that_aliases_the_callers():
    """``z = x * 1.0`` has tangent ``x_dot``; the helper writing into its parameter by index must not
    write into the caller's ``x_dot``."""
    f = scaled_by_one_into_writing_helper
    check_both_modes(f, (X4.copy(),))
    numeric = np.array([(f(X4 + e) - f(X4 - e)) / 2e-6 for e in np.eye(4) * 1e-6])
    assert np.allclose(sct.jacobian(f)(X4.copy()), numeric, rtol=1e-6)


def writes_its_parameter_through_a_helper(x):
    x = same(x)
    x[0] = 2.0 * x[1]
    return np.sum(x * x)


def test_forward_mode_leaves_the_callers_tangent_alone():
    """A parameter written by index, by its name or through an alias, gets a tangent of its own."""
    for func in (writes_its_parameter, writes_its_parameter_through_a_helper):
        tangent = np.array([1.0, 0.0, 0.0, 0.0])
        _, dot = sct.forward(func)(X4.copy(), tangent)
        assert np.array_equal(tangent, [1.0, 0.0, 0.0, 0.0])
        assert dot == pytest.approx(0.0)  # x[0] is overwritten: the first input no longer matters


# --------------------------------------------------------------- random programs: exact or refused
_PROGRAM_HEAD = '''import numpy as np


def same(t):
    return t


def poke(t):
    t[0] = t[1] * 2.0
    return np.sum(t)


def f(x):
    a = x * 1.0
    b = x * 2.0
    c = x + 1.0
    d = np.sin(x)
'''
_NAMES = ["a", "b", "c", "d"]
_VIEWS = ["{m}", "{m}[:]", "{m}[::1]", "{m}.reshape(4)", "np.asarray({m})", "{m}.T", "np.flip({m})",
          "{m}.ravel()", "{m}[...]"]
_COPIES = ["np.copy({m})", "{m} * 1.0", "{m}[[0, 1, 2, 3]]", "{m}.copy()", "{m} + x", "np.sin({m})"]


def _random_statement(rng) -> str:
    n, m = rng.choice(_NAMES + ["x"]), rng.choice(_NAMES + ["x"])
    kind = rng.random()
    i, j, k = rng.randrange(4), rng.randrange(4), rng.choice(["0.5", "2.0", "-1.5"])
    if n == "x" and kind < 0.5:
        n = "a"
    either = rng.choice(_VIEWS + _COPIES).format(m=m)
    choices = [
        (0.2, f"{n} = " + rng.choice(_VIEWS).format(m=m)),
        (0.35, f"{n} = " + rng.choice(_COPIES).format(m=m)),
        (0.55, f"{n}[{i}] = {m}[{j}] * {k}"),
        (0.7, f"{n} {rng.choice(['+=', '*=', '-='])} {m} * {k}"),
        (0.8, f"{n}[{i}] += np.sin({m}[{j}])"),
        (0.9, f"if x[{i}] > 0.0:\n        {n} = {either}"),
        (0.93, f"{n} = same({m})"),
        (0.95, f"{n} = {m} if x[{i}] > 0.0 else {rng.choice(_NAMES)}"),
        (0.97, f"s = poke({m})\n    {n} = {n} * s"),
        (0.99, f"rows = [{m}]\n    rows.append({n})\n    {n} = rows[0]"),
        (1.0, f"for i in range(2):\n        {n}[i] = {m}[i + 1] * {k}\n        {n} = {either}"),
    ]
    return next(text for bound, text in choices if kind < bound)


def _random_program(rng) -> str:
    body = [_random_statement(rng) for _ in range(rng.randint(2, 7))]
    return _PROGRAM_HEAD + "".join(f"    {s}\n" for s in body) + \
        "    return np.sum(a * b) + np.sum(c * d) + np.sum(x * x)\n"


def test_random_alias_programs_are_exact_or_refused(tmp_path):
    """Views, copies, index and augmented writes, helpers, branches and lists in random order: whatever sct
    accepts has numpy's value and the derivative of central differences in both modes."""
    import random

    rng = random.Random(11)
    direction = np.array([0.3, -1.2, 0.7, 2.0])
    accepted = 0
    for number in range(250):
        text = _random_program(rng)
        f = _load(tmp_path, text, f"alias_program_{number}")
        try:
            forward, reverse = sct.forward(f), sct.reverse(f)
        except sct.SCTError:
            continue
        accepted += 1
        value = f(X4.copy())
        numeric = np.array([(f(X4 + e) - f(X4 - e)) / 2e-6 for e in np.eye(4) * 1e-6])
        out, gradient = reverse(X4.copy())
        assert np.allclose(out, value, rtol=1e-12), text
        assert np.allclose(gradient, numeric, rtol=1e-5, atol=1e-6), text
        out, tangent = forward(X4.copy(), direction.copy())
        assert np.allclose(out, value, rtol=1e-12), text
        assert np.allclose(tangent, numeric @ direction, rtol=1e-5, atol=1e-6), text
    assert accepted > 100  # the check is not vacuous: most unaliased programs are accepted


def pops_a_list(x):
    rows = []
    rows.append(x * 2.0)
    rows.append(x * 3.0)
    rows.pop()
    return np.sum(rows[-1] * x)


def test_a_discarded_pop_is_refused():
    """Reverse mode has no adjoint for a list shrunk in place (it failed when called): refused up front."""
    for make in (sct.forward, sct.reverse):
        with pytest.raises(sct.SCTError, match=r"rows.pop\(\)` is discarded.*\n.*rows = rows\[:-1\]"):
            make(pops_a_list)


@pytest.mark.parametrize("func", [aug_on_fresh_local, rebound_in_loop, fancy_index_is_a_copy,
                                  scaled_by_one_into_writing_helper, calls_written_view],
                         ids=lambda f: f.__name__)
def test_second_order_of_unaliased_writes(func):
    """The emitted derivative, transformed again, keeps the same storage discipline."""
    def gradient(x):
        return np.array([(func(x + e) - func(x - e)) / 2e-5 for e in np.eye(4) * 1e-5])

    numeric = np.array([(gradient(X4 + e) - gradient(X4 - e)) / 2e-4 for e in np.eye(4) * 1e-4])
    assert np.allclose(sct.hessian(func)(X4.copy()), numeric, rtol=1e-5, atol=1e-5)
