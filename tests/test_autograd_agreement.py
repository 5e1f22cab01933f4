"""sct.grad against autograd.grad on twenty-odd functions: the same code (autograd runs it with
``autograd.numpy`` bound to ``np``), gradients equal to 1e-10 relative."""
from __future__ import annotations

import types

import autograd
import autograd.numpy
import autograd.scipy.special
import numpy as np
import pytest
from oracle import parameter_names, relative_error
from scipy.special import logsumexp

import sct

RNG = np.random.default_rng(2024)
X = RNG.standard_normal(6)
Y = RNG.uniform(0.5, 1.5, size=6)
A = RNG.standard_normal((4, 4))
SPD = A @ A.T + 4 * np.eye(4)
B = RNG.standard_normal((4, 3))
DATA = RNG.standard_normal((8, 3))
LABELS = (RNG.uniform(size=8) > 0.5).astype(float)
W1 = RNG.standard_normal((5, 3))


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def softplus(x):
    return np.sum(np.log1p(np.exp(x)))


def logistic_loss(w, data, labels):
    p = 1.0 / (1.0 + np.exp(-(data @ w)))
    return -np.mean(labels * np.log(p) + (1.0 - labels) * np.log(1.0 - p))


def mlp(w1, data):
    hidden = np.tanh(data @ w1.T + 0.1)
    return np.sum(hidden ** 2) / data.shape[0]


def weighted_logsumexp(x, y):  # autograd's logsumexp has no gradient for b: weights as log-weights
    return logsumexp(x.reshape(2, 3) + np.log(y.reshape(2, 3)), axis=1).sum() + logsumexp(x, keepdims=True)[0]


def log_determinant(a):
    sign, logabsdet = np.linalg.slogdet(a @ a.T + np.eye(4))
    return logabsdet


def gaussian_logpdf(b, x):
    cov = b @ b.T + np.eye(4)
    L = np.linalg.cholesky(cov)
    z = np.linalg.solve(L, x[:4])
    return -0.5 * np.dot(z, z) - np.sum(np.log(L[np.arange(4), np.arange(4)]))


def cross_entropy(x):
    logits = x.reshape(2, 3)
    return -np.sum(logits[:, 0] - logsumexp(logits, axis=1))


def bilinear(a, x):
    return np.einsum("i,ij,j->", x[:4], a, x[2:])


def euclidean(x):
    return np.sqrt(np.sum(x ** 2)) + np.linalg.norm(x[:3])


def trig(x, y):
    return np.sum(np.sin(x) * np.cos(y) + np.tan(x * y / 4.0) + np.arctan2(x, y) + np.hypot(x, y))


def spread(x):
    return np.max(x) - np.min(x) ** 2 + np.max(x.reshape(2, 3), axis=0).sum()


def piecewise(x):
    return np.sum(np.where(x > 0, x ** 2, -x)) + np.sum(np.abs(x)) + np.sum(np.clip(x, -0.5, 0.5))


def products_and_means(x, y):
    return np.prod(y.reshape(3, 2), axis=1).sum() + np.dot(np.mean(x.reshape(2, 3) ** 2, axis=0), y[:3])


def joined(x, y):
    stacked = np.stack([x, y * x], axis=1)
    return np.sum(np.concatenate([stacked, x[:, None] ** 2], axis=1) ** 2)


def indexed(x):
    return x[::2] @ x[1::2] + x[np.array([0, 0, 3])].sum() + x[-1] * x[2]


def inverse_trace(a):
    return np.trace(np.linalg.inv(a)) + np.linalg.det(a)


def solve_norm(a, x):
    return np.sum(np.linalg.solve(a, x[:4]) ** 2)


def power_both(x, y):
    return np.sum(y ** x) + np.sum(x ** 2 / y)


def horner(x, y):
    total = 0.0
    for i in range(6):
        total = total * y[i] + x[i]
    return total


def pairwise(x, y):
    return np.sum((x[:, None] - y[None, :]) ** 2 * np.exp(-x[:, None]))


def logs_and_roots(y):
    return np.sum(np.log2(y) + np.log10(y) * np.sqrt(y) + np.expm1(y) + np.square(y) - np.reciprocal(y))


def transposes(a, b):
    return np.sum(np.transpose(a @ b, (1, 0)) ** 2) + np.sum(a.T[:3] * b.T)


CASES = [  # (function, args, wrt)
    (rosenbrock, (X,), ("x",)), (softplus, (X,), ("x",)), (logistic_loss, (DATA[0], DATA, LABELS), ("w",)),
    (mlp, (W1, DATA), ("w1",)), (weighted_logsumexp, (X, Y), ("x", "y")), (log_determinant, (A,), ("a",)),
    (gaussian_logpdf, (A, X), ("b", "x")), (cross_entropy, (X,), ("x",)), (bilinear, (A, X), ("a", "x")),
    (euclidean, (X,), ("x",)), (trig, (X, Y), ("x", "y")), (spread, (X,), ("x",)), (piecewise, (X,), ("x",)),
    (products_and_means, (X, Y), ("x", "y")), (joined, (X, Y), ("x", "y")), (indexed, (X,), ("x",)),
    (inverse_trace, (SPD,), ("a",)), (solve_norm, (SPD, X), ("a", "x")), (power_both, (X, Y), ("x", "y")),
    (horner, (X, Y), ("x", "y")), (pairwise, (X, Y), ("x", "y")), (logs_and_roots, (Y,), ("y",)),
    (transposes, (A, B), ("a", "b")),
]


def _autograd_twin(f):
    """``f`` with autograd's numpy and logsumexp in place of numpy's: the same code, traced by autograd."""
    namespace = dict(f.__globals__, np=autograd.numpy, logsumexp=autograd.scipy.special.logsumexp)
    return types.FunctionType(f.__code__, namespace, f.__name__)


@pytest.mark.parametrize("f, args, wrt", CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_gradient_matches_autograd(f, args, wrt):
    twin = _autograd_twin(f)
    names = parameter_names(f)
    ours = sct.grad(f, wrt=wrt)(*args)  # a tuple: wrt is a tuple
    assert len(ours) == len(wrt)
    for name, g in zip(wrt, ours):
        expected = autograd.grad(twin, names.index(name))(*args)
        assert np.shape(g) == np.shape(expected)
        assert relative_error(g, expected) < 1e-10, (name, g, expected)
    value = f(*args)
    assert twin(*args) == pytest.approx(value, rel=1e-12)
