"""Binomial checkpointing (Griewank and Walther's Revolve) for reversing a loop in bounded memory.

A loop of ``steps`` iterations is reversed keeping at most ``snapshots`` copies of its state (the state
before the first iteration is one of them) and the tape of one iteration at a time. Iterations are
recomputed from the nearest snapshot instead; with ``r`` the least integer for which
``C(snapshots + r, snapshots) >= steps``, the plain iterations recomputed number
``r * steps - C(snapshots + r, snapshots + 1)``, the least any schedule with that many snapshots needs.

Emitted code hands the driver three functions of the loop body, ``advance(i, state) -> state`` (iteration
``i`` run plainly), ``record(i, state) -> (state, tape)`` (run keeping what its adjoint reads) and
``adjoint(i, tape, state_bar) -> state_bar``: :func:`checkpointed_forward` runs the loop, taking snapshots,
and :func:`checkpointed_reverse` then runs the adjoints from the last iteration to the first.
"""
import numpy as np

__all__ = ["checkpoint_repetitions", "checkpoint_cost", "checkpoint_split", "checkpoint_actions",
           "checkpointed_forward", "checkpointed_reverse", "checkpoint_trips", "checkpoint_snapshots",
           "_binomial", "_kept_copy", "_checkpoint_step", "_state_bytes"]


def checkpoint_repetitions(steps, snapshots):
    """The least ``r`` with ``C(snapshots + r, snapshots) >= steps``: how often an iteration is rerun."""
    if snapshots < 1:
        raise ValueError(f"checkpointing needs at least 1 snapshot, got {snapshots}")
    r, reach = 0, 1  # reach = C(snapshots + r, snapshots), the steps r repetitions can reverse
    while reach < steps:
        r += 1
        reach = reach * (snapshots + r) // r
    return r


def checkpoint_cost(steps, snapshots):
    """Plain iterations an optimal schedule runs to reverse ``steps`` iterations with ``snapshots``."""
    if steps <= 1:
        return 0
    r = checkpoint_repetitions(steps, snapshots)
    return r * steps - _binomial(snapshots + r, snapshots + 1)


def checkpoint_split(steps, snapshots):
    """Where to take the next snapshot, counted from the current one, keeping the schedule optimal.

    With ``r`` repetitions and ``b(c, r) = C(c + r, c)``, every split ``m`` in
    ``[max(steps - b(c - 1, r), b(c, r - 2)), min(b(c, r - 1), steps - b(c - 1, r - 1))]`` reaches the
    least cost; this takes the smallest (tests/test_checkpoint_schedule.py compares it with a search
    over every split).
    """
    r = checkpoint_repetitions(steps, snapshots)
    before = _binomial(snapshots - 1 + r, snapshots - 1)
    two_fewer = _binomial(snapshots + r - 2, snapshots) if r >= 2 else 0
    return max(1, steps - before, two_fewer)


def checkpoint_actions(steps, snapshots):
    """Revolve's actions in order: ``("advance", i, j)`` runs iterations ``i..j-1`` plainly,
    ``("snapshot", j)`` keeps the state before iteration ``j``, ``("restore", i)`` goes back to it,
    ``("free", j)`` drops it, ``("turn", i)`` records iteration ``i`` and runs its adjoint."""
    pending = [("reverse", 0, steps, snapshots)]
    while pending:
        action = pending.pop()
        if action[0] != "reverse":
            yield action
            continue
        _, start, end, free = action
        if end - start == 1:
            yield ("turn", start)
            continue
        middle = start + checkpoint_split(end - start, free)
        yield ("advance", start, middle)
        # the later part first, with one snapshot fewer (none for a single iteration, reversed from
        # the state at hand); then back to `start` for the earlier part
        pending += [("reverse", start, middle, free), ("restore", start)]
        if end - middle > 1:
            yield ("snapshot", middle)
            pending.append(("free", middle))
        pending.append(("reverse", middle, end, free - 1))


def checkpointed_forward(steps, snapshots, advance, record, state):
    """Run the loop's ``steps`` iterations from ``state``; returns the final state and the plan
    :func:`checkpointed_reverse` continues from."""
    plan = {"actions": checkpoint_actions(steps, snapshots), "kept": {0: _kept_copy(state)}, "tape": None,
            "turn": None, "state": state}
    if steps == 0:
        return state, plan
    for action in plan["actions"]:
        if action[0] == "turn":
            plan["turn"] = action[1]
            final, plan["tape"] = record(action[1], plan["state"])
            return final, plan
        _checkpoint_step(action, plan, advance)
    raise AssertionError("a schedule ends with a turn")


def checkpointed_reverse(plan, advance, record, adjoint, state_bar):
    """The adjoint of the whole loop: ``state_bar`` after the last iteration to before the first."""
    if plan["turn"] is None:
        return state_bar
    state_bar = adjoint(plan["turn"], plan["tape"], state_bar)
    plan["tape"] = None
    for action in plan["actions"]:
        if action[0] == "turn":
            _, tape = record(action[1], plan["state"])
            state_bar = adjoint(action[1], tape, state_bar)
        else:
            _checkpoint_step(action, plan, advance)
    return state_bar


def checkpoint_trips(limit, run, state):
    """Iterations a loop that may stop early runs (a first pass, keeping nothing): ``run(i, state) ->
    (state, go_on)`` is one iteration; ``limit`` bounds the count (None: no bound, a ``while`` loop)."""
    state = _kept_copy(state)  # the iterations may write into the arrays they are given
    trips = 0
    while limit is None or trips < limit:
        state, go_on = run(trips, state)
        trips += 1
        if not go_on:
            break
    return trips


def checkpoint_snapshots(budget, state):
    """How many copies of ``state`` fit in ``budget`` bytes (at least 1: the state before the loop)."""
    size = _state_bytes(state)
    if size > budget:
        raise ValueError(f"the checkpointed loop's state takes {size} bytes, more than the checkpoint "
                         f"memory budget of {budget} bytes: raise checkpoint_memory")
    return max(1, budget // max(size, 1))


def _state_bytes(state):
    if isinstance(state, (tuple, list)):
        return sum(_state_bytes(item) for item in state)
    return np.asarray(state).nbytes


def _binomial(n, k):
    """``C(n, k)`` in exact integers."""
    if k < 0 or k > n:
        return 0
    k = min(k, n - k)
    result = 1
    for j in range(1, k + 1):
        result = result * (n - k + j) // j
    return result


def _kept_copy(state):
    # the body may write into the arrays of its state: a snapshot must not change with them
    if isinstance(state, tuple):
        return tuple(_kept_copy(item) for item in state)
    if isinstance(state, list):
        return [_kept_copy(item) for item in state]
    if isinstance(state, dict):
        return {key: _kept_copy(item) for key, item in state.items()}
    return np.copy(state) if isinstance(state, np.ndarray) else state


def _checkpoint_step(action, plan, advance):
    kind = action[0]
    if kind == "advance":
        state = plan["state"]
        for i in range(action[1], action[2]):
            state = advance(i, state)
        plan["state"] = state
    elif kind == "snapshot":
        plan["kept"][action[1]] = _kept_copy(plan["state"])
    elif kind == "restore":
        plan["state"] = _kept_copy(plan["kept"][action[1]])
    else:
        del plan["kept"][action[1]]
