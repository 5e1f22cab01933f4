"""Binomial checkpointing in reverse mode: the same gradient as without it, with the optimal recompute count.

The oracle for each gradient is sct's own reverse mode without checkpointing (which keeps every value each
iteration overwrites) and central differences; the recompute count is checked against Revolve's optimum
``r * n - C(c + r, c + 1)`` (tests/test_checkpoint_schedule.py checks that formula against an exhaustive
search). Markers in helpers and plain loops, memory budgets, settings.
"""
import inspect

import numpy as np
import pytest
from checkpointing_support import X, central

import sct
from sct.runtime.checkpointing import checkpoint_cost

CALLS = [0]


def tick():
    CALLS[0] = CALLS[0] + 1
    return 0.0


def damp(u, c):
    return np.tanh(u) * c


def branches(x, n):
    s = x
    for _i in range(n):
        t = tick()
        if np.sum(s) > 0.5:
            s = s * 0.9 + 0.05 * np.roll(s, 1) + t
        else:
            s = damp(s, 1.3)
    return np.sum(s ** 2)


def nested(x, n):
    s = x
    acc = 0.0
    for i in range(n):
        for j in range(3):
            s = np.sin(s + 0.1 * j)
        acc = acc + s[0] * i
    return acc + np.sum(s)


def jumps(x, n):
    s = x
    t = 0.0
    for i in range(n):
        if i % 3 == 1:
            continue
        s = np.cos(s) + 0.2 * x
        t = t + np.sum(s)
        if t > 4.0:
            break
    return t * np.sum(s)


def early(x, n):
    s = x
    for _i in range(n):
        s = 1.05 * s + 0.01 * np.sin(s)
        if np.max(s) > 0.8:
            return np.sum(s) * 3.0
    return np.sum(s)


def whiles(x, n):
    s = x
    k = 0
    while np.sum(s) < 6.0 and k < n:
        s = s * 1.1 + 0.05 * np.sin(x)
        k = k + 1
    return np.sum(s ** 2)


def indexed(x, n):
    u = np.zeros(5)
    u[:] = x
    for _i in range(n):
        v = u.copy()
        u[1:] = 0.5 * (v[1:] + v[:-1])
        u[0] = np.sin(v[0])
    return np.sum(u ** 3)


def marked(x, n):
    s = x
    for _i in sct.checkpointed(range(n), snapshots=2):
        t = tick()
        s = np.sin(s) + 0.3 * x + t
    return np.sum(s)


def budget(x, n):
    s = x
    for _i in sct.checkpointed(range(n), memory="120B"):
        s = np.sin(s) * 0.9 + x
    return np.sum(s)


def indexed_break(x, n):
    u = np.zeros(5)
    u[:] = x
    for _i in range(n):
        v = u.copy()
        u[1:] = 0.5 * (v[1:] + v[:-1]) + 0.3
        u[0] = np.sin(v[0])
        if np.sum(u) > 4.0:
            break
    return np.sum(u ** 3)


def in_branch(x, n):
    s = x
    if n > 2:
        for _i in range(n):
            s = np.sin(s) * 1.1
    return np.sum(s)


LOOPS = [branches, nested, jumps, early, whiles, indexed, indexed_break, in_branch]


