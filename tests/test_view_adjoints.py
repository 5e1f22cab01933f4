"""Views of every element (``x[None, ...]``, ``x[:, None]``, ``x[...]``): their adjoint is the output's,
reshaped, and is assigned where nothing else adds to it; checked in every mode against differences, with
size-1 axes, broadcasting after the view, other reads of the array by index, writes into a viewed array
afterwards, and loops."""
import numpy as np
import pytest
from every_mode import check_every_mode

import sct


def centered(x, data):  # gmm's x[:, None, :] - mu[None, ...], differentiated in the means
    return data[:, None, :] - x[None, ...]


def broadcast_after(x, w):
    return x[:, None] * w


def views_and_items(x, w):
    return x[None, :] * x[0] + x[:, None] * w + x[...][-1]


def chained(x, w):
    return x[None][:, None][..., None] * w


def written_after(x, w):
    y = x * 1.0
    v = y[None, :]
    s = np.sum(v * v * w)
    y[0] = x[-1] * 3.0
    return s * y


def in_a_loop(x, w):
    acc = x * 0.0
    for i in range(3):
        z = x[None, :] * acc[None] + w
        acc = acc + z[0] * 0.5 + x[i]
    return acc


def branch(x, w):
    if np.sum(x) > 0:
        y = x[:, None] * w
    else:
        y = x[None, :] * w
    return y


# scalar functions of each, for grad, hvp and the Hessian (sct reads their source: written out)
def centered_g(x, data):
    return np.sum(centered(x, data) ** 2)


def broadcast_after_g(x, w):
    return np.sum(broadcast_after(x, w) ** 2)


def views_and_items_g(x, w):
    return np.sum(views_and_items(x, w) ** 2)


def chained_g(x, w):
    return np.sum(chained(x, w) ** 2)


def written_after_g(x, w):
    return np.sum(written_after(x, w) ** 2)


def in_a_loop_g(x, w):
    return np.sum(in_a_loop(x, w) ** 2)


def branch_g(x, w):
    return np.sum(branch(x, w) ** 2)


def _scalar(f):
    return globals()[f.__name__ + "_g"]


CASES = [
    (centered, np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([[1.0, 2.0], [-0.5, 0.3], [0.0, 1.5]])),
    (centered, np.array([[0.5, -1.0]]), np.array([[1.0, 2.0]])),  # size-1 axes on both sides
    (broadcast_after, np.array([0.0, -1.5, 2.0]), np.linspace(-1.0, 1.0, 12).reshape(3, 4)),
    (broadcast_after, np.array([-0.7]), np.linspace(-1.0, 1.0, 6).reshape(2, 3)),  # x broadcast too
    (views_and_items, np.array([0.0, -1.5, 2.0]), np.linspace(-1.0, 1.0, 9).reshape(3, 3)),
    (chained, np.array([[0.3], [-1.1]]), np.linspace(-1.0, 1.0, 3)),
    (in_a_loop, np.array([0.4, -1.2, 0.7]), np.array([[0.5, -0.25, 1.0]])),
    (branch, np.array([0.4, -1.2, 2.0]), np.array([0.5, -0.25, 1.0])),
    (branch, np.array([-0.4, -1.2, 0.0]), np.array([0.5, -0.25, 1.0])),
]


@pytest.mark.parametrize("f, x, w", CASES, ids=lambda v: getattr(v, "__name__", None))
def test_view_adjoints_in_every_mode(f, x, w):
    check_every_mode(f, _scalar(f), x, w)


@pytest.mark.parametrize("f, x, w", CASES, ids=lambda v: getattr(v, "__name__", None))
def test_view_adjoints_leave_the_seed_and_repeat(f, x, w):
    # an adjoint aliasing another that is later updated in place would change the seed or a second sweep
    reverse = sct.reverse(f, wrt="x")
    seed = np.random.default_rng(1).standard_normal(np.shape(f(x, w)))
    kept = seed.copy()
    first = reverse(x, w, seed=seed)[1].copy()
    again = reverse(x, w, seed=seed)[1]
    assert np.array_equal(seed, kept) and np.array_equal(first, again)


WRITTEN = (np.array([0.4, -1.2, 0.0]), np.array([[1.0, -2.0, 0.5]]))


def test_a_view_of_an_array_written_afterwards_first_order():
    x, w = WRITTEN
    check_every_mode(written_after, written_after_g, x, w, second_order=False)


def test_a_view_of_an_array_written_afterwards_second_order():
    check_every_mode(written_after, written_after_g, *WRITTEN)


def test_the_view_adjoint_of_the_mean_is_one_reshape():
    source = sct.reverse(centered, wrt="x").source
    body = source[source.index("def diff_centered"):]
    assert "x_bar = np.reshape(" in body and "zeros_like(x)" not in body and "x_bar[" not in body
