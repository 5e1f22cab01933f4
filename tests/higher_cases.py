"""Functions, points and oracles shared by the tests of higher derivatives (tests/test_higher_*.py).

The functions are written once in plain numpy; ``autograd_version`` runs the same code with ``np`` bound
to ``autograd.numpy``.
"""
import sys
import types

import autograd.numpy as anp
import autograd.scipy.special as asp
import numpy as np
import scipy.special

import sct

RNG = np.random.default_rng(42)
logsumexp = scipy.special.logsumexp


# ------------------------------------------------------------------------------------------ functions
def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def quadratic_sine(x, A):
    return x @ A @ x + np.sum(np.sin(x)) * x[0]


def loop_branch(x):
    s = 0.0
    for i in range(len(x)):
        if x[i] > 0:
            s = s + np.sin(x[i]) * x[i] * s
        else:
            s = s + x[i] ** 3 + s * x[i]
    return s


def fixed_while(x):
    y = x
    k = 0
    while k < 3:
        y = np.tanh(y) * 2.0 + y * x
        k += 1
    return np.sum(y * y)


def data_while(x):
    y = x * 1.0
    while np.sum(y * y) < 50.0:
        y = y * 1.5 + np.sin(y)
    return np.sum(y ** 3)


def early_return(x):
    total = 0.0
    for i in range(len(x)):
        total = total + np.exp(x[i]) * x[i]
        if total > 3.0:
            return total * np.sum(x ** 2)
    return total ** 2


def nested_loops(x):
    total = 0.0
    for i in range(len(x)):
        for j in range(i + 1):
            total = total + x[i] * x[j] * np.cos(x[j])
    return total


def softplus(v):
    return np.log1p(np.exp(v))


def uses_helper(x, A):
    return np.sum(softplus(A @ x)) * x[0] + softplus(x[1]) ** 2


def pair(a, b):
    return a * b, a + b


def tuple_helper(x):
    p, q = pair(x[0], x[1])
    return p * q + np.sum(x ** 3)


def log_sum_exp(x, A):
    return logsumexp(A @ x) - 0.5 * np.sum(x ** 2)


def cross_entropy(w, X, y):
    logits = X @ w
    return np.sum(logsumexp(logits, axis=1) - np.sum(logits * y, axis=1))


def product(x):
    return np.prod(x ** 2 + 1.0)


def matrix_reshape(x):
    X = x.reshape(2, 3)
    return np.sum((X @ X.T) ** 2) + np.sum(np.transpose(X) * 2.0)


def contraction(x, A):
    return np.einsum("i,ij,j->", x, A, x) * np.sum(np.exp(x))


def log_determinant(x, A):
    M = A @ A.T + np.eye(3) * np.exp(x)
    sign, logdet = np.linalg.slogdet(M)
    return logdet * np.sum(x)


def solve_inverse(x, A):
    M = A @ A.T + np.eye(3) * np.exp(x)
    return np.sum(np.linalg.solve(M, x)) + np.sum(np.linalg.inv(M))


def where_mean(x):
    centered = x - np.mean(x)
    return np.sum(np.where(x > 0, x ** 2, np.sin(x))) * np.mean(centered ** 2)


def max_square(x):
    return np.max(x * x) * np.sum(x) + np.min(np.exp(x))


def gmm_loglik(means, X, log_weights, prec_chol):
    """Log-likelihood of a Gaussian mixture in plain numpy: means (k, d), prec_chol (k, d, d)."""
    d = X.shape[1]
    diffs = X[:, None, :] - means[None, :, :]
    white = np.einsum("nkd,kde->nke", diffs, prec_chol)
    log_det = np.sum(np.log(np.abs(np.einsum("kdd->kd", prec_chol))), axis=1)
    log_prob = -0.5 * np.sum(white ** 2, axis=2) + log_det - 0.5 * d * np.log(2 * np.pi)
    return np.sum(logsumexp(log_prob + log_weights, axis=1))


