"""Binomial checkpointing in reverse mode (tests/test_checkpointing_*.py): what it cannot do.

Loops it cannot checkpoint are refused, saying where and why; a snapshot of a dict is a copy.
"""
import inspect
import re

import numpy as np
import pytest
from checkpointing_support import X

import sct
from sct.runtime.checkpointing import _kept_copy


def reads_the_loop_variable(x, n):
    s = x
    i = 0
    for i in range(n):  # noqa: B007 (read after the loop)
        s = np.sin(s)
    return np.sum(s) * i


def first_set_inside(x, n):
    s = x
    for _i in range(n):
        s = np.sin(s)
        last = s[0]
    return np.sum(s) + last


def appends_state(x, n):
    s = x
    kept = []
    for _i in range(n):
        s = np.sin(s)
        kept.append(s)
    return np.sum(np.stack(kept))


def noisy(u):
    return u + 0.01 * np.random.standard_normal(u.shape)


def draws(x, n):
    s = x
    for _i in range(n):
        s = noisy(np.sin(s))
    return np.sum(s)


def marker_outside_a_loop(x, n):
    r = sct.checkpointed(range(n), snapshots=2)
    return np.sum(x) * len(r)


@pytest.mark.parametrize("func, message", [
    (reads_the_loop_variable, "loop variable 'i'"),
    (first_set_inside, "'last' is first assigned inside a checkpointed loop"),
    (appends_state, "appends to 'kept'"),
    (draws, "draws random numbers"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_refused_loops_say_where_and_why(func, message):
    with pytest.raises(sct.SCTError, match=message) as info:
        sct.grad(func, checkpoints=2)
    text = str(info.value)
    lines, first = inspect.getsourcelines(func)
    loop = first + next(i for i, line in enumerate(lines) if line.lstrip().startswith("for "))
    # the loop's own line, or the line of the statement refused inside it
    found = re.search(rf"{re.escape(__file__)}:(\d+):(\d+): ", text)
    assert found and loop <= int(found.group(1)) < first + len(lines) and "hint:" in text
    sct.grad(func)(X, 3)  # without checkpointing they differentiate


def test_a_marker_outside_a_loop_header_is_refused():
    with pytest.raises(sct.SCTError, match="call it in a `for` header"):
        sct.grad(marker_outside_a_loop)


def dict_state_for(x):
    d = {"a": x[0], "b": x[1]}
    for _ in range(5):
        d["a"] = d["a"] * np.cos(d["b"]) + x[2]
    return d["a"] * d["b"]


def dict_state_while(x):
    d = {"a": x[0]}
    i = 0
    while i < 3:
        d["a"] = d["a"] * x[2]
        i = i + 1
    return d["a"]


@pytest.mark.parametrize("f", [dict_state_for, dict_state_while])
def test_a_dict_carried_through_a_checkpointed_loop_is_refused(f):
    # its item writes were replayed from a snapshot they had changed: refused until they are exact
    with pytest.raises(sct.SCTError, match="carries the dict 'd'"):
        sct.grad(f, checkpoints=2)(np.array([0.7, -1.3, 1.1]))
    exact = sct.grad(f)(np.array([0.7, -1.3, 1.1]))  # without checkpoints it is differentiated
    assert np.all(np.isfinite(exact))


def test_a_snapshot_of_a_dict_is_a_copy():
    state = ({"a": np.zeros(2)},)
    kept = _kept_copy(state)
    state[0]["a"][0] = 1.0
    assert kept[0]["a"][0] == 0.0
