"""Higher derivatives and whole Jacobians (tests/test_higher_*.py): sct.jacobian in forward and reverse vector
mode against each other, against autograd and against central differences.
"""

import autograd
import numpy as np
import pytest
from higher_cases import (
    A3,
    GMM_PREC,
    GMM_W,
    GMM_X,
    RNG,
    X43,
    autograd_version,
    close_to,
    gmm_loglik,
    logsumexp,
    partial_in,
    vector_field,
    wrt_index,
)

import sct

# ------------------------------------------------------------------------------------------ Jacobians


def vector_loop(x):
    out = np.zeros(3)
    for i in range(3):
        if x[i] > 0:
            out[i] = np.sin(x[i]) * x[(i + 1) % 3]
        else:
            out[i] = x[i] ** 2
    return out * np.sum(x)


def matrix_valued(x):
    X = np.reshape(x, (2, 2))
    return np.linalg.inv(X) @ X.T + np.outer(x[:2], x[2:])


def softmax_rows(W, X):
    logits = X @ W
    return np.exp(logits - logsumexp(logits, axis=1, keepdims=True))


def stacked(x):
    parts = []
    for k in range(2):
        parts.append(np.cumsum(x) * (k + 1.0))
    return np.stack(parts, axis=1)


def swapped(x):
    T = np.reshape(x, (2, 3, 1))
    return np.swapaxes(T * T, 0, 2)[0] + np.moveaxis(np.sin(T), 0, -1)[..., 0]


VECTOR_CASES = [
    (vector_field, (RNG.standard_normal(3), A3), "x"),
    (vector_loop, (np.array([0.4, -0.6, 0.9]),), "x"),
    (matrix_valued, (np.array([1.2, 0.3, -0.4, 0.9]),), "x"),
    (softmax_rows, (RNG.standard_normal((3, 2)), X43), "W"),
    (stacked, (RNG.standard_normal(3),), "x"),
    (swapped, (RNG.standard_normal(6),), "x"),
    (gmm_loglik, (np.array([[0.5, -0.2], [1.5, 0.4]]), GMM_X, GMM_W, GMM_PREC), "means"),
]
VECTOR_IDS = [f"{case[0].__name__}-{i}" for i, case in enumerate(VECTOR_CASES)]


def _central_jacobian(func, args, wrt, step=1e-6):
    index = wrt_index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    columns = []
    for direction in np.eye(x.size):
        plus, minus = list(args), list(args)
        d = direction.reshape(x.shape)
        plus[index], minus[index] = x + step * d, x - step * d
        columns.append((np.asarray(func(*plus)) - np.asarray(func(*minus))) / (2 * step))
    columns = np.array(columns)
    return np.moveaxis(columns, 0, -1).reshape(columns.shape[1:] + x.shape)


@pytest.mark.parametrize("func,args,wrt", VECTOR_CASES, ids=VECTOR_IDS)
def test_jacobian_modes_agree_with_each_other_and_differences(func, args, wrt):
    forward = sct.jacobian(func, wrt=wrt, mode="forward")
    reverse = sct.jacobian(func, wrt=wrt, mode="reverse")
    got_forward, got_reverse = forward(*args), reverse(*args)
    x = np.asarray(args[wrt_index(func, wrt)])
    assert got_forward.shape == np.shape(func(*args)) + x.shape
    assert close_to(got_forward, got_reverse, 1e-12)
    assert close_to(got_forward, _central_jacobian(func, args, wrt), 1e-6)
    assert forward.vectorized and reverse.vectorized, (forward.note, reverse.note)


@pytest.mark.parametrize("func,args,wrt", [c for c in VECTOR_CASES if c[0] is not vector_loop],
                         ids=[i for i, c in zip(VECTOR_IDS, VECTOR_CASES) if c[0] is not vector_loop])
def test_jacobian_matches_autograd(func, args, wrt):
    index = wrt_index(func, wrt)
    expected = autograd.jacobian(partial_in(autograd_version(func), args, index))(np.asarray(args[index]))
    assert close_to(sct.jacobian(func, wrt=wrt)(*args), expected, 1e-10)


def test_jacobian_is_one_vectorised_sweep():
    """Forward: one call of the emitted code with the identity as a batch of tangents; reverse: the same
    with a batch of seeds."""
    forward = sct.jacobian(vector_field, mode="forward")
    assert "batch_matmul(" in forward.source and "for _k in" not in forward.source
    reverse = sct.jacobian(vector_field, mode="reverse")
    assert "batch_matmul_adjoint(" in reverse.source and "batch_size(seed)" in reverse.source
    calls = []
    function = forward.stage.function

    def counting(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)

    forward.stage.function = counting
    try:
        forward(np.ones(3), A3)
    finally:
        forward.stage.function = function
    assert len(calls) == 1


def test_reverse_jacobian_falls_back_to_one_sweep_per_output(monkeypatch):
    """Without a batched adjoint for a rule, the reverse Jacobian is assembled row by row, and says so."""
    from sct.rules import registry

    monkeypatch.setattr(registry.lookup("numpy.sum"), "batch", None)  # declared as batching along its axis

    def summed(x):  # axis=(0,): np.sum itself (axis=0 is computed by sum_along, with the same rules)
        return np.sum(np.outer(x, x) ** 2, axis=(0,))

    J = sct.jacobian(summed, mode="reverse")
    x = np.array([0.5, -1.0, 2.0])
    assert np.allclose(J(x), _central_jacobian(summed, (x,), "x"), atol=1e-6)
    assert not J.vectorized and "one reverse sweep per direction" in J.note


def test_forward_rule_without_batched_form_loops_over_directions(monkeypatch):
    """A tangent rule without a batched form runs once per direction inside the one sweep."""
    from sct.rules import registry

    monkeypatch.setattr(registry.lookup("numpy.sum"), "batch", None)  # declared as batching along its axis

    def summed(x):  # axis=(0,): np.sum itself (axis=0 is computed by sum_along, with the same rules)
        return np.sum(np.outer(x, x) ** 2, axis=(0,)) * x

    J = sct.jacobian(summed, mode="forward")
    x = np.array([0.5, -1.0, 2.0])
    assert np.allclose(J(x), _central_jacobian(summed, (x,), "x"), atol=1e-6)
    assert "for _k in range(_K)" in J.source
    assert J.vectorized and "numpy.sum" in J.note