GMM_X = RNG.standard_normal((12, 2)) + np.array([[1.0, 0.0]])
GMM_PREC = np.array([[[1.2, 0.0], [0.3, 0.9]], [[0.8, 0.0], [-0.2, 1.1]]])
GMM_W = np.log(np.array([0.4, 0.6]))
A3 = RNG.standard_normal((3, 3))
X43 = RNG.standard_normal((4, 3))
Y43 = np.eye(3)[[0, 2, 1, 2]]

# (function, arguments, wrt)
SCALAR_CASES = [
    (rosenbrock, (RNG.standard_normal(4),), "x"),
    (quadratic_sine, (RNG.standard_normal(3), A3), "x"),
    (loop_branch, (np.array([0.5, -0.3, 0.8, -1.1]),), "x"),
    (fixed_while, (RNG.standard_normal(3) * 0.5,), "x"),
    (data_while, (np.array([0.3, -0.2, 0.5]),), "x"),
    (early_return, (np.array([0.4, 0.7, 0.9, 0.2]),), "x"),
    (early_return, (np.array([0.1, -0.2, 0.1]),), "x"),
    (nested_loops, (RNG.standard_normal(3),), "x"),
    (uses_helper, (RNG.standard_normal(3), A3), "x"),
    (tuple_helper, (RNG.standard_normal(3),), "x"),
    (log_sum_exp, (RNG.standard_normal(3), A3), "x"),
    (cross_entropy, (RNG.standard_normal((3, 3)), X43, Y43), "w"),
    (product, (RNG.standard_normal(3),), "x"),
    (matrix_reshape, (RNG.standard_normal(6),), "x"),
    (contraction, (RNG.standard_normal(3), A3), "x"),
    (log_determinant, (RNG.standard_normal(3), A3), "x"),
    (solve_inverse, (RNG.standard_normal(3), A3), "x"),
    (where_mean, (np.array([0.7, -0.4, 1.3, -0.9]),), "x"),
    (max_square, (np.array([0.3, -1.2, 0.8]),), "x"),
    (gmm_loglik, (np.array([[0.5, -0.2], [1.5, 0.4]]), GMM_X, GMM_W, GMM_PREC), "means"),
]
IDS = [f"{case[0].__name__}-{i}" for i, case in enumerate(SCALAR_CASES)]


def autograd_version(func):
    """The same function with np (and scipy's logsumexp) bound to autograd's, helpers included."""
    module = sys.modules[func.__module__]
    namespace = dict(vars(module), np=anp, logsumexp=asp.logsumexp)
    for name, value in list(namespace.items()):
        if isinstance(value, types.FunctionType) and value.__module__ == func.__module__ \
                and value.__closure__ is None:
            namespace[name] = types.FunctionType(value.__code__, namespace, name, value.__defaults__)
    return namespace[func.__name__]


def partial_in(func, args, index):
    """``func`` as a function of its argument ``index`` alone, the others fixed at ``args``."""
    def at(value):
        call = list(args)
        call[index] = value
        return func(*call)
    return at


def wrt_index(func, wrt):
    """The position of the parameter ``wrt`` of ``func``."""
    return func.__code__.co_varnames.index(wrt)


def central_hessian(func, args, wrt, step=1e-5, grad=None):
    """Central differences of the sct gradient, one column per coordinate."""
    grad = grad or sct.grad(func, wrt=wrt)
    index = wrt_index(func, wrt)
    x = np.asarray(args[index], dtype=float)
    columns = []
    for direction in np.eye(x.size):
        d = direction.reshape(x.shape)
        plus, minus = list(args), list(args)
        plus[index], minus[index] = x + step * d, x - step * d
        columns.append(np.ravel((grad(*plus) - grad(*minus)) / (2 * step)))
    return np.array(columns).T.reshape(x.shape + x.shape)


def close_to(a, b, rtol):
    """``a`` equals ``b`` to ``rtol`` of the larger of 1 and ``b``'s largest entry."""
    scale = max(1.0, float(np.max(np.abs(b))))
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) <= rtol * scale


def vector_field(x, A):
    y = np.tanh(A @ x) * x[0]
    z = np.concatenate([y, np.sum(x ** 2, keepdims=True)])
    return np.exp(z[1:]) + z[:-1] * 2.0
