"""The binomial checkpointing schedule (sct/runtime/checkpointing.py) against an exhaustive search.

The optimum is found by trying every split of every segment; the driver is run on a linear loop
whose adjoint is known exactly (products of transposed matrices), at snapshot counts from 1 to more
than the trip count.
"""
from functools import lru_cache
from math import comb

import numpy as np
import pytest

from sct.runtime.checkpointing import (
    checkpoint_actions,
    checkpoint_cost,
    checkpoint_split,
    checkpointed_forward,
    checkpointed_reverse,
)


@lru_cache(maxsize=None)
def searched_cost(steps, snapshots):
    """Least plain iterations over every schedule: snapshot at m, reverse the rest, come back."""
    if steps == 1:
        return 0
    if snapshots == 0:
        return float("inf")
    return min(m + searched_cost(steps - m, snapshots - 1) + searched_cost(m, snapshots)
               for m in range(1, steps))


@pytest.mark.parametrize("snapshots", range(1, 7))
def test_cost_and_split_are_optimal(snapshots):
    for steps in range(1, 90):
        best = searched_cost(steps, snapshots)
        assert checkpoint_cost(steps, snapshots) == best, steps
        if steps > 1:
            m = checkpoint_split(steps, snapshots)
            assert 1 <= m < steps
            assert m + searched_cost(steps - m, snapshots - 1) + searched_cost(m, snapshots) == best


def replay(steps, snapshots):
    """Walk the actions, checking each is legal; returns plain iterations, turns and most snapshots."""
    position, kept, advanced, turns, most = 0, {0}, 0, [], 1
    for action in checkpoint_actions(steps, snapshots):
        kind = action[0]
        if kind == "advance":
            assert action[1] == position and action[2] > position
            advanced += action[2] - action[1]
            position = action[2]
        elif kind == "snapshot":
            assert action[1] == position
            kept.add(position)
            most = max(most, len(kept))
        elif kind == "restore":
            assert action[1] in kept
            position = action[1]
        elif kind == "free":
            kept.remove(action[1])
        else:
            assert kind == "turn" and action[1] == position
            turns.append(position)
            position += 1
    return advanced, turns, most


@pytest.mark.parametrize("steps, snapshots", [(1, 1), (2, 1), (10, 1), (10, 3), (55, 2), (100, 4),
                                              (1000, 5), (20, 20), (7, 30), (10**4, 10)])
def test_actions_follow_the_optimal_schedule(steps, snapshots):
    advanced, turns, most = replay(steps, snapshots)
    assert turns == list(range(steps - 1, -1, -1))  # each iteration reversed once, last first
    assert advanced == checkpoint_cost(steps, snapshots)
    assert most <= snapshots


def test_cost_has_the_closed_form_at_a_million_steps():
    steps, snapshots = 10**6, 20
    r = next(r for r in range(100) if comb(snapshots + r, snapshots) >= steps)
    assert checkpoint_cost(steps, snapshots) == r * steps - comb(snapshots + r, snapshots + 1)


def linear_loop(steps, snapshots, seed=0):
    rng = np.random.default_rng(seed)
    mats = rng.standard_normal((steps, 3, 3)) / 2
    runs = {"advance": 0, "record": 0}

    def advance(i, state):
        runs["advance"] += 1
        (x,) = state
        x = mats[i] @ x
        return (x,)

    def record(i, state):
        runs["record"] += 1
        (x,) = state
        return (mats[i] @ x,), (i, x.copy())

    def adjoint(i, tape, state_bar):
        assert tape[0] == i
        (x_bar,) = state_bar
        return (mats[i].T @ x_bar,)

    return mats, runs, advance, record, adjoint


@pytest.mark.parametrize("steps, snapshots", [(1, 1), (5, 1), (12, 2), (30, 3), (30, 30), (17, 100)])
def test_driver_gives_the_exact_adjoint(steps, snapshots):
    mats, runs, advance, record, adjoint = linear_loop(steps, snapshots)
    x0 = np.array([1.0, -2.0, 0.5])
    final, plan = checkpointed_forward(steps, snapshots, advance, record, (x0.copy(),))
    product = np.eye(3)
    for m in mats:
        product = m @ product
    np.testing.assert_allclose(final[0], product @ x0, rtol=1e-12)
    seed = np.array([0.3, 1.0, -1.0])
    (x_bar,) = checkpointed_reverse(plan, advance, record, adjoint, (seed,))
    np.testing.assert_allclose(x_bar, product.T @ seed, rtol=1e-12)
    assert runs["record"] == steps
    assert runs["advance"] == checkpoint_cost(steps, snapshots)


def test_zero_steps_and_bad_snapshots():
    final, plan = checkpointed_forward(0, 3, None, None, (np.ones(2),))
    assert checkpointed_reverse(plan, None, None, None, (np.full(2, 5.0),))[0][0] == 5.0
    with pytest.raises(ValueError, match="at least 1 snapshot"):
        checkpoint_cost(10, 0)


def test_snapshots_do_not_move_when_the_body_writes_in_place():
    def advance(i, state):
        state[0][:] += 1.0  # writes into the array it was given
        return state

    def record(i, state):
        before = state[0].copy()
        return advance(i, state), before

    seen = []

    def adjoint(i, tape, state_bar):
        seen.append((i, tape[0]))
        return state_bar

    _, plan = checkpointed_forward(6, 2, advance, record, (np.zeros(1),))
    checkpointed_reverse(plan, advance, record, adjoint, (np.zeros(1),))
    assert [s for _, s in sorted(seen)] == [float(i) for i in range(6)]