@pytest.mark.parametrize("func", LOOPS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("steps", [0, 1, 7, 23])
def test_checkpointed_gradient_equals_the_taped_one(func, steps):
    expected = sct.grad(func)(X, steps)
    for snapshots in (1, 2, 3, 30):
        got = sct.grad(func, checkpoints=snapshots)(X, steps)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def test_early_exits_take_effect():
    # the loops above stop early for these inputs, so the flags are exercised
    assert early(X, 23) != pytest.approx(np.sum(X))
    assert whiles(X, 50) == pytest.approx(whiles(X, 60))


@pytest.mark.parametrize("steps", [1, 2, 9, 40])
@pytest.mark.parametrize("snapshots", [1, 2, 4, 50])
def test_forward_iterations_are_revolves_optimum(steps, snapshots):
    derivative = sct.grad(branches, checkpoints=snapshots)
    CALLS[0] = 0
    derivative(X, steps)
    assert CALLS[0] == checkpoint_cost(steps, snapshots) + steps


def test_the_marker_runs_plainly_and_checkpoints_its_loop():
    assert marked(X, 4) == pytest.approx(np.sum(_marked_plain(X, 4)))
    derivative = sct.grad(marked)
    CALLS[0] = 0
    got = derivative(X, 12)
    assert CALLS[0] == checkpoint_cost(12, 2) + 12
    np.testing.assert_allclose(got, central(lambda x: marked(x, 12), X), rtol=1e-6)
    np.testing.assert_allclose(sct.forward(marked)(X, 12, np.ones(5))[1], got.sum(), rtol=1e-12)


def _marked_plain(x, n):
    s = x
    for _ in range(n):
        s = np.sin(s) + 0.3 * x
    return s


def inner_marked(x, n):
    s = x
    for _i in sct.checkpointed(range(n), snapshots=2):
        for j in sct.checkpointed(range(4), snapshots=1):
            s = np.sin(s) + 0.1 * j
        s = s * 1.01
    return np.sum(s)


def helper_loop(s, n):
    for _i in sct.checkpointed(range(n), snapshots=2):
        s = np.cos(s) * 0.9
    return s


def calls_helper(x, n):
    y = helper_loop(x, n)
    return np.sum(y * x)


def in_outer(x, n):
    s = x
    for k in range(3):
        for _i in sct.checkpointed(range(n), snapshots=2):
            s = np.sin(s) * 1.1 + k
    return np.sum(s)


def rows(X, w):
    s = w
    for row in sct.checkpointed(X, snapshots=2):
        s = np.tanh(s + row)
    return np.sum(s)


@pytest.mark.parametrize("func", [inner_marked, calls_helper, in_outer], ids=lambda f: f.__name__)
@pytest.mark.parametrize("steps", [0, 1, 6])
def test_markers_nested_in_helpers_and_in_plain_loops(func, steps):
    expected = central(lambda x: func(x, steps), X)
    np.testing.assert_allclose(sct.grad(func)(X, steps), expected, rtol=1e-6, atol=1e-9)


def test_a_marked_loop_over_rows_differentiates_the_rows():
    data = np.random.default_rng(0).standard_normal((9, 5))
    data_bar, w_bar = sct.grad(rows, wrt=("X", "w"))(data, X)
    np.testing.assert_allclose(w_bar, central(lambda w: rows(data, w), X), rtol=1e-6, atol=1e-9)
    flat = central(lambda d: rows(d.reshape(9, 5), X), data.ravel())
    np.testing.assert_allclose(data_bar, flat.reshape(9, 5), rtol=1e-6, atol=1e-9)


def test_second_derivatives_run_a_marked_loop_plainly():
    hessian = sct.hessian(marked)(X, 5)
    v = np.arange(5.0)
    np.testing.assert_allclose(sct.hvp(marked)(X, 5, v), hessian @ v, rtol=1e-10)
    column = (sct.grad(marked)(X + 1e-6 * v, 5) - sct.grad(marked)(X - 1e-6 * v, 5)) / 2e-6
    np.testing.assert_allclose(hessian @ v, column, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("outer", [lambda g: sct.jacobian(g), lambda g: sct.jacobian(g, mode="reverse")],
                         ids=["forward", "reverse"])
def test_a_jacobian_of_the_checkpointed_gradient_is_refused_at_the_users_loop(outer):
    loop_line = inspect.getsourcelines(marked)[1] + 2
    with pytest.raises(sct.SCTError) as raised:
        outer(sct.grad(marked))(X, 5)
    assert raised.value.filename == __file__ and raised.value.lineno == loop_line
    assert "sct.hessian" in raised.value.hint


def test_a_memory_budget_picks_the_snapshot_count():
    # 120 bytes hold three copies of a state of five floats
    assert "checkpoint_snapshots(120," in sct.reverse(budget).source
    np.testing.assert_allclose(sct.grad(budget)(X, 15), central(lambda x: budget(x, 15), X), rtol=1e-6)
    with pytest.raises(ValueError, match="more than the checkpoint memory budget"):
        sct.grad(budget)(np.ones(100), 3)
    np.testing.assert_allclose(sct.grad(branches, checkpoint_memory="1KB")(X, 9), sct.grad(branches)(X, 9),
                               rtol=1e-12)


def test_the_emitted_code_names_the_loop_once():
    source = sct.reverse(branches, checkpoints=3).source
    assert source.count("def branches_loop1_step(") == 1
    assert source.count("def diff_branches_loop1_step_forward(") == 1
    for name in ("def advance(", "def record(", "def adjoint(", "checkpointed_forward(",
                 "checkpointed_reverse("):
        assert name in source


@pytest.mark.parametrize("value", [0, -1, 2.5, True])
def test_bad_settings_raise(value):
    with pytest.raises(ValueError, match="snapshots"):
        sct.grad(branches, checkpoints=value)
    with pytest.raises(ValueError):
        sct.grad(branches, checkpoint_memory="lots")
