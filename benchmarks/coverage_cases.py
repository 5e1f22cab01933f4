"""Small functions as people write them, each a construct AD tools differ on.

Every function takes one float vector ``x`` (length 4) and returns a float;
``construct_coverage.py`` asks each tool for its gradient at one point and compares it with
Richardson-extrapolated central differences.
The first line of each docstring is the construct's name in the table.
"""

import numpy as np
from scipy.special import logsumexp


def tuple_swap(x):
    """tuple assignment `a, b = b, a + b * x`"""
    a, b = x[0], x[1]
    for _ in range(3):
        a, b = b, a + b * x[2]
    return a * b


def masked_write(x):
    """masked index write `y[y > c] = c`"""
    y = x * 2.0
    y[y > 0.5] = 0.5
    return np.sum(y * x)


def alias_in_place(x):
    """second name of an array, then `+=`"""
    y = x * 2.0
    z = y
    z += x
    return np.sum(y * z)


def repeated_fancy_write(x):
    """fancy index write with a repeated index"""
    y = np.zeros(3)
    y[[0, 0, 1]] = x[:3]
    return np.sum(y * y)


def slice_add(x):
    """`y[1:] += x[:-1]` on a slice"""
    y = x ** 2
    y[1:] += x[:-1]
    return np.sum(y * y)


def while_break(x):
    """`while` with `break` on a value"""
    s = 0.0
    i = 0
    while i < 10:
        s = s + np.sin(x[i % 4]) * x[(i + 1) % 4]
        if s > 0.9:
            break
        i += 1
    return s


def early_return(x):
    """`return` inside a loop"""
    total = 0.0
    for i in range(len(x)):
        total = total + x[i] ** 2
        if total > 1.0:
            return total * x[0]
    return total


def helper(x):
    """call to a helper function"""
    return _square_sum(x) * x[1]


def _square_sum(v):
    return np.sum(v * v)


def list_append(x):
    """list built with `append`, then `np.stack`"""
    rows = []
    for i in range(3):
        rows.append(x[i:i + 2] * (i + 1.0))
    return np.sum(np.stack(rows) ** 2)


def list_comprehension(x):
    """list comprehension over values"""
    return sum([np.sin(x[i]) * x[i] for i in range(len(x))])


def generator_sum(x):
    """generator expression in `sum`"""
    return sum(xi ** 2 for xi in x)


def unpack_argument(x):
    """`a, b, c, d = x`"""
    a, b, c, d = x
    return a * b + c * d


def dict_literal(x):
    """dict literal and `d[key]`"""
    d = {"scale": x * 2.0, "shift": np.sin(x)}
    return np.sum(d["scale"] * d["shift"])


def det_by_minors(x):
    """recursion (determinant by minors)"""
    a = np.reshape(x, (2, 2)) + np.eye(2)
    return _det(a)


def _det(a):
    n = a.shape[0]
    if n == 1:
        return a[0, 0]
    total = 0.0
    for j in range(n):
        minor = np.delete(np.delete(a, 0, axis=0), j, axis=1)
        total = total + (-1.0) ** j * a[0, j] * _det(minor)
    return total


def sorted_values(x):
    """`sorted` and `max` over a list of values"""
    values = sorted(list(x * x))
    return values[-1] * x[0] + max(x[1], x[2])


def split_pieces(x):
    """`a, b = np.split(x, 2)`"""
    a, b = np.split(x, 2)
    return np.sum(a * np.cumprod(b))


def default_function(x, act=np.tanh):
    """a function passed as a default argument"""
    return np.sum(act(x) * x)


def lambda_call(x):
    """`lambda`"""
    f = lambda v: v * np.tanh(v)  # noqa: E731
    return np.sum(f(x))


def broadcast_none(x):
    """broadcasting `x[:, None] - x[None, :]`"""
    return np.sum((x[:, None] - x[None, :]) ** 2 * x)


def einsum_matrix(x):
    """`np.einsum('ij,j->i', ...)`"""
    a = np.outer(x, x) + np.eye(4)
    return np.sum(np.einsum("ij,j->i", a, x) ** 2)


def linalg_solve(x):
    """`np.linalg.solve`"""
    a = np.outer(x, x) + 3.0 * np.eye(4)
    return np.sum(np.linalg.solve(a, x))


def eigh_values(x):
    """`np.linalg.eigh` eigenvalues"""
    a = np.outer(x, x) + np.diag(x)
    w, _ = np.linalg.eigh(a)
    return np.sum(w ** 3)


def norm_of_diff(x):
    """`np.linalg.norm` and `np.diff`"""
    return np.linalg.norm(np.diff(x)) * x[0]


def cumsum_sort(x):
    """`np.cumsum` and `np.sort`"""
    return np.sum(np.cumsum(np.sort(x)) * x)


def where_clip(x):
    """`np.where` and `np.clip`"""
    return np.sum(np.where(x > 0, x ** 2, np.clip(x, -0.5, 0.5)))


def scipy_logsumexp(x):
    """`scipy.special.logsumexp`"""
    return logsumexp(x * 3.0)


def matrix_log_likelihood(x):
    """`slogdet` and `inv` of a matrix"""
    a = np.outer(x, x) + 2.0 * np.eye(4)
    sign, logdet = np.linalg.slogdet(a)
    return logdet + np.sum(np.linalg.inv(a))


CASES = [tuple_swap, masked_write, alias_in_place, repeated_fancy_write, slice_add, while_break,
         early_return, helper, list_append, list_comprehension, generator_sum, unpack_argument,
         dict_literal, det_by_minors, sorted_values, split_pieces, default_function, lambda_call,
         broadcast_none, einsum_matrix, linalg_solve, eigh_values, norm_of_diff, cumsum_sort, where_clip,
         scipy_logsumexp, matrix_log_likelihood]
POINT = np.array([0.3, -0.7, 1.1, 0.5])
